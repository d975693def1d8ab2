"""The d = 2 family of the minimum-norm paper: (1) full-batch GD with weight decay on a 2-D network with a free
affine part, at the claims' size (width 32, 5 points on a line: ``minnorm.d2.line_data``) and at the report's
(width 32, 64 points: ``minnorm.d2.optimizers``) — the numba kernel against the NumPy reference
(:func:`numerics.minnorm.d2.train_numpy`, the same updates vectorised over points and neurons; equal accuracy:
both are checked to agree to 1e-12 after the timed steps); (2) the exact merged cost of a random rewrite
(:func:`theory.minnorm.cost_md.network_cost`, one surd per hyperplane) against a direct SymPy baseline that sums
``a_j‖w_j‖`` per hyperplane with ``sqrt`` per neuron and simplifies. Prints the best time per call and the ratios.

    python benchmarks/bench_minnorm_d2.py [--steps 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
from fractions import Fraction

import numpy as np
import sympy as sp
from _timing import best_time, print_ratios

from numerics.minnorm import d2 as nd
from theory.minnorm import cost_md as th


def direct_cost(net: th.FiniteNetwork) -> sp.Expr:
    """Baseline: per neuron ``a_j·sqrt(‖w_j‖²)`` (SymPy), grouped by the canonical hyperplane, simplified sums."""
    groups: dict = {}
    for a, w, b in zip(net.a, net.W, net.b):
        if all(t == 0 for t in w):
            continue
        key, _ = th.hyperplane_key(w, b)
        nw = sum((t * t for t in w), Fraction(0))
        groups.setdefault(key, []).append(sp.Rational(a.numerator, a.denominator)
                                          * sp.sqrt(sp.Rational(nw.numerator, nw.denominator)))
    return sp.simplify(sum((sp.Abs(sp.simplify(sum(v))) for v in groups.values()), sp.Integer(0)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if min(args.steps, args.repeat) < 1:
        ap.error("--steps and --repeat must be positive")
    rng = np.random.default_rng(0)
    for label, n in (("line data (5 points)", 5), ("regions (64 points)", 64)):
        X = rng.uniform(-3, 3, (n, 2))
        y = rng.uniform(0, 1, n)
        net = nd.init_network(rng, 32)
        S = args.steps
        run_numba = lambda: nd.train(X, y, net, "gd", lr=0.05, steps=S, lam=1e-3, record=S).net  # noqa: E731
        run_numpy = lambda: nd.train_numpy(X, y, net, "gd", lr=0.05, steps=S, lam=1e-3)  # noqa: E731
        a, b = run_numba(), run_numpy()
        err = max(np.abs(a.a - b.a).max(), np.abs(a.W - b.W).max(), np.abs(a.b - b.b).max())
        if not err < 1e-12:
            raise SystemExit(f"numba and numpy disagree by {err:.2e}: not equal accuracy")
        print(f"GD with weight decay, width 32, {label}, {S} steps; max |numba − numpy| = {err:.1e}")
        print_ratios({"numba": best_time(run_numba, args.repeat) / S, "numpy": best_time(run_numpy, args.repeat) / S},
                     "numba", ms_digits=4)
    f = th.random_network(np.random.default_rng(1), 4)
    g = th.random_splitting(f, np.random.default_rng(2))
    assert sp.simplify(th.network_cost(g) - direct_cost(g)) == 0
    print(f"exact merged cost of a rewrite with {g.width} neurons on ℝ² (time per call)")
    print_ratios({"cost_md.network_cost": best_time(lambda: th.network_cost(g), args.repeat),
                  "direct SymPy": best_time(lambda: direct_cost(g), args.repeat)}, "cost_md.network_cost", ms_digits=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
