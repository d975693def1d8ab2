"""Hypothesis profiles (derandomized in CI, searching locally) and the shared claim runs."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("search", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def default_decisions():
    """``K`` of a bare ``nnlimits verify``: claims are decided in the tests exactly as in the default run."""
    from proofs_check.engine import decision_count
    from proofs_check.registry import registry

    return decision_count(registry().select(None), "quick")


@pytest.fixture(scope="session")
def results(default_decisions):
    """``results(claim)``: the claim run once per session through the engine at the quick budget, with the
    power analysis, decided at the default run's per-decision level; a claim with a prediction must come
    out CONFIRMED with every mutant REFUTED (``check_claim``)."""
    from proofs_check.claim import Kind
    from proofs_check.engine import run_claim
    from proofs_check.testing import check_claim

    cache = {}

    def get(claim):
        if claim.id not in cache:
            cache[claim.id] = (run_claim(claim, budget="quick") if claim.kind is Kind.REPORT
                               else check_claim(claim, budget="quick", power=True, decisions=default_decisions))
        return cache[claim.id]

    return get
