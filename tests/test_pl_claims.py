"""Claims of the PL paper through the engine, and bad input to the layers they use."""

import math

import numpy as np
import pytest

from numerics.pl import resnet as rn
from proofs_check.claim import Verdict
from proofs_check.claims import pl
from proofs_check.registry import registry
from proofs_check.testing import check_claim
from theory.pl import constants as th
from theory.pl import model as rm



@pytest.mark.parametrize("claim", pl.CLAIMS, ids=lambda c: c.id)
def test_claim_confirmed_and_mutants_refuted(claim, results):
    res = results(claim)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


@pytest.mark.slow
@pytest.mark.parametrize("claim", pl.CLAIMS, ids=lambda c: c.id)
def test_claim_at_full_budget(claim):
    """Full ladders (depth 1…128, radii down to r_max/256, N up to 8 with 400 feature draws, 8–9 depth rungs)."""
    check_claim(claim, budget="full")


def test_pl_mutants_are_refuted_on_the_same_runs(results):
    res = results(pl.PLInequality)
    ratio = res.table("theory")  # min_t (‖∇ℒ‖²/ℒ) / μ per (depth, seed)
    assert np.all(ratio >= 1.0) and np.all(ratio < 2.0)  # tight enough for the ×2 normalisation mutant
    assert np.array_equal(ratio, res.table("mu-x2")) and np.array_equal(ratio, res.table("mu-x10"))
    runs = res.details["runs"]
    assert all(r["max_radius"] <= r["R_star"] for r in runs)  # the iterates stay in the ball
    assert all(r["min_lambda_min_traj"] >= r["lambda_min_bound"] for r in runs)
    assert all(r["final_loss"] <= 1e-12 * r["ell0"] for r in runs)  # ℒ* = 0 established
    # the ratio ends at the bottom of the spectrum: within 3 % of 2 λ_min(K(X0))
    assert all(abs(r["min_ratio"] / (2 * r["lambda0"]) - 1) < 0.03 for r in runs)


def test_upper_bound_is_attained_at_the_top_of_the_spectrum(results):
    res = results(pl.PLUpperBound)
    up = res.table("theory")
    assert np.all((up > 0.5) & (up <= 1.0))
    for r in res.details["runs"]:  # the first ratio is 2 (0.9 Λ0 + 0.1 λ0) (W = 0)
        assert math.isclose(r["max_ratio"], 2 * (0.9 * r["Lambda0"] + 0.1 * r["lambda0"]), rel_tol=1e-9)


def test_linear_rate_measures_log_rate_ratio(results):
    res = results(pl.PLLinearRate)
    rate = res.table("theory")
    assert np.all(rate >= 1.0) and np.all(rate < 10.0)
    assert np.all(res.table("M-for-m") < 1.0)


def test_pair_bounds_are_tight_at_small_radius(results):
    lo, up = results(pl.PairLower), results(pl.PairUpper)
    a, b = lo.table("theory"), up.table("theory")
    assert np.all((a[0] >= 1.0) & (a[0] < 1.1)) and np.all((b[0] <= 1.0) & (b[0] > 0.9))
    assert np.all(np.diff(a, axis=0) > 0) and np.all(np.diff(b, axis=0) < 0)  # looser at larger radii


def test_pair_claims_exercise_the_radius_dependence(results):
    """Radii up to where m vanishes, several fields per radius (adversarial and random), and the
    functional-form mutants of m and M refuted (the old pair claims had one random field at three radii and
    only the ×2 / ÷2 mutants)."""
    for cls, names in ((pl.PairLower, {"m-x2", "m-x1.2", "no-exp", "no-perturbation"}),
                       (pl.PairUpper, {"M-div2", "M-x0.8", "no-exp", "no-perturbation"})):
        res = results(cls)
        assert {o.name: o.verdict for o in res.mutants} == dict.fromkeys(names, Verdict.REFUTED)
        levels = cls.ladder("quick").values
        assert len(levels) >= 6 and max(levels) >= 0.9 and min(levels) <= 2.0**-8
        for row in res.details["runs"]:
            assert {"move", "adjoint", "both"} <= set(row["factors"]) and len(row["factors"]) >= 5
            assert 0.6 < row["contraction_ratio"] < 1.0  # the quoted reason for the κ / exponent targets


def test_pair_factor_checks_are_what_refutes_the_functional_mutants(results):
    """The product bound alone does not refute "no e^{−2κr}" (λ̃ is too loose): the adjoint factor does."""
    res = results(pl.PairLower)
    runs = {(r["fraction"], r["seed"]): r for r in res.details["runs"]}
    top = max(f for f, _ in runs)
    for (f, s), r in runs.items():
        if f == top:
            adj = min(v["adjoint_min"] for v in r["factors"].values())
            assert adj < 0.9  # ‖p_1‖² shrinks below 0.9 ‖p_L‖²: "‖p_t‖ ≥ ‖p_1‖" is false
    up = results(pl.PairUpper)
    for r in up.details["runs"]:
        if r["fraction"] == top:
            assert max(v["adjoint_max"] for v in r["factors"].values()) > 1.1


