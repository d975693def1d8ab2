"""One gradient-descent step of the linearly parametrised ResNet (Barboni–Peyré–Vialard) at depth 50,
512 random Fourier features, 512 samples, state dimension 2: numba kernel vs the NumPy reference vs
PyTorch CPU autograd (if importable), float64 throughout. Prints the best time per step and the ratios.

Roofline: a step must evaluate ``N·L·q`` cosines (forward) and as many sines (backward) besides its
``≈ (10d + 4) N L q`` multiply-adds. The script times that transcendental floor alone (the same angles,
the same threads; with the kernel's vectorised sin/cos and with libm's) and the step's arithmetic rate
against a BLAS matrix product, so one can see whether the kernel is bound by its work or by overhead.

    python benchmarks/bench_pl.py [--depth 50] [--q 512] [--n 512] [--d 2] [--repeat 7] [--threads T]
"""

from __future__ import annotations

import argparse
import math
import sys

import numba
import numpy as np
from _timing import best_time, print_ratios
from numba import njit, prange

from numerics.pl import resnet as rn
from numerics.common.parallel import threads_for


@njit(parallel=True)
def _trig_floor(X, OmT, u, tb, L, out):
    """The kernel's feature evaluation alone: cos and sin of every angle ⟨ω_j, x_i⟩ + u_j, L times per
    sample, through the kernel's own routine (vectorised sin/cos below its angle bound, libm above)."""
    N, d = X.shape
    q = OmT.shape[1]
    c = math.sqrt(2.0 / q)
    for i in prange(N):
        cs = np.empty(q)
        sn = np.empty(q)
        acc = 0.0
        for k in range(L):
            rn._trig(X[i], OmT, u, c, True, tb, cs, sn)
            acc += cs[k % q] + sn[k % q]
        out[i] = acc


@njit(parallel=True)
def _libm_floor(X, Omega, u, L, out):
    """The same angles through libm's sin and cos (what the kernel would spend without its routine)."""
    N, d = X.shape
    q = Omega.shape[0]
    for i in prange(N):
        acc = 0.0
        for k in range(L):
            for j in range(q):
                th = u[j]
                for a in range(d):
                    th += Omega[j, a] * X[i, a]
                acc += math.sin(th) + math.cos(th)
        out[i] = acc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=50)
    ap.add_argument("--q", type=int, default=512)
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--d", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--threads", type=int, default=None, help="threads for numba and torch (default: numba's)")
    args = ap.parse_args(argv)
    if args.threads is not None:
        numba.set_num_threads(args.threads)
    L, q, N, d = args.depth, args.q, args.n, args.d

    rng = np.random.default_rng(0)
    rff = rn.RFF(rng.standard_normal((q, d)), rng.uniform(0, 2 * math.pi, q))
    X0 = rng.uniform(-2, 2, (N, d))
    Y = X0 + 0.1 * rng.standard_normal((N, d))
    W0 = 0.1 * rng.standard_normal((L + 1, d, q))
    eta = 0.5 * rn.stability_limit(X0, rff)
    print(f"GD step: depth {L}, q {q}, N {N}, d {d}, float64; numba threads {numba.get_num_threads()} "
          f"({numba.config.THREADING_LAYER} layer)")

    def step_numba():
        ps = rn.resnet_pass(X0, Y, W0, rff)
        return W0 - (eta * L) * ps.grad

    def step_numpy():
        _, G, _ = rn.resnet_pass_numpy(X0, Y, W0, rff)
        return W0 - (eta * L) * G

    # agreement first
    a, b = step_numba(), step_numpy()
    print(f"max |numba - numpy| after one step: {np.abs(a - b).max():.2e}")

    results = {"numba": best_time(step_numba, args.repeat), "numpy": best_time(step_numpy, args.repeat)}

    try:
        import torch
    except ImportError:
        print("torch: not importable, skipped (pip install torch into the venv to compare)")
    else:
        torch.set_num_threads(numba.get_num_threads())
        Om = torch.tensor(rff.omega)
        u = torch.tensor(rff.u)
        Xt, Yt = torch.tensor(X0), torch.tensor(Y)
        c = math.sqrt(2.0 / q)

        def step_torch():
            W = torch.tensor(W0, requires_grad=True)
            X = Xt
            for k in range(L):
                X = X + (1.0 / L) * (c * torch.cos(X @ Om.T + u)) @ W[k].T
            loss = 0.5 * ((X - Yt) ** 2).sum()
            loss.backward()
            with torch.no_grad():
                return (W - (eta * L) * W.grad).numpy()

        t = step_torch()
        print(f"max |numba - torch| after one step: {np.abs(a - t).max():.2e}; torch {torch.__version__}, "
              f"{torch.get_num_threads()} threads")
        results["torch"] = best_time(step_torch, args.repeat)

    print_ratios(results, "numba", ms_digits=2)
    base = results["numba"]

    # roofline: the transcendental floor and the arithmetic rate against BLAS
    buf = np.empty(N)
    with threads_for(N * L * q, rn.SERIAL_WORK):  # the kernel's own policy: small passes run on one thread
        floor = best_time(lambda: _trig_floor(X0, rff.omega_t, rff.u, rff.theta_bound, L, buf), args.repeat)
        libm = best_time(lambda: _libm_floor(X0, rff.omega, rff.u, L, buf), args.repeat)
    flops = (10 * d + 4) * N * L * q
    A, Bm = rng.standard_normal((N, q)), rng.standard_normal((q, q))
    gemm = best_time(lambda: A @ Bm, args.repeat)
    print(f"transcendental floor ({N * L * q:.3g} sin + cos): {1e3 * floor:.2f} ms with the kernel's vectorised "
          f"routine ({1e3 * libm:.2f} ms with libm); the numba step takes {base / floor:.2f}x the floor")
    print(f"arithmetic: {flops / base / 1e9:.2f} GFLOP/s in the numba step (trig excluded) vs "
          f"{2 * N * q * q / gemm / 1e9:.1f} GFLOP/s for a ({N}x{q})@({q}x{q}) BLAS product")
    return 0


if __name__ == "__main__":
    sys.exit(main())
