"""One PNG per claim: measured value against the rung, every seed, seed mean, fit and prediction."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from proofs_check.engine import ClaimResult  # noqa: E402


def plot_claim(r: ClaimResult, path: str | Path) -> Path:
    """Distance (or measured value) vs rung on log-log axes for RATE claims, with the fitted line and a
    line of the predicted slope through the fit's centre; BOUND/TIGHT/MONOTONE on semilog-x with the
    predicted value as a horizontal line. Mutants are drawn dashed."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4), dpi=110)
    levels = np.asarray(r.levels, dtype=float)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    rate = r.kind == "rate"
    positive = True
    for i, o in enumerate(r.outcomes):
        c = colours[i % len(colours)]
        table = r.table(o.name)
        style = "--" if o.mutant else "-"
        label = f"{o.name}{' (mutant)' if o.mutant else ''}: {o.verdict.value}"
        for s in range(table.shape[1]):
            ax.plot(levels, table[:, s], ".", color=c, alpha=0.25, ms=3)
        with np.errstate(invalid="ignore", divide="ignore"):
            if rate:
                centre = np.exp(np.nanmean(np.log(np.where(table > 0, table, np.nan)), axis=1))
            else:
                centre = np.nanmean(table, axis=1)
        ax.plot(levels, centre, style, color=c, marker="o", ms=4, label=label)
        positive &= bool(np.all(table[np.isfinite(table)] > 0))
        s = o.summary
        if rate and "slope" in s:
            x = np.asarray(s["levels_used"])
            ax.plot(x, np.exp(s["intercept"]) * x ** s["slope"], ":", color=c, lw=1)
            xm = np.exp(np.mean(np.log(x)))
            ym = np.exp(s["intercept"]) * xm ** s["slope"]
            ax.plot(x, ym * (x / xm) ** o.predicted, "-", color=c, lw=3, alpha=0.25)
        elif not rate and r.kind in ("bound", "tight"):
            ax.axhline(o.predicted, color=c, ls=style, lw=1)
    ax.set_xscale("log", base=2 if np.all(np.log2(levels) == np.round(np.log2(levels))) else 10)
    if rate and positive:
        ax.set_yscale("log")
    ax.set_xlabel(r.parameter)
    ax.set_ylabel(r.quantity)
    ax.set_title(f"{r.claim_id}: {r.verdict.value}", fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="best")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)
