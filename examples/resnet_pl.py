"""Local PL inequality for a linearly parametrised ResNet (Barboni, Peyré, Vialard, NeurIPS 2022).

Writes five PNGs into ``--out`` (default ``figures/``):

- ``resnet_pl_loss.png``: gradient-descent loss curves (three problems of ``pl.linear_rate``, depth 16)
  against the guaranteed bound ``(1 − ημ)^t ℒ₀`` of the theory (μ = m_L(R*) times the descent-lemma factor);
- ``resnet_pl_ratio.png``: the PL ratio ``‖∇ℒ‖²/ℒ`` along training between the predicted lower and upper
  constants ``m_L(R*)`` and ``M(R*)``, with the pointwise lower function ``m_L(‖v_t‖)``, the bottom of the
  Gram spectrum ``2 min_k λ_min(K_k)`` along the path, and the mutants ``2μ`` and ``M/2``;
- ``resnet_pl_pair.png``: the PL pair for the worst target, ``2λ_min`` and ``2λ_max`` of the tangent Gram
  matrix at a random field of norm ``r``, against ``m_L(r)`` and ``M(r)`` up to where ``m_L`` vanishes;
- ``resnet_rff_threshold.png``: empirical probability that ``q`` random Fourier features give
  ``λ_min(K̂) ≥ λ/2`` for ``N = 2, 4, 8`` points, against the predicted counts ``q*``;
- ``resnet_depth_limit.png``: distance of the depth-``L`` network to its ODE limit, Euler and midpoint.

    python examples/resnet_pl.py [--out figures] [--seed 0]
"""

from __future__ import annotations

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.pl import resnet as rn  # noqa: E402
from proofs_check.claims import pl  # noqa: E402
from proofs_check.crn import child, claim_seed, prefix_draw  # noqa: E402

DEPTH = 16


