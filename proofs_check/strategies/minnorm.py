"""Hypothesis strategies for minimum-norm interpolation (Park–Pelakh–Wojtowytsch): exact rational data sets,
known regions, piecewise-linear functions and small networks with rational weights. Everything is drawn as
small rationals, so the theory layer's results can be compared exactly."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume
from hypothesis import strategies as st

from theory.minnorm.cost import Piecewise1D


def rationals(lo: int = -4, hi: int = 4, max_den: int = 4) -> st.SearchStrategy[Fraction]:
    """Rationals ``p/q`` in ``[lo, hi]`` with ``1 ≤ q ≤ max_den``."""
    return st.builds(lambda p, q: Fraction(p, q), st.integers(lo * max_den, hi * max_den),
                     st.integers(1, max_den)).filter(lambda v: lo <= v <= hi)


@st.composite
def point_data(draw, min_n: int = 2, max_n: int = 7, spread: int = 6) -> tuple[list[Fraction], list[Fraction]]:
    """Strictly increasing abscissae (distinct rationals in ``[−spread, spread]``) and rational values."""
    n = draw(st.integers(min_n, max_n))
    xs = draw(st.lists(rationals(-spread, spread), min_size=n, max_size=n, unique=True))
    ys = draw(st.lists(rationals(-3, 3), min_size=n, max_size=n))
    return sorted(xs), ys


@st.composite
def pl_functions(draw, max_knots: int = 5) -> Piecewise1D:
    """A continuous piecewise-linear function with rational knots, values and outer slopes."""
    xs, ys = draw(point_data(1, max_knots))
    sl = draw(rationals(-3, 3))
    sr = draw(rationals(-3, 3))
    return Piecewise1D.linear_interpolant(xs, ys, sl, sr)


@st.composite
def small_networks(draw, max_width: int = 4) -> tuple[list[Fraction], list[Fraction], list[Fraction], Fraction]:
    """Weights ``(a, b, c, d)`` of ``Σ c_i relu(a_i x + b_i) + d`` as rationals (``a_i`` may be 0)."""
    m = draw(st.integers(1, max_width))
    a = draw(st.lists(rationals(-3, 3), min_size=m, max_size=m))
    b = draw(st.lists(rationals(-3, 3), min_size=m, max_size=m))
    c = draw(st.lists(rationals(-3, 3), min_size=m, max_size=m))
    return a, b, c, draw(rationals(-2, 2))


@st.composite
def known_regions(draw, max_regions: int = 3, max_points: int = 2):
    """Disjoint regions ``(lo, hi, g)`` with affine or piecewise-linear ``g`` (rational), and data points in
    the gaps between them: ``(x, y, regions)``."""
    k = draw(st.integers(1, max_regions))
    cuts = sorted(draw(st.lists(rationals(-6, 6, 2), min_size=2 * k, max_size=2 * k, unique=True)))
    regions = []
    for j in range(k):
        lo, hi = cuts[2 * j], cuts[2 * j + 1]
        v0, s0 = draw(rationals(-2, 2)), draw(rationals(-2, 2))
        if draw(st.booleans()) and hi - lo > Fraction(1, 2):
            mid = (lo + hi) / 2
            s1 = draw(rationals(-2, 2))
            g = Piecewise1D.linear_interpolant([lo, mid, hi], [v0, v0 + s0 * (mid - lo), v0 + s0 * (mid - lo) + s1 * (hi - mid)])
        else:
            g = Piecewise1D.linear_interpolant([lo, hi], [v0, v0 + s0 * (hi - lo)])
        regions.append((lo, hi, g))
    xs, ys = [], []
    for j in range(k - 1):
        lo, hi = cuts[2 * j + 1], cuts[2 * j + 2]
        if hi - lo > Fraction(1, 2) and draw(st.booleans()):
            xs.append((lo + hi) / 2)
            ys.append(draw(rationals(-2, 2)))
    return xs, ys, regions


# ----------------------------------------------------------------------------------------------------
# JSON settings of the explorable claims (proofs_check.claims.minnorm): every drawn setting passes the
# claim's check_setting, i.e. the hypotheses of the theorem and the premises of the experiment
# ----------------------------------------------------------------------------------------------------
#: the three outer-slope versions of a drawn function, in the order the experiment draws them
REGIMES = ("inactive", "above", "below")


@st.composite
def realise_settings(draw, max_kinks: int = 8) -> dict:
    """Families of random piecewise-linear functions for ``minnorm.representational_cost`` (JSON): ``kinks``
    ``K ∈ [1, max_kinks]`` at nodes of the grid ``i/grid_den``, ``|i| ≤ grid_half`` (``grid_den ∈ {1, 2, 4, 8}``,
    ``2·grid_half + 1 ≥ K``, ``grid_half ≤ 16``: kinks up to 16 away from 0), heights ``±k/jump_den`` with
    ``k ∈ [jump_min, jump_max]`` (``1 ≤ jump_min ≤ jump_max ≤ 64``, ``jump_den ∈ {1, 4, 16}``), signs ``mixed``,
    ``convex`` (all heights positive) or ``concave``, and the outer-slope ``regimes`` drawn (a non-empty
    subset of inactive / active above ``μ⁺`` / active below ``−μ⁻``, in that order). Shrinks towards one kink
    on the grid ``{−1, 0, 1}``, unit heights, mixed signs, the inactive regime. The default setting
    (``K = 6``, grid ``i/4``, ``|i| ≤ 12``, heights ``±k/16``, ``k ∈ [4, 32]``, mixed, all three regimes) is
    one example."""
    kinks = draw(st.integers(1, max_kinks))
    grid_den = draw(st.sampled_from([1, 2, 4, 8]))
    grid_half = draw(st.integers(max(1, kinks // 2), 16))
    jump_den = draw(st.sampled_from([1, 4, 16]))
    jump_min = draw(st.integers(1, 64))
    jump_max = draw(st.integers(jump_min, 64))
    signs = draw(st.sampled_from(["mixed", "convex", "concave"]))
    below, above = draw(st.booleans()), draw(st.booleans())
    inactive = draw(st.booleans()) or not (above or below)  # shrinks towards one regime
    chosen = {"inactive": inactive, "above": above, "below": below}
    return {"kinks": kinks, "grid_half": grid_half, "grid_den": grid_den, "jump_min": jump_min,
            "jump_max": jump_max, "jump_den": jump_den, "signs": signs,
            "regimes": [r for r in REGIMES if chosen[r]]}


@st.composite
def cost_data_settings(draw, max_n: int = 7) -> dict:
    """Data sets for ``minnorm.cost`` (JSON ``{"x": [...], "y": [...]}``): ``N ∈ [3, max_n]`` strictly
    increasing abscissae on the quarter grid, the first in ``[−3, 0]``, spacings ``k/4`` with ``k ∈ [1, 8]``
    (evenly spaced, uneven and clustered data), ordinates ``j/4`` with ``|j| ≤ 8`` (bounded data), kept only
    where :func:`proofs_check.claims.minnorm.cost_data_problem` finds none (no three collinear consecutive
    points, the boundary term inactive, ``λ_c`` above every ladder's largest ``λ``, a kink off 0). Every
    number is a dyadic rational, exact in binary and in JSON. Shrinks towards three points at the smallest
    admissible spacing and ordinates. The default data ``y = 1, 0, 1, 0, 1`` at ``x = −2, …, 2`` is one
    example."""
    from proofs_check.claims.minnorm import cost_data_problem

    n = draw(st.integers(3, max_n))
    start = draw(st.integers(-12, 0))
    gaps = draw(st.lists(st.integers(2, 8), min_size=n - 1, max_size=n - 1))
    ys = draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    xs = [start]
    for g in gaps:
        xs.append(xs[-1] + g)
    setting = {"x": [_quarter(v) for v in xs], "y": [_quarter(v) for v in ys]}
    assume(cost_data_problem(setting["x"], setting["y"]) is None)
    return setting


def _quarter(k: int):
    """``k/4`` as a JSON number (an integer where it is one, so the default data stays integral)."""
    return k // 4 if k % 4 == 0 else k / 4
