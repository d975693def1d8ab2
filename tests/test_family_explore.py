"""Exploring the opt-in families (``spline.loss.*``, ``pl.kernel.*``, ``stability.d2.*``, ``ridgelet.md.*``,
``minnorm.d2.*``) over their settings: every drawn setting passes the claim's check, inadmissible settings are
refused with the key named, and a small exploration at the exploration budget finds no counterexample to the
correct theory."""

import json

import numpy as np
import pytest

from proofs_check.claim import Verdict
from proofs_check.claims import spline_loss
from proofs_check.cli import main
from proofs_check.explore import draw_settings, exploration_budget, explore


def _drawn_pass_the_check(claim, n: int, seed: int) -> list[dict]:
    drawn = [json.loads(s) for s in draw_settings(claim, n, seed)]
    assert len(drawn) == n
    for s in drawn:
        claim().check_setting(s)
    return drawn


def _refused(claim_id: str, setting: dict, message: str, capsys) -> None:
    assert main(["verify", claim_id, "--setting", json.dumps(setting), "--no-report"]) == 2
    err = capsys.readouterr().err
    assert message in err, err


def _no_false_alarm(claim, n: int, seed: int) -> None:
    (ex,) = explore([claim], n, root_seed=seed)
    assert ex.budget == exploration_budget(claim)
    assert not ex.refuted and ex.minimal is None
    assert all(r.verdict is Verdict.CONFIRMED for r in ex.runs), [(r.setting, r.verdict, r.reason) for r in ex.runs]


# ----------------------------------------------------------------------------------------------------
# spline.loss.kernel_limit
# ----------------------------------------------------------------------------------------------------
LOSS_DATA = {"x": [-1.5, -0.5, 0.5, 1.5], "y": [0.5, -0.3, 1.0, 0.2], "labels": [1, -1, 1, -1]}


def test_spline_loss_drawn_settings_are_admissible_and_varied():
    claim = spline_loss.SplineLossKernelLimit
    assert claim.explorable() and "explore" in claim.ladders and claim.default_setting() == {}
    claim().check_setting(claim.default_setting())
    drawn = _drawn_pass_the_check(claim, 5, 100)
    assert {d.get("loss") for d in drawn} == {"huber", "logistic", None}
    assert any("labels" in d for d in drawn) and any("delta" in d for d in drawn) and any("v" in d for d in drawn)


@pytest.mark.parametrize("bad, message", [
    ({"x": [-1, 0, 1], "y": [1, 0, 1]}, "setting labels: missing (expected x, y, labels together)"),
    ({**LOSS_DATA, "labels": [1, 1, -1, -1]}, "setting labels: expected at least two sign changes"),
    ({**LOSS_DATA, "labels": [1, 0, 1, -1]}, "setting labels: expected one label ±1 per data point"),
    ({"x": [-1, 1], "y": [1, 0], "labels": [1, -1]}, "setting x: expected 3 to 8 data points"),
    ({**LOSS_DATA, "x": [-3, -0.5, 0.5, 1.5]}, "setting x: expected points in [−2, 2]"),
    ({**LOSS_DATA, "y": [0, 0, 0, 0]}, "setting y: expected values in [−2, 2], not all 0"),
    ({"delta": 1.0}, "setting delta: expected Huber's δ as a fraction in [0.2, 0.8]"),
    ({"lam": 2}, "setting lam: expected λ in [0.003, 1]"),
    ({"loss": "hinge"}, "setting loss: expected 'huber' or 'logistic'"),
    ({"v": ["Normal", 0, 1]}, "setting b: missing (expected v, b together)"),
    ({"v": ["Cauchy", 0, 1], "b": ["Uniform", -2, 2]}, "v: "),
    ({"w": 1}, "setting w: unknown key"),
])
def test_spline_loss_inadmissible_settings_are_refused(bad, message, capsys):
    _refused("spline.loss.kernel_limit", bad, message, capsys)


def test_spline_loss_exploration_has_no_false_alarm():
    _no_false_alarm(spline_loss.SplineLossKernelLimit, 2, 100)


