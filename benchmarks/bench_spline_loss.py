"""Newton / IRLS fit of the randomised shallow ReLU network (Heiss–Teichmann–Wutte) with a general loss
(Huber, logistic) and ridge on the output layer, plus evaluation on a grid: the numba kink-moment route
(:func:`numerics.spline.general_loss.fit_loss`) against the plain NumPy implementation of the same maths.

Baseline (float64, the same draws, results checked to agree): **NumPy, dense features**
(:func:`numerics.spline.general_loss.fit_loss_dense`) — the ``N × n`` feature matrix, ``K̂ = ΦΦᵀ/n`` by
BLAS, Newton with step halving on the dual, ``w = Φᵀα/n``, then ``N_w`` and ``N_w'`` on the grid in chunks
of neurons. Both solve the same ``N``-dimensional dual problem; they differ in how ``K̂`` and the grid
values are obtained (one pass of kink moments against dense features).

    python benchmarks/bench_spline_loss.py [--n 1000000] [--data 20] [--grid 2000] [--repeat 5] [--threads T]
"""

from __future__ import annotations

import argparse

import numba
import numpy as np
from _timing import best_time

from numerics.spline.general_loss import fit_loss, fit_loss_dense

#: the dense baseline is timed on at most this many neurons (then scaled: it is linear in n)
DENSE_MAX = 1_000_000


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--data", type=int, default=20)
    p.add_argument("--grid", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--threads", type=int, default=None, help="numba threads (default: all)")
    args = p.parse_args(argv)
    if args.threads:
        numba.set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    v, b = rng.normal(size=args.n), rng.uniform(-2, 2, size=args.n)
    x = np.sort(rng.uniform(-2, 2, size=args.data))
    y = np.sin(2 * x) + 0.3 * rng.standard_t(2, size=args.data)  # heavy-tailed noise: Huber's case
    labels = np.where(np.sin(3 * x) + 0.3 * rng.normal(size=args.data) > 0, 1.0, -1.0)
    grid = np.linspace(-2.5, 2.5, args.grid)
    nd = min(args.n, DENSE_MAX)
    print(f"loss fit + eval, n = {args.n:,}, N = {args.data}, grid = {args.grid}, "
          f"numba threads = {numba.get_num_threads()}")
    for loss, t, delta in (("huber", y, 0.3), ("logistic", labels, 1.0)):
        lam = lambda n: 0.02 * n  # noqa: E731  λ̃ = λ n g(0) with λ g(0) = 0.02
        fit_loss(v[:100], b[:100], x, t, lam(100), grid, loss, delta)  # compile (or load the cache)
        fit = fit_loss(v[:nd], b[:nd], x, t, lam(nd), grid, loss, delta)
        _, f_dense, df_dense, _ = fit_loss_dense(v[:nd], b[:nd], x, t, lam(nd), grid, loss, delta)
        agree = max(np.max(np.abs(fit.values - f_dense)), np.max(np.abs(fit.derivative - df_dense)))
        t_numba = best_time(lambda: fit_loss(v, b, x, t, lam(args.n), grid, loss, delta), args.repeat,
                            warmup=False)
        t_dense = best_time(lambda: fit_loss_dense(v[:nd], b[:nd], x, t, lam(nd), grid, loss, delta), 1,
                            warmup=False) * args.n / nd
        scaled = f" (timed at n = {nd:,}, scaled)" if nd < args.n else ""
        print(f"  {loss:8s} numba kink moments + Newton {t_numba * 1e3:9.1f} ms "
              f"({fit.iterations} Newton steps; agree to {agree:.1e})")
        print(f"  {loss:8s} NumPy dense features        {t_dense * 1e3:9.1f} ms   "
              f"numba is {t_dense / t_numba:6.1f}x faster{scaled}")


if __name__ == "__main__":
    main()
