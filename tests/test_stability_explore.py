"""Exploring the inverse-stability claims over domains and network widths: no false alarm on the correct
theory, a planted constant that is right only for ``M ≤ 1`` found and shrunk to ``M`` just above 1, inadmissible
settings refused with the reason.

The planted theories below are also loadable as a claims file (``CLAIMS``), so that
``nnlimits verify --claims tests/test_stability_explore.py stability.planted_kink_factor --explore 8`` shows
the exploration and its reproduction line.
"""

import json
import math

import pytest

from proofs_check import registry as registry_mod
from proofs_check.cli import main
from proofs_check.claim import Verdict
from proofs_check.claims import stability
from proofs_check.explore import draw_settings, explore
from proofs_check.strategies.stability import setting_domain
from theory.stability.api import inverse_stability_constant


def _M(setting: str) -> float:
    lo, up = setting_domain(json.loads(setting))
    return float(max(-lo, up))


class PlantedKinkFactor(stability.InverseStabilityConstant):
    """Planted: ``C = 2√2(1 + M²)^{1/4}`` for ``M ≤ 1`` and ``2√2(2M²)^{1/4}`` above (the kink factor
    ``1 + t² ≤ 2t²``, true for ``|t| ≥ 1``, kept as the constant): right for ``M ≤ 1`` only, too large above by
    ``(2M²/(1 + M²))^{1/4} ≈ 1 + (M − 1)/4``, so the extremal pair no longer attains it."""

    id = "stability.planted_kink_factor"
    default = False

    def constant(self, domain):
        M = float(max(-domain[0], domain[1]))
        return inverse_stability_constant(domain) if M <= 1 else 2 * math.sqrt(2) * (2 * M * M) ** 0.25


class PlantedSaturated(stability.InverseStabilityConstant):
    """Planted: ``C = 2√2(1 + min(M, 1)²)^{1/4}`` (the kink factor taken at the unit interval): right for
    ``M ≤ 1`` only, too small above, so the extremal pair violates it."""

    id = "stability.planted_saturated"
    default = False

    def constant(self, domain):
        M = float(max(-domain[0], domain[1]))
        return 2 * math.sqrt(2) * (1 + min(M, 1.0) ** 2) ** 0.25


CLAIMS = [PlantedKinkFactor, PlantedSaturated]

EXPLORED = (stability.InverseStabilityExponent, stability.InverseStabilityConstant)


@pytest.fixture(autouse=True)
def fresh_registry():
    registry_mod.registry.cache_clear()
    yield
    registry_mod.registry.cache_clear()


@pytest.mark.parametrize("claim", EXPLORED, ids=lambda c: c.id)
def test_default_setting_is_admissible_and_gives_the_hand_picked_setting(claim):
    s = claim.default_setting()
    claim().check_setting(s)
    assert claim.explorable()
    assert setting_domain(s) == stability.DOMAIN
    inst = claim()
    inst.setting = s
    if claim is stability.InverseStabilityConstant:
        ctx = inst.setup("quick")
        assert ctx["C"] == inverse_stability_constant(stability.DOMAIN) and (ctx["big"], ctx["small"]) == (3, 2)
    else:
        assert inst._instance_setting() == (stability.DOMAIN, stability.MODULUS_BASE, stability.MODULUS_MOVES)


@pytest.mark.parametrize("claim", EXPLORED, ids=lambda c: c.id)
def test_drawn_settings_are_admissible(claim):
    drawn = draw_settings(claim, 40, 7)
    for js in drawn:
        claim().check_setting(json.loads(js))
    assert max(_M(js) for js in drawn) > 1.5 and min(_M(js) for js in drawn) < 0.75  # both sides of M = 1


