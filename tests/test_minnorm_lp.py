"""theory.minnorm.lp: the exact LP over kink weights, its rational certificate, and the closed forms it must
agree with (Savarese's value, Hanin's set of minimisers, the sparsest minimiser); known regions; bad input."""

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from proofs_check.strategies.minnorm import known_regions, point_data, rationals
from theory.minnorm import lp as lp
from theory.minnorm.cost import X, Piecewise1D, representational_cost

F = Fraction


def _cost(xs, ys, skip, bias="free"):
    return representational_cost(Piecewise1D.linear_interpolant(xs, ys), bias, skip=skip)


# ---- hand-checkable values ----------------------------------------------------------------------------
def test_alternating_data():
    s = lp.min_norm_interpolant([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1])
    assert s.certified and s.value == 6
    assert s.kinks == [(F(-1), F(2)), (F(0), F(-2)), (F(1), F(2))]
    # the dual certificate u = (1, −3, 4, −3, 1) on the value rows
    assert [u for (kind, _), u in zip(s.rows, s.dual) if kind == "value"] == [1, -3, 4, -3, 1]


def test_collinear_points_need_only_one_kink_without_skip():
    s = lp.min_norm_interpolant([-1, 0, 1], [-1, 0, 1])
    assert s.certified and s.value == 1  # relu(x + 2) − 2 … one kink outside the data
    assert lp.min_norm_interpolant([-1, 0, 1], [-1, 0, 1], skip=True).value == 0
    assert lp.closed_form_value(lp.interpolation_data([-1, 0, 1], [-1, 0, 1])) == 1


def test_single_point_and_two_points():
    assert lp.min_norm_interpolant([0], [3]).value == 0
    assert lp.min_norm_interpolant([0, 2], [0, 1]).value == F(1, 2)


@pytest.mark.parametrize("regions, value", [
    ([(-3, -1, 0), (F(-1, 4), F(1, 4), 1), (1, 3, 0)], F(16, 3)),  # a plateau between two flat regions
    ([(-5, -1, 0), (1, 5, 1)], 1),  # the ramp of minnorm.schedule
    ([(-2, -1, X**2), (1, 2, X**2)], 8),  # curved regions: 2 + 2 inside, 4 across the gap
])
def test_known_regions(regions, value):
    s = lp.min_norm_interpolant(regions=regions)
    assert s.certified and s.value == value
    assert lp.closed_form_value(lp.interpolation_data(regions=regions)) == value
    f = s.interpolant
    for lo, hi, g in regions:
        g = lp.as_piecewise(sp.sympify(g)) if not isinstance(g, Piecewise1D) else g
        for t in (sp.Rational(lo), (sp.Rational(lo) + sp.Rational(hi)) / 2, sp.Rational(hi)):
            assert f(t) == g(t)
    assert representational_cost(f) == value


def test_penalized_bracket_on_the_parabola_has_kinks_between_data():
    xs = [-3, -2, -1, 0, 1, 2, 3]
    s = lp.min_norm_interpolant(xs, [v * v for v in xs], bias="penalized", skip=True)
    assert s.gap < 1e-6 * float(s.upper)
    assert any(all(t != x for x in xs) for t, _ in s.kinks)  # kinks off the data (Boursier–Flammarion)
    free = lp.min_norm_interpolant(xs, [v * v for v in xs], skip=True)
    assert float(s.lower) >= float(free.value) - 1e-12  # ω ≥ 1


@pytest.mark.parametrize("shift", [3, 2, -3, Fraction(-5, 2)])
def test_penalized_kinks_between_data_away_from_0(shift):
    """A convex run of two kinks translated away from 0 (every gap between the data off 0): merging the kinks
    at the apex lowers ∫ω d|f''|, so the minimiser needs a column strictly inside a gap away from 0. Guards
    against column generation reading a gap's dual column at a point outside the gap."""
    xs = [F(v) + shift for v in (-2, -1, 0, 1)]
    ys = [F(3), F(1, 2), F(0), F(1)]
    s = lp.min_norm_interpolant(xs, ys, bias="penalized")
    inner = [t for t, _ in s.kinks if xs[0] < t < xs[-1] and t not in xs]
    assert inner and all(t * shift > 0 for t in inner)
    assert float(s.upper - s.lower) <= 1e-8 * float(s.upper)
    assert all(s.interpolant(sp.Rational(x)) == sp.Rational(y) for x, y in zip(xs, ys))


