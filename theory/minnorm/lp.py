"""Minimum-norm interpolation in 1-D: data points and *known regions*, by an exact LP over kink weights
(Park, Pelakh & Wojtowytsch, NeurIPS 2023, arXiv 2311.06138, the known-regions setting).

Problem. Given points ``(x_i, y_i)`` and regions ``[p_k, q_k]`` on which ``f = g_k`` is known (a piecewise
polynomial), minimise the representational cost ``R(f)`` of :mod:`theory.minnorm.cost` over all interpolants.

LP over kink weights. Write ``f(x) = c₀ + s₋x + Σ_k J_k relu(x − t_k) + Φ(x)`` where ``Φ`` carries the
curvature prescribed inside the regions (fixed), ``s₋ = f'(−∞)`` and the ``J_k = J_k⁺ − J_k⁻`` are kinks at
candidate positions ``t_k`` outside the regions' interiors. The interpolation conditions (values at points,
value and right slope at each region's left end) are linear in ``(c₀, s₋, J)``. The cost is
``Σ ω(t_k)(J_k⁺ + J_k⁻) + 2ω_min D + C_fixed`` with, without a skip term, the boundary slack
``D ≥ max(0, −s₋ − μ⁺, s₋ − μ⁻)`` (``μ^± = ΣJ^± + ν^±``; the same condition as ``s₊ ∈ [−μ⁻, μ⁺]``).

* Free bias (``ω ≡ 1``): kinks at the nodes (points and region ends) suffice — by the mean value theorem
  every interpolant has ``∫|f''| ≥`` the variation of the sequence of node-to-node slopes, with equality for
  the piecewise-linear interpolant — so the LP over node kinks is exact. Its optimum is *verified in
  rational arithmetic*: an exact primal (solved on the LP's support) and an exact dual certificate
  (complementary slackness; where a degenerate LP leaves it undetermined and the particular solution is
  infeasible, the LP's marginals rationalised with the smallest denominators that certify) with equal
  objective values, the dual checked feasible for a kink at *every* ``t ∈ ℝ`` outside the regions, not
  only at the candidates.
* Penalized bias (``ω(t) = √(1 + t²)``): kinks may sit between nodes; column generation adds, per gap, the
  point maximising the dual violation (closed form ``t* = β/√(1 − β²)``) until none is left. The result is
  a certified bracket ``[lower, upper]``: ``lower = ⟨κu, b⟩`` from the rationalised LP dual ``u`` scaled to the
  boundary of the feasible set (:func:`_shrink_to_feasible`: ``κ_max/(1 + 2⁻⁵⁰) < κ ≤ κ_max``, ``κ_max`` the
  largest feasible multiple), checked feasible for every ``t`` (squared comparisons, exact); ``upper`` the
  exact cost of an exactly interpolating primal, its kinks netted per position and ``D`` recomputed from the
  net ``μ^±`` (an LP optimum may hold ``J⁺ = J⁻ > 0`` at one ``t``: an affine part, priced ``2ω(t)`` there and
  ``2ω_min`` by ``D``, so the netted cost is at most the LP's).

Closed forms (free bias; cross-checks): with ``V`` the variation of the slope sequence (:func:`closed_form_value`),
``R* = V`` with a skip term and ``R* = max(V, (V + |σ|)/2)`` without (``σ`` = first + last slope); for points,
Hanin (2021) characterises *all* minimisers (:func:`hanin_envelopes`) and the sparsest ones pair up kinks
inside runs of equal discrete curvature (:func:`sparsest_interpolant`; ``⌈c/2⌉`` kinks per run of ``c``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy as sp
from scipy.optimize import linprog

from theory.minnorm.cost import (X, Piecewise1D, _density_masses, as_piecewise, atom_masses, check_bias, kink_weight,
                                  kink_weight_float, representational_cost)

#: tolerance of the float LP when reading its support and when adding columns (the result is verified exactly)
LP_TOL = 1e-9
#: HiGHS primal and dual feasibility tolerances of the float LP (its defaults, 1e-7, leave marginals whose
#: rationalised dual must be scaled down by ≈ 1e-8 relative: the penalized bracket's width)
HIGHS_TOL = 1e-10
#: largest denominator tried when rationalising a float dual/primal before exact verification
MAX_DENOMINATOR = 10**12
#: denominators tried, smallest first, when a free-bias dual is read from the LP's marginals (its optimum is
#: rational with small denominators; a large bound can pick a nearby fraction of the float's round-off)
FREE_DENOMINATORS = (10**3, 10**6, 10**9, MAX_DENOMINATOR)
#: relative resolution of the penalized certificate's scaling (:func:`_shrink_to_feasible`): the certified dual
#: ``κu`` has ``κ_max/(1 + KAPPA_RTOL) < κ ≤ κ_max``, ``κ_max`` the largest feasible multiple of ``u``
KAPPA_RTOL = Fraction(1, 2**50)
#: doublings/halvings tried when the float estimate of ``κ_max`` does not bracket it
KAPPA_STEPS = 200


# ----------------------------------------------------------------------------------------------------
# exact scalars
# ----------------------------------------------------------------------------------------------------
def _fraction(v, name: str) -> Fraction:
    if isinstance(v, bool):
        raise ValueError(f"{name}: expected a real number, got {v!r}")
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(float(v)):
            raise ValueError(f"{name}: expected finite numbers, got {v!r}")
        return Fraction(float(v))
    if isinstance(v, sp.Basic):
        e = sp.nsimplify(v) if not v.is_Rational else v
        if e.is_Rational:
            return Fraction(int(e.p), int(e.q))
        raise ValueError(f"{name}: expected a rational number, got {v}")
    raise ValueError(f"{name}: expected a real number, got {type(v).__name__}")


def _rat(v: Fraction) -> sp.Rational:
    return sp.Rational(v.numerator, v.denominator)


def _nsimplify(e) -> sp.Expr:
    """``sp.nsimplify`` except on a Rational, which it returns as is (SymPy 1.14's nsimplify rewrites some
    rationals, e.g. 2189/153, as products of fractional powers)."""
    e = sp.sympify(e)
    return e if e.is_Rational else sp.nsimplify(e)


def _frac(e: sp.Expr) -> Fraction:
    e = _nsimplify(e)
    if not e.is_Rational:
        raise ValueError(f"expected a rational value, got {e}")
    return Fraction(int(e.p), int(e.q))


# ----------------------------------------------------------------------------------------------------
# problem data
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KnownRegion:
    """``f = g`` on ``[lo, hi]`` (``lo < hi`` rational, ``g`` a piecewise polynomial with rational
    coefficients, continuous on the region)."""

    lo: Fraction
    hi: Fraction
    g: Piecewise1D

    @classmethod
    def make(cls, lo, hi, g) -> "KnownRegion":
        lo, hi = _fraction(lo, "region lo"), _fraction(hi, "region hi")
        if not lo < hi:
            raise ValueError(f"regions: expected lo < hi, got [{lo}, {hi}]")
        if isinstance(g, (int, float, Fraction, np.integer, np.floating)) and not isinstance(g, bool):
            g = sp.Rational(_fraction(g, "region g"))
        g = as_piecewise(sp.sympify(g) if not isinstance(g, Piecewise1D) else g)
        inner = [t for t in g.breaks if lo < t < hi]
        for t in inner:
            k = g.breaks.index(t)
            if sp.simplify(g.pieces[k].subs(X, t) - g.pieces[k + 1].subs(X, t)) != 0:
                raise ValueError(f"regions: g is discontinuous at {t} inside [{lo}, {hi}] (infinite cost)")
        return cls(lo, hi, g)

    def value(self, x: Fraction) -> Fraction:
        return _frac(self.g(_rat(x)))

    def slope_right(self, x: Fraction) -> Fraction:
        return _frac(self.g.derivative_right(_rat(x)))

    def slope_left(self, x: Fraction) -> Fraction:
        return _frac(self.g.derivative_left(_rat(x)))

    def agrees_with(self, other: "KnownRegion", lo: Fraction, hi: Fraction) -> bool:
        """Whether ``g`` and ``other.g`` coincide on ``[lo, hi]`` (exactly)."""
        pts = sorted({lo, hi} | {_fraction(t, "break") for t in self.g.breaks + other.g.breaks
                                 if lo < t < hi and _nsimplify(t).is_Rational})
        for a, b in zip(pts[:-1], pts[1:]):
            mid = _rat((a + b) / 2)
            pa = self.g.pieces[self.g.piece_index(mid)]
            pb = other.g.pieces[other.g.piece_index(mid)]
            if sp.expand(pa - pb) != 0:
                return False
        return sp.simplify(self.g(_rat(lo)) - other.g(_rat(lo))) == 0


@dataclass(frozen=True)
class Node:
    """A constraint location: a data point, or a region's left/right end."""

    x: Fraction
    y: Fraction
    kind: str  # "point", "start", "end"
    region: int = -1


