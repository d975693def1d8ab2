"""The linearly parametrised ResNet of Barboni, Peyré & Vialard (NeurIPS 2022, arXiv 2112.05531): the model,
its random-Fourier-feature space and the constants that depend only on the feature draw.

Conventions: docs/pl.md#sources (the project's working statement of the paper, whose own text was not available
when this was written) and the authors' code ``rbarboni/FlowResNets``: ``synthetic.py`` integrates
``dx/dt = W(t) ρ(Ω x)`` with ``W`` piecewise linear between ``L + 1`` matrices initialised at 0, midpoint
steps of size ``1/L``, lifting ``A`` (copies of the identity) and projection ``B``; ``FlowResNets.py`` has
the random-Fourier-feature residuals ``cos(XΩᵀ)`` with Ω Gaussian or multivariate Student t with 5 degrees
of freedom (``Sobolev_RFF``). We use ``√(2/q) cos(Ωx + u)`` with uniform phases (Rahimi & Recht), whose
Gram matrix is an unbiased estimate of the kernel's.

Model. State ``x ∈ R^d``; velocity field ``v_t(x) = W(t) φ(x)`` with the random Fourier features

.. math:: \\varphi(x) = \\sqrt{2/q}\\,\\big(\\cos(\\langle\\omega_j, x\\rangle + u_j)\\big)_{j=1}^q ,

``ω_j`` from the spectral density of the kernel (Bochner; Gaussian kernel ``exp(−‖z‖²/(2σ²))``:
``ω ~ N(0, σ⁻² I_d)``), ``u_j ~ U[0, 2π)``; ``E φ(x)ᵀφ(x') = k(x − x')``. The finite-width RKHS is
``V = {x ↦ W φ(x)}`` with ``‖v‖_V = ‖W‖_F`` and matrix kernel ``K(x, x') = ⟨φ(x), φ(x')⟩ I_d``.

Admissibility (docs/pl.md#setting: ``‖v‖_∞ + ‖Dv‖_∞ ≤ κ ‖v‖_V``), derived here for cos features:

- ``‖φ(x)‖² = (2/q) Σ cos²θ_j = 1 + (1/q) Σ cos 2θ_j ≤ 2``, so ``‖v‖_∞ ≤ κ₀ ‖W‖_F`` with ``κ₀ = √2``;
- ``Dφ(x) = −√(2/q) diag(sin θ_j) Ω``, so ``‖Dv‖_∞ ≤ κ₁ ‖W‖_F`` with ``κ₁ = √(2/q) ‖Ω‖_op``
  (``‖Ω‖²_op ≈ q/σ²`` for ``q ≫ d``: ``κ₁ ≈ √2/σ``, bounded in ``q``);
- ``κ = κ₀ + κ₁``. The flow and adjoint estimates use only ``κ₁`` (the Lipschitz part), the displacement
  estimate only ``κ₀``; :mod:`theory.pl.constants` keeps the two apart, which is the paper's argument with sharper
  constants.

Discretisation: Euler has local error ``O(h²)`` (global order 1); midpoint with the piecewise-linear
``W_{k+1/2} = (W_k + W_{k+1})/2`` has local error ``O(h³)`` (global order 2):
:func:`local_error_order` derives both from Taylor series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

# ----------------------------------------------------------------------------------------------------
# symbols
# ----------------------------------------------------------------------------------------------------
q_sym = sp.Symbol("q", positive=True, integer=True)
d_sym = sp.Symbol("d", positive=True, integer=True)
N_sym = sp.Symbol("N", positive=True, integer=True)
sigma_sym = sp.Symbol("sigma", positive=True)
s_omega = sp.Symbol(r"\|\Omega\|_{op}", positive=True)
theta_sym = sp.Symbol("theta", real=True)
delta_sep = sp.Symbol("delta", positive=True)


def rff_feature(x: sp.Expr, omega: sp.Expr, u: sp.Expr, q: sp.Expr = q_sym) -> sp.Expr:
    """One random Fourier feature ``√(2/q) cos(ω x + u)`` (1-D state; vector states: ω·x)."""
    return sp.sqrt(2 / q) * sp.cos(omega * x + u)


def kappa0() -> sp.Expr:
    """``κ₀ = sup_x ‖φ(x)‖ ≤ √2``: the sup-norm part of admissibility, from ``2cos² = 1 + cos 2θ``."""
    return sp.sqrt(2)


@lru_cache(maxsize=1)
def feature_sup_norm() -> sp.Expr:
    """``sup_x ‖φ(x)‖`` derived from the feature map itself: each of the ``q`` entries ``√(2/q) cos(ω_j·x + u_j)``
    has square at most ``2/q`` (its maximum over a period, :func:`sympy.maximum`), so ``‖φ(x)‖² ≤ q · 2/q = 2``,
    with equality where every ``cos = ±1``: ``√2``, the value :func:`kappa0` states (checked against the
    draw's ``κ₀`` by :func:`theory.pl.constants.check_feature_constants`; derived once and cached)."""
    entry_sq = sp.maximum(rff_feature(theta_sym, 1, 0) ** 2, theta_sym, sp.Interval(0, 2 * sp.pi))
    return sp.sqrt(sp.simplify(q_sym * entry_sq))


def kappa1(q: sp.Expr = q_sym, op_norm: sp.Expr = s_omega) -> sp.Expr:
    """``κ₁ = √(2/q) ‖Ω‖_op ≥ sup_x ‖Dφ(x)‖_op``: the Lipschitz part of admissibility."""
    return sp.sqrt(2 / q) * op_norm


def kappa(q: sp.Expr = q_sym, op_norm: sp.Expr = s_omega) -> sp.Expr:
    """The paper's admissibility constant for cos features, ``‖v‖_∞ + ‖Dv‖_∞ ≤ κ ‖v‖_V``: ``κ₀ + κ₁``."""
    return kappa0() + kappa1(q, op_norm)


def gaussian_kernel(dist: sp.Expr, sigma: sp.Expr = sigma_sym) -> sp.Expr:
    """``k(z) = exp(−‖z‖²/(2σ²))`` at ``‖z‖ = dist`` (the kernel whose features are ``ω ~ N(0, σ⁻² I)``)."""
    return sp.exp(-dist**2 / (2 * sigma**2))


def gershgorin_lambda(delta: sp.Expr = delta_sep, N: sp.Expr = N_sym, sigma: sp.Expr = sigma_sym) -> sp.Expr:
    """Expressivity function of the exact Gaussian kernel: for any ``N`` points with pairwise distances
    ``≥ δ``, Gershgorin's theorem gives ``λ_min(K) ≥ λ(δ) = 1 − (N − 1) exp(−δ²/(2σ²))``, non-decreasing
    in ``δ`` (docs/pl.md#pl-pair, "λ(δ) ≤ λ_min(K) for points δ-separated")."""
    return 1 - (N - 1) * gaussian_kernel(delta, sigma)


def sigma_p(d: int, sigma: float, law: str = "gaussian", nu: float = 5.0) -> float:
    """``σ_p = (E_p ‖ω‖²)^{1/2}`` of the spectral density (Rahimi & Recht 2007): ``√d/σ`` for the Gaussian
    kernel, ``√(d ν/(ν − 2))/σ`` for the Student t density with ``ν > 2`` degrees of freedom."""
    if law == "gaussian":
        return math.sqrt(d) / sigma
    if law == "student":
        if nu <= 2:
            raise ValueError(f"nu: E‖ω‖² is infinite for nu <= 2, got {nu}")
        return math.sqrt(d * nu / (nu - 2)) / sigma
    raise ValueError(f"law: expected 'gaussian' or 'student', got {law!r}")


# ----------------------------------------------------------------------------------------------------
# discretisation orders
# ----------------------------------------------------------------------------------------------------
def _flow_series(order: int):
    """Taylor series of the exact flow of ``x' = w(t) g(x)`` over one step ``h`` from ``(0, x0)``."""
    t, xs, h, x0 = sp.symbols("t x_s h x_0")
    w, g = sp.Function("w"), sp.Function("g")
    f = w(t) * g(xs)
    coef, cur = [xs], f
    for _ in range(order):
        coef.append(cur)
        cur = sp.diff(cur, t) + sp.diff(cur, xs) * f
    exact = sum(coef[k].subs({t: 0, xs: x0}) * h**k / sp.factorial(k) for k in range(order + 1))
    return exact, h, x0, w, g


def one_step(scheme: str, h, x0, w, g) -> sp.Expr:
    """One step of the scheme for ``x' = w(t) g(x)`` with ``w`` known at the grid points ``0, h`` only
    (piecewise linear in between, as the ResNet's ``W``)."""
    if scheme == "euler":
        return x0 + h * w(0) * g(x0)
    if scheme == "midpoint":
        z = x0 + h / 2 * w(0) * g(x0)
        return x0 + h * (w(0) + w(h)) / 2 * g(z)
    raise ValueError(f"scheme: expected 'euler' or 'midpoint', got {scheme!r}")


def local_error_order(scheme: str, max_order: int = 4) -> int:
    """Power of ``h`` of the leading local error of one step (Euler: 2, midpoint: 3); the global order of
    the depth-``L`` network → ODE limit is this minus one (1 and 2)."""
    exact, h, x0, w, g = _flow_series(max_order)
    diff = sp.expand(sp.series(one_step(scheme, h, x0, w, g) - exact, h, 0, max_order + 1).removeO())
    for k in range(max_order + 1):
        if sp.simplify(diff.coeff(h, k)) != 0:
            return k
    raise ValueError(f"max_order: no local error up to h^{max_order}")


def global_order(scheme: str) -> int:
    """Convergence order of the depth-``L`` ResNet to the ODE limit: ``‖x_L − x(1)‖ = O(L^{-order})``."""
    return local_error_order(scheme) - 1


# ----------------------------------------------------------------------------------------------------
# numeric values for a concrete feature draw (plain numpy: theory does not import numba)
# ----------------------------------------------------------------------------------------------------
def feature_matrix(X: np.ndarray, omega: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``Φ`` with rows ``φ(x_i) = √(2/q) cos(Ω x_i + u)`` (N, q)."""
    X = np.asarray(X, dtype=np.float64)
    omega = np.asarray(omega, dtype=np.float64)
    q = omega.shape[0]
    return math.sqrt(2.0 / q) * np.cos(X @ omega.T + np.asarray(u, dtype=np.float64)[None, :])


@dataclass(frozen=True)
class FeatureConstants:
    """Admissibility constants of one feature draw: ``κ₀ = √2``, ``κ₁ = √(2/q)‖Ω‖_op``, ``κ = κ₀ + κ₁``."""

    q: int
    kappa0: float
    kappa1: float

    @property
    def kappa(self) -> float:
        return self.kappa0 + self.kappa1


def feature_constants(omega: np.ndarray) -> FeatureConstants:
    """:class:`FeatureConstants` of the draw with frequency matrix ``omega`` (q, d)."""
    omega = np.asarray(omega, dtype=np.float64)
    if omega.ndim != 2 or omega.shape[0] < 1:
        raise ValueError(f"q: expected at least one random feature (omega of shape (q, d), q >= 1), got {omega.shape}")
    if not np.all(np.isfinite(omega)):
        raise ValueError("omega: contains NaN or infinite values")
    q = omega.shape[0]
    op = float(np.linalg.norm(omega, 2))
    return FeatureConstants(q, math.sqrt(2.0), math.sqrt(2.0 / q) * op)