def _penalized_dual(xs, ys):
    """The LP of the points' penalized problem on its final candidates, and its rationalised marginal dual."""
    sol = lp.min_norm_interpolant(xs, ys, bias="penalized")
    data = lp.interpolation_data(xs, ys)
    fixed = lp._fixed_curvature(data, "penalized")
    L = lp._build_lp(data, sorted({t for t, _ in sol.kinks} | set(data.x) | {F(0)}), "penalized", False, fixed)
    res = lp._solve_float(L, "penalized")
    u_eq, u_ub = lp._project_free(L, [F(float(v)) for v in res.eqlin.marginals],
                                  [F(float(v)) for v in res.ineqlin.marginals])
    return L, data, u_eq, u_ub


@pytest.mark.parametrize("factor", [F(1), F(1, 2), F(3, 2), F(1, 10**6)])
def test_the_penalized_dual_is_scaled_to_the_boundary_of_the_feasible_set(factor):
    """Whatever multiple of a dual comes in, the certificate κu is exactly feasible and κ(1 + KAPPA_RTOL)u is
    not: the largest feasible multiple to the stated resolution (guards against a coarser search)."""
    L, data, u_eq, u_ub = _penalized_dual([F(1), F(2), F(3), F(4)], [F(3), F(1, 2), F(0), F(1)])
    ue, uu, ok = lp._shrink_to_feasible(L, data, [factor * v for v in u_eq], [factor * v for v in u_ub], "penalized")
    assert ok and lp._dual_feasible_exact(L, data, ue, uu, "penalized")
    up = 1 + lp.KAPPA_RTOL
    assert not lp._dual_feasible_exact(L, data, [up * v for v in ue], [up * v for v in uu], "penalized")
    value = sum((u * b for u, b in zip(ue, L.b_eq)), F(0))
    assert value > 0


def test_the_boundary_multipliers_are_shifted_to_the_most_permissive_split():
    """Boundary multipliers (u_A, u_B) both < 0 are shifted by a common amount until the larger is 0 (the s₋
    column sees only u_A − u_B; every other constraint loosens), before the scale is chosen."""
    L, data, u_eq, u_ub = _penalized_dual([F(1), F(2), F(3), F(4)], [F(3), F(1, 2), F(0), F(1)])
    assert max(u_ub) == 0
    shifted = [v - F(1, 4) for v in u_ub]
    ue, uu, ok = lp._shrink_to_feasible(L, data, u_eq, shifted, "penalized")
    ue0, uu0, ok0 = lp._shrink_to_feasible(L, data, u_eq, u_ub, "penalized")
    assert ok and ok0 and max(uu) == 0 and (ue, uu) == (ue0, uu0)


# ---- the LP against the closed forms (exact) ----------------------------------------------------------
@given(point_data(), st.booleans())
@example(([F(-2), F(-1), F(0), F(1), F(2)], [F(1), F(0), F(1), F(0), F(1)]), False)
@example(([F(0), F(1), F(2)], [F(0), F(1), F(2)]), False)  # boundary term active
@example(([F(-1), F(0), F(1, 2), F(1)], [F(0), F(0), F(0), F(1)]), False)  # V = |σ|: a degenerate dual
@example(([F(-5), F(-1, 3), F(3, 4), F(1), F(3, 2), F(2)], [F(0), F(0), F(0), F(1), F(0), F(0)]), False)  # and 375/182
@example(([F(-7, 2), F(-5, 4), F(-3, 4), F(7, 2)], [F(1), F(-3, 4), F(5, 2), F(1, 4)]), False)  # R* = 2189/153
def test_lp_is_certified_and_equals_the_closed_form(data, skip):
    xs, ys = data
    s = lp.min_norm_interpolant(xs, ys, skip=skip)
    assert s.certified, s.notes
    assert s.value == lp.closed_form_value(lp.interpolation_data(xs, ys), skip=skip)
    f = s.interpolant
    assert all(f(sp.Rational(x)) == sp.Rational(y) for x, y in zip(xs, ys))
    assert representational_cost(f, skip=skip) == s.value


