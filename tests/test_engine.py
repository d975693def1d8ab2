"""The engine on toy claims whose truth is known: verdict rules, mutants, determinism, errors."""

import json
import math

import numpy as np
import pytest

from proofs_check.claim import Kind, Ladder, Verdict
from proofs_check.crn import claim_seed, prefix_draw
from proofs_check.engine import run_claim, run_claims
from proofs_check.report import results_to_json
from proofs_check.executors import make_executor
from proofs_check.verdict import Criteria, decide, fit_rate, overall
from toy_claims import Broken, MonteCarloMean, NoMutant, WeakMutant


def test_rate_claim_confirmed_and_mutants_refuted():
    res = run_claim(MonteCarloMean)
    assert res.verdict is Verdict.CONFIRMED, [(o.name, o.reason) for o in res.outcomes]
    assert [o.verdict for o in res.mutants] == [Verdict.REFUTED, Verdict.REFUTED]
    fit = res.theory.summary
    assert fit["low"] <= -0.5 <= fit["high"]


def test_weak_mutant_makes_claim_unfalsifiable():
    assert run_claim(WeakMutant).verdict is Verdict.UNFALSIFIABLE


def test_claim_without_mutant_is_an_error():
    res = run_claim(NoMutant)
    assert res.verdict is Verdict.ERROR and "mutant" in res.error


def test_failing_experiment_is_reported_not_raised():
    res = run_claim(Broken)
    assert res.verdict is Verdict.ERROR and "boom" in res.error


def test_same_seed_same_json_and_other_seed_differs():
    a = results_to_json(run_claims([MonteCarloMean], seed=3))
    b = results_to_json(run_claims([MonteCarloMean], seed=3))
    c = results_to_json(run_claims([MonteCarloMean], seed=4))
    assert json.dumps(a["claims"], sort_keys=True) == json.dumps(b["claims"], sort_keys=True)
    assert json.dumps(a["claims"], sort_keys=True) != json.dumps(c["claims"], sort_keys=True)


def test_prefix_draw_is_common_random_numbers():
    seed = claim_seed(0, "x", 1)
    big = prefix_draw(seed, 10_000, lambda rng, m: rng.standard_normal((m, 2)))
    small = prefix_draw(seed, 5_000, lambda rng, m: rng.standard_normal((m, 2)))
    assert np.array_equal(big[:5_000], small)
    other = prefix_draw(seed, 5_000, lambda rng, m: rng.standard_normal((m, 2)), stream=1)
    assert not np.array_equal(other, small)


def test_fit_rate_recovers_exact_power_law():
    levels = 2.0 ** np.arange(4, 12)
    values = np.outer(3.0 * levels**-1.5, np.ones(4))
    fit = fit_rate(levels, values, floor=0.0)
    assert math.isclose(fit["slope"], -1.5, abs_tol=1e-12)


def test_fit_rate_drops_floor_and_needs_three_rungs():
    levels = 2.0 ** np.arange(4, 8)
    values = np.array([[1e-3], [1e-15], [1e-16], [0.0]])
    assert fit_rate(levels, values, floor=1e-14)["usable_rungs"] == 0
    verdict, reason, _ = decide(levels, values, -1.0, Criteria(Kind.RATE, floor=1e-14))
    assert verdict is Verdict.INCONCLUSIVE and "only 1 of 4" in reason


@pytest.mark.parametrize("sense,bound,expected", [("le", 1.0, Verdict.CONFIRMED), ("le", 0.5, Verdict.REFUTED),
                                                    ("ge", 0.1, Verdict.CONFIRMED), ("ge", 0.5, Verdict.REFUTED)])
def test_bound_rule(sense, bound, expected):
    values = np.array([[0.2, 0.3], [0.6, 0.9]])
    assert decide([1, 2], values, bound, Criteria(Kind.BOUND), sense=sense)[0] is expected


