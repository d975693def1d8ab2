"""The weight-decay ERM in function space and its linear response as ``λ → 0`` (Park, Pelakh & Wojtowytsch,
NeurIPS 2023, arXiv 2311.06138, explicit regularisation).

Problem (free bias, infinite width — equal to the width-``m`` problem once ``m`` exceeds the number of
kinks of a solution plus two, which every function below reports):

.. math:: \\min_f \\; \\frac{1}{2n} \\sum_{i=1}^n (f(x_i) - y_i)^2 + \\lambda R(f).

With a skip term ``R = ∫|f''|`` and a minimiser is piecewise linear with kinks at the sample points
(replacing ``f`` by its interpolant at the samples keeps the misfit and does not raise ``∫|f''|``): a lasso
over the kink heights, solved by an active-set method (:func:`regularized_erm`) whose KKT conditions are
checked on exit. Without a skip term the same function is the minimiser whenever the boundary term
is inactive at it (``|f'(−∞) + f'(+∞)| ≤ ∫|f''|``), which :class:`ERMResult` reports.

Linear response (:func:`linear_response`): for ``λ`` below ``λ_c`` the active set does not change, the
residual is ``y − f_λ(x) = nλu♯`` with ``u♯`` the least-norm optimal dual certificate of the min-norm LP, and

.. math:: R(f_\\lambda) = R^* - n\\lambda\\|u^\\sharp\\|^2, \\qquad
          \\tfrac{1}{2n}\\|f_\\lambda(x) - y\\|^2 = \\tfrac{n\\lambda^2}{2}\\|u^\\sharp\\|^2,

exactly (in rational arithmetic), with ``λ_c`` the first ``λ`` at which a slope jump of ``f_λ`` changes
sign (``nnlimits derive representational-cost`` derives it from the primal–dual equality).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

import sympy as sp

from theory.minnorm.cost import atom_masses, check_bias, kink_weight, kink_weight_float
from theory.minnorm.lp import _affine_below_weight, _fraction, interpolation_data


def _second_difference(x: np.ndarray) -> np.ndarray:
    """``D`` ((N−2) × N): ``(Dv)_k = (v_{k+1} − v_k)/h_k − (v_k − v_{k−1})/h_{k−1}``, the slope jump at
    ``x_k`` of the piecewise-linear function through ``(x, v)``."""
    h = np.diff(x)
    N = x.size
    D = np.zeros((max(N - 2, 0), N))
    for k in range(1, N - 1):
        D[k - 1, k - 1] = 1.0 / h[k - 1]
        D[k - 1, k] = -1.0 / h[k - 1] - 1.0 / h[k]
        D[k - 1, k + 1] = 1.0 / h[k]
    return D


def _validate_samples(x, y, lam) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    try:
        x = np.asarray(x, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise ValueError("x, y: expected arrays of real numbers") from None
    if x.size != y.size or x.size < 2:
        raise ValueError(f"x, y: expected equally many samples (>= 2), got {x.size} and {y.size}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x, y: contain NaN or infinite values")
    if isinstance(lam, bool) or not np.isfinite(lam) or lam <= 0:
        raise ValueError(f"lam: expected a positive finite number, got {lam!r}")
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    ux, inv, counts = np.unique(xs, return_inverse=True, return_counts=True)
    ybar = np.bincount(inv, weights=ys) / counts
    if ux.size < 2:
        raise ValueError("x: expected at least two distinct sample points")
    return ux, ybar, counts / x.size, x.size


@dataclass
class ERMResult:
    """The ERM ``f_λ``: the piecewise-linear function through ``(x, values)`` (extended linearly), its cost
    and diagnostics."""

    x: np.ndarray  # distinct sorted sample points
    values: np.ndarray
    lam: float
    misfit: float  # (1/2n) Σ (f(x_i) − y_i)²
    tv: float  # ∫|f''|
    boundary: float  # |f'(−∞) + f'(+∞)|
    kinks: int  # number of nonzero slope jumps (width needed: kinks + 2)
    kkt_residual: float  # max violation of the optimality conditions (relative to λ)
    excluded: int = 0  # candidate kinks left out as numerically dependent on active ones

    @property
    def cost_skip(self) -> float:
        return self.tv

    @property
    def cost_noskip(self) -> float:
        return max(self.tv, self.boundary)

    @property
    def boundary_inactive(self) -> bool:
        """``|f'(−∞) + f'(+∞)| ≤ ∫|f''|``: then ``f_λ`` is also the ERM without a skip term."""
        return self.boundary <= self.tv

    @property
    def objective(self) -> float:
        return self.misfit + self.lam * self.tv


#: a kink is added when its correlation exceeds λ by this relative margin (round-off guard)
ADD_TOL = 1e-10
#: largest condition number of the normal equations accepted when adding a kink
MAX_COND = 1e12


def _design(x: np.ndarray, knots: np.ndarray) -> np.ndarray:
    """Columns ``1, x, relu(x − t_k)``."""
    return np.column_stack([np.ones_like(x), x] + [np.maximum(x - t, 0.0) for t in knots])


def _correlations(x: np.ndarray, wr: np.ndarray) -> np.ndarray:
    """``c_k = Σ_i w_i r_i relu(x_i − x_k)`` for every sample point (suffix sums, O(n))."""
    P = np.concatenate([np.cumsum(wr[::-1])[::-1][1:], [0.0]])
    Q = np.concatenate([np.cumsum((wr * x)[::-1])[::-1][1:], [0.0]])
    return Q - x * P


class _Moments:
    """Suffix moments of the (centred) weighted samples: every inner product of the design columns
    ``1, x, relu(x − x_k)`` and the target is ``O(1)`` from them, so a step costs ``O(K²)`` for ``K`` kinks
    after an ``O(n)`` set-up."""

    def __init__(self, x: np.ndarray, w: np.ndarray, y: np.ndarray):
        def suffix(v):
            return np.concatenate([np.cumsum(v[::-1])[::-1], [0.0]])

        self.x = x
        self.S0, self.S1, self.S2 = suffix(w), suffix(w * x), suffix(w * x * x)
        self.Y0, self.Y1 = suffix(w * y), suffix(w * x * y)
        self.yy = float(np.sum(w * y * y))

    def gram(self, act: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """``G = BᵀWB`` and ``h = BᵀWȳ`` for the design ``1, x, relu(x − x_k), k ∈ act``."""
        k = np.asarray(act, dtype=np.int64)
        t = self.x[k]
        K = k.size
        S0, S1, S2 = self.S0, self.S1, self.S2
        G = np.empty((K + 2, K + 2))
        h = np.empty(K + 2)
        G[0, 0], G[0, 1], G[1, 0], G[1, 1] = S0[0], S1[0], S1[0], S2[0]
        h[0], h[1] = self.Y0[0], self.Y1[0]
        if K:
            G[0, 2:] = G[2:, 0] = S1[k] - t * S0[k]
            G[1, 2:] = G[2:, 1] = S2[k] - t * S1[k]
            h[2:] = self.Y1[k] - t * self.Y0[k]
            kk = np.maximum(k[:, None], k[None, :])
            G[2:, 2:] = S2[kk] - (t[:, None] + t[None, :]) * S1[kk] + np.outer(t, t) * S0[kk]
        return G, h


def regularized_erm(x, y, lam: float, max_iter: int = 10_000) -> ERMResult:
    """Free-bias ERM with a skip term (module docstring), by feature-sign search (Lee, Battle, Raina & Ng
    2007) over kinks at the interior sample points: an active-set method that solves the normal equations
    of the current kinks with their signs, line-searches across sign changes — repeating the step until the
    solution's signs agree with the signs it was solved with (a full step may be accepted although a
    coefficient crossed zero) — and adds the most violated kink, so the objective decreases strictly and the iteration ends in finitely many steps at a point
    satisfying the KKT conditions ``|c_k| ≤ λ`` (``c_k = Σ w_i r_i relu(x_i − x_k)``), equality with the
    right sign on the kinks — ``kkt_residual`` reports the largest violation relative to ``λ``. Samples may
    be unsorted and repeated (repeats are averaged, exactly). Cost ``O(n log n)`` plus ``O(K²)`` per step."""
    ux, ybar, w, n = _validate_samples(x, y, lam)
    shift = float(np.sum(w * ux))
    xc = ux - shift  # the problem is translation invariant; centring keeps the moments well conditioned
    mom = _Moments(xc, w, ybar)
    active: list[int] = []

    def solve(act, signs):
        G, h = mom.gram(act)
        h = h.copy()
        h[2:] -= lam * signs
        try:
            return np.linalg.solve(G, h)
        except np.linalg.LinAlgError:  # two kinks without a sample between them
            return np.linalg.lstsq(G, h, rcond=None)[0]

    def objective(act, b):
        G, h = mom.gram(act)
        return 0.5 * (float(b @ G @ b) - 2.0 * float(b @ h) + mom.yy) + lam * float(np.sum(np.abs(b[2:])))

    def residual(act, b):
        return _design(xc, xc[act]) @ b - ybar

    beta = solve(active, np.zeros(0))
    last = objective(active, beta)
    excluded: set[int] = set()
    steps = 0  # feature-sign steps, all outer rounds together (bounded by ``max_iter``)
    for _ in range(max_iter):
        c = _correlations(xc, w * residual(active, beta))
        c[0] = c[-1] = 0.0  # no kink at the end points (collinear with 1, x)
        c[active] = 0.0
        c[list(excluded)] = 0.0
        k = int(np.argmax(np.abs(c)))
        if abs(c[k]) <= lam * (1 + ADD_TOL):
            break
        if np.linalg.cond(mom.gram(active + [k])[0]) > MAX_COND:
            # a kink numerically on top of an active one (samples closer than ~1e-6 of the range): its
            # column is dependent on the active ones to round-off; leave it out (reported in ``excluded``)
            excluded.add(k)
            continue
        active.append(k)
        beta = np.concatenate([beta, [0.0]])
        signs = np.sign(beta[2:])
        signs[-1] = -np.sign(c[k])
        while True:  # feature-sign step until the signs are consistent
            steps += 1
            if steps > max_iter:  # pragma: no cover - each step lowers the objective strictly (Lee et al.)
                raise RuntimeError("regularized_erm: feature-sign search did not terminate")
            new = solve(active, signs)
            cur = beta
            d = new[2:] - cur[2:]
            with np.errstate(divide="ignore", invalid="ignore"):
                tz = -cur[2:] / d
            pts = [1.0] + [float(t) for t in tz if 0 < t < 1]
            best = min(pts, key=lambda t: objective(active, cur + t * (new - cur)))
            beta = cur + best * (new - cur)
            keep = [i for i in range(len(active)) if abs(beta[2 + i]) > 1e-14 * max(1.0, np.max(np.abs(beta)))]
            # Lee et al.'s step 4(a): the step ends only at the solution of the normal equations *with consistent
            # signs*. The line search may accept the full step although a coefficient has crossed zero (the
            # objective with the true |·| can be lowest there); its sign then differs from the one the normal
            # equations were solved with, and the step continues from there with the new signs.
            if len(keep) < len(active) or best < 1.0 or np.any(np.sign(beta[2:]) != signs):
                active = [active[i] for i in keep]
                beta = np.concatenate([beta[:2], beta[2:][keep]])
                signs = np.sign(beta[2:])
                if not active:
                    beta = solve(active, np.zeros(0))
                    break
                continue
            break
        now = objective(active, beta)
        if now >= last - 1e-15 * max(abs(last), 1e-300):  # no progress: round-off level (KKT residual reported)
            break
        last = now
    else:  # pragma: no cover - finite termination is guaranteed; this guards against round-off cycling
        raise RuntimeError("regularized_erm: feature-sign search did not terminate")
    order = np.argsort(xc[active]) if active else np.zeros(0, dtype=int)
    active = [active[i] for i in order]
    beta = np.concatenate([beta[:2], beta[2:][order]]) if active else beta
    r = residual(active, beta)
    v = r + ybar
    c = _correlations(xc, w * r)
    c[0] = c[-1] = 0.0
    viol = np.maximum(np.abs(c) - lam, 0.0)
    viol[list(excluded)] = 0.0
    if active:
        viol[active] = np.abs(c[active] + lam * np.sign(beta[2:]))
    slopes = np.diff(v) / np.diff(ux)
    misfit = 0.5 * float(np.sum(w * r * r)) + _within_variance(x, y, n)
    return ERMResult(ux, v, float(lam), misfit, float(np.sum(np.abs(beta[2:]))), abs(slopes[0] + slopes[-1]),
                     len(active), float(viol.max() / lam), len(excluded))


def _within_variance(x, y, n) -> float:
    """``(1/2n) Σ (y_i − ȳ(x_i))²``: the part of the misfit no function can remove (repeated abscissae)."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    ux, inv, counts = np.unique(x, return_inverse=True, return_counts=True)
    ybar = np.bincount(inv, weights=y) / counts
    return 0.5 * float(np.sum((y - ybar[inv]) ** 2)) / n


