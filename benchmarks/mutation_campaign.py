"""Mutation campaign on the prediction code of ``theory/``: do the claims notice a wrong theory?

Each mutant is one small change (cosmic-ray's operators: a numeric literal ±1, one arithmetic operator
among ``+ - * / **`` replaced by another, a unary minus dropped, an order comparison swapped) inside a
function of ``theory/`` that produces a paper's predictions (``benchmarks/mutation/selection.toml``; the
functions' line ranges are found with ``ast`` at run time, argument checks left out). For each mutant
``nnlimits verify '<paper>.*' --no-report`` runs against the mutated code; the mutant is *killed* when the
command exits non-zero (REFUTED, UNFALSIFIABLE, INCONCLUSIVE or ERROR somewhere) or runs past its
timeout (``3 ×`` the unmutated run ``+ 20 s``), and *survives* when every claim is still confirmed.
Mutants that cannot change any prediction are listed with a reason in
``benchmarks/mutation/equivalent.toml``: they are not run and are left out of the kill rate.

The mutated files are never those of the repository: each paper gets a snapshot of ``theory/``,
``numerics/`` and ``proofs_check/`` under ``DIR/<paper>/src``, each worker a copy of it
(``DIR/<paper>/w<i>``, imported through ``PYTHONPATH``, its own numba cache, ``NUMBA_NUM_THREADS=1``);
cosmic-ray mutates a worker's copy, runs the command and restores the file. The cosmic-ray session
database (``DIR/<paper>/session.sqlite``) holds every mutation of the selected files; those outside the
selected functions, equivalent or not sampled are recorded as skipped, with the reason as output.

Usage::

    python benchmarks/mutation_campaign.py --out mutation-report                  # every paper
    python benchmarks/mutation_campaign.py --paper pl --max-mutants 15 --workers 1 --out /tmp/mut
    python benchmarks/mutation_campaign.py --dry-run --out /tmp/mut               # counts only, nothing run
    python benchmarks/mutation_campaign.py --rev HEAD --workers 2 --out DIR        # the committed code only

``DIR/mutation.json`` and ``DIR/mutation.md``: per paper the mutants (total, killed, survived,
equivalent), the kill rate over the non-equivalent ones, and every survivor (file:line, function,
operator, occurrence on its line, the original and the mutated line), in the keys that
``equivalent.toml`` takes. ``--resume`` continues an interrupted campaign from its session databases.
Requires cosmic-ray (``pip install cosmic-ray``).
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures as cf
import json
import os
import queue
import random
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONFIG_DIR = REPO / "benchmarks" / "mutation"
SELECTION = CONFIG_DIR / "selection.toml"
EQUIVALENT = CONFIG_DIR / "equivalent.toml"
PAPERS = ("spline", "ridgelet", "stability", "pl", "minnorm")
#: what a worker's copy holds (the packages nnlimits imports)
PACKAGES = ("theory", "numerics", "proofs_check")
VERDICT_WORDS = ("REFUTED", "UNFALSIFIABLE", "INCONCLUSIVE", "ERROR")

SKIP_OUTSIDE = "skipped: outside the selected prediction functions"
SKIP_EQUIVALENT = "equivalent: "
SKIP_NOT_SAMPLED = "skipped: not sampled (--max-mutants)"
SKIP_UNEXECUTED = "skipped: not executed by the claims run (--claims)"
SKIP_NOT_LISTED = "skipped: not in the --rerun list"


# --------------------------------------------------------------------------------------------- selection

def load_selection(path: Path = SELECTION) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _qualnames(tree: ast.Module):
    """``(qualname, node)`` of every function and method, nested ones included (``outer.<locals>.inner``), and
    of every module-level assignment to a name (a table of constants such as ``PATHOLOGY_RATES``)."""
    for child in tree.body:
        if isinstance(child, (ast.Assign, ast.AnnAssign)):
            for tgt in (child.targets if isinstance(child, ast.Assign) else [child.target]):
                if isinstance(tgt, ast.Name):
                    yield tgt.id, child

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                yield name, child
                yield from walk(child, name + ".<locals>.")
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, prefix + child.name + ".")
            else:
                yield from walk(child, prefix)
    yield from walk(tree, "")


def _span(node) -> set[int]:
    return set(range(node.lineno, (node.end_lineno or node.lineno) + 1))


def excluded_lines(func: ast.AST) -> set[int]:
    """Lines of a function that are never mutated: ``raise``, the test of an ``if`` whose body only raises
    (an argument check), ``assert``, docstrings."""
    out: set[int] = set()
    for node in ast.walk(func):
        if isinstance(node, (ast.Raise, ast.Assert)):
            out |= _span(node)
        elif isinstance(node, ast.If) and node.body and all(isinstance(s, ast.Raise) for s in node.body):
            out |= _span(node.test)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                out |= _span(first)
    return out


def function_lines(source: str, qualnames) -> tuple[dict[str, tuple[int, int, set[int]]], list[str]]:
    """For each wanted qualname: ``(first line, last line, excluded lines)``; and the names not found.

    The range starts at the ``def`` line (default values of parameters are part of the function) and ends at
    its last line; decorators are left out.
    """
    tree = ast.parse(source)
    found = {}
    wanted = set(qualnames)
    for name, node in _qualnames(tree):
        if name in wanted and name not in found:
            found[name] = (node.lineno, node.end_lineno or node.lineno, excluded_lines(node))
    return found, sorted(wanted - set(found))


def selected_lines(root: Path, paper: str, selection: dict) -> tuple[dict[str, set[int]], dict[str, dict], list[str]]:
    """Per file (relative path): the set of mutable lines of the paper's selected functions; the
    function ranges ``{file: {qualname: (start, end)}}``; warnings (functions not found)."""
    entries = selection["papers"][paper]["functions"]
    per_file: dict[str, list[str]] = {}
    for entry in entries:
        path, _, qual = entry.partition("::")
        per_file.setdefault(path, []).append(qual)
    lines: dict[str, set[int]] = {}
    ranges: dict[str, dict] = {}
    warnings = []
    for path, quals in per_file.items():
        src_path = root / path
        if not src_path.exists():
            warnings.append(f"{paper}: {path} does not exist")
            continue
        found, missing = function_lines(src_path.read_text(encoding="utf-8"), quals)
        warnings += [f"{paper}: {path}::{q} not found" for q in missing]
        keep: set[int] = set()
        for q, (a, b, excl) in found.items():
            keep |= set(range(a, b + 1)) - excl
        lines[path] = keep
        ranges[path] = {q: (a, b) for q, (a, b, _) in found.items()}
    return lines, ranges, warnings


def function_of(ranges: dict[str, tuple[int, int]], line: int) -> str | None:
    """The innermost selected function (of one file) that contains ``line``."""
    best = None
    for q, (a, b) in ranges.items():
        if a <= line <= b and (best is None or b - a < best[1]):
            best = (q, b - a)
    return None if best is None else best[0]


# --------------------------------------------------------------------------------------------- mutations

def operator_names(patterns) -> list[str]:
    import cosmic_ray.plugins
    regs = [re.compile(p) for p in patterns]
    return [n for n in cosmic_ray.plugins.operator_names() if any(r.fullmatch(n) for r in regs)]


def generate_mutations(root: Path, files, operators) -> list:
    """Every mutation of ``files`` by ``operators``, numbered as ``cosmic-ray init`` numbers them (per
    module and operator, in walk order); ``module_path`` relative to ``root``."""
    import cosmic_ray.plugins
    from cosmic_ray.ast import ast_nodes, get_ast_from_path
    from cosmic_ray.ast.ast_query import ASTQuery
    from cosmic_ray.work_item import MutationSpec

    specs = []
    for rel in files:
        module_ast = get_ast_from_path(root / rel)
        for op_name in operators:
            op = cosmic_ray.plugins.get_operator(op_name)()
            positions = ((node, s, e) for node in ast_nodes(module_ast) for s, e in op.mutation_positions(node))
            for occurrence, (node, s, e) in enumerate(positions):
                specs.append(MutationSpec(module_path=rel, operator_name=op_name, occurrence=occurrence,
                                          start_pos=s, end_pos=e,
                                          definition_name=ASTQuery(node).get_definition_name()))
    return specs


def line_occurrences(specs) -> dict[tuple[str, str, int], int]:
    """``(file, operator, occurrence) -> index among that operator's mutations on the same line``."""
    groups: dict[tuple[str, str, int], list[int]] = {}
    for s in specs:
        groups.setdefault((str(s.module_path), s.operator_name, s.start_pos[0]), []).append(s.occurrence)
    out = {}
    for (path, op, _line), occs in groups.items():
        for i, occ in enumerate(sorted(occs)):
            out[(path, op, occ)] = i
    return out


