"""The ridgelet spectrum of a trained two-layer network (Sonoda, Ishikawa & Ikeda, AISTATS 2021): the
parameters of an over-parametrised network trained by SGD with a ridge penalty, scattered in the ``(a, b)``
plane and coloured by their rescaled output weight, beside the numerically integrated spectrum.

Setting (the published one of Sonoda–Murata §7.1, docs/ridgelet.md#figure): target ``f(x) = sin 2πx`` on
``[−1, 1]`` (201 equispaced points, trapezoid weights), ``σ = G′`` (self-admissible, ``((σ,σ)) = 2π``),
``p`` hidden units with ``(a_j, b_j)`` drawn uniformly on ``[−30, 30]²`` (volume ``V``), every parameter
``(a, b, c)`` trained by mini-batch SGD (batch 32) on ``Σ_i w_i (f(x_i) − g(x_i))² + β (p/V) Σ_j c_j²``.
Writes ``--out``/``ridgelet_spectrum.png`` (default ``figures/``):

- left: the trained units, coloured by ``γ_j = (p/V) c_j``;
- middle: the spectrum ``γ_β(a, b) = R[f;σ](a, b) / (((σ,σ)) + β)``, integrated numerically from the samples of
  ``f`` on a 512 × 512 grid (fast path: chirp-z in x, FFT in b), on the same colour scale;
- right: ``γ_j`` against ``γ_β(a_j, b_j)`` unit by unit, with the exact ridge solution at the same hidden
  parameters for reference.

    python examples/ridgelet_spectrum.py [--out figures] [--units 10000] [--epochs 100] [--beta 0.1] [--seed 0]
"""

from __future__ import annotations

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.ridgelet import spectrum as rs  # noqa: E402
from numerics.ridgelet import two_layer as tl  # noqa: E402
from proofs_check.crn import child, claim_seed, prefix_draw  # noqa: E402
from theory.ridgelet import rerm as rr  # noqa: E402

BOX = 30.0
SIGMA = ("gaussian_derivative", 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="figures")
    ap.add_argument("--units", type=int, default=10_000)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.units < 1 or args.epochs < 1 or not args.beta > 0:
        ap.error("--units and --epochs must be positive, --beta > 0")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    x = np.linspace(-1.0, 1.0, 201)
    w = rs.trapezoid_weights(x)
    y = np.sin(2 * np.pi * x)
    p, V, beta = args.units, (2 * BOX) ** 2, args.beta
    norm = rr.self_admissibility_numpy(1)

    seed = claim_seed(args.seed, "example.ridgelet_spectrum", 0)
    u = prefix_draw(seed, p, lambda rng, m: rng.uniform(-1.0, 1.0, (m, 2)))
    a0, b0 = BOX * u[:, 0], BOX * u[:, 1]
    rng = np.random.default_rng(child(seed, 1))
    batches = tl.reshuffled_batches(rng, x.size, 32, args.epochs)
    T = batches.shape[0]
    lr = (V / p) / (2 * (norm + beta))
    res = tl.train_sgd(x, w, y, a0, b0, np.zeros(p), SIGMA, batches, lr, lr, beta * p / V, 0.0,
                       lr_factor=1 / (1 + 10 * np.arange(T) / T), record=max(args.epochs // 10, 1))
    gamma = res.c * p / V
    ridge = tl.ridge_output_layer(x, w, y, res.a, res.b, SIGMA, beta, V)
    # the spectrum at the units and on a grid, integrated from the samples of f
    at_units = tl.spectrum_from_dual(x, w, y / (norm + beta), res.a, res.b, SIGMA)
    samples = rs.Samples.from_grid(x, y)
    ga = np.linspace(-BOX, BOX, 512)
    gb = np.linspace(-BOX, BOX, 512)
    grid = rs.spectrum_fast(samples, ga, gb, SIGMA) / (norm + beta)

    vmax = float(np.max(np.abs(grid)))
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    ax = axes[0]
    order = np.argsort(np.abs(gamma))
    sc = ax.scatter(res.a[order], res.b[order], c=gamma[order], s=4, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    ax.set(xlim=(-BOX, BOX), ylim=(-BOX, BOX), xlabel="a", ylabel="b",
           title=f"SGD-trained units (p = {p}), colour (p/V) c_j", )
    fig.colorbar(sc, ax=ax, shrink=0.85)
    ax = axes[1]
    im = ax.imshow(grid.T, origin="lower", extent=(-BOX, BOX, -BOX, BOX), cmap="RdBu_r", vmin=-vmax, vmax=vmax,
                   aspect="auto")
    ax.set(xlabel="a", ylabel="b", title="spectrum R[f;σ]/(((σ,σ)) + β), integrated")
    fig.colorbar(im, ax=ax, shrink=0.85)
    ax = axes[2]
    lim = 1.05 * max(np.max(np.abs(at_units)), np.max(np.abs(gamma)))
    ax.plot([-lim, lim], [-lim, lim], "k-", lw=0.8, label="y = x")
    ax.scatter(at_units, ridge.gamma, s=3, alpha=0.5, color="C1", label="exact ridge, same hidden units")
    ax.scatter(at_units, gamma, s=3, alpha=0.5, color="C0", label="SGD, all parameters")
    corr = float(np.corrcoef(at_units, gamma)[0, 1])
    rel = float(np.linalg.norm(gamma - at_units) / np.linalg.norm(at_units))
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel="γ_β(a_j, b_j)", ylabel="(p/V) c_j",
           title=f"per unit: corr. {corr:.3f}, relative gap {rel:.2f}")
    ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"f = sin 2πx on [−1, 1], σ = G′, (a, b) uniform on [−30, 30]², β = {beta:g}", fontsize=11)
    fig.tight_layout()
    path = out / "ridgelet_spectrum.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    drift = float(max(np.max(np.abs(res.a - a0)), np.max(np.abs(res.b - b0))))
    print(f"wrote {path}: correlation {corr:.3f}, relative gap {rel:.3f} (SGD vs spectrum), "
          f"{float(np.linalg.norm(gamma - ridge.gamma) / np.linalg.norm(ridge.gamma)):.3f} (SGD vs exact ridge); "
          f"hidden drift {drift:.2e}; final objective {res.data_loss[-1] + res.penalty[-1]:.4g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