@given(known_regions(), st.booleans())
def test_lp_with_regions_equals_the_closed_form(data, skip):
    xs, ys, regions = data
    s = lp.min_norm_interpolant(xs, ys, regions, skip=skip)
    assert s.certified, s.notes
    assert s.value == lp.closed_form_value(lp.interpolation_data(xs, ys, regions), skip=skip)
    f = s.interpolant
    for lo, hi, g in regions:
        for t in (lo, (lo + hi) / 2, hi):
            assert f(sp.Rational(t)) == g(sp.Rational(t))
    assert representational_cost(f, skip=skip) == s.value


@given(point_data(3, 6), st.booleans())
@settings(max_examples=15)
def test_penalized_bracket_is_consistent(data, skip):
    xs, ys = data
    s = lp.min_norm_interpolant(xs, ys, bias="penalized", skip=skip)
    assert float(s.lower) <= float(s.upper) + 1e-12
    assert s.gap <= 1e-6 * max(1.0, float(s.upper))
    assert float(s.lower) >= float(lp.closed_form_value(lp.interpolation_data(xs, ys), skip)) - 1e-9
    assert float(s.upper) <= float(_cost(xs, ys, skip, "penalized")) + 1e-9  # the PL interpolant is feasible
    assert all(s.interpolant(sp.Rational(x)) == sp.Rational(y) for x, y in zip(xs, ys))


# ---- Hanin's set of minimisers and the sparsest one ---------------------------------------------------
@st.composite
def convex_runs(draw):
    """Points with strictly increasing discrete slopes (one convex run), possibly followed by a concave step."""
    n = draw(st.integers(4, 7))
    xs = sorted(draw(st.lists(rationals(-6, 6, 2), min_size=n, max_size=n, unique=True)))
    slopes = sorted(draw(st.lists(rationals(-3, 3), min_size=n - 1, max_size=n - 1, unique=True)))
    if draw(st.booleans()):
        slopes[-1] = slopes[0] - 1  # a sign change of curvature at the end
    ys = [F(0)]
    for k in range(n - 1):
        ys.append(ys[-1] + slopes[k] * (xs[k + 1] - xs[k]))
    return xs, ys


@given(convex_runs(), st.data())
def test_hanin_envelopes_are_sharp(data, draw):
    """At a point z of a free interval every value between the envelopes is attained by a minimiser, and any
    value outside costs strictly more (exact costs of the interpolant with the extra node (z, v))."""
    xs, ys = data
    H = lp.hanin_envelopes(xs, ys, skip=True)
    assume(H.free)
    k = draw.draw(st.sampled_from(H.free))
    z = (xs[k] + xs[k + 1]) / 2
    R = lp.closed_form_value(lp.interpolation_data(xs, ys), skip=True)
    lo, up = H.lower(sp.Rational(z)), H.upper(sp.Rational(z))
    lo, up = F(int(sp.fraction(lo)[0]), int(sp.fraction(lo)[1])), F(int(sp.fraction(up)[0]), int(sp.fraction(up)[1]))
    assert lo < up

    def cost_through(v):
        px = sorted(xs + [z])
        py = [ys[xs.index(t)] if t in xs else v for t in px]
        return _cost(px, py, skip=True)

    for v in (lo, up, (lo + up) / 2):
        assert cost_through(v) == R
    for v in (lo - F(1, 7), up + F(1, 7)):
        assert cost_through(v) > R


