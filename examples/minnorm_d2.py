"""Minimum-norm interpolation in d = 2 (Park, Pelakh & Wojtowytsch, NeurIPS 2023; docs/minnorm.md#d2).

Writes two PNGs into ``--out`` (default ``examples/out``):

- ``minnorm_d2_regions.png``: networks on ℝ² trained on samples of the regions ``f = 0`` on ``{e·x ≤ −1}``,
  ``f = 1`` on ``{e·x ≥ 1}`` by GD, SGD, Adam and AdamW with weight decay, and the ridge ramp (the minimum-norm
  interpolant of the regions, cost 1), with each network's merged cost Σ_H|c_H| (``minnorm.d2.optimizers``);
- ``minnorm_d2_line.png``: the path norm of GD-trained 2-D networks on data on a line against the weight decay
  λ, with the exact 1-D linear response ``6 − 180λ`` (``minnorm.d2.line_data``).

    python examples/minnorm_d2.py [--out examples/out] [--seed 0] [--smoke]
"""

from __future__ import annotations

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.minnorm import d2 as nd  # noqa: E402
from numerics.minnorm.shallow_relu import minibatches  # noqa: E402
from theory.minnorm import cost_md as th  # noqa: E402
from theory.minnorm import erm  # noqa: E402


def regions(out: pathlib.Path, seed: int, steps: int) -> None:
    e = np.array([0.6, 0.8])
    perp = np.array([-0.8, 0.6])
    rng = np.random.default_rng(seed)
    u = rng.random((64, 3))
    side = u[:, 0] < 0.5
    along = np.where(side, -3 + 2 * u[:, 1], 1 + 2 * u[:, 1])
    X = along[:, None] * e + (2 * (2 * u[:, 2] - 1))[:, None] * perp
    y = np.where(side, 0.0, 1.0)
    net0 = nd.init_network(rng, 32)
    g = np.linspace(-3.5, 3.5, 121)
    G1, G2 = np.meshgrid(g, g)
    grid = np.column_stack([G1.ravel(), G2.ravel()])
    runs = [("GD + wd", "gd", 0.05, None), ("SGD + wd", "sgd", 0.05, 8), ("Adam + L2", "adam", 1e-3, None),
            ("AdamW", "adamw", 1e-3, None)]
    fig, axes = plt.subplots(1, 5, figsize=(20, 4.2), constrained_layout=True)
    ramp = np.clip((grid @ e + 1) / 2, 0, 1)
    panels = [("ridge ramp (min norm, cost 1)", ramp)]
    for name, method, lr, batch in runs:
        bt = None if batch is None else minibatches(np.random.default_rng(seed + 1), 64, steps, batch)
        res = nd.train(X, y, net0, method, lr=lr, steps=steps, lam=1e-3, batches=bt, record=steps)
        cost = th.network_cost_float(res.net.a, res.net.W, res.net.b, tol=1e-3)
        panels.append((f"{name}: cost {cost:.3f}, loss {res.loss[-1]:.1e}", nd.evaluate(res.net, grid)))
    for ax, (title, vals) in zip(axes, panels):
        im = ax.contourf(G1, G2, vals.reshape(G1.shape), levels=np.linspace(-0.3, 1.3, 17), cmap="viridis", extend="both")
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", edgecolor="k", s=12)
        ax.set_title(title, fontsize=9)
        ax.set_aspect("equal")
    fig.colorbar(im, ax=axes, shrink=0.8)
    fig.savefig(out / "minnorm_d2_regions.png", dpi=110)
    plt.close(fig)


def line(out: pathlib.Path, seed: int, lams: list[float]) -> None:
    s = np.array([-2.0, -1, 0, 1, 2])
    y = np.array([1.0, 0, 1, 0, 1])
    X = s[:, None] * np.array([0.6, 0.8])
    P, R1 = [], []
    for lam in lams:
        steps = int(10 / (0.2 * lam))
        res = nd.train(X, y, nd.init_network(np.random.default_rng(seed), 32), "gd", lr=0.2, steps=steps, lam=lam,
                       record=steps)
        res = nd.train(X, y, res.net, "gd", lr=0.01, steps=steps, lam=lam, record=steps)
        P.append(nd.path_norm(res.net))
        R1.append(erm.regularized_erm(s, y, lam).tv)
    lg = np.linspace(0, max(lams) * 1.1, 50)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.plot(lg, 6 - 180 * lg, "k-", label="1-D linear response 6 − 180λ")
    ax.plot(lams, R1, "s", mfc="none", ms=10, label="exact 1-D ERM R(f_λ)")
    ax.plot(lams, P, "o", label="2-D network, GD: path norm")
    ax.set_xlabel("weight decay λ")
    ax.set_ylabel("norm")
    ax.set_title("data on a line in ℝ²: trained norm → R* = 6")
    ax.legend()
    fig.savefig(out / "minnorm_d2_line.png", dpi=110)
    plt.close(fig)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default="examples/out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--smoke", action="store_true", help="fewer steps and weight decays (a quick check)")
    a = p.parse_args()
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    regions(out, a.seed, 4000 if a.smoke else 20000)
    line(out, a.seed, [2.0**-7, 2.0**-8] if a.smoke else [2.0**-k for k in range(6, 11)])
    print(f"wrote {out}/minnorm_d2_regions.png, {out}/minnorm_d2_line.png")


if __name__ == "__main__":
    main()
