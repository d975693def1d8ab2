"""theory.minnorm.cost: the representational cost, exactly; the λ_{n,m} schedule; the derivation."""

import math
from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import example, given

from proofs_check.strategies.minnorm import pl_functions, rationals, small_networks
from theory.minnorm import cost as th
from theory.minnorm import lp
from theory.minnorm.cost import X, Piecewise1D, representational_cost, savarese_cost

relu = lambda z: sp.Max(z, 0)  # noqa: E731


# ---- the hand-checkable values of docs/minnorm.md#representational-cost --------------------------------------------------------
@pytest.mark.parametrize("f, value", [(relu(X), 1), (sp.Abs(X), 2), (X, 2), (-X + 3, 2), (sp.Integer(5), 0),
                                      (relu(X - 3) - relu(X - 5), 2), (2 * relu(1 - X), 2)])
def test_hand_checks_free_bias(f, value):
    assert representational_cost(f) == value
    assert savarese_cost(f) == value


def test_alternating_data_needs_six():
    f = Piecewise1D.linear_interpolant([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1])
    assert representational_cost(f) == 6
    assert savarese_cost(f) == 6


def test_skip_term_removes_the_boundary_term():
    assert representational_cost(X, skip=True) == 0
    assert representational_cost(relu(X), skip=True) == 1
    assert representational_cost(sp.Abs(X), skip=True) == 2


@pytest.mark.parametrize("t", [0, 1, sp.Rational(-3, 2), 7])
def test_penalized_kink_weight(t):
    assert sp.simplify(representational_cost(relu(X - t), "penalized") - sp.sqrt(1 + t**2)) == 0
    assert sp.simplify(representational_cost(relu(t - X), "penalized") - sp.sqrt(1 + t**2)) == 0


def test_penalized_affine_part_costs_two_at_the_origin():
    # x = relu(x) − relu(−x): kinks of weight √(1 + 0²) = 1, two of them
    assert representational_cost(X, "penalized") == 2
    assert representational_cost(X, "penalized", skip=True) == 0
    f = Piecewise1D.linear_interpolant([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1])
    assert sp.simplify(representational_cost(f, "penalized") - (2 + 4 * sp.sqrt(2))) == 0


def test_piecewise_polynomial_exact():
    g = sp.Piecewise((0, X < 0), (X**2, X < 1), (2 * X - 1, True))
    assert representational_cost(g) == 2  # ∫₀¹ 2 dx, no jumps, outer slopes 0 and 2
    assert sp.simplify(representational_cost(g, "penalized") - (sp.sqrt(2) + sp.asinh(1))) == 0
    h = sp.Piecewise((0, X < 0), (X**3 - X, X < 2), (11 * X - 16, True))
    assert representational_cost(h) == 13  # jump −1 at 0, ∫₀² 6x = 12
    assert savarese_cost(h) == 13


def test_sign_change_inside_a_piece():
    # f = x³ on [−1, 1], affine outside with matching slopes 3: f'' = 6x, ∫|6x| = 6, no jumps
    f = sp.Piecewise((3 * X + 2, X < -1), (X**3, X < 1), (3 * X - 2, True))
    assert representational_cost(f, skip=True) == 6
    assert representational_cost(f) == 6  # s₊ = 3 ∈ [−μ⁻, μ⁺] = [−3, 3]


def test_infinite_cost():
    assert representational_cost(X**2) == sp.oo
    assert representational_cost(sp.Piecewise((0, X < 0), (1, True))) == sp.oo  # a jump of f


# ---- properties -------------------------------------------------------------------------------------
@given(pl_functions())
def test_savarese_form_equals_the_split_form(f):
    """max(∫|f''|, |f'(−∞) + f'(+∞)|) = ∫|f''| + 2 dist(f'(+∞), [−μ⁻, μ⁺]) (exact rationals)."""
    assert sp.simplify(savarese_cost(f) - representational_cost(f)) == 0


@given(small_networks())
@example(([1, -1], [0, 0], [1, -1], 0))  # x = relu(x) − relu(−x): cost 2 = path norm
def test_cost_is_at_most_the_path_norm(net):
    """R(realization) ≤ Σ|c||a| (free) and ≤ Σ|c|‖(a, b)‖ (penalized): the cost is an infimum over
    representations (exact)."""
    a, b, c, d = net
    f = sp.Integer(d) + sum(sp.Rational(ci) * relu(sp.Rational(ai) * X + sp.Rational(bi)) for ai, bi, ci in zip(a, b, c))
    pf = sum(abs(ci * ai) for ai, ci in zip(a, c))
    assert representational_cost(f) <= sp.Rational(pf)
    pp = sum(th.neuron_cost(ai, bi, ci, "penalized") for ai, bi, ci in zip(a, b, c))
    assert sp.N(representational_cost(f, "penalized") - pp, 30) <= 1e-25