# ----------------------------------------------------------------------------------------------------
# linear response, exactly
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearResponse:
    """``u♯`` (the least-norm optimal dual certificate), ``n‖u♯‖²`` and ``λ_c`` as exact SymPy numbers
    (rational for the free bias, algebraic for the penalized one).

    For ``0 < λ ≤ λ_c``: ``y − f_λ(x) = nλu♯`` and ``R(f_λ) = R* − nλ‖u♯‖²``."""

    x: tuple[sp.Expr, ...]
    y: tuple[sp.Expr, ...]
    u: tuple[sp.Expr, ...]
    R_star: sp.Expr
    gap_coefficient: sp.Expr  # n‖u♯‖²
    lam_c: sp.Expr
    skip: bool
    bias: str = "free"

    def values(self, lam) -> list[sp.Expr]:
        """``f_λ(x_i) = y_i − nλu♯_i`` (exact for ``λ ≤ λ_c``)."""
        lam = sp.Rational(_fraction(lam, "lam").numerator, _fraction(lam, "lam").denominator)
        n = len(self.x)
        return [sp.expand(yi - n * lam * ui) for yi, ui in zip(self.y, self.u)]


def _simp(e) -> sp.Expr:
    return sp.radsimp(sp.expand(e))


def _check_first_sign_change(D: sp.Matrix, ys, u, Dy: sp.Matrix, A: list[int], n: int, lam_c) -> None:
    """Certificate of ``λ_c`` (before the boundary term lowers it): the slope jumps of ``f_λ = y − nλu♯`` at the
    interior points, ``D(y − nλu♯)``, are affine in ``λ``, so the active ones (``(Dy)_k ≠ 0``) keep their signs
    on ``[0, λ_c]`` iff none has changed sign at ``λ_c`` itself, and ``λ_c`` is the first sign change iff one
    of them vanishes there. Evaluated from ``u♯`` directly, exactly. ``lam_c = None``: no active jump ever
    vanishes, i.e. ``sign((Dy)_k)·(Du♯)_k ≤ 0`` for each (the jump moves away from 0 as ``λ`` grows).
    ``RuntimeError`` if the certificate fails."""
    if lam_c is None:
        rate = D * sp.Matrix(u)
        bad = [k for k in A if _simp(sp.sign(Dy[k]) * rate[k]) > 0]
        if bad:
            raise RuntimeError(f"linear_response: no critical λ found, but the slope jump at node {bad[0] + 1} "
                               "shrinks towards 0 as λ grows")
        return
    jumps = D * sp.Matrix([yi - n * lam_c * ui for yi, ui in zip(ys, u)])
    signed = [_simp(sp.sign(Dy[k]) * jumps[k]) for k in A]
    if any(v < 0 for v in signed):
        k = A[next(i for i, v in enumerate(signed) if v < 0)]
        raise RuntimeError(f"linear_response: at λ_c = {lam_c} the slope jump at node {k + 1} has already changed sign")
    if not any(v == 0 or sp.simplify(v) == 0 for v in signed):
        raise RuntimeError(f"linear_response: at λ_c = {lam_c} no active slope jump vanishes (not a sign change)")