def load_equivalent(path: Path = EQUIVALENT) -> list[dict]:
    if not path.exists():
        return []
    with open(path, "rb") as fh:
        entries = tomllib.load(fh).get("equivalent", [])
    for e in entries:
        missing = {"file", "operator", "occurrence", "reason"} - set(e)
        if missing or ("code" not in e and "line" not in e):
            raise ValueError(f"{path}: entry {e!r} lacks {sorted(missing) or ['code or line']}")
    return entries


def equivalent_reason(entries, path: str, operator: str, line: int, code: str, occ_in_line: int) -> str | None:
    for e in entries:
        if e["file"] != path or e["operator"] != operator or int(e["occurrence"]) != occ_in_line:
            continue
        if ("code" in e and e["code"].strip() == code.strip()) or ("code" not in e and int(e["line"]) == line):
            return e["reason"]
    return None


@dataclass
class Plan:
    """The mutations of one paper and what is done with each (``run``, or skipped with a reason)."""

    paper: str
    specs: list
    status: dict = field(default_factory=dict)   # index -> "run" | skip output
    warnings: list = field(default_factory=list)
    ranges: dict = field(default_factory=dict)

    def count(self, prefix: str) -> int:
        return sum(1 for v in self.status.values() if v.startswith(prefix))


def plan_paper(root: Path, paper: str, selection: dict, equivalents: list[dict],
               max_mutants: int | None = None, sample_seed: int = 0,
               executed: dict[str, dict[str, list[str]]] | None = None,
               only: list[dict] | None = None) -> Plan:
    """Select the mutations of ``paper``: inside its selected functions (ast line ranges, minus argument
    checks), on a line that one of the paper's default claims executes (``executed``: path → line → claims;
    ``None``: every line), the equivalent ones marked, at most ``max_mutants`` sampled (fixed seed); with
    ``only`` (entries with the keys of ``equivalent.toml``: file, operator, code, occurrence), just those."""
    lines, ranges, warnings = selected_lines(root, paper, selection)
    ops = operator_names(selection["operators"]["include"])
    specs = generate_mutations(root, sorted(lines), ops)
    occ = line_occurrences(specs)
    plan = Plan(paper, specs, warnings=warnings, ranges=ranges)
    texts = {p: (root / p).read_text(encoding="utf-8").splitlines() for p in lines}
    inside = []
    for i, s in enumerate(specs):
        path, line = str(s.module_path), s.start_pos[0]
        if line not in lines.get(path, ()):
            plan.status[i] = SKIP_OUTSIDE
        elif executed is not None and not executed.get(path, {}).get(str(line)):
            plan.status[i] = SKIP_UNEXECUTED
        else:
            inside.append(i)
    if only is not None:
        keep = []
        for i in inside:
            s = specs[i]
            path, line = str(s.module_path), s.start_pos[0]
            if equivalent_reason([dict(e, reason="listed") for e in only], path, s.operator_name, line,
                                 texts[path][line - 1], occ[(path, s.operator_name, s.occurrence)]):
                keep.append(i)
            else:
                plan.status[i] = SKIP_NOT_LISTED
        inside = keep
    elif max_mutants is not None and len(inside) > max_mutants:
        chosen = set(random.Random(sample_seed).sample(inside, max_mutants))
        for i in inside:
            if i not in chosen:
                plan.status[i] = SKIP_NOT_SAMPLED
        inside = sorted(chosen)
    for i in inside:
        s = specs[i]
        path, line = str(s.module_path), s.start_pos[0]
        reason = equivalent_reason(equivalents, path, s.operator_name, line, texts[path][line - 1],
                                   occ[(path, s.operator_name, s.occurrence)])
        plan.status[i] = SKIP_EQUIVALENT + reason if reason else "run"
    return plan