@dataclass(frozen=True)
class InterpolationData:
    """Sorted, validated points and disjoint regions (see :func:`interpolation_data`)."""

    x: tuple[Fraction, ...]
    y: tuple[Fraction, ...]
    regions: tuple[KnownRegion, ...] = ()

    @property
    def nodes(self) -> list[Node]:
        nodes = [Node(x, y, "point") for x, y in zip(self.x, self.y)]
        for k, r in enumerate(self.regions):
            nodes.append(Node(r.lo, r.value(r.lo), "start", k))
            nodes.append(Node(r.hi, r.value(r.hi), "end", k))
        return sorted(nodes, key=lambda nd: (nd.x, {"end": 0, "point": 1, "start": 2}[nd.kind]))

    def slope_sequence(self) -> tuple[list[Fraction], list[bool], Fraction]:
        """The slopes of the piecewise-linear interpolant between consecutive nodes, with each region's
        one-sided end slopes in place (``inside[k]``: the change from slope ``k−1`` to ``k`` happens inside a
        region and is already in ``internal``), and the regions' internal variation ``∫_{(p,q)}|g''|``.
        The mean-value-theorem lower bound of ``∫|f''|`` is ``Σ_{not inside}|Δ slopes| + internal``."""
        nodes = self.nodes
        seq: list[Fraction] = []
        inside: list[bool] = []
        internal = Fraction(0)
        for a, b in zip(nodes[:-1], nodes[1:]):
            if a.kind == "start":
                r = self.regions[a.region]
                seq.append(r.slope_right(r.lo))
                inside.append(False)
                internal += _frac(representational_cost(_restrict(r.g, r.lo, r.hi), "free", skip=True))
                seq.append(r.slope_left(r.hi))
                inside.append(True)
                continue
            seq.append((b.y - a.y) / (b.x - a.x))
            inside.append(False)
        return seq, inside, internal


def _restrict(g: Piecewise1D, lo: Fraction, hi: Fraction) -> Piecewise1D:
    """``g`` on ``[lo, hi]``, extended affinely outside (so that its cost is the internal variation)."""
    lo_r, hi_r = _rat(lo), _rat(hi)
    breaks = [t for t in g.breaks if lo_r < t < hi_r]
    pieces = [g.pieces[g.piece_index((lo_r + (breaks[0] if breaks else hi_r)) / 2)]]
    for k, t in enumerate(breaks):
        nxt = breaks[k + 1] if k + 1 < len(breaks) else hi_r
        pieces.append(g.pieces[g.piece_index((t + nxt) / 2)])
    first = pieces[0]
    last = pieces[-1]
    left = sp.expand(first.subs(X, lo_r) + sp.diff(first, X).subs(X, lo_r) * (X - lo_r))
    right = sp.expand(last.subs(X, hi_r) + sp.diff(last, X).subs(X, hi_r) * (X - hi_r))
    return Piecewise1D(tuple([lo_r] + breaks + [hi_r]), tuple([left] + pieces + [right])).simplified()


def interpolation_data(x: Sequence = (), y: Sequence = (), regions: Sequence = ()) -> InterpolationData:
    """Validate points and known regions.

    Raises ``ValueError`` naming the argument for: non-finite or non-real entries; ``x`` and ``y`` of
    different lengths; ``x`` not sorted (non-decreasing); a repeated ``x`` with different ``y``; a region
    with ``lo ≥ hi`` or a discontinuous ``g``; overlapping (or touching) regions whose functions differ on
    the overlap; a point inside a region with a value different from the region's. Repeated points with
    equal values are merged; overlapping regions that agree are merged.
    ``regions`` is a sequence of :class:`KnownRegion` or ``(lo, hi, g)`` triples.
    """
    xs = [_fraction(v, "x") for v in np.asarray(x, dtype=object).ravel()] if len(x) else []
    ys = [_fraction(v, "y") for v in np.asarray(y, dtype=object).ravel()] if len(y) else []
    if len(xs) != len(ys):
        raise ValueError(f"x, y: expected the same length, got {len(xs)} and {len(ys)}")
    for i in range(1, len(xs)):
        if xs[i] < xs[i - 1]:
            raise ValueError(f"x: expected sorted (non-decreasing) abscissae, got x[{i - 1}] = {float(xs[i - 1])} > "
                             f"x[{i}] = {float(xs[i])}; sort the data (with y) first")
    px, py = [], []
    for xi, yi in zip(xs, ys):
        if px and xi == px[-1]:
            if yi != py[-1]:
                raise ValueError(f"y: the point x = {float(xi)} is given twice with different values "
                                 f"{float(py[-1])} and {float(yi)}")
            continue
        px.append(xi)
        py.append(yi)
    regs = [r if isinstance(r, KnownRegion) else KnownRegion.make(*r) for r in regions]
    regs.sort(key=lambda r: r.lo)
    merged: list[KnownRegion] = []
    for r in regs:
        if merged and r.lo <= merged[-1].hi:
            prev = merged[-1]
            lo, hi = r.lo, min(r.hi, prev.hi)
            ok = prev.agrees_with(r, lo, hi) if lo < hi else sp.simplify(prev.g(_rat(lo)) - r.g(_rat(lo))) == 0
            if not ok:
                raise ValueError(f"regions: [{float(prev.lo)}, {float(prev.hi)}] and [{float(r.lo)}, {float(r.hi)}] "
                                 f"overlap on [{float(lo)}, {float(hi)}] with conflicting values")
            if r.hi > prev.hi:
                merged[-1] = KnownRegion(prev.lo, r.hi, _join(prev.g, r.g, prev.hi))
            continue
        merged.append(r)
    if any(not p.hi < q.lo for p, q in zip(merged[:-1], merged[1:])):
        raise RuntimeError("regions: merging left regions that are unsorted, overlapping or touching: "
                           f"{[(float(r.lo), float(r.hi)) for r in merged]}")
    keep_x, keep_y = [], []
    for xi, yi in zip(px, py):
        inside = [r for r in merged if r.lo <= xi <= r.hi]
        if inside:
            if inside[0].value(xi) != yi:
                raise ValueError(f"y: the point ({float(xi)}, {float(yi)}) lies in the region "
                                 f"[{float(inside[0].lo)}, {float(inside[0].hi)}] where f = {float(inside[0].value(xi))}")
            continue
        keep_x.append(xi)
        keep_y.append(yi)
    if not keep_x and not merged:
        raise ValueError("x, regions: expected at least one data point or region")
    return InterpolationData(tuple(keep_x), tuple(keep_y), tuple(merged))


