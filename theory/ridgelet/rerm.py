"""The limit of ridge-regularised empirical risk minimisation (RERM): the ridgelet spectrum, shrunk.

Sonoda, Ishikawa & Ikeda, *Ridge regression with over-parametrized two-layer networks converge to
ridgelet spectrum*, AISTATS 2021 (arXiv 2007.03441), and "Ghosts in neural networks" (arXiv 2106.04770)
for the weighted parameter spaces; docs/ridgelet.md#sources. The paper's text beyond its abstract was not
available, so equation numbers are not cited; the statements follow docs/ridgelet.md#rerm-limit.

Function-of-parameters form of ridge regression, ``S[γ](x) = ∫∫ γ(a,b) σ(a·x − b) da db``:

.. math:: \\min_\\gamma\\; \\|f - S[\\gamma]\\|^2_{L^2(\\mathbb R^m)} + \\beta \\|\\gamma\\|^2_{\\Lambda},
          \\qquad \\gamma_\\beta = S^*(S S^* + \\beta)^{-1} f .

Parameter weighting. ``‖γ‖²_Λ = (1/2π) ∫∫ |γ^♯(a,ω)|² Λ(ω) dω da`` (``γ^♯`` the transform in ``b``;
``Λ ≡ 1`` is the unweighted L² space, a Sobolev weight in ``b`` otherwise). Then ``⟨S γ, u⟩ =
⟨γ, R[u;σ_*]⟩_Λ`` with the *ridgelet function of the limit*

.. math:: \\sigma_*^\\sharp(\\omega) = \\sigma^\\sharp(\\omega) / \\Lambda(\\omega), \\qquad
          S S^* = \\|\\sigma\\|_A^2\\, I, \\quad
          \\|\\sigma\\|_A^2 = ((\\sigma, \\sigma_*)) = (2\\pi)^{m-1}\\int |\\sigma^\\sharp|^2 \\Lambda^{-1} |\\omega|^{-m} d\\omega,

so ``γ_β = R[f;σ_*] / (‖σ‖²_A + β)`` (:func:`rerm_spectrum`). For ``Λ ≡ 1``, ``σ_* = σ`` and
``‖σ‖²_A = ((σ,σ))``, finite for ``σ = G^{(k)}``, ``2k ≥ m`` (``((G′,G′)) = 2π`` in m = 1). ReLU is not
self-admissible in the unweighted space; with ``Λ(ω) = |ω|^{−2s} e^{ω²/2}`` (s ≥ 3 an integer) its
``σ_*`` is ``(−1)^s G^{(2s−2)}/√(2π)``.

Finite model (what the claims train). ``p`` hidden units with ``(a_j, b_j)`` i.i.d. uniform on a box
``B`` of volume ``V`` and output weights ``c_j``: ``g(x) = Σ_j c_j σ(a_j·x − b_j)`` is the Monte-Carlo
quadrature of ``S[γ]`` with ``γ(a_j,b_j) ≈ (p/V) c_j``, and ``β (p/V) Σ_j c_j²`` is the Monte-Carlo
quadrature of ``β ‖γ‖²_{L²(B)}``. On a *bounded* box the operator ``S_B S_B^*`` is not a multiple of the
identity, so the exact limit of the finite model is the solution of the ridge problem on the box,
``γ_{β,B} = S_B^*(S_B S_B^* + β)^{−1} f`` — not the unbounded-domain formula. For ``B = [−A, A] × ℝ``
(``m = 1``, ``σ = G^{(k)}``, data in ``L²(ℝ)``) it is explicit:

.. math:: S_A S_A^* = m_A(D),\\quad m_A(\\xi) = \\int_{|\\omega| \\ge |\\xi|/A} |\\sigma^\\sharp(\\omega)|^2
          \\frac{d\\omega}{|\\omega|} = 2\\pi\\, \\Gamma(k, \\xi^2/A^2), \\qquad
          \\gamma_{\\beta,A}(a,b) = \\frac{1}{2\\pi} \\int \\frac{\\hat f(\\omega a)\\,
          \\overline{\\sigma^\\sharp(\\omega)}\\, e^{i\\omega b}}{m_A(\\omega a) + \\beta} d\\omega,

and ``γ_{β,A} → γ_β`` as ``A → ∞`` at rate ``A^{−2k}``: ``((σ,σ)) − m_A(ξ) = 2π γ(k, ξ²/A²) =
2π (ξ²/A²)^k / k + O(A^{−2k−2})`` (for k = 1, ``2π e^{−ξ²/A²} = 2π − 2πξ²/A² + …``). The kernel of ``S_A S_A^*`` is closed form too
(:func:`box_kernel`): ``K_A(x, y) = ∫_{−A}^{A} ψ_k(a(x − y)) da`` with ``ψ_k`` the autocorrelation of
``G^{(k)}``; for ``k = 1`` it is ``√π A e^{−A²(x−y)²/4}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy import special

from theory.ridgelet.activations import OMEGA, Activation, activation, gaussian_derivative
from theory.ridgelet.transform import (
    NotAdmissibleError,
    _W,
    _as_lambda,
    _check_m,
    _tidy,
    _vanishing_order,
    admissibility_from_spectra,
    fourier_transform,
    gaussian_integral,
    gaussian_ridgelet_numpy,
    hermite_e,
    is_gaussian_type,
    parameter_symbols,
    ridgelet_transform,
    sigma_fourier,
)

#: the variable of the box multiplier and of the kernel lag
XI = sp.Symbol("xi", real=True)
A_BOX = sp.Symbol("A", positive=True)
LAG = sp.Symbol("d", real=True)
T = sp.Symbol("t", real=True)


@dataclass(frozen=True)
class RERMLimit:
    """The ridgelet function of the RERM limit for an activation and a parameter weighting.

    Attributes
    ----------
    sigma_name:
        The activation.
    weight:
        ``Λ(ω)`` (a ``Lambda`` of ω; ``1`` for the unweighted L² parameter space).
    sigma_star_hat:
        ``σ_*^♯ = σ^♯ / Λ`` (regular part; singular parts of σ^♯ at 0 are removed when ``1/Λ`` vanishes
        there to high enough order, else the pair is rejected).
    sigma_star:
        ``σ_*(z)`` when ``σ_*^♯`` is of Gaussian type (closed form), else ``None``.
    norm_A:
        ``‖σ‖²_A = ((σ, σ_*))``, the constant with ``S S* = ‖σ‖²_A I``.
    m:
        Input dimension.
    """

    sigma_name: str
    weight: sp.Lambda
    sigma_star_hat: sp.Lambda
    sigma_star: sp.Lambda | None
    norm_A: sp.Expr
    m: int


def _weight_lambda(weight) -> sp.Lambda:
    if weight is None:
        return sp.Lambda(OMEGA, sp.Integer(1))
    if not isinstance(weight, sp.Lambda) or len(weight.variables) != 1:
        raise ValueError("weight: expected a SymPy Lambda of one variable ω (the parameter weighting Λ(ω))")
    for w in (sp.Rational(1, 3), 1, sp.Rational(7, 3), -sp.Rational(1, 2), -2):
        val = sp.N(weight(w), 20)
        if not (val.is_real and val > 0):
            raise ValueError(f"weight: Λ(ω) must be real and positive for ω ≠ 0, got Λ({w}) = {val}")
    return weight


@lru_cache(maxsize=64)
def rerm_limit(sigma, m: int = 1, weight: sp.Lambda | None = None) -> RERMLimit:
    """``σ_*`` and ``‖σ‖²_A`` of the RERM limit for activation ``sigma`` in the parameter space weighted by
    ``Λ = weight`` (module docstring; docs/ridgelet.md#rerm-limit: ``S* = R[·;σ_*]``, ``S S* = ‖σ‖²_A I``).

    Raises
    ------
    NotAdmissibleError
        If ``‖σ‖²_A`` is infinite or zero (σ not self-admissible in this weighting, e.g. ReLU with
        ``Λ ≡ 1``).
    ValueError
        For a malformed ``sigma``, ``m`` or ``weight``.
    """
    m = _check_m(m)
    lam = _weight_lambda(weight)
    sig_reg, sig_sing, name = sigma_fourier(sigma)
    inv = sp.simplify(1 / lam(OMEGA))
    star_hat = sp.Lambda(OMEGA, sp.simplify(sig_reg(OMEGA) * inv))
    # the singular part of σ^♯ survives in σ_*^♯ unless 1/Λ kills it at ω = 0
    if sig_sing:
        nu = _vanishing_order(inv.subs(OMEGA, _W) * sp.exp(-_W**2 / 2), _W)
        for coef, n in sig_sing:
            if nu < n + 1:
                raise NotAdmissibleError(
                    f"sigma, weight: {name} is not self-admissible in this parameter space: the singular part "
                    f"{coef}·δ^({n}) of σ^♯ is not removed by 1/Λ (need 1/Λ = O(|ω|^{n + 1}) at 0); in the "
                    "unweighted L² space use a Schwartz σ such as G^(k), or a weight Λ(ω) = |ω|^(-2s) e^(ω²/2)")
    norm = admissibility_from_spectra(sig_reg, sig_sing, star_hat, m, name)
    if norm.is_number and not norm.has(sp.Integral) and not (sp.N(norm) > 0):
        raise NotAdmissibleError(f"sigma: ‖σ‖²_A = {norm} is not positive for {name}")
    star = None
    if is_gaussian_type(star_hat(OMEGA), [OMEGA]):
        z = sp.Symbol("z", real=True)
        # σ_*(z) = (1/2π) ∫ σ_*^♯(ω) e^{izω} dω
        star = sp.Lambda(z, _tidy(gaussian_integral(star_hat(OMEGA) * sp.exp(sp.I * OMEGA * z), OMEGA) / (2 * sp.pi)))
    return RERMLimit(name, lam, star_hat, star, norm, m)


def adjoint_ridgelet_function(sigma, weight: sp.Lambda | None = None) -> sp.Lambda:
    """``σ_*`` with ``S* = R[·;σ_*]`` as a ``Lambda`` of z (unweighted L²: ``σ_* = σ``)."""
    lim = rerm_limit(sigma, 1, weight)
    if lim.sigma_star is None:
        raise NotAdmissibleError(f"sigma: σ_* of {lim.sigma_name} has no closed form in this weighting")
    return lim.sigma_star


def rerm_constant(sigma, m: int = 1, weight: sp.Lambda | None = None) -> sp.Expr:
    """``‖σ‖²_A = ((σ, σ_*))`` (unweighted: ``((σ,σ))``; ``((G′,G′)) = 2π`` in m = 1)."""
    return rerm_limit(sigma, m, weight).norm_A


def _check_beta(beta) -> sp.Expr:
    beta = sp.sympify(beta)
    if beta.is_number and (beta.is_real is False or beta.is_negative or not beta.is_finite):
        raise ValueError(f"beta: expected a finite non-negative ridge penalty, got {beta}")
    if not beta.is_number and beta.is_nonnegative is not True:
        raise ValueError(f"beta: a symbolic ridge penalty must be declared nonnegative, got {beta}")
    return beta


def rerm_spectrum(f: sp.Lambda, sigma, beta, m: int = 1, weight: sp.Lambda | None = None) -> sp.Lambda:
    """The RERM limit spectrum ``γ_β = R[f;σ_*] / (‖σ‖²_A + β)`` as a ``Lambda`` of ``(a_1, …, a_m, b)``.

    It minimises ``‖f − S[γ]‖²_{L²(ℝ^m)} + β ‖γ‖²_Λ`` over the unbounded parameter space ℝ^m × ℝ
    (module docstring; docs/ridgelet.md#rerm-limit). Computed through the Fourier slice
    ``γ_β^♯(a,ω) = f̂(ωa) conj(σ_*^♯(ω)) / (‖σ‖²_A + β)`` and one Gaussian integral in ω for Gaussian-type
    targets; for a piecewise target on bounded intervals (m = 1; e.g. ``sin 2πx`` on ``[−1, 1]``, the
    paper's example) as ``R[f;σ_*] / (‖σ‖²_A + β)`` by :func:`theory.ridgelet.transform.ridgelet_transform`.

    Raises
    ------
    ValueError
        ``beta`` negative, infinite or not real (naming ``beta``).
    NotAdmissibleError
        σ not self-admissible in the weighting.
    """
    beta = _check_beta(beta)
    m = _check_m(m)
    f = _as_lambda(f, m, "f")
    lim = rerm_limit(sigma, m, weight)
    avars, b = parameter_symbols(m)
    if f(*f.variables).has(sp.Piecewise):
        # compactly supported targets (e.g. sin 2πx on [−1, 1]): the Radon route of ridgelet_transform
        if lim.sigma_star is None:
            raise NotAdmissibleError(f"sigma: σ_* of {lim.sigma_name} has no closed form; a piecewise target needs it")
        R = ridgelet_transform(f, lim.sigma_star, m)
        return sp.Lambda(R.variables, R.expr / (lim.norm_A + beta))
    fh = fourier_transform(f, m)
    integrand = fh(*[OMEGA * a for a in avars]) * sp.conjugate(lim.sigma_star_hat(OMEGA)) * sp.exp(sp.I * OMEGA * b)
    R = gaussian_integral(integrand, OMEGA) / (2 * sp.pi)
    return sp.Lambda((*avars, b), _tidy(R) / (lim.norm_A + beta))


# ----------------------------------------------------------------------------------------------------
# the ridge problem on the box |a| <= A (m = 1, σ = G^{(k)}, b over the line, data in L²(ℝ))
# ----------------------------------------------------------------------------------------------------
def _check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or int(k) < 1:
        raise ValueError(f"k: expected σ = G^(k) with k >= 1 (self-admissible in m = 1), got {k!r}")
    return int(k)


def box_multiplier(k: int) -> sp.Lambda:
    """``m_A(ξ) = 2π Γ(k, ξ²/A²)``: the Fourier multiplier of ``S_A S_A^*`` for ``σ = G^{(k)}``, ``m = 1``,
    ``|a| ≤ A``, ``b ∈ ℝ`` (substitute ``ω = ξ/a`` in ``∫ |σ^♯(ξ/a)|² da/|a|``). A ``Lambda`` of ``(ξ, A)``;
    ``m_A(ξ) → ((σ,σ)) = 2π (k−1)!`` as ``A → ∞``."""
    k = _check_k(k)
    return sp.Lambda((XI, A_BOX), 2 * sp.pi * sp.uppergamma(k, XI**2 / A_BOX**2))


def autocorrelation(k: int) -> sp.Lambda:
    """``ψ_k(t) = ∫ G^{(k)}(u) G^{(k)}(u + t) du = (−1)^k d^{2k}/dt^{2k} [√π e^{−t²/4}]`` (a Gaussian
    integral, computed symbolically)."""
    k = _check_k(k)
    u = sp.Symbol("u", real=True)
    g = gaussian_derivative(k)
    return sp.Lambda(T, _tidy(gaussian_integral(sp.expand(g(u) * g(u + T)), u)))


def box_kernel(k: int) -> sp.Lambda:
    """``K_A(d) = ∫_{−A}^{A} ψ_k(a d) da = (2/d) (−1)^k √π E_{2k−1}(A d)`` with ``E_n = d^n/dt^n e^{−t²/4}``:
    the kernel ``K_A(x, y) = K_A(x − y)`` of ``S_A S_A^*`` (``|a| ≤ A``, ``b ∈ ℝ``); a ``Lambda`` of
    ``(d, A)``. For k = 1: ``√π A e^{−A²d²/4}``. At ``d = 0`` the limit ``2A ψ_k(0)``."""
    k = _check_k(k)
    E = sp.diff(sp.exp(-T**2 / 4), T, 2 * k - 1)
    expr = 2 * (-1) ** k * sp.sqrt(sp.pi) * E.subs(T, A_BOX * LAG) / LAG
    return sp.Lambda((LAG, A_BOX), sp.simplify(expr))


def _e_derivative(n: int, t: np.ndarray) -> np.ndarray:
    """``d^n/dt^n e^{−t²/4} = (−1)^n 2^{−n/2} He_n(t/√2) e^{−t²/4}``."""
    return (-1) ** n * 2.0 ** (-n / 2) * hermite_e(n, t / np.sqrt(2.0)) * np.exp(-t * t / 4)


def box_kernel_numpy(k: int, A: float, d) -> np.ndarray:
    """:func:`box_kernel` evaluated on an array of lags ``d`` (the ``d = 0`` limit taken exactly)."""
    k = _check_k(k)
    d = np.asarray(d, dtype=float)
    out = np.empty_like(d)
    zero = d == 0
    dd = np.where(zero, 1.0, d)
    out[...] = 2 * (-1) ** k * np.sqrt(np.pi) * _e_derivative(2 * k - 1, A * dd) / dd
    out[zero] = 2 * A * (-1) ** k * np.sqrt(np.pi) * _e_derivative(2 * k, np.zeros(1))[0]
    return out


def box_multiplier_numpy(k: int, A: float, xi) -> np.ndarray:
    """``2π Γ(k, ξ²/A²)`` (``scipy.special.gammaincc`` times ``Γ(k)``)."""
    k = _check_k(k)
    xi = np.asarray(xi, dtype=float)
    return 2 * np.pi * special.gamma(k) * special.gammaincc(k, xi * xi / (A * A))


def gaussian_derivative_fourier_numpy(k: int, omega) -> np.ndarray:
    """``(G^{(k)})^♯(ω) = (iω)^k √(2π) e^{−ω²/2}``."""
    omega = np.asarray(omega, dtype=float)
    return (1j * omega) ** k * np.sqrt(2 * np.pi) * np.exp(-omega * omega / 2)


#: ω-quadrature of :func:`box_limit_spectrum_numpy`: the integrand decays like e^{−ω²/2}
_OMEGA_MAX = 14.0
_OMEGA_NODES = 4097


def box_limit_spectrum_numpy(fhat, k: int, A: float, beta: float, a, b) -> np.ndarray:
    """``γ_{β,A}(a, b)`` on the grid ``a × b`` (module docstring), by the trapezoid rule in ω on
    ``[−14, 14]`` with 4097 nodes: the integrand is entire and below ``e^{−98}`` at the cut, so the rule is
    spectrally accurate (checked against :func:`theory.ridgelet.mp.box_limit_spectrum_mp` at 1e-13).

    Parameters
    ----------
    fhat:
        ``f̂`` as a vectorised function of real ξ (complex values allowed).
    k, A, beta:
        ``σ = G^{(k)}``, the box half-width in ``a`` and the ridge penalty.
    a, b:
        1-D arrays; ``|a| ≤ A``.
    """
    k = _check_k(k)
    if not (np.isfinite(beta) and beta >= 0):
        raise ValueError(f"beta: expected a finite non-negative ridge penalty, got {beta}")
    if not (np.isfinite(A) and A > 0):
        raise ValueError(f"A: expected a positive box half-width, got {A}")
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    if np.any(np.abs(a) > A * (1 + 1e-12)):
        raise ValueError(f"a: the box limit is defined for |a| <= A = {A}")
    w = np.linspace(-_OMEGA_MAX, _OMEGA_MAX, _OMEGA_NODES)
    dw = w[1] - w[0]
    sig = np.conj(gaussian_derivative_fourier_numpy(k, w))
    xi = a[:, None] * w[None, :]
    g = fhat(xi) * sig[None, :] / (box_multiplier_numpy(k, A, xi) + beta)
    g[:, 0] *= 0.5
    g[:, -1] *= 0.5
    phase = np.exp(1j * w[:, None] * b[None, :])
    return np.real(g @ phase) * dw / (2 * np.pi)


def unbounded_spectrum_gaussian_numpy(k: int, beta: float, a, b, m: int = 1) -> np.ndarray:
    """``γ_β(a,b) = R[e^{−|x|²/2}; G^{(k)}](a,b) / (((G^{(k)}, G^{(k)})) + β)`` for ``m = 1`` (closed form;
    ``((G^{(k)},G^{(k)})) = 2π (k−1)!``), on the grid ``a × b``."""
    k = _check_k(k)
    if m != 1:
        raise ValueError("m: the NumPy evaluator is for m = 1")
    a = np.atleast_1d(np.asarray(a, dtype=float))
    b = np.atleast_1d(np.asarray(b, dtype=float))
    const = 2 * np.pi * special.gamma(k)
    return gaussian_ridgelet_numpy(a[:, None], b[None, :], k) / (const + beta)


def self_admissibility_numpy(k: int) -> float:
    """``((G^{(k)}, G^{(k)})) = 2π (k−1)!`` in m = 1 (checked against :func:`rerm_constant`)."""
    return 2 * np.pi * float(special.gamma(_check_k(k)))


__all__ = [
    "RERMLimit", "rerm_limit", "adjoint_ridgelet_function", "rerm_constant", "rerm_spectrum", "box_multiplier",
    "autocorrelation", "box_kernel", "box_kernel_numpy", "box_multiplier_numpy", "box_limit_spectrum_numpy",
    "unbounded_spectrum_gaussian_numpy", "self_admissibility_numpy", "NotAdmissibleError",
    "gaussian_derivative_fourier_numpy", "Activation", "activation",
]
