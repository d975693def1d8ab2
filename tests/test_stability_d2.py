"""Inverse stability in d = 2: the exact W^{1,∞} bracket (against mpmath and dense sampling), the numba kernels
(against the exact bracket and a direct evaluation), the 2-D families and projection, bad input, and the
claims through the engine (theory CONFIRMED, mutants REFUTED, power targets)."""

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from proofs_check.claim import Verdict
from proofs_check.claims import stability_d2 as C
from proofs_check.engine import run_claim
from theory.common.shallow_relu_net import ShallowReLUNet, realize
from theory.stability import d2 as T
from theory.stability.api import is_restricted, restrict
from numerics.stability import d2 as N

FAST = [C.InverseStability2D, C.Pathology2DSameDirection, C.Pathology2DOppositeDirections,
        C.Pathology2DCompensatingFlip, C.Projection2D]


# ---------------------------------------------------------------------------------------------- theory
@pytest.mark.parametrize("q", [Fraction(2), Fraction(1, 3), Fraction(10**40 + 7, 3**50), Fraction(9, 4)])
def test_sqrt_bracket_contains_the_root_at_40_digits(q):
    lo, hi = T.sqrt_bracket(q)
    with mp.workdps(60):
        r = mp.sqrt(mp.mpf(q.numerator) / q.denominator)
        assert mp.mpf(lo.numerator) / lo.denominator <= r <= mp.mpf(hi.numerator) / hi.denominator
        assert (hi - lo) <= Fraction(1, 2**100) * max(lo, Fraction(1, 10**30))
    assert T.sqrt_bracket(Fraction(9, 4)) == (Fraction(3, 2), Fraction(3, 2))


def _dense(P, Q, m=601):
    g = np.linspace(-1, 1, m)
    X = np.column_stack([np.repeat(g, m), np.tile(g, m)])
    f = realize(P.to_float(), X) - realize(Q.to_float(), X)
    return X, f


def test_bracket_is_exact_against_dense_sampling():
    rng = np.random.default_rng(5)
    for _ in range(4):
        P, Q = T.random_unrestricted_2d(rng, 7), T.random_unrestricted_2d(rng, 6)
        B = T.w1inf_bracket(P, Q)
        X, f = _dense(P, Q)
        assert np.abs(f).max() <= float(B.sup_abs) * (1 + 1e-12)
        assert np.abs(f).max() >= 0.98 * float(B.sup_abs)
        # gradients from the kernel at the sample points: never above the exact sup, and close to it
        a = np.vstack([P.a.astype(float), Q.a.astype(float)])
        b = np.concatenate([P.b.astype(float), Q.b.astype(float)])
        c = np.concatenate([P.c.astype(float), -Q.c.astype(float)])
        G = np.sqrt((N.gradient_2d(a, b, c, X) ** 2).sum(axis=1))
        assert G.max() <= float(B.grad_sq) ** 0.5 * (1 + 1e-12)
        assert G.max() >= 0.999 * float(B.grad_sq) ** 0.5
        assert B.lower <= B.upper and B.relative_width < 1e-30


def test_gradient_of_an_inner_triangle_is_found():
    """A cell whose vertices are all line–line intersections (a small triangle inside the square), where the
    gradient is largest: the sectors at interior vertices must be enumerated, not only the boundary."""
    lines = [((Fraction(1), Fraction(0)), Fraction(1, 10)), ((Fraction(0), Fraction(1)), Fraction(1, 10)),
             ((Fraction(-1), Fraction(-1)), Fraction(0))]
    rows = [(n, beta, Fraction(5)) for n, beta in lines]  # all three active only on the triangle
    B = T.sobolev_norm_2d(rows, Fraction(0))
    # on the triangle x1 > -0.1, x2 > -0.1, x1 + x2 < 0 the gradient is 5(1, 0) + 5(0, 1) + 5(−1, −1) = 0;
    # elsewhere two are active, e.g. 5(1,0)+5(0,1) = (5, 5): |∇f|² = 50
    assert B.grad_sq == 50
    rows = [(n, beta, Fraction(s)) for (n, beta), s in zip(lines, (1, 1, -1))]
    B = T.sobolev_norm_2d(rows, Fraction(0))
    # triangle: (1,0)+(0,1)-(−1,−1) = (2, 2): |∇f|² = 8, the largest of all cells
    assert B.grad_sq == 8


def test_single_neuron_closed_form():
    n, beta = T.unit_normal(Fraction(1, 3)), Fraction(1, 5)
    P = T.net_2d([T.neuron_2d(n, beta, Fraction(3, 2))])
    B = T.w1inf_bracket(P)
    assert B.sup_abs == Fraction(3, 2) * (abs(n[0]) + abs(n[1]) + beta)
    assert B.grad_sq == Fraction(9, 4)


def test_pathology_exponents_are_exact():
    assert T.pathology_exponent_2d("same_direction") == sp.Rational(3, 2)
    assert T.pathology_exponent_2d("opposite_directions") == 2
    assert T.pathology_exponent_2d("compensating_flip") == sp.Rational(1, 2)
    assert T.inverse_stability_exponent_2d() == sp.Rational(1, 2)


