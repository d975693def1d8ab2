"""The `Claim`: one falsifiable statement of a paper, as a (measured, predicted) pair.

A claim ties a prediction of the ``theory`` layer to an experiment of the ``numerics`` layer. It is
written as a subclass of :class:`Claim` whose docstring reads like the theorem (setting, statement,
paper and equation number) and which overrides four small methods:

``setup(budget)``
    Everything deterministic that the experiment and the predictions share (a data set, a target, a
    closed-form limit). Computed once per process and per budget.
``predictions(ctx)``
    The theory's prediction first, then at least one *mutant*: a plausible wrong theory (a perturbed
    constant, a wrong rate, the wrong limit function). Each is a :class:`Prediction`.
``experiment(ctx, level, seed)``
    One finite experiment at one rung of the ladder (a width, a grid size, a time) for one seed. ``seed``
    is a :class:`numpy.random.SeedSequence` that does not depend on ``level``: draws made with
    :func:`proofs_check.crn.prefix_draw` are common random numbers along the ladder.
``measure(ctx, observation, prediction)``
    The measured number that is compared with ``prediction.value`` (a distance to the predicted limit,
    a ratio to a predicted bound, a computed constant).

The engine (:mod:`proofs_check.verdict`) decides by the claim's :class:`Kind`:

- ``TIGHT``: ``|measured - value| <= tolerance`` at the finest rung, every seed;
- ``BOUND``: ``measured <= value`` (or ``>=``, by ``sense``) at every rung and seed, up to ``rtol``;
- ``MONOTONE``: the seed-mean of ``measured`` moves in the direction ``sign(value)`` along the ladder,
  beyond its standard error;
- ``REPORT``: nothing is predicted (the paper makes no claim); ``details`` tabulates what was measured,
  and ``predictions`` may return an empty list;
- ``RATE``: the log-log slope of the seed-mean of ``measured`` against the rung, with a bootstrap
  interval over seeds, contains ``value`` (widened by the claim's stated ``rate_tolerance``).

The theory must come out CONFIRMED and every mutant REFUTED by the same test; a claim whose mutant
survives is UNFALSIFIABLE, never confirmed.
"""

from __future__ import annotations

import enum
import inspect
from dataclasses import dataclass, field, replace
from typing import Any, Callable, ClassVar, Sequence

import numpy as np


class Kind(str, enum.Enum):
    """How a claim is decided (PEPit's kinds of guarantee, plus a fitted rate)."""

    TIGHT = "tight"
    BOUND = "bound"
    MONOTONE = "monotone"
    RATE = "rate"
    #: no verdict: the paper makes no claim, the engine only tabulates (``details``); says so in reports
    REPORT = "report"


class Method(str, enum.Enum):
    """How a statement is checked, as shown by ``nnlimits list``."""

    SYMBOLIC = "symbolic"
    HIGH_PRECISION = "high-precision"
    CONVERGENCE = "convergence"
    BOUND = "bound"
    TABLE = "table"


class Verdict(str, enum.Enum):
    CONFIRMED = "CONFIRMED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"
    UNFALSIFIABLE = "UNFALSIFIABLE"
    ERROR = "ERROR"
    #: a REPORT claim: measured and tabulated, nothing predicted
    REPORTED = "REPORTED"


@dataclass(frozen=True)
class Ladder:
    """A fixed ladder of rungs (widths, grid sizes, times) and the number of seeds per rung.

    Rung values should be powers of two for widths (diffrax's step-size ladders); every rung is run
    with the same ``seeds`` seed indices, so rung ``k`` and rung ``k + 1`` share random numbers.
    """

    parameter: str
    values: tuple[float, ...]
    seeds: int = 1

    def __post_init__(self) -> None:
        if len(self.values) < 1:
            raise ValueError("Ladder.values: expected at least one rung")
        if self.seeds < 1:
            raise ValueError(f"Ladder.seeds: expected a positive integer, got {self.seeds}")
        if any(not np.isfinite(v) for v in self.values):
            raise ValueError("Ladder.values: expected finite numbers")


@dataclass(frozen=True)
class Prediction:
    """What a theory predicts, compared by the claim's kind with what is measured.

    Parameters
    ----------
    name:
        Short identifier, e.g. ``"theory"`` or ``"constant-weight"``.
    description:
        One sentence: what this (possibly wrong) theory says.
    value:
        The predicted number: an exponent (RATE), a bound (BOUND), an exact value (TIGHT), the sign of the
        predicted trend (MONOTONE: -1 decreasing, +1 increasing).
    mutant:
        ``True`` for a deliberately wrong theory that the check must reject.
    target:
        Any object the claim's ``measure`` needs (a limit function, a constant); not serialised.
    tolerance:
        TIGHT only: the admissible ``|measured - value|`` (the claim states why).
    sense:
        BOUND only: ``"le"`` (measured <= value) or ``"ge"`` (measured >= value).
    """

    name: str
    description: str
    value: float
    mutant: bool = False
    target: Any = field(default=None, compare=False, repr=False)
    tolerance: float | None = None
    sense: str = "le"

    def __post_init__(self) -> None:
        if self.sense not in ("le", "ge"):
            raise ValueError(f"Prediction.sense: expected 'le' or 'ge', got {self.sense!r}")


