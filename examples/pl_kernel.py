"""The non-parametric case of the local PL result (Barboni, Peyré, Vialard, NeurIPS 2022): the Gaussian-RKHS
ResNet and how the random-feature model approaches it (claims ``pl.kernel.*``, docs/pl.md#kernel).

Writes three PNGs into ``--out`` (default ``examples/out``):

- ``pl_kernel_gram.png``: relative error of the feature Gram constants ``λ_min(K̂_q)``, ``λ_max(K̂_q)``
  against the kernel's, RMS over feature draws, for the data of ``pl.kernel.gram_rate`` and for the separated
  data of ``pl.*`` (whose clustered spectrum delays the ``q^{−1/2}`` regime), with a ``q^{−1/2}`` guide;
- ``pl_kernel_loss.png``: gradient descent in the RKHS model (through the kernel, no features) against the
  guaranteed ``(1 − ημ)^t ℒ₀`` with ``μ`` from the kernel Gram, and the finite-``q`` runs for a few ``q``;
- ``pl_kernel_gap.png``: the gap between the finite-``q`` and kernel trajectories against ``q``.

    python examples/pl_kernel.py [--out examples/out] [--seed 0] [--draws 8]
"""

from __future__ import annotations

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.pl import kernel as nk  # noqa: E402
from numerics.pl import resnet as rn  # noqa: E402
from proofs_check.claims import pl, pl_kernel as pk  # noqa: E402
from proofs_check.crn import child, claim_seed, prefix_draw  # noqa: E402
from theory.pl import kernel as tk  # noqa: E402


def gram_figure(out: pathlib.Path, seed: int, draws: int) -> None:
    qs = np.array([2**k for k in range(4, 14)])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for name, X0 in (("0.5σ-separated, N = 4 (pl.kernel.gram_rate)",
                      pk.gram_data(pk.GramSetting(), claim_seed(seed, "example.pl_kernel", 0))),
                     ("2σ-separated, N = 8 (pl.*)",
                      pl.pl_data(pl.PLSetting(), claim_seed(seed, "example.pl_kernel", 1))[0])):
        lam, Lam, _ = tk.gram_extremes(X0, 1.0)
        lam, Lam = float(lam), float(Lam)
        err = np.zeros(qs.size)
        s = claim_seed(seed, "example.pl_kernel.draws", 0)
        for b in range(draws):
            blk = prefix_draw(child(s, 10), qs[-1], rn.rff_block(2, 1.0), stream=b)
            ev = np.linalg.eigvalsh(nk.rff_prefix_grams(X0, blk[:, :2], blk[:, 2], qs))
            err += ((ev[:, 0] - lam) / lam) ** 2 + ((ev[:, -1] - Lam) / Lam) ** 2
        ax.loglog(qs, np.sqrt(err / draws), "o-", ms=3, label=name)
    ax.loglog(qs, 2.0 / np.sqrt(qs), "k--", lw=1, label="q^{−1/2}")
    ax.set_xlabel("random features q")
    ax.set_ylabel("RMS relative error of λ_min, λ_max")
    ax.set_title("Feature Gram constants → Gaussian-kernel Gram constants", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "pl_kernel_gram.png", dpi=130)
    plt.close(fig)


def loss_and_gap_figures(out: pathlib.Path, seed: int, draws: int) -> None:
    st = pk.GapSetting()
    s = claim_seed(seed, "example.pl_kernel.gd", 0)
    X0, Y, ev = pk.kernel_problem(st.kernel, s, st.depth)
    steps = 30
    gd = nk.kernel_gradient_descent(X0, Y, st.kernel.sigma, st.depth, ev.eta, steps)
    t = np.arange(gd.loss.size)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.semilogy(t, gd.loss, "k", lw=2, label="RKHS model (kernel, no features)")
    for q, col in ((16, "C1"), (64, "C2"), (1024, "C0")):
        rff = rn.rff_from_block(prefix_draw(child(s, 10), q, rn.rff_block(2, st.kernel.sigma), stream=0))
        g = rn.gradient_descent(X0, Y, rff, st.depth, ev.eta, steps)
        ax.semilogy(np.arange(g.loss.size), g.loss, color=col, lw=1, label=f"q = {q} features")
    ax.semilogy(t, gd.loss[0] * ev.contraction ** t, "k--", lw=1, label="guarantee (1 − ημ)^t ℒ₀, kernel μ")
    ax.set_xlabel("gradient-descent step t")
    ax.set_ylabel("loss")
    ax.set_title(f"Gradient descent in the Gaussian RKHS (N = {st.kernel.n}, depth {st.depth})", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "pl_kernel_loss.png", dpi=130)
    plt.close(fig)

    ref = nk.kernel_gradient_descent(X0, Y, st.kernel.sigma, st.depth, ev.eta, st.steps).outputs
    qs = [2**k for k in range(5, 13)]
    gap = np.zeros(len(qs))
    for b in range(draws):
        for i, q in enumerate(qs):
            rff = rn.rff_from_block(prefix_draw(child(s, 11), q, rn.rff_block(2, st.kernel.sigma), stream=b))
            o = pk.finite_q_outputs(X0, Y, rff, st.depth, ev.eta, st.steps)
            gap[i] += np.mean(np.sum((o - ref) ** 2, axis=(1, 2)))
    gap = np.sqrt(gap / draws) / np.linalg.norm(Y - X0)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.loglog(qs, gap, "o-", label=f"RMS gap over {st.steps} steps and {draws} draws")
    ax.loglog(qs, gap[0] * np.sqrt(qs[0] / np.array(qs)), "k--", lw=1, label="q^{−1/2}")
    ax.set_xlabel("random features q")
    ax.set_ylabel("‖x_L^q(t) − x_L^∞(t)‖ / ‖y − x₀‖")
    ax.set_title("Finite-q gradient descent → the kernel model's", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "pl_kernel_gap.png", dpi=130)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="examples/out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--draws", type=int, default=8)
    args = p.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gram_figure(out, args.seed, args.draws)
    loss_and_gap_figures(out, args.seed, args.draws)
    print(f"wrote {', '.join(sorted(f.name for f in out.glob('pl_kernel_*.png')))} to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
