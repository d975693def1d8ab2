"""The d = 2 family of the minimum-norm paper: the exact cost of finite networks (theory.minnorm.cost_md), the 2-D
trainer (numerics.minnorm.d2) against NumPy, and the claims minnorm.d2.* through the engine."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from numerics.minnorm import d2 as nd
from numerics.minnorm.shallow_relu import minibatches
from proofs_check.claim import Verdict
from proofs_check.claims import minnorm_d2 as cl
from proofs_check.engine import run_claim
from theory.minnorm import cost as th1
from theory.minnorm import cost_md as th

F = Fraction


# ----------------------------------------------------------------------------------------------------
# theory: exact values
# ----------------------------------------------------------------------------------------------------
def net(a, W, b, v=(0, 0), c=0):
    return th.FiniteNetwork.of(a, W, b, v, c)


def test_hand_values():
    assert th.network_cost(net([1], [(1, 0)], [0])) == 1  # relu(x₁)
    assert th.network_cost(net([1, -1], [(1, 0), (-1, 0)], [0, 0])) == 0  # relu(x₁) − relu(−x₁) = x₁: affine
    assert th.network_cost(net([1, 1], [(1, 0), (-1, 0)], [0, 0])) == 2  # |x₁|
    assert th.network_cost(net([1], [(1, 1)], [3])) == sp.sqrt(2)
    # collinear pieces merge: ½ relu(2x₁ + 2) + relu(x₁ + 1) = 2 relu(x₁ + 1)
    assert th.network_cost(net([F(1, 2), 1], [(2, 0), (1, 0)], [2, 1])) == 2
    # cancelling pieces: 3 relu(z) − 3 relu(z) on a hyperplane costs nothing, but the path norm counts them
    g = net([3, -3, 1], [(1, 2), (1, 2), (0, 1)], [1, 1, 0])
    assert th.network_cost(g) == 1 and th.path_norm(g) == 1 + 6 * sp.sqrt(5)
    # antipodal neurons of one sign add up (both have second derivative δ along the normal)
    h = net([1, 2], [(3, 4), (-3, -4)], [1, -1])
    assert th.network_cost(h) == 15 and th.oriented_cost(h) == 15
    k = net([1, -2], [(3, 4), (-3, -4)], [1, -1])
    assert th.network_cost(k) == 5 and th.oriented_cost(k) == 15  # −2 relu(−z) = −2 relu(z) − 2z: mass −1
    assert th.signed_cost(k) == 15 and th.signed_cost(h) == 5  # the wrong sign convention of the mutant


def test_cost_is_the_exact_surd_sum_not_an_approximation():
    """Regression: the cost was once passed through ``sp.nsimplify``, which replaced a sum of four surds by a
    different radical, off by 6e-17 relative (seen on root seed 104 of the merge claim)."""
    f = net([F(1, 32), F(-25, 32), F(5, 4), F(13, 8)], [(1, 4), (1, 0), (1, F(5, 2)), (1, F(7, 2))], [0, 0, 1, 2])
    C = sp.sqrt(17) / 32 + sp.Rational(25, 32) + 5 * sp.sqrt(29) / 8 + 13 * sp.sqrt(53) / 16
    assert th.network_cost(f) == C
    assert abs(sp.N(th.network_cost(f) - C, 60)) == 0


def test_merge_claim_is_exact_on_root_seed_104():
    from proofs_check.crn import claim_seed

    c = cl.MergeInvariance()
    ctx = c.setup("quick")
    theory = c.predictions(ctx)[0]
    obs = c.experiment(ctx, 4.0, claim_seed(104, c.id, 0))
    assert c.measure(ctx, obs, theory) < 1e-36


def test_constants_cost_nothing_and_the_merged_network_realises_f():
    f = net([5, 1, -2], [(0, 0), (1, 0), (-2, 0)], [3, 0, 1], v=(1, F(1, 3)), c=2)
    assert th.network_cost(f) == 1 + 4  # relu(x₁) and −2 relu(−2x₁ + 1): two hyperplanes, x₁ = 0 and x₁ = ½
    assert th.network_cost(net([1, -2], [(1, 0), (-2, 0)], [0, 0])) == 3  # one hyperplane: mass 1 − 4
    g = th.merge(f).as_network()
    rng = np.random.default_rng(0)
    assert th.realisation_gap(f, g, th.probe_points(rng, 200)) == 0


@pytest.mark.parametrize("seed", range(6))
def test_rewrites_keep_the_realisation_and_the_exact_cost(seed):
    rng = np.random.default_rng(seed)
    f = th.random_network(rng, 4)
    C = sum((abs(sp.Rational(a.numerator, a.denominator)) * sp.sqrt(sp.Rational(*(lambda q: (q.numerator, q.denominator))(
        w[0] ** 2 + w[1] ** 2))) for a, w in zip(f.a, f.W)), sp.Integer(0))
    for _ in range(3):
        g = th.random_splitting(f, rng)
        assert th.realisation_gap(f, g, th.probe_points(rng)) == 0
        cg = th.network_cost(g)
        assert sp.simplify(cg - C) == 0 and abs(sp.N(cg - C, 40)) < sp.Float("1e-35")
        # the lower-bound chain: ½Σ(a² + ‖w‖²) ≥ path norm ≥ cost, strictly for a rewrite with cancellation
        pen = g.penalty()
        assert float(pen) >= float(th.path_norm(g)) > float(cg)


def test_one_dimension_agrees_with_the_univariate_cost_with_a_skip_term():
    rng = np.random.default_rng(3)
    for _ in range(10):
        m = int(rng.integers(1, 6))
        a = [F(int(rng.integers(-8, 9)), 4) for _ in range(m)]
        w = [F(int(rng.choice([-3, -2, -1, 1, 2, 3])), int(rng.integers(1, 3))) for _ in range(m)]
        b = [F(int(rng.integers(-6, 7)), 2) for _ in range(m)]
        f = th.FiniteNetwork.of(a, [(t,) for t in w], b, v=(F(1, 2),), c=1)
        # the univariate function: Σ a_j|w_j| relu(±(x − t_j)) + affine, as knots
        kinks = [-bj / wj for wj, bj in zip(w, b)]
        jumps = [aj * abs(wj) for aj, wj in zip(a, w)]
        slope_left = sum((aj * wj for aj, wj in zip(a, w) if wj < 0), F(0)) + F(1, 2)
        value0 = f((F(0),)) - sum((J * max(-t, 0) for t, J in zip(kinks, jumps)), F(0))
        g = th1.Piecewise1D.from_kinks(kinks, jumps, value0=value0, slope_left=slope_left)
        assert all(g(sp.Rational(p, 3)) == f((F(p, 3),)) for p in range(-30, 31, 7))
        assert th.network_cost(f) == th1.representational_cost(g, "free", skip=True)


def test_float_merge_agrees_with_the_exact_cost():
    rng = np.random.default_rng(7)
    f = th.random_network(rng, 4)
    g = th.random_splitting(f, rng)
    a = np.array([float(t) for t in g.a])
    W = np.array([[float(t) for t in w] for w in g.W])
    b = np.array([float(t) for t in g.b])
    exact = float(th.network_cost(g))
    assert abs(th.network_cost_float(a, W, b, tol=1e-9) - exact) <= 1e-12 * exact
    # without a tolerance only identical unit hyperplanes merge: between the cost and the path norm
    assert exact * (1 - 1e-12) <= th.network_cost_float(a, W, b, tol=0.0) <= float(th.path_norm(g)) * (1 + 1e-12)


def test_closed_forms_of_known_interpolants():
    assert th.line_data_min_norm([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1]) == 6
    assert th.line_data_min_norm([0, 1, 3], [0, 1, 1]) == 1
    assert th.ridge_ramp_min_norm(1, 1) == 1 and th.ridge_ramp_min_norm(-3, F(1, 2)) == 6
    a, W, b, v, c = th.ridge_ramp(1.0, 1.0, (0.6, 0.8))
    assert th.network_cost_float(a, W, b) == pytest.approx(1.0, abs=1e-15)
    assert th.weighted_cost(net([1], [(3, 4)], [-5]), 1.0) == pytest.approx(5 * np.sqrt(2), rel=1e-14)


def test_theory_bad_input():
    with pytest.raises(ValueError, match="^W:"):
        th.FiniteNetwork.of([1, 2], [(1, 0)], [0, 0])
    with pytest.raises(ValueError, match="^a:"):
        th.FiniteNetwork.of([float("nan")], [(1, 0)], [0])
    with pytest.raises(ValueError, match="^v:"):
        th.FiniteNetwork.of([1], [(1, 0)], [0], v=(1, 2, 3))
    with pytest.raises(ValueError, match="^x:"):
        net([1], [(1, 0)], [0])((1, 2, 3))
    with pytest.raises(ValueError, match="^s:"):
        th.line_data_min_norm([1, 1], [0, 1])
    with pytest.raises(ValueError, match="^half_gap:"):
        th.ridge_ramp_min_norm(1, 0)
    with pytest.raises(ValueError, match="^tol:"):
        th.network_cost_float([1.0], [[1.0, 0.0]], [0.0], tol=-1)


# ----------------------------------------------------------------------------------------------------
# numerics: the numba trainer against plain NumPy
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["gd", "sgd", "adam", "adamw"])
def test_train_matches_numpy(method):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(9, 2)), rng.normal(size=9)
    net0 = nd.init_network(rng, 6)
    bt = minibatches(rng, 9, 40, 3) if method == "sgd" else None
    res = nd.train(X, y, net0, method, lr=0.05, steps=40, lam=0.02, batches=bt, record=7)
    ref = nd.train_numpy(X, y, net0, method, lr=0.05, steps=40, lam=0.02, batches=bt)
    for p, q in ((res.net.a, ref.a), (res.net.W, ref.W), (res.net.b, ref.b), (res.net.v, ref.v)):
        assert np.max(np.abs(p - q)) < 1e-12
    assert abs(res.net.c - ref.c) < 1e-12
    f = nd.evaluate(res.net, X)
    direct = np.maximum(X @ res.net.W.T + res.net.b, 0) @ res.net.a + X @ res.net.v + res.net.c
    assert np.max(np.abs(f - direct)) < 1e-13
    assert res.loss[-1] == pytest.approx(0.5 * np.mean((f - y) ** 2), rel=1e-12)
    assert res.objective[-1] == pytest.approx(res.loss[-1] + 0.02 * nd.penalty(res.net), rel=1e-12)
    assert nd.path_norm(res.net) <= nd.penalty(res.net) + 1e-15


def test_numerics_bad_input():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    n0 = nd.init_network(rng, 4)
    with pytest.raises(ValueError, match="^method:"):
        nd.train(X, y, n0, "lbfgs")
    with pytest.raises(ValueError, match="^lr:"):
        nd.train(X, y, n0, lr=-1.0)
    with pytest.raises(ValueError, match="^y:"):
        nd.train(X, y[:3], n0)
    with pytest.raises(ValueError, match="^net:"):
        nd.train(rng.normal(size=(5, 3)), y, n0)
    with pytest.raises(ValueError, match="^batches:"):
        nd.train(X, y, n0, "sgd", steps=3)
    with pytest.raises(ValueError, match="^batches:"):
        nd.train(X, y, n0, "sgd", steps=3, batches=np.zeros((2, 2), dtype=int))
    with pytest.raises(ValueError, match="^steps:"):
        nd.train(X, y, n0, steps=2.5)
    with pytest.raises(ValueError, match="^W:"):
        nd.Net([1.0], np.zeros((2, 2)), [0.0], [0.0, 0.0])
    with pytest.raises(ValueError, match="^Xs:"):
        nd.evaluate(n0, np.zeros((3, 5)))
    with pytest.raises(ValueError, match="^m:"):
        nd.init_network(rng, 0)


# ----------------------------------------------------------------------------------------------------
# claims
# ----------------------------------------------------------------------------------------------------
DECIDED = [cl.MergeInvariance, cl.LineData]


@pytest.fixture(scope="module")
def powered():
    return {c: run_claim(c, budget="quick", seed=100, power=True, decisions=16) for c in DECIDED}


@pytest.mark.parametrize("claim", DECIDED, ids=lambda c: c.id)
def test_confirmed_mutants_refuted_and_power_targets(claim, powered):
    res = powered[claim]
    assert res.verdict is Verdict.CONFIRMED
    assert res.mutants and all(o.verdict is Verdict.REFUTED for o in res.mutants)
    assert res.power and all(k.meets_target() for k in res.power), [(k.name, k.resolution) for k in res.power]


@pytest.mark.parametrize("claim", DECIDED, ids=lambda c: c.id)
def test_confirmed_on_a_second_root_seed(claim):
    res = run_claim(claim, budget="quick", seed=101, decisions=16)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


def test_line_data_follows_the_one_dimensional_line(powered):
    d = powered[cl.LineData].details
    assert d["R_star"] == "6" and d["gap_coefficient_n_norm_u_sq"] == "180" and d["lambda_c"] == "1/35"
    assert d["max_normal_weight"] < 1e-3  # the weights normal to the line decayed
    for r in d["runs"]:
        assert abs(r["optimisation_error"]) <= cl.LineSetting().accuracy
        assert abs(r["exact_gap_over_lambda"] - 180) <= 1e-8


def test_merge_details_show_the_rewrites_cancel(powered):
    rows = powered[cl.MergeInvariance].details["rows"]
    for r in rows:
        assert max(abs(c - r["closed_form_float"]) for c in r["costs"]) < 1e-12 * r["closed_form_float"]
        assert min(r["path_norms"][1:]) > r["closed_form_float"]  # the unmerged rewrites cost more


def test_region_report_tabulates_every_optimizer():
    """The report's experiment and table on one seed with fewer steps (the engine's REPORT path is the same as
    minnorm.implicit_bias's)."""
    import dataclasses

    from proofs_check.crn import claim_seed

    c = cl.RegionOptimizers()
    ctx = c.setup("quick")
    ctx["setting"] = dataclasses.replace(ctx["setting"], steps=3000)
    rows = c.experiment(ctx, 32.0, claim_seed(100, c.id, 0))
    d = c.details(ctx, {(32.0, 0): rows})
    assert len(d["table"]) == len(cl.REGION_RUNS) and d["R_star_ridge_ramp"] == 1.0
    assert c.predictions(ctx) == [] and c.kind.value == "report"
    for r in d["table"]:
        assert np.isfinite(r["merged_cost"]) and r["merged_cost"] <= r["path_norm"] + 1e-12
        assert r["nearer"] in ("ridge ramp", "smallest found") and r["sup_to_smallest_found"] >= 0
    assert min(r["sup_to_smallest_found"] for r in d["table"]) == 0.0  # the smallest found is one of the runs


def test_opt_in_and_statements():
    from proofs_check.registry import registry

    reg = registry()
    assert all(not c.default for c in cl.CLAIMS)
    ids = {s.claim for s in reg.papers["minnorm"].statements}
    assert {c.id for c in cl.CLAIMS} <= ids
    unclaimed = [s for s in cl.PAPER.statements if s.claim is None]
    assert unclaimed and all(s.note.startswith("not claimed") for s in unclaimed)
