"""Ridgelet spectrum in m = 2: the Radon route against the direct 2-D sum, at equal accuracy.

Target ``f = e^{−(x₁² + x₂²/0.75²)/2}``, ``ρ = G''``, the grid ``a = s u_θ`` with ``θ`` on 16 directions of
``[0, π)``, ``s ∈ ±[0.25, 4]`` (16 values) and ``b ∈ [−8, 8]`` (65 values): 16 640 spectrum values. The
closed form (:func:`theory.ridgelet.md.gaussian_target_spectrum_numpy`) is the reference.

- Baseline: the direct 2-D trapezoid sum ``Σ_n h² f(x_n) ρ(a·x_n − b)`` on a Cartesian ``N × N`` grid of
  ``[−9, 9]²`` (numba, :func:`numerics.ridgelet.radon.spectrum_direct_2d`).
- Fast path: :func:`numerics.ridgelet.radon.spectrum_radon` — per direction the projection by Gauss–Legendre on
  the chords of the disc of radius 9, then the 1-D chirp-z/FFT spectrum.

"Equal accuracy": for each path the coarsest resolution (from a fixed list) whose maximum error against the
closed form is below ``--tol`` (default 1e-10) is chosen, then timed (median of ``--repeat`` calls). The
ratio is printed.

    python benchmarks/bench_ridgelet_md.py [--threads T] [--repeat 3] [--tol 1e-10]
"""

from __future__ import annotations

import argparse
import math
import time

import numba
import numpy as np
from _timing import median_time

from numerics.ridgelet import radon as rd
from theory.ridgelet import md

SCALES = (1.0, 0.75)
RHO = ("gaussian_derivative", 2)


def f(x1, x2):
    return md.gaussian_target_numpy(x1, x2, SCALES)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tol", type=float, default=1e-10)
    args = ap.parse_args(argv)
    if args.threads:
        numba.set_num_threads(args.threads)
    theta = np.arange(16) * math.pi / 16
    s = np.array([w * v for v in np.linspace(0.25, 4.0, 8) for w in (1, -1)])
    b = np.linspace(-8.0, 8.0, 65)
    A = np.array([[si * math.cos(t), si * math.sin(t)] for t in theta for si in s])
    exact = md.gaussian_target_spectrum_numpy(A[:, 0, None], A[:, 1, None], b[None, :], 2, SCALES)
    print(f"m = 2 spectrum: {theta.size} directions × {s.size} s × {b.size} b = {A.shape[0] * b.size} values; "
          f"numba threads {numba.get_num_threads()}; accuracy goal max error ≤ {args.tol:g}")

    def direct(N):
        g = np.linspace(-9.0, 9.0, N)
        X1, X2 = np.meshgrid(g, g, indexing="ij")
        X = np.column_stack([X1.ravel(), X2.ravel()])
        w = (g[1] - g[0]) ** 2 * f(X1, X2).ravel()
        return lambda: rd.spectrum_direct_2d(X, w, A, b, RHO)

    def fast(n, nodes):
        return lambda: rd.spectrum_radon(f, theta, s, b, RHO, 9.0, n, nodes).reshape(-1, b.size)

    rows = []
    for name, candidates in (("direct 2-D sum", [(direct(N), f"N = {N}") for N in (65, 81, 97, 113, 129)]),
                             ("Radon route", [(fast(n, q), f"t intervals {n}, chord nodes {q}")
                                              for n, q in ((48, 32), (64, 48), (96, 64), (128, 64), (192, 96))])):
        for fn, label in candidates:
            t0 = time.perf_counter()
            err = float(np.max(np.abs(fn() - exact)))
            first = time.perf_counter() - t0
            print(f"  {name:15s} {label:32s} max error {err:.2e}  (first call {first:.2f} s)")
            if err <= args.tol:
                rows.append((name, label, err, median_time(fn, args.repeat, warmup=False)))
                break
        else:
            print(f"  {name}: no resolution in the list reaches {args.tol:g}")
            return 1
    for name, label, err, t in rows:
        print(f"{name:15s} {label:32s} error {err:.2e}  median {t:.3f} s")
    ratio = rows[0][3] / rows[1][3]
    print(f"ratio direct / Radon route at equal accuracy: {ratio:.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
