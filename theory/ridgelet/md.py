"""The ridgelet spectrum in m ≥ 2 input dimensions: admissibility constants, the Radon route, reference spectra.

Sonoda, Ishikawa & Ikeda, *Ridge regression with over-parametrized two-layer networks converge to ridgelet
spectrum*, AISTATS 2021 (the result is stated on ℝ^m); conventions of docs/ridgelet.md#conventions:
``R[f;ρ](a,b) = ∫_{ℝ^m} f(x) conj(ρ(a·x − b)) dx``, ``S[γ](x) = ∫_{ℝ^m}∫_ℝ γ(a,b) σ(a·x − b) db da`` and

.. math:: ((\\sigma,\\rho))_m = (2\\pi)^{m-1}\\int_{\\mathbb R}\\sigma^\\sharp(\\omega)\\,
          \\overline{\\rho^\\sharp(\\omega)}\\,|\\omega|^{-m}\\,d\\omega ,\\qquad S[R[f;\\rho]] = ((\\sigma,\\rho))_m f .

Why ``(2π)^{m−1}`` and ``|ω|^{−m}`` (:func:`derive_admissibility_factor`): ``∫ db R(a,b) σ(a·x − b) =
(1/2π) ∫ f̂(ωa) conj ρ^♯(ω) σ^♯(ω) e^{iω a·x} dω``; the substitution ``ξ = ωa`` (``da = |ω|^{−m} dξ``) and
``∫ f̂(ξ) e^{iξ·x} dξ = (2π)^m f(x)`` leave ``(2π)^{m−1} ∫ σ^♯ conj ρ^♯ |ω|^{−m} dω · f(x)``.

Radon route. With ``a = s u`` (``s ∈ ℝ``, ``u ∈ S^{m−1}``) and ``P_u f(t) = ∫_{u·x = t} f``,

.. math:: R[f;\\rho](s u, b) = \\int_{\\mathbb R} P_u f(t)\\, \\overline{\\rho(s t - b)}\\, dt ,

the one-dimensional ridgelet transform of the projection (the "Radon slice"), which the fast path of
:mod:`numerics.ridgelet.radon` computes: one projection per direction, then the 1-D chirp-z/FFT spectrum.

Gaussian-derivative pairs (:func:`admissibility_gd`, derived by SymPy integration; the closed form
:func:`admissibility_gd_closed` is written out independently):
``((G^{(j)}, G^{(k)}))_m = (2π)^m i^{j−k} Γ((j + k − m + 1)/2)`` for ``j + k`` even and ``j + k > m − 1``
(zero for ``j + k`` odd, divergent for ``j + k ≤ m − 1``). In ``m = 2``: ``((G, G'')) = −4π^{5/2}``,
``((G, G'''')) = 2π^{5/2}``, ``((G′, G′)) = 4π^{5/2}``.

Truncated reconstruction. Integrating ``a`` over the ball ``|a| ≤ A`` multiplies ``f̂`` by
``m_A(ξ) = (2π)^{m−1} ∫_{|ω| ≥ |ξ|/A} σ^♯ conj ρ^♯ |ω|^{−m} dω``; for ``(G^{(j)}, G^{(k)})`` the deficit
``((σ,ρ)) − m_A(ξ) ∝ γ((j+k−m+1)/2, ξ²/A²) = (|ξ|/A)^{j+k−m+1} (c₀ + c₁ ξ²/A² + …)``: the error is
``O(A^{−(j+k−m+1)})`` with a next term of order 2 (:func:`truncation_order`).
"""

from __future__ import annotations

from functools import lru_cache

import mpmath as mp
import numpy as np
import sympy as sp
from scipy import special

from theory.ridgelet.activations import OMEGA, gaussian_derivative
from theory.ridgelet.transform import NotAdmissibleError, gaussian_integral

_W = sp.Symbol("omega", positive=True)
_Z = sp.Symbol("z", real=True)
T = sp.Symbol("t", real=True)
R_LINE = sp.Symbol("r", real=True)
THETA = sp.Symbol("theta", real=True)