def test_depth_limits_are_deterministic_with_derived_correction_order(results):
    for cls in (pl.DepthLimitMidpoint, pl.DepthLimitEuler):
        assert cls.deterministic and cls.correction_order == 1.0 and cls.rate_tolerance == 0.0
        assert "q = 1" in cls.correction_reason
        res = results(cls)
        s = res.theory.summary
        assert s["correction_order"] == 1.0 and s["high"] - s["low"] < 0.01
        assert res.criteria["level"] is None  # no statistical decision: not counted in K


# claims whose bound knob is documented as not resolvable on the grid (sufficient conditions)
UNRESOLVABLE = {("pl.linear_rate", "bound"), ("pl.rff_threshold", "bound")}


@pytest.fixture(scope="module")
def power_results():
    from proofs_check.engine import run_claim

    return {c.id: run_claim(c, budget="quick", power=True, decisions=16) for c in pl.CLAIMS if c.default}


def test_quick_budget_power_targets(power_results):
    knobs = {}
    for cid, res in power_results.items():
        assert res.verdict is Verdict.CONFIRMED, cid
        assert res.power, cid
        for k in res.power:
            knobs[(cid, k.name)] = k
            if (cid, k.name) in UNRESOLVABLE:
                assert all(v is None for v in k.resolution.values()) and k.note.startswith("not resolvable")
            else:
                assert k.meets_target(), (cid, k.name, k.resolution, k.target)
                if k.target > 0.1 and k.kind != "exponent":
                    assert k.note, (cid, k.name)  # a target above 5 % is justified
    # the ingredients of m and M are knobs of the pair claims, resolved as stated
    for cid, lam in (("pl.pair_lower", "lambda0"), ("pl.pair_upper", "Lambda0")):
        assert {"bound", lam, "kappa", "exp-factor"} <= {n for c, n in knobs if c == cid}
        assert knobs[(cid, "bound")].target == 0.05 and knobs[(cid, lam)].target == 0.05
    assert knobs[("pl.depth_limit", "exponent")].target == 0.1


def test_rff_sweep_rises_and_recipe_is_conservative(results):
    res = results(pl.RFFThreshold)
    for row in res.details["sweeps"]:
        P = row["probability_by_q"]
        n = row["N"]
        assert P[n] < 0.9 and P[max(P)] == 1.0  # the probability rises through the sweep
        assert all(p == 0.0 for q, p in P.items() if q < n)  # rank-deficient below N features
        assert row["q_emp"] < row["qstar"] / 100  # the recipe is conservative by two orders of magnitude


def test_rff_check_fails_for_a_mis_scaled_feature_map(monkeypatch):
    """√(1/q) instead of √(2/q) halves K̂, so λ_min(K̂) ≥ λ/2 becomes a coin flip: the theory is refuted."""
    real = rn.features
    monkeypatch.setattr(rn, "features", lambda X, rff: real(X, rff) / math.sqrt(2.0))
    obs = pl.rff_sweep(pl.RFFSetting(draws=40), np.random.SeedSequence(3), 2)
    assert obs["q_emp"] > obs["qstar"]


def test_pl_run_requires_the_loss_floor():
    with pytest.raises(RuntimeError, match="ℒ\\* = 0"):
        pl.pl_run(pl.PLSetting(max_steps=3), np.random.SeedSequence(0), 2)


def test_paper_statements_name_existing_claims():
    reg = registry()
    # the paper as its module states it, then the statements of its claim families in their own modules
    assert reg.papers["pl"].statements[:len(pl.PAPER.statements)] == pl.PAPER.statements
    ids = {c.id for c in pl.CLAIMS}
    named = {s.claim for s in pl.PAPER.statements if s.claim}
    assert named == ids
    assert all(s.note for s in pl.PAPER.statements if s.claim is None)
    assert reg.derivations["pl-constant"] is th.derive_pl_constant


# ---- bad input -------------------------------------------------------------------------------------
def _small():
    rng = np.random.default_rng(0)
    rff = rn.RFF(rng.standard_normal((8, 2)), rng.uniform(0, 2 * np.pi, 8))
    X0 = rng.uniform(-2, 2, (4, 2))
    return X0, X0 + 0.01, rff


