"""Exploring a theorem over its settings: draw settings, decide each, shrink a counterexample.

A claim that declares :meth:`proofs_check.claim.Claim.settings` (a hypothesis strategy over JSON settings:
laws, data sets, constants, activations, …) states its theorem for every setting of that strategy.
:func:`explore` checks it the way a property-based test would, with the claim's statistics:

1. **Draw** ``N`` distinct settings from the strategy, seeded by the root seed (hypothesis ``@seed``).
2. **Decide** every setting's ladder as one sweep (all tasks through the executor seam, so ``--workers`` and
   ``--dask`` run settings in parallel), with the family-wise false-alarm rate ``alpha`` split over all
   ``N × K`` statistical decisions: a correct theory is refuted on some setting with probability ≤ alpha.
3. **Shrink**: where the theory is refuted, hypothesis searches the same strategy again (same seed; every
   setting already decided is taken from the cache) and shrinks the failure to a minimal failing setting,
   deciding each candidate at the same level. The failing choice sequences are saved in a hypothesis
   database in the report directory, so a rerun replays and shrinks the known failures first.

The result names the minimal counterexample and the line that reproduces it:
``nnlimits verify CLAIM --setting '<json>' --seed S --decisions K --budget B``.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from proofs_check.claim import Claim, Verdict
from proofs_check.engine import ClaimResult, canonical_setting, run_units, statistical
from proofs_check.verdict import ALPHA


def setting_integer(setting: dict, key: str, lo: int, hi: int, what: str = "") -> int:
    """``setting[key]`` when it is an integer in ``[lo, hi]``; else a ``ValueError`` naming the key, what it
    is and what was expected (for a claim's :meth:`~proofs_check.claim.Claim.check_setting`)."""
    v = setting.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        expected = f"{what}, an integer" if what else "an integer"
        raise ValueError(f"setting {key}: expected {expected} in [{lo}, {hi}], got {v!r}")
    return v


def setting_keys(setting, keys) -> None:
    """``setting`` is a JSON object with exactly ``keys``; else a ``ValueError`` naming the unknown or missing key
    (for a claim's :meth:`~proofs_check.claim.Claim.check_setting`)."""
    keys = tuple(keys)
    if not isinstance(setting, dict):
        raise ValueError(f"setting: expected a JSON object with keys {', '.join(keys)}, got {setting!r}")
    for k in setting:
        if k not in keys:
            raise ValueError(f"setting {k}: unknown key (expected {', '.join(keys)})")
    for k in keys:
        if k not in setting:
            raise ValueError(f"setting {k}: missing (expected keys {', '.join(keys)})")


class _Counterexample(Exception):
    pass


@dataclass
class Exploration:
    """What exploring one claim found."""

    claim_id: str
    budget: str
    root_seed: int
    alpha: float
    decisions: int
    runs: list[ClaimResult]
    minimal: ClaimResult | None = None
    shrink_runs: int = 0
    shrunk: bool = False
    database: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def refuted(self) -> list[ClaimResult]:
        return [r for r in self.runs if r.theory is not None and r.theory.verdict is Verdict.REFUTED]

    @property
    def level(self) -> float:
        return self.alpha / max(self.decisions, 1)

    def reproduce(self, result: ClaimResult | None = None) -> str | None:
        """The command line that reruns ``result`` (default: the minimal counterexample) alone, at the same
        per-decision level."""
        r = result or self.minimal
        if r is None or r.setting is None:
            return None
        level = f"--decisions {self.decisions} " if self.decisions > 0 else ""  # a deterministic claim has none
        return (f"nnlimits verify {r.claim_id} --setting {shlex.quote(r.setting)} --seed {self.root_seed} "
                f"{level}--budget {self.budget}")


def exploration_budget(claim: type[Claim]) -> str:
    """The claim's ``explore`` ladder where it declares one, else its quick ladder."""
    return "explore" if "explore" in claim.ladders else "quick"


def _hypothesis_settings(**kw):
    from hypothesis import HealthCheck, settings

    return settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=False,
                    report_multiple_bugs=False, **kw)


