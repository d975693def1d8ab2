"""Gradient descent in the Gaussian-RKHS ResNet (the non-parametric case of Barboni–Peyré–Vialard, claims
``pl.kernel.*``): the numba kernel :func:`numerics.pl.kernel.kernel_gradient_descent` against a vectorised
NumPy implementation of the same representer-form recursion (matrix products over the centres, float64, the
same iterates to round-off, checked before timing). Also the prefix feature Grams
(:func:`numerics.pl.kernel.rff_prefix_grams`) against NumPy (features, then one product per prefix).
Prints the best time per call and the ratios (the NumPy baseline named ``numpy``).

    python benchmarks/bench_pl_kernel.py [--n 8] [--depth 8] [--steps 40] [--q 8192] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np
from _timing import best_time, print_ratios

from numerics.pl import kernel as nk


def numpy_kernel_gd(X0, Y, sigma, depth, eta, steps):
    """The recursion of :mod:`numerics.pl.kernel` with NumPy array operations; returns (losses, outputs)."""
    N, d = X0.shape
    L, h = depth, 1.0 / depth
    s2 = sigma * sigma
    C = np.zeros((L, 0, d))
    A = np.zeros((L, 0, d))
    losses, outs = [], []
    for t in range(steps + 1):
        XS = np.empty((L + 1, N, d))
        XS[0] = X0
        KX = []
        for k in range(L):
            D2 = np.sum((XS[k][:, None, :] - C[k][None, :, :]) ** 2, axis=-1)
            Kx = np.exp(-D2 / (2 * s2))
            KX.append(Kx)
            XS[k + 1] = XS[k] + h * Kx @ A[k]
        P = np.empty((L + 1, N, d))
        P[L] = Y - XS[L]
        for k in range(L - 1, -1, -1):
            w = (P[k + 1] @ A[k].T) * KX[k]  # (N, nc): (a_c · p_i) k(x_i, c)
            P[k] = P[k + 1] - h * (w.sum(axis=1)[:, None] * XS[k] - w @ C[k]) / s2
        losses.append(0.5 * float(np.sum(P[L] ** 2)))
        outs.append(XS[L].copy())
        if t == steps:
            break
        C = np.concatenate([C, XS[:L]], axis=1)
        A = np.concatenate([A, eta * P[1:]], axis=1)
    return np.array(losses), np.array(outs)


def numpy_prefix_grams(X, omega, u, counts):
    F = np.cos(X @ omega[: counts[-1]].T + u[: counts[-1]])
    out, S, lo = [], np.zeros((X.shape[0], X.shape[0])), 0
    for q in counts:
        S = S + F[:, lo:q] @ F[:, lo:q].T
        lo = q
        out.append(2.0 / q * S)
    return np.array(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=8)
    p.add_argument("--depth", type=int, default=8)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--q", type=int, default=8192)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    rng = np.random.default_rng(0)
    X0 = rng.uniform(-3, 3, (args.n, 2))
    Y = X0 + 0.05 * rng.standard_normal(X0.shape)
    eta = 0.5
    res = nk.kernel_gradient_descent(X0, Y, 1.0, args.depth, eta, args.steps)
    ref_loss, ref_out = numpy_kernel_gd(X0, Y, 1.0, args.depth, eta, args.steps)
    err = max(float(np.max(np.abs(res.loss - ref_loss) / ref_loss)), float(np.max(np.abs(res.outputs - ref_out))))
    print(f"kernel GD, N = {args.n}, depth {args.depth}, {args.steps} steps: max difference numba vs numpy {err:.2e}")
    times = {"numpy": best_time(lambda: numpy_kernel_gd(X0, Y, 1.0, args.depth, eta, args.steps), args.repeat),
             "numba": best_time(lambda: nk.kernel_gradient_descent(X0, Y, 1.0, args.depth, eta, args.steps),
                                args.repeat)}
    print_ratios(times, "numpy", ms_digits=2)

    om, u = rng.standard_normal((args.q, 2)), rng.uniform(0, 2 * math.pi, args.q)
    counts = np.array([2**k for k in range(8, int(math.log2(args.q)) + 1)])
    a, b = nk.rff_prefix_grams(X0, om, u, counts), numpy_prefix_grams(X0, om, u, counts)
    print(f"\nprefix feature Grams, q up to {args.q}: max difference {np.abs(a - b).max():.2e}")
    times = {"numpy": best_time(lambda: numpy_prefix_grams(X0, om, u, counts), args.repeat),
             "numba": best_time(lambda: nk.rff_prefix_grams(X0, om, u, counts), args.repeat)}
    print_ratios(times, "numpy", ms_digits=3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
