"""Reports of a verification run: ``results.json`` (every number), ``report.md`` and one PNG per claim.

``results.json`` holds no wall-clock times or dates, so the same seed gives identical numbers; timings go
to ``timings.json`` and the Markdown report.
"""

from __future__ import annotations

import json
import math
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from proofs_check.engine import ClaimResult


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("nnlimits", "numpy", "scipy", "sympy", "mpmath", "numba", "llvmlite", "matplotlib"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _clean(x: Any) -> Any:
    """JSON-able copy: numpy scalars to Python, non-finite floats to strings."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return _clean(x.tolist())
    if isinstance(x, (np.floating, float)):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, (np.integer,)):
        return int(x)
    if hasattr(x, "value") and hasattr(x, "name") and not isinstance(x, (str, int)):  # enums
        return x.value
    return x


def docs_anchor(paper: str, claim_id: str) -> str:
    """Where the project states the theorem a claim checks."""
    return f"docs/{paper}.md#{claim_id}"


def claim_to_json(r: ClaimResult) -> dict:
    return _clean({
        "id": r.claim_id, "title": r.title, "paper": r.paper, "reference": r.reference, "kind": r.kind,
        "method": r.method, "statement": r.statement, "budget": r.budget, "root_seed": r.root_seed,
        "quantity": r.quantity, "docs": docs_anchor(r.paper, r.claim_id),
        "ladder": {"parameter": r.parameter, "values": r.levels}, "seeds": r.seeds, "criteria": r.criteria,
        "verdict": r.verdict, "reason": r.reason,
        "outcomes": [{"name": o.name, "description": o.description, "mutant": o.mutant,
                      "predicted": o.predicted, "verdict": o.verdict, "reason": o.reason,
                      "summary": o.summary} for o in r.outcomes],
        "measurements": [{"level": lv, "seed": s, "values": vals} for lv, s, vals in r.measurements],
        "details": r.details, "error": r.error,
        "power": [{"knob": k.name, "kind": k.kind, "description": k.description, "resolution": k.resolution,
                   "target": k.target, "meets_target": k.meets_target(), "note": k.note, "decisions": k.decisions}
                  for k in r.power],
    })


def results_to_json(results: list[ClaimResult], budget: str | None = None, seed: int | None = None) -> dict:
    return {
        "tool": "nnlimits",
        "versions": versions(),
        "budget": budget if budget is not None else (results[0].budget if results else None),
        "seed": seed if seed is not None else (results[0].root_seed if results else None),
        "claims": [claim_to_json(r) for r in results],
    }


def write_json(results: list[ClaimResult], path: str | Path, budget: str | None = None,
               seed: int | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_to_json(results, budget, seed), indent=1, sort_keys=False) + "\n")
    return path


def _md_table_details(details: dict) -> str:
    """A ``{"table": {"columns": [...], "rows": [[...]]}}`` detail as a Markdown table."""
    out = []
    for key, val in details.items():
        if isinstance(val, dict) and "columns" in val and "rows" in val:
            cols = val["columns"]
            out.append(f"**{key}**\n\n| " + " | ".join(map(str, cols)) + " |\n|" + "---|" * len(cols))
            for row in val["rows"]:
                out.append("| " + " | ".join(f"{c:.4g}" if isinstance(c, float) else str(c) for c in row) + " |")
            out.append("")
    return "\n".join(out)


def write_markdown(results: list[ClaimResult], path: str | Path, figures: dict[str, str] | None = None) -> Path:
    path = Path(path)
    figures = figures or {}
    lines = ["# nnlimits verification report", ""]
    if results:
        lines.append(f"Budget `{results[0].budget}`, root seed `{results[0].root_seed}`. "
                     f"Versions: " + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".")
    lines += ["", "| claim | kind | verdict | measured | predicted | time (s) |", "|---|---|---|---|---|---|"]
    for r in results:
        th = r.theory
        lines.append(f"| `{r.claim_id}` | {r.kind} | **{r.verdict.value}** | "
                     f"{th.measured_text() if th else ''} | {th.predicted_text() if th else ''} | {r.seconds:.1f} |")
    for r in results:
        lines += ["", f"## `{r.claim_id}` — {r.title}", "", f"*{r.reference}* ([statement]({docs_anchor(r.paper, r.claim_id)}))"
                  f" · kind **{r.kind}** · "
                  f"checked by **{r.method}** · verdict **{r.verdict.value}** ({r.reason})", "", r.statement, ""]
        lines.append(f"Ladder: {r.parameter} ∈ {{{', '.join(f'{v:g}' for v in r.levels)}}}, "
                     f"{len(r.seeds)} seed(s) from root seed {r.root_seed}.")
        if r.criteria.get("statistical"):
            lines.append(f"Statistical decision at level {r.criteria['level']:.3g} = α/K, family-wise "
                         f"α = {r.criteria['alpha']:g} over K = {r.criteria['decisions']} decisions of the run.")
        skip = {"statistical", "alpha", "decisions", "level"}
        crit = {k: v for k, v in r.criteria.items() if v not in (None, "", 0, 0.0, False) and k not in skip}
        if crit:
            lines.append("Stated criteria: " + "; ".join(f"{k} = {v}" for k, v in crit.items()) + ".")
        if r.outcomes:
            lines += ["", "| prediction | mutant | measured | predicted | verdict | why |", "|---|---|---|---|---|---|"]
            for o in r.outcomes:
                lines.append(f"| {o.name}: {o.description} | {'yes' if o.mutant else 'no'} | {o.measured_text()} | "
                             f"{o.predicted_text()} | {o.verdict.value} | {o.reason} |")
        if r.power:
            lines += ["", "Power (smallest perturbation refuted by the same measurements):", "",
                      "| knob | kind | resolution | target | note |", "|---|---|---|---|---|"]
            for k in r.power:
                tgt = f"{k.target:g}" if k.kind == "exponent" else f"{100 * k.target:g} %"
                lines.append(f"| {k.name}: {k.description} | {k.kind} | {k.text()} | {tgt} | {k.note} |")
        if r.details:
            lines += ["", _md_table_details(r.details)]
        if r.claim_id in figures:
            lines += ["", f"![{r.claim_id}]({figures[r.claim_id]})"]
        if r.error:
            lines += ["", "```", r.error.strip(), "```"]
    path.write_text("\n".join(lines) + "\n")
    return path


def write_report(results: list[ClaimResult], directory: str | Path, budget: str | None = None,
                 seed: int | None = None) -> Path:
    """Write ``report.md``, ``results.json``, ``timings.json`` and one PNG per claim into ``directory``."""
    from proofs_check.plots import plot_claim

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    figures = {}
    for r in results:
        if r.measurements and r.outcomes:  # a REPORT claim has no predictions to plot: its table is in report.md
            name = f"{r.claim_id}.png"
            plot_claim(r, directory / name)
            figures[r.claim_id] = name
    write_json(results, directory / "results.json", budget, seed)
    (directory / "timings.json").write_text(json.dumps({r.claim_id: r.seconds for r in results}, indent=1) + "\n")
    return write_markdown(results, directory / "report.md", figures)


def write_exploration(explorations, directory: str | Path, seed: int) -> Path:
    """``explore.md`` (per claim: settings, verdicts, the minimal counterexample, its plot and the line that
    reproduces it) and ``explore.json`` (every setting's full record) in ``directory``."""
    from proofs_check.plots import plot_claim

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lines = ["# nnlimits exploration", "", f"Root seed `{seed}`. Versions: "
             + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".", ""]
    record = {"tool": "nnlimits", "mode": "explore", "seed": seed, "versions": versions(), "claims": []}
    for ex in explorations:
        lines += [f"## `{ex.claim_id}`", "",
                  f"{len(ex.runs)} settings on the `{ex.budget}` ladder; family-wise α = {ex.alpha:g} over "
                  f"K = {ex.decisions} statistical decisions (each at {ex.level:.3g}); "
                  f"{len(ex.refuted)} refuted.", "", "| setting | verdict | measured | predicted |", "|---|---|---|---|"]
        for r in ex.runs:
            th = r.theory
            lines.append(f"| `{r.setting}` | {r.verdict.value} | {th.measured_text() if th else ''} | "
                         f"{th.predicted_text() if th else ''} |")
        entry = {"id": ex.claim_id, "budget": ex.budget, "alpha": ex.alpha, "decisions": ex.decisions,
                 "settings": [claim_to_json(r) | {"setting": r.setting} for r in ex.runs], "minimal": None,
                 "shrink_runs": ex.shrink_runs, "notes": ex.notes}
        if ex.minimal is not None:
            name = f"{ex.claim_id}.counterexample.png"
            if ex.minimal.measurements and ex.minimal.outcomes:
                plot_claim(ex.minimal, directory / name)
            th = ex.minimal.theory
            lines += ["", f"**{'Minimal' if ex.shrunk else 'Refuted'} counterexample** ({ex.shrink_runs} shrink "
                      f"run(s)): `{ex.minimal.setting}` — {th.reason if th else ex.minimal.reason}", "",
                      "```bash", ex.reproduce(), "```", "", f"![counterexample]({name})"]
            entry["minimal"] = claim_to_json(ex.minimal) | {"setting": ex.minimal.setting,
                                                            "reproduce": ex.reproduce()}
        lines += [f"- {n}" for n in ex.notes] + [""]
        record["claims"].append(entry)
    (directory / "explore.json").write_text(json.dumps(_clean(record), indent=1) + "\n")
    path = directory / "explore.md"
    path.write_text("\n".join(lines) + "\n")
    return path
