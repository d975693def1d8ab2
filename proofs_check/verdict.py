"""Decisions: from a (rungs x seeds) table of measured values to a verdict, one rule per :class:`Kind`.

Everything here is a pure function of the table, the prediction and the claim's stated criteria, and the
bootstrap draws come from a seeded generator, so the same inputs always give the same verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from proofs_check.claim import Kind, Verdict

#: bootstrap resamples of the seeds for a rate interval
N_BOOTSTRAP = 2000
#: two-sided level of every interval
CONFIDENCE = 0.95
#: round-off allowance on a fitted slope (exact power laws give an interval of zero width)
NUMERICAL_SLACK = 1e-9


@dataclass(frozen=True)
class Criteria:
    """The claim's stated decision parameters (copied from the claim class, so decisions are pure)."""

    kind: Kind
    rate_tolerance: float = 0.0
    floor: float = 0.0
    max_interval: float = 0.5
    rtol: float = 0.0
    tolerance: float | None = None


@dataclass
class Outcome:
    """The verdict on one prediction (the theory's or a mutant's), with what was measured."""

    name: str
    description: str
    mutant: bool
    predicted: float
    verdict: Verdict
    reason: str
    summary: dict = field(default_factory=dict)

    def measured_text(self) -> str:
        s = self.summary
        if "slope" in s:
            return f"slope {s['slope']:+.3f} [{s['low']:+.3f}, {s['high']:+.3f}]"
        if "worst" in s:
            return f"worst {s['worst']:.4g}"
        if "max_error" in s:
            return f"|error| {s['max_error']:.3g}"
        if "change" in s:
            return f"change {s['change']:+.4g}"
        return ""

    def predicted_text(self) -> str:
        s = self.summary
        if "slope" in s:
            tol = s.get("rate_tolerance", 0.0)
            return f"slope {self.predicted:+.3f}" + (f" (±{tol:g} stated)" if tol else "")
        if "worst" in s:
            return ("≤ " if s.get("sense") == "le" else "≥ ") + f"{self.predicted:.4g}"
        if "max_error" in s:
            return f"{self.predicted:.6g} ± {s['tolerance']:.3g}"
        if "change" in s:
            return "decreasing" if self.predicted < 0 else "increasing"
        return f"{self.predicted:.4g}"


def _bootstrap_rng(key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(entropy=key, spawn_key=(7,)))