def linear_response(x: Sequence, y: Sequence, skip: bool = False, bias: str = "free") -> LinearResponse:
    """Exact linear response of the ERM on distinct sorted points (module docstring), for the free bias
    (``ω ≡ 1``) or the penalized one (``ω(t) = √(1 + t²)``), uniform weights ``1/n``.

    Construction: kinks at the interior data points with the signs of the data's slope jumps ``Dy``; the
    dual ``u♯ = Dᵀz♯`` with ``z♯_k = ω(x_k) sign((Dy)_k)`` on those nodes and, on collinear nodes, the
    least-squares ``z`` (so ``‖u♯‖`` is least). Certificates, all exact: ``u♯`` is dual feasible for a kink at
    *every* ``t`` (so ``R* = ⟨u♯, y⟩ = Σ ω(x_k)|(Dy)_k|`` is the minimum — for the penalized bias this
    fails when the minimiser needs kinks between data points, and ``ValueError`` says so); ``λ_c`` is the
    first ``λ`` at which a slope jump of ``f_λ = y − nλu♯`` changes sign; without a skip term the boundary
    term must stay inactive, ``f'(−∞) ∈ [−μ⁺, μ⁻]`` (checked at ``λ = 0`` and ``λ_c``; ``λ_c`` is lowered to
    where it stops holding, and ``ValueError`` if it fails at ``λ = 0``)."""
    check_bias(bias)
    data = interpolation_data(x, y)
    if data.regions:
        raise ValueError("regions: linear_response takes points only")
    xs = [sp.Rational(v.numerator, v.denominator) for v in data.x]
    ys = [sp.Rational(v.numerator, v.denominator) for v in data.y]
    N = len(xs)
    if N < 3:
        raise ValueError(f"x: expected at least three distinct points, got {N}")
    n = N
    h = [xs[i + 1] - xs[i] for i in range(N - 1)]
    D = sp.zeros(N - 2, N)
    for k in range(1, N - 1):
        D[k - 1, k - 1] = 1 / h[k - 1]
        D[k - 1, k] = -1 / h[k - 1] - 1 / h[k]
        D[k - 1, k + 1] = 1 / h[k]
    Y = sp.Matrix(ys)
    Dy = D * Y
    omega = [kink_weight(xs[k], bias) for k in range(1, N - 1)]
    A = [k for k in range(N - 2) if Dy[k] != 0]
    F = [k for k in range(N - 2) if Dy[k] == 0]
    z = sp.zeros(N - 2, 1)
    for k in A:
        z[k] = omega[k] * sp.sign(Dy[k])
    DDt = D * D.T
    if F:
        G = DDt.extract(F, F)
        r = -DDt.extract(F, A) * sp.Matrix([z[k] for k in A]) if A else sp.zeros(len(F), 1)
        zf = G.LUsolve(r)
        if any(sp.Abs(zf[i]) > omega[k] for i, k in enumerate(F)):
            raise ValueError("y: degenerate data (a collinear node leaves the active set); u♯ is not of the simple form")
        for i, k in enumerate(F):
            z[k] = _simp(zf[i])
    u = [_simp(v) for v in D.T * z]
    R_star = _simp(sum((omega[k] * sp.Abs(Dy[k]) for k in A), sp.Integer(0)))
    # dual feasibility for every kink position: L(t) = Σ_{x_i > t} u_i (x_i − t), affine between data points
    gaps = [(None, data.x[0])] + list(zip(data.x[:-1], data.x[1:])) + [(data.x[-1], None)]
    for lo, hi in gaps:
        right = [i for i in range(N) if (lo is None or data.x[i] > lo)]
        alpha = _simp(sum((u[i] * xs[i] for i in right), sp.Integer(0)))
        beta = _simp(-sum((u[i] for i in right), sp.Integer(0)))
        for sgn in (1, -1):
            if not _affine_below_weight(sgn * alpha, sgn * beta, lo, hi, bias):
                raise ValueError("bias: the minimiser needs kinks between data points (u♯ built on the data "
                                 "points is not dual feasible); no closed-form linear response")
    uu = sum((v * v for v in u), sp.Integer(0))
    dd = DDt * z
    cands = [sp.Abs(Dy[k]) / (n * sp.Abs(dd[k])) for k in A if dd[k] != 0 and (dd[k] > 0) == (Dy[k] > 0)]
    lam_c = min(cands, key=lambda v: float(v)) if cands else sp.Integer(10**9)
    _check_first_sign_change(D, ys, u, Dy, A, n, lam_c if cands else None)

    def boundary_ok(lam) -> bool:
        """``f'(−∞) ∈ [−μ⁺(ℝ), μ⁻(ℝ)]`` for the piecewise-linear interpolant of ``v = y − nλu♯``: its slope jumps
        are ``Dv``, their masses :func:`theory.minnorm.cost.atom_masses` (those the cost is defined with)."""
        v = [yi - n * lam * ui for yi, ui in zip(ys, u)]
        mu_p, mu_m = atom_masses(D * sp.Matrix(v))
        return bool(-mu_p <= (v[1] - v[0]) / h[0] <= mu_m)

    if not skip:
        if not boundary_ok(sp.Integer(0)):
            raise ValueError("skip: without a skip term linear_response needs the boundary term inactive "
                             "(f'(−∞) ∈ [−μ⁺, μ⁻] for the piecewise-linear interpolant)")
        if not boundary_ok(lam_c):  # both sides are affine in λ on (0, λ_c]: bisect for the first failure
            lo_, hi_ = sp.Integer(0), sp.Rational(Fraction(float(lam_c)).limit_denominator(10**6))
            for _ in range(60):
                mid = (lo_ + hi_) / 2
                lo_, hi_ = (mid, hi_) if boundary_ok(mid) else (lo_, mid)
            lam_c = lo_
    return LinearResponse(tuple(xs), tuple(ys), tuple(u), R_star, _simp(n * uu), _simp(lam_c), skip, bias)