def _join(g1: Piecewise1D, g2: Piecewise1D, at: Fraction) -> Piecewise1D:
    """``g1`` left of ``at``, ``g2`` right of it (values agree at ``at``)."""
    t = _rat(at)
    b1 = [b for b in g1.breaks if b < t]
    p1 = [g1.pieces[i] for i in range(len(b1) + 1)]
    b2 = [b for b in g2.breaks if b > t]
    k2 = g2.piece_index(t)
    p2 = [g2.pieces[k2 + i] for i in range(len(b2) + 1)]
    return Piecewise1D(tuple(b1 + [t] + b2), tuple(p1 + p2)).simplified()


# ----------------------------------------------------------------------------------------------------
# closed forms (free bias)
# ----------------------------------------------------------------------------------------------------
def closed_form_value(data: InterpolationData, skip: bool = False) -> Fraction:
    """Minimum free-bias cost: ``V = Σ|Δ slopes| + internal`` with a skip term, ``max(V, (V + |σ|)/2)``
    without (``σ`` = first + last slope of the sequence; Savarese's boundary term, outer slopes optimised).
    Exact (a Fraction)."""
    seq, inside, internal = data.slope_sequence()
    V = internal + sum((abs(seq[k] - seq[k - 1]) for k in range(1, len(seq)) if not inside[k]), Fraction(0))
    if skip or not seq:
        return V
    sigma = seq[0] + seq[-1]
    return max(V, (V + abs(sigma)) / 2)


@dataclass(frozen=True)
class HaninSet:
    """All free-bias minimum-norm interpolants of points (Hanin 2021): ``f`` equals the piecewise-linear
    interpolant except on the *free* intervals ``[x_k, x_{k+1}]`` (discrete curvature ``ε`` of one sign at
    both ends); on each maximal run of free intervals ``f`` is convex (ε = +1) / concave (ε = −1) through the
    data, so it lies between ``upper`` (the chords, for ε = +1) and ``lower`` (the apex of the neighbouring
    segments' lines). The envelopes are sharp pointwise — every value between them at a point is attained
    by some minimiser — but not simultaneously on two adjacent free intervals (``f'`` must stay monotone
    across their common node)."""

    x: tuple[Fraction, ...]
    y: tuple[Fraction, ...]
    curvature: tuple[int, ...]  # ε_k at x_k, k = 1..N−2 (0-based interior nodes)
    free: tuple[int, ...]  # indices k of free intervals [x_k, x_{k+1}]
    lower: Piecewise1D
    upper: Piecewise1D


def _slopes(x, y) -> list[Fraction]:
    return [(y[i + 1] - y[i]) / (x[i + 1] - x[i]) for i in range(len(x) - 1)]


def _sign(v: Fraction) -> int:
    return (v > 0) - (v < 0)


def _apex(x, y, k: int) -> tuple[Fraction, Fraction]:
    """Intersection of the lines through segments ``k−1`` and ``k+1`` (it lies in ``[x_k, x_{k+1}]`` on a
    free interval)."""
    d = _slopes(x, y)
    # line_{k-1}: y_k + d[k-1](t - x_k);  line_{k+1}: y_{k+1} + d[k+1](t - x_{k+1})
    t = (y[k + 1] - y[k] - d[k + 1] * x[k + 1] + d[k - 1] * x[k]) / (d[k - 1] - d[k + 1])
    return t, y[k] + d[k - 1] * (t - x[k])


def hanin_envelopes(x: Sequence, y: Sequence, skip: bool = True) -> HaninSet:
    """The set of free-bias minimum-norm interpolants of the points (Hanin 2021, Theorem 1).

    Valid with a skip term, and without one whenever ``V ≥ |σ|`` (then the boundary term is inactive and the
    minimisers coincide; otherwise ``ValueError``)."""
    data = interpolation_data(x, y)
    if data.regions:
        raise ValueError("regions: hanin_envelopes takes points only")
    xs, ys = data.x, data.y
    if len(xs) < 2:
        raise ValueError(f"x: expected at least two distinct points, got {len(xs)}")
    d = _slopes(xs, ys)
    if not skip:
        V = sum((abs(b - a) for a, b in zip(d[:-1], d[1:])), Fraction(0))
        if V < abs(d[0] + d[-1]):
            raise ValueError("skip: without a skip term the boundary term is active (V < |σ|); the minimisers "
                             "then differ from Hanin's set")
    eps = tuple(_sign(d[k] - d[k - 1]) for k in range(1, len(d)))  # eps[k-1] at x_k, k = 1..N-2
    free = tuple(k for k in range(1, len(xs) - 2) if eps[k - 1] == eps[k] != 0)
    up_x, up_y, lo_x, lo_y = [], [], [], []
    for k in range(len(xs)):
        up_x.append(xs[k])
        up_y.append(ys[k])
        lo_x.append(xs[k])
        lo_y.append(ys[k])
        if k in free:
            t, v = _apex(xs, ys, k)
            if xs[k] < t < xs[k + 1]:
                # convex: the chord is the upper envelope and the apex path the lower one; concave: reversed
                (lo_x if eps[k - 1] > 0 else up_x).append(t)
                (lo_y if eps[k - 1] > 0 else up_y).append(v)
    return HaninSet(xs, ys, eps, free, Piecewise1D.linear_interpolant(lo_x, lo_y),
                    Piecewise1D.linear_interpolant(up_x, up_y))


def sparsest_interpolant(x: Sequence, y: Sequence) -> Piecewise1D:
    """A free-bias minimum-norm interpolant with the fewest kinks: inside each run of ``c`` consecutive
    interior nodes with the same discrete curvature, adjacent kinks are paired left to right and each pair
    is replaced by one kink at the apex of the neighbouring segments' lines (``⌈c/2⌉`` kinks per run; a
    kink can serve at most the two slope changes on either side of the segment that contains it, so no
    interpolant does with fewer). Unique when every run has even length (cf. Boursier & Flammarion 2023)."""
    data = interpolation_data(x, y)
    if data.regions:
        raise ValueError("regions: sparsest_interpolant takes points only")
    xs, ys = data.x, data.y
    if len(xs) == 1:  # one point: the constant through it (cost 0)
        return Piecewise1D((), (_rat(ys[0]),))
    if len(xs) < 3:
        return Piecewise1D.linear_interpolant(xs, ys)
    d = _slopes(xs, ys)
    eps = [0] + [_sign(d[k] - d[k - 1]) for k in range(1, len(d))] + [0]  # eps[k] at x_k, 0 at the ends
    kx, ky = [xs[0]], [ys[0]]
    k = 1
    while k < len(xs) - 1:
        if eps[k] != 0 and eps[k + 1] == eps[k] and k + 1 < len(xs) - 1:
            t, v = _apex(xs, ys, k)
            kx.append(t)
            ky.append(v)
            k += 2
            continue
        kx.append(xs[k])
        ky.append(ys[k])
        k += 1
    if kx[-1] != xs[-1]:
        kx.append(xs[-1])
        ky.append(ys[-1])
    return Piecewise1D.linear_interpolant(kx, ky)


def count_kinks(f: Piecewise1D) -> int:
    return sum(1 for J in f.jumps() if J != 0)


# ----------------------------------------------------------------------------------------------------
# the LP
# ----------------------------------------------------------------------------------------------------
@dataclass
class _LP:
    """``min c·z  s.t.  A_eq z = b_eq, A_ub z ≤ b_ub``; ``z = (c₀, s₋, J⁺, J⁻, D)``, the first two free."""

    cand: list[Fraction]
    A_eq: list[list[Fraction]]
    b_eq: list[Fraction]
    A_ub: list[list[Fraction]]
    b_ub: list[Fraction]
    rows: list[tuple]  # description of equality rows: ("value", x) / ("slope", p)
    fixed_cost: sp.Expr
    skip: bool


