"""The randomised shallow ReLU network of Heiss, Teichmann & Wutte (arXiv 1911.02903; docs/spline.md) at
width ``n``: ``N_w(x) = Σ_k w_k ρ(b_k + v_k x)``, hidden ``(v_k, b_k)`` drawn (outside, passed in as
arrays), output weights ``w`` fitted by ridge or by gradient descent.

Everything the fit needs is the empirical random-feature kernel
``k̂(x, x') = (1/n) Σ_k ρ(v_k x + b_k) ρ(v_k x' + b_k)``. A neuron with ``v > 0`` is active right of its
kink ``ξ = −b/v``, one with ``v < 0`` left of it, so on a sorted set of points ``P``

.. math:: \\hat k(x,x') = x x' \\hat A_+(m) + (x + x') \\hat B_+(m) + \\hat C_+(m)
          + x x' \\hat A_-(M) + (x + x') \\hat B_-(M) + \\hat C_-(M) + \\hat c_0,

``m = min(x,x')``, ``M = max(x,x')``, with the cumulative kink moments
``Â₊(m) = (1/n) Σ_{v>0, ξ<m} v²``, ``B̂₊ = (1/n) Σ v b``, ``Ĉ₊ = (1/n) Σ b²`` (and ``Â₋, B̂₋, Ĉ₋`` over
``v < 0, ξ > M``; ``ĉ₀`` from ``v = 0``). One pass over the neurons (:func:`kernel_table`: each kink
located among ``P`` in O(1) by a table of uniform cells, three additions, parallel over fixed chunks)
gives them all; the Gram matrix,
the ridge solution in dual form ``α = (K̂ + (λ̃/n) I)^{-1} y`` and ``N_w``, ``N_w'`` on a grid follow in
``O(|P| N)``. Memory is ``O(|P|)`` per chunk: no ``n × N`` or ``n × grid`` temporaries, so ``n = 10^7``
runs in a fraction of a second. The moments are the finite-width counterparts of the kink-weight moments
of the adapted spline: as ``n → ∞`` they converge to ``∫ s^p g±`` (law of large numbers), which is the
whole theorem in one line.

Chunks are fixed (``CHUNK`` neurons), summed in a fixed order: results do not depend on the number of
threads. fastmath is off (these fits are the references of the rate claims).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_vector, positive

#: neurons per chunk of the moment pass (fixed, so that the summation order is thread-independent)
CHUNK = 1 << 16


#: cells of the point locator per point (a kink's cell gives its rank among the points in O(1) steps)
CELLS_PER_POINT = 4


def point_locator(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """For sorted ``pts``: the points with a ``+inf`` sentinel, and uniform cells on ``[pts[0], pts[-1]]``
    with, per cell, the number of points strictly left of the cell's start (``table[c] = #{p < start_c}``)."""
    m = pts.shape[0]
    cells = max(1, CELLS_PER_POINT * m)
    span = pts[-1] - pts[0]
    inv_h = cells / span if span > 0 else 0.0
    starts = pts[0] + np.arange(cells + 1) / inv_h if span > 0 else np.full(cells + 1, pts[0])
    table = np.searchsorted(pts, starts, side="left").astype(np.int64)
    return np.append(pts, np.inf), table, float(pts[0]), float(inv_h)


@njit(cache=True)
def _rank(ptsx, table, p0, inv_h, xi):
    """``#{p ≤ xi}`` among the points (``ptsx`` ends with a ``+inf`` sentinel): the locator's cell (clamped,
    so kinks outside the points need no branch), two unrolled steps, then a rarely taken scan."""
    t = (xi - p0) * inv_h
    t = min(max(t, 0.0), float(table.shape[0] - 1))
    j = table[int(t)]
    j += ptsx[j] <= xi
    j += ptsx[j] <= xi
    while ptsx[j] <= xi:
        j += 1
    while j > 0 and ptsx[j - 1] > xi:  # a cell start rounded past xi
        j -= 1
    return j


@njit(cache=True)
def _bucket_right(pts, xi):
    """Number of points ``≤ xi`` (``searchsorted(pts, xi, 'right')``) by binary search (small sets)."""
    lo, hi = 0, pts.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if pts[mid] <= xi:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _bucket_left(pts, xi):
    """Number of points ``< xi`` (``searchsorted(pts, xi, 'left')``) by binary search (small sets)."""
    lo, hi = 0, pts.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if pts[mid] < xi:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, parallel=True)
