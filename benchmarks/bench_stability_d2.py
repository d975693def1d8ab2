"""The d = 2 family of the inverse-stability paper: the W^{1,∞}([−1, 1]²) norm of a 2-D shallow ReLU
realization from the vertices of its arrangement of kink lines and the sectors around them —
the numba kernel (:func:`numerics.stability.d2.w1inf_2d`, parallel over vertices) against a direct NumPy
implementation of the same enumeration (``direct_w1inf`` below: a Python loop over vertices, NumPy sums over
neurons; equal accuracy: both are checked to agree to 1e-12) and against the exact rational bracket
(:func:`theory.stability.d2.w1inf_bracket`, the certificate the claims decide on). Prints the best time per
call and the ratios to the NumPy baseline.

    python benchmarks/bench_stability_d2.py [--width 24] [--repeat 5]
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from _timing import best_time, print_ratios

from numerics.stability import d2 as nd
from theory.stability import d2 as th


def direct_w1inf(a, b, c, e, lo=(-1.0, -1.0), up=(1.0, 1.0)):
    """``(sup|f|, sup|∇f|₂)`` by the vertex/sector enumeration, in NumPy and Python."""
    V = nd.arrangement_vertices(a, b, lo, up)
    fmax = gmax = 0.0
    diam = 2.0
    nrm = np.hypot(a[:, 0], a[:, 1])
    for v in V:
        z = a @ v + b
        fmax = max(fmax, abs(e + float(c @ np.maximum(z, 0.0))))
        on = np.abs(z) <= 1e-11 * (nrm * diam + np.abs(b) + 1.0)
        t = np.arctan2(a[on, 0], -a[on, 1])
        angs = list(np.concatenate([t, t + math.pi]) % (2 * math.pi))
        for w, hit in enumerate((v[0] == lo[0], v[0] == up[0], v[1] == lo[1], v[1] == up[1])):
            if hit:
                base = 0.5 * math.pi if w < 2 else 0.0
                angs += [base, base + math.pi]
        angs = np.sort(np.array(angs)) if angs else np.array([0.0])
        for q in range(len(angs)):
            t0, t1 = angs[q], angs[q + 1] if q + 1 < len(angs) else angs[0] + 2 * math.pi
            if t1 - t0 < 1e-12:
                continue
            tm = 0.5 * (t0 + t1) if len(angs) > 1 else t0 + 0.5 * math.pi
            p = v + 1e-7 * diam * np.array([math.cos(tm), math.sin(tm)])
            if np.any(p < lo) or np.any(p > up):
                continue
            act = a @ p + b > 0
            g = (c[act, None] * a[act]).sum(axis=0)
            gmax = max(gmax, math.hypot(g[0], g[1]))
    return fmax, gmax


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--width", type=int, default=24)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    rng = np.random.default_rng(0)
    P = th.random_unrestricted_2d(rng, args.width)
    F = P.to_float()
    a, b, c, e = F.a, F.b, F.c, float(F.e)
    ref = direct_w1inf(a, b, c, e)
    got = nd.w1inf_2d(a, b, c, e)
    assert abs(ref[0] - got[0]) <= 1e-12 * (1 + ref[0]) and abs(ref[1] - got[1]) <= 1e-12 * (1 + ref[1])
    exact = th.w1inf_bracket(P)
    assert abs(float(exact.sup_abs) - got[0]) <= 1e-12 * (1 + got[0])
    times = {"numpy-direct": best_time(lambda: direct_w1inf(a, b, c, e), args.repeat),
             "numba": best_time(lambda: nd.w1inf_2d(a, b, c, e), args.repeat),
             "exact-rational": best_time(lambda: th.w1inf_bracket(P), max(1, args.repeat // 2))}
    print(f"W^(1,inf)([-1,1]^2) of a width-{args.width} 2-D net ({len(nd.arrangement_vertices(a, b))} vertices)")
    print_ratios(times, "numpy-direct")
    print(f"numba speed-up over numpy-direct: {times['numpy-direct'] / times['numba']:.0f}x")


if __name__ == "__main__":
    main()
