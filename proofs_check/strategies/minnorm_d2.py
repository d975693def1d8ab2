"""Hypothesis strategies over the JSON settings of the explorable minimum-norm claims in d = 2
(:mod:`proofs_check.claims.minnorm_d2`): every drawn setting passes the claim's check."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume
from hypothesis import strategies as st

from proofs_check.strategies.minnorm import _quarter

#: directions ``e = ((1 − m²), 2m)/(1 + m²)`` with ``m = k/DIRECTION_STEPS``, ``|k| ≤ DIRECTION_STEPS``: the half
#: circle of line directions (a line through 0 and its reverse are the same line), the axes included
DIRECTION_STEPS = 8


def _unit(m: Fraction) -> list:
    den = 1 + m * m
    return [float((1 - m * m) / den), float(2 * m / den)]


def directions() -> st.SearchStrategy[list]:
    """A rational unit vector as JSON floats (norm 1 to round-off); shrinks towards ``(1, 0)``."""
    return st.integers(-DIRECTION_STEPS, DIRECTION_STEPS).map(lambda k: _unit(Fraction(k, DIRECTION_STEPS)))


@st.composite
def line_data_settings(draw, max_n: int = 7) -> dict:
    """Positions along the line and values (JSON ``{"x": [...], "y": [...]}``): the data sets of
    :func:`proofs_check.strategies.minnorm.cost_data_settings` on both sides of 0 within ``|x| ≤ 2`` (see
    :func:`proofs_check.claims.minnorm_d2.check_line_setting`) — ``N ∈ [3, max_n]`` strictly
    increasing positions on the quarter grid, the first in ``[−2, 0]``, spacings ``k/4``, ``k ∈ [2, 8]``, values
    ``j/4``, ``|j| ≤ 5``, kept where :func:`proofs_check.claims.minnorm.cost_data_problem` finds nothing. Shrinks
    towards three points at the smallest spacing and values."""
    from proofs_check.claims.minnorm import cost_data_problem
    from proofs_check.claims.minnorm_d2 import LINE_X_BOUND

    n = draw(st.integers(3, max_n))
    start = draw(st.integers(-int(4 * LINE_X_BOUND), 0))
    gaps = draw(st.lists(st.integers(2, 8), min_size=n - 1, max_size=n - 1))
    ys = draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    xs = [start]
    for g in gaps:
        xs.append(xs[-1] + g)
    assume(xs[0] < 0 < xs[-1] <= 4 * LINE_X_BOUND)
    setting = {"x": [_quarter(v) for v in xs], "y": [_quarter(v) for v in ys]}
    assume(cost_data_problem(setting["x"], setting["y"]) is None)
    return setting


@st.composite
def line_settings(draw) -> dict:
    """A setting of ``minnorm.d2.line_data``: :func:`line_data_settings` as positions ``x`` along a line through 0
    with values ``y``, and the line's direction ``e`` (:func:`directions`). The default setting
    (``y = 1, 0, 1, 0, 1`` at ``x = −2, …, 2``, ``e = (3/5, 4/5)``) is one example."""
    return {**draw(line_data_settings()), "e": draw(directions())}


@st.composite
def merge_settings(draw) -> dict:
    """A setting of ``minnorm.d2.merge_invariance``: ``K ∈ [2, 8]`` hyperplanes, ``2 … 6`` rewrites, ``2 … 4`` pieces
    per neuron, ``1 … 3`` cancelling pairs per rewrite (:data:`proofs_check.claims.minnorm_d2.MERGE_RANGES`).
    Shrinks towards the smallest of each; the default setting (``4, 4, 3, 2``) is one example."""
    from proofs_check.claims.minnorm_d2 import MERGE_RANGES

    return {k: draw(st.integers(lo, hi)) for k, (lo, hi) in MERGE_RANGES.items()}
