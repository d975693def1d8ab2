"""Inverse stability of shallow ReLU networks (Berner, Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803).

Writes three PNGs into ``--out`` (default ``figures/``):

- ``inverse_stability_pathologies.png``: for each pathology family of Section 2 (randomised as in the
  claims), the exact realization distance and the parameter distance modulo the symmetries along the
  family index ``k``, with the predicted slopes (dashed);
- ``inverse_stability_exponent.png``: scale-free random pairs in the oriented restricted set R1–R5
  (``dist_W``, ``dist_param``), the empirical modulus of continuity ``ω(ε)`` and its fitted slope against
  the theorem's ``C ε^{1/2}`` and a Lipschitz line; pairs whose radii stay ≥ ½ (locally Lipschitz); the
  family that attains ½ and the extremal configuration that attains ``C``;
- ``inverse_stability_functions.png``: what the distances see — ``f_k`` of the uniform-norm pathology
  (small in ``L^∞``, large in ``W^{1,∞}``), and ``h = R(Φ) − R(Γ)`` with ``h'`` for the extremal
  configuration.

    python examples/inverse_stability.py [--out figures] [--seed 0]
"""

from __future__ import annotations

import argparse
import pathlib
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from proofs_check.claims import stability as claims  # noqa: E402
from proofs_check.crn import claim_seed  # noqa: E402
from theory.stability import api as S  # noqa: E402

DOMAIN = (Fraction(-1), Fraction(1))
CLAIM_OF = {c.family: c for c in claims.CLAIMS if c.id.startswith("stability.pathology.")}


def pathologies(out: pathlib.Path, seed: int) -> None:
    fig, axes = plt.subplots(2, 3, figsize=(12, 7.2))
    ks = [2**j for j in range(2, 12)]
    for ax, name in zip(axes.ravel(), S.PATHOLOGIES):
        claim = CLAIM_OF[name]()
        fam = claim._family(claim_seed(seed, claim.id, 0))
        dr, dp = [], []
        for k in ks:
            Phi, Psi = fam.phi(k), fam.psi(k)
            dr.append(float(S.sobolev_distance(Phi, Psi, fam.domain, k=fam.norm_k).value))
            dp.append(S.orbit_distance(Phi, Psi).value if fam.distance == "orbit" else S.param_distance(Phi, Psi).value)
        k = np.array(ks, dtype=float)
        ax.loglog(k, dp, "o-", color="C3", ms=3, label=f"parameters ({fam.distance})")
        ax.loglog(k, k**fam.parameter_rate * dp[-1] / k[-1] ** fam.parameter_rate, "--", color="C3", lw=0.8,
                  label=f"slope {fam.parameter_rate:g}")
        if fam.realization_rate is not None:
            norm = "W^{1,∞}" if fam.norm_k == 1 else "L^∞"
            ax.loglog(k, dr, "s-", color="C0", ms=3, label=f"realizations ({norm})")
            ax.loglog(k, k**fam.realization_rate * dr[-1] / k[-1] ** fam.realization_rate, "--", color="C0",
                      lw=0.8, label=f"slope {fam.realization_rate:g}")
        else:
            ax.text(0.05, 0.08, "realizations equal (distance 0)", transform=ax.transAxes, fontsize=8)
        ax.set_title(name.replace("_", " "), fontsize=10)
        ax.set_xlabel("family index k")
        ax.legend(fontsize=7)
    fig.suptitle("Section 2 pathologies: realizations converge, parameters do not", fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "inverse_stability_pathologies.png", dpi=130)
    plt.close(fig)


def _pool(rng, n, log2_radius):
    pts = []
    for _ in range(n):
        pair = S.random_pair(rng, 4, DOMAIN, log2_radius)
        w = float(S.sobolev_distance(pair.Phi, pair.Gamma, DOMAIN).value)
        if w > 0:
            pts.append((w, S.param_distance(pair.Phi, pair.Gamma).value))
    return np.array(pts)


