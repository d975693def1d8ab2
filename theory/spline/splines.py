"""Adapted smoothing splines: the infinite-width limit of ridge regression on a random-first-layer ReLU
network (Heiss, Teichmann & Wutte, arXiv 1911.02903, Theorem 3.8; docs/spline.md).

The randomised shallow network ``N_w(x) = Σ_k w_k ρ(b_k + v_k x)`` with i.i.d. ``(v_k, b_k)`` and ridge
``min_w Σ_i (N_w(x_i) − y_i)² + λ̃ ‖w‖²``, ``λ̃ = λ n g(0)``, converges as ``n → ∞`` (in probability, in
``W^{1,∞}`` on compacts) to the **adapted spline**

.. math:: f^{*,λ}_{g,\\pm} = \\operatorname*{arg\\,min}_{f = f_+ + f_-}\\ \\sum_i (f(x_i) - y_i)^2
          + λ\\, g(0) \\Big( \\int \\frac{f_+''^2}{g_+} + \\int \\frac{f_-''^2}{g_-} \\Big),

``f₊`` vanishing at ``−∞`` and ``f₋`` at ``+∞`` (the neurons with ``v > 0`` and ``v < 0``), with the kink
weights ``g± `` of :mod:`theory.spline.kink_weight`. The minimiser is exact and piecewise-explicit:
``f = Σ_i α_i k(·, x_i)`` with the kernel of :class:`~theory.spline.kernels.SplitKernel`, so that

.. math:: f''(x) = g_+(x) \\sum_i α_i (x_i - x)_+ + g_-(x) \\sum_i α_i (x - x_i)_+ ,

i.e. ``f''/g±`` is piecewise linear with knots at the data, and ``(K + λ g(0) I) α = y``. For a constant
weight ``g ≡ g₀`` the same problem with the affine part unpenalised is the natural cubic smoothing spline:
``adapted_spline(x, y, λ, g₀)`` equals ``scipy.interpolate.make_smoothing_spline(x, y, lam=λ)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from theory.spline.kink_weight import KinkWeight, kink_moments, kink_weight, kink_weights

__all__ = ["KernelExpansion", "KinkWeight", "adapted_spline", "check_data", "check_lambda", "early_stopping_spline",
           "gd_dual", "kernel_ridge", "kink_weight", "kink_weights", "single_spline", "spline_kernel"]
from theory.spline.rf_law import kink_breakpoints, kink_scale
from theory.spline.kernels import CubicKernel, SingleKernel, SplitKernel


def check_data(x, y, name_x: str = "x", name_y: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """Sorted float arrays ``(x, y)``; ``ValueError`` naming the argument for bad data."""
    try:
        xa = np.asarray(x, dtype=float).ravel()
        ya = np.asarray(y, dtype=float).ravel()
    except (TypeError, ValueError):
        raise ValueError(f"{name_x}, {name_y}: expected sequences of real numbers") from None
    if xa.size != ya.size:
        raise ValueError(f"{name_y}: expected as many values as {name_x} ({xa.size}), got {ya.size}")
    if xa.size < 2:
        raise ValueError(f"{name_x}: expected at least 2 data points, got {xa.size}")
    for name, arr in ((name_x, xa), (name_y, ya)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: expected finite numbers, got NaN or inf")
    order = np.argsort(xa, kind="stable")
    xa, ya = xa[order], ya[order]
    if np.any(np.diff(xa) == 0):
        raise ValueError(f"{name_x}: expected distinct data points, got a repeated value")
    return xa, ya


def check_lambda(lam, name: str = "lam") -> float:
    try:
        val = float(lam)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a positive number, got {lam!r}") from None
    if not np.isfinite(val) or val <= 0:
        raise ValueError(f"{name}: expected a positive finite number, got {lam!r}")
    return val


@dataclass(frozen=True)
class KernelExpansion:
    """``f(t) = Σ_i coef_i ∂^order k(t, knots_i) + Σ_j null_coef_j ∂^order t^j`` for a spline kernel
    (``order`` 0, 1 or 2: the function and its first two derivatives)."""

    knots: np.ndarray
    coef: np.ndarray
    null_coef: np.ndarray
    kernel: Any
    order: int = 0

    def __call__(self, t) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        flat = t.ravel()
        out = self.kernel.matrix(flat, self.knots, self.order) @ self.coef
        for j, c in enumerate(self.null_coef):  # ∂^order t^j
            if j >= self.order:
                out = out + c * (np.prod(np.arange(j, j - self.order, -1)) if self.order else 1.0) * flat ** (j - self.order)
        return out.reshape(t.shape)

    def derivative(self, k: int = 1) -> "KernelExpansion":
        """The ``k``-th derivative (total order at most 2: the functions are C¹ with a piecewise-smooth
        second derivative ``f'' = g₊ h₊ + g₋ h₋``, ``h±`` piecewise linear)."""
        if k < 0 or self.order + k > 2:
            raise ValueError(f"k: expected 0 ≤ order + k ≤ 2, got order {self.order} + k = {k}")
        return KernelExpansion(self.knots, self.coef, self.null_coef, self.kernel, self.order + k)

    def rkhs_norm2(self) -> float:
        """``αᵀ K α``: the curvature penalty of the expansion (``∫ f₊''²/g₊ + ∫ f₋''²/g₋`` for the split
        kernel, ``∫ f''²/g₀`` for the cubic one)."""
        K = self.kernel.matrix(self.knots, self.knots, 0)
        return float(self.coef @ K @ self.coef)


def _null_basis(x: np.ndarray, degree: int) -> np.ndarray:
    return np.vander(x, degree + 1, increasing=True) if degree >= 0 else np.zeros((x.size, 0))


def kernel_ridge(x: np.ndarray, y: np.ndarray, mu: float, kernel) -> KernelExpansion:
    """``min_f Σ (f(x_i) − y_i)² + μ ‖f‖²`` over kernel expansion plus unpenalised polynomials of degree
    ``kernel.null_degree``: ``[[K + μI, P], [Pᵀ, 0]] [α; c] = [y; 0]``."""
    K = kernel.matrix(x, x, 0)
    P = _null_basis(x, kernel.null_degree)
    n, q = x.size, P.shape[1]
    M = np.zeros((n + q, n + q))
    M[:n, :n] = K + mu * np.eye(n)
    M[:n, n:] = P
    M[n:, :n] = P.T
    sol = np.linalg.solve(M, np.concatenate([y, np.zeros(q)]))
    return KernelExpansion(x, sol[:n], sol[n:], kernel)


def _value_at_zero(g: sp.Expr, sym: sp.Symbol) -> float:
    """``g(0)``: the value of ``g`` at 0 where it is defined there (``kink_weight`` gives ``Piecewise((g(0),
    Eq(x, 0)), …)``), else the limit ``x → 0`` of a closed form valid for ``x ≠ 0``."""
    try:
        at0 = g.subs(sym, 0)
    except (TypeError, ValueError):  # e.g. "The argument 'zoo' is not comparable" inside a Piecewise
        at0 = sp.nan
    if at0.is_number and at0.is_finite and at0.is_real:
        return float(at0)
    return float(sp.limit(g, sym, 0))


def _weight_kernel(g, kind: str, factor=None):
    """(kernel, g(0)) for ``g`` given as a :class:`KinkWeight`, a SymPy expression of one symbol, or a
    constant; ``kind`` is ``"split"`` (the paper), ``"single"`` (the mutant). ``factor``: a positive
    function ``m`` with ``m(0) = 1`` multiplying both halves, ``g± ↦ g±·m`` (a deformed kink weight, for
    power analyses; ``g(0)`` unchanged)."""
    if isinstance(g, (int, float, np.floating, np.integer)) or (isinstance(g, sp.Expr) and not g.free_symbols):
        g0 = float(g)
        if not np.isfinite(g0) or g0 <= 0:
            raise ValueError(f"g: expected a positive constant weight, got {g!r}")
        return CubicKernel(g0), g0
    scale, breaks, totals = 1.0, (0.0,), None
    if isinstance(g, KinkWeight):
        gp, gm, g0 = g.numeric()
        scale, breaks = kink_scale(g.law), tuple(kink_breakpoints(g.law))
        if factor is None:  # the kernel's kink moments must total the law's (a deformed weight does not)
            totals = kink_moments(g.law)
    elif isinstance(g, sp.Expr):
        (sym,) = g.free_symbols if len(g.free_symbols) == 1 else (None,)
        if sym is None:
            raise ValueError(f"g: expected an expression in one variable, got free symbols {g.free_symbols}")
        f = sp.lambdify(sym, g, modules=["numpy", "scipy"])
        g0 = _value_at_zero(g, sym)
        half = lambda t: 0.5 * np.asarray(f(np.asarray(t, float)), float) * np.ones_like(np.asarray(t, float))  # noqa: E731
        gp = gm = half  # a single weight: the symmetric split g₊ = g₋ = g/2
    else:
        raise ValueError(f"g: expected a KinkWeight, a SymPy expression in x, or a positive constant, got {g!r}")
    if not np.isfinite(g0) or g0 <= 0:
        raise ValueError(f"g: g(0) must be positive and finite (the scaling λ̃ = λ n g(0)), got {g0}")
    if factor is not None:
        gp0, gm0 = gp, gm
        gp = lambda t: gp0(t) * factor(np.asarray(t, float))  # noqa: E731
        gm = lambda t: gm0(t) * factor(np.asarray(t, float))  # noqa: E731
    if kind == "single":
        both = None if totals is None else tuple(a + b for a, b in zip(*totals))
        return SingleKernel(lambda t: gp(t) + gm(t), scale, breaks, totals=both), g0
    return SplitKernel(gp, gm, scale, breaks, totals=totals), g0


def spline_kernel(g):
    """The reproducing kernel of the adapted-spline penalty for the weight ``g`` (a :class:`KinkWeight`, an
    expression, or a constant): ``spline_kernel(g).matrix(xs, knots, order)`` is ``∂_x^order k(xs, knots)``."""
    return _weight_kernel(g, "split")[0]


def adapted_spline(x, y, lam, g, factor=None) -> KernelExpansion:
    """The adapted spline ``f^{*,λ}_{g,±}`` of Heiss–Teichmann–Wutte (arXiv 1911.02903, Theorem 3.8):

    .. math:: \\min_{f = f_+ + f_-} \\sum_i (f(x_i)-y_i)^2 + λ g(0)\\Big(\\int \\frac{f_+''^2}{g_+} +
              \\int \\frac{f_-''^2}{g_-}\\Big)

    over ``f₊`` vanishing at ``−∞`` and ``f₋`` at ``+∞`` (the admissible set of the random-feature model
    ``Σ_k w_k ρ(b_k + v_k x)``: no unpenalised part). Exact: ``f = Σ α_i k(·, x_i)``, ``f''/g±`` piecewise
    linear in the data. The slopes at infinity are ``f'(+∞) = Σ_i α_i E[v ρ(v x_i + b); v > 0]`` and
    ``f'(−∞) = Σ_i α_i E[v ρ(v x_i + b); v < 0]``; for a law symmetric under ``(v,b) ↦ (−v,−b)`` their sum is
    ``½ E[v²] Σ_i α_i x_i``, so the slope condition ``f'(−∞) + f'(+∞) = 0`` holds only when
    ``Σ α_i x_i = 0`` (as with an unpenalised linear term), not in general.

    Parameters
    ----------
    x, y : data, at least two distinct finite points.
    lam : λ > 0. The trained network with ``λ̃ = λ n g(0)`` converges to this spline.
    g : a :class:`~theory.spline.kink_weight.KinkWeight` (``g₊``, ``g₋`` of a law), a SymPy expression in one
        variable (a weight ``g`` split symmetrically, ``g₊ = g₋ = g/2``), or a positive constant ``g₀``
        (the natural cubic smoothing spline: affine part unpenalised, penalty ``λ ∫ f''²``, the same as
        ``scipy.interpolate.make_smoothing_spline(x, y, lam=λ)``).

    factor : optional positive function ``m`` (``m(0) = 1``): the spline for the deformed weights
        ``g±·m`` (a perturbed theory, for power analyses), computed through the same split kernel.

    Returns
    -------
    A callable :class:`KernelExpansion` with ``.derivative(k)``.
    """
    xa, ya = check_data(x, y)
    lam = check_lambda(lam)
    kernel, g0 = _weight_kernel(g, "split", factor)
    return kernel_ridge(xa, ya, lam * g0, kernel)


def single_spline(x, y, lam, g) -> KernelExpansion:
    """A *wrong* reading of the theorem, kept as the natural mutant (docs/spline.md): one spline with weight
    ``g = g₊ + g₋``, penalty ``λ g(0) ∫ f''²/g`` and only the slope condition ``f'(−∞) + f'(+∞) = 0``
    (constants unpenalised). It is *not* the limit of the network."""
    xa, ya = check_data(x, y)
    lam = check_lambda(lam)
    kernel, g0 = _weight_kernel(g, "single")
    # ∫ f''²/g = 2 βᵀ K β for f = c + Σ β_i k(·, x_i) with this kernel: the penalty λ g(0) ∫ f''²/g
    return kernel_ridge(xa, ya, 2 * lam * g0, kernel)


def early_stopping_spline(x, y, g, step: float, steps: int, factor=None) -> KernelExpansion:
    """The infinite-width limit of gradient descent on the output weights from ``w = 0`` (docs/spline.md,
    early stopping): ``steps`` steps of size ``η`` on ``Σ_i (N_w(x_i) − y_i)²`` with ``2ηn = step`` give
    the dual iterates ``α ← α − step (K α − y)``, i.e. ``α_k = K^{-1}(I − (I − step·K)^k) y``; the limit is
    the expansion ``Σ α_i k(·, x_i)`` in the adapted-spline kernel (same knots, ``f''/g±`` piecewise linear).
    ``factor`` deforms the weights as in :func:`adapted_spline`."""
    xa, ya = check_data(x, y)
    kernel, _ = _weight_kernel(g, "split", factor)
    if not isinstance(kernel, SplitKernel):
        raise ValueError("g: early stopping needs the kink weights of a law (a KinkWeight or an expression)")
    K = kernel.matrix(xa, xa, 0)
    alpha = gd_dual(K, ya, step, steps)
    return KernelExpansion(xa, alpha, np.zeros(0), kernel)


def gd_dual(K: np.ndarray, y: np.ndarray, step: float, steps: int) -> np.ndarray:
    """``steps`` iterations of ``α ← α − step (K α − y)`` from 0 (gradient descent on the output weights
    in dual form); ``ValueError`` above the stability limit ``step < 2/λ_max(K)``."""
    step = check_lambda(step, "step")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps: expected a non-negative integer, got {steps!r}")
    lmax = float(np.linalg.eigvalsh(K)[-1])
    if step * lmax >= 2:
        raise ValueError(f"step: {step:g} is above the stability limit 2/λ_max = {2 / lmax:g}")
    alpha = np.zeros_like(y)
    for _ in range(int(steps)):
        alpha = alpha - step * (K @ alpha - y)
    return alpha
