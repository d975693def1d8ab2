"""Exploring the minnorm claims over their settings: no false alarm on the correct theory, planted partial
errors found and shrunk to their boundary, inadmissible settings refused, the default setting unchanged.

The planted theories below are also loadable as a claims file (``CLAIMS``), so that
``nnlimits verify --claims tests/test_minnorm_explore.py minnorm.planted_one_sided --explore 8`` shows the
exploration and its reproduction line.
"""

import json

import numpy as np
import pytest

from proofs_check import registry as registry_mod
from proofs_check.cli import main
from proofs_check.claim import Ladder, Verdict
from proofs_check.claims import minnorm as mn
from proofs_check.explore import draw_settings, explore
from theory.minnorm import cost as th
from theory.minnorm import erm as erm


class PlantedOneSided(mn.RepresentationalCost):
    """Planted: the boundary term taken one-sided, ``2ω_min (f'(+∞) − μ⁺)⁺``: it is dropped when both end
    slopes are negative (right on the inactive and active-above regimes, wrong below)."""

    id = "minnorm.planted_one_sided"
    default = False
    #: the decision is deterministic (TIGHT): two seeds per explored setting find and shrink the error
    ladders = {**mn.RepresentationalCost.ladders, "explore": Ladder("kinks K", (6.0,), seeds=2)}

    def measure(self, ctx, obs, prediction):
        if prediction.mutant:
            return super().measure(ctx, obs, prediction)
        worst = 0.0
        for (j, b), (V, R) in self._split(obs).items():
            f = obs["functions"][j]
            s_plus = float(f.outer_slopes[1])
            mu_plus = float(th.curvature_measure(f, b).positive_mass)
            worst = max(worst, abs(obs["lp"][(j, b)] - (V + 2.0 * max(0.0, s_plus - mu_plus))) / R)
        return worst


class PlantedEvenSpacing(mn.NormConvergence):
    """Planted: the gap coefficient ``n‖Dᵀz♯‖²`` with the second differences of *evenly spaced* points
    (spacing ``(x_N − x_1)/(N − 1)``): right for evenly spaced data, wrong otherwise."""

    id = "minnorm.planted_even_spacing"
    default = False

    def _line(self, ctx, R_scale=1.0, q_scale=1.0, dp=0.0):
        x, y = np.array(ctx.setting.x, dtype=float), np.array(ctx.setting.y, dtype=float)
        even = np.linspace(x[0], x[-1], x.size)
        u = erm._second_difference(even).T @ np.sign(erm._second_difference(x) @ y)
        return mn.NormLine(float(ctx.R_star) * R_scale, x.size * float(u @ u) * q_scale, 1.0 + dp)


def _evenly_spaced(setting: str) -> bool:
    x = json.loads(setting)["x"]
    return len({b - a for a, b in zip(x[:-1], x[1:])}) == 1


CLAIMS = [PlantedOneSided, PlantedEvenSpacing]


@pytest.fixture(autouse=True)
def fresh_registry():
    registry_mod.registry.cache_clear()
    yield
    registry_mod.registry.cache_clear()


# ----------------------------------------------------------------------------------------------------
# minnorm.representational_cost
# ----------------------------------------------------------------------------------------------------
def test_realise_default_setting_is_the_hand_picked_one():
    s = mn.RepresentationalCost.default_setting()
    mn.RepresentationalCost().check_setting(s)
    inst = mn.RepresentationalCost()
    inst.setting = s
    assert inst.setup("quick").setting == mn.RealiseSetting()
    assert mn.RepresentationalCost.explorable() and "explore" in mn.RepresentationalCost.ladders


def test_realise_drawn_settings_are_admissible():
    for js in draw_settings(mn.RepresentationalCost, 40, 7):
        mn.RepresentationalCost().check_setting(json.loads(js))


@pytest.fixture(scope="module")
def realise_exploration():
    """The correct theory explored over 12 drawn settings (root seed 5), shared by the tests below."""
    registry_mod.registry.cache_clear()
    (ex,) = explore([mn.RepresentationalCost], 12, root_seed=5)
    return ex


def test_realise_correct_theory_has_no_false_alarm(realise_exploration):
    ex = realise_exploration
    assert not ex.refuted and ex.minimal is None
    assert all(r.verdict is Verdict.CONFIRMED for r in ex.runs), [(r.setting, r.verdict) for r in ex.runs]


