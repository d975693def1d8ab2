"""The sweep engine: every claim's (rung, seed) tasks through one executor seam, then the verdicts.

Tasks are independent and carry everything they need (the claim class, the budget, the rung, the seed
index and the root seed), so any :class:`concurrent.futures.Executor` runs them: in-process by default,
local processes (``workers > 1``), or a Dask cluster through ``distributed.Client.get_executor()``
(:func:`proofs_check.executors.make_executor`); ``executor=None`` runs the tasks in this process, in
order. The engine never schedules work itself.
"""

from __future__ import annotations

import json
import time
import traceback
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np

from proofs_check.claim import Claim, Knob, Kind, Prediction, Verdict, split_predictions
from proofs_check.crn import claim_seed, seed_record
from proofs_check.power import KnobPower, perturbations, resolution, table_of, value_key
from proofs_check.verdict import ALPHA, Criteria, Outcome, decide, fit_rate, overall


@dataclass(frozen=True)
class Task:
    claim: type[Claim]
    budget: str
    rung: int
    level: float
    seed_index: int
    root_seed: int
    #: also measure the perturbed theories of the claim's knobs (``--power``)
    power: bool = False
    #: the claim's setting as canonical JSON (``None``: its default setting)
    setting: str | None = None


@dataclass
class TaskResult:
    claim_id: str
    rung: int
    seed_index: int
    values: dict[str, float]
    predictions: list[dict]
    seconds: float
    observation: Any = None
    error: str | None = None


@dataclass
class ClaimResult:
    """Everything measured and decided for one claim: what ``results.json`` records."""

    claim_id: str
    title: str
    paper: str
    reference: str
    kind: str
    method: str
    statement: str
    budget: str
    root_seed: int
    parameter: str
    levels: list[float]
    seeds: list[dict]
    measurements: list[tuple[float, int, dict[str, float]]]
    outcomes: list[Outcome]
    verdict: Verdict
    reason: str
    criteria: dict
    details: dict = field(default_factory=dict)
    seconds: float = 0.0
    error: str | None = None
    #: ``--power``: the resolution of every knob of the theory (:mod:`proofs_check.power`)
    power: list[KnobPower] = field(default_factory=list)
    #: the setting the claim ran on (canonical JSON), ``None`` for its default setting
    setting: str | None = None
    #: what the measured values are (the claim's ``quantity``)
    quantity: str = "measured value"

    def table(self, name: str) -> np.ndarray:
        """Measured values of prediction ``name`` as a (rungs x seeds) array."""
        out = np.full((len(self.levels), len(self.seeds)), np.nan)
        index = {lv: i for i, lv in enumerate(self.levels)}
        for level, s, vals in self.measurements:
            if name in vals:
                out[index[level], s] = vals[name]
        return out

    @property
    def theory(self) -> Outcome | None:
        return next((o for o in self.outcomes if not o.mutant), None)

    @property
    def mutants(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.mutant]


def canonical_setting(setting: Any) -> str:
    """A setting as canonical JSON (sorted keys, no spaces): its identity in tasks, seeds and reports."""
    try:
        return json.dumps(setting, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"setting: expected a JSON object of numbers, strings and lists, got {setting!r} "
                         f"({exc})") from None


def instantiate(claim: type[Claim], setting: str | None = None) -> Claim:
    """An instance of ``claim`` on ``setting`` (canonical JSON; ``None``: the claim's default setting),
    checked by the claim's :meth:`Claim.check_setting`."""
    inst = claim()
    if setting is None:
        inst.setting = claim.default_setting()
    else:
        if not claim.explorable():
            raise ValueError(f"setting: claim {claim.id} has no settings to explore (it checks one fixed setting)")
        inst.setting = json.loads(setting)
        inst.check_setting(inst.setting)
    return inst


@lru_cache(maxsize=64)
def _context(claim: type[Claim], budget: str, setting: str | None = None) -> tuple[Claim, Any, tuple[Prediction, ...]]:
    """The claim's shared context and predictions: computed once per process, budget and setting."""
    inst = instantiate(claim, setting)
    ctx = inst.setup(budget)
    preds = tuple(inst.predictions(ctx))
    if claim.kind is not Kind.REPORT:
        split_predictions(preds)
    return inst, ctx, preds


