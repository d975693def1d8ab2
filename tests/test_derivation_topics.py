"""The derivations of the closed forms that default claims predict: registered, every step checked or a
definition, ending with the claims they feed (real claim ids) and the command that checks them. The three
formats of every topic are tested in tests/test_derivation_formats.py (parametrised over the registry)."""

import math

import pytest
import sympy as sp

from proofs_check.registry import registry
from theory.minnorm.cost import ramp_gap

NEW_TOPICS = {
    "rerm-box-limit": ({"ridgelet.rerm_box_limit", "ridgelet.rerm_spectrum"}, "nnlimits verify 'ridgelet.rerm_*'"),
    "weight-decay-schedule": ({"minnorm.schedule"}, "nnlimits verify minnorm.schedule"),
    "linear-response": ({"minnorm.cost", "minnorm.cost_penalized"}, "nnlimits verify 'minnorm.cost*'"),
    "rff-count": ({"pl.rff_threshold"}, "nnlimits verify pl.rff_threshold"),
    "pathology-exponents": ({f"stability.pathology.{n}" for n in ("rescaling", "uniform_norm", "inactive_affine",
                                                                  "same_direction", "opposite_directions",
                                                                  "compensating_flip")} | {"stability.inverse"},
                            "nnlimits verify 'stability.*'"),
    "gd-filter": ({"spline.early_stopping_limit", "spline.early_stopping"}, "nnlimits verify 'spline.early_stopping*'"),
}


@pytest.fixture(scope="module")
def built():
    return {t: registry().derivations[t]() for t in NEW_TOPICS}


@pytest.mark.parametrize("topic", sorted(NEW_TOPICS))
def test_topic_is_checked_and_names_its_claims(built, topic):
    d = built[topic]
    feeds, command = NEW_TOPICS[topic]
    assert d.all_checked and sum(s.checked for s in d.steps) >= 6
    assert all(s.recheck() for s in d.steps)
    assert set(d.feeds) == feeds and d.command == command
    assert feeds <= set(registry().claims)
    md = d.to_markdown()
    assert "Feeds the claims" in md and command in md


def test_rerm_box_limit_rate_and_coefficient(built):
    """The A^(−2) rate comes with a non-zero coefficient, checked at 30 digits against the exact difference."""
    d = built["rerm-box-limit"]
    step = next(s for s in d.steps if s.text.startswith("Check: A^2"))
    assert step.how == "mpmath 30 digits" and sp.N(step.rhs) != 0
    assert not step.check(step.lhs, step.rhs * (1 + sp.Rational(1, 10**20)))


def test_rerm_box_limit_other_order():
    d = registry().derivations["rerm-box-limit"](k="2", beta="1/2")
    assert d.all_checked and "A^(−4)" in d.title


def test_linear_response_numbers():
    """On y = 1, 0, 1, 0, 1 at x = −2, …, 2: R* = 6, n‖u♯‖² = 180, λ_c = 1/35 (penalized: 170 + 80√2)."""
    md = registry().derivations["linear-response"](x="-2,-1,0,1,2", y="1,0,1,0,1").to_markdown()
    assert "= 180 $$" in md and r"\frac{1}{35}" in md and r"\frac{24}{7}" in md and r"80 \sqrt{2} + 170" in md


def test_ramp_gap_leading_term_for_any_half_gap():
    """The boundary-layer gap is 2√(Δ/ρ)/L₀²·√λ (derived in weight-decay-schedule); the former L₀^(−3/2) was off
    by √L₀ away from the claim's L₀ = 1."""
    lam = 1e-12
    for half_gap in (0.5, 1.0, 2.0):
        r = ramp_gap(lam, None, jump=1.0, half_gap=half_gap, region_length=4.0)
        assert r.asymptotic == pytest.approx(2 * math.sqrt(8.0) / half_gap**2 * math.sqrt(lam))
        assert r.gap == pytest.approx(r.asymptotic, rel=1e-4)


def test_weight_decay_schedule_options_are_validated():
    with pytest.raises(ValueError, match="theta"):
        registry().derivations["weight-decay-schedule"](theta="3/2")


def test_pathology_exponents_refuse_a_wrong_exponent(built):
    """The exact-distance checks reject an exponent off by 0.1."""
    d = built["pathology-exponents"]
    steps = [s for s in d.steps if s.how.startswith("exact distances")]
    assert len(steps) == 11  # five realization exponents (one family's realizations agree) and six parameter ones
    for s in steps:
        assert s.recheck()
        assert not s.check(s.lhs, s.rhs + sp.Rational(1, 10))