@pytest.mark.parametrize("depth", [0, -3, 2.5, True])
def test_depth_below_one(depth):
    X0, Y, rff = _small()
    with pytest.raises(ValueError, match="depth"):
        rn.gradient_descent(X0, Y, rff, depth, 0.1, 3)
    with pytest.raises(ValueError, match="depth"):
        rn.zero_weights(depth, 2, 8)


def test_depth_zero_weights_array():
    X0, Y, rff = _small()
    with pytest.raises(ValueError, match="depth"):
        rn.resnet_pass(X0, Y, np.zeros((1, 2, 8)), rff)
    with pytest.raises(ValueError, match="depth"):
        th.draw_constants(X0, rff.omega, rff.u, 0)


def test_no_features():
    with pytest.raises(ValueError, match="q"):
        rn.RFF(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(ValueError, match="q"):
        rm.feature_constants(np.zeros((0, 2)))


@pytest.mark.parametrize("where", ["X0", "Y"])
def test_nan_data(where):
    X0, Y, rff = _small()
    bad = {"X0": X0.copy(), "Y": Y.copy()}
    bad[where][1, 0] = np.nan
    with pytest.raises(ValueError, match=where):
        rn.gradient_descent(bad["X0"], bad["Y"], rff, 4, 0.1, 3)
    with pytest.raises(ValueError, match=where):
        rn.resnet_pass(bad["X0"], bad["Y"], rn.zero_weights(3, 2, 8), rff)


@pytest.mark.parametrize("which, name", [("X0", "X0"), ("omega", "omega"), ("u", "u")])
def test_theory_rejects_nan_data_and_features(which, name):
    X0, _, rff = _small()
    args = {"X0": X0.copy(), "omega": rff.omega.copy(), "u": rff.u.copy()}
    args[which].flat[0] = np.nan
    with pytest.raises(ValueError, match=name):
        th.evaluate_pl(args["X0"], args["omega"], args["u"], 4, 1e-6, eta=0.1)


def test_nan_features_and_shapes():
    X0, Y, rff = _small()
    with pytest.raises(ValueError, match="omega"):
        rn.RFF(np.full((3, 2), np.nan), np.zeros(3))
    with pytest.raises(ValueError, match="u"):
        rn.RFF(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="W"):
        rn.resnet_pass(X0, Y, np.zeros((3, 2, 5)), rff)
    with pytest.raises(ValueError, match="scheme"):
        rn.resnet_pass(X0, Y, np.zeros((3, 2, 8)), rff, scheme="rk4")
    with pytest.raises(ValueError, match="Y"):
        rn.resnet_pass(X0, Y[:2], np.zeros((3, 2, 8)), rff)


def test_step_size_above_stability_limit():
    X0, Y, rff = _small()
    limit = rn.stability_limit(X0, rff)
    with pytest.warns(rn.StepSizeWarning, match="eta"):
        rn.gradient_descent(X0, Y, rff, 4, 1.5 * limit, 2)
    for eta in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="eta"):
            rn.gradient_descent(X0, Y, rff, 4, eta, 2)
    with pytest.raises(ValueError, match="eta"):
        th.evaluate_pl(X0, rff.omega, rff.u, 4, 1e-6, eta=-1.0)


def test_theory_bad_input():
    with pytest.raises(ValueError, match="delta"):
        th.rff_count_value(4, 2, 0.5, 1.0, 3.0, 1.5)
    with pytest.raises(ValueError, match="lam"):
        th.rff_count_value(4, 2, 0.0, 1.0, 3.0, 0.1)
    with pytest.raises(ValueError, match="ell0"):
        X0, Y, rff = _small()
        th.evaluate_pl(X0, rff.omega, rff.u, 4, math.nan)
    with pytest.raises(ValueError, match="scheme"):
        rm.local_error_order("rk4")


def test_infeasible_separation_is_reported():
    with pytest.raises(ValueError, match="dmin"):
        pl.separated_points(np.random.default_rng(0), 10, 1, 1.0, 1.0, tries=2000)


def test_verdict_for_a_wrong_order_is_refuted(results):
    res = results(pl.DepthLimitEuler)
    assert {o.name: o.verdict for o in res.mutants} == {"order-2": Verdict.REFUTED}


def test_pair_claims_test_m_and_M_as_composed(monkeypatch):
    """A slip in how M(r) (or m_L(r)) composes its factors — the adjoint factor divided instead of
    multiplied — is refuted by the pair claims: their adjoint factor is read off the theorem's m and M."""
    from proofs_check.engine import run_claim

    monkeypatch.setattr(th.DrawConstants, "M",
                        lambda self, radius: 2 * self.Lambda_tilde(radius) / self.adjoint_upper(radius))
    assert run_claim(pl.PairUpper, budget="quick", seed=100).verdict == Verdict.REFUTED
    monkeypatch.undo()
    monkeypatch.setattr(th.DrawConstants, "m",
                        lambda self, radius: 2 * self.lambda_tilde(radius) / self.adjoint_lower(radius))
    assert run_claim(pl.PairLower, budget="quick", seed=100).verdict == Verdict.REFUTED