class KnobKind(str, enum.Enum):
    """How a knob of a theory is perturbed by ``ε`` in a power analysis."""

    #: a constant of the prediction, multiplied by ``1 + ε``
    CONSTANT = "constant"
    #: an exponent of the prediction, shifted by ``ε``
    EXPONENT = "exponent"
    #: an ingredient function, deformed by a one-parameter family (``ε = 0`` is the theory)
    FUNCTION = "function"


@dataclass(frozen=True)
class Knob:
    """One ingredient of a claim's theory, as a continuous family of perturbed theories.

    ``perturb(ε)`` returns the theory's :class:`Prediction` with this ingredient perturbed by ``ε``
    (``perturb(0)`` is the theory itself). ``remeasure`` is false when only ``Prediction.value`` changes
    (an exponent of a RATE claim, the constant of a BOUND on a ratio): the theory's measurements are then
    reused as they are. ``nnlimits verify --power`` (:mod:`proofs_check.power`) finds the smallest ``|ε|``
    in each direction that the claim's own measurements refute. ``target`` overrides the resolution that
    the tests require (5 % for constants, 0.1 for exponents); ``note`` says why, e.g. a one-sided bound
    cannot refute a looser bound, or a sufficient-condition count is conservative by design.
    """

    name: str
    kind: KnobKind
    perturb: Callable[[float], Prediction] = field(compare=False, repr=False)
    description: str = ""
    remeasure: bool = True
    target: float | None = None
    note: str = ""
    #: directions in which the perturbation is meaningful (+1, -1); a one-sided bound has one
    directions: tuple[int, ...] = (-1, 1)


