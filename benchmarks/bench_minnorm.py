"""Full-batch gradient descent with weight decay on a shallow ReLU network in 1-D (Park–Pelakh–Wojtowytsch):
width 10⁴, 10³ data points, float64 — the numba kernel vs the NumPy reference vs PyTorch CPU autograd (if
importable), ratios in one run. Prints the best time per step and the ratios to numba.

Roofline: a step touches every (neuron, point) pair twice — the forward sum and the backward sums — with a
compare-and-branch and ≈ 4 (forward) + 6 (backward) floating-point operations per pair, and no ``n × m``
temporary. The script times the forward pass alone (one sweep over the pairs, the same threads) and a BLAS
``(n × m)·m`` product (what a dense formulation would stream from memory), so one can see whether the kernel
is bound by its work or by overhead.

    python benchmarks/bench_minnorm.py [--width 10000] [--n 1000] [--steps 20] [--repeat 5] [--threads T]
"""

from __future__ import annotations

import argparse
import sys

import numba
import numpy as np
from _timing import best_time, print_ratios

from numerics.minnorm import shallow_relu as sr


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=int, default=10_000)
    ap.add_argument("--n", type=int, default=1_000)
    ap.add_argument("--steps", type=int, default=20, help="GD steps per timed call")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=None, help="threads for numba and torch (default: numba's)")
    args = ap.parse_args(argv)
    if min(args.width, args.n, args.steps, args.repeat) < 1:
        ap.error("--width, --n, --steps and --repeat must be positive")
    if args.threads is not None:
        numba.set_num_threads(args.threads)
    m, n, S = args.width, args.n, args.steps
    lr, lam = 2.0 / args.width, 1e-3  # the tangent kernel of PyTorch's initialisation grows like the width

    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-2, 2, n))
    y = np.sin(3 * x)
    net = sr.init_from_block(sr.init_block(rng, m))
    work = n * m
    print(f"full-batch GD with weight decay: width {m}, {n} points, {S} steps per call, float64; numba threads "
          f"{numba.get_num_threads()} ({numba.config.THREADING_LAYER} layer; "
          f"{'parallel' if work >= sr.SERIAL_WORK else 'serial'} kernel)")

    def run_numba():
        return sr.train(x, y, net, "gd", lr=lr, steps=S, lam=lam, bias="penalized", record=S + 1).net

    def run_numpy():
        return sr.train_numpy(x, y, net, "gd", lr=lr, steps=S, lam=lam, bias="penalized")

    a, b = run_numba(), run_numpy()
    print(f"max |numba - numpy| after {S} steps: {max(np.abs(a.c - b.c).max(), np.abs(a.a - b.a).max()):.2e}")
    results = {"numba": best_time(run_numba, args.repeat) / S, "numpy": best_time(run_numpy, args.repeat) / S}

    try:
        import torch
    except ImportError:
        print("torch: not importable, skipped (pip install torch into the venv to compare)")
    else:
        torch.set_num_threads(numba.get_num_threads())
        xt, yt = torch.tensor(x), torch.tensor(y)

        def run_torch():
            a_ = torch.tensor(net.a, requires_grad=True)
            b_ = torch.tensor(net.b, requires_grad=True)
            c_ = torch.tensor(net.c, requires_grad=True)
            d_ = torch.tensor(net.d, requires_grad=True)
            opt = torch.optim.SGD([{"params": [a_, b_, c_], "weight_decay": lam}, {"params": [d_]}], lr=lr)
            for _ in range(S):
                opt.zero_grad()
                f = torch.relu(xt[:, None] * a_ + b_) @ c_ + d_
                loss = 0.5 * ((f - yt) ** 2).mean()
                loss.backward()
                opt.step()
            return c_.detach().numpy(), a_.detach().numpy()

        tc, ta = run_torch()
        print(f"max |numba - torch| after {S} steps: {max(np.abs(a.c - tc).max(), np.abs(a.a - ta).max()):.2e}; "
              f"torch {torch.__version__}, {torch.get_num_threads()} threads")
        results["torch"] = best_time(run_torch, args.repeat) / S

    print_ratios(results, "numba", ms_digits=3)
    base = results["numba"]

    # roofline: the forward sweep alone, and a dense BLAS product of the same shape
    f_out, df_out = np.empty(n), np.empty(n)
    kernel = sr._eval_kernel if work >= sr.SERIAL_WORK else sr._eval_kernel_serial
    fwd = best_time(lambda: kernel(x, net.a, net.b, net.c, net.head, f_out, df_out), args.repeat)
    H = np.maximum(np.outer(x, net.a) + net.b, 0.0)
    gemv = best_time(lambda: H @ net.c, args.repeat)
    pairs = n * m
    print(f"forward sweep (value and slope, {pairs:.3g} pairs): {1e3 * fwd:.3f} ms, {pairs / fwd / 1e9:.2f} G pairs/s; "
          f"a GD step costs {base / fwd:.2f} sweeps (2 is the pair-count floor: forward + backward)")
    print(f"dense alternative: the {n}x{m} activation matrix alone is {8 * pairs / 2**20:.0f} MiB; one BLAS "
          f"product with it takes {1e3 * gemv:.3f} ms ({8 * pairs / gemv / 1e9:.1f} GB/s streamed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
