"""Square-loss fits of 1-D shallow ReLU networks over the unrestricted and the restricted parametrization
(Berner, Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803, Section 3: optimizing over the restricted set
reaches what the unrestricted set reaches).

Both fits minimise ``L = (1/M) Σ_j (f(x_j) − y_j)²`` by full-batch Adam (Kingma & Ba 2015, default
moments ``β₁ = 0.9, β₂ = 0.999, ε = 1e-8``) with a cosine-decayed step:

- unrestricted: ``f(x) = e + Σ_i c_i ρ(a_i x + b_i)`` over ``(a, b, c, e) ∈ ℝ^{3N+1}``;
- restricted: ``f(x) = e + Σ_i J_i ρ(σ_i (x − t_i))`` with kinks ``t_i = l + (u − l) sigmoid(θ_i)`` in the
  open domain, fixed orientations ``σ_i = ±1`` and free jumps ``J_i``, over ``(θ, J, e)``. Every iterate is
  a restricted realization (kinks inside ``D``; its balanced parameters are
  ``r_i = (|J_i| √(1 + t_i²))^{1/2}``), up to coinciding kinks, a measure-zero event.

Kernels take contiguous float64 arrays and update the parameter arrays in place; the Python wrappers
validate and copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from numerics.common.checks import as_interval, as_vector, integer, positive, real

BETA1, BETA2, ADAM_EPS = 0.9, 0.999, 1e-8


@njit(cache=True)
def _adam_step(p, g, mom, vel, it, steps, lr):
    """One Adam update of ``p`` by the gradient ``g`` (Kingma & Ba 2015, bias-corrected moments) with the
    cosine-decayed step ``lr · ½(1 + cos(π it/steps))``."""
    step = lr * 0.5 * (1.0 + np.cos(np.pi * it / steps))
    b1 = 1.0 - BETA1 ** (it + 1)
    b2 = 1.0 - BETA2 ** (it + 1)
    for q in range(p.shape[0]):
        mom[q] = BETA1 * mom[q] + (1.0 - BETA1) * g[q]
        vel[q] = BETA2 * vel[q] + (1.0 - BETA2) * g[q] * g[q]
        p[q] -= step * (mom[q] / b1) / (np.sqrt(vel[q] / b2) + ADAM_EPS)


@njit(cache=True)
def _loss_unrestricted(x, y, a, b, c, e):
    m = x.shape[0]
    n = a.shape[0]
    s = 0.0
    for j in range(m):
        f = e
        for i in range(n):
            z = a[i] * x[j] + b[i]
            if z > 0.0:
                f += c[i] * z
        r = f - y[j]
        s += r * r
    return s / m


@njit(cache=True)
def _adam_unrestricted(x, y, a, b, c, e, lr, steps):
    m = x.shape[0]
    n = a.shape[0]
    p = np.empty(3 * n + 1)
    g = np.empty(3 * n + 1)
    mom = np.zeros(3 * n + 1)
    vel = np.zeros(3 * n + 1)
    for i in range(n):
        p[i] = a[i]
        p[n + i] = b[i]
        p[2 * n + i] = c[i]
    p[3 * n] = e
    for it in range(steps):
        for q in range(3 * n + 1):
            g[q] = 0.0
        for j in range(m):
            f = p[3 * n]
            for i in range(n):
                z = p[i] * x[j] + p[n + i]
                if z > 0.0:
                    f += p[2 * n + i] * z
            r = 2.0 * (f - y[j]) / m
            g[3 * n] += r
            for i in range(n):
                z = p[i] * x[j] + p[n + i]
                if z > 0.0:
                    g[i] += r * p[2 * n + i] * x[j]
                    g[n + i] += r * p[2 * n + i]
                    g[2 * n + i] += r * z
        _adam_step(p, g, mom, vel, it, steps, lr)
    for i in range(n):
        a[i] = p[i]
        b[i] = p[n + i]
        c[i] = p[2 * n + i]
    return p[3 * n]


@njit(cache=True)
def _loss_restricted(x, y, theta, sigma, jump, e, lo, hi):
    m = x.shape[0]
    n = theta.shape[0]
    s = 0.0
    for j in range(m):
        f = e
        for i in range(n):
            t = lo + (hi - lo) / (1.0 + np.exp(-theta[i]))
            z = sigma[i] * (x[j] - t)
            if z > 0.0:
                f += jump[i] * z
        r = f - y[j]
        s += r * r
    return s / m


@njit(cache=True)
def _adam_restricted(x, y, theta, sigma, jump, e, lo, hi, lr, steps):
    m = x.shape[0]
    n = theta.shape[0]
    p = np.empty(2 * n + 1)
    g = np.empty(2 * n + 1)
    mom = np.zeros(2 * n + 1)
    vel = np.zeros(2 * n + 1)
    t = np.empty(n)
    dt = np.empty(n)
    for i in range(n):
        p[i] = theta[i]
        p[n + i] = jump[i]
    p[2 * n] = e
    for it in range(steps):
        for i in range(n):
            sg = 1.0 / (1.0 + np.exp(-p[i]))
            t[i] = lo + (hi - lo) * sg
            dt[i] = (hi - lo) * sg * (1.0 - sg)
        for q in range(2 * n + 1):
            g[q] = 0.0
        for j in range(m):
            f = p[2 * n]
            for i in range(n):
                z = sigma[i] * (x[j] - t[i])
                if z > 0.0:
                    f += p[n + i] * z
            r = 2.0 * (f - y[j]) / m
            g[2 * n] += r
            for i in range(n):
                z = sigma[i] * (x[j] - t[i])
                if z > 0.0:
                    g[i] += -r * p[n + i] * sigma[i] * dt[i]
                    g[n + i] += r * z
        _adam_step(p, g, mom, vel, it, steps, lr)
    for i in range(n):
        theta[i] = p[i]
        jump[i] = p[n + i]
    return p[2 * n]


# ----------------------------------------------------------------------------------------------------
# validated wrappers
# ----------------------------------------------------------------------------------------------------
def _vec(name: str, v, size: int | None = None) -> np.ndarray:
    """A non-empty finite float64 vector, copied (the kernels update the parameter arrays in place)."""
    return as_vector(name, v, size, min_size=1).copy()


def _orientations(sigma, n: int) -> np.ndarray:
    """The fixed orientations ``σ_i = ±1`` of ``n`` neurons."""
    sigma = _vec("sigma", sigma, n)
    if not np.all(np.abs(sigma) == 1.0):
        raise ValueError("sigma: expected orientations +1 or -1")
    return sigma


@dataclass(frozen=True)
class UnrestrictedFit:
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    e: float
    loss: float


@dataclass(frozen=True)
class RestrictedFit:
    t: np.ndarray
    sigma: np.ndarray
    jump: np.ndarray
    e: float
    loss: float


def fit_unrestricted(x, y, a, b, c, e=0.0, lr: float = 0.01, steps: int = 2000) -> UnrestrictedFit:
    """Adam on ``(a, b, c, e)`` from the given start (copied); returns the fitted parameters and loss."""
    x = _vec("x", x)
    y = _vec("y", y, x.shape[0])
    a = _vec("a", a)
    n = a.shape[0]
    b, c = _vec("b", b, n), _vec("c", c, n)
    e = real("e", e)
    e = float(_adam_unrestricted(x, y, a, b, c, e, positive("lr", lr), integer("steps", steps, 1)))
    return UnrestrictedFit(a, b, c, e, float(_loss_unrestricted(x, y, a, b, c, e)))


def _logit(t: np.ndarray, lo: float, hi: float) -> np.ndarray:
    q = (t - lo) / (hi - lo)
    return np.log(q) - np.log1p(-q)


def fit_restricted(x, y, t, sigma, jump, e=0.0, domain=(-1.0, 1.0), lr: float = 0.01,
                   steps: int = 2000) -> RestrictedFit:
    """Adam on ``(θ, J, e)`` with kinks ``t = l + (u − l) sigmoid(θ)`` kept in the open domain and fixed
    orientations ``σ`` (see the module docstring); ``t`` must lie strictly inside ``domain``."""
    x = _vec("x", x)
    y = _vec("y", y, x.shape[0])
    t = _vec("t", t)
    n = t.shape[0]
    sigma = _orientations(sigma, n)
    jump = _vec("jump", jump, n)
    e = real("e", e)
    lo, hi = as_interval("domain", domain)
    if not np.all((t > lo) & (t < hi)):
        raise ValueError("t: expected every kink strictly inside the domain")
    theta = np.ascontiguousarray(_logit(t, lo, hi))
    e = float(_adam_restricted(x, y, theta, sigma, jump, e, lo, hi, positive("lr", lr),
                               integer("steps", steps, 1)))
    tt = lo + (hi - lo) / (1.0 + np.exp(-theta))
    return RestrictedFit(tt, sigma, jump, e, float(_loss_restricted(x, y, theta, sigma, jump, e, lo, hi)))


def restricted_design(x, t, sigma) -> np.ndarray:
    """The ``(M, N + 1)`` design matrix ``[ρ(σ_i (x_j − t_i)), 1]`` of a 1-D net with kinks ``t`` and
    orientations ``σ`` (the restricted parametrization with the jumps and the bias free); ``N = 0`` gives
    the constant column only."""
    x = _vec("x", x)
    if np.size(t) == 0 and np.size(sigma) == 0:  # no neuron: the constants only
        return np.ones((x.shape[0], 1))
    t = _vec("t", t)
    sigma = _orientations(sigma, t.shape[0])
    return np.column_stack([np.maximum(sigma[None, :] * (x[:, None] - t[None, :]), 0.0), np.ones_like(x)])


def refit_jumps(x, y, t, sigma) -> tuple[np.ndarray, float, float]:
    """Least-squares jumps and bias at fixed kinks and orientations: the exact minimiser of
    ``(1/M) Σ_j (e + Σ_i J_i ρ(σ_i (x_j − t_i)) − y_j)²`` over ``(J, e)`` (a linear problem; minimum-norm
    solution by SVD when the design is rank deficient). Returns ``(J, e, loss)``."""
    X = restricted_design(x, t, sigma)
    y = _vec("y", y, X.shape[0])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = X @ coef - y
    return coef[:-1].copy(), float(coef[-1]), float(r @ r / y.shape[0])


def restricted_loss(x, y, t, sigma, jump, e=0.0) -> float:
    """``(1/M) Σ_j (e + Σ_i J_i ρ(σ_i (x_j − t_i)) − y_j)²`` (no kernel: one matrix product)."""
    X = restricted_design(x, t, sigma)
    y = _vec("y", y, X.shape[0])
    jump = _vec("jump", jump, X.shape[1] - 1) if X.shape[1] > 1 else np.zeros(0)
    r = X[:, :-1] @ jump + real("e", e) - y
    return float(r @ r / y.shape[0])


def unrestricted_loss(x, y, a, b, c, e=0.0) -> float:
    """``(1/M) Σ_j (e + Σ_i c_i ρ(a_i x_j + b_i) − y_j)²`` (the kernel the unrestricted fit minimises)."""
    x = _vec("x", x)
    y = _vec("y", y, x.shape[0])
    a = _vec("a", a)
    n = a.shape[0]
    return float(_loss_unrestricted(x, y, a, _vec("b", b, n), _vec("c", c, n), real("e", e)))


# ----------------------------------------------------------------------------------------------------
# training by variable projection (Golub–Pereyra 1973; Kaufman's Jacobian) with Levenberg–Marquardt steps
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VPFit:
    """A network trained by :func:`train_vp`: its nonlinear parameters, outer weights and loss."""

    params: np.ndarray
    coef: np.ndarray
    loss: float
    iterations: int


def _design_restricted(t, sigma, x):
    z = sigma[None, :] * (x[:, None] - t[None, :])
    act = z > 0.0
    X = np.column_stack([np.where(act, z, 0.0), np.ones_like(x)])
    dX = [np.where(act[:, i], -sigma[i], 0.0) for i in range(t.size)]  # ∂ column i / ∂ t_i
    return X, dX, list(range(t.size))


def _design_unrestricted(p, x):
    n = p.size // 2
    a, b = p[:n], p[n:]
    z = a[None, :] * x[:, None] + b[None, :]
    act = z > 0.0
    X = np.column_stack([np.where(act, z, 0.0), np.ones_like(x)])
    dX = [np.where(act[:, i], x, 0.0) for i in range(n)] + [np.where(act[:, i], 1.0, 0.0) for i in range(n)]
    return X, dX, list(range(n)) * 2


def train_vp(x, y, start, *, sigma=None, domain=(-1.0, 1.0), iterations: int = 60) -> VPFit:
    """Train a 1-D shallow ReLU network on ``(x, y)`` for the square loss ``(1/M)Σ(f(x_j) − y_j)²`` from
    ``start`` by variable projection: the outer weights and the bias are the exact least-squares solution
    for the current inner parameters, and the inner parameters take Levenberg–Marquardt steps on the
    projected residual (Kaufman's approximation of its Jacobian, ``−(I − P) (∂X/∂p) c``).

    ``sigma=None``: the *unrestricted* parametrization, ``start = (a, b)`` of ``e + Σ c_i ρ(a_i x + b_i)``
    (kinks anywhere, inactive and affine neurons allowed). ``sigma`` given (orientations ±1): the
    *restricted* one, ``start = t`` of ``e + Σ J_i ρ(σ_i (x − t_i))``, every kink kept inside the open
    ``domain`` (steps are clipped to ``[l + 10⁻¹², u − 10⁻¹²]``), so every iterate lies in R1–R4 up to
    coinciding kinks (balanced parameters ``(|J_i| √(1 + t_i²))^{1/2}``). Stops when a step lowers the loss
    by less than ``10⁻¹⁵`` relative or no damping finds a descent."""
    x = _vec("x", x)
    y = _vec("y", y, x.shape[0])
    p = _vec("start", start)
    if sigma is None:
        if p.size % 2:
            raise ValueError("start: expected (a, b) of an unrestricted net (even length)")
        design = lambda q: _design_unrestricted(q, x)  # noqa: E731
        lo = hi = None
    else:
        sigma = _orientations(sigma, p.size)
        lo, hi = as_interval("domain", domain)
        lo, hi = lo + 1e-12, hi - 1e-12
        if not np.all((p > lo) & (p < hi)):
            raise ValueError("start: expected every kink strictly inside the domain")
        design = lambda q: _design_restricted(q, sigma, x)  # noqa: E731
    iterations = integer("iterations", iterations, 1)

    def solve(q):
        X, dX, cols = design(q)
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        r = X @ coef - y
        return X, dX, cols, coef, r, float(r @ r)

    X, dX, cols, coef, r, L = solve(p)
    mu, it = 1e-3, 0
    for it in range(1, iterations + 1):
        Q, _ = np.linalg.qr(X)
        J = np.empty((x.size, p.size))
        for k, (d, col) in enumerate(zip(dX, cols)):
            v = d * coef[col]
            J[:, k] = v - Q @ (Q.T @ v)
        g, H = J.T @ r, J.T @ J
        accepted = done = False
        for _ in range(12):
            step = np.linalg.solve(H + mu * (np.diag(np.diag(H)) + 1e-12 * np.eye(p.size)), -g)
            q = p + step
            if lo is not None:
                q = np.clip(q, lo, hi)
            new = solve(q)
            if new[-1] < L:
                done = L - new[-1] <= 1e-15 * L
                p, (X, dX, cols, coef, r, L) = q, new
                mu, accepted = max(mu / 3.0, 1e-12), True
                break
            mu *= 4.0
        if not accepted or done:
            break
    return VPFit(p, coef, L / x.size, it)
