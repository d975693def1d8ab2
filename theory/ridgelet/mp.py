"""mpmath references (≥ 30 digits) for every closed form of :mod:`theory.ridgelet.transform` and
:mod:`theory.ridgelet.rerm`, computed from the *definitions* by quadrature, never from the closed forms.

Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441); Sonoda & Murata 2017; docs/ridgelet.md#conventions. Fourier
convention without 2π: ``φ^♯(ω) = ∫ φ(z) e^{−izω} dz``.

- :func:`ridgelet_transform_mp`: ``∫ f(x) conj(ρ(a·x − b)) dx`` by direct quadrature (m = 1, 2), and
  :func:`ridgelet_gaussian_radon_mp` for the Gaussian target in any m through the Radon transform
  (``∫_{a^⊥} e^{−|x|²/2} = (2π)^{(m−1)/2} e^{−t²/2}``, one quadrature along the line);
- :func:`fourier_mp`: ``φ^♯(ω)`` by quadrature;
- :func:`pairing_frequency_mp` / :func:`pairing_space_mp`: both sides of Parseval's relation
  ``⟨σ^♯, φ⟩ = ⟨σ, φ^♯⟩`` for ReLU, step and tanh with the regularisations (finite part, principal value)
  written out here, independently of the table in :mod:`theory.ridgelet.activations`;
- :func:`admissibility_mp`: ``((σ,ρ)) = (2π)^{m−1} ∫ σ^♯ conj(ρ^♯) |ω|^{−m} dω`` for ``ρ = G^{(k)}``;
- :func:`box_multiplier_mp` and :func:`box_limit_spectrum_mp`: the ridge limit on the box ``|a| ≤ A``.

Arguments are converted inside the working precision: pass exact values as strings (``"0.7"``) or
``mpf``s, not binary floats, when every digit matters.
"""

from __future__ import annotations

from typing import Callable, Sequence

import mpmath as mp
import sympy as sp


#: default working precision (digits) of every reference
DPS = 30
#: the line is cut at ±L: the Gaussian-type integrands used here are below e^{−128} |z|^k there
_HALF_WIDTH = 16
#: the plane is cut at ±L_2 in the two-dimensional brute-force reference (k ≤ 4: below 10^{−26} there)
_HALF_WIDTH_2D = 12


def _mp_function(lam: sp.Lambda) -> Callable:
    return sp.lambdify(lam.variables, lam.expr, modules="mpmath")


def _piecewise_breaks(expr: sp.Expr, x: sp.Symbol) -> list:
    """Finite break points of a ``Piecewise`` in ``x`` (for the quadrature subdivision)."""
    pts = set()
    for pw in expr.atoms(sp.Piecewise):
        for _piece, cond in pw.args:
            for rel in cond.atoms(sp.Rel):
                for side in (rel.lhs, rel.rhs):
                    if side.is_number:
                        pts.add(float(side))
    return sorted(pts)


def gaussian_derivative_mp(k: int, z) -> mp.mpf:
    """``G^{(k)}(z) = (−1)^k He_k(z) e^{−z²/2}`` (Hermite recurrence, mpmath)."""
    z = mp.mpf(z)
    h_prev, h = mp.mpf(0), mp.mpf(1)
    for n in range(k):
        h_prev, h = h, z * h - n * h_prev
    return (-1) ** k * h * mp.exp(-z * z / 2)


def gaussian_derivative_fourier_mp(k: int, omega) -> mp.mpc:
    """``(G^{(k)})^♯(ω) = (iω)^k √(2π) e^{−ω²/2}`` (the textbook transform; checked by :func:`fourier_mp`)."""
    omega = mp.mpf(omega)
    return (1j * omega) ** k * mp.sqrt(2 * mp.pi) * mp.exp(-omega**2 / 2)


def fourier_mp(rho: sp.Lambda | Callable, omega, dps: int = DPS) -> mp.mpc:
    """``ρ^♯(ω) = ∫ ρ(z) e^{−izω} dz`` by quadrature (ρ Gaussian-type, so the line is cut at ±L)."""
    fn = _mp_function(rho) if isinstance(rho, sp.Lambda) else rho
    with mp.workdps(dps + 15):
        w = mp.mpf(omega)
        panels = mp.linspace(-_HALF_WIDTH, _HALF_WIDTH, 33)
        re = mp.quad(lambda z: fn(z) * mp.cos(z * w), panels)
        im = mp.quad(lambda z: -fn(z) * mp.sin(z * w), panels)
        return mp.mpc(re, im)


