"""numba kernels for 2-D shallow ReLU networks ``f(x) = e + Σ_i c_i ρ(⟨a_i, x⟩ + b_i)`` on a box
``D = [l₁, u₁] × [l₂, u₂]`` (Berner, Elbrächter & Grohs 2019, inverse stability in ``d = 2``): values and
gradients on point sets (grids, vertices), the vertices of the arrangement of kink lines in ``D``, and the
float64 ``W^{1,∞}`` norm computed on them (the same vertex/sector enumeration as the exact
:func:`theory.stability.d2.w1inf_bracket`, in floating point: an estimate, not a certificate).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, as_vector, real


@njit(cache=True, parallel=True)
def _realize(a, b, c, e, X):
    m = X.shape[0]
    out = np.empty(m)
    for j in prange(m):
        s = e
        for i in range(a.shape[0]):
            z = a[i, 0] * X[j, 0] + a[i, 1] * X[j, 1] + b[i]
            if z > 0.0:
                s += c[i] * z
        out[j] = s
    return out


@njit(cache=True, parallel=True)
def _gradient(a, b, c, X):
    m = X.shape[0]
    out = np.zeros((m, 2))
    for j in prange(m):
        g0 = 0.0
        g1 = 0.0
        for i in range(a.shape[0]):
            z = a[i, 0] * X[j, 0] + a[i, 1] * X[j, 1] + b[i]
            if z > 0.0:
                g0 += c[i] * a[i, 0]
                g1 += c[i] * a[i, 1]
        out[j, 0] = g0
        out[j, 1] = g1
    return out


@njit(cache=True)
def _vertices(a, b, lo, up):
    n = a.shape[0]
    cap = 4 + 4 * n + n * (n - 1) // 2
    V = np.empty((cap, 2))
    k = 0
    for x0 in (lo[0], up[0]):
        for x1 in (lo[1], up[1]):
            V[k, 0] = x0
            V[k, 1] = x1
            k += 1
    tol = 1e-12
    for i in range(n):
        for j in range(2):
            o = 1 - j
            if a[i, o] == 0.0:
                continue
            for xj in (lo[j], up[j]):
                xo = -(a[i, j] * xj + b[i]) / a[i, o]
                if lo[o] - tol <= xo <= up[o] + tol:
                    V[k, j] = xj
                    V[k, o] = min(max(xo, lo[o]), up[o])
                    k += 1
    for i in range(n):
        for l in range(i + 1, n):
            det = a[i, 0] * a[l, 1] - a[i, 1] * a[l, 0]
            scale = math.hypot(a[i, 0], a[i, 1]) * math.hypot(a[l, 0], a[l, 1])
            if abs(det) <= 1e-14 * scale:
                continue
            p0 = (-b[i] * a[l, 1] + b[l] * a[i, 1]) / det
            p1 = (-a[i, 0] * b[l] + a[l, 0] * b[i]) / det
            if lo[0] - tol <= p0 <= up[0] + tol and lo[1] - tol <= p1 <= up[1] + tol:
                V[k, 0] = min(max(p0, lo[0]), up[0])
                V[k, 1] = min(max(p1, lo[1]), up[1])
                k += 1
    return V[:k]


@njit(cache=True, parallel=True)
def _w1inf(a, b, c, e, lo, up, V):
    """``max_v |f(v)|`` and ``max`` over the sectors at every vertex of ``|∇f|₂`` (float64)."""
    n = a.shape[0]
    m = V.shape[0]
    fmax = np.zeros(m)
    gmax = np.zeros(m)
    diam = max(up[0] - lo[0], up[1] - lo[1])
    for j in prange(m):
        v0 = V[j, 0]
        v1 = V[j, 1]
        s = e
        for i in range(n):
            z = a[i, 0] * v0 + a[i, 1] * v1 + b[i]
            if z > 0.0:
                s += c[i] * z
        fmax[j] = abs(s)
        ang = np.empty(2 * n + 8)
        na = 0
        for i in range(n):
            nrm = math.hypot(a[i, 0], a[i, 1])
            if nrm == 0.0:
                continue
            z = a[i, 0] * v0 + a[i, 1] * v1 + b[i]
            if abs(z) <= 1e-11 * (nrm * diam + abs(b[i]) + 1.0):
                t = math.atan2(a[i, 0], -a[i, 1])
                ang[na] = t % (2 * math.pi)
                ang[na + 1] = (t + math.pi) % (2 * math.pi)
                na += 2
        for w in range(4):
            on = (v0 == lo[0]) if w == 0 else (v0 == up[0]) if w == 1 else (v1 == lo[1]) if w == 2 else (v1 == up[1])
            if on:
                base = 0.5 * math.pi if w < 2 else 0.0
                ang[na] = base
                ang[na + 1] = base + math.pi
                na += 2
        if na == 0:
            ang[0] = 0.0
            na = 1
        srt = np.sort(ang[:na])
        h = 1e-7 * diam
        best = 0.0
        for q in range(na):
            t0 = srt[q]
            t1 = srt[q + 1] if q + 1 < na else srt[0] + 2 * math.pi
            if t1 - t0 < 1e-12:
                continue
            tm = 0.5 * (t0 + t1) if na > 1 else t0 + 0.5 * math.pi
            p0 = v0 + h * math.cos(tm)
            p1 = v1 + h * math.sin(tm)
            if p0 < lo[0] or p0 > up[0] or p1 < lo[1] or p1 > up[1]:
                continue
            g0 = 0.0
            g1 = 0.0
            for i in range(n):
                z = a[i, 0] * p0 + a[i, 1] * p1 + b[i]
                if z > 0.0:
                    g0 += c[i] * a[i, 0]
                    g1 += c[i] * a[i, 1]
            best = max(best, math.hypot(g0, g1))
        gmax[j] = best
    return fmax.max(), gmax.max()


def _net(a, b, c):
    a = as_array("a", a, 2)
    if a.shape[1] != 2 or a.shape[0] < 1:
        raise ValueError(f"a: expected an (N, 2) array of inner weights with N >= 1, got shape {a.shape}")
    n = a.shape[0]
    return a, as_vector("b", b, n), as_vector("c", c, n)


def _box(lower, upper):
    lo = as_vector("lower", lower, 2)
    up = as_vector("upper", upper, 2)
    if not np.all(lo < up):
        raise ValueError(f"upper: expected upper > lower in both coordinates, got {lo.tolist()}, {up.tolist()}")
    return lo, up


def _points(X):
    X = as_array("X", X, 2)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected an (M, 2) array of points, got shape {X.shape}")
    return X


def realize_2d(a, b, c, e, X) -> np.ndarray:
    """``f(X_j)`` for the rows ``X_j ∈ ℝ²`` (parallel over points)."""
    a, b, c = _net(a, b, c)
    return _realize(a, b, c, real("e", e), _points(X))


def gradient_2d(a, b, c, X) -> np.ndarray:
    """``∇f(X_j)`` (one-sided: neurons with ``z > 0`` active), shape ``(M, 2)``."""
    a, b, c = _net(a, b, c)
    return _gradient(a, b, c, _points(X))


def arrangement_vertices(a, b, lower=(-1.0, -1.0), upper=(1.0, 1.0)) -> np.ndarray:
    """The vertices of the arrangement of the kink lines in the box (corners, line–edge and line–line
    intersections), float64, possibly with repeats."""
    a, b, _ = _net(a, b, np.zeros(np.shape(b)))
    lo, up = _box(lower, upper)
    return _vertices(a, b, lo, up)


def w1inf_2d(a, b, c, e, lower=(-1.0, -1.0), upper=(1.0, 1.0)) -> tuple[float, float]:
    """``(sup_D |f|, sup_D |∇f|₂)`` in float64 on the arrangement's vertices and their sectors."""
    a, b, c = _net(a, b, c)
    lo, up = _box(lower, upper)
    V = _vertices(a, b, lo, up)
    f, g = _w1inf(a, b, c, real("e", e), lo, up, V)
    return float(f), float(g)


