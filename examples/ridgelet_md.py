"""The ridgelet spectrum of a two-layer network with 2-D input (Sonoda, Ishikawa & Ikeda, AISTATS 2021, stated on
ℝ^m): the parameter cloud of the network trained by exact ridge regression on its output layer beside the
box-limit spectrum, sliced at a fixed ``|a|`` (docs/ridgelet.md#md-figure).

Setting of ``ridgelet.md.rerm_spectrum`` (docs/ridgelet.md#ridgelet.md.rerm_spectrum): ``σ = G′``,
``f = e^{−(x₁² + x₂²/0.75²)/2}`` on the 9 × 9 grid of ``[−3, 3]²``, ``p`` hidden units ``(a_j, b_j)`` uniform on
``[−1, 1]² × [−14, 14]`` (volume ``V``), output weights ``c`` minimising ``Σ_i w_i (f(x_i) − g(x_i))² + β (p/V) Σ c_j²``
exactly (the lazy regime: the hidden parameters stay where they were drawn). Writes
``--out``/``ridgelet_md.png`` (default ``examples/out``):

- left: the units with ``b ∈ [0.5, 1.5]`` (near the spectrum's extremum in b) in the ``(a₁, a₂)`` plane, coloured by ``γ_j = (p/V) c_j``, with the shell
  ``|a| ≈ r`` marked;
- middle: the units of the shell ``|a| ∈ [r − δ, r + δ]`` in the ``(φ, b)`` plane (``a = |a| (cos φ, sin φ)``);
- right: the box-limit spectrum ``γ_{β,B}(r u_φ, b)`` on the same axes and colour scale.

    python examples/ridgelet_md.py [--out examples/out] [--units 40000] [--radius 0.7] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from numerics.ridgelet import radon as rd  # noqa: E402
from numerics.ridgelet import two_layer as tl  # noqa: E402
from proofs_check.claims import ridgelet_md as cm  # noqa: E402
from proofs_check.crn import claim_seed  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="examples/out")
    ap.add_argument("--units", type=int, default=40_000)
    ap.add_argument("--radius", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.units < 1 or not 0 < args.radius < 1:
        ap.error("--units must be positive and 0 < --radius < 1 (the shell inside the box [−1, 1]²)")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    st = cm.RERMSetting()
    ctx = cm._rerm_context(st)
    p = args.units
    a, b = cm._hidden_draw_2d(claim_seed(args.seed, "example.ridgelet_md", 0), p, st)
    Phi = rd.features_2d(ctx["x"], a, b, st.sigma)
    u = tl.ridge_limit_dual((st.volume / p) * tl.gram(Phi), ctx["w"], ctx["y"], st.beta)
    gamma = tl.project(ctx["w"] * u, Phi)
    limit = tl.project(ctx["w"] * ctx["dual"], Phi)
    rel = float(np.linalg.norm(gamma - limit) / np.linalg.norm(limit))

    r, dr = args.radius, 0.05
    phi_grid = np.linspace(-math.pi, math.pi, 181)
    b_grid = np.linspace(-4.0, 4.0, 161)
    A_grid = np.column_stack([r * np.cos(phi_grid), r * np.sin(phi_grid)])
    P_, B_ = np.repeat(np.arange(phi_grid.size), b_grid.size), np.tile(b_grid, phi_grid.size)
    slice_ = tl.project(ctx["w"] * ctx["dual"], rd.features_2d(ctx["x"], A_grid[P_], B_, st.sigma))
    slice_ = slice_.reshape(phi_grid.size, b_grid.size)
    vmax = float(np.max(np.abs(limit)))

    norm_a = np.hypot(a[:, 0], a[:, 1])
    fig, axes = plt.subplots(1, 3, figsize=(17, 5))
    ax = axes[0]
    sel = np.abs(b - 1.0) <= 0.5
    sc = ax.scatter(a[sel, 0], a[sel, 1], c=gamma[sel], s=5, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    t = np.linspace(0, 2 * math.pi, 200)
    for rr_ in (r - dr, r + dr):
        ax.plot(rr_ * np.cos(t), rr_ * np.sin(t), "k-", lw=0.6)
    ax.set(xlim=(-1, 1), ylim=(-1, 1), aspect="equal", xlabel="a₁", ylabel="a₂",
           title=f"units with b ∈ [0.5, 1.5] (of p = {p}), colour (p/V) c_j")
    fig.colorbar(sc, ax=ax, shrink=0.85)
    ax = axes[1]
    shell = np.abs(norm_a - r) <= dr
    ax.scatter(np.arctan2(a[shell, 1], a[shell, 0]), b[shell], c=gamma[shell], s=6, cmap="RdBu_r", vmin=-vmax,
               vmax=vmax)
    ax.set(xlim=(-math.pi, math.pi), ylim=(b_grid[0], b_grid[-1]), xlabel="φ (direction of a)", ylabel="b",
           title=f"units with |a| ∈ [{r - dr:g}, {r + dr:g}] ({int(shell.sum())} units)")
    ax = axes[2]
    im = ax.imshow(slice_.T, origin="lower", extent=(-math.pi, math.pi, b_grid[0], b_grid[-1]), cmap="RdBu_r",
                   vmin=-vmax, vmax=vmax, aspect="auto")
    ax.set(xlabel="φ (direction of a)", ylabel="b", title=f"box-limit spectrum γ_β,B(a, b) at |a| = {r:g}")
    fig.colorbar(im, ax=ax, shrink=0.85)
    fig.suptitle(f"2-D input: f = exp(−(x₁² + x₂²/0.75²)/2), σ = G′, (a, b) uniform on [−1, 1]² × [−14, 14], "
                 f"β = {st.beta:g}; relative RMS gap to the limit over the units {rel:.3f}", fontsize=11)
    fig.tight_layout()
    path = out / "ridgelet_md.png"
    fig.savefig(path, dpi=120)
    plt.close(fig)
    print(f"wrote {path}: relative RMS distance of (p/V) c to the box-limit spectrum {rel:.4f} (p = {p})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
