"""Helpers for the test-suite and for users' own regression tests of a claim."""

from __future__ import annotations

import numpy as np

from proofs_check.claim import Claim, Kind, Verdict
from proofs_check.engine import ClaimResult, run_claim
from proofs_check.verdict import ALPHA, Criteria, decide


def check_claim(claim: type[Claim], budget: str = "quick", seed: int = 0, **kwargs) -> ClaimResult:
    """Run ``claim`` and assert that the theory is CONFIRMED and every mutant REFUTED by the same test.

    ``kwargs`` go to :func:`proofs_check.engine.run_claims` (``power=True``, ``decisions=K`` to decide as
    in a run of ``K`` statistical decisions, ``alpha``)."""
    res = run_claim(claim, budget=budget, seed=seed, **kwargs)
    if res.error:
        raise AssertionError(f"{claim.id}: an experiment failed:\n{res.error}")
    lines = [f"{o.name}{' (mutant)' if o.mutant else ''}: {o.verdict.value}: {o.reason}" for o in res.outcomes]
    report = f"{claim.id}: {res.verdict.value} ({res.reason})\n  " + "\n  ".join(lines)
    theory = res.theory
    assert theory is not None and theory.verdict is Verdict.CONFIRMED, report
    for m in res.mutants:
        assert m.verdict is Verdict.REFUTED, report
    assert res.verdict is Verdict.CONFIRMED, report
    return res


def assert_power(res: ClaimResult) -> None:
    """Assert that every knob of a ``power=True`` result meets its resolution target (5 % on constants and
    functions, 0.1 on exponents, or the target the knob states with its reason)."""
    assert res.power, f"{res.claim_id}: no knob was analysed (run with power=True)"
    bad = [f"{k.name} ({k.kind}): {k.text()}, target {k.target:g}" for k in res.power if not k.meets_target()]
    assert not bad, f"{res.claim_id}: resolution above target: " + "; ".join(bad)


def assert_rate(levels, values, expected: float, *, alpha: float = ALPHA, deterministic: bool = False,
                correction_order: float = 1.0, floor: float = 0.0) -> dict:
    """Assert that ``values`` (rungs × seeds, or one curve) decay like ``levels**expected``, decided as a
    claim decides a rate (Student-t over per-seed log–log slopes at level ``alpha``; ``deterministic``:
    the top local slope with a Richardson bias bound of order ``correction_order``). Returns the fit.

    For a user's own hypothesis test, e.g. with :mod:`proofs_check.strategies`::

        @given(law=strategies.spline.laws())
        def test_my_rate(law):
            widths = 2.0 ** np.arange(8, 14)
            errors = np.array([[my_error(law, n, seed) for seed in range(8)] for n in widths])
            assert_rate(widths, errors, -0.5, alpha=0.01)
    """
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    verdict, reason, fit = decide(levels, values, expected, Criteria(Kind.RATE, level=alpha, floor=floor,
                                                                     deterministic=deterministic,
                                                                     correction_order=correction_order,
                                                                     max_interval=np.inf))
    assert verdict is Verdict.CONFIRMED, f"rate {expected:+g}: {verdict.value}: {reason}"
    return fit