def grid_w1inf_2d(a, b, c, e, m: int = 201) -> tuple[float, float]:
    """``(max |f|, max |∇f|₂)`` over an ``m × m`` grid of ``[−1, 1]²`` (lower estimates; the baseline of
    the vertex method)."""
    a, b, c = _net(a, b, c)
    if int(m) < 2:
        raise ValueError(f"m: expected at least 2 grid points per axis, got {m}")
    g = np.linspace(-1.0, 1.0, int(m))
    X = np.column_stack([np.repeat(g, g.size), np.tile(g, g.size)])
    f = _realize(a, b, c, real("e", e), X)
    G = _gradient(a, b, c, X)
    return float(np.abs(f).max()), float(np.sqrt((G * G).sum(axis=1)).max())


# ----------------------------------------------------------------------------------------------------
# training of 2-D networks by variable projection (outer weights by least squares, inner parameters by
# Levenberg–Marquardt on the projected residual; Golub–Pereyra 1973, Kaufman's Jacobian)
# ----------------------------------------------------------------------------------------------------
#: parametrizations of :func:`train_vp_2d`
KINDS = ("unrestricted", "restricted", "central")
#: the restricted offset stays strictly inside ``(−L, L)``: ``β = κ L tanh γ``
KAPPA = 1.0 - 1e-9