# ----------------------------------------------------------------------------------------------------
# stability.d2.inverse
# ----------------------------------------------------------------------------------------------------
def test_stability_d2_default_setting_is_the_hand_picked_instance():
    from proofs_check.claims import stability_d2 as s2
    from theory.stability.d2 import SQUARE, modulus_instance_2d

    claim = s2.InverseStability2D
    assert claim.explorable() and "explore" not in claim.ladders  # the quick ladder is cheap
    inst = claim()
    inst.check_setting(claim.default_setting())
    inst.setting = claim.default_setting()
    assert inst._instance_setting() == (SQUARE, s2.MODULUS_BASE, s2.MODULUS_MOVES)
    rows, _, mvs = modulus_instance_2d(np.random.default_rng(1), 3, 8)
    assert s2._instance_on_box(rows, mvs, SQUARE) == (rows, mvs)  # the square: the identity, exactly


def test_stability_d2_drawn_settings_are_admissible_and_varied():
    from proofs_check.claims import stability_d2 as s2
    from proofs_check.strategies.stability_d2 import setting_box

    drawn = _drawn_pass_the_check(s2.InverseStability2D, 30, 100)
    boxes = [setting_box(d) for d in drawn]
    assert any(u[0] - lo[0] != u[1] - lo[1] for lo, u in boxes)  # elongated boxes
    assert any(lo[0] + u[0] != 0 for lo, u in boxes)  # off-centre boxes
    assert len({d["base"] for d in drawn}) > 2 and len({d["moves"] for d in drawn}) > 2


STABILITY_D2 = {"domain": [[-1, -1], [1, 1]], "base": 3, "moves": 8}


@pytest.mark.parametrize("bad, message", [
    ({"domain": [[-2, -1], [2, 1]]}, "setting domain: expected half-widths (u_i − l_i)/2 in [1/4, 3/2]"),
    ({"domain": [[-0.1, -1], [0.1, 1]]}, "setting domain: expected half-widths"),
    ({"domain": [[1, -1], [3, 1]]}, "setting domain: expected the centre in [−1, 1]²"),
    ({"domain": [-1, 1]}, "setting domain: expected a box [[l₁, l₂], [u₁, u₂]]"),
    ({"base": 0}, "setting base: expected the number of oriented base neurons, an integer in [1, 6]"),
    ({"moves": 1}, "setting moves: expected the number of moves"),
    ({"moves": 2.5}, "setting moves: expected"),
    ({"width": 3}, "setting width: unknown key"),
])
def test_stability_d2_inadmissible_settings_are_refused(bad, message, capsys):
    _refused("stability.d2.inverse", {**STABILITY_D2, **bad}, message, capsys)


def test_stability_d2_missing_key_is_refused(capsys):
    _refused("stability.d2.inverse", {"domain": [[-1, -1], [1, 1]], "base": 3}, "setting moves: missing", capsys)


def test_stability_d2_exploration_has_no_false_alarm():
    from proofs_check.claims import stability_d2 as s2

    _no_false_alarm(s2.InverseStability2D, 3, 100)


# ----------------------------------------------------------------------------------------------------
# minnorm.d2.line_data
# ----------------------------------------------------------------------------------------------------
def test_minnorm_d2_default_setting_is_the_hand_picked_one():
    from proofs_check.claims import minnorm_d2 as m2

    claim = m2.LineData
    assert claim.explorable() and "explore" in claim.ladders
    inst = claim()
    inst.check_setting(claim.default_setting())
    inst.setting = claim.default_setting()
    assert inst.setup("quick").setting == m2.LineSetting()


def test_minnorm_d2_drawn_settings_are_admissible_and_varied():
    from proofs_check.claims import minnorm_d2 as m2

    drawn = _drawn_pass_the_check(m2.LineData, 12, 100)
    assert len({tuple(d["e"]) for d in drawn}) > 3 and len({len(d["x"]) for d in drawn}) > 1
    assert all(abs(np.hypot(*d["e"]) - 1) < 1e-15 for d in drawn)


LINE = {"x": [-2, -1, 0, 1, 2], "y": [1, 0, 1, 0, 1], "e": [0.6, 0.8]}