# ----------------------------------------------------------------------------------------------------
# the ERM of a few points for either bias, by enumeration of the kink signs
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SmallERM:
    """The exact weight-decay ERM of a few points (:func:`small_erm`): the minimiser's norm ``R(f_λ)``,
    misfit ``M`` and objective ``J = M + λR``, its kinks (at the interior data points) and the largest
    violation of the optimality conditions over every kink position ``t ∈ ℝ`` (relative to ``λω(t)``)."""

    lam: float
    bias: str
    norm: float  # R(f_λ) = Σ ω(x_k)|J_k|
    misfit: float  # (1/2n) Σ (f_λ(x_i) − y_i)²
    jumps: np.ndarray  # J_k at the interior points
    values: np.ndarray  # f_λ(x_i)
    kkt_residual: float

    @property
    def objective(self) -> float:
        return self.misfit + self.lam * self.norm


def _max_ratio_affine(alpha: float, beta: float, lo: float, hi: float, bias: str) -> float:
    """``max |α − βt| / ω(t)`` over ``t ∈ [lo, hi]``: the end points and, for ``ω = √(1 + t²)``, the
    stationary point ``t = −β/α`` (value ``√(α² + β²)``)."""
    w = (lambda t: 1.0) if bias == "free" else (lambda t: float(np.hypot(1.0, t)))
    best = max(abs(alpha - beta * lo) / w(lo), abs(alpha - beta * hi) / w(hi))
    if bias != "free" and alpha != 0.0 and lo < -beta / alpha < hi:
        best = max(best, float(np.hypot(alpha, beta)))
    return best