@given(rationals(-3, 3).filter(lambda v: v != 0), rationals(-3, 3), rationals(-3, 3).filter(lambda v: v != 0))
def test_one_neuron_is_cost_optimal(a, b, c):
    f = sp.Rational(c) * relu(sp.Rational(a) * X + sp.Rational(b))
    assert representational_cost(f) == abs(c * a)
    assert sp.simplify(representational_cost(f, "penalized") - th.neuron_cost(a, b, c, "penalized")) == 0


@given(pl_functions(), rationals(-3, 3))
def test_affine_invariance_of_the_skip_cost(f, s):
    """Adding an affine function does not change ∫|f''| (the skip-term cost)."""
    g = Piecewise1D(f.breaks, tuple(sp.expand(p + sp.Rational(s) * X + 1) for p in f.pieces))
    assert representational_cost(g, skip=True) == representational_cost(f, skip=True)


# ---- the exact piecewise type -------------------------------------------------------------------------
def test_from_sympy_reads_abs_max_and_piecewise():
    f = Piecewise1D.from_sympy(sp.Abs(X - 1) + relu(X))
    assert f.breaks == (0, 1)
    assert f(0) == 1 and f(1) == 1 and f(3) == 5
    assert f.jumps() == (1, 2)
    assert Piecewise1D.from_sympy(sp.Symbol("t") ** 2 + 1, sp.Symbol("t")).pieces == (X**2 + 1,)


def test_linear_interpolant_and_from_kinks_agree():
    f = Piecewise1D.linear_interpolant([-1, 0, 2], [1, 0, 2], -1, 1)
    g = Piecewise1D.from_kinks([0], [2], value0=0, slope_left=-1)
    assert f.breaks == g.breaks and all(sp.expand(p - q) == 0 for p, q in zip(f.pieces, g.pieces))


@pytest.mark.parametrize("expr, match", [
    (sp.sin(X), "polynomial"),
    (X + sp.Symbol("y"), "one variable"),
    (sp.Piecewise((X, X < 0), (X, X > 1)), "not defined"),
])
def test_bad_functions(expr, match):
    with pytest.raises(ValueError, match=match):
        representational_cost(expr)


@pytest.mark.parametrize("kwargs, match", [
    ({"bias": "l1"}, "bias"),
    ({"bias": None}, "bias"),
])
def test_bad_bias(kwargs, match):
    with pytest.raises(ValueError, match=match):
        representational_cost(X, **kwargs)


def test_bad_piecewise_construction():
    with pytest.raises(ValueError, match="knots"):
        Piecewise1D.linear_interpolant([0, 0], [1, 2])
    with pytest.raises(ValueError, match="knots, values"):
        Piecewise1D.linear_interpolant([0, 1], [1])
    with pytest.raises(ValueError, match="pieces"):
        Piecewise1D((sp.Integer(0),), (X,))
    with pytest.raises(ValueError, match="increasing"):
        Piecewise1D((sp.Integer(1), sp.Integer(0)), (X, X, X))
    with pytest.raises(ValueError, match="finite"):
        Piecewise1D.linear_interpolant([0, float("nan")], [1, 2])
    with pytest.raises(ValueError, match="f:"):
        representational_cost("x")