def test_realise_planted_one_sided_boundary_term_is_shrunk_to_the_below_regime(tmp_path, realise_exploration):
    """The boundary term dropped when both end slopes are negative: every refuted setting draws the
    active-below regime, every other one is confirmed, and the shrunk setting is the below regime alone with
    one kink (the simplest function whose end slopes are both negative with |f'(−∞) + f'(+∞)| > ∫|f''|)."""
    (ex,) = explore([PlantedOneSided], 12, root_seed=5, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None and ex.shrunk
    assert all("below" in json.loads(r.setting)["regimes"] for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs
               if "below" not in json.loads(r.setting)["regimes"])
    minimal = json.loads(ex.minimal.setting)
    assert minimal["regimes"] == ["below"]
    assert minimal["kinks"] == 1 and minimal["grid_half"] == 1 and minimal["jump_max"] == 1
    assert "--setting" in ex.reproduce()
    good = realise_exploration
    assert [r.setting for r in good.runs] == [r.setting for r in ex.runs] and not good.refuted


@pytest.mark.parametrize("patch, message", [
    ({"kinks": 9}, "setting kinks: expected an integer in [1, 8], got 9"),
    ({"kinks": 6, "grid_half": 2}, "setting grid_half: the grid i/4, |i| ≤ 2, has 5 nodes, fewer than kinks = 6"),
    ({"grid_den": 3}, "setting grid_den: expected one of 1, 2, 4, 8"),
    ({"jump_min": 40, "jump_max": 32}, "setting jump_max: expected an integer in [40, 64], got 32"),
    ({"regimes": []}, "setting regimes: expected a non-empty list"),
    ({"regimes": ["below", "above"]}, "setting regimes: expected a non-empty list of distinct regimes"),
    ({"signs": "random"}, "setting signs: expected 'mixed', 'convex' or 'concave'"),
    ({"colour": 1}, "setting colour: unknown key"),
])
def test_realise_inadmissible_settings_are_refused(capsys, patch, message):
    setting = {**mn.RepresentationalCost.default_setting(), **patch}
    assert main(["verify", "minnorm.representational_cost", "--setting", json.dumps(setting), "--no-report"]) == 2
    assert message in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------------
# minnorm.cost
# ----------------------------------------------------------------------------------------------------
def test_cost_default_setting_is_the_hand_picked_one():
    s = mn.NormConvergence.default_setting()
    mn.NormConvergence().check_setting(s)
    inst = mn.NormConvergence()
    inst.setting = s
    assert inst.setup("quick").setting == mn.CostSetting()
    assert mn.NormConvergence.explorable() and not mn.NormConvergencePenalized.explorable()


def test_cost_drawn_settings_are_admissible():
    for js in draw_settings(mn.NormConvergence, 30, 7):
        assert mn.cost_data_problem(**json.loads(js)) is None


def test_cost_planted_even_spacing_gap_coefficient_is_shrunk_to_three_uneven_points(tmp_path):
    """The gap coefficient of evenly spaced points: every refuted data set is unevenly spaced, every evenly
    spaced one is confirmed, and the shrunk counterexample is three points with two different spacings.
    The correct theory is confirmed on the same settings."""
    (ex,) = explore([PlantedEvenSpacing], 10, root_seed=3, directory=tmp_path, max_shrink_runs=25)
    assert ex.refuted and ex.minimal is not None
    assert not any(_evenly_spaced(r.setting) for r in ex.refuted)
    assert all(r.theory.verdict is Verdict.CONFIRMED for r in ex.runs if _evenly_spaced(r.setting))
    minimal = json.loads(ex.minimal.setting)
    assert len(minimal["x"]) == 3 and not _evenly_spaced(ex.minimal.setting)
    (good,) = explore([mn.NormConvergence], 10, root_seed=3)
    assert [r.setting for r in good.runs] == [r.setting for r in ex.runs] and not good.refuted
    assert all(r.verdict is Verdict.CONFIRMED for r in good.runs), [(r.setting, r.verdict) for r in good.runs]


@pytest.mark.parametrize("setting, message", [
    ({"x": [-1, 0, 0, 1], "y": [0, 1, 0, 1]}, "setting x: duplicate abscissa 0"),
    ({"x": [-1, 1, 0], "y": [0, 1, 0]}, "setting x: expected increasing abscissae"),
    ({"x": [-1, 1], "y": [0, 1]}, "setting x: expected 3 to 7 points, got 2"),
    ({"x": [-1, 0, 1], "y": [0, float("nan"), 0]}, "'y': [0, nan, 0]"),
    ({"x": [-1, 0, 1], "y": [0, 1]}, "setting x, y: expected equally many"),
    ({"x": [-1, 0, 1], "y": [0, 0.5, 1]}, "are collinear"),
    ({"x": [-1, 0, 1], "y": [0, 1, 0]}, "the only kink is at 0"),
    ({"x": [-2, -1, 1, 2], "y": [0, 0.25, 1, 1.25]}, "boundary term inactive"),
    ({"x": [-1, 0.5, 1], "y": [0, 0.125, 0]}, "λ_c"),
    ({"x": [-5, 0, 1], "y": [0, 1, 0]}, "setting x: expected |x| ≤ 3"),
    ({"data": [1, 2]}, "expected a JSON object with keys 'x' and 'y'"),
])
def test_cost_inadmissible_settings_are_refused(capsys, setting, message):
    assert main(["verify", "minnorm.cost", "--setting", json.dumps(setting), "--no-report"]) == 2
    assert message in capsys.readouterr().err


def test_cost_refuses_one_sided_data():
    """One-sided data (where the experiment's gradient descent, started with kinks near 0, missed its accuracy)
    are refused with the reason instead of ending in an ERROR."""
    from proofs_check.claims.minnorm import cost_data_problem

    assert "both sides of 0" in cost_data_problem([-3, -2.5, -1.5], [1, -1, 0.5])
    assert cost_data_problem([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1]) is None