def _moment_pass(v, b, ptsx, table, p0, inv_h, chunk):
    """Per-chunk bucket sums over the ``m`` points (``ptsx`` = points + sentinel): ``acc[c, 0:3, j]`` for
    ``v > 0`` and ``acc[c, 3:6, j]`` for ``v < 0``, ``j = #{p ≤ ξ}``; ``acc[c, 6, 0]`` for ``v = 0``.

    A neuron with ``v > 0`` is active at the points ``p > ξ`` (ranks ``≥ j``), one with ``v < 0`` at
    ``p < ξ`` (ranks ``< j``, up to a point equal to ``ξ``, where its ramp vanishes: the kernel values do
    not depend on that tie). The sign picks the row arithmetically (no unpredictable branch)."""
    n = v.shape[0]
    m = ptsx.shape[0] - 1
    nchunks = (n + chunk - 1) // chunk
    acc = np.zeros((nchunks, 7, m + 1))
    for c in prange(nchunks):
        start = c * chunk
        stop = min(n, start + chunk)
        for k in range(start, stop):
            vk = v[k]
            bk = b[k]
            if vk != 0.0:
                j = _rank(ptsx, table, p0, inv_h, -bk / vk)
                r = 3 * (vk < 0.0)
                acc[c, r, j] += vk * vk
                acc[c, r + 1, j] += vk * bk
                acc[c, r + 2, j] += bk * bk
            elif bk > 0.0:
                acc[c, 6, 0] += bk * bk
    out = np.zeros((7, m + 1))
    for c in range(nchunks):  # fixed order
        out += acc[c]
    return out


@njit(cache=True)
def _cumulate(sums, n):
    """Cumulative moments at the points: rows 0–2 ``Â₊, B̂₊, Ĉ₊``, rows 3–5 ``Â₋, B̂₋, Ĉ₋``, row 6 ``ĉ₀``."""
    m = sums.shape[1] - 1
    mom = np.zeros((7, m))
    for r in range(3):
        run = 0.0
        for j in range(m):
            run += sums[r, j]
            mom[r, j] = run / n
        run = 0.0
        for j in range(m - 1, -1, -1):
            run += sums[3 + r, j + 1]
            mom[3 + r, j] = run / n
    for j in range(m):
        mom[6, j] = sums[6, 0] / n
    return mom


@njit(cache=True)
def _kernel_at(mom, pts, i, j):
    """``k̂(P_i, P_j)`` and ``∂_x k̂(P_i, P_j)``."""
    lo = min(i, j)
    hi = max(i, j)
    x = pts[i]
    xp = pts[j]
    a = mom[0, lo] + mom[3, hi]
    bb = mom[1, lo] + mom[4, hi]
    k = x * xp * a + (x + xp) * bb + mom[2, lo] + mom[5, hi] + mom[6, 0]
    dk = xp * a + bb
    return k, dk


@njit(cache=True)
def _gram(mom, pts, idx):
    N = idx.shape[0]
    K = np.empty((N, N))
    for a in range(N):
        for c in range(N):
            K[a, c] = _kernel_at(mom, pts, idx[a], idx[c])[0]
    return K


@njit(cache=True, parallel=True)
def _expand(mom, pts, idx, alpha, rows):
    """``f(P_r) = Σ_i α_i k̂(P_r, x_i)`` and ``f'(P_r)`` for the point indices ``rows``."""
    G = rows.shape[0]
    f = np.empty(G)
    df = np.empty(G)
    for g in prange(G):
        s = 0.0
        ds = 0.0
        for a in range(idx.shape[0]):
            k, dk = _kernel_at(mom, pts, rows[g], idx[a])
            s += alpha[a] * k
            ds += alpha[a] * dk
        f[g] = s
        df[g] = ds
    return f, df


@njit(cache=True)
def _gd_dual(K, y, step, checkpoints):
    """Dual gradient descent ``α ← α − step (K α − y)`` from 0; ``α`` at each checkpoint (sorted steps)."""
    N = y.shape[0]
    out = np.zeros((checkpoints.shape[0], N))
    alpha = np.zeros(N)
    t = 0
    for c in range(checkpoints.shape[0]):
        while t < checkpoints[c]:
            r = K @ alpha - y
            for a in range(N):
                alpha[a] -= step * r[a]
            t += 1
        out[c] = alpha
    return out


