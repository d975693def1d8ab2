"""The width-``n`` random-feature network of Heiss, Teichmann & Wutte (arXiv 1911.02903) trained with a
general convex loss and ridge on the output layer (docs/spline.md, section "General losses"):

.. math:: \\min_w \\sum_i ℓ(N_w(x_i), y_i) + λ̃ \\|w\\|^2, \\qquad N_w(x) = \\sum_k w_k ρ(b_k + v_k x).

The stationarity condition ``Φᵀ ℓ'(Φw) + 2λ̃ w = 0`` puts ``w`` in the row space, ``w = (1/n) Φᵀ α``, and
then ``N_w = K̂ α`` on the data with the empirical kernel ``K̂ = ΦΦᵀ/n``: the fit is the dual problem

.. math:: ℓ'(K̂ α, y) + 2 (λ̃/n)\\, α = 0 ,

``N`` unknowns for ``N`` data points, whatever ``n``. ``K̂`` and ``N_w``, ``N_w'`` on a grid come from the
cumulative kink moments of :func:`numerics.spline.random_features.kernel_table` (one pass over the neurons,
no ``n × N`` features); the dual problem is solved here by Newton's method (each step a weighted ridge
solve, ``(D K̂ + 2μ I) Δ = −F``, ``D = diag ℓ''``: iteratively reweighted least squares), damped by Armijo
backtracking on the dual objective ``Σ ℓ(K̂α) + μ αᵀK̂α`` and replaced by the majorising IRLS step
(weights ``2 min(1, δ/|r|)`` for Huber, ``1/4`` for logistic) where Newton's step does not decrease it.
It stops at the round-off floor of the residual ``‖F‖_∞`` (as :func:`theory.spline.general_loss.newton_coefficients`).

Losses (codes of the kernels): 0 ``square`` ``(f − y)²``; 1 ``huber`` ``r²`` for ``|r| ≤ δ``, ``2δ|r| − δ²``
beyond; 2 ``logistic`` ``log(1 + e^{−y f})`` for labels ``±1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from numerics.common.checks import as_vector, positive
from numerics.spline.random_features import KernelTable, _data, _hidden, kernel_table

#: loss name -> kernel code
LOSS_CODES = {"square": 0, "huber": 1, "logistic": 2}
MAX_NEWTON = 200


@njit(cache=True)
def _value(code, delta, f, y):
    if code == 0:
        return (f - y) ** 2
    if code == 1:
        r = abs(f - y)
        return r * r if r <= delta else 2.0 * delta * r - delta * delta
    z = -y * f  # log(1 + e^z), stable
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


@njit(cache=True)
def _d1(code, delta, f, y):
    if code == 0:
        return 2.0 * (f - y)
    if code == 1:
        return 2.0 * min(max(f - y, -delta), delta)
    return -y / (1.0 + math.exp(y * f))


@njit(cache=True)
def _d2(code, delta, f, y):
    if code == 0:
        return 2.0
    if code == 1:
        return 2.0 if abs(f - y) < delta else 0.0
    z = math.exp(-abs(y * f))
    return z / (1.0 + z) ** 2


@njit(cache=True)
def _majorant(code, delta, f, y):
    if code == 0:
        return 2.0
    if code == 1:
        return 2.0 * min(1.0, delta / max(abs(f - y), 1e-300))
    return 0.25


@njit(cache=True)
def _objective(K, a, y, mu, code, delta):
    f = K @ a
    s = 0.0
    for i in range(y.shape[0]):
        s += _value(code, delta, f[i], y[i])
    return s + mu * (a @ f)


@njit(cache=True)
def _residual(K, a, y, mu, code, delta):
    f = K @ a
    F = np.empty(y.shape[0])
    for i in range(y.shape[0]):
        F[i] = _d1(code, delta, f[i], y[i]) + 2.0 * mu * a[i]
    return f, F


@njit(cache=True)
def _weighted_step(K, D, mu, F):
    N = F.shape[0]
    M = np.empty((N, N))
    for i in range(N):
        for j in range(N):
            M[i, j] = D[i] * K[i, j]
        M[i, i] += 2.0 * mu
    return np.linalg.solve(M, -F)


@njit(cache=True)
def _newton_dual(K, y, mu, code, delta, maxit):
    """Damped Newton / IRLS for ``ℓ'(Kα, y) + 2μα = 0`` from ``α = 0``: ``(α, iterations, ‖F‖_∞)``;
    ``iterations = -1`` when ``maxit`` steps did not reach the round-off floor."""
    N = y.shape[0]
    a = np.zeros(N)
    f, F = _residual(K, a, y, mu, code, delta)
    eps = np.finfo(np.float64).eps
    best = np.inf
    best_a = a.copy()
    stalled = 0
    kmax = np.max(np.abs(K))
    for it in range(1, maxit + 1):
        J0 = _objective(K, a, y, mu, code, delta)
        grad = K @ F
        D = np.empty(N)
        for i in range(N):
            D[i] = _d2(code, delta, f[i], y[i])
        da = _weighted_step(K, D, mu, F)
        slope = grad @ da
        t = 1.0
        ok = False
        while t >= 2.0 ** -10:
            if _objective(K, a + t * da, y, mu, code, delta) <= J0 + 1e-4 * t * slope + 1e-15 * abs(J0):
                ok = True
                break
            t *= 0.5
        if not ok:  # the majorising IRLS step: decreases the objective at full length
            for i in range(N):
                D[i] = _majorant(code, delta, f[i], y[i])
            da = _weighted_step(K, D, mu, F)
            t = 1.0
        a = a + t * da
        f, F = _residual(K, a, y, mu, code, delta)
        res = np.max(np.abs(F))
        dmax = 0.0
        gmax = 0.0
        for i in range(N):
            dmax = max(dmax, _d2(code, delta, f[i], y[i]))
            gmax = max(gmax, abs(_d1(code, delta, f[i], y[i])))
        amax = np.max(np.abs(a))
        scale = dmax * kmax * amax + gmax + 2.0 * mu * amax + 1e-300
        if res <= 64.0 * eps * scale:
            return a, it, res
        if res < best:  # the round-off floor: three full steps without a new best end at the best iterate
            best = res
            best_a = a.copy()
            stalled = 0
        elif t == 1.0:
            stalled += 1
            if stalled >= 3 and best <= 1e-8 * scale:
                return best_a, it, best
    return a, -1, np.max(np.abs(F))


def loss_code(loss, delta, y) -> tuple[int, float]:
    """``(code, δ)`` of a loss name; ``ValueError`` naming ``loss``, ``delta`` or ``y`` (labels ±1)."""
    if not isinstance(loss, str) or loss not in LOSS_CODES:
        raise ValueError(f"loss: expected one of {', '.join(LOSS_CODES)}, got {loss!r}")
    delta = positive("delta", delta)
    if loss == "logistic" and not np.all(np.abs(y) == 1.0):
        raise ValueError(f"y: the logistic loss expects labels ±1, got {np.asarray(y).tolist()}")
    return LOSS_CODES[loss], delta


@dataclass(frozen=True)
class LossFit:
    """The network trained with loss ``ℓ`` and ridge ``λ̃``: dual coefficients ``α`` (``w = (1/n) Φᵀ α``),
    ``N_w`` and ``N_w'`` on the grid, Newton iterations and the final residual ``‖F‖_∞``."""

    table: KernelTable
    lam_tilde: float
    alpha: np.ndarray
    values: np.ndarray
    derivative: np.ndarray
    iterations: int
    residual: float


