"""Helpers for the test-suite and for users' own regression tests of a claim."""

from __future__ import annotations

from proofs_check.claim import Claim, Verdict
from proofs_check.engine import ClaimResult, run_claim


def check_claim(claim: type[Claim], budget: str = "quick", seed: int = 0) -> ClaimResult:
    """Run ``claim`` and assert that the theory is CONFIRMED and every mutant REFUTED by the same test."""
    res = run_claim(claim, budget=budget, seed=seed)
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