@njit(cache=True, parallel=True)
def _output_weights(v, b, xs, alpha, n):
    """``w_k = (1/n) Σ_i α_i ρ(v_k x_i + b_k)`` for sorted data ``xs``, via suffix/prefix sums of ``α x``
    and ``α`` over the data right (v > 0) or left (v < 0) of the kink."""
    N = xs.shape[0]
    suf0 = np.zeros(N + 1)
    suf1 = np.zeros(N + 1)
    for a in range(N - 1, -1, -1):
        suf0[a] = suf0[a + 1] + alpha[a]
        suf1[a] = suf1[a + 1] + alpha[a] * xs[a]
    w = np.empty(v.shape[0])
    tot0 = suf0[0]
    tot1 = suf1[0]
    for k in prange(v.shape[0]):
        vk = v[k]
        bk = b[k]
        if vk > 0.0:
            j = _bucket_right(xs, -bk / vk)  # data j.. are active
            w[k] = (vk * suf1[j] + bk * suf0[j]) / n
        elif vk < 0.0:
            j = _bucket_left(xs, -bk / vk)  # data ..j-1 are active
            w[k] = (vk * (tot1 - suf1[j]) + bk * (tot0 - suf0[j])) / n
        else:
            w[k] = max(bk, 0.0) * tot0 / n
    return w


# ----------------------------------------------------------------------------------------------------
# validated Python wrappers
# ----------------------------------------------------------------------------------------------------
def _data(x, y) -> tuple[np.ndarray, np.ndarray]:
    xs = as_vector("x", x, flatten=True)
    ys = as_vector("y", y, xs.size, flatten=True, what="values (as many as x)")
    if xs.size < 2:
        raise ValueError(f"x: expected at least 2 data points, got {xs.size}")
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    if np.any(np.diff(xs) == 0):
        raise ValueError("x: expected distinct data points, got a repeated value")
    return xs, ys


def _hidden(v, b) -> tuple[np.ndarray, np.ndarray]:
    vv = as_vector("v", v, flatten=True)
    bb = as_vector("b", b, vv.size, flatten=True)
    if vv.size < 1:
        raise ValueError(f"v: expected a width n ≥ 1, got {vv.size} neurons")
    return vv, bb


