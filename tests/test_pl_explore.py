"""Exploring the PL bounds over data, feature draws and depth: no false alarm on the correct theory, planted
partial errors found and shrunk to their boundary, inadmissible settings refused.

The planted theories below are also loadable as a claims file (``CLAIMS``), so that
``nnlimits verify --claims tests/test_pl_explore.py pl.planted_deep_no_exp --explore 8`` shows the
exploration and its reproduction line.
"""

import dataclasses
import json

import pytest

from proofs_check import registry as registry_mod
from proofs_check.cli import main
from proofs_check.claim import Prediction, Verdict
from proofs_check.claims import pl
from proofs_check.explore import draw_settings, explore

#: the depth up to which the planted lower function is right
L0 = 8


@dataclasses.dataclass(frozen=True)
class DeepNoExp(pl.PairTheory):
    """The lower function with its adjoint factor ``a_L(r)`` for ``L ≤ L0`` and ``a_L ≡ 1`` for deeper
    networks ("a deep network's adjoint does not shrink"): right only for depth ≤ L0."""

    def factors(self, c, radius, side):
        lam, adj, whole, attain = super().factors(c, radius, side)
        if c.depth > L0:
            return lam, 1.0, lam, attain * lam / whole if whole > 0 else attain
        return lam, adj, whole, attain


@dataclasses.dataclass(frozen=True)
class WideBandLambda(pl.PairTheory):
    """The upper function with ``Λ₀`` replaced by ``Λ₀ min(1, 1/σ)`` (a bandwidth slip): right only for
    bandwidths σ ≤ 1."""

    sigma: float = 1.0

    def factors(self, c, radius, side):
        c = dataclasses.replace(c, Lambda0=c.Lambda0 * min(1.0, 1.0 / self.sigma))
        return super().factors(c, radius, side)


class PlantedDeepNoExp(pl.PairLower):
    """Planted: pl.pair_lower with the adjoint factor of m dropped beyond depth 8 (right for L ≤ 8 only)."""

    id = "pl.planted_deep_no_exp"
    default = False

    def predictions(self, ctx):
        theory, *mutants = super().predictions(ctx)
        return [dataclasses.replace(theory, target=DeepNoExp())] + mutants


class PlantedWideBand(pl.PairUpper):
    """Planted: pl.pair_upper with Λ₀ scaled by min(1, 1/σ) (right for σ ≤ 1 only)."""

    id = "pl.planted_wide_band"
    default = False

    def predictions(self, ctx):
        theory, *mutants = super().predictions(ctx)
        return [dataclasses.replace(theory, target=WideBandLambda(sigma=self.setting["sigma"]))] + mutants


CLAIMS = [PlantedDeepNoExp, PlantedWideBand]

EXPLORED = (pl.PairLower, pl.PairUpper, pl.PLInequality, pl.PLUpperBound)


@pytest.fixture(autouse=True)
def fresh_registry():
    registry_mod.registry.cache_clear()
    yield
    registry_mod.registry.cache_clear()


@pytest.mark.parametrize("claim", EXPLORED, ids=lambda c: c.id)
def test_default_setting_is_admissible_and_gives_the_hand_picked_setting(claim):
    s = claim.default_setting()
    claim().check_setting(s)
    inst = claim()
    inst.setting = s
    ctx = inst.setup("quick")
    assert ctx == (pl.PairSetting() if issubclass(claim, pl._PairClaim) else pl.PLSetting())
    assert claim.explorable() and "explore" in claim.ladders
    assert not pl.PLLinearRate.explorable()  # its mutant is a true bound on well-conditioned draws


@pytest.mark.parametrize("claim", (pl.PairLower, pl.PLInequality), ids=lambda c: c.id)
def test_drawn_settings_are_admissible(claim):
    for js in draw_settings(claim, 40, 7):
        claim().check_setting(json.loads(js))


@pytest.mark.parametrize("claim", EXPLORED, ids=lambda c: c.id)
def test_correct_theory_has_no_false_alarm_over_the_exploration(claim):
    (ex,) = explore([claim], 10, root_seed=5)
    assert not ex.refuted and ex.minimal is None
    assert all(r.verdict is Verdict.CONFIRMED for r in ex.runs), [(r.setting, r.verdict) for r in ex.runs]


def test_planted_depth_error_is_found_and_shrunk_to_the_boundary(tmp_path):
    """The lower function without its adjoint factor beyond L0 = 8: every refuted setting is deeper than 8
    and the shrunk one has depth exactly 9 (the other inputs at their simplest)."""
    (ex,) = explore([PlantedDeepNoExp], 8, root_seed=3, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None and ex.shrunk
    assert all(json.loads(r.setting)["depth"] > L0 for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs if json.loads(r.setting)["depth"] <= L0)
    minimal = json.loads(ex.minimal.setting)
    assert minimal["depth"] == L0 + 1
    assert minimal["dim"] == 1 and minimal["n"] == 2  # shrunk to the smallest data set
    assert "--setting" in ex.reproduce()
    (good,) = explore([pl.PairLower], 8, root_seed=3)  # the same settings, the correct theory
    assert [r.setting for r in good.runs] == [r.setting for r in ex.runs] and not good.refuted


def test_planted_bandwidth_error_is_found_and_shrunk_to_the_boundary(tmp_path):
    """Λ₀ scaled by min(1, 1/σ): the upper bound is too small by the factor σ once σ > 1, refuted at small
    radius (where the bound is tight within 0.5 %) as soon as σ exceeds 1 by more than that slack."""
    (ex,) = explore([PlantedWideBand], 8, root_seed=3, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None and ex.shrunk
    assert all(json.loads(r.setting)["sigma"] > 1.0 for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs if json.loads(r.setting)["sigma"] <= 1.0)
    assert 1.0 < json.loads(ex.minimal.setting)["sigma"] <= 1.05  # 1.01 on this seed


BAD = [
    ({"q": 16}, "setting q: expected at least 4N = 32 random features"),
    ({"dmin": 1.5}, "setting dmin: expected a separation ≥ 2σ = 2"),
    ({"box": 2.0}, "setting box: expected room for N = 8 points"),
    ({"depth": 1}, "setting depth: expected the depth L"),
    ({"n": 1}, "setting n: expected the number of data points N"),
    ({"sigma": -1.0}, "setting sigma: expected the bandwidth σ"),
    ({"dim": 4}, "setting dim: expected the state dimension d"),
    ({"width": 3}, "setting width: unknown key"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_inadmissible_setting_is_refused_with_a_clear_message(change, message, capsys):
    setting = {**pl.PairLower.default_setting(), **change}
    assert main(["verify", "pl.pair_lower", "--setting", json.dumps(setting), "--no-report"]) == 2
    assert message in capsys.readouterr().err


def test_missing_keys_and_unexplorable_claims_are_refused(capsys):
    assert main(["verify", "pl.inequality", "--setting", '{"n": 8}', "--no-report"]) == 2
    assert "setting dim: expected the state dimension d" in capsys.readouterr().err
    assert main(["verify", "pl.inequality", "--setting", json.dumps(pl.PairLower.default_setting()),
                 "--no-report"]) == 2
    assert "setting depth: unknown key" in capsys.readouterr().err
    assert main(["verify", "pl.linear_rate", "--setting", '{"n": 8}', "--no-report"]) == 2
    assert "no settings to explore" in capsys.readouterr().err