def solve_dual(K, y, mu, loss="huber", delta=1.0) -> tuple[np.ndarray, int, float]:
    """``(α, iterations, ‖F‖_∞)`` for ``ℓ'(Kα, y) + 2μα = 0`` (a positive semi-definite ``K``)."""
    yy = as_vector("y", y, flatten=True)
    KK = np.ascontiguousarray(np.asarray(K, dtype=float))
    if KK.shape != (yy.size, yy.size) or not np.all(np.isfinite(KK)):
        raise ValueError(f"K: expected a finite {yy.size} × {yy.size} matrix, got shape {KK.shape}")
    code, d = loss_code(loss, delta, yy)
    mu = positive("mu", mu)
    a, it, res = _newton_dual(KK, yy, mu, code, d, MAX_NEWTON)
    if it < 0:
        raise ValueError(f"loss: Newton did not converge in {MAX_NEWTON} steps (residual {res:.3g})")
    return a, int(it), float(res)


def fit_loss(v, b, x, y, lam_tilde, grid, loss="huber", delta=1.0) -> LossFit:
    """Fit the output layer of the width-``n`` network (``n = len(v)``) with loss ``ℓ`` and ridge
    ``λ̃ ‖w‖²``, and evaluate ``N_w``, ``N_w'`` on ``grid`` (in the order given)."""
    lam_tilde = positive("lam_tilde", lam_tilde)
    xs, ys = _data(x, y)
    loss_code(loss, delta, ys)
    table = kernel_table(v, b, xs, ys, grid)
    alpha, it, res = solve_dual(table.gram(), table.y, lam_tilde / table.n, loss, delta)
    f, df = table.expand(alpha)
    return LossFit(table, lam_tilde, alpha, f, df, it, res)