@dataclass(frozen=True)
class KernelTable:
    """The empirical kernel of a width-``n`` network on the sorted points ``pts`` (data ∪ grid)."""

    n: int
    pts: np.ndarray
    moments: np.ndarray  # (7, len(pts)): Â₊, B̂₊, Ĉ₊, Â₋, B̂₋, Ĉ₋, ĉ₀
    data_index: np.ndarray
    grid_index: np.ndarray
    x: np.ndarray
    y: np.ndarray

    def gram(self) -> np.ndarray:
        """``K̂ = (k̂(x_i, x_j))``."""
        return _gram(self.moments, self.pts, self.data_index)

    def expand(self, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``f = Σ_i α_i k̂(·, x_i)`` and ``f'`` on the grid."""
        return _expand(self.moments, self.pts, self.data_index, np.ascontiguousarray(alpha, float),
                       self.grid_index)


def kernel_table(v, b, x, y, grid) -> KernelTable:
    """One pass over the ``n`` neurons: the cumulative kink moments at ``data ∪ grid``."""
    vv, bb = _hidden(v, b)
    xs, ys = _data(x, y)
    gs = as_vector("grid", grid, flatten=True)
    if gs.size < 1:
        raise ValueError("grid: expected at least one evaluation point")
    pts, inv = np.unique(np.concatenate([xs, gs]), return_inverse=True)
    sums = _moment_pass(vv, bb, *point_locator(pts), CHUNK)
    mom = _cumulate(sums, float(vv.size))
    return KernelTable(vv.size, pts, mom, inv[: xs.size].astype(np.int64), inv[xs.size:].astype(np.int64), xs, ys)


@dataclass(frozen=True)
class RidgeFit:
    """Ridge on the output layer, ``min_w Σ_i (N_w(x_i) − y_i)² + λ̃ ‖w‖²``, in dual form:
    ``w = (1/n) Φᵀ α`` with ``α = (K̂ + (λ̃/n) I)^{-1} y``; ``values``/``derivative`` are ``N_w``, ``N_w'`` on
    the grid (in the order given)."""

    table: KernelTable
    lam_tilde: float
    alpha: np.ndarray
    values: np.ndarray
    derivative: np.ndarray


def fit_ridge(v, b, x, y, lam_tilde, grid) -> RidgeFit:
    """Fit the ridge weights of the width-``n`` network (``n = len(v)``) and evaluate it on ``grid``."""
    lam_tilde = positive("lam_tilde", lam_tilde)
    table = kernel_table(v, b, x, y, grid)
    K = table.gram()
    alpha = np.linalg.solve(K + (lam_tilde / table.n) * np.eye(K.shape[0]), table.y)
    f, df = table.expand(alpha)
    return RidgeFit(table, lam_tilde, alpha, f, df)


@dataclass(frozen=True)
class GradientDescentPath:
    """Gradient descent on ``Σ_i (N_w(x_i) − y_i)²`` from ``w = 0`` with step ``η``: the iterates stay in the
    row space, ``w_t = (1/n) Φᵀ α_t`` with ``α_{t+1} = α_t − 2ηn (K̂ α_t − y)``; recorded at ``steps``."""

    table: KernelTable
    eta: float
    steps: np.ndarray
    alphas: np.ndarray  # (len(steps), N)
    values: np.ndarray  # (len(steps), grid)
    derivatives: np.ndarray


def gradient_descent(v, b, x, y, eta, steps, grid) -> GradientDescentPath:
    """Gradient descent on the output weights of the width-``n`` network, recorded after each of ``steps``
    (non-negative integers). ``ValueError`` when ``2ηn·λ_max(K̂) ≥ 2`` (above the stability limit)."""
    eta = positive("eta", eta)
    st = np.asarray(steps)
    if st.ndim != 1 or st.size < 1 or np.any(st < 0) or np.any(st != np.round(st)):
        raise ValueError(f"steps: expected non-negative integers, got {steps!r}")
    st = np.sort(st.astype(np.int64))
    table = kernel_table(v, b, x, y, grid)
    K = table.gram()
    h = 2.0 * eta * table.n
    lmax = float(np.linalg.eigvalsh(K)[-1])
    if h * lmax >= 2.0:
        raise ValueError(f"eta: {eta:g} is above the stability limit 1/(n λ_max(K̂)) = {1.0 / (table.n * lmax):g}")
    alphas = _gd_dual(K, table.y, h, st)
    vals = np.empty((st.size, table.grid_index.size))
    ders = np.empty_like(vals)
    for i in range(st.size):
        vals[i], ders[i] = table.expand(alphas[i])
    return GradientDescentPath(table, eta, st, alphas, vals, ders)


def output_weights(v, b, fit: RidgeFit) -> np.ndarray:
    """The primal output weights ``w = (1/n) Φᵀ α`` of a ridge fit (``O(n log N)``, no ``n × N`` matrix)."""
    vv, bb = _hidden(v, b)
    if vv.size != fit.table.n:
        raise ValueError(f"v: expected the fit's {fit.table.n} neurons, got {vv.size}")
    return _output_weights(vv, bb, fit.table.x, fit.alpha, float(fit.table.n))


def w1inf_distance(f, df, g, dg) -> float:
    """``‖f − g‖_{W^{1,∞}} = max(‖f − g‖_∞, ‖f' − g'‖_∞)`` on a grid (values and derivatives given)."""
    f, df, g, dg = (np.asarray(a, float) for a in (f, df, g, dg))
    if not (f.shape == df.shape == g.shape == dg.shape):
        raise ValueError(f"f, df, g, dg: expected arrays of one shape, got {f.shape}, {df.shape}, {g.shape}, {dg.shape}")
    return float(max(np.max(np.abs(f - g)), np.max(np.abs(df - dg))))


# ----------------------------------------------------------------------------------------------------
# plain NumPy reference of the same maths (tests and benchmarks): dense features, no kink moments
# ----------------------------------------------------------------------------------------------------
def fit_ridge_dense(v, b, x, y, lam_tilde, grid, chunk: int = 1 << 16):
    """The textbook fit: the ``N × n`` feature matrix, the Gram matrix by BLAS, the dual solve, then
    ``N_w`` on the grid in chunks of neurons. Returns ``(alpha, values, derivative, w)``."""
    vv, bb = _hidden(v, b)
    xs, ys = _data(x, y)
    gs = as_vector("grid", grid, flatten=True)
    n = vv.size
    Phi = np.maximum(np.outer(xs, vv) + bb, 0.0)
    K = Phi @ Phi.T / n
    alpha = np.linalg.solve(K + (lam_tilde / n) * np.eye(xs.size), ys)
    w = Phi.T @ alpha / n
    f = np.zeros(gs.size)
    df = np.zeros(gs.size)
    for s in range(0, n, chunk):
        z = np.outer(gs, vv[s:s + chunk]) + bb[s:s + chunk]
        act = z > 0
        f += np.where(act, z, 0.0) @ w[s:s + chunk]
        df += act @ (w[s:s + chunk] * vv[s:s + chunk])
    return alpha, f, df, w