def _fixed_curvature(data: InterpolationData, bias: str):
    """Atoms strictly inside regions (and at merged junctions) and the regions' densities:
    ``Φ`` at a point, ``Φ'`` right of a point, ``ν^±`` totals and the fixed weighted cost."""
    atoms: list[tuple[Fraction, Fraction]] = []
    dens: list[tuple[Fraction, Fraction, sp.Expr]] = []
    cost = sp.Integer(0)
    nu_pos, nu_neg = Fraction(0), Fraction(0)
    for r in data.regions:
        g = _restrict(r.g, r.lo, r.hi)
        for t, J in zip(g.breaks, g.jumps()):
            tf = _fraction(t, "break")
            if r.lo < tf < r.hi:
                Jf = _frac(J)
                atoms.append((tf, Jf))
                cost += kink_weight(t, bias) * abs(_rat(Jf))
                nu_pos += max(Jf, Fraction(0))
                nu_neg += max(-Jf, Fraction(0))
        cuts = [r.lo] + [a for a, _ in atoms if r.lo < a < r.hi] + [r.hi]
        for a, b in zip(cuts[:-1], cuts[1:]):
            q = sp.expand(sp.diff(g.pieces[g.piece_index(_rat((a + b) / 2))], X, 2))
            if q != 0:
                dens.append((a, b, q))
                wm, ps, ng = _density_masses(q, _rat(a), _rat(b), bias)
                cost += wm
                nu_pos += _frac(ps)
                nu_neg += _frac(ng)

    def phi(x: Fraction) -> Fraction:
        v = sum(((x - t) * J for t, J in atoms if t < x), Fraction(0))
        for a, b, q in dens:
            if x > a:
                hi = min(x, b)
                v += _frac(sp.integrate((_rat(x) - X) * q, (X, _rat(a), _rat(hi))))
        return v

    def dphi(x: Fraction) -> Fraction:
        v = sum((J for t, J in atoms if t <= x), Fraction(0))
        for a, b, q in dens:
            if x > a:
                v += _frac(sp.integrate(q, (X, _rat(a), _rat(min(x, b)))))
        return v

    return atoms, dens, phi, dphi, nu_pos, nu_neg, sp.simplify(cost)


def _build_lp(data: InterpolationData, cand: list[Fraction], bias: str, skip: bool, fixed) -> _LP:
    atoms, dens, phi, dphi, nu_pos, nu_neg, fixed_cost = fixed
    K = len(cand)
    nvar = 2 + 2 * K + (0 if skip else 1)
    A_eq, b_eq, rows = [], [], []
    for nd in data.nodes:
        if nd.kind in ("point", "start"):
            row = [Fraction(1), nd.x] + [max(nd.x - t, Fraction(0)) for t in cand]
            row += [-v for v in row[2:]]
            row += [] if skip else [Fraction(0)]
            A_eq.append(row)
            b_eq.append(nd.y - phi(nd.x))
            rows.append(("value", nd.x))
        if nd.kind == "start":
            r = data.regions[nd.region]
            row = [Fraction(0), Fraction(1)] + [Fraction(1) if t <= nd.x else Fraction(0) for t in cand]
            row += [-v for v in row[2:]]
            row += [] if skip else [Fraction(0)]
            A_eq.append(row)
            b_eq.append(r.slope_right(r.lo) - dphi(nd.x))
            rows.append(("slope", nd.x))
    A_ub, b_ub = [], []
    if not skip:
        # −D − s₋ − ΣJ⁺ ≤ ν⁺   and   −D + s₋ − ΣJ⁻ ≤ ν⁻
        A_ub.append([Fraction(0), Fraction(-1)] + [Fraction(-1)] * K + [Fraction(0)] * K + [Fraction(-1)])
        b_ub.append(nu_pos)
        A_ub.append([Fraction(0), Fraction(1)] + [Fraction(0)] * K + [Fraction(-1)] * K + [Fraction(-1)])
        b_ub.append(nu_neg)
    assert all(len(r) == nvar for r in A_eq + A_ub)
    return _LP(cand, A_eq, b_eq, A_ub, b_ub, rows, fixed_cost, skip)


def _costs(lp: _LP, bias: str) -> list[float]:
    w = [kink_weight_float(float(t), bias) for t in lp.cand]
    return [0.0, 0.0] + w + w + ([] if lp.skip else [2.0])


def _solve_float(lp: _LP, bias: str):
    nK = len(lp.cand)
    bounds = [(None, None), (None, None)] + [(0, None)] * (2 * nK) + ([] if lp.skip else [(0, None)])
    res = linprog(np.array(_costs(lp, bias)),
                  A_ub=np.array(lp.A_ub, dtype=float) if lp.A_ub else None,
                  b_ub=np.array(lp.b_ub, dtype=float) if lp.b_ub else None,
                  A_eq=np.array(lp.A_eq, dtype=float), b_eq=np.array(lp.b_eq, dtype=float),
                  bounds=bounds, method="highs",
                  options={"primal_feasibility_tolerance": HIGHS_TOL, "dual_feasibility_tolerance": HIGHS_TOL})
    if res.status != 0:
        raise RuntimeError(f"min-norm LP failed: {res.message}")
    return res


