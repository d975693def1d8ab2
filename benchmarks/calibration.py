"""Size and power of ``nnlimits verify`` on root seeds that development never used.

A correct theory must pass on any root seed: a run of the default claims controls its family-wise
false-alarm rate at ``alpha`` (every statistical decision at ``alpha / K``), so over ``N`` independent root
seeds the number of red runs is Binomial(N, ≤ alpha). This script runs the default claims (or the given
patterns) once per root seed, through the same engine and executor seam as the command line, and prints:

- per root seed, the claims that were not CONFIRMED (theory refuted, a mutant surviving, inconclusive, error);
- the number of red runs out of ``N``, with the one-sided binomial probability of seeing at least that many
  if the false-alarm rate were exactly ``alpha`` (a small value would mean the control is broken);
- per claim, the smallest and largest margin of the theory's decision over the seeds (how close a correct
  theory came to being refuted), and with ``--power`` the worst resolution of each knob over the seeds.

Root seeds ``1000, 1001, …`` are the validation seeds: development uses 0 and 100–119 only.

    python benchmarks/calibration.py                       # 20 seeds from 1000, default claims
    python benchmarks/calibration.py --seeds 30 --start 5000 --workers 2 --out calibration.json
    python benchmarks/calibration.py 'spline.*' --power
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from scipy import stats

from proofs_check.claim import Verdict
from proofs_check.engine import decision_count, run_claims
from proofs_check.executors import make_executor
from proofs_check.registry import registry
from proofs_check.report import results_to_json
from proofs_check.verdict import ALPHA, NUMERICAL_SLACK


def margin(outcome) -> float | None:
    """How far inside its acceptance region the theory's measurement fell, in units of that region
    (1: at the centre, 0: on the edge, < 0: outside); ``None`` when the kind has no such region."""
    s = outcome.summary
    if "slope" in s:
        slack = s.get("rate_tolerance", 0.0) + NUMERICAL_SLACK
        lo, hi = s["low"] - slack, s["high"] + slack
        half = (hi - lo) / 2
        return 1.0 - abs(outcome.predicted - (lo + hi) / 2) / half if half > 0 else None
    if "max_error" in s and s["tolerance"] > 0:
        return 1.0 - s["max_error"] / s["tolerance"]
    return None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("claims", nargs="*", help="claim patterns (default: the default claims)")
    p.add_argument("--seeds", type=int, default=20, help="number of root seeds (default %(default)s)")
    p.add_argument("--start", type=int, default=1000, help="first root seed (default %(default)s)")
    p.add_argument("--budget", default="quick", choices=["quick", "full"])
    p.add_argument("--alpha", type=float, default=ALPHA)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--power", action="store_true", help="also record every knob's resolution per seed")
    p.add_argument("--out", help="write every run's results.json-style record here (one JSON file)")
    args = p.parse_args(argv)
    if args.seeds < 1:
        raise SystemExit("--seeds: expected a positive integer")
    claims = registry().select(args.claims)
    K = decision_count(claims, args.budget)
    print(f"{len(claims)} claims, budget {args.budget}, alpha {args.alpha:g} over K = {K} statistical decisions "
          f"per run; root seeds {args.start}..{args.start + args.seeds - 1}", flush=True)
    red_runs, records = 0, []
    margins: dict[str, list[float]] = {}
    worst_power: dict[tuple[str, str], dict] = {}
    t0 = time.perf_counter()
    with make_executor(args.workers) as ex:
        for seed in range(args.start, args.start + args.seeds):
            start = time.perf_counter()
            results = run_claims(claims, args.budget, seed, ex, alpha=args.alpha, power=args.power)
            bad = [r for r in results if r.verdict not in (Verdict.CONFIRMED, Verdict.REPORTED)]
            red_runs += bool(bad)
            for r in results:
                if r.theory is not None:
                    m = margin(r.theory)
                    if m is not None:
                        margins.setdefault(r.claim_id, []).append(m)
                for k in r.power:
                    w = worst_power.setdefault((r.claim_id, k.name), {"target": k.target, "kind": k.kind})
                    for sign, v in k.resolution.items():
                        old = w.get(sign, 0.0)
                        w[sign] = None if (v is None or old is None) else max(old, v)
            line = ", ".join(f"{r.claim_id} {r.verdict.value} ({r.reason})" for r in bad) or "all confirmed"
            print(f"seed {seed}: {line}  [{time.perf_counter() - start:.0f} s]", flush=True)
            records.append(results_to_json(results, args.budget, seed))
    n = args.seeds
    p_value = float(stats.binom.sf(red_runs - 1, n, args.alpha)) if red_runs else 1.0
    print(f"\nred runs: {red_runs} of {n} (family-wise alpha {args.alpha:g}; P[≥ {red_runs} red | rate = alpha] = "
          f"{p_value:.3g}); {time.perf_counter() - t0:.0f} s in all")
    print("\nclosest call per claim (margin of the theory's decision: 1 centre, 0 edge, < 0 refuted):")
    for cid, ms in sorted(margins.items(), key=lambda kv: min(kv[1])):
        print(f"  {cid:42s} min {min(ms):+.2f}  median {sorted(ms)[len(ms) // 2]:+.2f}")
    if worst_power:
        print("\nworst resolution over the seeds (constant: relative; exponent: absolute):")
        for (cid, name), w in sorted(worst_power.items()):
            cells = {s: ("not refuted" if w.get(s, 0) is None else f"{w[s]:g}") for s in ("-", "+") if s in w}
            ok = math.isinf(w["target"]) or all(w.get(s) is not None and w[s] <= w["target"] + 1e-12
                                                for s in ("-", "+") if s in w)
            print(f"  {cid:42s} {name:22s} {cells}  target {w['target']:g}{'' if ok else '  ✗'}")
    if args.out:
        summary = {"claims": [c.id for c in claims], "budget": args.budget, "alpha": args.alpha, "decisions": K,
                   "seeds": list(range(args.start, args.start + n)), "red_runs": red_runs,
                   "p_value": p_value, "runs": records}
        Path(args.out).write_text(json.dumps(summary, indent=1) + "\n")
        print(f"\nwritten: {args.out}")
    return 0 if red_runs == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
