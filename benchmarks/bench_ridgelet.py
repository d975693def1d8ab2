"""Ridgelet spectra and two-layer training (Sonoda–Ishikawa–Ikeda): speed ratios in one run.

1. Spectrum on a 512 × 512 ``(a, b)`` grid from 4096 samples of ``f = 1 − x²`` on ``[−1, 1]``, ``ρ = G''``,
   ``(a, b) ∈ [−30, 30]²``: the direct numba sum against NumPy broadcasting (the same sum, one ``a`` row at a
   time; timed on ``--numpy-rows`` rows and scaled to 512, rows being independent and of equal cost), and
   the fast path (chirp-z in x, FFT in b) against the direct sum. "Equal accuracy": both are compared with
   the closed form (30-digit mpmath) at 256 grid points, and with each other.
2. One SGD epoch of ``g = Σ_j c_j σ(a_j x − b_j)``, ``σ = G′``, width 10⁴, batch 32, 1024 data points,
   all parameters trained with the ridge penalty: the numba kernel against PyTorch CPU autograd
   (``torch.optim.SGD``, float64, same batches and learning rate), after checking that one epoch gives
   the same parameters. PyTorch is optional: "skipped: torch not installed" otherwise.

Threads: numba's count (``--threads`` sets it); PyTorch is given the same count and the FFTs of the fast
path use the same number of workers.

    python benchmarks/bench_ridgelet.py [--threads T] [--repeat 3] [--numpy-rows 64]
"""

from __future__ import annotations

import argparse
import math

import mpmath as mp
import numba
import numpy as np
import sympy as sp
from _timing import median_time

from numerics.ridgelet import spectrum as rs
from numerics.ridgelet import two_layer as tl
from theory.ridgelet import transform as th
from theory.ridgelet.activations import gaussian_derivative


def bench_spectrum(args) -> None:
    n, na, nb = 4096, 512, 512
    x = np.linspace(-1.0, 1.0, n)
    samples = rs.Samples.from_grid(x, 1.0 - x * x)
    a = np.linspace(-30.0, 30.0, na)
    b = np.linspace(-30.0, 30.0, nb)
    rho = ("gaussian_derivative", 2)
    print(f"spectrum: {na} x {nb} grid, {n} samples, rho = G'', numba threads {numba.get_num_threads()}")

    direct = rs.spectrum_direct(samples, a, b, rho)
    fast = rs.spectrum_fast(samples, a, b, rho)
    rows = slice(0, args.numpy_rows)
    ref_rows = rs.spectrum_numpy(samples, a[rows], b, rho)
    scale = float(np.max(np.abs(direct)))
    print(f"  max |direct - numpy| / max|R| = {np.max(np.abs(direct[rows] - ref_rows)) / scale:.1e}, "
          f"max |fast - direct| / max|R| = {np.max(np.abs(fast - direct)) / scale:.1e}")
    # accuracy against the closed form at 256 grid points (30-digit mpmath)
    xs = sp.Symbol("x", real=True)
    f = sp.Lambda(xs, sp.Piecewise((1 - xs**2, (xs >= -1) & (xs <= 1)), (0, True)))
    R = th.ridgelet_transform(f, gaussian_derivative(2), 1)
    fn = sp.lambdify(R.variables, R.expr, modules="mpmath")
    pick = np.random.default_rng(0).integers(0, na * nb, 256)
    with mp.workdps(30):
        exact = np.array([float(fn(mp.mpf(a[k // nb]), mp.mpf(b[k % nb]))) for k in pick])
    err_d = np.max(np.abs(direct.ravel()[pick] - exact)) / scale
    err_f = np.max(np.abs(fast.ravel()[pick] - exact)) / scale
    print(f"  error against the closed form (256 points, relative to max|R|): direct {err_d:.2e}, fast {err_f:.2e}")

    t_direct = median_time(lambda: rs.spectrum_direct(samples, a, b, rho), args.repeat)
    t_fast = median_time(lambda: rs.spectrum_fast(samples, a, b, rho), args.repeat)
    t_rows = median_time(lambda: rs.spectrum_numpy(samples, a[rows], b, rho), 1)
    t_numpy = t_rows * na / args.numpy_rows
    print(f"  numpy broadcasting : {t_numpy:8.3f} s  (timed on {args.numpy_rows} rows, scaled to {na})")
    print(f"  direct (numba)     : {t_direct:8.3f} s")
    print(f"  fast (chirp-z/FFT) : {t_fast:8.3f} s")
    print(f"  ratio numpy / direct = {t_numpy / t_direct:6.1f}x   (goal >= 10x)")
    print(f"  ratio direct / fast  = {t_direct / t_fast:6.1f}x   (goal >= 10x, at equal accuracy)")


def bench_sgd(args) -> None:
    p, batch, n = 10_000, 32, 1024
    rng = np.random.default_rng(1)
    x = np.linspace(-3.0, 3.0, n)
    w = np.full(n, 6.0 / n)
    y = np.exp(-0.5 * x * x)
    a0, b0, c0 = rng.uniform(-2, 2, p), rng.uniform(-8, 8, p), 1e-3 * rng.standard_normal(p)
    V, beta = 4 * 16.0, 1.0
    lam = beta * p / V
    lr = (V / p) / (2 * (2 * math.pi + beta))
    batches = tl.reshuffled_batches(rng, n, batch, 1)
    sigma = ("gaussian_derivative", 1)
    threads = numba.get_num_threads()
    print(f"SGD epoch: width {p}, batch {batch}, {n} data points ({batches.shape[0]} steps), sigma = G', "
          f"float64, {threads} thread(s) for numba and torch")

    def run_numba():
        return tl.train_sgd(x, w, y, a0, b0, c0, sigma, batches, lr, lr, lam, 0.0)

    t_numba = median_time(run_numba, args.repeat)
    print(f"  numba              : {t_numba:8.4f} s / epoch")
    try:
        import torch
    except ImportError:
        print("  torch: skipped: torch not installed")
        return
    torch.set_num_threads(threads)
    X, W, Y = (torch.tensor(v) for v in (x, w, y))
    idx = torch.tensor(batches)

    def run_torch():
        a = torch.tensor(a0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        c = torch.tensor(c0, requires_grad=True)
        opt = torch.optim.SGD([a, b, c], lr=lr)
        for t in range(idx.shape[0]):
            i = idx[t]
            z = X[i, None] * a[None, :] - b[None, :]
            g = (-z * torch.exp(-0.5 * z * z)) @ c
            loss = (n / batch) * (W[i] * (Y[i] - g) ** 2).sum() + lam * (c * c).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        return a.detach().numpy(), b.detach().numpy(), c.detach().numpy()

    res = run_numba()
    ta, tb, tc = run_torch()
    diff = max(np.max(np.abs(res.a - ta)), np.max(np.abs(res.b - tb)), np.max(np.abs(res.c - tc)) / np.max(np.abs(tc)))
    print(f"  after one epoch: max |numba - torch| = {diff:.1e} (a, b absolute; c relative)")
    t_torch = median_time(run_torch, args.repeat)
    print(f"  torch (autograd)   : {t_torch:8.4f} s / epoch")
    print(f"  ratio torch / numba = {t_torch / t_numba:6.1f}x   (goal >= 2x)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="threads for numba, torch and the FFTs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--numpy-rows", type=int, default=64, help="a-rows timed for the NumPy baseline")
    args = ap.parse_args(argv)
    if args.threads is not None:
        numba.set_num_threads(args.threads)
    if not 1 <= args.numpy_rows <= 512:
        ap.error("--numpy-rows: expected 1 … 512")
    bench_spectrum(args)
    bench_sgd(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