def _check_order(name: str, k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or int(k) < 0:
        raise ValueError(f"{name}: expected a non-negative integer derivative order, got {k!r}")
    return int(k)


def _check_dim(m) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or int(m) < 1:
        raise ValueError(f"m: expected a positive integer input dimension, got {m!r}")
    return int(m)


@lru_cache(maxsize=None)
def gd_fourier(k: int) -> sp.Lambda:
    """``(G^{(k)})^♯(ω) = ∫ G^{(k)}(z) e^{−izω} dz``, computed (a Gaussian integral), = ``(iω)^k √(2π) e^{−ω²/2}``."""
    k = _check_order("k", k)
    g = gaussian_derivative(k)
    return sp.Lambda(OMEGA, sp.simplify(gaussian_integral(g(_Z) * sp.exp(-sp.I * _Z * OMEGA), _Z)))


@lru_cache(maxsize=None)
def admissibility_gd(j: int, k: int, m: int) -> sp.Expr:
    """``((G^{(j)}, G^{(k)}))_m = (2π)^{m−1} ∫ σ^♯ conj ρ^♯ |ω|^{−m} dω`` by SymPy: the Fourier transforms
    :func:`gd_fourier`, the parity reduction to ``∫_0^∞`` and SymPy's ``integrate``.

    Raises
    ------
    NotAdmissibleError
        ``j + k`` odd (the constant vanishes) or ``j + k ≤ m − 1`` (the integral diverges at ω = 0).
    """
    j, k, m = _check_order("j", j), _check_order("k", k), _check_dim(m)
    if (j + k) % 2:
        raise NotAdmissibleError(f"j, k: ((G^({j}), G^({k}))) = 0 (j + k odd): not admissible")
    if j + k <= m - 1:
        raise NotAdmissibleError(f"j, k, m: ((G^({j}), G^({k})))_{m} diverges at ω = 0 (need j + k > m − 1)")
    sig, rho = gd_fourier(j), gd_fourier(k)
    dens = sig(_W) * sp.conjugate(rho(_W)) + sig(-_W) * sp.conjugate(rho(-_W))
    dens = sp.simplify(sp.expand(dens) * _W ** (-m))
    val = sp.integrate(dens, (_W, 0, sp.oo))
    return sp.simplify((2 * sp.pi) ** (m - 1) * val)


def admissibility_gd_closed(j: int, k: int, m: int) -> sp.Expr:
    """The written-out table (independent of :func:`admissibility_gd`):
    ``(2π)^m i^{j−k} Γ((j+k−m+1)/2)`` (``j + k`` even, ``j + k > m − 1``)."""
    j, k, m = _check_order("j", j), _check_order("k", k), _check_dim(m)
    if (j + k) % 2 or j + k <= m - 1:
        raise NotAdmissibleError(f"j, k, m: ((G^({j}), G^({k})))_{m} is zero or divergent")
    return (2 * sp.pi) ** m * sp.I ** (j - k) * sp.gamma(sp.Rational(j + k - m + 1, 2))


def admissibility_gd_float(j: int, k: int, m: int) -> float:
    """:func:`admissibility_gd_closed` as a float (real for ``j + k`` even)."""
    return float(sp.re(sp.N(admissibility_gd_closed(j, k, m), 30)))


def truncation_order(j: int, k: int, m: int) -> int:
    """``q = j + k − m + 1``: ``S_A[R f] − ((σ,ρ)) f = O(A^{−q})`` for ``(σ, ρ) = (G^{(j)}, G^{(k)})`` and a
    Schwartz target (module docstring)."""
    admissibility_gd_closed(j, k, m)
    return j + k - m + 1


def truncated_multiplier(j: int, k: int, m: int) -> sp.Lambda:
    """``m_A(ξ) = (2π)^{m−1} ∫_{|ω| ≥ |ξ|/A} σ^♯ conj ρ^♯ |ω|^{−m} dω = (2π)^m i^{j−k} Γ(q/2, ξ²/A²)``
    (``q = j + k − m + 1``), a ``Lambda`` of ``(ξ, A)`` with ``ξ = |ξ| ≥ 0``."""
    q = truncation_order(j, k, m)
    xi, A = sp.Symbol("xi", nonnegative=True), sp.Symbol("A", positive=True)
    return sp.Lambda((xi, A), (2 * sp.pi) ** m * sp.I ** (j - k) * sp.uppergamma(sp.Rational(q, 2), xi**2 / A**2))


def derive_admissibility_factor(m: int) -> sp.Expr:
    """The factor ``(2π)^{m−1}`` of ``((σ,ρ))_m``, derived: after ``∫ db`` (a factor ``1/2π`` from the inverse
    transform in ``b``) and the substitution ``ξ = ωa`` (``da = |ω|^{−m} dξ``), what multiplies
    ``∫ σ^♯ conj ρ^♯ |ω|^{−m} dω`` is ``(1/2π) ∫_{ℝ^m} f̂(ξ) e^{iξ·x} dξ / f(x)``; computed here by SymPy for
    ``f = e^{−|x|²/2}`` at ``x = 0`` (``f̂ = (2π)^{m/2} e^{−|ξ|²/2}``). Returns ``(2π)^{m−1}``."""
    m = _check_dim(m)
    xs = [sp.Symbol(f"xi_{i}", real=True) for i in range(m)]
    fhat = (2 * sp.pi) ** sp.Rational(m, 2) * sp.exp(-sum(x**2 for x in xs) / 2)
    val = fhat
    for x in xs:
        val = sp.integrate(val, (x, -sp.oo, sp.oo))
    return sp.simplify(val / (2 * sp.pi))


# ----------------------------------------------------------------------------------------------------
# the quadrature target: f = (1 − |x|²)_+ q(x) on the unit disc (m = 2), its Radon transform in closed form
# ----------------------------------------------------------------------------------------------------
X1, X2 = sp.symbols("x_1 x_2", real=True)
#: the polynomial factor of the disc target (non-radial: its projections depend on the direction)
DISC_POLY = 1 + X1 / 2 + X1 * X2


def disc_target(x1, x2) -> np.ndarray:
    """``f(x) = (1 − |x|²)_+ (1 + x₁/2 + x₁x₂)`` on arrays (numpy)."""
    x1 = np.asarray(x1, dtype=float)
    x2 = np.asarray(x2, dtype=float)
    return np.maximum(1.0 - x1 * x1 - x2 * x2, 0.0) * (1.0 + 0.5 * x1 + x1 * x2)


@lru_cache(maxsize=1)
def disc_projection() -> sp.Lambda:
    """``P_θ f(t) = ∫_{−c}^{c} (c² − r²) q(t u + r u^⊥) dr`` (``c = √(1 − t²)``, ``u = (cos θ, sin θ)``,
    ``u^⊥ = (−sin θ, cos θ)``) for ``|t| ≤ 1``, by SymPy: a ``Lambda`` of ``(θ, t)``. It is
    ``(4/3)(1 − t²)^{3/2} [1 + (t/2) cos θ + t² sin θ cos θ] − (4/15) sin θ cos θ (1 − t²)^{5/2}``."""
    c = sp.Symbol("c", positive=True)
    q = DISC_POLY.subs({X1: T * sp.cos(THETA) - R_LINE * sp.sin(THETA), X2: T * sp.sin(THETA) + R_LINE * sp.cos(THETA)},
                       simultaneous=True)
    val = sp.integrate(sp.expand((c**2 - R_LINE**2) * q), (R_LINE, -c, c))
    val = sp.expand(val)
    # c³ and c⁵ terms as powers of (1 − t²)
    val = val.subs(c, sp.sqrt(1 - T**2))
    return sp.Lambda((THETA, T), sp.simplify(val))


def disc_projection_numpy(theta, t) -> np.ndarray:
    """:func:`disc_projection` on arrays (zero for ``|t| ≥ 1``)."""
    theta = np.asarray(theta, dtype=float)
    t = np.asarray(t, dtype=float)
    u = np.maximum(1.0 - t * t, 0.0)
    sc = np.sin(theta) * np.cos(theta)
    return (4.0 / 3.0) * u**1.5 * (1.0 + 0.5 * t * np.cos(theta) + t * t * sc) - (4.0 / 15.0) * sc * u**2.5


def _hermite_e(k: int, z: np.ndarray) -> np.ndarray:
    return special.eval_hermitenorm(k, z)


def gd_numpy(k: int, z) -> np.ndarray:
    """``G^{(k)}(z) = (−1)^k He_k(z) e^{−z²/2}``."""
    z = np.asarray(z, dtype=float)
    return (-1) ** k * _hermite_e(k, z) * np.exp(-0.5 * z * z)


def disc_spectrum_numpy(theta, s, b, k: int, nodes: int = 160) -> np.ndarray:
    """``R[f;G^{(k)}](s u_θ, b) = ∫_{−1}^{1} P_θ f(t) G^{(k)}(s t − b) dt`` for the disc target on the grid
    ``θ × s × b`` (shape ``(len θ, len s, len b)``), by Gauss–Jacobi rules with the weights
    ``(1 − t²)^{3/2}`` and ``(1 − t²)^{5/2}`` (the two terms of :func:`disc_projection`): the remaining factor
    is entire, so ``nodes`` = 160 give ≲ 1e-15 relative for ``|s| ≤ 8`` (checked against mpmath in the tests)."""
    k = _check_order("k", k)
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    s = np.atleast_1d(np.asarray(s, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    t3, w3 = special.roots_jacobi(nodes, 1.5, 1.5)
    t5, w5 = special.roots_jacobi(nodes, 2.5, 2.5)
    out = np.empty((theta.size, s.size, b.size))
    rho3 = gd_numpy(k, s[:, None, None] * t3[None, None, :] - b[None, :, None])  # (s, b, nodes)
    rho5 = gd_numpy(k, s[:, None, None] * t5[None, None, :] - b[None, :, None])
    for i, th in enumerate(theta):
        sc = np.sin(th) * np.cos(th)
        g3 = (4.0 / 3.0) * w3 * (1.0 + 0.5 * t3 * np.cos(th) + t3 * t3 * sc)
        g5 = -(4.0 / 15.0) * sc * w5
        out[i] = rho3 @ g3 + rho5 @ g5
    return out


def disc_spectrum_mp(theta, s, b, k: int, dps: int = 30) -> mp.mpf:
    """One value of :func:`disc_spectrum_numpy` by mpmath quadrature (tanh-sinh copes with the endpoint
    singularities ``(1 − t²)^{3/2}``) at ``dps`` digits."""
    k = _check_order("k", k)
    P = disc_projection()
    Pf = sp.lambdify((THETA, T), P.expr, modules="mpmath")
    g = sp.lambdify(_Z, gaussian_derivative(k)(_Z), modules="mpmath")
    with mp.workdps(dps):
        th, s_, b_ = mp.mpf(theta), mp.mpf(s), mp.mpf(b)
        return mp.quad(lambda t: Pf(th, t) * g(s_ * t - b_), [-1, 0, 1])


# ----------------------------------------------------------------------------------------------------
# Gaussian targets in m = 2: f = e^{−(x₁²/s₁² + x₂²/s₂²)/2}
# ----------------------------------------------------------------------------------------------------
def gaussian_target_spectrum_numpy(a1, a2, b, k: int, scales=(1.0, 1.0)) -> np.ndarray:
    """``R[e^{−(x₁²/s₁² + x₂²/s₂²)/2}; G^{(k)}](a, b) = 2π s₁s₂ v^{−(k+1)/2} He_k(b/√v) e^{−b²/(2v)}``,
    ``v = 1 + s₁²a₁² + s₂²a₂²`` (Fourier slice: ``f̂(ξ) = 2π s₁s₂ e^{−(s₁²ξ₁² + s₂²ξ₂²)/2}``; checked against
    :func:`theory.ridgelet.transform.ridgelet_transform` in the tests). Broadcasts its array arguments."""
    k = _check_order("k", k)
    s1, s2 = (float(v) for v in scales)
    a1, a2, b = (np.asarray(v, dtype=float) for v in (a1, a2, b))
    v = 1.0 + (s1 * a1) ** 2 + (s2 * a2) ** 2
    return 2 * np.pi * s1 * s2 * v ** (-(k + 1) / 2) * _hermite_e(k, b / np.sqrt(v)) * np.exp(-b * b / (2 * v))


def gaussian_target_numpy(x1, x2, scales=(1.0, 1.0)) -> np.ndarray:
    s1, s2 = (float(v) for v in scales)
    x1, x2 = np.asarray(x1, dtype=float), np.asarray(x2, dtype=float)
    return np.exp(-0.5 * ((x1 / s1) ** 2 + (x2 / s2) ** 2))


# ----------------------------------------------------------------------------------------------------
# the ridge limit on the square box [−A, A]² × ℝ, σ = G′, m = 2
# ----------------------------------------------------------------------------------------------------
D1, D2 = sp.symbols("d_1 d_2", real=True)
A_BOX = sp.Symbol("A", positive=True)


@lru_cache(maxsize=1)
def box_kernel_2d() -> sp.Lambda:
    """``K_A(d) = ∫_{[−A,A]²} ψ(a·d) da`` with ``ψ(t) = ∫ G′(u) G′(u + t) du = −√π E''(t)``,
    ``E(t) = e^{−t²/4}``: the kernel of ``S_B S_B^*`` for ``σ = G′`` on ``B = [−A, A]² × ℝ`` (m = 2). Closed form
    for ``d₁ d₂ ≠ 0``: ``K_A(d) = −(2√π/(d₁d₂)) [E(A(d₁ + d₂)) − E(A(d₁ − d₂))]`` (two integrations of ``E''``);
    a ``Lambda`` of ``(d₁, d₂, A)``. Limits: ``2A²√π E(A d₂)`` at ``d₁ = 0``, ``2A²√π`` at ``d = 0``."""
    E = sp.Lambda(T, sp.exp(-T**2 / 4))
    return sp.Lambda((D1, D2, A_BOX), -2 * sp.sqrt(sp.pi) / (D1 * D2) * (E(A_BOX * (D1 + D2)) - E(A_BOX * (D1 - D2))))


def box_kernel_2d_numpy(A: float, d1, d2) -> np.ndarray:
    """:func:`box_kernel_2d` on arrays of lags, with the exact limits where ``d₁`` or ``d₂`` is zero and a
    Taylor form where ``|A² d₁ d₂| < 1e-4`` (the difference of exponentials cancels there)."""
    d1, d2 = np.broadcast_arrays(np.asarray(d1, dtype=float), np.asarray(d2, dtype=float))
    A = float(A)
    sp_ = np.sqrt(np.pi)
    out = np.empty(d1.shape)
    prod = A * A * d1 * d2
    small = np.abs(prod) < 1e-4
    # E(A(d1+d2)) − E(A(d1−d2)) = e^{−A²(d1²+d2²)/4} (e^{−A²d1d2/2} − e^{A²d1d2/2}) = −2 e^{…} sinh(A²d1d2/2)
    base = np.exp(-A * A * (d1 * d1 + d2 * d2) / 4)
    with np.errstate(divide="ignore", invalid="ignore"):
        big = 2 * sp_ / np.where(small, 1.0, d1 * d2) * 2 * base * np.sinh(prod / 2)
    x = prod / 2
    ratio = 1.0 + x * x / 6 + x**4 / 120  # sinh(x)/x
    out[...] = np.where(small, 2 * sp_ * A * A * base * ratio, big)
    return out


def gd1_self_admissibility(m: int) -> float:
    """``((G′, G′))_m`` as a float (m = 2: ``4π^{5/2}``; m = 1: ``2π``)."""
    return admissibility_gd_float(1, 1, m)


__all__ = [
    "gd_fourier", "admissibility_gd", "admissibility_gd_closed", "admissibility_gd_float", "truncation_order",
    "truncated_multiplier", "derive_admissibility_factor", "disc_target", "disc_projection", "disc_projection_numpy",
    "disc_spectrum_numpy", "disc_spectrum_mp", "gd_numpy", "gaussian_target_spectrum_numpy", "gaussian_target_numpy",
    "box_kernel_2d", "box_kernel_2d_numpy", "gd1_self_admissibility",
]
