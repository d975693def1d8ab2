"""Decisions: from a (rungs x seeds) table of measured values to a verdict, one rule per :class:`Kind`.

Everything here is a pure function of the table, the prediction and the claim's stated criteria, so the
same inputs always give the same verdict. A run controls its family-wise false-alarm rate: every
statistical decision is made at ``level = alpha / K`` (Bonferroni over the ``K`` statistical decisions of
the run), so a correct theory is refuted somewhere in the run with probability at most ``alpha``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from proofs_check.claim import Kind, Verdict

#: family-wise false-alarm rate of one run (every statistical decision of the run together)
ALPHA = 0.002
#: round-off allowance on a fitted slope (exact power laws give an interval of zero width)
NUMERICAL_SLACK = 1e-9
#: per-seed slopes whose spread is below this (relative) come from a deterministic experiment
DETERMINISTIC_SPREAD = 1e-9


@dataclass(frozen=True)
class Criteria:
    """The claim's stated decision parameters (copied from the claim class, so decisions are pure).

    ``level`` is the per-decision false-alarm rate: the run's family-wise ``alpha`` divided by the number
    of statistical decisions it makes (Bonferroni; :func:`proofs_check.engine.run_claims`).
    ``correction_order`` is the order ``q`` of the next term of a deterministic sequence,
    ``d(h) = C h^p (1 + c h^q + …)``, which bounds the bias of its top local slope (:func:`fit_rate`).
    """

    kind: Kind
    rate_tolerance: float = 0.0
    floor: float = 0.0
    max_interval: float = 0.5
    rtol: float = 0.0
    tolerance: float | None = None
    level: float = ALPHA
    correction_order: float = 1.0
    deterministic: bool = False


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


def _non_finite(values: np.ndarray, levels: np.ndarray) -> str | None:
    """The reason a table with NaN or ±inf entries cannot be decided, or ``None``."""
    bad = ~np.isfinite(values)
    if not bad.any():
        return None
    r, s = np.argwhere(bad)[0]
    return (f"{int(bad.sum())} non-finite measured value(s) (first {values[r, s]} at rung {levels[r]:g}, "
            f"seed {s}): a failed experiment, not a measurement")


def usable_rungs(levels: np.ndarray, values: np.ndarray, floor: float) -> tuple[np.ndarray | None, str]:
    """Rungs of a RATE table that enter the fit, or ``None`` and the reason the table cannot be fitted.

    A value ``≤ floor`` is at the round-off / quadrature floor of the experiment. Such values may only form
    a contiguous block at the finest rungs (the floor is reached once the error is small enough, and
    stays); they are dropped and the reason says how many. A floor value followed by a usable rung,
    a non-positive value above the floor, or fewer than ``max(3, ⌈rungs/2⌉)`` usable rungs is not fitted.
    """
    at_floor = np.any(values <= floor, axis=1)
    n = len(levels)
    need = max(3, -(-n // 2))
    if at_floor.any():
        first = int(np.argmax(at_floor))
        if not at_floor[first:].all():
            later = first + int(np.argmin(at_floor[first:]))
            return None, (f"values at the floor {floor:g} at rung {levels[first]:g} but not at the finer rung "
                          f"{levels[later]:g}: the floor must be a contiguous block at the finest rungs")
        keep = np.arange(n) < first
    else:
        keep = np.ones(n, dtype=bool)
    dropped = n - int(keep.sum())
    if keep.sum() < need:
        return None, (f"only {int(keep.sum())} of {n} rungs above the floor {floor:g}; need {need}")
    if np.any(values[keep] <= 0):
        return None, "non-positive measured values above the floor: no log-log slope"
    return keep, (f"{dropped} finest rung(s) at the floor {floor:g} dropped" if dropped else "")


def _local_slopes(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return np.diff(mean) / np.diff(x)


def _richardson(x: np.ndarray, curve: np.ndarray, order: float) -> tuple[float, float, np.ndarray]:
    """Extrapolated slope, its bias bound and the local slopes of one deterministic log–log curve.

    With ``d(h) = C h^p (1 + c₁ h^q + c₂ h^{2q} + …)`` the local slope at the midpoint ``m`` (in log h) of
    two rungs is ``p + a e^{−q m} + b e^{−2q m} + …``. One Richardson step (the ``h^q`` term eliminated from
    the last two local slopes) gives ``p̂₁``; where three local slopes exist, two steps (``h^q`` and
    ``h^{2q}`` eliminated: a 3 × 3 solve) give ``p̂₂``, which also covers local slopes that cross the
    limit and turn back (``c₁`` nearly cancelled by ``c₂``). The centre is the highest-order estimate and
    the bias bound the sum of the steps' changes, ``|p̂₂ − p̂₁| + |p̂₁ − p_K|``.
    """
    loc = _local_slopes(x, curve)
    mid = (x[1:] + x[:-1]) / 2.0
    dist = np.abs(mid - mid[-1])  # distance (in log h) of each local slope from the finest one
    r = math.exp(-order * dist[-2])
    one = float(loc[-1] + r / (1.0 - r) * (loc[-1] - loc[-2]))
    if loc.size < 3:
        return one, abs(one - float(loc[-1])), loc
    t = dist[-3:]
    A = np.column_stack([np.ones(3), np.exp(order * t), np.exp(2.0 * order * t)])
    try:
        two = float(np.linalg.solve(A, loc[-3:])[0])
    except np.linalg.LinAlgError:  # pragma: no cover - distinct rungs make A regular
        two = one
    if not math.isfinite(two):
        two = one
    return two, abs(two - one) + abs(one - float(loc[-1])), loc


def fit_rate(levels, values, floor: float, level: float = ALPHA, correction_order: float = 1.0,
             deterministic: bool = False) -> dict:
    """The log–log slope of ``values`` (rungs × seeds) against ``levels``, with a two-sided interval.

    *Random experiments* (per-seed slopes that differ, ``deterministic`` false): each seed's curve is fitted
    by least squares on the usable rungs (common random numbers along the ladder make each seed's curve
    smooth), and the seeds are independent, so the mean slope has the Student-t interval
    ``mean ± t_{1−level/2, S−1} · sd/√S``; the mean of the per-seed slopes is the slope of the seed-mean of
    ``log values``. The interval covers the expected slope of the ladder with probability ``1 − level``.

    *Deterministic experiments* (one seed, identical per-seed slopes, or a claim whose seeds only pick
    deterministic instances): there is no sampling error, only the pre-asymptotic bias. With
    ``d(h) = C h^p (1 + c h^q + o(h^q))`` the local slope between rungs ``k`` and ``k+1`` is
    ``p_k = p + O(r^k)``, ``r = (h_{k+1}/h_k)^q``; the top local slope ``p_K`` is extrapolated by one
    Richardson step, ``p̂ = p_K + r/(1 − r) (p_K − p_{K−1})``, with the interval ``p̂ ± |r/(1 − r) (p_K −
    p_{K−1})|``: it contains both the top local slope and the extrapolation, and ``p`` when the next term
    decays at least at order ``q`` (the claim's ``correction_order``). Each instance must agree: the
    interval reported is the intersection over instances, and a prediction outside any instance's
    interval is refuted.
    """
    levels = np.asarray(levels, dtype=float)
    values = np.asarray(values, dtype=float)
    keep, note = usable_rungs(levels, values, floor)
    if keep is None:
        return {"usable_rungs": 0, "unusable": note}
    x = np.log(levels[keep])
    L = np.log(values[keep])
    S = L.shape[1]
    mean = L.mean(axis=1)
    xc = x - x.mean()
    seed_slopes = (xc @ (L - L.mean(axis=0))) / (xc @ xc)
    slope = float(seed_slopes.mean())
    intercept = float(mean.mean() - slope * x.mean())
    spread = float(seed_slopes.std(ddof=1)) if S > 1 else 0.0
    out = {"intercept": intercept, "usable_rungs": int(keep.sum()), "dropped_at_floor": int((~keep).sum()),
           "levels_used": [float(v) for v in levels[keep]], "seed_mean_log": [float(v) for v in mean],
           "level": float(level)}
    if note:
        out["note"] = note
    if not deterministic and S > 1 and spread > DETERMINISTIC_SPREAD * (1.0 + abs(slope)):
        t = float(stats.t.ppf(1.0 - level / 2.0, df=S - 1))
        half = t * spread / np.sqrt(S)
        out.update(slope=slope, low=slope - half, high=slope + half, seed_slopes=[float(v) for v in seed_slopes],
                   standard_error=spread / np.sqrt(S), t=t,
                   interval=f"Student-t over {S} seeds at level {1 - level:.5f}")
        return out
    per_seed = [_richardson(x, L[:, s], correction_order) for s in range(S)]
    lows = [c - b for c, b, _ in per_seed]
    highs = [c + b for c, b, _ in per_seed]
    low, high = max(lows), min(highs)
    centre = float(np.mean([c for c, _, _ in per_seed]))
    out.update(slope=centre, low=float(low), high=float(high), ladder_slope=slope,
               seed_slopes=[float(c) for c, _, _ in per_seed],
               local_slopes=[float(v) for v in _local_slopes(x, mean)], correction_order=correction_order,
               interval=(f"deterministic: top local slope with one Richardson step of order {correction_order:g}"
                         + (f", intersected over {S} instances" if S > 1 else "")))
    return out


def decide(levels, values, prediction_value: float, criteria: Criteria, *, sense: str = "le",
           tolerance: float | None = None, fit: dict | None = None) -> tuple[Verdict, str, dict]:
    """Verdict, one-line reason and summary for one prediction on a (rungs x seeds) table.

    Every kind is INCONCLUSIVE, with the reason, on a table holding NaN or ±inf. ``fit`` reuses a RATE fit
    of the same table (power analysis decides many predicted exponents on one fit).
    """
    values = np.asarray(values, dtype=float)
    levels = np.asarray(levels, dtype=float)
    kind = criteria.kind
    bad = _non_finite(values, levels)
    if bad:
        return Verdict.INCONCLUSIVE, bad, {"non_finite": int((~np.isfinite(values)).sum())}
    if kind is Kind.RATE:
        if fit is None:
            fit = fit_rate(levels, values, criteria.floor, criteria.level, criteria.correction_order,
                           criteria.deterministic)
        if "slope" not in fit:
            return Verdict.INCONCLUSIVE, fit["unusable"], dict(fit)
        fit = dict(fit, rate_tolerance=criteria.rate_tolerance)
        tol = criteria.rate_tolerance + NUMERICAL_SLACK
        lo, hi = fit["low"] - tol, fit["high"] + tol
        width = max(fit["high"] - fit["low"], 0.0)
        extra = f"; {fit['note']}" if fit.get("note") else ""
        if not lo <= prediction_value <= hi:
            return (Verdict.REFUTED, f"predicted slope {prediction_value:+.3f} outside [{lo:+.3f}, {hi:+.3f}]{extra}",
                    fit)
        if width > criteria.max_interval:
            return Verdict.INCONCLUSIVE, f"interval width {width:.3f} > {criteria.max_interval}{extra}", fit
        return (Verdict.CONFIRMED, f"predicted slope {prediction_value:+.3f} inside [{lo:+.3f}, {hi:+.3f}]{extra}",
                fit)
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
        S = values.shape[1]
        mean = values.mean(axis=1)
        se = values.std(axis=1, ddof=1) / math.sqrt(S) if S > 1 else np.zeros(len(mean))
        # one-sided steps and the total change at the run's per-decision level (Bonferroni over the steps)
        z = float(stats.t.ppf(1.0 - criteria.level / (2.0 * max(len(mean) - 1, 1)), df=max(S - 1, 1)))
        steps = direction * np.diff(mean)
        allow = z * np.sqrt(se[1:] ** 2 + se[:-1] ** 2)
        total = direction * (mean[-1] - mean[0])
        total_allow = z * math.hypot(se[0], se[-1])
        summary = {"change": float(mean[-1] - mean[0]), "means": [float(m) for m in mean],
                   "standard_errors": [float(s) for s in se], "critical_value": z}
        if np.all(steps >= -allow) and total > total_allow:
            return Verdict.CONFIRMED, "moves in the predicted direction at every rung", summary
        if np.any(steps < -allow) or total < -total_allow:
            return Verdict.REFUTED, f"moves against the predicted direction beyond {z:.2f} standard errors", summary
        return Verdict.INCONCLUSIVE, f"no change beyond {z:.2f} standard errors", summary
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