def write_session(db_path: Path, plan: Plan) -> None:
    """A cosmic-ray session database with every mutation of the plan; skipped ones get their result now."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkItem, WorkResult, WorkerOutcome

    with use_db(str(db_path), WorkDB.Mode.create) as db:
        db.clear()
        items = [WorkItem.single(job_id=f"{plan.paper}-{i:05d}", mutation=s) for i, s in enumerate(plan.specs)]
        db.add_work_items(items)
        by_reason: dict[str, list[str]] = {}
        for i, st in plan.status.items():
            if st != "run":
                by_reason.setdefault(st, []).append(items[i].job_id)
        for reason, ids in by_reason.items():
            db.set_multiple_results(ids, WorkResult(output=reason, worker_outcome=WorkerOutcome.SKIPPED))


# --------------------------------------------------------------------------------------------- running

def snapshot(dest: Path, source_root: Path = REPO, rev: str | None = None) -> None:
    """Copy the packages nnlimits imports (no caches) to ``dest``: from the working tree of ``source_root``,
    or from its git revision ``rev`` (``git archive``: uncommitted edits left out)."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if rev is not None:
        archive = subprocess.run(["git", "-C", str(source_root), "archive", "--format=tar", rev, *PACKAGES],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        return
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.nbi", "*.nbc")
    for pkg in PACKAGES:
        shutil.copytree(source_root / pkg, dest / pkg, ignore=ignore)


def source_info(rev: str | None) -> dict:
    """Which code was mutated: the commit, and whether the working tree had uncommitted edits in it."""
    def git(*a):
        r = subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True)
        return r.stdout.strip() if r.returncode == 0 else None
    commit = git("rev-parse", rev or "HEAD")
    dirty = None if rev else bool(git("status", "--porcelain", "--", *PACKAGES))
    return {"rev": rev or "working tree", "commit": commit, "uncommitted_edits": dirty}


