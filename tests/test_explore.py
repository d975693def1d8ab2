"""Exploration: settings drawn from a claim's strategy, decided with the size control over all of them,
counterexamples shrunk, reproduction lines, inadmissible settings refused."""

import json
import shlex
from pathlib import Path

import pytest

from proofs_check import registry as registry_mod
from proofs_check.cli import main
from proofs_check.claim import Verdict
from proofs_check.explore import draw_settings, explore
from proofs_check.verdict import ALPHA
from toy_claims import ExploredMean, MonteCarloMean, PlantedMean

USER = Path(__file__).resolve().parent / "user_claims" / "explored_claims.py"


@pytest.fixture(autouse=True)
def fresh_registry():
    registry_mod.registry.cache_clear()
    yield
    registry_mod.registry.cache_clear()


def test_drawn_settings_are_seeded_and_distinct():
    a, b = draw_settings(ExploredMean, 8, 3), draw_settings(ExploredMean, 8, 3)
    assert a == b and len(set(a)) == 8
    assert draw_settings(ExploredMean, 8, 4) != a


def test_correct_theory_has_no_false_alarm_over_the_exploration():
    (ex,) = explore([ExploredMean], 12, root_seed=1)
    assert not ex.refuted and ex.minimal is None
    assert ex.decisions == 12 and ex.level == pytest.approx(ALPHA / 12)


def test_planted_partial_error_is_found_and_shrunk_to_the_boundary(tmp_path):
    (ex,) = explore([PlantedMean], 12, root_seed=1, directory=tmp_path)
    assert ex.refuted and ex.minimal is not None
    p = json.loads(ex.minimal.setting)["p"]
    assert 0.7 < p <= 0.8  # the theory is wrong only above 0.7
    assert all(json.loads(r.setting)["p"] > 0.7 for r in ex.refuted)
    assert any((tmp_path / "hypothesis").iterdir())  # the failure is saved for the next run


def test_claim_without_settings_cannot_be_explored():
    with pytest.raises(ValueError, match="no settings to explore"):
        explore([MonteCarloMean], 3)


def test_cli_explore_report_and_reproduction_line(tmp_path, capsys):
    code = main(["verify", "--claims", str(USER), "toy.planted_mean", "--explore", "8", "--seed", "1",
                 "--report", str(tmp_path)])
    assert code == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "reproduce: nnlimits verify toy.planted_mean --setting" in out
    rec = json.loads((tmp_path / "explore.json").read_text())
    line = rec["claims"][0]["minimal"]["reproduce"]
    assert (tmp_path / "toy.planted_mean.counterexample.png").is_file()
    assert "Minimal counterexample" in (tmp_path / "explore.md").read_text()
    argv = shlex.split(line)[1:] + ["--claims", str(USER), "--no-report"]
    assert main(argv) == 1  # the reproduction line refutes the theory again, alone
    assert "REFUTED" in capsys.readouterr().out


def test_cli_explore_without_false_alarm(capsys):
    assert main(["verify", "--claims", str(USER), "toy.explored_mean", "--explore", "6", "--no-report"]) == 0


def test_inadmissible_setting_is_refused_with_a_clear_message(capsys):
    assert main(["verify", "--claims", str(USER), "toy.explored_mean", "--setting", '{"p": 1.5}']) == 2
    assert "setting p: expected a probability in (0, 1), got 1.5" in capsys.readouterr().err
    assert main(["verify", "--claims", str(USER), "toy.explored_mean", "--setting", "{p"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["verify", "stability.pathology.rescaling", "--setting", '{"a": 1}']) == 2
    assert "no settings to explore" in capsys.readouterr().err


def test_glob_explores_the_explorable_claims_and_skips_the_rest(capsys):
    assert main(["verify", "--claims", str(USER), "toy.explored_mean", "stability.pathology.resc*", "--explore", "3",
                 "--no-report"]) in (0, 1)
    captured = capsys.readouterr()
    assert "skipped" in captured.err and "toy.explored_mean" in captured.out
    assert main(["verify", "stability.pathology.*", "--explore", "3", "--no-report"]) == 2
    assert "none of the selected claims" in capsys.readouterr().err