@given(convex_runs())
def test_sparsest_is_a_minimiser_with_the_fewest_kinks(data):
    xs, ys = data
    f = lp.sparsest_interpolant(xs, ys)
    R = lp.closed_form_value(lp.interpolation_data(xs, ys), skip=True)
    assert representational_cost(f, skip=True) == R
    assert all(f(sp.Rational(x)) == sp.Rational(y) for x, y in zip(xs, ys))
    H = lp.hanin_envelopes(xs, ys)
    eps = list(H.curvature)
    runs, cur, prev = [], 0, 0
    for e in eps:
        if e != 0 and e == prev:
            cur += 1
        else:
            if cur:
                runs.append(cur)
            cur = 1 if e != 0 else 0
        prev = e
    if cur:
        runs.append(cur)
    assert lp.count_kinks(f) == sum((c + 1) // 2 for c in runs)
    assert lp.count_kinks(f) <= lp.count_kinks(Piecewise1D.linear_interpolant(xs, ys))


def test_min_norm_interpolants_collects_everything():
    S = lp.min_norm_interpolants([-2, -1, 0, 1], [3, F(1, 2), 0, 1])
    assert S.value == F(7, 2) and S.hanin.free == (1,)
    assert representational_cost(S.sparsest) == S.value and lp.count_kinks(S.sparsest) == 1
    assert lp.min_norm_interpolants([0, 1, 2, 3], [0, 1, 3, 6]).hanin is None  # boundary term active
    assert lp.min_norm_interpolants(regions=[(0, 1, 0), (2, 3, 1)]).sparsest is None


def test_hanin_refuses_an_active_boundary_term():
    with pytest.raises(ValueError, match="boundary term"):
        lp.hanin_envelopes([0, 1, 2, 3], [0, 1, 3, 6], skip=False)


# ---- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"x": [0, 2, 1], "y": [0, 1, 2]}, "sorted"),
    ({"x": [0, 1, 1], "y": [0, 1, 2]}, "twice"),
    ({"x": [0, 1], "y": [0]}, "same length"),
    ({"x": [0, float("nan")], "y": [0, 1]}, "finite"),
    ({"x": [0, 1], "y": [0, "a"]}, "real number"),
    ({"regions": [(0, 2, 0), (1, 3, 1)]}, "conflicting"),
    ({"regions": [(0, 2, X), (2, 3, 0)]}, "conflicting"),
    ({"regions": [(2, 1, 0)]}, "lo < hi"),
    ({"regions": [(0, 2, sp.Piecewise((0, X < 1), (1, True)))]}, "discontinuous"),
    ({"x": [1], "y": [5], "regions": [(0, 2, 0)]}, "lies in the region"),
    ({}, "at least one"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lp.min_norm_interpolant(**kwargs)


def test_bad_bias():
    with pytest.raises(ValueError, match="bias"):
        lp.min_norm_interpolant([0, 1], [0, 1], bias="l1")


def test_repeated_points_and_agreeing_regions_are_merged():
    d = lp.interpolation_data([0, 1, 1, 2], [0, 1, 1, 0])
    assert d.x == (0, 1, 2)
    d = lp.interpolation_data(regions=[(0, 2, X), (1, 3, X), (3, 4, 3)])
    assert len(d.regions) == 1 and (d.regions[0].lo, d.regions[0].hi) == (0, 4)
    d = lp.interpolation_data([1], [1], regions=[(0, 2, X)])  # a point on the region, consistent
    assert d.x == ()


# ----------------------------------------------------------------------------------------------------
# the least path norm of a realising network (the experiment of minnorm.representational_cost)
# ----------------------------------------------------------------------------------------------------
GRID = [Fraction(i, 4) for i in range(-24, 25)]


@settings(max_examples=20)
@given(st.lists(st.integers(-24, 24), min_size=1, max_size=5, unique=True),
       st.lists(rationals(-3, 3, 4), min_size=5, max_size=5), rationals(-3, 3, 4), st.sampled_from(["free", "penalized"]))
def test_realising_min_path_norm_is_the_representational_cost(nodes, jumps, slope, bias):
    kinks = [Fraction(i, 4) for i in nodes]
    f = Piecewise1D.from_kinks(kinks, jumps[: len(kinks)], value0=Fraction(1, 3), slope_left=slope)
    R = float(representational_cost(f, bias))
    assert abs(lp.realising_min_path_norm(f, GRID, bias) - R) <= 1e-8 * max(1.0, R)


def test_realising_min_path_norm_needs_breaks_on_the_grid():
    f = Piecewise1D.from_kinks([Fraction(1, 3)], [1])
    with pytest.raises(ValueError, match="grid node"):
        lp.realising_min_path_norm(f, GRID)
    with pytest.raises(ValueError, match="piecewise-linear"):
        lp.realising_min_path_norm(X**2, GRID)


# ----------------------------------------------------------------------------------------------------
# the least path norm of a grid network matching f on the grid's span (known region of minnorm.representational_cost)
# ----------------------------------------------------------------------------------------------------
@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(-12, 12), min_size=1, max_size=5, unique=True),
       st.lists(rationals(-3, 3, 4), min_size=5, max_size=5), rationals(-3, 3, 4),
       st.sampled_from(["free", "penalized"]))
