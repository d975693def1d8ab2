"""The adapted spline for a general convex loss (Heiss, Teichmann & Wutte, arXiv 1911.02903, Theorem 3.8,
stated there "for fairly general loss functionals"; docs/spline.md, section "General losses").

Ridge on the output layer of the random-feature network, ``min_w Σ_i ℓ(N_w(x_i), y_i) + λ̃ ‖w‖²`` with
``λ̃ = λ n g(0)``, is — by the representer theorem in weight space, ``w = (1/n) Φᵀ α`` — the kernel problem
``min_f Σ_i ℓ(f(x_i), y_i) + λ g(0) ‖f‖²`` in the empirical random-feature kernel (``‖w‖² = ‖f‖²_{k̂}/n``);
as ``n → ∞`` the kernel is the split kernel of :class:`theory.spline.kernels.SplitKernel`, whose squared
norm is ``∫ f₊''²/g₊ + ∫ f₋''²/g₋``. The limit is therefore

.. math:: f^{*,λ}_{ℓ,g,\\pm} = \\operatorname*{arg\\,min}_{f = f_+ + f_-}\\ \\sum_i ℓ(f(x_i), y_i)
          + λ\\, g(0) \\Big( \\int \\frac{f_+''^2}{g_+} + \\int \\frac{f_-''^2}{g_-} \\Big),

and the representer theorem makes it exact: ``f = Σ_i α_i k(·, x_i) (+ Σ_j c_j p_j`` for a kernel with an
unpenalised part), with the stationarity conditions (``μ = λ g(0)``, ``ℓ'`` the derivative in ``f``)

.. math:: F(α, c) = \\big(ℓ'(Kα + Pc, y) + 2 μ α,\\ Pᵀ α\\big) = 0 .

``F`` is the gradient of the convex objective ``J(α, c) = Σ ℓ((Kα + Pc)_i, y_i) + μ αᵀKα`` premultiplied by
``K^{-1}``; Newton's step solves ``[[D K + 2μ I, D P], [Pᵀ, 0]] Δ = −F`` with ``D = diag ℓ''`` — for the
square loss ``ℓ = (f − y)²`` one step from 0 gives ``(K + μ I) α + P c = y``, the least-squares adapted spline
of :func:`theory.spline.splines.adapted_spline`. The step is damped by backtracking on ``J`` (Armijo), which
makes the iteration globally convergent for every convex ``C¹`` loss with a Lipschitz derivative (the
Huber loss: a semismooth Newton step, exact once the set ``|r_i| ≤ δ`` is found); convergence is quadratic
near the solution.

Round-off: the iteration stops when ``‖F‖_∞ ≤ 64 ε_mach (‖D K‖ ‖α‖ + ‖ℓ'‖ + 2μ‖α‖)``, or, where round-off
keeps it above that, after three full Newton steps without a new smallest residual (the floor reached;
the best iterate is returned), so the computed ``α`` is the exact
solution for a kernel matrix perturbed by ``O(ε_mach)``: its error is ``≤ κ(J_F)·(δK + ε_mach)`` relative,
``κ(J_F)`` the condition number of the Newton matrix, ``δK ≈ 1e-13`` the relative quadrature error of the
kernel (:mod:`theory.spline.kernels`). With ``dps`` the same Newton iteration runs in mpmath at ``dps``
digits on the given matrix (a reference for the float64 iteration).

Losses (:class:`Loss`): ``square`` ``(f − y)²`` (the least-squares adapted spline); ``huber`` with parameter
``δ``: ``r²`` for ``|r| ≤ δ`` and ``2δ|r| − δ²`` beyond (``r = f − y``; the square loss for small residuals,
so the least-squares spline is the limit ``δ → ∞``); ``logistic`` for labels ``y = ±1``:
``log(1 + e^{−y f})``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import mpmath as mp
import numpy as np

from theory.spline.splines import KernelExpansion, _null_basis, _weight_kernel, check_data, check_lambda

__all__ = ["LOSSES", "Loss", "loss_spline", "newton_coefficients"]

#: the losses by name (the parameter is Huber's δ; the others take none)
LOSSES = ("square", "huber", "logistic")
#: Newton iterations at most (quadratic convergence needs ~10 from 0 for the settings here)
MAX_NEWTON = 200


@dataclass(frozen=True)
class Loss:
    """A convex loss ``ℓ(f, y)`` with its first two derivatives in ``f`` (NumPy arrays or mpmath scalars)."""

    name: str
    delta: float = 1.0

    def __post_init__(self) -> None:
        if self.name not in LOSSES:
            raise ValueError(f"loss: expected one of {', '.join(LOSSES)}, got {self.name!r}")
        d = self.delta
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, numbers.Real) or not math.isfinite(d) or d <= 0:
            raise ValueError(f"delta: expected a positive finite number, got {d!r}")
        object.__setattr__(self, "delta", float(d))

    def check_labels(self, y: np.ndarray, name: str = "y") -> None:
        if self.name == "logistic" and not np.all(np.abs(np.asarray(y, float)) == 1.0):
            raise ValueError(f"{name}: the logistic loss expects labels ±1, got {np.asarray(y).tolist()}")

    # -- float64, vectorised ---------------------------------------------------------------------------
    def value(self, f, y) -> np.ndarray:
        f, y = np.asarray(f, float), np.asarray(y, float)
        if self.name == "square":
            return (f - y) ** 2
        if self.name == "huber":
            r = np.abs(f - y)
            return np.where(r <= self.delta, r * r, 2 * self.delta * r - self.delta**2)
        return np.logaddexp(0.0, -y * f)

    def d1(self, f, y) -> np.ndarray:
        f, y = np.asarray(f, float), np.asarray(y, float)
        if self.name == "square":
            return 2 * (f - y)
        if self.name == "huber":
            return 2 * np.clip(f - y, -self.delta, self.delta)
        return -y / (1.0 + np.exp(y * f))  # −y σ(−y f)

    def d2(self, f, y) -> np.ndarray:
        f, y = np.asarray(f, float), np.asarray(y, float)
        if self.name == "square":
            return np.full(f.shape, 2.0)
        if self.name == "huber":
            return np.where(np.abs(f - y) < self.delta, 2.0, 0.0)
        z = np.exp(-np.abs(y * f))
        return z / (1.0 + z) ** 2  # σ(yf) σ(−yf)

    def majorant(self, f, y) -> np.ndarray:
        """A curvature ``c_i ≥ ℓ''`` whose quadratic ``ℓ(f_i) + ℓ'(f_i) h + c_i h²/2`` majorises ``ℓ(f_i + h)``
        (the IRLS weights): 2 (square); ``2 min(1, δ/|r|)`` (Huber); ``1/4`` (logistic, ``σ(1 − σ) ≤ 1/4``)."""
        f, y = np.asarray(f, float), np.asarray(y, float)
        if self.name == "square":
            return np.full(f.shape, 2.0)
        if self.name == "huber":
            r = np.abs(f - y)
            return 2.0 * np.minimum(1.0, self.delta / np.maximum(r, 1e-300))
        return np.full(f.shape, 0.25)

    # -- mpmath, one entry ------------------------------------------------------------------------------
    def mp_value(self, f, y):
        if self.name == "square":
            return (f - y) ** 2
        if self.name == "huber":
            r = abs(f - y)
            return r * r if r <= self.delta else 2 * self.delta * r - mp.mpf(self.delta) ** 2
        return mp.log1p(mp.exp(-y * f))

    def mp_d1(self, f, y):
        if self.name == "square":
            return 2 * (f - y)
        if self.name == "huber":
            return 2 * min(max(f - y, -mp.mpf(self.delta)), mp.mpf(self.delta))
        return -y / (1 + mp.exp(y * f))

    def mp_d2(self, f, y):
        if self.name == "square":
            return mp.mpf(2)
        if self.name == "huber":
            return mp.mpf(2) if abs(f - y) < self.delta else mp.mpf(0)
        z = mp.exp(-abs(y * f))
        return z / (1 + z) ** 2


def _as_loss(loss, delta) -> Loss:
    if isinstance(loss, Loss):
        return loss
    if not isinstance(loss, str):
        raise ValueError(f"loss: expected a loss name ({', '.join(LOSSES)}) or a Loss, got {loss!r}")
    return Loss(loss, 1.0 if delta is None else delta)


def newton_coefficients(K, P, y, mu, loss: Loss, dps: int | None = None):
    """``(α, c, iterations)`` solving ``ℓ'(Kα + Pc, y) + 2μα = 0``, ``Pᵀα = 0`` by damped Newton from 0.

    float64 (``dps=None``): stops at the round-off floor of ``‖F‖`` (module docstring); mpmath (``dps``):
    the same iteration at ``dps`` digits on the given matrices, stopped at ``‖F‖ ≤ 10^{−dps+5}``.
    ``ValueError`` if the iteration does not converge in ``MAX_NEWTON`` steps."""
    mu = check_lambda(mu, "mu")
    if dps is not None:
        with mp.workdps(int(dps)):
            return _newton_mp(K, P, y, mu, loss, int(dps))
    K = np.asarray(K, float)
    P = np.asarray(P, float).reshape(K.shape[0], -1)
    y = np.asarray(y, float)
    N, q = K.shape[0], P.shape[1]

    def parts(a, c):
        f = K @ a + P @ c
        return f, np.concatenate([loss.d1(f, y) + 2 * mu * a, P.T @ a])

    def objective(a, c):
        return float(np.sum(loss.value(K @ a + P @ c, y)) + mu * a @ K @ a)

    def step_with(D, a, c, F):
        M = np.zeros((N + q, N + q))
        M[:N, :N] = D[:, None] * K + 2 * mu * np.eye(N)
        M[:N, N:] = D[:, None] * P
        M[N:, :N] = P.T
        try:
            s = np.linalg.solve(M, -F)
        except np.linalg.LinAlgError:
            return None
        return (s[:N], s[N:]) if np.all(np.isfinite(s)) else None

    a, c = np.zeros(N), np.zeros(q)
    f, F = parts(a, c)
    best, best_ac, stalled = np.inf, (a, c), 0
    for it in range(1, MAX_NEWTON + 1):
        # Newton's step, damped by Armijo backtracking on J (a descent direction: J's gradient is K·F and its
        # Hessian K(DK + 2μI) on Pᵀα = 0); where it fails (ℓ'' = 0 beyond Huber's δ can make the Newton
        # matrix singular with an unpenalised part) the IRLS step with the majorising weights, which
        # decreases J at full length. Near the solution Newton's step is taken: quadratic convergence.
        J0 = objective(a, c)
        gradient = (K @ F[:N], P.T @ loss.d1(f, y))
        accepted = False
        newton = step_with(loss.d2(f, y), a, c, F)
        if newton is not None:
            da, dc = newton
            slope = float(gradient[0] @ da + gradient[1] @ dc)
            t = 1.0
            while t >= 2.0**-10:
                if objective(a + t * da, c + t * dc) <= J0 + 1e-4 * t * slope + 1e-15 * abs(J0):
                    accepted = True
                    break
                t *= 0.5
        if not accepted:
            da, dc = step_with(loss.majorant(f, y), a, c, F)
            t = 1.0
        a, c = a + t * da, c + t * dc
        f, F = parts(a, c)
        res = float(np.max(np.abs(F)))
        scale = float(np.max(np.abs(loss.d2(f, y)[:, None] * K)) * np.max(np.abs(a))
                      + np.max(np.abs(loss.d1(f, y))) + 2 * mu * np.max(np.abs(a))) + 1e-300
        if res <= 64 * np.finfo(float).eps * scale:
            return a, c, it
        # at the round-off floor the residual stops decreasing: three full steps without a new best
        # residual end the iteration at the best iterate
        if res < best:
            best, best_ac, stalled = res, (a, c), 0
        elif t == 1.0:
            stalled += 1
            if stalled >= 3 and best <= 1e-8 * scale:
                return best_ac[0], best_ac[1], it
    raise ValueError(f"loss: Newton did not converge in {MAX_NEWTON} steps (residual {res:.3g})")


def _newton_mp(K, P, y, mu, loss: Loss, dps: int):
    Km = mp.matrix([[mp.mpf(v) for v in row] for row in np.asarray(K, float)]) if not isinstance(K, mp.matrix) else K
    N = Km.rows
    Pa = np.asarray(P, float).reshape(N, -1)
    q = Pa.shape[1]
    Pm = mp.matrix([[mp.mpf(v) for v in row] for row in Pa]) if q else None
    ym = [mp.mpf(v) for v in np.asarray(y, float)]
    mu = mp.mpf(mu)
    a = mp.matrix(N, 1)
    c = mp.matrix(q, 1) if q else None
    tol = mp.mpf(10) ** (-dps + 5)

    def fvals(a, c):
        f = Km * a
        if q:
            f += Pm * c
        return f

    def obj(a, c):
        f = fvals(a, c)
        return mp.fsum(loss.mp_value(f[i], ym[i]) for i in range(N)) + mu * (a.T * Km * a)[0]

    for it in range(1, MAX_NEWTON + 1):
        f = fvals(a, c)
        F = mp.matrix(N + q, 1)
        for i in range(N):
            F[i] = loss.mp_d1(f[i], ym[i]) + 2 * mu * a[i]
        for j in range(q):
            F[N + j] = mp.fsum(Pm[i, j] * a[i] for i in range(N))
        if mp.norm(F, mp.inf) <= tol:
            return (np.array([a[i] for i in range(N)], dtype=object),
                    np.array([c[j] for j in range(q)], dtype=object), it)
        M = mp.matrix(N + q, N + q)
        for i in range(N):
            d = loss.mp_d2(f[i], ym[i])
            for j in range(N):
                M[i, j] = d * Km[i, j] + (2 * mu if i == j else 0)
            for j in range(q):
                M[i, N + j] = d * Pm[i, j]
                M[N + j, i] = Pm[i, j]
        step = mp.lu_solve(M, -F)
        da = mp.matrix([step[i] for i in range(N)])
        dc = mp.matrix([step[N + j] for j in range(q)]) if q else None
        J0, t = obj(a, c), mp.mpf(1)
        while t > mp.mpf(10) ** (-30) and obj(a + t * da, (c + t * dc) if q else None) > J0:
            t /= 2
        a = a + t * da
        if q:
            c = c + t * dc
    raise ValueError(f"loss: mpmath Newton did not converge in {MAX_NEWTON} steps")


def loss_spline(x, y, lam, g, loss="huber", delta: float | None = None, factor=None,
                kernel=None) -> KernelExpansion:
    """The adapted spline for the loss ``ℓ``: the minimiser of
    ``Σ_i ℓ(f(x_i), y_i) + λ g(0)(∫ f₊''²/g₊ + ∫ f₋''²/g₋)`` (module docstring), exact through the
    representer theorem and Newton on the coefficients.

    Parameters
    ----------
    x, y : data (``y = ±1`` for the logistic loss).
    lam : λ > 0 (the network's ridge is ``λ̃ = λ n g(0)``).
    g : as in :func:`theory.spline.splines.adapted_spline`: a :class:`~theory.spline.kink_weight.KinkWeight`
        (the split kernel of the law), an expression, or a positive constant ``g₀`` (the cubic kernel with
        the affine part unpenalised: ``g`` taken constant, the natural mutant).
    loss : ``"square"``, ``"huber"`` or ``"logistic"`` (or a :class:`Loss`); ``delta`` Huber's δ.
    factor : the weight deformation ``g± ↦ g±·m`` of :func:`~theory.spline.splines.adapted_spline`.
    kernel : optional ``(kernel, g0)`` used instead of the one built from ``g`` (e.g. the random-feature
        kernel of the law, :class:`theory.spline.rf_kernel.RandomFeatureKernel`, with ``g0 = g(0)``).
    """
    xa, ya = check_data(x, y)
    lam = check_lambda(lam)
    ls = _as_loss(loss, delta)
    ls.check_labels(ya)
    kern, g0 = _weight_kernel(g, "split", factor) if kernel is None else kernel
    K = kern.matrix(xa, xa, 0)
    P = _null_basis(xa, kern.null_degree)
    alpha, c, _ = newton_coefficients(K, P, ya, lam * float(g0), ls)
    return KernelExpansion(xa, alpha, c, kern)