def small_erm(x, y, lam: float, bias: str = "free", kkt_tol: float = 1e-9) -> SmallERM:
    """Exact minimiser of ``(1/2n)Σ(f(x_i) − y_i)² + λR_ω(f)`` over shallow ReLU networks of any width with a
    free output bias and no skip term, for a few distinct points (``n ≤ 12``), either bias.

    Method, independent of the closed forms of :func:`linear_response`: with a free affine part the problem
    is a weighted lasso over kinks at the interior data points (weights ``ω(x_k)``); every sign pattern of
    the kinks is tried (``3^{n−2}``), each by its normal equations, and the one meeting the optimality
    conditions is kept (the fitted values are unique: the misfit is strictly convex in them). The
    conditions are then checked for a kink at *every* ``t ∈ ℝ`` (``|c(t)| ≤ λω(t)``, ``c`` affine between
    data points: exact maxima per interval), so kinks between data points cannot do better; and the
    boundary term must vanish at the minimiser (``f'(+∞) ∈ [−μ⁻, μ⁺]``), so the free affine part costs
    nothing and the minimiser is also the one without a skip term. ``ValueError`` if either fails."""
    check_bias(bias)
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size or not 3 <= x.size <= 12 or np.any(np.diff(x) <= 0):
        raise ValueError("x, y: expected 3 to 12 points with strictly increasing abscissae")
    if not (np.isfinite(lam) and lam > 0):
        raise ValueError(f"lam: expected a positive number, got {lam!r}")
    n = x.size
    knots = x[1:-1]
    w = np.array([float(kink_weight_float(t, bias)) for t in knots])
    B = _design(x, knots)
    G = B.T @ B / n
    h = B.T @ y / n
    K = knots.size
    best = None
    for pattern in np.ndindex(*(3,) * K):
        s = np.array(pattern, dtype=float) - 1.0
        cols = [0, 1] + [2 + k for k in range(K) if s[k] != 0]
        rhs = h[cols] - lam * np.concatenate([[0.0, 0.0], (w * s)[s != 0]])
        try:
            sol = np.linalg.solve(G[np.ix_(cols, cols)], rhs)
        except np.linalg.LinAlgError:
            continue
        beta = np.zeros(K + 2)
        beta[cols] = sol
        if np.any(np.sign(beta[2:][s != 0]) != s[s != 0]):
            continue
        r = y - B @ beta
        c = np.array([np.sum(r * np.maximum(x - t, 0.0)) / n for t in knots])
        if np.all(np.abs(c[s == 0]) <= lam * w[s == 0] * (1 + kkt_tol)):
            best = (beta, r)
            break
    if best is None:
        raise ValueError("small_erm: no sign pattern meets the optimality conditions (round-off?)")
    beta, r = best
    worst = 0.0
    for j in range(n - 1):  # c(t) = (1/n) Σ_{x_i > t} r_i (x_i − t) on [x_j, x_{j+1}]
        right = slice(j + 1, n)
        alpha, slope = float(np.sum(r[right] * x[right]) / n), float(np.sum(r[right]) / n)
        worst = max(worst, _max_ratio_affine(alpha, slope, x[j], x[j + 1], bias) / lam - 1.0)
    if worst > kkt_tol:
        raise ValueError(f"small_erm: a kink between data points would lower the objective (violation {worst:.3g})")
    J = beta[2:]
    s_plus = beta[1] + float(J.sum())
    mu_p, mu_m = float(J[J > 0].sum()), float(-J[J < 0].sum())
    slack = 1e-12 * (1.0 + float(np.max(np.abs(y))) / float(np.ptp(x)))  # round-off of slopes ~ |y|/span
    if s_plus > mu_p * (1 + kkt_tol) + slack or s_plus < -mu_m * (1 + kkt_tol) - slack:
        raise ValueError("small_erm: the boundary term is active at the minimiser (no skip term needed otherwise)")
    return SmallERM(float(lam), bias, float(np.sum(w * np.abs(J))), 0.5 * float(r @ r) / n, J.copy(),
                    y - r, max(worst, 0.0))
