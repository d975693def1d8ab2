"""Power of a claim: the smallest perturbation of each ingredient of its theory that the claim's own
measurements refute.

A claim declares its *knobs* (:meth:`proofs_check.claim.Claim.knobs`): each constant, exponent or
ingredient function of the prediction as a one-parameter family of wrong theories. With ``--power`` every
task also measures the perturbed predictions on the grids below, on the observation it already has (no
experiment is re-run), and the same decision rule as the theory's — at the same per-decision level —
decides each one. The *resolution* of a knob in a direction is the smallest ``ε`` on the grid from which
every larger ``ε`` is refuted: a theory wrong by that much or more would not have been confirmed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from proofs_check.claim import Knob, KnobKind, Verdict

#: relative perturbations of constants and ingredient functions
CONSTANT_GRID = (0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5)
#: absolute perturbations of exponents
EXPONENT_GRID = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5)
#: the resolution the tests require of a default claim unless its knob states another target and why
TARGETS = {KnobKind.CONSTANT: 0.05, KnobKind.FUNCTION: 0.05, KnobKind.EXPONENT: 0.1}


def grid(kind: KnobKind) -> tuple[float, ...]:
    return EXPONENT_GRID if kind is KnobKind.EXPONENT else CONSTANT_GRID


def perturbations(knob: Knob) -> list[float]:
    """Every signed ``ε`` at which a knob is measured (directions × grid)."""
    return [d * e for d in knob.directions for e in grid(knob.kind)]


def value_key(knob: Knob, eps: float) -> str:
    """The key under which a task records the measurement of a perturbed prediction."""
    return f"{knob.name}@{eps:+.6g}"


@dataclass
class KnobPower:
    """The resolution of one knob: per direction, the smallest refuted ``ε`` (``None``: not refuted on
    the grid), with every decision made."""

    name: str
    kind: str
    description: str
    target: float
    note: str
    resolution: dict[str, float | None]
    decisions: dict[str, str] = field(default_factory=dict)

    def meets_target(self) -> bool:
        """Every direction resolved within the target; a knob whose target is ``inf`` (its note says why it
        cannot be resolved: a sufficient condition conservative by orders of magnitude) has no requirement."""
        if math.isinf(self.target):
            return True
        return all(r is not None and r <= self.target + 1e-12 for r in self.resolution.values())

    def text(self) -> str:
        def one(sign: str) -> str:
            if sign not in self.resolution:
                return "—"
            r = self.resolution[sign]
            g = grid(KnobKind(self.kind))
            if r is None:
                return f"> {g[-1]:g}"
            return f"{r:.3g}" if self.kind == KnobKind.EXPONENT.value else f"{100 * r:.3g} %"
        return f"−: {one('-')}, +: {one('+')}"


def resolution(knob: Knob, verdicts: dict[float, Verdict]) -> KnobPower:
    """Smallest refuted ``|ε|`` per direction such that every larger ``|ε|`` on the grid is refuted too."""
    res: dict[str, float | None] = {}
    for d in knob.directions:
        sign = "+" if d > 0 else "-"
        best = None
        for e in reversed(grid(knob.kind)):
            if verdicts.get(d * e) is Verdict.REFUTED:
                best = e
            else:
                break
        res[sign] = best
    target = knob.target if knob.target is not None else TARGETS[knob.kind]
    return KnobPower(knob.name, knob.kind.value, knob.description, float(target), knob.note, res,
                     {f"{e:+.6g}": v.value for e, v in sorted(verdicts.items())})


def table_of(knob: Knob, results, theory_name: str, levels: list[float], seeds: int) -> dict[float, np.ndarray]:
    """The (rungs × seeds) table of every perturbation of ``knob`` from finished task results."""
    out = {}
    index = {i: i for i in range(len(levels))}
    for eps in perturbations(knob):
        key = theory_name if not knob.remeasure else value_key(knob, eps)
        t = np.full((len(levels), seeds), np.nan)
        for r in results:
            t[index[r.rung], r.seed_index] = r.values.get(key, np.nan)
        out[eps] = t
    return out