def test_tight_rule_uses_finest_rung_and_needs_tolerance():
    values = np.array([[1.0], [0.5 + 1e-12]])
    assert decide([1, 2], values, 0.5, Criteria(Kind.TIGHT), tolerance=1e-10)[0] is Verdict.CONFIRMED
    assert decide([1, 2], values, 0.6, Criteria(Kind.TIGHT), tolerance=1e-10)[0] is Verdict.REFUTED
    with pytest.raises(TypeError):
        decide([1, 2], values, 0.5, Criteria(Kind.TIGHT))


def test_monotone_rule():
    values = np.array([[3.0, 3.1, 2.9], [2.0, 2.1, 1.9], [1.0, 1.1, 0.9]])
    assert decide([1, 2, 3], values, -1, Criteria(Kind.MONOTONE, level=0.01))[0] is Verdict.CONFIRMED
    assert decide([1, 2, 3], values, +1, Criteria(Kind.MONOTONE, level=0.01))[0] is Verdict.REFUTED


def test_overall_rules():
    R, C, I = Verdict.REFUTED, Verdict.CONFIRMED, Verdict.INCONCLUSIVE
    assert overall(C, [R, R])[0] is C
    assert overall(C, [R, I])[0] is Verdict.UNFALSIFIABLE
    assert overall(R, [R])[0] is R
    assert overall(I, [R])[0] is I


def test_bad_arguments():
    with pytest.raises(ValueError, match="seed"):
        run_claims([MonteCarloMean], seed=-1)
    with pytest.raises(ValueError, match="budget"):
        run_claim(MonteCarloMean, budget="huge")
    with pytest.raises(ValueError, match="Ladder.seeds"):
        Ladder("n", (1.0,), seeds=0)


def test_process_pool_gives_the_same_numbers_as_in_process():
    serial = results_to_json(run_claims([MonteCarloMean], seed=5))
    with make_executor(workers=2) as pool:
        parallel = results_to_json(run_claims([MonteCarloMean], seed=5, executor=pool))
    assert json.dumps(serial["claims"]) == json.dumps(parallel["claims"])


def test_executor_arguments():
    with pytest.raises(ValueError, match="workers"):
        with make_executor(workers=0):
            pass


def test_dask_executor_runs_the_same_sweep():
    pytest.importorskip("distributed")
    serial = results_to_json(run_claims([MonteCarloMean], seed=5))
    with make_executor(workers=1, dask="local") as ex:
        remote = results_to_json(run_claims([MonteCarloMean], seed=5, executor=ex))
    assert json.dumps(serial["claims"]) == json.dumps(remote["claims"])


from hypothesis import given, strategies as st  # noqa: E402


@given(rate=st.floats(-3, 3, allow_nan=False), const=st.floats(1e-3, 1e3, allow_nan=False),
       seeds=st.integers(1, 6))
def test_fit_rate_exact_power_laws(rate, const, seeds):
    levels = 2.0 ** np.arange(3, 10)
    values = np.outer(const * levels**rate, np.ones(seeds))
    fit = fit_rate(levels, values, floor=0.0)
    assert math.isclose(fit["slope"], rate, abs_tol=1e-9)
    assert fit["low"] - 1e-9 <= rate <= fit["high"] + 1e-9
    verdict = decide(levels, values, rate, Criteria(Kind.RATE))[0]
    assert verdict is Verdict.CONFIRMED
    assert decide(levels, values, rate + 0.1, Criteria(Kind.RATE))[0] is Verdict.REFUTED


# -- calibrated decisions: non-finite values, floor blocks, family-wise level, power --------------------------
@pytest.mark.parametrize("kind", [Kind.RATE, Kind.BOUND, Kind.TIGHT, Kind.MONOTONE])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_values_are_inconclusive_for_every_kind(kind, bad):
    levels = 2.0 ** np.arange(3, 9)
    values = np.outer(levels**-0.5, np.ones(4)) * (1 + 0.01 * np.arange(4))
    values[-1, 2] = bad  # the finest rung: dropping it silently would still fit five rungs
    verdict, reason, _ = decide(levels, values, -0.5, Criteria(kind, tolerance=1.0))
    assert verdict is Verdict.INCONCLUSIVE and "non-finite" in reason