@njit(cache=True)
def _design_2d(kind, p, X):
    """Columns ``ρ(z_i)`` and one of ones, and ``∂z_i/∂p`` per parameter (``(M, P)``), for one kind."""
    m = X.shape[0]
    per = 3 if kind == 0 else (2 if kind == 1 else 1)
    n = p.shape[0] // per
    D = np.empty((m, n + 1))
    dZ = np.zeros((m, p.shape[0]))
    for i in range(n):
        if kind == 0:
            a0, a1, b = p[3 * i], p[3 * i + 1], p[3 * i + 2]
        else:
            th = p[per * i]
            ct, st = math.cos(th), math.sin(th)
            a0, a1 = ct, st
            if kind == 1:
                L = abs(ct) + abs(st)
                tg = math.tanh(p[2 * i + 1])
                b = KAPPA * L * tg
                dL = -math.copysign(1.0, ct) * st + math.copysign(1.0, st) * ct
            else:
                b = 0.0
        for j in range(m):
            z = a0 * X[j, 0] + a1 * X[j, 1] + b
            if z > 0.0:
                D[j, i] = z
                if kind == 0:
                    dZ[j, 3 * i] = X[j, 0]
                    dZ[j, 3 * i + 1] = X[j, 1]
                    dZ[j, 3 * i + 2] = 1.0
                elif kind == 1:
                    dZ[j, 2 * i] = -st * X[j, 0] + ct * X[j, 1] + KAPPA * tg * dL
                    dZ[j, 2 * i + 1] = KAPPA * L * (1.0 - tg * tg)
                else:
                    dZ[j, i] = -st * X[j, 0] + ct * X[j, 1]
            else:
                D[j, i] = 0.0
    for j in range(m):
        D[j, n] = 1.0
    return D, dZ


def network_2d(kind: str, params, coef):
    """``(a, b, c, e)`` of a trained 2-D net (``coef`` = outer weights then the bias)."""
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {KINDS}, got {kind!r}")
    p = as_vector("params", params)
    coef = as_vector("coef", coef)
    per = {"unrestricted": 3, "restricted": 2, "central": 1}[kind]
    n = p.size // per
    if p.size != per * n or coef.size != n + 1:
        raise ValueError(f"coef: expected {n + 1} outer weights and bias for {n} neurons, got {coef.size}")
    if kind == "unrestricted":
        a = np.column_stack([p[0::3], p[1::3]])
        b = p[2::3].copy()
    else:
        th = p[0::per]
        a = np.column_stack([np.cos(th), np.sin(th)])
        L = np.abs(a).sum(axis=1)
        b = KAPPA * L * np.tanh(p[1::2]) if kind == "restricted" else np.zeros(n)
    return a, b, coef[:-1].copy(), float(coef[-1])