def ridgelet_transform_mp(f: sp.Lambda, rho: sp.Lambda, a: Sequence, b, dps: int = DPS) -> mp.mpc:
    """``R[f;ρ](a,b) = ∫_{ℝ^m} f(x) conj(ρ(a·x − b)) dx`` by direct quadrature, ``m = len(a) ≤ 2``.

    ``f`` decays like a Gaussian or is a ``Piecewise`` with bounded support (m = 1; its break points are
    quadrature nodes); ``ρ`` is Gaussian-type. The line is cut at ``±16`` (the plane at ``±12``; the
    integrands used here are below ``10^{−26}`` relative there). Gauss–Legendre panels at ``dps + 5``
    digits.
    """
    a = list(a) if isinstance(a, (list, tuple)) else [a]
    m = len(a)
    if m > 2:
        raise ValueError("a: the brute-force reference is for m <= 2; use ridgelet_gaussian_radon_mp")
    ff, rr = _mp_function(f), _mp_function(rho)
    with mp.workdps(dps + 5):
        a = [mp.mpf(v) for v in a]
        b = mp.mpf(b)
        if m == 1:
            x = f.variables[0]
            breaks = _piecewise_breaks(f.expr, x)
            if breaks:
                pts = sorted(set(breaks))
            else:
                pts = list(mp.linspace(-_HALF_WIDTH, _HALF_WIDTH, 17))
            return mp.quad(lambda t: ff(t) * mp.conj(rr(a[0] * t - b)), pts, method="gauss-legendre")
        panels = mp.linspace(-_HALF_WIDTH_2D, _HALF_WIDTH_2D, 7)
        return mp.quad(lambda s, t: ff(s, t) * mp.conj(rr(a[0] * s + a[1] * t - b)), panels, panels,
                       method="gauss-legendre")


def ridgelet_gaussian_radon_mp(a: Sequence, b, k: int, dps: int = DPS) -> mp.mpf:
    """``R[e^{−|x|²/2}; G^{(k)}](a,b)`` in any dimension through the Radon transform.

    Split ``x = t a/|a| + y`` with ``y ⊥ a``: the integral over ``y`` of the Gaussian is
    ``(2π)^{(m−1)/2} e^{−t²/2}``, leaving ``∫ e^{−t²/2} G^{(k)}(|a| t − b) dt`` (one quadrature).
    """
    m = len(a)
    with mp.workdps(dps + 5):
        a = [mp.mpf(v) for v in a]
        na = mp.sqrt(sum(v * v for v in a))
        b = mp.mpf(b)
        line = mp.quad(lambda t: mp.exp(-t * t / 2) * gaussian_derivative_mp(k, na * t - b),
                       mp.linspace(-_HALF_WIDTH, _HALF_WIDTH, 17), method="gauss-legendre")
        return (2 * mp.pi) ** (mp.mpf(m - 1) / 2) * line


# ----------------------------------------------------------------------------------------------------
# distributional Fourier transforms of the activations, paired with a test function (Parseval)
# ----------------------------------------------------------------------------------------------------
def _half_line(fn: Callable) -> mp.mpf:
    """``∫_0^∞ fn``: Gauss–Legendre on ``[0, 1]`` (its nodes stay away from 0, where the finite-part and
    principal-value integrands are differences that cancel), tanh-sinh beyond."""
    return mp.quad(fn, [0, 1], method="gauss-legendre") + mp.quad(fn, [1, 4, 12, mp.inf])


def pairing_frequency_mp(name: str, phi: Callable, dps: int = DPS) -> mp.mpc:
    """``⟨σ^♯, φ⟩ = ∫ σ^♯(ω) φ(ω) dω`` with the regularisations written out (φ a Schwartz function of ω):

    - ReLU: ``σ^♯ = −f.p. 1/ω² + πiδ′``:
      ``−∫_0^∞ (φ(ω) + φ(−ω) − 2φ(0))/ω² dω − πi φ′(0)``;
    - step: ``σ^♯ = −i p.v. 1/ω + πδ``: ``−i ∫_0^∞ (φ(ω) − φ(−ω))/ω dω + π φ(0)``;
    - tanh: ``σ^♯ = −iπ p.v. 1/sinh(πω/2)``: ``−iπ ∫_0^∞ (φ(ω) − φ(−ω))/sinh(πω/2) dω``.
    """
    with mp.workdps(dps + 15):
        if name == "relu":
            p0 = phi(mp.mpf(0))
            fp = _half_line(lambda w: (phi(w) + phi(-w) - 2 * p0) / w**2)
            return -fp - mp.pi * 1j * mp.diff(phi, 0)
        if name == "step":
            pv = _half_line(lambda w: (phi(w) - phi(-w)) / w)
            return -1j * pv + mp.pi * phi(mp.mpf(0))
        if name == "tanh":
            pv = _half_line(lambda w: (phi(w) - phi(-w)) / mp.sinh(mp.pi * w / 2))
            return -1j * mp.pi * pv
        raise ValueError(f"name: expected 'relu', 'step' or 'tanh', got {name!r}")


def pairing_space_mp(name: str, phi_hat: Callable, dps: int = DPS) -> mp.mpc:
    """``⟨σ, φ^♯⟩ = ∫ σ(z) φ^♯(z) dz`` (the other side of Parseval's relation)."""
    with mp.workdps(dps + 5):
        if name == "relu":
            return _half_line(lambda z: z * phi_hat(z))
        if name == "step":
            return _half_line(phi_hat)
        if name == "tanh":
            return mp.quad(lambda z: mp.tanh(z) * phi_hat(z), [-mp.inf, -12, -4, -1, 0, 1, 4, 12, mp.inf])
        raise ValueError(f"name: expected 'relu', 'step' or 'tanh', got {name!r}")


