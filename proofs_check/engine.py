"""The sweep engine: every claim's (rung, seed) tasks through one executor seam, then the verdicts.

Tasks are independent and carry everything they need (the claim class, the budget, the rung, the seed
index and the root seed), so any :class:`concurrent.futures.Executor` runs them: in-process by default,
local processes (``workers > 1``), or a Dask cluster through ``distributed.Client.get_executor()``
(:func:`proofs_check.executors.make_executor`); ``executor=None`` runs the tasks in this process, in
order. The engine never schedules work itself.
"""

from __future__ import annotations

import time
import traceback
import zlib
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np

from proofs_check.claim import Claim, Kind, Prediction, Verdict, split_predictions
from proofs_check.crn import claim_seed, seed_record
from proofs_check.verdict import Criteria, Outcome, decide, overall


@dataclass(frozen=True)
class Task:
    claim: type[Claim]
    budget: str
    rung: int
    level: float
    seed_index: int
    root_seed: int


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


@lru_cache(maxsize=64)
def _context(claim: type[Claim], budget: str) -> tuple[Claim, Any, tuple[Prediction, ...]]:
    """The claim's shared context and predictions: computed once per process and budget."""
    inst = claim()
    ctx = inst.setup(budget)
    preds = tuple(inst.predictions(ctx))
    if claim.kind is not Kind.REPORT:
        split_predictions(preds)
    return inst, ctx, preds


def _prediction_record(p: Prediction) -> dict:
    return {"name": p.name, "description": p.description, "value": float(p.value), "mutant": p.mutant,
            "tolerance": p.tolerance, "sense": p.sense}


def run_task(task: Task) -> TaskResult:
    """One experiment at one rung for one seed, measured against every prediction."""
    start = time.perf_counter()
    cid = task.claim.id
    try:
        inst, ctx, preds = _context(task.claim, task.budget)
        seed = claim_seed(task.root_seed, cid, task.seed_index)
        obs = inst.experiment(ctx, task.level, seed)
        values = {p.name: float(inst.measure(ctx, obs, p)) for p in preds}
        keep = obs if inst.keep_observation(task.level, task.seed_index) else None
        return TaskResult(cid, task.rung, task.seed_index, values, [_prediction_record(p) for p in preds],
                          time.perf_counter() - start, keep)
    except Exception:  # recorded, reported as ERROR; the sweep goes on
        return TaskResult(cid, task.rung, task.seed_index, {}, [], time.perf_counter() - start,
                          error=traceback.format_exc())


def tasks_for(claim: type[Claim], budget: str, root_seed: int) -> list[Task]:
    ladder = claim.ladder(budget)
    return [Task(claim, budget, r, float(level), s, root_seed)
            for r, level in enumerate(ladder.values) for s in range(ladder.seeds)]


def _criteria(claim: type[Claim]) -> Criteria:
    return Criteria(kind=claim.kind, rate_tolerance=claim.rate_tolerance, floor=claim.floor,
                    max_interval=claim.max_interval, rtol=claim.rtol, tolerance=claim.tolerance)


def assemble(claim: type[Claim], budget: str, root_seed: int, results: list[TaskResult],
             seconds: float = 0.0) -> ClaimResult:
    """Decide a claim from its finished tasks."""
    ladder = claim.ladder(budget)
    levels = [float(v) for v in ladder.values]
    seeds = [{"index": s, **seed_record(claim_seed(root_seed, claim.id, s))} for s in range(ladder.seeds)]
    criteria = _criteria(claim)
    crit_record = {"rate_tolerance": claim.rate_tolerance, "rate_tolerance_reason": claim.rate_tolerance_reason,
                   "floor": claim.floor, "max_interval": claim.max_interval, "rtol": claim.rtol,
                   "tolerance": claim.tolerance, "tolerance_reason": claim.tolerance_reason}
    base = dict(claim_id=claim.id, title=claim.title, paper=claim.paper, reference=claim.reference,
                kind=claim.kind.value, method=claim.method.value, statement=claim.statement(), budget=budget,
                root_seed=root_seed, parameter=ladder.parameter, levels=levels, seeds=seeds,
                criteria=crit_record, seconds=seconds)
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
        key = zlib.crc32(f"{claim.id}/{p['name']}/{root_seed}".encode())
        verdict, reason, summary = decide(levels, table, p["value"], criteria, sense=p["sense"],
                                          tolerance=p["tolerance"], key=key)
        outcomes.append(Outcome(p["name"], p["description"], p["mutant"], p["value"], verdict, reason, summary))
    details = {}
    kept = {(levels[r.rung], r.seed_index): r.observation for r in results if r.observation is not None}
    if claim.details is not Claim.details:
        inst, ctx, _ = _context(claim, budget)
        details = inst.details(ctx, kept)
    if claim.kind is Kind.REPORT:
        verdict, reason = Verdict.REPORTED, "measured and tabulated; the paper predicts nothing to check here"
    else:
        theory = next(o for o in outcomes if not o.mutant)
        verdict, reason = overall(theory.verdict, [o.verdict for o in outcomes if o.mutant])
    return ClaimResult(**base, measurements=measurements, outcomes=outcomes, verdict=verdict, reason=reason,
                       details=details)


def run_claims(
    claims: Iterable[type[Claim]],
    budget: str = "quick",
    seed: int = 0,
    executor: Executor | None = None,
    on_task_done: Callable[[TaskResult], None] | None = None,
) -> list[ClaimResult]:
    """Run every (claim, rung, seed) task through ``executor`` and decide each claim.

    All tasks of all claims are submitted at once, so a process pool or a Dask cluster sees the whole
    sweep; results are grouped back by claim. ``on_task_done`` is called as tasks finish (progress bars).
    """
    if seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed}")
    claims = list(claims)
    tasks = [t for c in claims for t in tasks_for(c, budget, seed)]
    finished: dict[str, list[TaskResult]] = {c.id: [] for c in claims}
    elapsed: dict[str, float] = {c.id: 0.0 for c in claims}
    if executor is None:  # in-process, in order: the cheapest for quick sweeps (one JIT, shared caches)
        stream = (run_task(t) for t in tasks)
    else:
        futures = [executor.submit(run_task, t) for t in tasks]
        stream = (f.result() for f in as_completed(futures))
    for res in stream:
        finished[res.claim_id].append(res)
        elapsed[res.claim_id] += res.seconds
        if on_task_done is not None:
            on_task_done(res)
    return [assemble(c, budget, seed, finished[c.id], elapsed[c.id]) for c in claims]


def run_claim(claim: type[Claim], budget: str = "quick", seed: int = 0,
              executor: Executor | None = None) -> ClaimResult:
    """Run one claim's sweep and decide it (see :func:`run_claims`)."""
    return run_claims([claim], budget, seed, executor)[0]