def nnlimits_exe() -> str:
    exe = Path(sys.executable).parent / "nnlimits"
    return str(exe) if exe.exists() else (shutil.which("nnlimits") or "nnlimits")


def default_claims(paper: str) -> list[str]:
    """The ids of ``paper``'s default claims (those the README's ``nnlimits verify`` runs)."""
    from proofs_check.registry import registry
    return [c.id for c in registry(entry_points=False).select(None) if c.id.split(".")[0] == paper]


def paper_claims(paper: str, which: str = "default") -> list[str]:
    """The claims a mutant of ``paper`` is run against: ``"default"``, the paper's default claims (the README's
    main job); ``"all"``, every claim that ``nnlimits verify '<paper>.*'`` runs (the opt-in claims and the
    paper's claim families too)."""
    if which == "default":
        return default_claims(paper)
    from proofs_check.registry import registry
    return [c.id for c in registry(entry_points=False).select([f"{paper}.*"])]


def main_decisions(budget: str = "quick", patterns: list[str] | None = None) -> int:
    """``K`` of the README's main job (every default claim; or of ``nnlimits verify <patterns>``): a mutant's
    claims are decided at ``α/K``, exactly as in that run, whichever subset of them the mutant's command
    runs."""
    from proofs_check.engine import decision_count
    from proofs_check.registry import registry
    return decision_count(registry(entry_points=False).select(patterns), budget)


def _env(workdir: Path) -> dict:
    return {"PYTHONPATH": str(workdir), "NUMBA_NUM_THREADS": "1",
            "NUMBA_CACHE_DIR": str(workdir / ".numba-cache")}


def test_command(workdir: Path, claims: list[str], verify_args: str = "") -> str:
    """The command cosmic-ray runs for a mutant in ``workdir`` (no shell: ``env`` sets the variables):
    ``nnlimits verify`` on ``claims`` (the paper's default claims that execute the mutated line)."""
    env = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in _env(workdir).items())
    ids = " ".join(shlex.quote(c) for c in claims)
    return f"{env} {shlex.quote(nnlimits_exe())} verify {ids} --no-report {verify_args}".strip()


def claim_coverage(src: Path, pdir: Path, claims: list[str], verify_args: str, log=print
                   ) -> dict[str, dict[str, list[str]]]:
    """Which lines of ``theory/`` each default claim executes: ``nnlimits verify <claim>`` under coverage.py
    in the unmutated snapshot, one process per claim (no cache shared between claims). Returns
    path → line (as a string) → the claims executing it. A mutant on a line that no default claim executes
    cannot change what the README's ``nnlimits verify`` decides; a mutant on a line is run against exactly
    the claims that execute it (the others run the same code as unmutated)."""
    import coverage

    cov_dir = pdir / "coverage"
    cov_dir.mkdir(parents=True, exist_ok=True)
    theory = (src / "theory").resolve()
    out: dict[str, dict[str, list[str]]] = {}
    for cid in claims:
        data_file = cov_dir / f"{cid}.coverage"
        cmd = [sys.executable, "-m", "coverage", "run", f"--data-file={data_file}", f"--include={theory}/*",
               nnlimits_exe(), "verify", cid, "--no-report", *shlex.split(verify_args)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=src, env={**os.environ, **_env(src)})
        log(f"[coverage] {cid}: exit {proc.returncode}, {time.perf_counter() - t0:.1f} s")
        if proc.returncode != 0:
            (cov_dir / f"{cid}.txt").write_text(proc.stdout + proc.stderr)
        data = coverage.CoverageData(basename=str(data_file))
        data.read()
        for f in data.measured_files():
            rel = str(Path(f).resolve().relative_to(src.resolve()))
            for ln in data.lines(f) or ():
                out.setdefault(rel, {}).setdefault(str(ln), []).append(cid)
    return out