def draw_settings(claim: type[Claim], n: int, root_seed: int) -> list[str]:
    """``n`` distinct settings (canonical JSON) drawn from the claim's strategy, seeded by ``root_seed``."""
    from hypothesis import Phase, given, seed

    strategy = claim.settings()
    if strategy is None:
        raise ValueError(f"--explore: claim {claim.id} has no settings to explore (it checks one fixed setting)")
    drawn: list[str] = []

    @_hypothesis_settings(max_examples=max(4 * n, n + 10), database=None, phases=[Phase.generate])
    @seed(root_seed)
    @given(strategy)
    def collect(setting):
        js = canonical_setting(setting)
        if js not in drawn and len(drawn) < n:
            drawn.append(js)

    collect()
    return drawn


def explore(claims: list[type[Claim]], n: int, root_seed: int = 0, executor=None, alpha: float = ALPHA,
            directory: str | Path | None = None, max_shrink_runs: int = 40,
            on_task_done: Callable | None = None) -> list[Exploration]:
    """Explore every claim over ``n`` drawn settings (see the module docstring)."""
    if n < 1:
        raise ValueError(f"--explore: expected a positive number of settings, got {n}")
    for c in claims:
        if not c.explorable():
            raise ValueError(f"--explore: claim {c.id} has no settings to explore (it checks one fixed setting); "
                             "explorable claims are listed by `nnlimits list`")
    drawn = {c.id: draw_settings(c, n, root_seed) for c in claims}
    budgets = {c.id: exploration_budget(c) for c in claims}
    decisions = sum(len(drawn[c.id]) * statistical(c, budgets[c.id]) for c in claims)
    out = []
    for c in claims:  # one sweep per claim (its budget); all of its settings' tasks at once
        runs = run_units([(c, s) for s in drawn[c.id]], budgets[c.id], root_seed, executor, on_task_done, alpha,
                         decisions=decisions)
        ex = Exploration(c.id, budgets[c.id], root_seed, alpha, decisions, runs)
        if directory is not None:
            ex.database = str(Path(directory) / "hypothesis")
        if ex.refuted:
            _shrink(c, ex, max_shrink_runs)
        out.append(ex)
    return out


def _shrink(claim: type[Claim], ex: Exploration, max_runs: int) -> None:
    """Shrink the refuted settings of ``ex`` to a minimal failing one with hypothesis."""
    from hypothesis import Phase, given, seed
    from hypothesis.database import DirectoryBasedExampleDatabase

    cache: dict[str, ClaimResult] = {r.setting: r for r in ex.runs}
    state = {"last": None, "runs": 0}

    def refuted(js: str) -> bool:
        if js not in cache:
            if state["runs"] >= max_runs:
                return False  # shrink budget spent: new candidates count as passing, the search stops
            state["runs"] += 1
            try:
                cache[js] = run_units([(claim, js)], ex.budget, ex.root_seed, None, alpha=ex.alpha,
                                      decisions=ex.decisions)[0]
            except ValueError:  # a candidate outside the theorem's hypotheses is not a counterexample
                return False
        r = cache[js]
        return r.theory is not None and r.theory.verdict is Verdict.REFUTED

    db = DirectoryBasedExampleDatabase(ex.database) if ex.database else None

    @_hypothesis_settings(max_examples=max(4 * len(ex.runs), len(ex.runs) + 10), database=db,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
    @seed(ex.root_seed)
    @given(claim.settings())
    def probe(setting):
        js = canonical_setting(setting)
        if refuted(js):
            state["last"] = js
            raise _Counterexample(js)

    try:
        probe()
    except _Counterexample:
        pass
    except Exception as exc:  # noqa: BLE001 - hypothesis wraps failures in its own errors
        ex.notes.append(f"shrinking stopped: {type(exc).__name__}: {exc}")
    ex.shrink_runs = state["runs"]
    if state["last"] is not None:
        ex.minimal = cache[state["last"]]
        ex.shrunk = True
    else:  # the search did not meet the failure again: report the first refuted setting as drawn
        ex.minimal = ex.refuted[0]
        ex.notes.append("the failure was not met again while shrinking; the setting is shown as drawn")
