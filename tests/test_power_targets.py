"""Every default claim's power at the quick budget: the smallest perturbation of each knob of its theory
that the same measurements refute meets its target (5 % on constants and ingredient functions, 0.1 on
exponents, or the target the knob states with its reason)."""

import pytest

from proofs_check.claim import Kind
from proofs_check.registry import registry
from proofs_check.testing import assert_power

DEFAULT = [c for c in registry().select(None) if c.kind is not Kind.REPORT]


@pytest.mark.parametrize("claim", DEFAULT, ids=[c.id for c in DEFAULT])
def test_default_claim_meets_its_power_targets(results, claim):
    res = results(claim)
    assert_power(res)
    for k in res.power:
        if k.target > {"exponent": 0.1}.get(k.kind, 0.05) + 1e-12:
            assert k.note, f"{claim.id}/{k.name}: a target above the standard one needs its reason in the note"
