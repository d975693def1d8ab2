"""The ``nnlimits`` command line: ``list``, ``verify``, ``derive``.

Human output by default (a Rich table on stdout, a progress bar and diagnostics on stderr), ``--json`` for
machines. Exit codes: 0 every claim confirmed (or reported), 1 something refuted or unfalsifiable,
2 bad usage, 3 something inconclusive or failed (and nothing refuted).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from proofs_check.claim import Verdict
from proofs_check.verdict import ALPHA

EXIT_OK, EXIT_REFUTED, EXIT_USAGE, EXIT_INCONCLUSIVE = 0, 1, 2, 3

_STYLE = {"CONFIRMED": "bold green", "REFUTED": "bold red", "UNFALSIFIABLE": "bold magenta",
          "INCONCLUSIVE": "yellow", "ERROR": "bold red", "REPORTED": "cyan"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnlimits", description=(
        "Check theorems about shallow neural networks: exact predictions, finite-width experiments, "
        "fitted convergence rates and mutant predictions that must be refuted."))
    sub = p.add_subparsers(dest="command", required=True)

    ls = sub.add_parser("list", help="papers, their statements, and how each is checked")
    ls.add_argument("--json", action="store_true", help="machine-readable listing on stdout")
    _user_claims(ls)

    v = sub.add_parser("verify", help="run claims (default: the built-in default claims)")
    v.add_argument("claims", nargs="*", metavar="CLAIM", help="claim ids or glob patterns, e.g. 'spline.*'")
    _user_claims(v)
    v.add_argument("--budget", choices=["quick", "full", "explore"], default="quick",
                   help="quick: small ladders, minutes at most; full: larger widths and more seeds; explore: "
                        "the claim's exploration ladder (its quick one if it has none)")
    v.add_argument("--explore", type=int, metavar="N",
                   help="draw N settings of each claim (laws, data, constants, …), decide each with the size "
                        "control over all of them, and shrink any counterexample to a minimal setting")
    v.add_argument("--setting", metavar="JSON", help="run the claim on this setting (as printed by --explore)")
    v.add_argument("--seed", type=int, default=0, help="root seed of every random draw (recorded in the report)")
    v.add_argument("--json", metavar="PATH", help="also write results.json here ('-' for stdout)")
    v.add_argument("--report", metavar="DIR", default="nnlimits-report",
                   help="report directory: report.md, results.json, one PNG per claim (default: %(default)s)")
    v.add_argument("--no-report", action="store_true", help="write no report directory")
    v.add_argument("--workers", type=int, default=1, help="local processes (default 1: in-process)")
    v.add_argument("--dask", metavar="ADDRESS", help="run the sweep on a Dask cluster ('local' starts one)")
    v.add_argument("--alpha", type=float, default=ALPHA,
                   help="family-wise false-alarm rate of the run: the probability that a correct theory is "
                        "refuted anywhere in it (split over its statistical decisions; default %(default)s)")
    v.add_argument("--baseline", metavar="PATH",
                   help="compare with a saved results.json: identical numbers for the same seed and package "
                        "versions, else within each value's stated uncertainty; exit 1 with what moved")
    v.add_argument("--update-baseline", action="store_true", help="(re)write the --baseline file from this run")
    v.add_argument("--decisions", type=int, metavar="K",
                   help="split --alpha over K statistical decisions instead of this run's own count (to decide "
                        "a subset of claims exactly as in a larger run)")
    v.add_argument("--power", action="store_true",
                   help="also find, for each knob of each theory (constant, exponent, ingredient function), "
                        "the smallest perturbation that the same measurements refute")

    d = sub.add_parser("derive", help="print a derivation (Markdown with LaTeX), every step checked by SymPy")
    d.add_argument("topic", nargs="?", help="topic; omit to list the topics")
    d.add_argument("--set", dest="options", action="append", default=[], metavar="KEY=VALUE",
                   help="option of the derivation, e.g. --set v='Normal(0,1)' (repeatable)")
    d.add_argument("--format", choices=["md", "tex", "ipynb"], default="md",
                   help="md: Markdown with LaTeX; tex: a standalone article for pdflatex; ipynb: a notebook with "
                        "one cell per step holding the code that checks it (default %(default)s)")
    d.add_argument("--out", metavar="FILE", help="write the derivation here instead of stdout")
    return p


def _user_claims(p: argparse.ArgumentParser) -> None:
    p.add_argument("--claims", dest="modules", action="append", default=[], metavar="PATH.py|MODULE",
                   help="also load the claims of this module: a .py file or a dotted module name (repeatable); "
                        "installed packages' claims (entry points 'nnlimits.claims') are always loaded")
    p.add_argument("--debug", action="store_true", help="show full tracebacks of failing modules and experiments")


def _registry(args):
    from proofs_check.registry import registry

    return registry(tuple(getattr(args, "modules", []) or ()))


def error_summary(tb: str) -> str:
    """The last line of a traceback (the exception and its message) and the innermost frame."""
    lines = [ln for ln in tb.strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    frames = [ln.strip() for ln in lines if ln.strip().startswith('File "')]
    where = ""
    if frames:
        import re

        m = re.match(r'File "(.+)", line (\d+), in (.+)', frames[-1])
        if m:
            where = f" (at {Path(m.group(1)).name}:{m.group(2)} in {m.group(3)})"
    return lines[-1].strip() + where


def _console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    # a pipe or a file gets wide, uncoloured tables (Rich drops colour when not a terminal)
    width = None if stream.isatty() else 160
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def cmd_list(args, out: Console) -> int:
    reg = _registry(args)
    if args.json:
        data = []
        for paper in reg.papers.values():
            data.append({"paper": paper.key, "citation": paper.citation, "statements": [
                {"text": s.text, "reference": s.reference, "claim": s.claim, "note": s.note,
                 "derivation": s.derivation,
                 "docs": f"docs/{paper.key}.md#{s.claim}" if s.claim else f"docs/{paper.key}.md",
                 "explorable": bool(s.claim in reg.claims and reg.claims[s.claim].explorable()),
                 "method": reg.claims[s.claim].method.value if s.claim in reg.claims
                 else ("symbolic" if s.derivation else None)}
                for s in paper.statements]})
        print(json.dumps(data, indent=1))
        return EXIT_OK
    for paper in reg.papers.values():
        table = Table(title=paper.citation, title_justify="left", show_lines=False, expand=False)
        table.add_column("statement", overflow="fold", ratio=3)
        table.add_column("where", overflow="fold")
        table.add_column("claim", overflow="fold")
        table.add_column("checked by", overflow="fold")
        table.add_column("docs", overflow="fold")
        for s in paper.statements:
            if s.claim in reg.claims:
                c = reg.claims[s.claim]
                how = (f"{c.method.value} ({c.kind.value})" + ("" if c.default else ", not default")
                       + (", explorable" if c.explorable() else ""))
                table.add_row(escape(s.text), escape(s.reference), s.claim, how, f"docs/{paper.key}.md#{s.claim}")
            elif s.derivation:
                how = f"symbolic: nnlimits derive {s.derivation}" + (f"; {s.note}" if s.note else "")
                table.add_row(escape(s.text), escape(s.reference), "—", escape(how), f"docs/{paper.key}.md")
            else:
                table.add_row(escape(s.text), escape(s.reference), "—",
                              f"[yellow]not yet[/]{': ' + escape(s.note) if s.note else ''}", f"docs/{paper.key}.md")
        out.print(table)
        out.print()
    known = {s.claim for p in reg.papers.values() for s in p.statements}
    extra = [cid for cid in reg.claims if cid not in known]
    if extra:
        out.print("Other claims: " + ", ".join(extra))
    out.print(f"Derivations (nnlimits derive TOPIC): {', '.join(sorted(reg.derivations)) or 'none'}")
    return EXIT_OK


def _summary_table(results) -> Table:
    t = Table(title="nnlimits verify", title_justify="left")
    for col in ("claim", "kind", "verdict", "measured", "predicted", "mutants refuted", "time (s)"):
        t.add_column(col, overflow="fold")
    for r in results:
        th = r.theory
        muts = r.mutants
        refuted = sum(o.verdict is Verdict.REFUTED for o in muts)
        t.add_row(r.claim_id, r.kind, f"[{_STYLE[r.verdict.value]}]{r.verdict.value}[/]",
                  th.measured_text() if th else "", th.predicted_text() if th else "",
                  f"{refuted}/{len(muts)}" if muts else "—", f"{r.seconds:.1f}")
    return t


def _power_table(results) -> Table:
    t = Table(title="power: smallest perturbation of each knob refuted by the same measurements",
              title_justify="left")
    for col in ("claim", "knob", "kind", "− direction", "+ direction", "target", "note"):
        t.add_column(col, overflow="fold")
    for r in results:
        for k in r.power:
            def cell(sign):
                if sign not in k.resolution:
                    return "—"
                v = k.resolution[sign]
                if v is None:
                    return "[yellow]not refuted[/]"
                txt = f"{v:g}" if k.kind == "exponent" else f"{100 * v:g} %"
                return txt if v <= k.target + 1e-12 else f"[yellow]{txt}[/]"
            tgt = f"{k.target:g}" if k.kind == "exponent" else f"{100 * k.target:g} %"
            t.add_row(r.claim_id, escape(k.name), k.kind, cell("-"), cell("+"), tgt, escape(k.note))
    return t


def cmd_explore(args, claims, out: Console, err: Console) -> int:
    from proofs_check.explore import explore
    from proofs_check.executors import make_executor

    if args.setting is not None:
        raise ValueError("--explore: draws its own settings; drop --setting")
    named = {c for c in args.claims if not any(ch in c for ch in "*?[")}
    fixed = [c for c in claims if not c.explorable()]
    bad = [c.id for c in fixed if c.id in named]
    if bad:
        raise ValueError(f"--explore: claim {bad[0]} has no settings to explore (it checks one fixed setting); "
                         "explorable claims are marked in `nnlimits list`")
    claims = [c for c in claims if c.explorable()]
    if not claims:
        raise ValueError("--explore: none of the selected claims has settings to explore; explorable claims are "
                         "marked in `nnlimits list`")
    if fixed:
        err.print("nnlimits: not explorable (one fixed setting), skipped: " + ", ".join(c.id for c in fixed))
    report = None if args.no_report else Path(args.report)
    err.print(f"nnlimits: exploring {len(claims)} claim(s) over {args.explore} setting(s) each, seed {args.seed}, "
              f"family-wise α = {args.alpha:g}")
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=True, disable=not err.is_terminal)
    start = time.perf_counter()
    with progress, make_executor(args.workers, args.dask) as executor:
        bar = progress.add_task("exploring", total=None)

        def done(res):
            progress.update(bar, advance=1, description=res.claim_id)

        found = explore(claims, args.explore, args.seed, executor, args.alpha, report, on_task_done=done)
    t = Table(title="nnlimits verify --explore", title_justify="left")
    for col in ("claim", "settings", "confirmed", "refuted", "other", "level", "minimal counterexample"):
        t.add_column(col, overflow="fold")
    for ex in found:
        conf = sum(r.verdict is Verdict.CONFIRMED for r in ex.runs)
        ref = len(ex.refuted)
        other = len(ex.runs) - conf - ref
        t.add_row(ex.claim_id, str(len(ex.runs)), str(conf), f"[bold red]{ref}[/]" if ref else "0", str(other),
                  f"{ex.level:.2g}", escape(ex.minimal.setting) if ex.minimal else "—")
    out.print(t)
    for ex in found:
        for r in ex.runs:
            if r.verdict not in (Verdict.CONFIRMED, Verdict.REPORTED):
                out.print(f"  {r.claim_id} on {escape(r.setting or 'default')}: {r.verdict.value}: {escape(r.reason)}")
        if ex.minimal is not None:
            th = ex.minimal.theory
            out.print(f"[bold]{ex.claim_id}: {'shrunk' if ex.shrunk else 'refuted'} counterexample[/] "
                      f"({ex.shrink_runs} shrink run(s)): {escape(ex.minimal.setting)}\n"
                      f"  {escape(th.reason if th else ex.minimal.reason)}\n  reproduce: {escape(ex.reproduce())}")
        for note in ex.notes:
            err.print(f"  {ex.claim_id}: {escape(note)}")
    if report is not None:
        from proofs_check.report import write_exploration

        err.print(f"report: {write_exploration(found, report, args.seed)}")
    err.print(f"wall time {time.perf_counter() - start:.1f} s")
    verdicts = {r.verdict for ex in found for r in ex.runs}
    if any(ex.refuted for ex in found) or Verdict.UNFALSIFIABLE in verdicts:
        return EXIT_REFUTED
    if verdicts & {Verdict.INCONCLUSIVE, Verdict.ERROR}:
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def _check_writable(directory: str) -> None:
    """``--report DIR`` must be creatable before any claim runs."""
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".nnlimits-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise ValueError(f"--report {directory}: cannot write the report directory ({exc.strerror or exc})") from None


def cmd_verify(args, out: Console, err: Console) -> int:
    from proofs_check.engine import run_claims
    from proofs_check.executors import make_executor
    from proofs_check.report import results_to_json, write_report

    if args.seed < 0:
        raise ValueError(f"--seed: expected a non-negative integer, got {args.seed}")
    if not 0.0 < args.alpha < 1.0:
        raise ValueError(f"--alpha: expected a family-wise false-alarm rate in (0, 1), got {args.alpha}")
    if args.update_baseline and not args.baseline:
        raise ValueError("--update-baseline: needs --baseline PATH (the file to write)")
    old_baseline = None
    if args.baseline and not args.update_baseline:
        from proofs_check.baseline import load

        old_baseline = load(args.baseline)  # an unreadable or foreign file is an error before any claim runs
        if old_baseline.get("budget") != args.budget:
            raise ValueError(f"--baseline {args.baseline}: made with budget {old_baseline.get('budget')!r}, "
                             f"this run is {args.budget!r}; compare runs of the same budget")
    if not args.no_report:
        _check_writable(args.report)
    reg = _registry(args)
    claims = reg.select(args.claims)
    if args.explore is not None:
        return cmd_explore(args, claims, out, err)
    setting = None
    if args.setting is not None:
        import json as _json

        from proofs_check.engine import canonical_setting, instantiate

        try:
            setting = canonical_setting(_json.loads(args.setting))
        except _json.JSONDecodeError as exc:
            raise ValueError(f"--setting: not valid JSON ({exc})") from None
        if len(claims) != 1:
            raise ValueError(f"--setting: expected exactly one claim, got {len(claims)}")
        instantiate(claims[0], setting)  # inadmissible settings are refused before anything runs
    if not claims:
        raise ValueError("CLAIM: nothing to verify")
    total = sum(c.ladder(args.budget).seeds * len(c.ladder(args.budget).values) for c in claims)
    from proofs_check.engine import decision_count

    k = decision_count(claims, args.budget) if args.decisions is None else args.decisions
    if k < 0:
        raise ValueError(f"--decisions: expected a non-negative integer, got {k}")
    err.print(f"nnlimits: {len(claims)} claim(s), {total} task(s), budget {args.budget}, seed {args.seed}; "
              f"family-wise α = {args.alpha:g} over {k} statistical decision(s)"
              + (f" (each at {args.alpha / k:.2g})" if k else "") + ("; power analysis" if args.power else ""))
    start = time.perf_counter()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, transient=True, disable=not err.is_terminal)
    with progress, make_executor(args.workers, args.dask) as executor:
        bar = progress.add_task("sweeping", total=total)

        def done(res):
            progress.update(bar, advance=1, description=res.claim_id)

        results = run_claims(claims, args.budget, args.seed, executor, on_task_done=done, alpha=args.alpha,
                             power=args.power, decisions=k, setting=setting)
    wall = time.perf_counter() - start
    if args.json == "-":
        print(json.dumps(results_to_json(results, args.budget, args.seed), indent=1))
        err.print(_summary_table(results))
    else:
        out.print(_summary_table(results))
        for r in results:
            for o in r.outcomes:
                if (o.mutant and o.verdict is not Verdict.REFUTED) or (not o.mutant and o.verdict is not Verdict.CONFIRMED):
                    out.print(f"  {r.claim_id} / {o.name}{' (mutant)' if o.mutant else ''}: "
                              f"{o.verdict.value}: {o.reason}")
            if r.error:
                where = reg.sources.get(r.claim_id, "")
                err.print(f"[red]{r.claim_id}: experiment failed[/]" + (f" [dim]({escape(where)})[/]" if where else "")
                          + f": {escape(error_summary(r.error))}")
                if args.debug:
                    err.print(escape(r.error))
                else:
                    err.print("  (--debug shows the traceback)")
        if args.power:
            out.print(_power_table(results))
    if args.json and args.json != "-":
        from proofs_check.report import write_json

        err.print(f"results: {write_json(results, args.json, args.budget, args.seed)}")
    if not args.no_report:
        err.print(f"report: {write_report(results, args.report, args.budget, args.seed)}")
    err.print(f"wall time {wall:.1f} s")
    if args.baseline:
        from proofs_check.report import write_json

        record = results_to_json(results, args.budget, args.seed)
        if args.update_baseline:
            err.print(f"baseline written: {write_json(results, args.baseline, args.budget, args.seed)}")
        else:
            from proofs_check.baseline import compare

            exact, moved = compare(record, old_baseline, args.baseline)
            how = "bit for bit (same seed and versions)" if exact else "within the stated uncertainties"
            if moved:
                t = Table(title=f"moved against the baseline {args.baseline} ({how})", title_justify="left")
                for col in ("claim", "rung", "seed", "quantity", "baseline", "now", "allowed"):
                    t.add_column(col, overflow="fold")
                for m in moved:
                    t.add_row(m.claim, m.rung, m.seed, escape(m.quantity), m.old, m.new, escape(m.allowed))
                out.print(t)
                return EXIT_REFUTED
            err.print(f"baseline {args.baseline}: nothing moved ({how})")
    verdicts = {r.verdict for r in results}
    if verdicts & {Verdict.REFUTED, Verdict.UNFALSIFIABLE}:
        return EXIT_REFUTED
    if verdicts & {Verdict.INCONCLUSIVE, Verdict.ERROR}:
        return EXIT_INCONCLUSIVE
    return EXIT_OK


def cmd_derive(args, out: Console) -> int:
    topics = _registry(args).derivations
    if not args.topic:
        out.print("Topics: " + ", ".join(sorted(topics)))
        return EXIT_OK
    if args.topic not in topics:
        raise ValueError(f"TOPIC: unknown derivation {args.topic!r}; known: {', '.join(sorted(topics))}")
    options = {}
    for item in args.options:
        if "=" not in item:
            raise ValueError(f"--set: expected KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        options[key.strip()] = value.strip()
    derivation = topics[args.topic](**options)
    reg = _registry(args)
    if not derivation.feeds and reg.feeds.get(args.topic):
        derivation.feeds = list(reg.feeds[args.topic])
        paper = reg.claims[derivation.feeds[0]].paper
        derivation.command = derivation.command or f"nnlimits verify '{paper}.*'"
    if args.format == "tex":
        text = derivation.to_latex()
    elif args.format == "ipynb":
        text = derivation.to_ipynb(args.topic, options)
    else:
        text = derivation.to_markdown()
    if args.out:
        Path(args.out).write_text(text + "\n")
        out.print(f"wrote {args.out}")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    out, err = _console(), _console(stderr=True)
    try:
        if args.command == "list":
            return cmd_list(args, out)
        if args.command == "verify":
            return cmd_verify(args, out, err)
        return cmd_derive(args, out)
    except ValueError as exc:
        err.print(f"[red]nnlimits: error:[/] {escape(str(exc))}")
        debug = getattr(exc, "debug", "")
        if debug and getattr(args, "debug", False):
            err.print(escape(debug))
        elif debug:
            err.print("  (--debug shows the traceback)")
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
