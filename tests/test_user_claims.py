"""Claims from outside the package: --claims files and modules, entry points, the pytest plugin, the
simple-claim builder, regression baselines, and clear errors for bad user modules."""

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from proofs_check import registry as registry_mod
from proofs_check.cli import main

ROOT = Path(__file__).resolve().parents[1]
RFF_DIR = ROOT / "examples" / "own_theorem"
RFF_FILE = RFF_DIR / "nnlimits_rff" / "claims.py"
USER = Path(__file__).resolve().parent / "user_claims"


@pytest.fixture(autouse=True)
def fresh_registry():
    registry_mod.registry.cache_clear()
    yield
    registry_mod.registry.cache_clear()


def test_claims_file_is_verified(tmp_path, capsys):
    code = main(["verify", "--claims", str(RFF_FILE), "rff.*", "--json", str(tmp_path / "r.json"), "--no-report"])
    assert code == 0, capsys.readouterr()
    data = json.loads((tmp_path / "r.json").read_text())
    (claim,) = data["claims"]
    assert claim["id"] == "rff.sup_rate" and claim["verdict"] == "CONFIRMED"
    assert [o["verdict"] for o in claim["outcomes"] if o["mutant"]] == ["REFUTED", "REFUTED"]


def test_claims_listed_with_their_paper(capsys):
    assert main(["list", "--claims", str(RFF_FILE)]) == 0
    out = capsys.readouterr().out
    assert "Rahimi" in out and "rff.sup_rate" in out


def test_entry_point_claims_are_found(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(RFF_DIR))
    ep = metadata.EntryPoint(name="rff", value="nnlimits_rff.claims", group=registry_mod.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry_mod, "_entry_points", lambda: [ep])
    reg = registry_mod.registry()
    assert "rff.sup_rate" in reg.claims and "entry point rff" in reg.sources["rff.sup_rate"]
    assert main(["verify", "rff.sup_rate", "--no-report"]) == 0, capsys.readouterr()


def test_dotted_module_and_process_pool(monkeypatch, capsys):
    """A built claim is importable by reference, so local worker processes run it."""
    monkeypatch.syspath_prepend(str(RFF_DIR))
    assert main(["verify", "--claims", "nnlimits_rff.claims", "rff.*", "--workers", "2", "--no-report"]) == 0, \
        capsys.readouterr()


def test_pytest_plugin_collects_claims(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pytest", "--nnlimits", "rff.*", "--nnlimits-claims", str(RFF_FILE),
                          "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path), str(tmp_path)],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout


def test_pytest_plugin_failure_shows_the_verdict_row(tmp_path):
    run = subprocess.run([sys.executable, "-m", "pytest", "--nnlimits", "user.raising", "--nnlimits-claims",
                          str(USER / "raising_claims.py"), "-p", "no:cacheprovider", "-q", "--rootdir",
                          str(tmp_path), str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 1
    assert "user.raising [rate] ERROR" in run.stdout and "the solver diverged" in run.stdout


def test_pytest_plugin_is_inactive_without_the_option(tmp_path):
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                          str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0 and "1 passed" in run.stdout


@pytest.mark.parametrize("module,expected", [
    ("broken_import.py", "broken_import.py: cannot import the claims module: AttributeError"),
    ("no_claims_list.py", "defines no CLAIMS"),
    ("no_mutant_claims.py", "mutants: expected at least one wrong theory"),
    ("duplicate_claims.py", "claim id 'spline.rate' is already defined in proofs_check.claims.spline"),
])
def test_bad_user_modules_get_clear_errors(module, expected, capsys):
    assert main(["verify", "--claims", str(USER / module)]) == 2
    err = capsys.readouterr().err
    assert expected in " ".join(err.split()) and "Traceback" not in err


def test_debug_shows_the_traceback(capsys):
    assert main(["verify", "--claims", str(USER / "broken_import.py"), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_missing_file_and_module(capsys):
    assert main(["verify", "--claims", str(USER / "nope.py")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["verify", "--claims", "no_such_module_anywhere"]) == 2
    assert "no module named 'no_such_module_anywhere'" in capsys.readouterr().err


def test_failing_experiment_and_claim_without_mutant_name_the_claim(capsys):
    assert main(["verify", "--claims", str(USER / "raising_claims.py"), "user.*", "--no-report"]) == 3
    err = " ".join(capsys.readouterr().err.split())
    assert "user.raising: experiment failed" in err and "raising_claims.py" in err
    assert "FloatingPointError: the solver diverged at this width" in err and "Traceback" not in err
    assert main(["verify", "--claims", str(USER / "no_mutant_subclass.py"), "user.*", "--no-report"]) == 3
    err = " ".join(capsys.readouterr().err.split())
    assert "user.subclass_no_mutant: experiment failed" in err and "expected at least one mutant" in err


def test_baseline_catches_a_moved_number(tmp_path, capsys):
    base = tmp_path / "base.json"
    args = ["verify", "--claims", str(RFF_FILE), "rff.*", "--no-report", "--baseline", str(base)]
    assert main(args + ["--update-baseline"]) == 0 and base.is_file()
    assert main(args) == 0
    data = json.loads(base.read_text())
    data["claims"][0]["measurements"][5]["values"]["theory"] *= 1 + 1e-12
    base.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(args) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert "rff.sup_rate" in out and "identical (same seed and versions)" in out


def test_baseline_of_another_seed_compares_within_uncertainty(tmp_path, capsys):
    base = tmp_path / "base.json"
    common = ["verify", "--claims", str(RFF_FILE), "rff.*", "--no-report", "--baseline", str(base)]
    assert main(common + ["--update-baseline"]) == 0
    assert main(common + ["--seed", "3"]) == 0, capsys.readouterr()
    data = json.loads(base.read_text())
    th = next(o for o in data["claims"][0]["outcomes"] if o["name"] == "theory")
    th["summary"]["slope"] += 1.0
    base.write_text(json.dumps(data))
    assert main(common + ["--seed", "3"]) == 1
    assert "theory slope" in capsys.readouterr().out


def test_baseline_errors(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["verify", "rff.*", "--claims", str(RFF_FILE), "--baseline", str(bad)]) == 2
    assert "cannot read a results.json" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"tool": "nnlimits", "budget": "full", "seed": 0, "claims": []}))
    assert main(["verify", "rff.*", "--claims", str(RFF_FILE), "--baseline", str(other)]) == 2
    assert "made with budget 'full'" in capsys.readouterr().err
    assert main(["verify", "rff.*", "--claims", str(RFF_FILE), "--update-baseline"]) == 2


def test_report_directory_checked_before_running(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["verify", "stability.pathology.rescaling", "--report", str(blocker / "sub")]) == 2
    assert "--report" in capsys.readouterr().err


def test_assert_rate_helper():
    import numpy as np

    from proofs_check.testing import assert_rate

    rng = np.random.default_rng(0)
    n = 2.0 ** np.arange(6, 14)
    errors = np.abs(rng.standard_normal((8, 12))) / np.sqrt(n)[:, None]
    fit = assert_rate(n, errors, -0.5)
    assert fit["low"] <= -0.5 <= fit["high"]
    with pytest.raises(AssertionError, match="REFUTED"):
        assert_rate(n, errors, -1.0)


def test_pytest_plugin_with_keyword_and_xdist(tmp_path):
    pytest.importorskip("xdist")
    run = subprocess.run([sys.executable, "-m", "pytest", "--nnlimits", "stability.pathology.*", "-n", "2", "-k",
                          "rescaling or flip", "-p", "no:cacheprovider", "-q", "--rootdir", str(tmp_path),
                          str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout
