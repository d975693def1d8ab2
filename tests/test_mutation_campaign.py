"""The mutation campaign's selection (ast line ranges, argument checks left out, equivalents) and report.

No mutant is run here: the session database is filled with made-up results.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("cosmic_ray")

from cosmic_ray.work_db import WorkDB, use_db  # noqa: E402
from cosmic_ray.work_item import TestOutcome as Outcome, WorkResult, WorkerOutcome  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mc():
    spec = importlib.util.spec_from_file_location("mutation_campaign", ROOT / "benchmarks" / "mutation_campaign.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mutation_campaign"] = mod
    spec.loader.exec_module(mod)
    return mod


FAKE = textwrap.dedent('''\
    """A fake theory module."""
    import math

    SCALE = 3.0


    def check(x):
        if x < 0:
            raise ValueError(f"x: expected >= 0, got {x + 1}")


    def predict(x, power=2):
        """The prediction: 2 x^power + 1."""
        if not (x >= 0):
            raise ValueError("x")
        assert power > 0
        helper = lambda t: t * 0.5
        return 2 * x ** power + helper(2)


    class Model:
        def rate(self, n):
            return -0.5 * math.log(n)

        def plot(self, n):
            return n * 7
    ''')

SELECTION = {
    "operators": {"include": ["core/NumberReplacer", "core/ReplaceBinaryOperator_(Add|Sub|Mul|Div|Pow)_(Add|Sub|Mul|Div|Pow)",
                              "core/ReplaceUnaryOperator_USub_UAdd",
                              "core/ReplaceComparisonOperator_(Lt|LtE|Gt|GtE)_(Lt|LtE|Gt|GtE)"]},
    "papers": {"fake": {"functions": ["theory/fake.py::predict", "theory/fake.py::Model.rate",
                                      "theory/fake.py::gone"]}},
}


def _line(text, needle):
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def test_function_lines_and_excluded(mc):
    found, missing = mc.function_lines(FAKE, ["predict", "Model.rate", "check", "nope"])
    assert missing == ["nope"]
    a, b, excl = found["predict"]
    assert (a, b) == (_line(FAKE, "def predict"), _line(FAKE, "return 2 * x"))
    # the docstring, the argument check (test and raise) and the assert are excluded; the rest is not
    for needle in ('"""The prediction', "if not (x >= 0)", 'raise ValueError("x")', "assert power"):
        assert _line(FAKE, needle) in excl, needle
    for needle in ("helper = lambda", "return 2 * x", "def predict"):
        assert _line(FAKE, needle) not in excl, needle
    a, b, excl = found["Model.rate"]
    assert a == b - 1 == _line(FAKE, "def rate") and not excl
    # an argument check function: its whole `if` test and raise are excluded
    _, _, excl = found["check"]
    assert {_line(FAKE, "if x < 0"), _line(FAKE, "raise ValueError(f")} <= excl


def test_function_of_innermost(mc):
    ranges = {"outer": (1, 10), "outer.<locals>.inner": (3, 5)}
    assert mc.function_of(ranges, 4) == "outer.<locals>.inner"
    assert mc.function_of(ranges, 8) == "outer"
    assert mc.function_of(ranges, 11) is None


def _fake_repo(tmp_path, text=FAKE):
    (tmp_path / "theory").mkdir(parents=True, exist_ok=True)
    (tmp_path / "theory" / "fake.py").write_text(text)
    return tmp_path


def test_plan_selects_only_prediction_lines(mc, tmp_path):
    root = _fake_repo(tmp_path)
    plan = mc.plan_paper(root, "fake", SELECTION, [])
    assert plan.warnings == ["fake: theory/fake.py::gone not found"]
    run_lines = {plan.specs[i].start_pos[0] for i, st in plan.status.items() if st == "run"}
    outside_lines = {plan.specs[i].start_pos[0] for i, st in plan.status.items() if st == mc.SKIP_OUTSIDE}
    assert run_lines == {_line(FAKE, "helper = lambda"), _line(FAKE, "return 2 * x"),
                         _line(FAKE, "return -0.5"), _line(FAKE, "def predict")}
    for needle in ("SCALE = 3.0", "if x < 0", "raise ValueError(f", "if not (x >= 0)", "assert power",
                   "return n * 7"):
        assert _line(FAKE, needle) in outside_lines, needle
    ops = {plan.specs[i].operator_name for i, st in plan.status.items() if st == "run"}
    assert {"core/NumberReplacer", "core/ReplaceBinaryOperator_Pow_Mul", "core/ReplaceUnaryOperator_USub_UAdd"} <= ops
    assert not any("Eq" in o or "BitOr" in o for o in ops)
    # the sample is a fixed subset of the selected mutants
    n_run = plan.count("run")
    small = mc.plan_paper(root, "fake", SELECTION, [], max_mutants=3)
    again = mc.plan_paper(root, "fake", SELECTION, [], max_mutants=3)
    assert small.count("run") == 3 and small.count(mc.SKIP_NOT_SAMPLED) == n_run - 3
    assert small.status == again.status


def test_equivalent_follows_the_line(mc, tmp_path):
    # keyed by the code of the line: still matched after unrelated lines are inserted above it
    entry = {"file": "theory/fake.py", "operator": "core/NumberReplacer", "code": "helper = lambda t: t * 0.5",
             "occurrence": 1, "reason": "helper(2) is 1 either way? no: made-up reason for the test"}
    for text in (FAKE, FAKE.replace("SCALE = 3.0\n", "SCALE = 3.0\nOTHER = 4.0\nMORE = 5.0\n")):
        root = _fake_repo(tmp_path / str(len(text)), text)
        plan = mc.plan_paper(root, "fake", SELECTION, [entry])
        eq = [plan.specs[i] for i, st in plan.status.items() if st.startswith(mc.SKIP_EQUIVALENT)]
        assert len(eq) == 1 and eq[0].start_pos[0] == _line(text, "helper = lambda")
        occ = mc.line_occurrences(plan.specs)
        assert occ[("theory/fake.py", eq[0].operator_name, eq[0].occurrence)] == 1
    # a line-keyed entry matches its line only
    by_line = dict(entry, line=_line(FAKE, "helper = lambda"))
    del by_line["code"]
    assert mc.equivalent_reason([by_line], "theory/fake.py", "core/NumberReplacer", by_line["line"], "x", 1)
    assert mc.equivalent_reason([by_line], "theory/fake.py", "core/NumberReplacer", by_line["line"] + 1, "x", 1) is None


def test_equivalent_file_checked_in_is_valid(mc):
    entries = mc.load_equivalent()
    for e in entries:
        assert (ROOT / e["file"]).exists() and e["reason"].strip()


def test_selection_file_names_existing_functions(mc):
    """Every function listed in selection.toml exists (a rename shows up here, not as an empty campaign)."""
    sel = mc.load_selection()
    assert set(sel["papers"]) == set(mc.PAPERS)
    for paper in mc.PAPERS:
        lines, ranges, warnings = mc.selected_lines(ROOT, paper, sel)
        assert not warnings, f"update benchmarks/mutation/selection.toml: {warnings}"
        assert all(lines.values())


def test_session_and_report(mc, tmp_path):
    root = _fake_repo(tmp_path / "repo")
    entry = {"file": "theory/fake.py", "operator": "core/NumberReplacer", "code": "return -0.5 * math.log(n)",
             "occurrence": 0, "reason": "made up"}
    plan = mc.plan_paper(root, "fake", SELECTION, [entry])
    db_path = tmp_path / "session.sqlite"
    mc.write_session(db_path, plan)
    run_ids = sorted(f"fake-{i:05d}" for i, st in plan.status.items() if st == "run")
    assert len(run_ids) >= 5
    survivor_id = run_ids[0]
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        assert sorted(it.job_id for it in db.pending_work_items) == run_ids
        db.set_result(survivor_id, WorkResult(worker_outcome=WorkerOutcome.NORMAL, output="CONFIRMED",
                                              test_outcome=Outcome.SURVIVED))
        db.set_result(run_ids[1], WorkResult(worker_outcome=WorkerOutcome.NORMAL, output="timeout",
                                             test_outcome=Outcome.KILLED))
        db.set_result(run_ids[2], WorkResult(worker_outcome=WorkerOutcome.EXCEPTION, output="Traceback",
                                             test_outcome=Outcome.INCOMPETENT))
        for j in run_ids[3:-1]:
            db.set_result(j, WorkResult(worker_outcome=WorkerOutcome.NORMAL, output="x REFUTED y",
                                        test_outcome=Outcome.KILLED))
    s = mc.summarize_session(db_path, root, "fake", plan.ranges, {survivor_id: 2.0, run_ids[1]: 4.0})
    k = len(run_ids) - 4
    assert (s["killed"], s["survived"], s["incompetent"], s["equivalent"], s["pending"]) == (k + 1, 1, 1, 1, 1)
    assert s["total"] == len(run_ids) + 1
    assert s["killed_by"] == {"timeout": 1, "REFUTED": k}
    assert s["kill_rate"] == pytest.approx((k + 1) / (k + 2))
    assert s["time_per_mutant_s"] == pytest.approx(3.0)
    surv = s["survivors"][0]
    spec = plan.specs[int(survivor_id.split("-")[1])]
    assert surv["line"] == spec.start_pos[0] and surv["operator"] == spec.operator_name
    assert surv["code"] == FAKE.splitlines()[surv["line"] - 1].strip()
    assert surv["mutated"] and surv["mutated"] != surv["code"]
    assert surv["function"] in ("predict", "Model.rate")
    assert s["equivalents"][0]["reason"] == "made up"

    out = tmp_path / "report"
    mc.write_report({"command": "x", "papers": [dict(s, baseline_s=1.0, timeout_s=23.0)]}, out)
    data = json.loads((out / "mutation.json").read_text())
    assert data["papers"][0]["survivors"][0]["code"] == surv["code"]
    md = (out / "mutation.md").read_text()
    assert f"`theory/fake.py:{surv['line']}`" in md and "| fake |" in md and "made up" in md


def test_plan_skips_lines_no_default_claim_executes(mc, tmp_path):
    """With the coverage map, a mutant on a line no default claim runs is not run; the others are."""
    root = _fake_repo(tmp_path)
    full = mc.plan_paper(root, "fake", SELECTION, [])
    covered = _line(FAKE, "return 2 * x")
    executed = {"theory/fake.py": {str(covered): ["fake.a"]}}
    plan = mc.plan_paper(root, "fake", SELECTION, [], executed=executed)
    run_lines = {plan.specs[i].start_pos[0] for i, st in plan.status.items() if st == "run"}
    assert run_lines == {covered}
    assert plan.count(mc.SKIP_UNEXECUTED) == full.count("run") - plan.count("run") > 0


def test_plan_reruns_listed_survivors_after_an_edit(mc, tmp_path):
    """--rerun finds an earlier survivor again by its code line, even when lines were inserted above it."""
    root = _fake_repo(tmp_path / "a")
    plan = mc.plan_paper(root, "fake", SELECTION, [])
    i = next(i for i, st in plan.status.items() if st == "run"
             and plan.specs[i].start_pos[0] == _line(FAKE, "return 2 * x"))
    s = plan.specs[i]
    occ = mc.line_occurrences(plan.specs)
    code = FAKE.splitlines()[_line(FAKE, "return 2 * x") - 1].strip()
    entry = {"file": "theory/fake.py", "operator": s.operator_name, "code": code,
             "occurrence": occ[("theory/fake.py", s.operator_name, s.occurrence)]}
    edited = FAKE.replace("SCALE = 3.0\n", "SCALE = 3.0\nOTHER = 4.0\n")
    again = mc.plan_paper(_fake_repo(tmp_path / "b", edited), "fake", SELECTION, [], only=[entry])
    runs = [again.specs[j] for j, st in again.status.items() if st == "run"]
    assert len(runs) == 1 and runs[0].operator_name == s.operator_name
    assert runs[0].start_pos[0] == _line(edited, "return 2 * x")


def test_kill_rate_lower_bound(mc):
    assert mc.kill_rate_lower_bound(0, 0) is None
    assert mc.kill_rate_lower_bound(100, 100) == pytest.approx(0.05 ** (1 / 100))
    assert 0.8 < mc.kill_rate_lower_bound(95, 100) < 0.95