@lru_cache(maxsize=64)
def _knobs(claim: type[Claim], budget: str, setting: str | None = None) -> tuple[tuple[Knob, dict[float, Prediction]], ...]:
    """The claim's knobs and their perturbed predictions on the power grid: built once per process."""
    inst, ctx, preds = _context(claim, budget, setting)
    theory = next(p for p in preds if not p.mutant)
    out = []
    for knob in inst.knobs(ctx, theory):
        perturbed = {eps: knob.perturb(eps) for eps in perturbations(knob)} if knob.remeasure else {}
        out.append((knob, perturbed))
    names = [k.name for k, _ in out]
    if len(set(names)) != len(names):
        raise TypeError(f"claim {claim.id}: knob names must be distinct, got {names}")
    return tuple(out)


def _prediction_record(p: Prediction) -> dict:
    return {"name": p.name, "description": p.description, "value": float(p.value), "mutant": p.mutant,
            "tolerance": p.tolerance, "sense": p.sense}


def run_task(task: Task) -> TaskResult:
    """One experiment at one rung for one seed, measured against every prediction."""
    start = time.perf_counter()
    cid = task.claim.id
    try:
        inst, ctx, preds = _context(task.claim, task.budget, task.setting)
        seed = claim_seed(task.root_seed, seed_key(cid, task.setting), task.seed_index)
        obs = inst.experiment(ctx, task.level, seed)
        values = {p.name: float(inst.measure(ctx, obs, p)) for p in preds}
        if task.power and claim_decided(task.claim):
            for knob, perturbed in _knobs(task.claim, task.budget, task.setting):
                for eps, pred in perturbed.items():
                    values[value_key(knob, eps)] = float(inst.measure(ctx, obs, pred))
        keep = obs if inst.keep_observation(task.level, task.seed_index) else None
        return TaskResult(cid, task.rung, task.seed_index, values, [_prediction_record(p) for p in preds],
                          time.perf_counter() - start, keep)
    except Exception:  # recorded, reported as ERROR; the sweep goes on
        return TaskResult(cid, task.rung, task.seed_index, {}, [], time.perf_counter() - start,
                          error=traceback.format_exc())


def seed_key(claim_id: str, setting: str | None) -> str:
    """The key of a (claim, setting) pair's seed sequences: the claim id for the default setting, else the
    id and the setting's canonical JSON (so ``--setting`` reproduces an explored setting's draws)."""
    return claim_id if setting is None else f"{claim_id}|{setting}"


def tasks_for(claim: type[Claim], budget: str, root_seed: int, power: bool = False,
              setting: str | None = None) -> list[Task]:
    ladder = claim.ladder(budget)
    return [Task(claim, budget, r, float(level), s, root_seed, power, setting)
            for r, level in enumerate(ladder.values) for s in range(ladder.seeds)]


def claim_decided(claim: type[Claim]) -> bool:
    """Whether the claim predicts something (every kind but REPORT)."""
    return claim.kind is not Kind.REPORT


def statistical(claim: type[Claim], budget: str) -> bool:
    """Whether the claim's verdict is a statistical decision with a false-alarm rate: a RATE over random
    seeds, or a MONOTONE trend. BOUND and TIGHT claims hold for every sample (their slack is a stated
    round-off or quadrature bound), and a deterministic RATE claim has only a derived bias bound."""
    ladder = claim.ladder(budget)
    if claim.kind is Kind.MONOTONE:
        return True
    return claim.kind is Kind.RATE and ladder.seeds > 1 and not claim.deterministic


def decision_count(claims: Iterable[type[Claim]], budget: str) -> int:
    """``K``: the statistical decisions of a run, over which ``alpha`` is split (Bonferroni)."""
    return sum(statistical(c, budget) for c in claims)


def _criteria(claim: type[Claim], level: float = ALPHA) -> Criteria:
    return Criteria(kind=claim.kind, rate_tolerance=claim.rate_tolerance, floor=claim.floor,
                    max_interval=claim.max_interval, rtol=claim.rtol, tolerance=claim.tolerance, level=level,
                    correction_order=claim.correction_order, deterministic=claim.deterministic)