def train_vp_2d(X, y, start, kind: str = "unrestricted", iterations: int = 80):
    """Train ``e + Σ c_i ρ(⟨a_i, x⟩ + b_i)`` on ``(X, y)`` for ``(1/M) Σ (f(X_j) − y_j)²`` from ``start``.

    ``kind``: ``"unrestricted"`` (``start`` = rows ``(a_{i1}, a_{i2}, b_i)`` flattened: lines anywhere, inactive
    and affine neurons allowed); ``"restricted"`` (``start`` = ``(θ_i, γ_i)`` flattened: unit normal
    ``(cos θ, sin θ)``, offset ``β = κ L tanh γ`` with ``L = |cos θ| + |sin θ|``, ``κ = 1 − 10⁻⁹``, so every
    line meets the open square ``(−1, 1)²``, R2; balanced by rescaling, which leaves the realization);
    ``"central"`` (``start`` = ``θ_i``: lines through the origin). The outer weights and bias are the exact
    least-squares solution; returns ``(params, coef, loss)``."""
    X = _points(X)
    y = as_vector("y", y, X.shape[0])
    p = as_vector("start", start)
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {KINDS}, got {kind!r}")
    k = KINDS.index(kind)
    per = (3, 2, 1)[k]
    if p.size == 0 or p.size % per:
        raise ValueError(f"start: expected a multiple of {per} parameters for kind {kind!r}, got {p.size}")
    its = int(iterations)
    if its < 1:
        raise ValueError(f"iterations: expected a positive integer, got {iterations}")
    n = p.size // per

    def solve(q):
        D, dZ = _design_2d(k, q, X)
        coef, *_ = np.linalg.lstsq(D, y, rcond=None)
        r = D @ coef - y
        return D, dZ, coef, r, float(r @ r)

    D, dZ, coef, r, L = solve(p)
    mu = 1e-3
    for _ in range(its):
        Q, _ = np.linalg.qr(D)
        J = dZ * np.repeat(coef[:n], per)[None, :]
        J = J - Q @ (Q.T @ J)
        g, H = J.T @ r, J.T @ J
        accepted = done = False
        for _ in range(12):
            step = np.linalg.solve(H + mu * (np.diag(np.diag(H)) + 1e-12 * np.eye(p.size)), -g)
            new = solve(p + step)
            if new[-1] < L:
                done = L - new[-1] <= 1e-15 * L
                p = p + step
                D, dZ, coef, r, L = new
                mu, accepted = max(mu / 3.0, 1e-12), True
                break
            mu *= 4.0
        if not accepted or done:
            break
    return p, coef, L / X.shape[0]


def ripple_allowance_2d(a, b, c, e, X, y, h: float) -> float:
    """``(h³/4) Σ_i |J_i| ‖n_i‖₁ Σ_{Q crossed by line i} |r(m_Q)|``: the leading-order amplitude of the ripple
    of the midpoint loss ``(1/M) Σ_j (f − y)²`` on square cells of side ``h`` centred at the data ``X``
    (``Mh² = |D|``), for the net ``(a, b, c, e)``; ``n_i = a_i/‖a_i‖₂``, ``J_i = c_i ‖a_i‖₂`` the gradient jump,
    ``r = f − y`` at the cell's data point (derivation in :class:`proofs_check.claims.stability_d2.Expressivity2D`)."""
    a, b, c = _net(a, b, c)
    X = _points(X)
    y = as_vector("y", y, X.shape[0])
    h = real("h", h)
    r = np.abs(_realize(a, b, c, real("e", e), X) - y)
    total = 0.0
    for i in range(a.shape[0]):
        nrm = math.hypot(a[i, 0], a[i, 1])
        if nrm == 0.0 or c[i] == 0.0:
            continue
        n = a[i] / nrm
        beta = b[i] / nrm
        l1 = abs(n[0]) + abs(n[1])
        crossed = np.abs(X @ n + beta) < 0.5 * h * l1
        total += abs(c[i]) * nrm * l1 * float(r[crossed].sum())
    return h**3 / 4.0 * total