def _slopes(x: np.ndarray, curves: np.ndarray) -> np.ndarray:
    """Least-squares slopes of the columns of ``curves`` against ``x``, ignoring NaN entries per column."""
    ok = np.isfinite(curves)
    w = ok.astype(float)
    y = np.where(ok, curves, 0.0)
    n = w.sum(axis=0)
    sx, sy = (w * x[:, None]).sum(axis=0), y.sum(axis=0)
    sxx, sxy = (w * x[:, None] ** 2).sum(axis=0), (y * x[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = (n * sxy - sx * sy) / (n * sxx - sx**2)
    return np.where(n >= 3, slope, np.nan)


def fit_rate(levels: np.ndarray, values: np.ndarray, floor: float, key: int) -> dict:
    """Log-log slope of the seed-mean of ``log(values)`` against ``log(levels)`` with an interval.

    ``values`` has shape (rungs, seeds). Values at or below ``floor`` (round-off / quadrature floor) and
    non-finite values are dropped; a rung is used while at least one seed is left. The interval is the
    percentile bootstrap over seeds (resampling whole seeds keeps the common random numbers together);
    with fewer than three seeds it is the regression's t-interval instead.
    """
    levels = np.asarray(levels, dtype=float)
    values = np.asarray(values, dtype=float)
    logs = np.where(np.isfinite(values) & (values > floor), np.log(np.where(values > 0, values, 1.0)), np.nan)
    usable = np.any(np.isfinite(logs), axis=1)
    x = np.log(levels[usable])
    L = logs[usable]
    if x.size < 3:
        return {"usable_rungs": int(x.size)}

    with np.errstate(invalid="ignore"):
        mean = np.nanmean(L, axis=1)
    fit = stats.linregress(x, mean)
    slope = float(fit.slope)
    stderr = float(fit.stderr) if np.isfinite(fit.stderr) else 0.0  # NaN for an exactly flat mean curve
    n_seeds = L.shape[1]
    alpha = 1.0 - CONFIDENCE
    if n_seeds >= 3:
        rng = _bootstrap_rng(key)
        idx = rng.integers(0, n_seeds, size=(N_BOOTSTRAP, n_seeds))
        with np.errstate(invalid="ignore"):
            means = np.nanmean(L[:, idx], axis=2)  # (rungs, resamples): seed-mean curve per resample
        boots = _slopes(x, means)
        boots = boots[np.isfinite(boots)]
        low, high = np.quantile(boots, [alpha / 2, 1 - alpha / 2])
        method = f"bootstrap over {n_seeds} seeds ({N_BOOTSTRAP} resamples)"
        # the interval must also cover the lack of fit of the mean curve itself
        t = stats.t.ppf(1 - alpha / 2, df=x.size - 2)
        half = t * stderr
        low, high = min(low, slope - half), max(high, slope + half)
    else:
        t = stats.t.ppf(1 - alpha / 2, df=x.size - 2)
        half = t * stderr
        low, high = slope - half, slope + half
        method = f"regression t-interval ({n_seeds} seed{'s' if n_seeds > 1 else ''})"
    return {
        "slope": slope,
        "intercept": float(fit.intercept),
        "low": float(low),
        "high": float(high),
        "interval": method,
        "usable_rungs": int(x.size),
        "levels_used": [float(v) for v in levels[usable]],
        "seed_mean_log": [float(v) for v in mean],
    }


def decide(levels, values, prediction_value: float, criteria: Criteria, *, sense: str = "le",
           tolerance: float | None = None, key: int = 0) -> tuple[Verdict, str, dict]:
    """Verdict, one-line reason and summary for one prediction on a (rungs x seeds) table."""
    values = np.asarray(values, dtype=float)
    levels = np.asarray(levels, dtype=float)
    kind = criteria.kind
    if kind is Kind.RATE:
        fit = fit_rate(levels, values, criteria.floor, key)
        if "slope" not in fit:
            return Verdict.INCONCLUSIVE, f"only {fit['usable_rungs']} rungs above the floor; need 3", fit
        tol = criteria.rate_tolerance + NUMERICAL_SLACK
        fit["rate_tolerance"] = criteria.rate_tolerance
        width = fit["high"] - fit["low"]
        inside = fit["low"] - tol <= prediction_value <= fit["high"] + tol
        if not inside:
            return (Verdict.REFUTED,
                    f"predicted slope {prediction_value:+.3f} outside [{fit['low'] - tol:+.3f}, {fit['high'] + tol:+.3f}]",
                    fit)
        if width > criteria.max_interval:
            return Verdict.INCONCLUSIVE, f"interval width {width:.3f} > {criteria.max_interval}", fit
        return (Verdict.CONFIRMED,
                f"predicted slope {prediction_value:+.3f} inside [{fit['low'] - tol:+.3f}, {fit['high'] + tol:+.3f}]",
                fit)
    if not np.all(np.isfinite(values)):
        return Verdict.INCONCLUSIVE, "non-finite measured values", {"non_finite": int((~np.isfinite(values)).sum())}
    if kind is Kind.BOUND:
        slack = criteria.rtol * abs(prediction_value)
        if sense == "le":
            worst = float(values.max())
            bad = values > prediction_value + slack
        else:
            worst = float(values.min())
            bad = values < prediction_value - slack
        summary = {"worst": worst, "sense": sense, "rtol": criteria.rtol, "violations": int(bad.sum()),
                   "checked": int(values.size)}
        if bad.any():
            r, s = np.argwhere(bad)[0]
            return (Verdict.REFUTED,
                    f"{int(bad.sum())}/{values.size} values violate the bound (first at rung {levels[r]:g}, seed {s})",
                    summary)
        return Verdict.CONFIRMED, f"all {values.size} values within the bound", summary
    if kind is Kind.TIGHT:
        if tolerance is None:
            tolerance = criteria.tolerance
        if tolerance is None:
            raise TypeError("a TIGHT prediction needs a tolerance (on the prediction or the claim)")
        err = np.abs(values[-1] - prediction_value)
        summary = {"max_error": float(err.max()), "tolerance": float(tolerance),
                   "measured": [float(v) for v in values[-1]]}
        if err.max() <= tolerance:
            return Verdict.CONFIRMED, f"max |error| {err.max():.3g} ≤ {tolerance:.3g}", summary
        return Verdict.REFUTED, f"max |error| {err.max():.3g} > {tolerance:.3g}", summary
    if kind is Kind.MONOTONE:
        direction = math.copysign(1.0, prediction_value)
        mean = values.mean(axis=1)
        se = values.std(axis=1, ddof=1) / math.sqrt(values.shape[1]) if values.shape[1] > 1 else np.zeros(len(mean))
        steps = direction * np.diff(mean)
        allow = 2.0 * np.sqrt(se[1:] ** 2 + se[:-1] ** 2)
        total = direction * (mean[-1] - mean[0])
        total_allow = 2.0 * math.hypot(se[0], se[-1])
        summary = {"change": float(mean[-1] - mean[0]), "means": [float(m) for m in mean],
                   "standard_errors": [float(s) for s in se]}
        if np.all(steps >= -allow) and total > total_allow:
            return Verdict.CONFIRMED, "moves in the predicted direction at every rung", summary
        if np.any(steps < -allow) or total < -total_allow:
            return Verdict.REFUTED, "moves against the predicted direction beyond two standard errors", summary
        return Verdict.INCONCLUSIVE, "no change beyond two standard errors", summary
    raise ValueError(f"kind: no decision rule for {kind!r}")


def overall(theory: Verdict, mutants: list[Verdict]) -> tuple[Verdict, str]:
    """A claim is CONFIRMED only if the theory is and every mutant is REFUTED by the same test."""
    if theory is Verdict.ERROR or Verdict.ERROR in mutants:
        return Verdict.ERROR, "an experiment failed"
    if theory is Verdict.REFUTED:
        return Verdict.REFUTED, "the theory's prediction is refuted"
    if theory is Verdict.INCONCLUSIVE:
        return Verdict.INCONCLUSIVE, "the theory's prediction is neither confirmed nor refuted"
    survivors = [v for v in mutants if v is not Verdict.REFUTED]
    if survivors:
        return Verdict.UNFALSIFIABLE, f"{len(survivors)} mutant(s) not refuted by the same test"
    return Verdict.CONFIRMED, f"confirmed; {len(mutants)} mutant(s) refuted"