def check_isolation(workdir: Path) -> None:
    """The worker's copy, not the repository, is what the command imports."""
    env = dict(os.environ, PYTHONPATH=str(workdir))
    code = "import theory, numerics, proofs_check.cli as c; print(theory.__file__); print(c.__file__)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=workdir,
                         check=True).stdout.split()
    bad = [p for p in out if not Path(p).resolve().is_relative_to(workdir.resolve())]
    if bad:
        raise RuntimeError(f"the worker copy {workdir} is not what gets imported: {bad}")


def run_baseline(workdir: Path, claims: list[str], verify_args: str) -> tuple[int, float, str]:
    cmd = shlex.split(test_command(workdir, claims, verify_args))
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir)
    return proc.returncode, time.perf_counter() - t0, proc.stdout + proc.stderr


def kill_reason(result) -> str:
    out = result.output or ""
    if out == "timeout":
        return "timeout"
    words = [w for w in VERDICT_WORDS if w in out]
    return "+".join(words) if words else "exit≠0"


def run_pending(db_path: Path, workdirs: list[Path], paper: str, timeout: float, verify_args: str,
                timings: dict, log=print, claims_of=None) -> None:
    """Run every pending mutant of the session, ``len(workdirs)`` at a time (one worker copy each);
    ``claims_of(path, line)``: the claims a mutant on that line is run against."""
    import attrs
    from cosmic_ray.mutating import mutate_and_test
    from cosmic_ray.work_db import WorkDB, use_db

    free: queue.Queue = queue.Queue()
    for w in workdirs:
        free.put(w)

    def job(item):
        wd = free.get()
        try:
            muts = [attrs.evolve(m, module_path=wd / m.module_path) for m in item.mutations]
            t0 = time.perf_counter()
            m0 = item.mutations[0]
            claims = claims_of(str(m0.module_path), m0.start_pos[0])
            res = mutate_and_test(mutations=muts, test_command=test_command(wd, claims, verify_args),
                                  timeout=timeout)
            dt = time.perf_counter() - t0
            if res.diff:
                res = attrs.evolve(res, diff=res.diff.replace(str(wd) + "/", ""))
            return item.job_id, res, dt
        finally:
            free.put(wd)

    with use_db(str(db_path), WorkDB.Mode.open) as db:
        # in a fixed random order: a campaign cut short has still run a random sub-sample of its mutants
        pending = sorted(db.pending_work_items, key=lambda it: it.job_id)
        random.Random(0).shuffle(pending)
        n = len(pending)
        log(f"[{paper}] {n} mutants to run on {len(workdirs)} worker(s), timeout {timeout:.0f} s")
        t_start = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=len(workdirs)) as ex:
            futures = [ex.submit(job, it) for it in pending]
            for k, fut in enumerate(cf.as_completed(futures), 1):
                job_id, res, dt = fut.result()
                db.set_result(job_id, res)
                timings[job_id] = dt
                state = ("killed (" + kill_reason(res) + ")") if res.is_killed else "SURVIVED"
                eta = (time.perf_counter() - t_start) / k * (n - k)
                log(f"[{paper}] {k}/{n} {job_id} {state} {dt:.1f} s (eta {eta / 60:.1f} min)")


# --------------------------------------------------------------------------------------------- report

def _changed_line(diff: str | None) -> str | None:
    if not diff:
        return None
    for ln in diff.splitlines():
        if ln.startswith("+") and not ln.startswith("+++"):
            return ln[1:].strip()
    return None


def mutated_line(root: Path, spec) -> str | None:
    """The mutated source line, by applying the mutation to the file's text (nothing written)."""
    import cosmic_ray.plugins
    from cosmic_ray.mutating import mutate_code

    src = (root / spec.module_path).read_text(encoding="utf-8")
    op = cosmic_ray.plugins.get_operator(spec.operator_name)(**(spec.operator_args or {}))
    new = mutate_code(src, op, spec.occurrence)
    if new is None:
        return None
    return new.splitlines()[spec.start_pos[0] - 1].strip()


