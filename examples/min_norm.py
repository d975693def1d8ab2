"""Minimum-norm interpolation by shallow ReLU networks (Park, Pelakh & Wojtowytsch, NeurIPS 2023).

Writes four PNGs into ``--out`` (default ``figures/``):

- ``min_norm_regions.png``: minimum-norm interpolants between known regions (thick: where ``f`` is known)
  — a ramp between two flat regions, a plateau between three, curved regions ``f = x²`` on both sides of a
  gap, and a bump (``f = 0`` outside ``[−1, 1]``, ``f(0) = 1``) — for the free-bias cost
  ``max(∫|f''|, |f'(−∞) + f'(+∞)|)`` (exact LP, certified) and the penalized-bias cost
  ``∫√(1+x²)|f''|`` (column generation, certified bracket), with their values in the legend;
- ``min_norm_implicit_bias.png``: the set of free-bias minimum-norm interpolants of four points (shaded:
  Hanin's envelopes on the free interval), its piecewise-linear and sparsest members, and networks trained by
  GD and Adam from PyTorch's default initialisation and from a small one (``minnorm.implicit_bias``);
- ``min_norm_schedule.png``: ERM fits on ``n`` samples of the ramp regions with the prescribed ``λ_{n,m}``
  against a fixed ``λ``, and the norm gap against ``n`` with the predicted ``4√2·√λ_{n,m}``
  (``minnorm.schedule``);
- ``min_norm_cost.png``: path norm of GD-trained networks against the weight decay ``λ``, with the exact
  linear response ``R* − 180λ`` (``minnorm.cost``).

    python examples/min_norm.py [--out figures] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import pathlib
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402

from numerics.minnorm import shallow_relu as sr  # noqa: E402
from proofs_check.claims import minnorm as mn  # noqa: E402
from proofs_check.crn import claim_seed, prefix_draw  # noqa: E402
from theory.minnorm import erm as erm  # noqa: E402
from theory.minnorm import lp as lp  # noqa: E402
from theory.minnorm.cost import X, Piecewise1D  # noqa: E402

F = Fraction


def _plot_piecewise(ax, f: Piecewise1D, lo: float, hi: float, **kw) -> None:
    xs = np.linspace(lo, hi, 801)
    fx = sp.lambdify(X, f.to_sympy(), "numpy")
    ax.plot(xs, np.broadcast_to(fx(xs), xs.shape), **kw)


def regions_figure(out: pathlib.Path) -> None:
    cases = [
        ("ramp between flat regions", [(-5, -1, 0), (1, 5, 1)], [], [], (-5, 5)),
        ("plateau", [(-3, -1, 0), (F(-1, 4), F(1, 4), 1), (1, 3, 0)], [], [], (-3, 3)),
        ("curved regions f = x²", [(-2, -1, X**2), (1, 2, X**2)], [], [], (-2.5, 2.5)),
        ("bump: f = 0 off (−1, 1), f(0) = 1", [(-3, -1, 0), (1, 3, 0)], [0], [1], (-3, 3)),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for ax, (title, regs, px, py, (lo, hi)) in zip(axes.ravel(), cases):
        free = lp.min_norm_interpolant(px, py, regs, bias="free")
        pen = lp.min_norm_interpolant(px, py, regs, bias="penalized")
        _plot_piecewise(ax, free.interpolant, lo, hi, color="C0", lw=2, label=f"free bias, R* = {free.value}")
        _plot_piecewise(ax, pen.interpolant, lo, hi, color="C3", lw=1.4, ls="--",
                        label=f"penalized bias, R* ∈ [{float(pen.lower):.4f}, {float(pen.upper):.4f}]")
        for a, b, g in regs:
            xs = np.linspace(float(a), float(b), 100)
            gf = sp.lambdify(X, sp.sympify(g) if not isinstance(g, Piecewise1D) else g.to_sympy(), "numpy")
            ax.plot(xs, np.broadcast_to(gf(xs), xs.shape), color="k", lw=5, alpha=0.35,
                    label="known region" if a == regs[0][0] else None)
        if px:
            ax.plot(px, py, "ko", ms=6, label="known point")
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=7, loc="best")
    fig.suptitle("Minimum-norm interpolants between known regions (exact LP over kink weights)")
    fig.tight_layout()
    fig.savefig(out / "min_norm_regions.png", dpi=130)
    plt.close(fig)


def implicit_bias_figure(out: pathlib.Path, seed: int) -> None:
    x = [F(v) for v in mn.BIAS_X]
    y = [F(v) for v in mn.BIAS_Y]
    H = lp.hanin_envelopes(x, y, skip=False)
    lo, hi = -2.4, 1.4
    xs = np.linspace(lo, hi, 801)
    low = sp.lambdify(X, H.lower.to_sympy(), "numpy")(xs)
    up = sp.lambdify(X, H.upper.to_sympy(), "numpy")(xs)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    ax.fill_between(xs, low, up, where=(xs >= -1) & (xs <= 0), color="C0", alpha=0.18,
                    label="all minimum-norm interpolants (Hanin)")
    _plot_piecewise(ax, Piecewise1D.linear_interpolant(x, y), lo, hi, color="C0", lw=1.6, label="piecewise linear")
    _plot_piecewise(ax, lp.sparsest_interpolant(x, y), lo, hi, color="C2", lw=1.6, ls="--",
                    label="sparsest (here also the penalized-bias minimiser)")
    xf = np.array([float(v) for v in x])
    yf = np.array([float(v) for v in y])
    for k, (name, method, lr, scale, col) in enumerate([("GD", "gd", 0.05, 1.0, "C1"), ("Adam", "adam", 1e-3, 1.0, "C4"),
                                                        ("GD, small init", "gd", 0.05, 0.1, "C3"),
                                                        ("Adam, small init", "adam", 1e-3, 0.1, "C5")]):
        net = sr.init_from_block(prefix_draw(claim_seed(seed, "example.min_norm", 0), 64, sr.init_block),
                                 scale_c=scale, scale_ab=scale)
        res = sr.train(xf, yf, net, method, lr=lr, steps=20000, record=20001)
        f, _ = sr.evaluate(res.net, xs)
        ax.plot(xs, f, color=col, lw=1, label=f"{name}: path norm {sr.path_norm(res.net, 'free'):.3f}")
    ax.plot(xf, yf, "ko", ms=6)
    ax.set_ylim(-1.5, 4)
    ax.set_title(f"Implicit bias among the minimum-norm interpolants (R* = {lp.closed_form_value(lp.interpolation_data(x, y))})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "min_norm_implicit_bias.png", dpi=130)
    plt.close(fig)


def schedule_figure(out: pathlib.Path, seed: int) -> None:
    claim = mn.ScheduleConvergence()
    ctx = claim.setup("quick")
    st = ctx.setting
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
    s = claim_seed(seed, "example.min_norm", 1)
    for n, col in zip((256, 2048, 16384), ("C1", "C2", "C0")):
        x, y = mn._region_sample(s, n, st)
        fit = erm.regularized_erm(x, y, claim._lam(st, n))
        ax1.plot(fit.x, fit.values, color=col, lw=1.3, label=f"n = {n}, λ = {fit.lam:.2g}")
    x, y = mn._region_sample(s, 16384, st)
    fixed = erm.regularized_erm(x, y, 0.02)
    ax1.plot(fixed.x, fixed.values, color="C3", lw=1, ls=":", label="n = 16384, fixed λ = 0.02")
    kx, kv = ctx.target_knots
    ax1.plot(np.concatenate([[-5], kx, [5]]), np.concatenate([[0], kv, [1]]), "k--", lw=1, label="minimum-norm ramp")
    ax1.set_xlim(-2, 2)
    ax1.set_title("ERM on samples of the two regions")
    ax1.legend(fontsize=8)
    ns = [2**k for k in range(8, 16)]
    gaps, fixed_gaps = [], []
    lam0 = claim._lam(st, ns[0])
    for n in ns:
        x, y = mn._region_sample(s, n, st)
        gaps.append(ctx.R_star - erm.regularized_erm(x, y, claim._lam(st, n)).tv)
        fixed_gaps.append(ctx.R_star - erm.regularized_erm(x, y, lam0).tv)
    ax2.loglog(ns, gaps, "o-", label="gap, λ_{n,m} (prescribed)")
    ax2.loglog(ns, fixed_gaps, "s-", label=f"gap, fixed λ = {lam0:.2g}")
    ax2.loglog(ns, [ctx.layer_constant * math.sqrt(claim._lam(st, n)) for n in ns], "k--",
               label="predicted 4√2·√λ_{n,m}")
    ax2.set_xlabel("samples n (width m = n/4)")
    ax2.set_ylabel("R* − R(ERM)")
    ax2.set_title("Norm gap along the schedule")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "min_norm_schedule.png", dpi=130)
    plt.close(fig)


def cost_figure(out: pathlib.Path, seed: int) -> None:
    claim = mn.NormConvergence()
    ctx = claim.setup("quick")
    lams = [2.0**-k for k in range(6, 11)]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for s in range(3):
        P = [claim.experiment(ctx, lam, claim_seed(seed, "example.min_norm", 10 + s))["path_norm"] for lam in lams]
        ax.plot(lams, P, "os^"[s], color=f"C{s}", ms=9 - 2.5 * s, mfc="none" if s < 2 else f"C{s}",
                label=f"GD, initialisation {s}")
    grid = np.linspace(0, max(lams), 100)
    ax.plot(grid, float(ctx.R_star) - float(ctx.response.gap_coefficient) * grid, "k--",
            label="exact: R* − nλ‖u♯‖² = 6 − 180λ")
    ax.axhline(ctx.R_other, color="C3", ls=":", label="penalized-bias minimum 2 + 4√2 (wrong limit)")
    ax.set_xlabel("weight decay λ")
    ax.set_ylabel("path norm Σ|c_i||a_i|")
    ax.set_title("Trained norm → minimum norm, linearly in λ")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "min_norm_cost.png", dpi=130)
    plt.close(fig)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="figures", help="output directory (created)")
    p.add_argument("--seed", type=int, default=0, help="root seed")
    args = p.parse_args(argv)
    if args.seed < 0:
        p.error("--seed must be non-negative")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    regions_figure(out)
    implicit_bias_figure(out, args.seed)
    schedule_figure(out, args.seed)
    cost_figure(out, args.seed)
    print(f"wrote 4 figures to {out}/")


if __name__ == "__main__":
    main()