@pytest.mark.parametrize("bad, message", [
    ({"e": [1, 1]}, "setting e: expected the line's direction as a unit vector"),
    ({"e": [1]}, "setting e: expected the line's direction as a unit vector"),
    ({"x": [-2, -1, 0, 1, 2.5]}, "setting x: expected positions on both sides of 0 with |x| ≤ 2"),
    ({"x": [-2, -1.5, -1], "y": [0.5, -1, 0.25]}, "both sides of 0"),  # refused by minnorm.cost's own data check
    ({"y": [1, 0, 1, 0, 2]}, "setting y: expected |y| ≤ 1.25"),
    ({"x": [-2, -1, -1, 1, 2]}, "setting x: duplicate abscissa"),
    ({"y": [0, 0.5, 1, 0, 1]}, "setting y: the points at x = -2, -1, 0 are collinear"),
    ({"w": 1}, "setting w: unknown key"),
])
def test_minnorm_d2_inadmissible_settings_are_refused(bad, message, capsys):
    _refused("minnorm.d2.line_data", {**LINE, **bad}, message, capsys)


def test_minnorm_d2_missing_key_is_refused(capsys):
    _refused("minnorm.d2.line_data", {"x": LINE["x"], "y": LINE["y"]}, "setting e: missing", capsys)


def test_minnorm_d2_exploration_has_no_false_alarm():
    from proofs_check.claims import minnorm_d2 as m2

    _no_false_alarm(m2.LineData, 3, 100)


def test_minnorm_d2_merge_settings():
    from proofs_check.claims import minnorm_d2 as m2

    claim = m2.MergeInvariance
    assert claim.explorable() and "explore" not in claim.ladders
    inst = claim()
    inst.setting = claim.default_setting()
    assert inst.setup("quick") == m2.MergeSetting()
    drawn = _drawn_pass_the_check(claim, 20, 100)
    assert len({d["lines"] for d in drawn}) > 2
    assert {"lines": 2, "splittings": 2, "pieces": 2, "extra": 1} in drawn  # the smallest setting


@pytest.mark.parametrize("bad, message", [
    ({"lines": 1}, "setting lines: expected the number of distinct hyperplanes K, an integer in [2, 8]"),
    ({"pieces": 1}, "setting pieces: expected the number of collinear pieces per neuron (at least 2: a split)"),
    ({"extra": 0}, "setting extra: expected the number of cancelling pairs per rewrite"),
    ({"splittings": 7}, "setting splittings: expected the number of rewrites per network, an integer in [2, 6]"),
    ({"probes": 10}, "setting probes: unknown key"),
])
def test_minnorm_d2_merge_inadmissible_settings_are_refused(bad, message, capsys):
    from proofs_check.claims import minnorm_d2 as m2

    _refused("minnorm.d2.merge_invariance", {**m2.MERGE_DEFAULT, **bad}, message, capsys)


def test_minnorm_d2_merge_exploration_has_no_false_alarm():
    from proofs_check.claims import minnorm_d2 as m2

    _no_false_alarm(m2.MergeInvariance, 3, 100)


# ----------------------------------------------------------------------------------------------------
# pl.kernel.gram_rate
# ----------------------------------------------------------------------------------------------------
def test_pl_kernel_default_setting_is_the_hand_picked_one():
    from proofs_check.claims import pl_kernel as pk

    claim = pk.GramRate
    assert claim.explorable() and "explore" not in claim.ladders
    inst = claim()
    inst.check_setting(claim.default_setting())
    inst.setting = claim.default_setting()
    assert inst.setup("quick")["setting"] == pk.GramSetting()
    # a drawn setting keeps the geometry in bandwidths: the box is 1.5σ
    st = pk.gram_setting({"n": 5, "sigma": 2.0, "dmin": 1.3}, 16)
    assert (st.n, st.dim, st.sigma, st.box, st.dmin) == (5, 2, 2.0, 3.0, 1.3)


def test_pl_kernel_drawn_settings_are_admissible_and_varied():
    from proofs_check.claims import pl_kernel as pk

    drawn = _drawn_pass_the_check(pk.GramRate, 30, 100)
    assert {d["n"] for d in drawn} == {3, 4, 5}
    assert len({d["sigma"] for d in drawn}) > 5 and len({d["dmin"] / d["sigma"] for d in drawn}) > 3


PL_KERNEL = {"n": 4, "sigma": 1.0, "dmin": 0.5}


