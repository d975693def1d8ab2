"""Heiss, Teichmann & Wutte (arXiv 1911.02903), Theorem 3.8 for general losses: random-feature networks
trained with the Huber loss (regression) and the logistic loss (labels ±1) and ridge λ̃ = λ n g(0), against
their limits, the loss-adapted splines.

    python examples/spline_loss.py --out figures/

Writes ``spline_loss_limits.png`` (networks of growing width over the Huber- and logistic-adapted splines,
with the least-squares adapted spline and the constant-weight spline of the same loss) and
``spline_loss_rate.png`` (W^{1,∞} distance against n over a few seeds, slope −1/2). Every draw follows from
``--seed``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.spline.general_loss import fit_loss  # noqa: E402
from numerics.spline.random_features import w1inf_distance  # noqa: E402
from proofs_check.claims.spline import setting  # noqa: E402
from proofs_check.claims.spline_loss import HUBER_DELTA, LOGISTIC_LABELS  # noqa: E402
from proofs_check.crn import claim_seed, prefix_draw  # noqa: E402
from theory.spline.general_loss import loss_spline  # noqa: E402
from theory.spline.splines import adapted_spline  # noqa: E402


def main(argv=None) -> list[Path]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="examples/out", help="output directory (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="root seed of the hidden-layer draws")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    st = setting()
    grid = np.linspace(-2.5, 2.5, 501)
    cases = [("huber", st.y, f"Huber, δ = {HUBER_DELTA}"), ("logistic", np.array(LOGISTIC_LABELS), "logistic")]
    written = []

    # 1. networks of growing width over the limits
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=120)
    draws = prefix_draw(claim_seed(args.seed, "examples.spline_loss", 0), 2**16, st.law.sampler())
    cmap = plt.get_cmap("viridis")
    widths = [2**k for k in (6, 8, 10, 16)]
    for ax, (loss, y, label) in zip(axes, cases):
        for i, n in enumerate(widths):
            fit = fit_loss(draws[:n, 0], draws[:n, 1], st.x, y, st.lam * n * st.g0, grid, loss, HUBER_DELTA)
            ax.plot(grid, fit.values, color=cmap(i / (len(widths) - 1)), lw=1, label=f"network, n = 2^{int(np.log2(n))}")
        ax.plot(grid, loss_spline(st.x, y, st.lam, st.kw, loss, HUBER_DELTA)(grid), "k--", lw=2,
                label=f"{loss}-adapted spline (limit)")
        ax.plot(grid, adapted_spline(st.x, y, st.lam, st.kw)(grid), ":", color="tab:red", lw=1.5,
                label="least-squares adapted spline")
        ax.plot(grid, loss_spline(st.x, y, st.lam, st.g0, loss, HUBER_DELTA)(grid), "-.", color="tab:orange", lw=1,
                label="g ≡ g(0) (cubic kernel)")
        ax.plot(st.x, y, "ko", ms=5, label="data")
        ax.set_title(f"{label}: ridge λ̃ = λ n g(0), λ = {st.lam}", fontsize=9)
        ax.set_xlabel("x")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6)
    fig.tight_layout()
    written.append(out / "spline_loss_limits.png")
    fig.savefig(written[-1])
    plt.close(fig)

    # 2. the rate
    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=120)
    ns = 2.0 ** np.arange(10, 17)
    for (loss, y, label), colour in zip(cases, ("tab:blue", "tab:green")):
        lim = loss_spline(st.x, y, st.lam, st.kw, loss, HUBER_DELTA)
        f, df = lim(grid), lim.derivative()(grid)
        dist = np.empty((ns.size, 4))
        for s in range(4):
            d = prefix_draw(claim_seed(args.seed, "examples.spline_loss", 1 + s), int(ns[-1]), st.law.sampler())
            for k, n in enumerate(ns):
                n = int(n)
                fit = fit_loss(d[:n, 0], d[:n, 1], st.x, y, st.lam * n * st.g0, grid, loss, HUBER_DELTA)
                dist[k, s] = w1inf_distance(fit.values, fit.derivative, f, df)
        ax.loglog(ns, dist, ".", color=colour, alpha=0.4)
        ax.loglog(ns, np.exp(np.log(dist).mean(axis=1)), "-", color=colour, label=label)
    ax.loglog(ns, 0.5 * ns ** -0.5 / ns[0] ** -0.5 * 0.2, "k--", lw=1, label="slope −1/2")
    ax.set_xlabel("width n")
    ax.set_ylabel("sup |N_w − f_ℓ| in W^{1,∞}")
    ax.set_title("network → loss-adapted spline", fontsize=9)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=7)
    fig.tight_layout()
    written.append(out / "spline_loss_rate.png")
    fig.savefig(written[-1])
    plt.close(fig)
    for w in written:
        print(w)
    return written


if __name__ == "__main__":
    main()
