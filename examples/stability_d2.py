"""Inverse stability of shallow ReLU networks in d = 2 (Berner, Elbrächter & Grohs, NeurIPS 2019, arXiv
1905.09803; the claims ``stability.d2.*``).

Writes two PNGs into ``--out`` (default ``examples/out``):

- ``stability_d2_modulus.png``: left, ``|∇(R(Φ) − R(Γ))|`` on ``[−1, 1]²`` for a relocation move of the
  modulus instance (kink lines dashed, the arrangement's vertices dotted: where the certified bracket is
  computed); right, the worst parameter distance ``ω(ε)`` of the instances against ε with the predicted
  slope ½ and a Lipschitz line;
- ``stability_d2_pathologies.png``: the three 2-D pathology families along ``k`` (the measured quantity of each
  claim) with the slopes predicted by :func:`theory.stability.d2.pathology_exponent_2d`.

    python examples/stability_d2.py [--out examples/out] [--seed 0]
"""

from __future__ import annotations

import argparse
import pathlib
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.stability import d2 as nd  # noqa: E402
from proofs_check.claims import stability_d2 as claims  # noqa: E402
from proofs_check.crn import claim_seed  # noqa: E402
from theory.stability import d2 as T  # noqa: E402


def modulus(out: pathlib.Path, seed: int) -> None:
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(11, 4.6))
    claim = claims.InverseStability2D()
    rng = np.random.default_rng(seed)
    rows, e, moves = T.modulus_instance_2d(rng, claims.MODULUS_BASE, claims.MODULUS_MOVES)
    mv = next(m for m in moves if m.kind == "relocate")
    Phi, Gamma = T.move_pair_2d(rows, e, mv, Fraction(1, 16))
    P, G = Phi.to_float(), Gamma.to_float()
    a = np.vstack([P.a, G.a])
    b = np.concatenate([P.b, G.b])
    c = np.concatenate([P.c, -G.c])
    m = 301
    g = np.linspace(-1, 1, m)
    X = np.column_stack([np.tile(g, m), np.repeat(g, m)])
    grad = np.sqrt((nd.gradient_2d(a, b, c, X) ** 2).sum(axis=1)).reshape(m, m)
    im = ax0.imshow(grad, origin="lower", extent=(-1, 1, -1, 1), cmap="viridis")
    fig.colorbar(im, ax=ax0, label="|∇(R(Φ) − R(Γ))|")
    for (n, beta) in (mv.src[:2], mv.dst[:2]):
        n = np.array([float(n[0]), float(n[1])])
        t = np.linspace(-2, 2, 3)
        p0 = -float(beta) * n
        ax0.plot(p0[0] - t * n[1], p0[1] + t * n[0], "w--", lw=1)
    V = nd.arrangement_vertices(a, b)
    ax0.plot(V[:, 0], V[:, 1], "r.", ms=4)
    ax0.set_xlim(-1, 1)
    ax0.set_ylim(-1, 1)
    ax0.set_title("relocation at α = 1/16: |∇ difference|; red: vertices of all kink lines", fontsize=9)
    eps = np.array(claim.ladder("quick").values)
    for s in range(claim.ladder("quick").seeds):
        sq = claim_seed(seed, claim.id, s)
        om = [claim.experiment(None, float(v), sq)["omega"] for v in eps]
        ax1.loglog(eps, om, "o-", ms=3, label=f"instance {s}")
    ax1.loglog(eps, 0.5 * eps**0.5, "k--", label="slope ½ (theory)")
    ax1.loglog(eps, 0.5 * eps, "k:", label="slope 1 (Lipschitz)")
    ax1.set_xlabel("W^{1,∞}([−1,1]²) distance ε")
    ax1.set_ylabel("ω(ε): worst parameter distance")
    ax1.legend(fontsize=8)
    ax1.set_title("modulus of continuity on R1–R5, d = 2")
    fig.tight_layout()
    fig.savefig(out / "stability_d2_modulus.png", dpi=120)
    plt.close(fig)


def pathologies(out: pathlib.Path, seed: int) -> None:
    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    ks = np.array([2.0**j for j in range(2, 11)])
    for ax, cls in zip(axes, claims.CLAIMS[1:4]):
        claim = cls()
        sq = claim_seed(seed, claim.id, 0)
        vals = [claim.experiment(None, float(k), sq)[claim.target] for k in ks]
        p = float(T.pathology_exponent_2d(claim.family))
        ax.loglog(ks, vals, "o-", label="measured")
        ax.loglog(ks, vals[0] * (ks / ks[0]) ** p, "k--", label=f"slope {p:g} (theory)")
        ax.set_xlabel("k")
        ax.set_ylabel(claim.target.replace("_", " "))
        ax.set_title(claim.family.replace("_", " "))
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "stability_d2_pathologies.png", dpi=120)
    plt.close(fig)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="examples/out")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    modulus(out, args.seed)
    pathologies(out, args.seed)
    print(f"wrote {out}/stability_d2_modulus.png and {out}/stability_d2_pathologies.png")


if __name__ == "__main__":
    main()