@pytest.mark.parametrize("name", T.PATHOLOGIES_2D)
def test_families_match_their_closed_forms(name):
    fam = T.pathology_family_2d(name, np.random.default_rng(3))
    for k in (1, 8, 64):
        B = T.w1inf_bracket(fam.phi(k), fam.psi(k))
        assert (B.sup_abs, B.grad_sq) == fam.closed(k)


def test_projection_error_is_exactly_l1_delta_and_restricted():
    rng = np.random.default_rng(9)
    for delta in (Fraction(1, 2), Fraction(1, 16)):
        Phi = T.random_unrestricted_2d(rng, 8)
        P, err = T.project_2d(Phi, delta)
        assert is_restricted(P, T.SQUARE).ok
        assert T.w1inf_bracket(P, Phi).sup_abs == err
        assert err == sum(abs(v) for v in restrict(Phi, T.SQUARE).slope) * delta


def test_theory_bad_input():
    one_d = ShallowReLUNet(np.array([1.0]), np.array([0.0]), np.array([1.0]))
    with pytest.raises(ValueError, match="Phi"):
        T.w1inf_bracket(one_d)
    P = T.net_2d([T.neuron_2d((1, 0), 0, 1)])
    with pytest.raises(ValueError, match="domain"):
        T.w1inf_bracket(P, domain=(-1, 1))
    with pytest.raises(ValueError, match="name"):
        T.pathology_exponent_2d("rescaling")
    with pytest.raises(ValueError, match="jump"):
        T.neuron_2d((1, 0), 0, 0)
    with pytest.raises(ValueError, match="k"):
        T.pathology_family_2d("same_direction", np.random.default_rng(0)).phi(3)


# -------------------------------------------------------------------------------------------- numerics
def test_kernels_against_exact_and_direct():
    rng = np.random.default_rng(11)
    for _ in range(4):
        P = T.random_unrestricted_2d(rng, 9)
        B = T.w1inf_bracket(P)
        F = P.to_float()
        f, g = N.w1inf_2d(F.a, F.b, F.c, F.e)
        assert abs(f - float(B.sup_abs)) <= 1e-12 * (1 + f)
        assert abs(g - float(B.grad_sq) ** 0.5) <= 1e-12 * (1 + g)
        X = rng.uniform(-1, 1, (50, 2))
        assert np.allclose(N.realize_2d(F.a, F.b, F.c, F.e, X), realize(F, X), rtol=1e-13, atol=1e-13)
        gf, gg = N.grid_w1inf_2d(F.a, F.b, F.c, F.e, m=101)
        assert gf <= f * (1 + 1e-12) and gg <= g * (1 + 1e-12)


def test_kernels_bad_input():
    a = np.zeros((2, 2))
    with pytest.raises(ValueError, match="a:"):
        N.realize_2d(np.zeros((2, 3)), [0, 0], [1, 1], 0.0, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="X:"):
        N.realize_2d(a, [0, 0], [1, 1], 0.0, np.zeros((1, 3)))
    with pytest.raises(ValueError, match="c:"):
        N.gradient_2d(a, [0, 0], [1], np.zeros((1, 2)))
    with pytest.raises(ValueError, match="upper:"):
        N.w1inf_2d(a, [0, 0], [1, 1], 0.0, lower=(1, 1), upper=(0, 0))
    with pytest.raises(ValueError, match="e:"):
        N.w1inf_2d(a, [0, 0], [1, 1], float("nan"))
    with pytest.raises(ValueError, match="kind:"):
        N.train_vp_2d(np.zeros((4, 2)), np.zeros(4), [0.0], kind="other")
    with pytest.raises(ValueError, match="start:"):
        N.train_vp_2d(np.zeros((4, 2)), np.zeros(4), [0.0, 1.0], kind="unrestricted")


# ---------------------------------------------------------------------------------------------- claims
@pytest.fixture(scope="module")
def powered():
    return {cls.id: run_claim(cls, budget="quick", seed=100, power=True, decisions=16) for cls in FAST}


@pytest.mark.parametrize("cls", FAST, ids=lambda c: c.id)
def test_claims_confirmed_mutants_refuted_and_power(cls, powered):
    res = powered[cls.id]
    assert res.verdict is Verdict.CONFIRMED, res.reason
    assert all(o.verdict is Verdict.REFUTED for o in res.mutants)
    assert res.power and all(k.meets_target() for k in res.power), [k.text() for k in res.power]


@pytest.mark.parametrize("cls", FAST[:4], ids=lambda c: c.id)
def test_claims_on_a_second_seed(cls):
    res = run_claim(cls, budget="quick", seed=101, decisions=16)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


def test_every_claim_is_opt_in_and_predicts_from_theory():
    assert all(not c.default for c in C.CLAIMS)
    for cls in C.CLAIMS[1:4]:
        th = next(p for p in cls().predictions(None) if not p.mutant)
        assert th.value == float(T.pathology_exponent_2d(cls.family))


def test_expressivity_width_one_within_the_bound():
    """One rung of the opt-in expressivity claim (width 1: both sides reach the same optimum)."""
    cls = C.Expressivity2D()
    ctx = cls.setup("quick")
    obs = cls.experiment(ctx, 1.0, np.random.SeedSequence(100))
    assert obs["restricted"] <= 1.0 and obs["central"] > 1.0 and obs["distinct_directions"]
    assert abs(obs["raw_ratio"] - 1.0) < 1e-6
