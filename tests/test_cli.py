"""The command line on a registry of toy claims: listing, verdict table, exit codes, reports."""

import json

import pytest

from proofs_check import cli, registry as registry_mod
from proofs_check.papers import Paper, Statement
from proofs_check.registry import Registry
from theory.common.derivation import Derivation
import sympy as sp
from toy_claims import MonteCarloMean, WeakMutant


def _toy_derivation(power="2"):
    x = sp.Symbol("x")
    d = Derivation("Toy", "none")
    d.define("Let f be a power of x.", sp.Symbol("f"), x ** int(power))
    d.equal("Its derivative.", sp.diff(x ** int(power), x), int(power) * x ** (int(power) - 1))
    return d


@pytest.fixture
def toy_registry(monkeypatch):
    paper = Paper("toy", "Toy theorems", "A. Author", "nowhere", "0000.00000",
                  (Statement("the sample mean converges at rate 1/2", "LLN", "toy.mc_mean"),
                   Statement("an unchecked statement", "Thm 9", None, "needs a oracle")))
    reg = Registry({"toy": paper}, {c.id: c for c in (MonteCarloMean, WeakMutant)}, {"toy": _toy_derivation})
    monkeypatch.setattr(registry_mod, "registry", lambda *a, **k: reg)
    return reg


def test_list_shows_checked_and_unchecked(toy_registry, capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "toy.mc_mean" in out and "not yet" in out
    assert cli.main(["list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["statements"][0]["method"] == "convergence"


def test_verify_confirmed_writes_report(toy_registry, tmp_path, capsys):
    code = cli.main(["verify", "toy.mc_mean", "--report", str(tmp_path / "rep"), "--json", str(tmp_path / "r.json")])
    out = capsys.readouterr().out
    assert code == cli.EXIT_OK, out
    assert "CONFIRMED" in out
    for name in ("report.md", "results.json", "timings.json", "toy.mc_mean.png"):
        assert (tmp_path / "rep" / name).exists()
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["claims"][0]["verdict"] == "CONFIRMED" and data["seed"] == 0


def test_verify_unfalsifiable_exit_code(toy_registry, tmp_path, capsys):
    assert cli.main(["verify", "toy.weak*", "--no-report"]) == cli.EXIT_REFUTED
    assert "UNFALSIFIABLE" in capsys.readouterr().out


def test_verify_json_to_stdout(toy_registry, capsys):
    assert cli.main(["verify", "toy.mc_mean", "--no-report", "--json", "-", "--seed", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seed"] == 2 and data["claims"][0]["seeds"][0]["entropy"] == 2


def test_bad_usage(toy_registry, capsys):
    assert cli.main(["verify", "nope.*", "--no-report"]) == cli.EXIT_USAGE
    assert "no claim matches" in capsys.readouterr().err
    assert cli.main(["verify", "toy.mc_mean", "--seed", "-1", "--no-report"]) == cli.EXIT_USAGE
    assert cli.main(["derive", "nope"]) == cli.EXIT_USAGE
    with pytest.raises(SystemExit):
        cli.main(["verify", "--budget", "huge"])


def test_derive(toy_registry, capsys):
    assert cli.main(["derive"]) == 0
    assert "toy" in capsys.readouterr().out
    assert cli.main(["derive", "toy", "--set", "power=3"]) == 0
    out = capsys.readouterr().out
    assert "3 x^{2}" in out and "checked" in out