def _power(claim: type[Claim], budget: str, criteria: Criteria, theory: dict, results: list[TaskResult],
           levels: list[float], seeds: int, setting: str | None = None) -> list[KnobPower]:
    """Decide every perturbed theory of every knob on the finished tasks (no experiment re-run)."""
    out = []
    base_fit = None
    for knob, perturbed in _knobs(claim, budget, setting):
        verdicts = {}
        for eps, table in table_of(knob, results, theory["name"], levels, seeds).items():
            pred = perturbed[eps] if knob.remeasure else knob.perturb(eps)
            fit = None
            if claim.kind is Kind.RATE and not knob.remeasure:
                if base_fit is None:
                    base_fit = fit_rate(levels, table, criteria.floor, criteria.level, criteria.correction_order,
                                        criteria.deterministic)
                fit = base_fit
            verdicts[eps] = decide(levels, table, pred.value, criteria, sense=pred.sense,
                                   tolerance=pred.tolerance, fit=fit)[0]
        out.append(resolution(knob, verdicts))
    return out


def assemble(claim: type[Claim], budget: str, root_seed: int, results: list[TaskResult],
             seconds: float = 0.0, alpha: float = ALPHA, decisions: int = 1, power: bool = False,
             setting: str | None = None) -> ClaimResult:
    """Decide a claim from its finished tasks; a statistical decision is made at ``alpha / decisions``."""
    ladder = claim.ladder(budget)
    levels = [float(v) for v in ladder.values]
    seeds = [{"index": s, **seed_record(claim_seed(root_seed, seed_key(claim.id, setting), s))}
             for s in range(ladder.seeds)]
    is_stat = statistical(claim, budget)
    level = alpha / max(decisions, 1)
    criteria = _criteria(claim, level)
    crit_record = {"rate_tolerance": claim.rate_tolerance, "rate_tolerance_reason": claim.rate_tolerance_reason,
                   "floor": claim.floor, "max_interval": claim.max_interval, "rtol": claim.rtol,
                   "tolerance": claim.tolerance, "tolerance_reason": claim.tolerance_reason,
                   "statistical": is_stat, "alpha": alpha, "decisions": decisions,
                   "level": level if is_stat else None,
                   "deterministic": claim.deterministic if claim.kind is Kind.RATE else None,
                   "correction_order": claim.correction_order if claim.kind is Kind.RATE else None,
                   "correction_reason": claim.correction_reason}
    base = dict(claim_id=claim.id, title=claim.title, paper=claim.paper, reference=claim.reference,
                kind=claim.kind.value, method=claim.method.value, statement=claim.statement(), budget=budget,
                root_seed=root_seed, parameter=ladder.parameter, levels=levels, seeds=seeds,
                criteria=crit_record, seconds=seconds, setting=setting, quantity=claim.quantity)
    results = sorted(results, key=lambda r: (r.rung, r.seed_index))
    measurements = [(levels[r.rung], r.seed_index, r.values) for r in results if r.error is None]
    errors = [r for r in results if r.error is not None]
    if errors:
        return ClaimResult(**base, measurements=measurements, outcomes=[], verdict=Verdict.ERROR,
                           reason=f"{len(errors)} task(s) failed", error=errors[0].error)
    preds = results[0].predictions if results else []
    outcomes = []
    for p in preds:
        table = np.full((len(levels), ladder.seeds), np.nan)
        for r in results:
            table[r.rung, r.seed_index] = r.values[p["name"]]
        verdict, reason, summary = decide(levels, table, p["value"], criteria, sense=p["sense"],
                                          tolerance=p["tolerance"])
        outcomes.append(Outcome(p["name"], p["description"], p["mutant"], p["value"], verdict, reason, summary))
    details = {}
    kept = {(levels[r.rung], r.seed_index): r.observation for r in results if r.observation is not None}
    if claim.details is not Claim.details:
        inst, ctx, _ = _context(claim, budget, setting)
        details = inst.details(ctx, kept)
    knob_power: list[KnobPower] = []
    if claim.kind is Kind.REPORT:
        verdict, reason = Verdict.REPORTED, "measured and tabulated; the paper predicts nothing to check here"
    else:
        theory = next(o for o in outcomes if not o.mutant)
        verdict, reason = overall(theory.verdict, [o.verdict for o in outcomes if o.mutant])
        if power:
            theory_record = next(p for p in preds if not p["mutant"])
            knob_power = _power(claim, budget, criteria, theory_record, results, levels, ladder.seeds, setting)
    measurements = [(lv, s, {k: v for k, v in vals.items() if "@" not in k}) for lv, s, vals in measurements]
    return ClaimResult(**base, measurements=measurements, outcomes=outcomes, verdict=verdict, reason=reason,
                       details=details, power=knob_power)


