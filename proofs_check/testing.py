"""Helpers for the test-suite and for users' own regression tests of a claim."""

from __future__ import annotations

from proofs_check.claim import Claim, Verdict
from proofs_check.engine import ClaimResult, run_claim


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