def _gauss(A: list[list[Fraction]], b: list[Fraction]) -> list[Fraction] | None:
    """A solution of ``A z = b`` in exact arithmetic (free unknowns set to 0), or ``None`` if inconsistent."""
    m = len(A)
    n = len(A[0]) if m else 0
    M = [list(A[i]) + [b[i]] for i in range(m)]
    piv_cols = []
    r = 0
    for c in range(n):
        p = next((i for i in range(r, m) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        inv = 1 / M[r][c]
        M[r] = [v * inv for v in M[r]]
        for i in range(m):
            if i != r and M[i][c] != 0:
                f = M[i][c]
                M[i] = [vi - f * vr for vi, vr in zip(M[i], M[r])]
        piv_cols.append(c)
        r += 1
        if r == m:
            break
    for i in range(r, m):
        if M[i][n] != 0:
            return None
    z = [Fraction(0)] * n
    for i, c in enumerate(piv_cols):
        z[c] = M[i][n]
    if _matvec(A, z) != list(b):  # exact: a returned z solves the system, whatever the free unknowns
        raise ArithmeticError("_gauss: the back-substituted solution does not solve A z = b")
    return z


def _matvec(A, z):
    return [sum((a * v for a, v in zip(row, z) if a != 0 and v != 0), Fraction(0)) for row in A]


@dataclass
class MinNormSolution:
    """A minimum-norm interpolant and its certified value.

    ``value``: the exact minimum (a SymPy number) when ``certified``; otherwise ``lower ≤ R* ≤ upper``
    (both exact). ``interpolant`` is an exact minimiser (free bias) or the exact interpolant whose cost is
    ``upper`` (penalized). ``kinks``: ``(t, J)`` of the LP solution. ``dual``: the certificate on the
    equality rows (``rows``), ``u_i`` on value rows being the ``u`` of the dual problem ``max ⟨u, y⟩``.
    """

    lower: sp.Expr
    upper: sp.Expr
    certified: bool
    interpolant: Piecewise1D
    kinks: list[tuple[Fraction, Fraction]]
    s_minus: Fraction
    dual: list[Fraction]
    rows: list[tuple]
    bias: str
    skip: bool
    candidates: int
    iterations: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def value(self) -> sp.Expr:
        if not self.certified:
            raise ValueError("value: the optimum is only bracketed; use lower / upper")
        return self.upper

    @property
    def gap(self) -> float:
        return float(self.upper - self.lower)


def _dual_column(lp: _LP, t: Fraction, u_eq: list[Fraction], u_ub: list[Fraction], sign: int) -> tuple[Fraction, Fraction]:
    """``A_col(t)·u`` for the column of ``J^{sign}`` at ``t``, as the affine function ``α + β t`` valid on
    the gap containing ``t`` (returned as ``(α, β)``)."""
    alpha, beta = Fraction(0), Fraction(0)
    for (kind, xr), u in zip(lp.rows, u_eq):
        if kind == "value" and xr > t:
            alpha += sign * u * xr
            beta -= sign * u
        elif kind == "slope" and t <= xr:
            alpha += sign * u
    if not lp.skip:
        alpha += -u_ub[0] if sign > 0 else -u_ub[1]
    return alpha, beta


def _gaps(data: InterpolationData) -> list[tuple[Fraction | None, Fraction | None]]:
    """Open sets where free kinks may sit: between consecutive nodes not inside a region, and the outer
    rays (``None`` = infinite end)."""
    xs = sorted({nd.x for nd in data.nodes})
    inside = lambda a, b: any(r.lo <= a and b <= r.hi for r in data.regions)  # noqa: E731
    gaps: list[tuple[Fraction | None, Fraction | None]] = [(None, xs[0])]
    for a, b in zip(xs[:-1], xs[1:]):
        if not inside(a, b):
            gaps.append((a, b))
    gaps.append((xs[-1], None))
    return gaps


def _max_violation(alpha: Fraction, beta: Fraction, lo, hi) -> tuple[float, float]:
    """``max_t (α + βt − √(1 + t²))`` over the gap and a maximiser (floats; used to add columns): the
    stationary point ``t* = β/√(1 − β²)`` clipped to the gap when ``|β| < 1``, else an end."""
    a, b = float(alpha), float(beta)
    lo_f = -math.inf if lo is None else float(lo)
    hi_f = math.inf if hi is None else float(hi)
    cands = [v for v in (lo_f, hi_f) if math.isfinite(v)]
    if abs(b) < 1:
        cands.append(min(max(b / math.sqrt(1 - b * b), lo_f), hi_f))
    best = max(cands, key=lambda t: a + b * t - math.hypot(1.0, t))
    return a + b * best - math.hypot(1.0, best), best


def _dual_feasible_exact(lp: _LP, data: InterpolationData, u_eq, u_ub, bias: str) -> bool:
    """Exact check that ``|A_col(t)·u| ≤ ω(t)`` for *every* kink position ``t`` outside the regions (both
    orientations), that the free columns' equations hold and the ``D`` column's reduced cost is ``≥ 0``."""
    # free columns c0, s-: A_col·u = 0
    cols = list(zip(*lp.A_eq)) if lp.A_eq else []
    if cols:
        for j in (0, 1):
            v = sum((a * u for a, u in zip(cols[j], u_eq)), Fraction(0))
            if lp.A_ub:
                v += sum((lp.A_ub[i][j] * u_ub[i] for i in range(len(lp.A_ub))), Fraction(0))
            if v != 0:
                return False
    if not lp.skip:
        if any(v > 0 for v in u_ub):
            return False
        if 2 + u_ub[0] + u_ub[1] < 0:  # reduced cost of D: 2 − (−u_A − u_B) ≥ 0
            return False
    for lo, hi in _gaps(data):
        for sign in (1, -1):
            # α, β are constant on the open gap; evaluate at an interior point
            probe = _interior_point(lo, hi)
            alpha, beta = _dual_column(lp, probe, u_eq, u_ub, sign)
            # the column at a node itself belongs to the closed gap (relu(x_i − t) continuous): check ends too
            if not _affine_below_weight(alpha, beta, lo, hi, bias):
                return False
    return True


def _affine_below_weight(alpha: Fraction, beta: Fraction, lo, hi, bias: str) -> bool:
    """``L(t) = α + βt ≤ ω(t)`` for every ``t`` in the closed gap ``[lo, hi]`` (``None``: infinite end),
    exactly: for ``ω = √(1 + t²)``, on the part where ``L ≥ 0`` the quadratic ``q = L² − 1 − t²`` must be
    ``≤ 0`` (checked at the part's ends and, if concave, at its vertex)."""
    if bias == "free":
        if (lo is None and beta < 0) or (hi is None and beta > 0):
            return False
        ends = [v for v in (lo, hi) if v is not None]
        return all(alpha + beta * t <= 1 for t in ends)
    a, b = lo, hi  # the part of the gap where L >= 0
    if beta == 0:
        if alpha <= 0:
            return True
    else:
        root = -alpha / beta
        if beta > 0:
            a = root if a is None or root > a else a
        else:
            b = root if b is None or root < b else b
        if a is not None and b is not None and a > b:
            return True
    lead, lin, const = beta * beta - 1, 2 * alpha * beta, alpha * alpha - 1
    q = lambda t: (lead * t + lin) * t + const  # noqa: E731
    if a is None or b is None:  # unbounded part: q must stay <= 0 towards infinity
        if lead > 0:
            return False
        if lead == 0:
            direction = 1 if b is None else -1
            if direction * lin > 0 or (lin == 0 and const > 0):
                return False
    pts = [v for v in (a, b) if v is not None]
    if lead < 0:
        tv = -lin / (2 * lead)
        if (a is None or tv >= a) and (b is None or tv <= b):
            pts.append(tv)
    return all(q(t) <= 0 for t in pts)


def _rationalise(v: float) -> Fraction:
    return Fraction(v).limit_denominator(MAX_DENOMINATOR)


def min_norm_interpolant(x: Sequence = (), y: Sequence = (), regions: Sequence = (), bias: str = "free",
                         skip: bool = False, max_iter: int = 60) -> MinNormSolution:
    """Minimum-norm interpolant of points and known regions (module docstring) with its certified value.

    Parameters
    ----------
    x, y : data points (sorted; see :func:`interpolation_data` for the checks).
    regions : known regions, :class:`KnownRegion` or ``(lo, hi, g)``.
    bias : ``"free"`` (exact, rationally verified) or ``"penalized"`` (column generation, certified bracket).
    skip : whether the network has a free linear term (no boundary term in the cost).
    """
    check_bias(bias)
    data = x if isinstance(x, InterpolationData) else interpolation_data(x, y, regions)
    fixed = _fixed_curvature(data, bias)
    cand = sorted({nd.x for nd in data.nodes} | ({Fraction(0)} if bias == "penalized" else set()))
    cand = [t for t in cand if not any(r.lo < t < r.hi for r in data.regions)]
    it = 0
    while True:
        it += 1
        lp = _build_lp(data, cand, bias, skip, fixed)
        res = _solve_float(lp, bias)
        if bias == "free" or it >= max_iter:
            break
        u_eq = [float(v) for v in res.eqlin.marginals]
        u_ub = [float(v) for v in res.ineqlin.marginals] if lp.A_ub else []
        added = False
        for lo, hi in _gaps(data):
            for sign in (1, -1):
                probe = _interior_point(lo, hi)
                al, be = _dual_column(lp, probe, [Fraction(v) for v in u_eq], [Fraction(v) for v in u_ub], sign)
                viol, t = _max_violation(al, be, lo, hi)
                if viol > LP_TOL and math.isfinite(t):
                    tq = _rationalise(t)
                    if (lo is None or tq > lo) and (hi is None or tq < hi) and tq not in cand:
                        cand.append(tq)
                        added = True
        cand.sort()
        if not added:
            break
    if bias == "penalized" and it < max_iter:
        _check_converged(data, lp, res)
    return _certify(data, lp, res, bias, skip, it)


def _check_converged(data: InterpolationData, lp: _LP, res) -> None:
    """The column generation stopped because no column is left to add: on every gap, the float dual's most
    violated kink position (``_max_violation`` of the gap's own affine ``A_col(t)·u``, evaluated at a point
    strictly inside the gap) violates ``|A_col·u| ≤ ω`` by at most :data:`LP_TOL`, or is already a candidate.
    ``RuntimeError`` otherwise (the bracket would rest on an unconverged LP)."""
    u_eq = [Fraction(float(v)) for v in res.eqlin.marginals]
    u_ub = [Fraction(float(v)) for v in res.ineqlin.marginals] if lp.A_ub else []
    for lo, hi in _gaps(data):
        inner = _interior_point(lo, hi, Fraction(1, 3))  # not the point column generation probed
        for sign in (1, -1):
            viol, t = _max_violation(*_dual_column(lp, inner, u_eq, u_ub, sign), lo, hi)
            if viol > LP_TOL and math.isfinite(t):
                tq = _rationalise(t)
                if (lo is None or tq > lo) and (hi is None or tq < hi) and tq not in lp.cand:
                    raise RuntimeError(f"min_norm_interpolant: column generation stopped with a dual violation "
                                       f"{viol:.3g} at t = {t:.6g} in the gap ({lo}, {hi})")


def _certify(data, lp: _LP, res, bias: str, skip: bool, iterations: int) -> MinNormSolution:
    K = len(lp.cand)
    z = res.x
    support = [j for j in range(len(z)) if j < 2 or z[j] > LP_TOL]
    notes: list[str] = []
    # -- exact primal on the support (active inequality rows included)
    active_ub = [i for i in range(len(lp.A_ub)) if res.slack[i] < LP_TOL] if lp.A_ub else []
    A = [[row[j] for j in support] for row in lp.A_eq] + [[lp.A_ub[i][j] for j in support] for i in active_ub]
    b = list(lp.b_eq) + [lp.b_ub[i] for i in active_ub]
    zs = _gauss(A, b)
    zex = None
    if zs is not None:
        zex = [Fraction(0)] * len(z)
        for j, v in zip(support, zs):
            zex[j] = v
        ok = all(v >= 0 for j, v in enumerate(zex) if j >= 2)
        ok = ok and _matvec(lp.A_eq, zex) == list(lp.b_eq)
        ok = ok and all(l <= r for l, r in zip(_matvec(lp.A_ub, zex), lp.b_ub))
        if not ok:
            zex = None
    if zex is None:
        notes.append("exact primal on the LP support failed; rationalised float primal used")
        zex = [_rationalise(v) for v in z]
    # -- exact dual: complementary slackness on the support, else (none, or a degenerate LP whose tight system
    #    leaves the dual undetermined and the particular solution infeasible) rationalised marginals
    u_eq, u_ub = _exact_dual(lp, support, active_ub, bias)
    feasible = u_eq is not None and _dual_feasible_exact(lp, data, u_eq, u_ub, bias)
    if not feasible:
        if u_eq is not None:
            notes.append("complementary slackness left the dual undetermined (degenerate LP)")
        u_eq, u_ub, feasible = _marginal_dual(lp, data, res, zex, bias)
        notes.append("dual from rationalised LP marginals")
    if bias == "penalized":
        was = feasible
        u_eq, u_ub, feasible = _shrink_to_feasible(lp, data, u_eq, u_ub, bias)
        if feasible:
            notes.append("dual scaled " + ("up to the boundary of" if was else "into") + " the feasible set")
    lower_frac = sum((u * b for u, b in zip(u_eq, lp.b_eq)), Fraction(0)) + \
        sum((u * b for u, b in zip(u_ub, lp.b_ub)), Fraction(0))
    c0, s_minus = zex[0], zex[1]
    J = [zex[2 + k] - zex[2 + K + k] for k in range(K)]
    kinks = [(t, j) for t, j in zip(lp.cand, J) if j != 0]
    # the boundary slack of the net kinks: a pair J⁺ = J⁻ > 0 at one t (an affine part, cost 2ω(t) ≥ 2ω_min) nets to
    # no kink, and D = max(0, −s₋ − μ⁺, s₋ − μ⁻) of the net μ^± = ΣJ^± + ν^± prices that part at 2ω_min instead
    mu_p, mu_m = atom_masses(J)
    D = Fraction(0) if skip else max(Fraction(0), -s_minus - mu_p - lp.b_ub[0], s_minus - mu_m - lp.b_ub[1])
    upper = lp.fixed_cost + sum((kink_weight(_rat(t), bias) * abs(_rat(j)) for t, j in kinks), sp.Integer(0)) + 2 * _rat(D)
    upper = _nsimplify(upper) if bias == "free" else upper
    lower = (lp.fixed_cost + _rat(lower_frac)) if feasible else -sp.oo
    if not feasible:
        notes.append("no exactly feasible dual certificate: lower bound not available")
    interp = _assemble(data, c0, s_minus, kinks, fixed_atoms=lp)
    certified = feasible and sp.simplify(upper - lower) == 0
    return MinNormSolution(sp.simplify(lower), sp.simplify(upper), bool(certified), interp, kinks, s_minus,
                           u_eq, lp.rows, bias, skip, K, iterations, notes)


def _marginal_dual(lp: _LP, data, res, zex, bias: str):
    """The LP's float marginals made an exact dual: rationalised (denominators up to :data:`MAX_DENOMINATOR`)
    and projected onto the free columns' equations. For the free bias the optimal dual is rational with
    small denominators, so the denominators are tried from small to large and the first dual that is
    feasible with the primal's value is taken (else the feasible one of largest value); for the penalized
    bias the largest only (the optimum is irrational; it is scaled into the feasible set afterwards).
    Returns ``(u_eq, u_ub, feasible)``."""
    dens = (MAX_DENOMINATOR,) if bias == "penalized" else FREE_DENOMINATORS
    primal = sum((Fraction(c) * v for c, v in zip(_costs(lp, bias), zex)), Fraction(0)) if bias == "free" else None
    feasible, last = None, None
    for den in dens:
        u_eq = [Fraction(float(v)).limit_denominator(den) for v in res.eqlin.marginals]
        u_ub = [Fraction(float(v)).limit_denominator(den) for v in res.ineqlin.marginals] if lp.A_ub else []
        u_eq, u_ub = _project_free(lp, u_eq, u_ub)
        last = (u_eq, u_ub)
        if not _dual_feasible_exact(lp, data, u_eq, u_ub, bias):
            continue
        value = sum((u * b for u, b in zip(u_eq, lp.b_eq)), Fraction(0)) + \
            sum((u * b for u, b in zip(u_ub, lp.b_ub)), Fraction(0))
        if primal is not None and value == primal:
            return u_eq, u_ub, True
        if feasible is None or value > feasible[2]:
            feasible = (u_eq, u_ub, value)
    if feasible is not None:
        return feasible[0], feasible[1], True
    return last[0], last[1], False


def _project_free(lp: _LP, u_eq, u_ub):
    """Make a rationalised dual exactly consistent: ``u_ub ≤ 0`` (tiny magnitudes set to 0), then correct
    ``u_eq`` by least squares so that the free columns' equations ``A_j·u = 0`` (j = c₀, s₋) hold exactly."""
    u_ub = [min(v, Fraction(0)) if abs(v) > Fraction(1, 10**9) else Fraction(0) for v in u_ub]
    cols = [[row[j] for row in lp.A_eq] for j in (0, 1)]
    fixed = [sum((lp.A_ub[i][j] * u_ub[i] for i in range(len(lp.A_ub))), Fraction(0)) for j in (0, 1)]
    r = [sum((a * v for a, v in zip(c, u_eq)), Fraction(0)) + f for c, f in zip(cols, fixed)]
    G = [[sum((a * b for a, b in zip(ci, cj)), Fraction(0)) for cj in cols] for ci in cols]
    w = _gauss(G, r)
    if w is None:
        return u_eq, u_ub
    return [v - w[0] * cols[0][i] - w[1] * cols[1][i] for i, v in enumerate(u_eq)], u_ub


def _interior_point(lo, hi, share=Fraction(1, 2)):
    """A point strictly inside the gap ``(lo, hi)`` between data nodes (``None``: an infinite end): the point
    ``share`` of the way from ``lo`` (the middle by default), or one unit inside a half-line. The dual's column
    ``(α, β)`` is constant on an open gap, so any interior point represents it."""
    if lo is not None and hi is not None:
        return lo + share * (hi - lo)
    return hi - 1 if lo is None else lo + 1


def _shrink_to_feasible(lp, data, u_eq, u_ub, bias):
    """The dual scaled to the boundary of the feasible set: ``κu`` for the largest ``κ`` with ``κu`` exactly
    feasible, to the relative resolution :data:`KAPPA_RTOL` — a rational certificate for a dual whose optimum
    is irrational (tight at kinks where ``ω(t) = √(1 + t²)``). ``κ < 1`` shrinks an infeasible ``u`` (a
    rationalised float dual exceeds ``ω`` by its round-off and column generation's tolerance) into the set,
    ``κ > 1`` scales a feasible one up to where it is tight.

    First the boundary rows' multipliers are shifted by a common amount until the larger is 0: the ``s₋``
    column sees only ``u_A − u_B``, every other column constraint and ``D``'s reduced cost loosen, and the
    objective's ``ν⁺u_A + ν⁻u_B`` does not decrease (``ν^± ≥ 0``). Then every constraint is of the form
    ``κ·c ≤ d`` with ``d ≥ 0``: the free columns' equations are homogeneous, ``u_ub ≤ 0`` keeps its sign,
    ``D``'s reduced cost is ``2 + κ(u_A + u_B) ≥ 0`` and each kink column ``κ·L(t) ≤ ω(t)`` with ``L(t) = α + βt``
    (``A_col(t)·u``, affine on a gap) — so the feasible ``κ ≥ 0`` form an interval ``[0, κ_max]`` with
    ``1/κ_max = ρ = max(sup_t L(t)/ω(t), −(u_A + u_B)/2)``. On a gap, ``sup (α + βt)/√(1 + t²)`` is
    ``√(α² + β²)`` at ``t = β/α`` when ``α > 0`` and that point lies in the gap, else the value at an end or the
    limit ``±β`` at an infinite end. ``κ`` is bracketed around this float estimate of ``1/ρ`` and bisected with
    exact feasibility checks (:func:`_dual_feasible_exact`) until ``κ_lo`` is feasible, ``κ_hi`` infeasible and
    ``κ_hi ≤ κ_lo(1 + KAPPA_RTOL)``. Guarantee: the returned ``κ = κ_lo`` has ``κ_max/(1 + KAPPA_RTOL) < κ ≤ κ_max``,
    so ``κ⟨u, b⟩`` is the largest lower bound the dual's direction certifies up to that factor (when
    ``⟨u, b⟩ ≤ 0`` the zero dual, always feasible, is returned: it certifies more). Returns
    ``(u_eq, u_ub, feasible)``; infeasible (``u`` unchanged) only when no ``κ > 0`` is feasible (``u`` violates
    the free columns' equations)."""
    if len(u_ub) == 2 and max(u_ub) <= 0:
        w = max(u_ub)
        u_ub = [v - w for v in u_ub]
    value = sum((u * b for u, b in zip(u_eq, lp.b_eq)), Fraction(0)) + sum((u * b for u, b in zip(u_ub, lp.b_ub)),
                                                                         Fraction(0))

    def scaled(k):
        return [k * v for v in u_eq], [k * v for v in u_ub]

    def feasible(k):
        return _dual_feasible_exact(lp, data, *scaled(k), bias)

    if value <= 0:
        return (*scaled(Fraction(0)), True) if feasible(Fraction(0)) else (u_eq, u_ub, False)
    # float estimate of ρ = 1/κ_max for ω = √(1 + t²): it only places the first bracket (a poor one, as for
    # another weight, costs doublings or halvings); the result rests on the exact checks alone
    rho = max(0.0, -float(sum(u_ub)) / 2) if u_ub else 0.0
    for lo, hi in _gaps(data):
        probe = _interior_point(lo, hi)
        for sign in (1, -1):
            a, b = (float(v) for v in _dual_column(lp, probe, u_eq, u_ub, sign))
            vals = [(a + b * float(t)) / math.hypot(1.0, float(t)) for t in (lo, hi) if t is not None]
            vals += ([-b] if lo is None else []) + ([b] if hi is None else [])  # limits at infinite ends
            if a > 0 and (lo is None or b / a >= float(lo)) and (hi is None or b / a <= float(hi)):
                vals.append(math.hypot(a, b))
            rho = max(rho, *vals)
    guess = Fraction(1 / rho) if 0 < rho < math.inf else Fraction(1)
    k_lo, k_hi = Fraction(0), None
    for k in (guess * (1 - 4 * KAPPA_RTOL), guess * (1 + 4 * KAPPA_RTOL)):
        if k_hi is None:
            if feasible(k):
                k_lo = k
            else:
                k_hi = k
    for _ in range(KAPPA_STEPS):  # the estimate was off: double until infeasible
        if k_hi is not None:
            break
        k = 2 * max(k_lo, guess)
        if feasible(k):
            k_lo = k
        else:
            k_hi = k
    for _ in range(KAPPA_STEPS):  # halve until feasible
        if k_lo > 0 or k_hi is None:
            break
        k = k_hi / 2
        if feasible(k):
            k_lo = k
        else:
            k_hi = k
    if k_lo == 0 or k_hi is None:
        return u_eq, u_ub, False
    for _ in range(KAPPA_STEPS):
        if k_hi <= k_lo * (1 + KAPPA_RTOL):
            break
        mid = (k_lo + k_hi) / 2
        if feasible(mid):
            k_lo = mid
        else:
            k_hi = mid
    if not (k_hi <= k_lo * (1 + KAPPA_RTOL) and feasible(k_lo) and not feasible(k_hi)):
        raise RuntimeError(f"min_norm_interpolant: the dual's scale κ was not bracketed to {float(KAPPA_RTOL):.3g} "
                           f"(κ in [{float(k_lo)}, {float(k_hi)}])")
    return (*scaled(k_lo), True)


def _exact_dual(lp: _LP, support: list[int], active_ub: list[int], bias: str):
    """Dual by complementary slackness: the columns in the primal support are tight. ``None`` unless the
    weights are rational (free bias) and the tight system is consistent."""
    if bias != "free":
        return None, None
    costs = [Fraction(0), Fraction(0)] + [Fraction(1)] * (2 * len(lp.cand)) + ([] if lp.skip else [Fraction(2)])
    n_eq, n_ub = len(lp.A_eq), len(lp.A_ub)
    unknowns = n_eq + len(active_ub)
    rowsT = []
    rhs = []
    for j in support:
        rowsT.append([lp.A_eq[i][j] for i in range(n_eq)] + [lp.A_ub[i][j] for i in active_ub])
        rhs.append(costs[j])
    if unknowns == 0:
        return None, None
    sol = _gauss(rowsT, rhs)
    if sol is None:
        return None, None
    u_eq = sol[:n_eq]
    u_ub = [Fraction(0)] * n_ub
    for k, i in enumerate(active_ub):
        u_ub[i] = sol[n_eq + k]
    return u_eq, u_ub


def _assemble(data: InterpolationData, c0: Fraction, s_minus: Fraction, kinks, fixed_atoms: _LP) -> Piecewise1D:
    """The exact interpolant: ``c₀ + s₋x + Σ J relu(x − t)`` off the regions and ``g`` on them."""
    base = Piecewise1D.from_kinks([t for t, _ in kinks], [j for _, j in kinks], c0, s_minus)
    if not data.regions:
        return base
    # splice: on each region use g, elsewhere the affine-plus-kinks part shifted by the fixed curvature
    atoms, dens, phi, dphi, *_ = _fixed_curvature(data, "free")
    pts = sorted({_rat(t) for t, _ in kinks} | {_rat(r.lo) for r in data.regions} | {_rat(r.hi) for r in data.regions}
                 | {_rat(t) for t, _ in atoms}, key=float)
    breaks, pieces = [], []

    def outside_piece(a, b):
        mid = _interior_point(a, b)
        m = _fraction(mid, "mid")
        val = base(mid) + _rat(phi(m))
        slope = sp.diff(base.pieces[base.piece_index(mid)], X) + _rat(dphi(m))
        return sp.expand(val + slope * (X - mid))

    edges = [None] + pts + [None]
    for a, b in zip(edges[:-1], edges[1:]):
        mid = _interior_point(a, b)
        reg = next((r for r in data.regions if a is not None and b is not None and _rat(r.lo) <= a and b <= _rat(r.hi)), None)
        if reg is not None:
            pieces.append(reg.g.pieces[reg.g.piece_index(mid)])
        else:
            pieces.append(outside_piece(a, b))
        if b is not None:
            breaks.append(b)
    return Piecewise1D(tuple(breaks), tuple(pieces)).simplified()


@dataclass
class MinNormSet:
    """Everything known about the minimum-norm interpolants of a problem: the certified LP solution (the
    value and one minimiser), and for points with a free bias the sparsest minimiser and Hanin's set."""

    solution: MinNormSolution
    sparsest: Piecewise1D | None
    hanin: HaninSet | None

    @property
    def value(self) -> sp.Expr:
        return self.solution.value


def min_norm_interpolants(x: Sequence = (), y: Sequence = (), regions: Sequence = (), bias: str = "free",
                          skip: bool = False) -> MinNormSet:
    """The minimum value and minimisers (see :func:`min_norm_interpolant`); for points only and a free bias
    also :func:`sparsest_interpolant` and, when the boundary term is inactive, :func:`hanin_envelopes`."""
    sol = min_norm_interpolant(x, y, regions, bias=bias, skip=skip)
    sparse = hanin = None
    if bias == "free" and not regions:
        data = interpolation_data(x, y)
        if len(data.x) >= 2:
            seq, _, _ = data.slope_sequence()
            V = sum((abs(b - a) for a, b in zip(seq[:-1], seq[1:])), Fraction(0))
            if skip or V >= abs(seq[0] + seq[-1]):
                sparse = sparsest_interpolant(data.x, data.y)
                hanin = hanin_envelopes(data.x, data.y, skip=skip)
    return MinNormSet(sol, sparse, hanin)


# ----------------------------------------------------------------------------------------------------
# the least path norm of a finite network realising a given piecewise-linear function
# ----------------------------------------------------------------------------------------------------
#: HiGHS feasibility tolerances of :func:`realising_min_path_norm` (its objective is accurate to ≲ 1e-8 relative)
REALISE_TOL = 1e-10


def realising_min_path_norm(f: Piecewise1D, grid: Sequence, bias: str = "free") -> float:
    """Least path norm ``Σ_t ω(t)(|c⁺_t| + |c⁻_t|)`` of a network ``d + Σ_t c⁺_t relu(x − t) + c⁻_t relu(t − x)``
    with neurons at the nodes ``t`` of ``grid`` (both orientations, free output bias, no skip term) that
    *equals* the continuous piecewise-linear ``f``, whose break points must be nodes. A float LP (HiGHS):
    both functions are piecewise linear with breaks on the grid, so equality at the nodes and at one point
    beyond each end is equality everywhere. It does not use :func:`theory.minnorm.cost.representational_cost`:
    it is the finite-width problem that the representational cost is the infimum of (equal to it as soon
    as the grid holds the kinks of ``f`` and a minimiser of ``ω``)."""
    return _grid_min_path_norm(f, grid, bias, whole_line=True)


def matching_min_path_norm(f: Piecewise1D, grid: Sequence, bias: str = "free", regions: Sequence | None = None) -> float:
    """Least path norm of a network as in :func:`realising_min_path_norm` that equals ``f`` on the grid's span
    ``[grid[0], grid[-1]]`` only (free outside it: equality at the nodes): the finite-width form of the
    minimum-norm interpolant of ``f`` *known on that region*. Its minimum equals the region's minimum norm
    when the span holds ``0`` (then a kink outside the span moves to the nearer end at no higher weight
    without changing ``f`` there, ``f'(+∞)`` or ``μ^±``, so the grid holds an optimal set of kinks).

    ``regions``: intervals ``(lo, hi)`` with ends on the grid on which ``f`` is known instead of the whole
    span (equality at the nodes inside them; both functions are affine between consecutive nodes there).
    For the free bias the minimum is then that of ``f`` known on those regions: the optimum has kinks at the
    regions' ends and at ``f``'s kinks inside them only (module docstring), all grid nodes. A degenerate
    interval ``(a, a)`` is a data point: equality at ``a`` only. For points and the penalized bias the optimal
    kinks may lie between nodes, so the minimum is at least the points' minimum norm ``R*`` (every such
    network interpolates them) and at most ``R(f)`` when the grid holds ``f``'s kinks and ``0``."""
    return _grid_min_path_norm(f, grid, bias, whole_line=False, regions=regions)


def _grid_min_path_norm(f: Piecewise1D, grid: Sequence, bias: str, whole_line: bool, regions=None) -> float:
    check_bias(bias)
    f = as_piecewise(f)
    if f.degree() > 1 or not f.continuous:
        raise ValueError("f: expected a continuous piecewise-linear function")
    nodes = sorted({_fraction(t, "grid") for t in grid})
    if len(nodes) < 2:
        raise ValueError("grid: expected at least two nodes")
    node_set = set(nodes)
    known = [(nodes[0], nodes[-1])] if regions is None else [(_fraction(a, "regions"), _fraction(b, "regions"))
                                                            for a, b in regions]
    if any(not (a <= b and a in node_set and b in node_set) for a, b in known):
        raise ValueError(f"regions: expected intervals lo ≤ hi with ends on the grid, got {regions}")
    for t in f.breaks:
        if _frac(t) not in node_set and (whole_line or any(a < _frac(t) < b for a, b in known)):
            raise ValueError(f"f: break point {t} is not a grid node")
    pts = [nodes[0] - 1] + nodes + [nodes[-1] + 1] if whole_line else [t for t in nodes
                                                                      if any(a <= t <= b for a, b in known)]
    xs = np.array([float(p) for p in pts])
    ts = np.array([float(t) for t in nodes])
    rhs = np.array([float(f(_rat(p))) for p in pts])
    right = np.maximum(xs[:, None] - ts[None, :], 0.0)
    left = np.maximum(ts[None, :] - xs[:, None], 0.0)
    ones = np.ones((xs.size, 1))
    A = np.hstack([right, -right, left, -left, ones, -ones])
    w = np.array([kink_weight_float(float(t), bias) for t in nodes])
    cost = np.concatenate([w, w, w, w, [0.0, 0.0]])
    res = linprog(cost, A_eq=A, b_eq=rhs, bounds=(0, None), method="highs",
                  options={"primal_feasibility_tolerance": REALISE_TOL, "dual_feasibility_tolerance": REALISE_TOL})
    if res.status != 0:
        name = "realising_min_path_norm" if whole_line else "matching_min_path_norm"
        raise RuntimeError(f"{name}: the LP failed ({res.message})")
    return float(res.fun)
