"""Every registered claim is complete and falsifiable on paper; every paper statement points somewhere."""

import pytest

from proofs_check.claim import Kind
from proofs_check.engine import _context
from proofs_check.registry import registry

REG = registry()
CLAIMS = sorted(REG.claims)


def test_papers_name_existing_claims():
    for paper in REG.papers.values():
        for s in paper.statements:
            assert s.claim is None or s.claim in REG.claims, f"{paper.key}: unknown claim {s.claim}"
            assert s.claim is not None or s.derivation or s.note, \
                f"{paper.key}: unchecked statement without a note: {s.text}"
            assert s.derivation is None or s.derivation in REG.derivations, \
                f"{paper.key}: unknown derivation topic {s.derivation}"


def test_every_claim_is_listed_under_its_paper():
    listed = {s.claim for p in REG.papers.values() for s in p.statements}
    for cid, cls in REG.claims.items():
        assert cls.paper in REG.papers, f"{cid}: unknown paper {cls.paper}"
        assert cid in listed, f"{cid}: no statement of {cls.paper} names it"


@pytest.mark.parametrize("cid", CLAIMS)
def test_claim_definition(cid):
    cls = REG.claims[cid]
    cls.check_definition()
    assert cls.id.split(".")[0] == cls.paper or cls.id.startswith(cls.paper)
    for budget in ("quick", "full"):
        quick = cls.ladder(budget)
        if cls.kind is Kind.RATE:
            assert len(quick.values) >= 3, f"{cid}: a rate needs at least three rungs"
    assert len(cls.ladder("full").values) >= len(cls.ladder("quick").values)
    if cls.kind is not Kind.REPORT:
        _, _, preds = _context(cls, "quick")
        assert any(p.mutant for p in preds), f"{cid}: no mutant"


def test_derivation_topics_are_callables():
    for topic, fn in REG.derivations.items():
        assert callable(fn), topic


def test_every_claim_names_its_measured_quantity():
    """The plots' y axis reads what was measured, never a generic 'measured'."""
    from proofs_check.registry import registry

    generic = [c.id for c in registry().claims.values() if c.quantity in ("measured value", "measured")]
    assert not generic, generic