def exponent(out: pathlib.Path, seed: int) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(11,)))
    free = _pool(rng, 1500, claims.MODULUS_LOG2_RADIUS)
    big = _pool(rng, 600, (-1.0, 1.0))
    C = S.inverse_stability_constant(DOMAIN)
    eps = 4.0 ** -np.arange(1, 8)
    omega = np.array([free[free[:, 0] <= e, 1].max() for e in eps])
    slope = np.polyfit(np.log(eps), np.log(omega), 1)[0]

    fig, ax = plt.subplots(figsize=(7, 5))
    ax.loglog(free[:, 0], free[:, 1], ".", color="C0", ms=3, alpha=0.5, label="random pairs in R1–R5 (radii 2^U(−9,1))")
    ax.loglog(big[:, 0], big[:, 1], ".", color="C2", ms=3, alpha=0.5, label="random pairs, radii ≥ ½")
    ax.step(eps, omega, where="post", color="k", lw=1.5, label=f"modulus ω(ε), fitted slope {slope:.2f}")
    x = np.logspace(-9, 1, 50)
    ax.loglog(x, C * np.sqrt(x), "r-", lw=1.2, label=f"C ε^{{1/2}}, C = 2√2(1+M²)^{{1/4}} = {C:.3f}")
    ax.loglog(x, x, "r:", lw=1.0, label="ε (a Lipschitz inverse)")
    sp = [S.sharp_pair(np.random.default_rng(seed), k) for k in (1, 4, 16, 64, 256)]
    sw = [float(S.sobolev_distance(P, G, DOMAIN).value) for P, G in sp]
    ax.loglog(sw, [S.param_distance(P, G).value for P, G in sp], "D-", color="C1", ms=4,
              label="family attaining ½ (sharp_pair)")
    ex = [S.extremal_pair(Fraction(1, 2**j), Fraction(1, 2**12)) for j in (8, 12, 16, 20, 24)]
    ew = [float(S.sobolev_distance(P, G, DOMAIN).value) for P, G in ex]
    ax.loglog(ew, [S.param_distance(P, G).value for P, G in ex], "*", color="C3", ms=9,
              label="extremal configuration (attains C)")
    ax.set_xlim(1e-8, 10)
    ax.set_ylim(1e-6, 10)
    ax.set_xlabel("‖R(Φ) − R(Γ)‖_{W^{1,∞}([−1,1])} (exact)")
    ax.set_ylabel("min_π ‖πΦ − Γ‖_∞ (balanced)")
    ax.set_title("Theorem 3.1 on R1–R5: exponent ½, sharp constant", fontsize=10)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(out / "inverse_stability_exponent.png", dpi=130)
    plt.close(fig)


def functions(out: pathlib.Path) -> None:
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    fam = S.pathology_family("uniform_norm", s=Fraction(1, 4))
    x = np.linspace(-1, 1, 4001)
    for k in (2, 4, 8):
        f = S.realize(fam.psi(k), x) - S.realize(fam.phi(k), x)
        w = float(S.sobolev_distance(fam.phi(k), fam.psi(k), DOMAIN).value)
        a1.plot(x, f, label=f"k = {k}: ‖f_k‖_∞ = 1/{k}, ‖f_k‖_{{W^{{1,∞}}}} = {w:g}")
    a1.set_xlim(-0.7, -0.3)
    a1.set_title("uniform norm too weak: f_k = k[ρ(x − t) − ρ(x − t − k⁻²)]", fontsize=10)
    a1.legend(fontsize=8)
    Phi, Gamma = S.extremal_pair(Fraction(1, 64), Fraction(1, 32))
    h = S.difference_1d(Phi, Gamma, DOMAIN)
    pts = [float(p) for p in h.points]
    a2.plot(pts, [float(v) * 64 for v in h.values], "o-", color="C0", ms=3, label="h/ε")
    a2.step(pts, [float(s) * 64 for s in h.slopes] + [float(h.slopes[-1]) * 64], where="post", color="C3",
            label="h′/ε")
    a2.axhline(1, color="gray", lw=0.5)
    a2.axhline(-1, color="gray", lw=0.5)
    a2.set_title("extremal configuration: |h|, |h′| ≤ ε, parameters C ε^{1/2} apart", fontsize=10)
    a2.set_xlabel("x")
    a2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "inverse_stability_functions.png", dpi=130)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures", help="output directory for the PNGs")
    parser.add_argument("--seed", type=int, default=0, help="root seed (non-negative)")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed: expected a non-negative integer")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pathologies(out, args.seed)
    exponent(out, args.seed)
    functions(out)
    for name in ("pathologies", "exponent", "functions"):
        print(out / f"inverse_stability_{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