# ---- the schedule ------------------------------------------------------------------------------------
def test_schedule_satisfies_its_three_requirements_along_a_ladder():
    ns = [2**k for k in range(6, 22, 3)]
    checks = [th.check_schedule(n, n // 4, th.lambda_schedule(n, n // 4)) for n in ns]
    for a, b in zip(checks[:-1], checks[1:]):
        assert a.satisfied_by_trend(b)
    # the boundary exponents fail one requirement each
    flat = [th.check_schedule(n, n // 4, 0.1) for n in ns]
    assert not flat[0].satisfied_by_trend(flat[1])
    fast = [th.check_schedule(n, n // 4, th.schedule_lower_rate(n, n // 4) ** 1.5) for n in ns]
    assert fast[-1].lam_over_stat < fast[0].lam_over_stat


def test_schedule_uses_the_larger_error_scale():
    assert th.schedule_lower_rate(10**6, 10) == 0.1  # width-limited
    assert th.schedule_lower_rate(100, 10**6) == pytest.approx(math.sqrt(math.log(100) / 100))
    assert th.lambda_schedule(100, 10**6, c=2.0, theta=0.5) == pytest.approx(2 * (math.log(100) / 100) ** 0.25)


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 1, "m": 4}, "n"), ({"n": 0, "m": 4}, "n"), ({"n": 10, "m": 0}, "m"), ({"n": 10.5, "m": 4}, "n"),
    ({"n": 10, "m": 4, "theta": 1.0}, "theta"), ({"n": 10, "m": 4, "theta": 0}, "theta"),
    ({"n": 10, "m": 4, "c": -1.0}, "c"), ({"n": 10, "m": 4, "c": float("inf")}, "c"),
])
def test_schedule_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        th.lambda_schedule(**kwargs)


# ---- the derivation ----------------------------------------------------------------------------------
def test_derivation_every_step_checked():
    D = th.derive_representational_cost()
    assert D.all_checked
    assert sum(s.checked for s in D.steps) >= 9
    md = D.to_markdown()
    assert "R(f_λ) = R* − nλ‖u♯‖²" in md and "max(∫|f''|, |f'(−∞) + f'(+∞)|)" in md


def test_fraction_and_float_inputs_are_exact():
    f = Piecewise1D.linear_interpolant([Fraction(-1, 3), 0.5], [0, 1])
    assert f.pieces == (sp.Rational(6, 5) * X + sp.Rational(2, 5),)  # -1/3 and 0.5 = 1/2 read exactly


# ----------------------------------------------------------------------------------------------------
# ramp_gap: the ERM's norm gap between two flat regions (minnorm.schedule's prediction)
# ----------------------------------------------------------------------------------------------------
def test_ramp_gap_root_and_limits():
    for lam in (1e-2, 1e-3, 1e-5):
        r = th.ramp_gap(lam)
        L, w = r.half_gap, r.width
        assert abs(12 * lam * (L + w) - (3 * L * w**2 + w**3) / 8) <= 1e-12  # ρ = 1/8, Δ = 1
        assert r.gap == pytest.approx(1 - 1 / (1 + w), rel=1e-12)
        assert r.gap < r.asymptotic and r.asymptotic == pytest.approx(4 * math.sqrt(2) * math.sqrt(lam))
    assert th.ramp_gap(1e-9).gap == pytest.approx(th.ramp_gap(1e-9).asymptotic, rel=1e-3)
    # the sample edge: E = 2ℓ(1 − 2^{−n−1})/(n + 1) widens the gap
    r = th.ramp_gap(1e-3, 255)
    assert r.edge == pytest.approx(8 * (1 - 0.5**256) / 256) and r.gap > th.ramp_gap(1e-3).gap
    with pytest.raises(ValueError):
        th.ramp_gap(0.0)
    with pytest.raises(ValueError):
        th.ramp_gap(1e-3, 0)


def test_representational_cost_of_a_kinked_function_with_both_terms():
    f = Piecewise1D.from_kinks([Fraction(-1, 2), Fraction(3, 4)], [1, -Fraction(1, 2)], slope_left=2)
    # μ⁺ = 1, μ⁻ = ½, f'(+∞) = 5/2: boundary 2·(5/2 − 1) = 3; savarese: max(3/2, |2 + 5/2|) = 9/2
    assert representational_cost(f) == sp.Rational(9, 2) == savarese_cost(f)
    expected = sp.sqrt(5) / 2 + sp.sqrt(25) / 8 + 3
    assert sp.simplify(representational_cost(f, "penalized") - expected) == 0


def test_linear_interpolant_of_one_knot_needs_both_slopes():
    """One knot has no segment to take a default outer slope from: both slopes must be given, and they extend
    it on either side; the sparsest interpolant of one point is the constant through it."""
    for slopes in ((), (1,), (None, 2)):
        with pytest.raises(ValueError, match="left_slope, right_slope"):
            Piecewise1D.linear_interpolant([Fraction(1, 2)], [3], *slopes)
    f = lp.sparsest_interpolant([Fraction(1, 2)], [3])
    assert f.breaks == () and f(sp.Integer(-5)) == 3 and f(sp.Integer(7)) == 3
    g = Piecewise1D.linear_interpolant([0], [1], -1, 2)
    assert g(sp.Integer(-1)) == 2 and g(sp.Integer(1)) == 3