def loss_and_ratio(out: pathlib.Path, seed: int) -> None:
    setting = pl.PLSetting()
    runs = [pl.pl_run(setting, claim_seed(seed, "example.resnet_pl", s), DEPTH) for s in range(3)]

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for k, (run, col) in enumerate(zip(runs, ("C0", "C1", "C2"))):
        t = np.arange(run.gd.loss.size)
        ax.semilogy(t, run.gd.loss, color=col, lw=1.6, label=f"GD, problem {k}")
        ax.semilogy(t, run.gd.loss[0] * run.evaluation.contraction ** t, "--", color=col, lw=1,
                    label=f"guarantee (1 − ημ)^t ℒ₀, problem {k}")
    ax.set_xlabel("gradient-descent step t")
    ax.set_ylabel("loss ℒ(θ_t)")
    ax.set_title(f"Linear convergence inside the ball (N = {setting.n}, q = {setting.q}, depth {DEPTH})",
                 fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "resnet_pl_loss.png", dpi=130)
    plt.close(fig)

    run = runs[0]
    gd, ev = run.gd, run.evaluation
    t = np.arange(gd.loss.size)
    pointwise = [float(ev.constants.m(r)) for r in gd.radius]
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    ax.plot(t, gd.ratio, "o-", ms=3, color="C0", label="measured ‖∇ℒ‖² / ℒ")
    ax.plot(t, 2 * gd.lambda_min_traj, ":", color="k", label="2 min_k λ_min(K_k) along the path")
    ax.plot(t, pointwise, "-", color="C3", lw=0.8, label="m_L(‖v_t‖) (theory, pointwise)")
    ax.axhline(ev.mu, color="C3", ls="--", label=f"μ = m_L(R*) = {ev.mu:.3f} (theory, lower)")
    ax.axhline(ev.M_R, color="C2", ls="--", label=f"M(R*) = {ev.M_R:.3f} (theory, upper)")
    ax.axhline(2 * ev.mu, color="C3", ls=":", lw=0.8, label="2μ (mutant)")
    ax.axhline(ev.M_R / 2, color="C2", ls=":", lw=0.8, label="M(R*)/2 (mutant)")
    ax.set_ylim(0, 1.08 * ev.M_R)
    ax.set_xlabel(f"gradient-descent step t (depth {DEPTH})")
    ax.set_ylabel("PL ratio ‖∇ℒ‖² / ℒ")
    ax.set_title(f"PL ratio along training; ball radius R* = {ev.R_star:.3g}, max ‖v_t‖ = {gd.radius.max():.2g}",
                 fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(out / "resnet_pl_ratio.png", dpi=130)
    plt.close(fig)


def pair(out: pathlib.Path, seed: int) -> None:
    st = pl.PairSetting()
    ss = claim_seed(seed, "example.resnet_pair", 0)
    fracs = np.linspace(0.01, 0.95, 24)
    theory = pl.PairTheory()
    lower = [pl.pair_run(st, ss, f, "lower") for f in fracs]
    upper = [pl.pair_run(st, ss, f, "upper") for f in fracs]
    r = np.array([o["radius"] for o in lower])

    def bound(o, side):
        _, _, half_bound, _ = theory.factors(o["constants"], o["radius"], side)
        return half_bound  # m_L(r)/2 or M(r)/2

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.plot(r, [max(f.gram_max for f in o["factors"].values()) for o in upper], "o-", ms=3, color="C2",
            label="2 λ_max(G(v)): worst field, top")
    ax.plot(r, [bound(o, "upper") for o in upper], "--", color="C2", label="M(‖v‖) (theory, upper)")
    ax.plot(r, [min(f.gram_min for f in o["factors"].values()) for o in lower], "o-", ms=3, color="C3",
            label="2 λ_min(G(v)): worst field, bottom")
    ax.plot(r, [max(bound(o, "lower"), 1e-300) for o in lower], "--", color="C3", label="m_L(‖v‖) (theory, lower)")
    ax.set_yscale("log")
    ax.set_xlabel("‖v‖ (random field direction, scaled)")
    ax.set_ylabel("PL ratio ‖∇ℒ‖² / ℒ over all targets")
    ax.set_title(f"The PL pair for the worst target (depth {st.depth}, N = {st.n}, q = {st.q}); "
                 f"m_L vanishes at r_max = {lower[0]['r_max']:.3g}", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "resnet_pl_pair.png", dpi=130)
    plt.close(fig)


def rff_threshold(out: pathlib.Path, seed: int) -> None:
    st = pl.RFFSetting()
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for n, col in zip((2, 4, 8), ("C0", "C1", "C2")):
        obs = pl.rff_sweep(st, claim_seed(seed, "example.resnet_rff", n), n)
        ax.semilogx(obs["qs"], obs["probability"], "o-", ms=3, base=2, color=col,
                    label=f"N = {n}: empirical P (q_emp = {obs['q_emp']})")
        ax.axvline(obs["qstar"], color=col, ls="--", lw=1, label=f"N = {n}: predicted q* = {obs['qstar']:.3g}")
    ax.axhline(1 - st.delta, color="k", ls=":", label=f"1 − δ = {1 - st.delta}")
    ax.set_xlabel("number of random Fourier features q")
    ax.set_ylabel(f"P[λ_min(K̂) ≥ λ/2] ({st.draws} draws)")
    ax.set_title("RFF expressivity: the probability rises long before the predicted count", fontsize=10)
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    fig.savefig(out / "resnet_rff_threshold.png", dpi=130)
    plt.close(fig)


def depth_limit(out: pathlib.Path, seed: int) -> None:
    st = pl.DepthSetting()
    ss = claim_seed(seed, "example.resnet_depth", 0)
    X0 = np.random.default_rng(child(ss, 2)).uniform(-2, 2, (st.n, st.dim))
    rff = rn.rff_from_block(prefix_draw(ss, st.q, rn.rff_block(st.dim, st.sigma)))
    W_of_t = pl.smooth_field(ss, st)
    ref = rn.flow_reference(X0, W_of_t, rff, rtol=1e-13, atol=1e-13)
    Ls = [2**k for k in range(2, 11)]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for scheme, order, col in (("euler", 1, "C0"), ("midpoint", 2, "C1")):
        err = [np.abs(rn.forward(X0, rn.sample_weights(W_of_t, L), rff, scheme)[:, -1] - ref).max() for L in Ls]
        ax.loglog(Ls, err, "o-", color=col, base=2, label=f"{scheme}")
        ax.loglog(Ls, err[-1] * (np.array(Ls) / Ls[-1]) ** (-order), ":", color=col, base=2,
                  label=f"slope −{order} (theory)")
    ax.set_xlabel("depth L")
    ax.set_ylabel("max_i ‖x_L^i − x^i(1)‖")
    ax.set_title("Depth-L ResNet → ODE limit")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "resnet_depth_limit.png", dpi=130)
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Figures for the local PL inequality of linearly parametrised ResNets")
    ap.add_argument("--out", default="figures", type=pathlib.Path)
    ap.add_argument("--seed", default=0, type=int)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    loss_and_ratio(args.out, args.seed)
    pair(args.out, args.seed)
    rff_threshold(args.out, args.seed)
    depth_limit(args.out, args.seed)
    print(f"wrote {', '.join(sorted(p.name for p in args.out.glob('resnet_*.png')))} to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
