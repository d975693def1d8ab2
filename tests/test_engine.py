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
    fit = fit_rate(levels, values, floor=0.0, key=1)
    assert math.isclose(fit["slope"], -1.5, abs_tol=1e-12)


def test_fit_rate_drops_floor_and_needs_three_rungs():
    levels = 2.0 ** np.arange(4, 8)
    values = np.array([[1e-3], [1e-15], [1e-16], [0.0]])
    assert fit_rate(levels, values, floor=1e-14, key=1) == {"usable_rungs": 1}
    verdict, _, _ = decide(levels, values, -1.0, Criteria(Kind.RATE, floor=1e-14))
    assert verdict is Verdict.INCONCLUSIVE


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
    assert decide([1, 2, 3], values, -1, Criteria(Kind.MONOTONE))[0] is Verdict.CONFIRMED
    assert decide([1, 2, 3], values, +1, Criteria(Kind.MONOTONE))[0] is Verdict.REFUTED


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
    fit = fit_rate(levels, values, floor=0.0, key=0)
    assert math.isclose(fit["slope"], rate, abs_tol=1e-9)
    assert fit["low"] - 1e-9 <= rate <= fit["high"] + 1e-9
    verdict = decide(levels, values, rate, Criteria(Kind.RATE))[0]
    assert verdict is Verdict.CONFIRMED
    assert decide(levels, values, rate + 0.1, Criteria(Kind.RATE))[0] is Verdict.REFUTED