# ----------------------------------------------------------------------------------------------------
# admissibility constants
# ----------------------------------------------------------------------------------------------------
def _sigma_regular_mp(name: str, order: int = 0) -> Callable:
    """The regular part of σ^♯ for ω ≠ 0, written out again (independent of theory.ridgelet.activations)."""
    if name == "relu":
        return lambda w: -1 / w**2
    if name == "step":
        return lambda w: -1j / w
    if name == "tanh":
        return lambda w: -1j * mp.pi / mp.sinh(mp.pi * w / 2)
    if name in ("gaussian", "gaussian_derivative"):
        return lambda w: gaussian_derivative_fourier_mp(order, w)
    raise ValueError(f"sigma: no mpmath reference for {name!r}")


def admissibility_mp(sigma: str, k: int, m: int = 1, dps: int = DPS, sigma_order: int = 0) -> mp.mpc:
    """``((σ, G^{(k)})) = (2π)^{m−1} ∫ σ^♯(ω) conj(ρ^♯(ω)) |ω|^{−m} dω`` by quadrature of the definition.

    The singular part of σ^♯ at ``ω = 0`` (ReLU ``πiδ′``, step ``πδ``) pairs with
    ``conj(ρ^♯(ω))|ω|^{−m}``; for the admissible orders used here that function vanishes at 0 to order
    ``≥ 2``, and the pairing is evaluated too (one-sided numerical derivative, ``mp.diff``) so that a
    wrong order shows up as a non-zero term. ``sigma`` is ``"relu"``, ``"step"``, ``"tanh"``, ``"gaussian"``
    (``σ = G``) or ``"gaussian_derivative"`` (``σ = G^{(sigma_order)}``).
    """
    reg = _sigma_regular_mp(sigma, sigma_order)
    with mp.workdps(dps + 10):
        def weight(w):
            return mp.conj(gaussian_derivative_fourier_mp(k, w)) * abs(w) ** (-m)

        body = _half_line(lambda w: reg(w) * weight(w) + reg(-w) * weight(-w))
        singular = mp.mpf(0)
        eps = mp.mpf(10) ** (-(dps // 2))
        if sigma == "relu":  # ⟨πiδ′, φ⟩ = −πi φ′(0)
            singular = -mp.pi * 1j * (weight(eps) - weight(-eps)) / (2 * eps)
        elif sigma == "step":  # ⟨πδ, φ⟩ = π φ(0)
            singular = mp.pi * (weight(eps) + weight(-eps)) / 2
        return (2 * mp.pi) ** (m - 1) * (body + singular)


# ----------------------------------------------------------------------------------------------------
# ridge regression on the box |a| <= A (b over the line, data in L²(ℝ)), m = 1, σ = G^{(k)}
# ----------------------------------------------------------------------------------------------------
def box_multiplier_mp(k: int, A, xi, dps: int = DPS) -> mp.mpf:
    """``m_A(ξ) = ∫_{|ω| ≥ |ξ|/A} |σ^♯(ω)|² |ω|^{−1} dω`` for ``σ = G^{(k)}`` by quadrature: the Fourier
    multiplier of ``S_A S_A^*`` (``S_A`` the integral representation restricted to ``|a| ≤ A``)."""
    with mp.workdps(dps + 5):
        lo = abs(mp.mpf(xi)) / mp.mpf(A)
        integrand = lambda w: abs(gaussian_derivative_fourier_mp(k, w)) ** 2 / w  # noqa: E731
        return 2 * mp.quad(integrand, [lo, lo + 1, lo + 4, lo + 12, mp.inf])


def box_limit_spectrum_mp(fhat: Callable, k: int, A, beta, a, b, dps: int = DPS) -> mp.mpf:
    """``γ_{β,A}(a,b) = (1/2π) ∫ f̂(ωa) conj(σ^♯(ω)) e^{iωb} / (m_A(ωa) + β) dω`` for ``σ = G^{(k)}``,
    ``|a| ≤ A``: the minimiser of ``‖f − S_A γ‖² + β‖γ‖²`` (``γ = S_A^*(S_A S_A^* + β)^{−1} f``).

    ``m_A`` is taken in its closed form ``2π Γ(k, ξ²/A²)`` here (checked separately against
    :func:`box_multiplier_mp`), so one quadrature in ω remains. Real for real even/odd targets; the
    real part is returned.
    """
    with mp.workdps(dps + 5):
        A, beta, a, b = (mp.mpf(v) for v in (A, beta, a, b))

        def mult(xi):
            return 2 * mp.pi * mp.gammainc(k, xi**2 / A**2, mp.inf)

        def integrand(w):
            return fhat(w * a) * mp.conj(gaussian_derivative_fourier_mp(k, w)) * mp.expj(w * b) / (mult(w * a) + beta)

        val = mp.quad(integrand, mp.linspace(-14, 14, 15)) / (2 * mp.pi)
        return mp.re(val)
