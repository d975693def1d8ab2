"""A short path for simple claims: a rate, tight or bound claim from plain functions.

A claim is normally a :class:`proofs_check.claim.Claim` subclass with four methods. When the experiment is
one function of the rung and a random generator, and the measurement one function of its output and a
prediction's target, :func:`rate_claim`, :func:`tight_claim` and :func:`bound_claim` build that subclass::

    from proofs_check.simple import rate_claim, theory, mutant

    MeanRate = rate_claim(
        "mine.mean_rate",
        title="sample mean → 1/2 at n^{-1/2}",
        reference="law of large numbers",
        statement="The mean of n uniform draws converges to 1/2 at the Monte-Carlo rate n^{-1/2}.",
        experiment=lambda n, rng: rng.random(int(n)).mean(),
        measure=lambda mean, target: abs(mean - target),
        theory=theory(-0.5, target=0.5, description="mean 1/2, rate −1/2"),
        mutants=[mutant("wrong-limit", -0.5, target=0.51), mutant("wrong-rate", -1.0, target=0.5)],
        quick=((2.0**k for k in range(6, 15)), 16),
    )
    CLAIMS = [MeanRate]

``experiment(level, rng)`` gets a :class:`numpy.random.Generator` seeded from the (claim, seed) pair and not
from the rung: drawing ``n`` values sequentially makes the width-``n`` draw a prefix of the width-``2n``
draw (common random numbers along the ladder). The built claims get everything the subclass gets:
calibrated verdicts, ``--power`` (the exponent or bound knob, plus ``knobs``), reports and the pytest
plugin. Knobs of the target are ``knob(name, kind, lambda eps: target)``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from proofs_check.claim import Claim, Kind, Knob, KnobKind, Ladder, Method, Prediction


@dataclass(frozen=True)
class _Spec:
    value: float
    target: Any
    description: str
    name: str
    tolerance: float | None = None
    sense: str = "le"


def theory(value: float, *, target: Any = None, description: str = "the theory", tolerance: float | None = None,
           sense: str = "le") -> _Spec:
    """The theory's prediction: the exponent (rate), the exact value (tight) or the bound (bound)."""
    return _Spec(float(value), target, description, "theory", tolerance, sense)


def mutant(name: str, value: float, *, target: Any = None, description: str = "",
           tolerance: float | None = None, sense: str = "le") -> _Spec:
    """A plausible wrong theory that the claim must refute."""
    return _Spec(float(value), target, description or name, name, tolerance, sense)


@dataclass(frozen=True)
class _KnobSpec:
    name: str
    kind: KnobKind
    target_of: Callable[[float], Any]
    description: str
    target: float | None
    note: str


def knob(name: str, kind: str | KnobKind, target_of: Callable[[float], Any], *, description: str = "",
         target: float | None = None, note: str = "") -> _KnobSpec:
    """An ingredient of the theory's target as a perturbation family: ``target_of(eps)`` is the target
    with that ingredient perturbed by ``eps`` (relative for constants and functions)."""
    return _KnobSpec(name, KnobKind(kind), target_of, description, target, note)


def _ladder(spec, parameter: str) -> Ladder:
    if isinstance(spec, Ladder):
        return spec
    try:
        values, seeds = spec
    except (TypeError, ValueError):
        raise ValueError("ladder: expected a Ladder or a pair (rung values, seeds)") from None
    return Ladder(parameter, tuple(float(v) for v in values), int(seeds))


def _build(kind: Kind, claim_id: str, *, title: str, reference: str, statement: str,
           experiment: Callable[[float, np.random.Generator], Any], measure: Callable[[Any, Any], float],
           theory: _Spec, mutants: Sequence[_Spec], quick, full=None, parameter: str = "n",
           paper: str | None = None, knobs: Iterable[_KnobSpec] = (), default: bool = True,
           method: Method = Method.CONVERGENCE, module: str | None = None, **criteria) -> type[Claim]:
    if not isinstance(claim_id, str) or "." not in claim_id:
        raise ValueError(f"claim id: expected 'paper.statement', got {claim_id!r}")
    if not callable(experiment) or not callable(measure):
        raise ValueError(f"{claim_id}: experiment and measure must be callables")
    if not mutants:
        raise ValueError(f"{claim_id}: mutants: expected at least one wrong theory (a check that cannot fail "
                         "is a defect)")
    specs = [theory, *mutants]
    knob_specs = tuple(knobs)
    ladders = {"quick": _ladder(quick, parameter), "full": _ladder(full if full is not None else quick, parameter)}

    def predictions(self, ctx):
        return [Prediction(s.name, s.description, s.value, mutant=s is not theory, target=s.target,
                           tolerance=s.tolerance, sense=s.sense) for s in specs]

    def run(self, ctx, level, seed):
        return experiment(level, np.random.default_rng(seed))

    def meas(self, ctx, obs, prediction):
        return float(measure(obs, prediction.target))

    def all_knobs(self, ctx, th):
        out = list(Claim.knobs(self, ctx, th))
        for k in knob_specs:
            out.append(Knob(k.name, k.kind, (lambda e, k=k: replace(th, target=k.target_of(e))), k.description,
                            remeasure=True, target=k.target, note=k.note))
        return out

    module = module or sys._getframe(2).f_globals.get("__name__", __name__)
    name = "Claim_" + "".join(ch if ch.isalnum() else "_" for ch in claim_id)
    attrs = dict(id=claim_id, paper=paper or claim_id.split(".")[0], reference=reference, title=title, kind=kind,
                 method=method, ladders=ladders, default=default, __doc__=statement, __module__=module,
                 __qualname__=name, predictions=predictions, experiment=run, measure=meas, knobs=all_knobs)
    for key, val in criteria.items():
        if not hasattr(Claim, key):
            raise ValueError(f"{claim_id}: unknown claim criterion {key!r}")
        attrs[key] = val
    cls = type(name, (Claim,), attrs)
    cls.check_definition()
    mod = sys.modules.get(module)
    if mod is not None:  # importable by reference: worker processes rebuild it when they import the module
        setattr(mod, name, cls)
    return cls


def rate_claim(claim_id: str, **kw) -> type[Claim]:
    """A RATE claim: ``measure`` decays like ``level**theory.value`` (log–log slope over the ladder)."""
    return _build(Kind.RATE, claim_id, **kw)


def tight_claim(claim_id: str, **kw) -> type[Claim]:
    """A TIGHT claim: ``|measure − value| ≤ tolerance`` at the finest rung, every seed."""
    return _build(Kind.TIGHT, claim_id, **kw)


def bound_claim(claim_id: str, **kw) -> type[Claim]:
    """A BOUND claim: ``measure ≤ value`` (``sense="ge"``: ``≥``) at every rung and seed."""
    return _build(Kind.BOUND, claim_id, method=kw.pop("method", Method.BOUND), **kw)