def test_floor_values_only_as_a_block_at_the_finest_rungs():
    levels = 2.0 ** np.arange(3, 11)
    clean = np.outer(levels**-2.0, np.ones(1))
    top = clean.copy()
    top[-2:] = 1e-16  # the floor reached at the two finest rungs: dropped, and said so
    v, reason, s = decide(levels, top, -2.0, Criteria(Kind.RATE, floor=1e-14))
    assert v is Verdict.CONFIRMED and s["dropped_at_floor"] == 2 and "2 finest rung(s)" in reason
    hole = clean.copy()
    hole[3] = 1e-16  # a floor value followed by usable rungs: not a floor, a failure
    v, reason, _ = decide(levels, hole, -2.0, Criteria(Kind.RATE, floor=1e-14))
    assert v is Verdict.INCONCLUSIVE and "contiguous" in reason
    most = clean.copy()
    most[3:] = 1e-16  # more than half of the ladder lost
    assert decide(levels, most, -2.0, Criteria(Kind.RATE, floor=1e-14))[0] is Verdict.INCONCLUSIVE


def test_statistical_interval_widens_with_the_number_of_decisions():
    rng = np.random.default_rng(0)
    levels = 2.0 ** np.arange(6, 14)
    values = np.exp(-0.5 * np.log(levels)[:, None] + 0.3 * rng.standard_normal((8, 12)))
    one = fit_rate(levels, values, 0.0, level=0.05)
    many = fit_rate(levels, values, 0.0, level=0.05 / 30)
    assert one["high"] - one["low"] < many["high"] - many["low"]
    assert math.isclose(one["slope"], many["slope"]) and "Student-t" in one["interval"]


def test_family_wise_size_of_the_rate_rule():
    """A correct power law with noise: over 400 simulated runs of K = 20 decisions at alpha/K, the
    fraction of runs with any false alarm stays near or below alpha."""
    rng = np.random.default_rng(1)
    levels = 2.0 ** np.arange(6, 14)
    K, runs, alarms = 20, 400, 0
    for _ in range(runs):
        noise = rng.standard_normal((K, 8, 10)) * 0.2
        vals = np.exp(-0.5 * np.log(levels)[None, :, None] + noise)
        alarms += any(decide(levels, v, -0.5, Criteria(Kind.RATE, level=0.05 / K))[0] is Verdict.REFUTED
                      for v in vals)
    assert alarms / runs <= 0.05 + 3 * math.sqrt(0.05 * 0.95 / runs)


def test_deterministic_rate_uses_a_richardson_bias_bound():
    levels = 2.0 ** np.arange(3, 10)
    values = (levels**-1.5 * (1 + 2.0 / levels))[:, None]  # next term of relative order 1
    fit = fit_rate(levels, values, 0.0)
    assert fit["low"] <= -1.5 <= fit["high"] and fit["high"] - fit["low"] < 0.02
    assert decide(levels, values, -1.5 + 0.03, Criteria(Kind.RATE))[0] is Verdict.REFUTED


def test_power_reports_the_exponent_resolution_without_rerunning():
    res = run_claim(MonteCarloMean, power=True)
    (knob,) = res.power
    assert knob.name == "exponent" and set(knob.resolution) == {"-", "+"}
    assert all(r is not None and r <= 0.3 for r in knob.resolution.values())
    assert all("@" not in k for _, _, vals in res.measurements for k in vals)


def test_alpha_is_checked():
    with pytest.raises(ValueError, match="alpha"):
        run_claims([MonteCarloMean], alpha=0.0)