# ----------------------------------------------------------------------------------------------------
# plain NumPy references (tests and benchmarks)
# ----------------------------------------------------------------------------------------------------
def _np_loss(loss, delta):
    """``(ℓ, ℓ', ℓ'')`` vectorised in NumPy."""
    if loss == "square":
        return lambda f, y: (f - y) ** 2, lambda f, y: 2 * (f - y), lambda f, y: np.full(f.shape, 2.0)
    if loss == "huber":
        return (lambda f, y: np.where(np.abs(f - y) <= delta, (f - y) ** 2, 2 * delta * np.abs(f - y) - delta**2),
                lambda f, y: 2 * np.clip(f - y, -delta, delta),
                lambda f, y: np.where(np.abs(f - y) < delta, 2.0, 0.0))
    return (lambda f, y: np.logaddexp(0.0, -y * f), lambda f, y: -y / (1 + np.exp(y * f)),
            lambda f, y: np.exp(-np.abs(y * f)) / (1 + np.exp(-np.abs(y * f))) ** 2)


def _halving(objective, x, step) -> np.ndarray:
    """``x + t·step`` with the largest ``t = 2^{-j}`` (``j ≤ 60``) that does not increase ``objective``."""
    J0 = objective(x)
    t = 1.0
    for _ in range(61):
        if objective(x + t * step) <= J0:
            return x + t * step
        t *= 0.5
    return x


def fit_loss_dense(v, b, x, y, lam_tilde, grid, loss="huber", delta=1.0, chunk: int = 1 << 16,
                   iterations: int = 60):
    """The textbook fit: the ``N × n`` feature matrix, ``K̂ = ΦΦᵀ/n`` by BLAS, Newton on the dual with step
    halving (``iterations`` steps), ``w = Φᵀα/n``, then ``N_w`` and
    ``N_w'`` on the grid in chunks of neurons. Returns ``(alpha, values, derivative, w)``."""
    vv, bb = _hidden(v, b)
    xs, ys = _data(x, y)
    gs = as_vector("grid", grid, flatten=True)
    loss_code(loss, delta, ys)
    l0, d1, d2 = _np_loss(loss, delta)
    n = vv.size
    Phi = np.maximum(np.outer(xs, vv) + bb, 0.0)
    K = Phi @ Phi.T / n
    mu = lam_tilde / n
    a = np.zeros(xs.size)
    for _ in range(iterations):
        f = K @ a
        F = d1(f, ys) + 2 * mu * a
        step = np.linalg.solve(d2(f, ys)[:, None] * K + 2 * mu * np.eye(xs.size), -F)
        a = _halving(lambda c: np.sum(l0(K @ c, ys)) + mu * c @ K @ c, a, step)
    w = Phi.T @ a / n
    f = np.zeros(gs.size)
    df = np.zeros(gs.size)
    for s in range(0, n, chunk):
        z = np.outer(gs, vv[s:s + chunk]) + bb[s:s + chunk]
        act = z > 0
        f += np.where(act, z, 0.0) @ w[s:s + chunk]
        df += act.astype(float) @ (w[s:s + chunk] * vv[s:s + chunk])  # a float matrix: BLAS, not a bool loop
    return a, f, df, w


def fit_loss_primal(v, b, x, y, lam_tilde, loss="huber", delta=1.0, iterations: int = 60) -> np.ndarray:
    """The weights ``w ∈ ℝⁿ`` by Newton in weight space (``n × n`` Hessian ``ΦᵀDΦ + 2λ̃ I``, step halving;
    small ``n`` only): no representer theorem, no kernel — the reference that the dual route solves the network's
    own problem."""
    vv, bb = _hidden(v, b)
    xs, ys = _data(x, y)
    loss_code(loss, delta, ys)
    l0, d1, d2 = _np_loss(loss, delta)
    Phi = np.maximum(np.outer(xs, vv) + bb, 0.0)
    w = np.zeros(vv.size)
    for _ in range(iterations):
        f = Phi @ w
        grad = Phi.T @ d1(f, ys) + 2 * lam_tilde * w
        H = Phi.T @ (d2(f, ys)[:, None] * Phi) + 2 * lam_tilde * np.eye(vv.size)
        w = _halving(lambda u: np.sum(l0(Phi @ u, ys)) + lam_tilde * u @ u, w, -np.linalg.solve(H, grad))
    return w