@pytest.mark.parametrize("bad, message", [
    ({"n": 2}, "setting n: expected the number of data points N, an integer in [3, 5]"),
    ({"n": 6}, "setting n: expected the number of data points N, an integer in [3, 5]"),
    ({"sigma": 3.0, "dmin": 1.5}, "setting sigma: expected the bandwidth σ in [0.5, 2]"),
    ({"sigma": -1.0}, "setting sigma: expected the bandwidth σ, a positive finite number"),
    ({"dmin": 0.75}, "setting dmin: expected the separation δ in [0.5σ, 0.65σ]"),
    ({"dmin": 0.4}, "setting dmin: expected the separation δ in [0.5σ, 0.65σ]"),
    ({"box": 1.5}, "setting box: unknown key"),
    ({"dim": 3}, "setting dim: unknown key"),
])
def test_pl_kernel_inadmissible_settings_are_refused(bad, message, capsys):
    _refused("pl.kernel.gram_rate", {**PL_KERNEL, **bad}, message, capsys)


def test_pl_kernel_exploration_has_no_false_alarm():
    from proofs_check.claims import pl_kernel as pk

    _no_false_alarm(pk.GramRate, 2, 100)


# ----------------------------------------------------------------------------------------------------
# ridgelet.md.reconstruction
# ----------------------------------------------------------------------------------------------------
def test_ridgelet_md_default_setting_is_the_hand_picked_one():
    from proofs_check.claims import ridgelet_md as rm

    claim = rm.Reconstruction
    assert claim.explorable() and "explore" not in claim.ladders
    claim().check_setting(claim.default_setting())
    assert rm.reconstruction_setting_2d(claim.default_setting()) == rm.ReconstructionSetting()
    # an explored target is the sum of its bumps; the default bump through that route is the default target
    st = rm.reconstruction_setting_2d({"j": 1, "k": 3, "target": [["bump", 1.0, 0.0, 0.0, 1.0, 0.75]]})
    x = np.array(st.x_eval)
    assert np.array_equal(st.f(x[:, 0], x[:, 1]), rm.ReconstructionSetting().f(x[:, 0], x[:, 1]))


def test_ridgelet_md_drawn_settings_are_admissible_and_varied():
    from proofs_check.claims import ridgelet_md as rm

    drawn = _drawn_pass_the_check(rm.Reconstruction, 30, 100)
    assert {(d["j"], d["k"]) for d in drawn} == set(rm.RECONSTRUCTION_PAIRS_2D)
    assert {len(d["target"]) for d in drawn} == {1, 2}


RIDGELET_MD = {"j": 0, "k": 4, "target": [["bump", 1.0, 0.0, 0.0, 1.0, 0.75]]}


@pytest.mark.parametrize("bad, message", [
    ({"k": 3}, "setting k: expected (j, k) among (0, 4), (1, 3), (2, 2), (0, 2), (1, 1)"),
    ({"j": 2, "k": 4}, "setting k: expected (j, k) among"),
    ({"target": []}, "setting target: expected one or two bumps"),
    ({"target": [["hat", 1.0, 0.0, 1.0]]}, "setting target: expected bumps [\"bump\", amp, c₁, c₂, s₁, s₂]"),
    ({"target": [["bump", 1.0, 1.0, 0.0, 1.0, 1.0]]}, "setting target: expected a centre |c_i| ≤ 0.5"),
    ({"target": [["bump", 1.0, 0.0, 0.0, 0.5, 1.0]]}, "setting target: expected scales s_i in [0.75, 1.25]"),
    ({"target": [["bump", 0.0, 0.0, 0.0, 1.0, 1.0]]}, "setting target: expected an amplitude 0 < |amp| ≤ 2"),
    ({"target": [["bump", 1.0, 0.0, 0.0, 1.0, 1.0], ["bump", -1.0, 0.0, 0.0, 1.0, 1.0]]},
     "setting target: expected two bumps with different centres or scales"),
    ({"sigma": "gaussian"}, "setting sigma: unknown key"),
])
def test_ridgelet_md_inadmissible_settings_are_refused(bad, message, capsys):
    _refused("ridgelet.md.reconstruction", {**RIDGELET_MD, **bad}, message, capsys)


def test_ridgelet_md_exploration_has_no_false_alarm():
    from proofs_check.claims import ridgelet_md as rm

    _no_false_alarm(rm.Reconstruction, 2, 100)