def test_rff_count_evaluator_is_the_closed_form():
    """The float evaluator of q* must be the statement's closed form at 30 digits (the sweep cannot resolve
    q*: a wrong constant inside the log would otherwise pass)."""
    args = (4, 2, 0.37, math.sqrt(2) / 0.8, 3.1, 0.1)
    q = th.rff_count_value(*args)
    pl.check_rff_count(q, *args)
    with pytest.raises(ValueError, match="closed form"):
        pl.check_rff_count(q * (1 + 1e-9), *args)
    # 2⁷ instead of 2⁸ inside the log
    N, d, lam, sp_, diam, delta = args
    wrong = 16 * (d + 2) * N**2 / lam**2 * math.log(2**7 * (2 * N * sp_ * diam / lam) ** 2 / delta)
    with pytest.raises(ValueError, match="closed form"):
        pl.check_rff_count(wrong, *args)


def test_evaluator_is_checked_against_the_statement():
    """R*, μ, M(R*), r_max and the contraction of the 30-digit evaluator must equal the statement's SymPy
    closed forms at the draw: a slip in one constant of the evaluator is an error, not a looser bound that
    the gradient-descent claims cannot see."""
    import dataclasses as dc


    setting = pl.PLSetting()
    _, _, _, ev = pl.pl_problem(setting, np.random.SeedSequence(100), 8)
    th.check_evaluation(ev)
    for field, factor in (("R_star", 1.001), ("mu", 1.01), ("M_R", 0.99), ("contraction", 1.001)):
        with pytest.raises(ValueError):
            th.check_evaluation(dc.replace(ev, **{field: getattr(ev, field) * factor}))


def test_evaluator_kappa0_is_the_feature_sup_norm():
    """The draw's κ₀ must be sup_x ‖φ(x)‖ = √2 derived from the feature map: a looser κ₀ (e.g. √3) only weakens
    m_L and M, which no gradient-descent measurement can refute, so it is checked against the derivation."""
    import dataclasses as dc

    import mpmath as mp
    import sympy as sp

    from theory.pl.model import feature_sup_norm

    assert sp.simplify(feature_sup_norm() - sp.sqrt(2)) == 0
    X0, rff = pl.pl_data(pl.PLSetting(), np.random.SeedSequence(100))
    c = th.draw_constants(X0, rff.omega, rff.u, 8)
    with pytest.raises(ValueError, match="kappa0"):
        th.check_feature_constants(dc.replace(c, kappa0=mp.sqrt(3)), rff.omega, X0)


def test_feature_constants_are_checked_against_their_definitions():
    """κ₁ = √(2/q)‖Ω‖_op with the operator norm recomputed from ΩᵀΩ, and κ₀ = √2: a draw whose κ₁ uses another
    norm (e.g. the maximum column sum) is an error, not a looser bound."""
    import dataclasses as dc

    import mpmath as mp

    X0, rff = pl.pl_data(pl.PLSetting(), np.random.SeedSequence(100))
    c = th.draw_constants(X0, rff.omega, rff.u, 8)
    th.check_feature_constants(c, rff.omega)
    loose = float(np.sqrt(2.0 / rff.omega.shape[0]) * np.linalg.norm(rff.omega, 1))
    with pytest.raises(ValueError, match="kappa1"):
        th.check_feature_constants(dc.replace(c, kappa1=mp.mpf(loose)), rff.omega)


def test_evaluator_g_max_is_the_maximum():
    """g_max must be the maximum of the ball condition g: an R_peak short of the maximiser is an error."""
    import dataclasses as dc

    _, _, _, ev = pl.pl_problem(pl.PLSetting(), np.random.SeedSequence(100), 8)
    th.check_evaluation(ev)
    with pytest.raises(ValueError, match="R_peak|g_max"):
        th.check_evaluation(dc.replace(ev, R_peak=ev.R_peak * 2 / 3))


def test_feature_constants_check_the_sample_count():
    """N of the draw (which sets the spread √N κ₀κ₁) must be the data's number of points."""
    import dataclasses as dc

    X0, rff = pl.pl_data(pl.PLSetting(), np.random.SeedSequence(100))
    c = th.draw_constants(X0, rff.omega, rff.u, 8)
    th.check_feature_constants(c, rff.omega, X0)
    with pytest.raises(ValueError, match="n_samples"):
        th.check_feature_constants(dc.replace(c, n_samples=X0.shape[1]), rff.omega, X0)