def test_matching_min_path_norm_is_the_known_region_minimum(nodes, jumps, slope, bias):
    """f known on [−3, 3] (a span holding 0): the grid network's least path norm is the region's minimum norm
    (the exact LP; its bracket for the penalized bias), never above R(f), and R(f) when f is realised."""
    grid = [Fraction(i, 4) for i in range(-12, 13)]
    kinks = [Fraction(i, 4) for i in nodes]
    f = Piecewise1D.from_kinks(kinks, jumps[: len(kinks)], value0=Fraction(1, 3), slope_left=slope)
    sol = lp.min_norm_interpolant(regions=[(grid[0], grid[-1], f)], bias=bias)
    got = lp.matching_min_path_norm(f, grid, bias)
    scale = max(1.0, float(sol.upper))
    assert float(sol.lower) - 1e-8 * scale <= got <= float(sol.upper) + 1e-8 * scale
    assert got <= lp.realising_min_path_norm(f, grid, bias) + 1e-8 * scale


def test_matching_min_path_norm_at_points_lies_in_the_penalized_bracket():
    """Degenerate regions (t, t) are data points: the grid network interpolating them, with the LP's kinks and 0
    among its nodes, costs between R* (it interpolates) and R(f*) of the LP's interpolant (it can realise it)."""
    xs = [F(-3), F(-5, 2), F(-3, 2), F(-1), F(-1, 4)]
    ys = [F(1), F(0), F(-1, 2), F(0), F(2)]
    s = lp.min_norm_interpolant(xs, ys, bias="penalized")
    grid = sorted({F(i, 4) for i in range(-12, 13)} | {t for t, _ in s.kinks})
    got = lp.matching_min_path_norm(s.interpolant, grid, "penalized", regions=[(t, t) for t in xs])
    assert float(s.lower) - 1e-9 <= got <= float(s.upper) + 1e-9
    with pytest.raises(ValueError, match="lo ≤ hi"):
        lp.matching_min_path_norm(s.interpolant, grid, "penalized", regions=[(F(0), F(-1))])


def test_matching_min_path_norm_removes_the_boundary_term_by_an_end_kink():
    """f = x + relu(x) on [−1, 1] (with a kink far outside): extended affinely it would cost
    1 + 2·dist(2, [0, 1]) = 3; known only on [−1, 1] it costs 1 + 1 = 2 (an end kink of height 1 replaces the
    boundary term). Breaks outside the span need not be nodes; inside it they must."""
    f = Piecewise1D.from_kinks([0, 5], [1, 7], value0=0, slope_left=1)
    grid = [Fraction(i, 2) for i in range(-2, 3)]
    assert abs(lp.matching_min_path_norm(f, grid) - 2.0) <= 1e-9
    assert lp.min_norm_interpolant(regions=[(-1, 1, f)]).value == 2
    with pytest.raises(ValueError, match="grid node"):
        lp.realising_min_path_norm(f, grid)
    with pytest.raises(ValueError, match="grid node"):
        lp.matching_min_path_norm(Piecewise1D.from_kinks([Fraction(1, 3)], [1]), grid)


def test_gauss_solves_underdetermined_systems_exactly():
    """Free unknowns are set to 0 and the returned vector solves the system exactly (checked inside);
    an inconsistent system gives None."""
    A = [[Fraction(1), Fraction(1), Fraction(0)], [Fraction(0), Fraction(1), Fraction(1)]]
    b = [Fraction(2), Fraction(3)]
    z = lp._gauss(A, b)
    assert lp._matvec(A, z) == b and z[2] == 0
    assert lp._gauss([[Fraction(1)], [Fraction(1)]], [Fraction(1), Fraction(2)]) is None
