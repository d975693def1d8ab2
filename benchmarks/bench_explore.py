"""Cost of exploring a theorem: settings decided per minute, one explorable claim per paper.

    python benchmarks/bench_explore.py                 # 8 settings of each claim below, root seed 0
    python benchmarks/bench_explore.py --settings 20 --workers 2

Each claim is explored as ``nnlimits verify CLAIM --explore N`` does it (drawing, one sweep of every
setting's ladder on the claim's exploration ladder, shrinking if something is refuted); the time includes
JIT compilation on the first claim of each paper unless the numba cache is warm.
"""

from __future__ import annotations

import argparse
import time

from proofs_check.executors import make_executor
from proofs_check.explore import explore
from proofs_check.registry import registry

CLAIMS = ("spline.kernel_limit", "spline.rate", "ridgelet.reconstruction", "ridgelet.rerm_spectrum",
          "stability.inverse_constant", "pl.pair_lower", "minnorm.cost", "minnorm.representational_cost")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--settings", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("claims", nargs="*", default=list(CLAIMS))
    args = p.parse_args()
    reg = registry()
    print(f"{'claim':34s} {'settings':>8s} {'refuted':>8s} {'seconds':>8s} {'settings/min':>13s}")
    with make_executor(args.workers) as ex:
        for cid in args.claims:
            t0 = time.perf_counter()
            (found,) = explore([reg.claims[cid]], args.settings, args.seed, ex)
            dt = time.perf_counter() - t0
            print(f"{cid:34s} {len(found.runs):8d} {len(found.refuted):8d} {dt:8.1f} "
                  f"{60.0 * len(found.runs) / dt:13.1f}", flush=True)


if __name__ == "__main__":
    main()
