"""Ridge fit + evaluation of the randomised shallow ReLU network (Heiss–Teichmann–Wutte) at width
n = 10^6, N = 20 data points, 2000 grid points: the numba kink-moment kernel against plain NumPy
implementations of the same maths, and the kernel's achieved memory bandwidth against a large-array copy.

Baselines (float64, the same draws, results checked to agree):

- **NumPy, dense features** — the textbook fit: the N × n feature matrix, ``K̂ = ΦΦᵀ/n`` by BLAS, the dual
  solve, ``w = Φᵀα/n``, then ``N_w`` and ``N_w'`` on the grid in chunks of neurons (a grid × chunk matrix).
- **NumPy, kink moments** — the same algorithm as the kernel, vectorised: ``searchsorted`` of the kinks
  among the points and ``bincount`` of the moments.

Bandwidth: the kernel reads ``v`` and ``b`` once (16 bytes a neuron); a copy of a 512 MiB array reads and
writes every byte. The ratio says how close the fit is to the memory-bound floor.

    python benchmarks/bench_spline.py [--n 1000000] [--data 20] [--grid 2000] [--repeat 5] [--threads T]
"""

from __future__ import annotations

import argparse

import numba
import numpy as np
from _timing import best_time

from numerics.spline.random_features import fit_ridge, fit_ridge_dense


#: the dense baseline (N × n features, grid × chunk matrices) is timed on at most this many neurons
DENSE_MAX = 1_000_000


def fit_ridge_numpy_moments(v, b, x, y, lam_tilde, grid):
    """The kink-moment algorithm in vectorised NumPy (no numba)."""
    pts, inv = np.unique(np.concatenate([x, grid]), return_inverse=True)
    m, n = pts.size, v.size
    xi = -b / v
    pos, neg = v > 0, v < 0
    jp = np.searchsorted(pts, xi[pos], side="right")
    jn = np.searchsorted(pts, xi[neg], side="left")
    mom = np.empty((6, m))
    for r, w in enumerate((v * v, v * b, b * b)):
        mom[r] = np.cumsum(np.bincount(jp, w[pos], minlength=m + 1))[:m] / n
        mom[3 + r] = np.cumsum(np.bincount(jn, w[neg], minlength=m + 1)[::-1])[::-1][1:] / n
    ix, ig = inv[: x.size], inv[x.size:]

    def kern(rows, order):
        lo = np.minimum(rows[:, None], ix[None, :])
        hi = np.maximum(rows[:, None], ix[None, :])
        X, Xp = pts[rows][:, None], pts[ix][None, :]
        a, bb = mom[0][lo] + mom[3][hi], mom[1][lo] + mom[4][hi]
        if order == 0:
            return X * Xp * a + (X + Xp) * bb + mom[2][lo] + mom[5][hi]
        return Xp * a + bb

    K = kern(ix, 0)
    alpha = np.linalg.solve(K + (lam_tilde / n) * np.eye(x.size), y)
    return alpha, kern(ig, 0) @ alpha, kern(ig, 1) @ alpha


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
    y = np.sin(2 * x) + 0.1 * rng.normal(size=args.data)
    grid = np.linspace(-2.5, 2.5, args.grid)
    lam_tilde = 0.05 * args.n

    fit_ridge(v[:100], b[:100], x, y, lam_tilde, grid)  # compile (or load the cache)
    fit = fit_ridge(v, b, x, y, lam_tilde, grid)
    _, f_moments, df_moments = fit_ridge_numpy_moments(v, b, x, y, lam_tilde, grid)
    # the dense baseline is linear in n: above DENSE_MAX neurons it is timed on a prefix and scaled
    nd = min(args.n, DENSE_MAX)
    fit_d = fit_ridge(v[:nd], b[:nd], x, y, 0.05 * nd, grid)
    _, f_dense, df_dense, _ = fit_ridge_dense(v[:nd], b[:nd], x, y, 0.05 * nd, grid)
    agree = max(np.max(np.abs(fit_d.values - f_dense)), np.max(np.abs(fit_d.derivative - df_dense)),
                np.max(np.abs(fit.values - f_moments)))

    # no warm-up calls: every function below has just run once (the agreement check), and one dense fit
    # is already expensive
    t_numba = best_time(lambda: fit_ridge(v, b, x, y, lam_tilde, grid), args.repeat, warmup=False)
    t_moments = best_time(lambda: fit_ridge_numpy_moments(v, b, x, y, lam_tilde, grid), max(1, args.repeat // 2),
                          warmup=False)
    t_dense = best_time(lambda: fit_ridge_dense(v[:nd], b[:nd], x, y, 0.05 * nd, grid), 1, warmup=False)
    t_dense *= args.n / nd

    src = np.ones(1 << 26)  # 512 MiB: far beyond any cache
    big = np.empty_like(src)
    t_copy = best_time(lambda: np.copyto(big, src), args.repeat, warmup=False)
    bw_copy = 2 * src.nbytes / t_copy
    bw_kernel = (v.nbytes + b.nbytes) / t_numba

    print(f"ridge fit + eval, n = {args.n:,}, N = {args.data}, grid = {args.grid}, "
          f"numba threads = {numba.get_num_threads()} (results agree to {agree:.1e})")
    print(f"  numba kink moments     {t_numba * 1e3:9.1f} ms")
    print(f"  NumPy kink moments     {t_moments * 1e3:9.1f} ms   numba is {t_moments / t_numba:6.1f}x faster")
    scaled = f" (timed at n = {nd:,}, scaled)" if nd < args.n else ""
    print(f"  NumPy dense features   {t_dense * 1e3:9.1f} ms   numba is {t_dense / t_numba:6.1f}x faster{scaled}")
    print(f"  bandwidth: kernel reads {bw_kernel / 1e9:.2f} GB/s of v, b; a copy moves {bw_copy / 1e9:.2f} GB/s "
          f"(kernel at {bw_kernel / bw_copy:.0%} of the copy's rate)")


if __name__ == "__main__":
    main()