def summarize_session(db_path: Path, root: Path, paper: str, ranges: dict | None = None,
                      timings: dict | None = None) -> dict:
    """Counts, kill rate and survivors of one paper's session; ``root`` holds the unmutated sources."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome

    timings = timings or {}
    with use_db(str(db_path), WorkDB.Mode.open) as db:
        done = list(db.completed_work_items)
        n_pending = len(db.pending_work_items)
    specs = [item.mutations[0] for item, _ in done]
    occ = line_occurrences(specs)
    texts: dict[str, list[str]] = {}
    counts = dict(total=0, killed=0, survived=0, equivalent=0, incompetent=0, pending=n_pending,
                  outside=0, not_sampled=0, unexecuted=0, not_listed=0)
    killed_by: dict[str, int] = {}
    survivors, equivalents, run_times = [], [], []

    def describe(item, res):
        s = item.mutations[0]
        path, line = str(s.module_path), s.start_pos[0]
        if path not in texts:
            texts[path] = (root / path).read_text(encoding="utf-8").splitlines()
        fn = function_of((ranges or {}).get(path, {}), line) or s.definition_name
        return {"file": path, "line": line, "function": fn, "operator": s.operator_name,
                "occurrence": occ[(path, s.operator_name, s.occurrence)],
                "code": texts[path][line - 1].strip(),
                "mutated": _changed_line(res.diff) or mutated_line(root, s), "job_id": item.job_id}

    for item, res in sorted(done, key=lambda d: d[0].job_id):
        out = res.output or ""
        if res.worker_outcome == WorkerOutcome.SKIPPED:
            if out.startswith(SKIP_EQUIVALENT):
                counts["equivalent"] += 1
                counts["total"] += 1
                equivalents.append({**describe(item, res), "reason": out[len(SKIP_EQUIVALENT):]})
            elif out == SKIP_NOT_SAMPLED:
                counts["not_sampled"] += 1
            elif out == SKIP_UNEXECUTED:
                counts["unexecuted"] += 1
            elif out == SKIP_NOT_LISTED:
                counts["not_listed"] += 1
            else:
                counts["outside"] += 1
            continue
        counts["total"] += 1
        if item.job_id in timings:
            run_times.append(timings[item.job_id])
        if res.worker_outcome in (WorkerOutcome.EXCEPTION, WorkerOutcome.NO_TEST, WorkerOutcome.ABNORMAL):
            counts["incompetent"] += 1
        elif res.is_killed:
            counts["killed"] += 1
            r = kill_reason(res)
            killed_by[r] = killed_by.get(r, 0) + 1
        else:
            counts["survived"] += 1
            survivors.append(describe(item, res))
    counts["total"] += n_pending
    decided = counts["killed"] + counts["survived"]
    return {"paper": paper, **counts, "killed_by": killed_by,
            "kill_rate": (counts["killed"] / decided) if decided else None,
            "time_per_mutant_s": (sum(run_times) / len(run_times)) if run_times else None,
            "survivors": survivors, "equivalents": equivalents}


def kill_rate_lower_bound(killed: int, decided: int, level: float = 0.95) -> float | None:
    """One-sided Clopper–Pearson lower confidence bound of the kill rate (exact binomial; a sample of the
    mutants estimates the rate of the whole selection)."""
    if decided == 0:
        return None
    if killed == 0:
        return 0.0
    from scipy.stats import beta
    return float(beta.ppf(1 - level, killed, decided - killed + 1))


def write_report(summary: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "mutation.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md = ["# Mutation campaign on the prediction code of theory/", ""]
    cmd = summary.get("command")
    if cmd:
        md += [f"Command: `{cmd}`", ""]
    src = summary.get("source")
    if src:
        md += [f"Mutated code: {src['rev']} (commit {src['commit']}"
               + (", with uncommitted edits" if src.get("uncommitted_edits") else "") + ")", ""]
    md += ["Mutants = killed + survived + equivalent + incompetent + not run yet (`pending`). "
           f"A mutant is killed when `{summary.get('test_command', 'nnlimits verify')}` exits non-zero or "
           "times out. Mutants on lines that no default claim executes (coverage.py, one run per claim) are "
           "not run: they cannot change what `nnlimits verify` decides. "
           "Kill rate = killed / (killed + survived), with its 95 % Clopper–Pearson lower bound; equivalent "
           "mutants (benchmarks/mutation/equivalent.toml) and incompetent ones (the mutation could not be "
           "applied or run) are left out.", "",
           "| paper | mutants | killed | survived | equivalent | incompetent | kill rate | baseline (s) | "
           "timeout (s) | time per mutant (s) | killed by |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]

    def f(x, fmt="{:.1f}"):
        return "–" if x is None else fmt.format(x)

    for p in summary["papers"]:
        kb = ", ".join(f"{k} {v}" for k, v in sorted(p.get("killed_by", {}).items()))
        lb = kill_rate_lower_bound(p["killed"], p["killed"] + p["survived"])
        md.append(f"| {p['paper']} | {p['total']} | {p['killed']} | {p['survived']} | {p['equivalent']} | "
                  f"{p['incompetent']} | {f(p['kill_rate'], '{:.1%}')} (≥ {f(lb, '{:.0%}')}) | {f(p.get('baseline_s'))} | "
                  f"{f(p.get('timeout_s'), '{:.0f}')} | {f(p['time_per_mutant_s'])} | {kb or '–'} |")
    for p in summary["papers"]:
        md += ["", f"## {p['paper']}", ""]
        if p.get("pending"):
            md.append(f"{p['pending']} mutants not run yet (`--resume` continues).")
        if p.get("not_sampled"):
            md.append(f"{p['not_sampled']} selected mutants not sampled (--max-mutants).")
        if p.get("unexecuted"):
            md.append(f"{p['unexecuted']} selected mutants on lines no default claim executes (not run).")
        if p.get("claims"):
            md.append(f"Default claims: {', '.join(p['claims'])}.")
        for w in p.get("warnings", []):
            md.append(f"- warning: {w}")
        md += ["", f"### Survivors ({len(p['survivors'])})", ""]
        for s in p["survivors"]:
            md.append(f"- `{s['file']}:{s['line']}` ({s['function']}) {s['operator']} #{s['occurrence']}: "
                      f"`{s['code']}` → `{s['mutated']}`")
        if p["equivalents"]:
            md += ["", f"### Equivalent ({len(p['equivalents'])})", ""]
            for s in p["equivalents"]:
                md.append(f"- `{s['file']}:{s['line']}` {s['operator']} #{s['occurrence']}: `{s['code']}` — "
                          f"{s['reason']}")
    (out / "mutation.md").write_text("\n".join(md) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------- main

def campaign_paper(paper: str, args, selection: dict, equivalents: list[dict], log=print) -> dict:
    pdir = (args.out / paper).resolve()
    src = pdir / "src"
    db_path = pdir / "session.sqlite"
    timings_path = pdir / "timings.json"
    claims = paper_claims(paper, args.claims)
    decisions = args.decisions if args.decisions is not None else (
        main_decisions() if args.claims == "default" else main_decisions(patterns=[f"{paper}.*"]))
    verify_args = f"--decisions {decisions} {args.verify_args}".strip()
    if args.resume and db_path.exists() and src.exists():
        meta = json.loads((pdir / "plan.json").read_text())
        ranges, warnings, executed = meta["ranges"], meta["warnings"], meta.get("executed")
        log(f"[{paper}] resuming {db_path}")
    else:
        pdir.mkdir(parents=True, exist_ok=True)
        snapshot(src, REPO, args.rev)
        executed = None if args.no_coverage else claim_coverage(src, pdir, claims, verify_args, log)
        only = None
        if args.rerun is not None:
            prev = json.loads(args.rerun.read_text())
            only = [sv for p in prev["papers"] if p["paper"] == paper for sv in p["survivors"]]
        plan = plan_paper(src, paper, selection, equivalents, args.max_mutants, args.sample_seed, executed, only)
        ranges, warnings = plan.ranges, plan.warnings
        for w in warnings:
            log(f"[{paper}] warning: {w}")
        write_session(db_path, plan)
        (pdir / "plan.json").write_text(json.dumps({"ranges": ranges, "warnings": warnings,
                                                    "claims": claims, "executed": executed}, indent=1))
        log(f"[{paper}] {len(plan.specs)} mutations of the selected files; {plan.count('run')} to run, "
            f"{plan.count(SKIP_EQUIVALENT)} equivalent, {plan.count(SKIP_OUTSIDE)} outside the selected "
            f"functions, {plan.count(SKIP_UNEXECUTED)} not executed by the {args.claims} claims, "
            f"{plan.count(SKIP_NOT_SAMPLED)} not sampled")
        if timings_path.exists():
            timings_path.unlink()

    def claims_of(path: str, line: int) -> list[str]:
        if executed is None:
            return claims
        hit = executed.get(path, {}).get(str(line))
        return [c for c in claims if c in hit] if hit else claims

    extra = {"warnings": warnings, "claims": claims, "claim_set": args.claims, "decisions": decisions}
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    if not args.dry_run:
        workdirs = []
        for i in range(args.workers):
            wd = pdir / f"w{i}"
            snapshot(wd, src)  # always fresh from the unmutated snapshot (an interrupted run may leave a mutant)
            check_isolation(wd)
            workdirs.append(wd)
        # warm-up (numba compiles into the worker's cache), then the timed unmutated run
        with cf.ThreadPoolExecutor(max_workers=len(workdirs)) as ex:
            warm = list(ex.map(lambda wd: run_baseline(wd, claims, verify_args), workdirs))
        rc, base_s, out = run_baseline(workdirs[0], claims, verify_args)
        log(f"[{paper}] unmutated run: exit {rc}, {base_s:.1f} s (warm-up {warm[0][1]:.1f} s)")
        if rc != 0 or any(w[0] != 0 for w in warm):
            (pdir / "baseline.txt").write_text(out)
            msg = f"[{paper}] the unmutated claims do not pass (exit {rc}; see {pdir / 'baseline.txt'})"
            if not args.allow_failing_baseline:
                log(msg + ": no mutant can be judged, paper skipped")
                extra.update(baseline_exit=rc, baseline_s=base_s, error=msg)
                return {**summarize_session(db_path, src, paper, ranges, timings), **extra}
            log(msg + ": going on (--allow-failing-baseline)")
        timeout = args.timeout_factor * base_s + args.timeout_pad
        extra.update(baseline_exit=rc, baseline_s=base_s, timeout_s=timeout)
        t0 = time.perf_counter()
        try:
            run_pending(db_path, workdirs, paper, timeout, verify_args, timings, log, claims_of)
        finally:
            timings_path.write_text(json.dumps(timings))
        extra["wall_s"] = time.perf_counter() - t0
    return {**summarize_session(db_path, src, paper, ranges, timings), **extra}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paper", action="append", choices=PAPERS, help="paper (repeatable; default: all)")
    ap.add_argument("--max-mutants", type=int, help="run at most N mutants per paper (a fixed-seed sample)")
    ap.add_argument("--sample-seed", type=int, default=0, help="seed of the --max-mutants sample")
    ap.add_argument("--workers", type=int, default=1, help="mutants run at a time (one repository copy each)")
    ap.add_argument("--out", type=Path, required=True, help="output directory")
    ap.add_argument("--timeout-factor", type=float, default=3.0)
    ap.add_argument("--timeout-pad", type=float, default=20.0, help="seconds added to factor × unmutated run")
    ap.add_argument("--verify-args", default="", help="extra arguments of nnlimits verify")
    ap.add_argument("--decisions", type=int, help="K of the decisions (default: that of the README's "
                    "`nnlimits verify`, every default claim)")
    ap.add_argument("--rerun", type=Path, metavar="MUTATION_JSON",
                    help="run only the survivors listed in an earlier campaign's mutation.json (found again by "
                         "their code line, so they follow edits of the file)")
    ap.add_argument("--claims", choices=("default", "all"), default="default",
                    help="the claims a mutant runs against: the paper's default claims (the README's main job; "
                         "default) or every claim of `nnlimits verify '<paper>.*'` (opt-in claims and families "
                         "too; K is then that run's)")
    ap.add_argument("--no-coverage", action="store_true",
                    help="run every mutant against all the paper's selected claims (no coverage.py step)")
    ap.add_argument("--rev", help="mutate this git revision (e.g. HEAD) instead of the working tree")
    ap.add_argument("--resume", action="store_true", help="continue the sessions already in --out")
    ap.add_argument("--dry-run", action="store_true", help="select and count the mutants, run nothing")
    ap.add_argument("--allow-failing-baseline", action="store_true",
                    help="run the mutants even when the unmutated claims do not all pass")
    args = ap.parse_args(argv)
    if args.workers < 1:
        ap.error("--workers must be >= 1")
    try:
        import cosmic_ray  # noqa: F401
    except ImportError:
        ap.error("cosmic-ray is not installed: pip install cosmic-ray")
    os.environ["NUMBA_NUM_THREADS"] = "1"
    selection = load_selection()
    equivalents = load_equivalent()
    papers = args.paper or list(PAPERS)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.perf_counter()
    results = []
    for paper in papers:
        results.append(campaign_paper(paper, args, selection, equivalents, log))
        summary = {"source": source_info(args.rev), "command": " ".join(["python", "benchmarks/mutation_campaign.py", *(argv or sys.argv[1:])]),
                   "test_command": (f"nnlimits verify <the paper's {args.claims} claims that execute the mutated "
                                    f"line> --no-report --decisions <K: "
                                    f"{args.decisions or ('the main job' if args.claims == 'default' else 'that of nnlimits verify <paper>.*')}> "
                                    f"{args.verify_args}").strip(),
                   "workers": args.workers, "wall_s": time.perf_counter() - t0, "papers": results}
        write_report(summary, args.out)
    log(f"report: {args.out / 'mutation.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
