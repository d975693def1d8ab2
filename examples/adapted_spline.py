"""Heiss, Teichmann & Wutte (arXiv 1911.02903), the paper's kind of figure: ridge-trained random-feature
networks of growing width n against their limit, the adapted spline; the kink weight g; early stopping.

    python examples/adapted_spline.py --out figures/

Writes ``adapted_spline_widths.png`` (networks for n = 2^6 … 2^16 over the adapted spline, with the cubic
smoothing spline that a constant weight would give), ``adapted_spline_weight.png`` (g and its halves g±
for the law, and the spline's f''/g±), ``adapted_spline_rate.png`` (W^{1,∞} distance against n, slope −1/2)
and ``adapted_spline_early_stopping.png`` (gradient descent at growing times against the ridge splines at
λ(t) = 1/(g(0) t)). Every draw follows from ``--seed``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.spline.random_features import fit_ridge, gradient_descent, w1inf_distance  # noqa: E402
from proofs_check.claims.spline import _es_step, setting  # noqa: E402
from proofs_check.crn import claim_seed, prefix_draw  # noqa: E402
from theory.spline.splines import adapted_spline, early_stopping_spline  # noqa: E402


def main(argv=None) -> list[Path]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="figures", help="output directory (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="root seed of the hidden-layer draws")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    st = setting()
    grid = np.linspace(-3.0, 3.0, 601)
    spline = adapted_spline(st.x, st.y, st.lam, st.kw)
    cubic = adapted_spline(st.x, st.y, st.lam, st.g0)
    seed = claim_seed(args.seed, "examples.adapted_spline", 0)
    draws = prefix_draw(seed, 2**16, st.law.sampler())
    written = []

    # 1. networks of growing width over the limit
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    cmap = plt.get_cmap("viridis")
    widths = [2**k for k in (6, 8, 10, 12, 16)]
    for i, n in enumerate(widths):
        fit = fit_ridge(draws[:n, 0], draws[:n, 1], st.x, st.y, st.lam * n * st.g0, grid)
        ax.plot(grid, fit.values, color=cmap(i / (len(widths) - 1)), lw=1, label=f"network, n = 2^{int(np.log2(n))}")
    ax.plot(grid, spline(grid), "k--", lw=2, label="adapted spline (limit)")
    ax.plot(grid, cubic(grid), ":", color="tab:red", lw=1.5, label="cubic smoothing spline (g ≡ g(0))")
    ax.plot(st.x, st.y, "ko", ms=5, label="data")
    ax.set_title(f"Ridge on random ReLU features → adapted spline ({st.law.describe()}, λ = {st.lam})", fontsize=9)
    ax.set_xlabel("x")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    written.append(out / "adapted_spline_widths.png")
    fig.tight_layout()
    fig.savefig(written[-1])
    plt.close(fig)

    # 2. the kink weight and the curvature ratio f''/g± (piecewise linear with knots at the data)
    gp, gm, g0 = st.kw.numeric()
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=120)
    a1.plot(grid, gp(grid) + gm(grid), "k", label="g = g₊ + g₋")
    a1.plot(grid, gp(grid), "--", label="g₊ (v > 0)")
    a1.axhline(g0, color="tab:red", ls=":", label="g(0)")
    a1.set_title("kink weight g(x) = p_ξ(x) E[v² | ξ = x]", fontsize=9)
    a1.legend(fontsize=7)
    hp = np.maximum(st.x[None, :] - grid[:, None], 0) @ spline.coef
    hm = np.maximum(grid[:, None] - st.x[None, :], 0) @ spline.coef
    a2.plot(grid, hp, label="f₊''/g₊")
    a2.plot(grid, hm, label="f₋''/g₋")
    for xv in st.x:
        a2.axvline(xv, color="0.8", lw=0.8)
    a2.set_title("curvature ratios: piecewise linear, knots at the data", fontsize=9)
    a2.legend(fontsize=7)
    for a in (a1, a2):
        a.grid(alpha=0.3)
        a.set_xlabel("x")
    written.append(out / "adapted_spline_weight.png")
    fig.tight_layout()
    fig.savefig(written[-1])
    plt.close(fig)

    # 3. the rate, common random numbers over 8 seeds
    ns = 2 ** np.arange(8, 19)
    target = (spline(st.grid), spline.derivative()(st.grid))
    dist = np.zeros((ns.size, 8))
    for s in range(8):
        d = prefix_draw(claim_seed(args.seed, "examples.adapted_spline", s + 1), int(ns[-1]), st.law.sampler())
        for i, n in enumerate(ns):
            fit = fit_ridge(d[:n, 0], d[:n, 1], st.x, st.y, st.lam * n * st.g0, st.grid)
            dist[i, s] = w1inf_distance(fit.values, fit.derivative, *target)
    fig, ax = plt.subplots(figsize=(5.5, 4), dpi=120)
    ax.loglog(ns, dist, ".", color="0.6", ms=3)
    mean = np.exp(np.log(dist).mean(axis=1))
    slope = np.polyfit(np.log(ns), np.log(mean), 1)[0]
    ax.loglog(ns, mean, "o-", label=f"seed mean (slope {slope:.3f})")
    ax.loglog(ns, mean[0] * (ns / ns[0]) ** -0.5, "k--", label="n^{-1/2}")
    ax.set_xlabel("width n")
    ax.set_ylabel("‖N_w − f*‖_{W^{1,∞}}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    written.append(out / "adapted_spline_rate.png")
    fig.tight_layout()
    fig.savefig(written[-1])
    plt.close(fig)

    # 4. early stopping: GD at growing times vs the ridge splines at λ(t) = 1/(g(0) t)
    h = _es_step()
    n = 2**14
    steps = [4, 32, 256, 2048]
    path = gradient_descent(draws[:n, 0], draws[:n, 1], st.x, st.y, h / (2 * n), steps, grid)
    fig, ax = plt.subplots(figsize=(7.5, 4.5), dpi=120)
    for i, k in enumerate(steps):
        c = cmap(i / (len(steps) - 1))
        t = h * k
        ax.plot(grid, path.values[i], color=c, lw=1.5, label=f"GD, k = {k} (t = {t:.3g})")
        ax.plot(grid, adapted_spline(st.x, st.y, 1 / (st.g0 * t), st.kw)(grid), "--", color=c, lw=1,
                label=f"ridge spline, λ(t) = {1 / (st.g0 * t):.3g}")
        ax.plot(grid, early_stopping_spline(st.x, st.y, st.kw, h, k)(grid), ":", color="k", lw=0.8)
    ax.plot(st.x, st.y, "ko", ms=5)
    ax.set_title("Early-stopped gradient descent (solid), its limit (dotted) and the ridge spline at λ(t) (dashed)",
                 fontsize=8)
    ax.legend(fontsize=6, ncol=2)
    ax.grid(alpha=0.3)
    written.append(out / "adapted_spline_early_stopping.png")
    fig.tight_layout()
    fig.savefig(written[-1])
    plt.close(fig)
    for w in written:
        print(w)
    return written


if __name__ == "__main__":
    main()