class Claim:
    """Base class of every claim; subclasses set the class attributes and override the methods."""

    #: dotted identifier, ``paper.statement`` (e.g. ``spline.rate``)
    id: ClassVar[str]
    #: key of the paper in :mod:`proofs_check.papers` (e.g. ``"spline"``)
    paper: ClassVar[str]
    #: theorem / equation of the paper, e.g. ``"Theorem 3.9, eq. (12)"``
    reference: ClassVar[str]
    #: one-line title for tables
    title: ClassVar[str]
    kind: ClassVar[Kind]
    method: ClassVar[Method] = Method.CONVERGENCE
    #: budget name (``quick``, ``full``) -> ladder
    ladders: ClassVar[dict[str, Ladder]]
    #: run by a bare ``nnlimits verify``
    default: ClassVar[bool] = True
    #: what ``measure`` returns, as a person would label an axis (e.g. "sup |f_n − f_∞| in W^{1,∞}")
    quantity: ClassVar[str] = "measured value"
    #: RATE: widening of the bootstrap interval, and why (a pre-asymptotic bias measured over seeds)
    rate_tolerance: ClassVar[float] = 0.0
    rate_tolerance_reason: ClassVar[str] = ""
    #: RATE: measured values at or below this are round-off / quadrature floor and are dropped
    floor: ClassVar[float] = 0.0
    #: RATE: an interval wider than this is INCONCLUSIVE
    max_interval: ClassVar[float] = 0.5
    #: BOUND: relative slack for round-off, and why
    rtol: ClassVar[float] = 0.0
    #: TIGHT: default tolerance when a prediction has none, and why
    tolerance: ClassVar[float | None] = None
    tolerance_reason: ClassVar[str] = ""
    #: RATE: the experiment is a deterministic function of its instance (the seed only picks the
    #: instance): the slope is decided per instance from the top local slopes, with a Richardson bias bound
    deterministic: ClassVar[bool] = False
    #: RATE, deterministic: order q of the next term, d(h) = C h^p (1 + c h^q + …), and why
    correction_order: ClassVar[float] = 1.0
    correction_reason: ClassVar[str] = ""

    # -- the four methods a claim overrides ---------------------------------------------------------
    def setup(self, budget: str) -> Any:
        """Deterministic shared context of the experiment and the predictions."""
        return None

    def predictions(self, ctx: Any) -> Sequence[Prediction]:
        raise NotImplementedError

    def experiment(self, ctx: Any, level: float, seed: np.random.SeedSequence) -> Any:
        raise NotImplementedError

    def measure(self, ctx: Any, observation: Any, prediction: Prediction) -> float:
        raise NotImplementedError

    # -- exploration (optional) ---------------------------------------------------------------------------
    #: the setting this instance runs on (a JSON object); set by the engine before ``setup``
    setting: Any = None

    @classmethod
    def settings(cls):
        """A hypothesis strategy over the claim's setting (JSON objects: numbers, strings, lists), drawing
        only settings that satisfy the theorem's hypotheses; ``None``: the claim checks one fixed setting.
        ``nnlimits verify CLAIM --explore N`` draws from it; the default setting is one of its examples."""
        return None

    @classmethod
    def default_setting(cls) -> Any:
        """The setting of a plain run (``None`` for a claim without settings)."""
        return None

    @classmethod
    def explorable(cls) -> bool:
        """Whether the claim declares :meth:`settings`."""
        return cls.settings.__func__ is not Claim.settings.__func__

    def check_setting(self, setting: Any) -> None:
        """Raise ``ValueError`` naming what is wrong when ``setting`` violates the theorem's hypotheses
        (a law without density, E|v|³ = ∞, a non-admissible pair): such a setting gets no verdict."""

    # -- optional -------------------------------------------------------------------------------------
    def knobs(self, ctx: Any, theory: Prediction) -> Sequence[Knob]:
        """The ingredients of the theory as perturbation families, for ``nnlimits verify --power``.

        The default perturbs what every claim of its kind has: the predicted exponent of a RATE claim
        (measurements reused), and the predicted bound of a BOUND claim on a ratio (``value × (1 + ε)``,
        measurements reused, only the tightening direction refutable). Claims add the constants and
        functions their prediction is built from (``value`` or ``target`` changed, re-measured).
        """
        if self.kind is Kind.RATE:
            return [Knob("exponent", KnobKind.EXPONENT,
                         lambda e: replace(theory, value=theory.value + e), "the predicted rate",
                         remeasure=False)]
        if self.kind is Kind.BOUND:
            tighter = -1 if theory.sense == "le" else 1
            return [Knob("bound", KnobKind.CONSTANT,
                         lambda e: replace(theory, value=theory.value * (1.0 + e)),
                         "the predicted bound, scaled", remeasure=False, directions=(tighter,),
                         note="a bound can only be refuted when tightened")]
        return []

    def details(self, ctx: Any, observations: dict) -> dict:
        """Extra JSON-able facts for the report (e.g. a table); ``observations`` maps (level, seed) to
        the experiment's output for the rungs kept by :meth:`keep_observation`."""
        return {}

    def keep_observation(self, level: float, seed_index: int) -> bool:
        """Whether the engine keeps this observation for :meth:`details` (in-process runs only)."""
        return False

    # -- derived ---------------------------------------------------------------------------------------
    @classmethod
    def statement(cls) -> str:
        """The theorem, as written in the class docstring."""
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def ladder(cls, budget: str) -> Ladder:
        if budget == "explore" and budget not in cls.ladders:
            budget = "quick"  # a claim without an exploration ladder explores on its quick one
        try:
            return cls.ladders[budget]
        except KeyError:
            raise ValueError(
                f"budget: expected one of {sorted(cls.ladders)} for claim {cls.id}, got {budget!r}"
            ) from None

    @classmethod
    def check_definition(cls) -> None:
        """Raise ``TypeError`` if the class is not a complete claim."""
        for attr in ("id", "paper", "reference", "title", "kind", "ladders"):
            if not hasattr(cls, attr):
                raise TypeError(f"claim {cls.__name__}: missing class attribute {attr!r}")
        if not cls.__doc__:
            raise TypeError(f"claim {cls.id}: the docstring must state the theorem")
        for b in ("quick", "full"):
            if b not in cls.ladders:
                raise TypeError(f"claim {cls.id}: missing ladder for budget {b!r}")
        if cls.kind is Kind.RATE and cls.rate_tolerance > 0 and not cls.rate_tolerance_reason:
            raise TypeError(f"claim {cls.id}: rate_tolerance needs rate_tolerance_reason")
        if cls.kind is Kind.TIGHT and cls.tolerance is not None and not cls.tolerance_reason:
            raise TypeError(f"claim {cls.id}: tolerance needs tolerance_reason")


def split_predictions(preds: Sequence[Prediction]) -> tuple[Prediction, list[Prediction]]:
    """The theory's prediction and the mutants; raise if the claim has none of either."""
    theory = [p for p in preds if not p.mutant]
    mutants = [p for p in preds if p.mutant]
    if len(theory) != 1:
        raise TypeError(f"predictions: expected exactly one non-mutant prediction, got {len(theory)}")
    if not mutants:
        raise TypeError("predictions: expected at least one mutant (a check that cannot fail is a defect)")
    names = [p.name for p in preds]
    if len(set(names)) != len(names):
        raise TypeError(f"predictions: names must be distinct, got {names}")
    return theory[0], mutants