@pytest.mark.parametrize("claim", EXPLORED, ids=lambda c: c.id)
def test_correct_theory_has_no_false_alarm_over_the_exploration(claim):
    (ex,) = explore([claim], 8, root_seed=5)
    assert not ex.refuted and ex.minimal is None
    assert all(r.verdict is Verdict.CONFIRMED for r in ex.runs), [(r.setting, r.verdict) for r in ex.runs]
    assert all(o.verdict is Verdict.REFUTED for r in ex.runs for o in r.mutants)


def test_planted_kink_factor_is_found_and_shrunk_to_m_just_above_one(tmp_path):
    """The constant right for M ≤ 1 and too large by ≈ (M − 1)/4 above: every refuted setting has M > 1, every
    setting with M ≤ 1 is confirmed, and the shrunk setting is the first grid point above 1, M = 1 + 1/64, on
    a symmetric domain with one neuron of each kind."""
    (ex,) = explore([PlantedKinkFactor], 8, root_seed=3, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None and ex.shrunk
    assert all(_M(r.setting) > 1 for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs if _M(r.setting) <= 1)
    minimal = json.loads(ex.minimal.setting)
    assert 1 < _M(ex.minimal.setting) <= 1 + 1 / 32
    assert minimal["domain"][0] == -minimal["domain"][1] and minimal["big"] == 1 and minimal["small"] == 1
    assert "--setting" in ex.reproduce()
    (good,) = explore([stability.InverseStabilityConstant], 8, root_seed=3)  # same settings, correct theory
    assert [r.setting for r in good.runs] == [r.setting for r in ex.runs] and not good.refuted


def test_planted_saturated_constant_is_violated_above_one(tmp_path):
    """The constant frozen at its M = 1 value: violated (not only unattained) once M > 1; shrunk to M just
    above 1."""
    (ex,) = explore([PlantedSaturated], 8, root_seed=3, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None and ex.shrunk
    assert all(_M(r.setting) > 1 for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs if _M(r.setting) <= 1)
    assert 1 < _M(ex.minimal.setting) <= 1 + 1 / 32


BAD = [
    ("stability.inverse_constant", {"domain": [-1.0, 0.0]}, "setting domain: expected M = u > 0"),
    ("stability.inverse_constant", {"domain": [-2.0, 1.0]}, "setting domain: expected −u ≤ l"),
    ("stability.inverse_constant", {"domain": [1.0, 1.0]}, "setting domain: expected l < u"),
    ("stability.inverse_constant", {"domain": [0.99, 1.0]}, "setting domain: expected a length u − l ≥ 0.0625"),
    ("stability.inverse_constant", {"domain": [-1.0, 16.0]}, "setting domain: expected M = u ≤ 8"),
    ("stability.inverse_constant", {"domain": 1.0}, "setting domain: expected an interval [l, u]"),
    ("stability.inverse_constant", {"big": 0}, "setting big: expected the number of neurons of radius ~1 (a "
     "non-degenerate network"),
    ("stability.inverse_constant", {"small": 1.5}, "setting small: expected the number of neurons of radius ~1/k"),
    ("stability.inverse_constant", {"c": [2.0, 1.0]}, "setting c: unknown key"),
    ("stability.inverse", {"domain": [0.5, 1.0]}, "setting domain: expected l < 0 < u"),
    ("stability.inverse", {"domain": [-3.0, 1.0]}, "setting domain: expected max|x| = M ≤ 2"),
    ("stability.inverse", {"base": 0}, "setting base: expected the number of base neurons (a non-degenerate"),
    ("stability.inverse", {"moves": 0}, "setting moves: expected the number of moves"),
]


@pytest.mark.parametrize("claim_id, change, message", BAD, ids=[f"{c}:{m.split(':')[0]}" for c, _, m in BAD])
def test_inadmissible_setting_is_refused_with_a_clear_message(claim_id, change, message, capsys):
    claim = {c.id: c for c in EXPLORED}[claim_id]
    setting = {**claim.default_setting(), **change}
    assert main(["verify", claim_id, "--setting", json.dumps(setting), "--no-report"]) == 2
    assert message in capsys.readouterr().err