def run_claims(
    claims: Iterable[type[Claim]],
    budget: str = "quick",
    seed: int = 0,
    executor: Executor | None = None,
    on_task_done: Callable[[TaskResult], None] | None = None,
    alpha: float = ALPHA,
    power: bool = False,
    decisions: int | None = None,
    setting: str | None = None,
) -> list[ClaimResult]:
    """Run every (claim, rung, seed) task through ``executor`` and decide each claim.

    All tasks of all claims are submitted at once, so a process pool or a Dask cluster sees the whole
    sweep; results are grouped back by claim. ``on_task_done`` is called as tasks finish (progress bars).
    The run's family-wise false-alarm rate is ``alpha``: each of its ``decisions`` statistical decisions
    (default: :func:`decision_count` of ``claims``) is made at ``alpha / decisions``. ``power`` also
    measures every knob's perturbed theories and reports their resolution (:mod:`proofs_check.power`).
    ``setting`` (canonical JSON) runs every claim on that setting instead of its default one.
    """
    return run_units([(c, setting) for c in claims], budget, seed, executor, on_task_done, alpha, power,
                     decisions)


def run_units(
    units: Iterable[tuple[type[Claim], str | None]],
    budget: str = "quick",
    seed: int = 0,
    executor: Executor | None = None,
    on_task_done: Callable[[TaskResult], None] | None = None,
    alpha: float = ALPHA,
    power: bool = False,
    decisions: int | None = None,
) -> list[ClaimResult]:
    """:func:`run_claims` on (claim, setting) pairs: the sweep of an exploration, every setting's tasks
    submitted at once. ``decisions`` defaults to the statistical decisions of all the pairs."""
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha: expected a family-wise false-alarm rate in (0, 1), got {alpha}")
    units = list(units)
    if decisions is None:
        decisions = decision_count([c for c, _ in units], budget)
    for c, st in units:  # an inadmissible setting is an error before anything runs
        if st is not None:
            instantiate(c, st)
    tasks = [t for c, st in units for t in tasks_for(c, budget, seed, power, st)]
    key = {id(t): (t.claim.id, t.setting) for t in tasks}
    finished: dict[tuple, list[TaskResult]] = {(c.id, st): [] for c, st in units}
    elapsed: dict[tuple, float] = {(c.id, st): 0.0 for c, st in units}
    if executor is None:  # in-process, in order: the cheapest for quick sweeps (one JIT, shared caches)
        stream = ((key[id(t)], run_task(t)) for t in tasks)
    else:
        futures = {executor.submit(run_task, t): key[id(t)] for t in tasks}
        stream = ((futures[f], f.result()) for f in as_completed(futures))
    for k, res in stream:
        finished[k].append(res)
        elapsed[k] += res.seconds
        if on_task_done is not None:
            on_task_done(res)
    return [assemble(c, budget, seed, finished[(c.id, st)], elapsed[(c.id, st)], alpha, decisions, power, st)
            for c, st in units]


def run_claim(claim: type[Claim], budget: str = "quick", seed: int = 0,
              executor: Executor | None = None, **kwargs) -> ClaimResult:
    """Run one claim's sweep and decide it (see :func:`run_claims`)."""
    return run_claims([claim], budget, seed, executor, **kwargs)[0]
