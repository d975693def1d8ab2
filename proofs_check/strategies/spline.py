"""Hypothesis strategies for the adapted-spline paper (Heiss, Teichmann & Wutte, arXiv 1911.02903): 1-D data
sets, laws of the random first layer ``(v, b)``, penalties and widths.

The statistical design of a claim stays fixed; these strategies draw the *problem instance*.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from hypothesis import assume
from hypothesis import strategies as st
from sympy.stats import Laplace, Normal, Uniform

from theory.spline.rf_law import RandomFeatureLaw


@st.composite
def datasets(draw, min_size: int = 2, max_size: int = 8, low: float = -2.0, high: float = 2.0,
             min_gap: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct abscissae in ``[low, high]`` (at least ``min_gap`` apart) and bounded ordinates."""
    size = draw(st.integers(min_size, max_size))
    xs = draw(st.lists(st.floats(low, high, allow_nan=False, allow_infinity=False), min_size=size,
                       max_size=size, unique=True))
    x = np.sort(np.array(xs))
    assume(size < 2 or np.min(np.diff(x)) >= min_gap)
    y = np.array(draw(st.lists(st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False),
                               min_size=size, max_size=size)))
    return x, y


_SCALES = st.sampled_from([sp.Rational(1, 2), sp.Integer(1), sp.Rational(3, 2), sp.Integer(2)])


@st.composite
def laws(draw, families: tuple[str, ...] = ("Normal", "Uniform", "Laplace"), centred: bool = True) -> RandomFeatureLaw:
    """Independent laws of ``v`` and ``b`` from the known families with small rational parameters
    (centred at 0 when ``centred``: every kink weight then has a float64-friendly closed form)."""

    def one(name: str, fam: str):
        scale = draw(_SCALES)
        shift = sp.Integer(0) if centred else draw(st.sampled_from([sp.Integer(0), sp.Rational(1, 2), sp.Integer(-1)]))
        if fam == "Normal":
            return Normal(name, shift, scale)
        if fam == "Laplace":
            return Laplace(name, shift, scale)
        return Uniform(name, shift - scale, shift + scale)

    fv = draw(st.sampled_from(families))
    fb = draw(st.sampled_from(families))
    return RandomFeatureLaw(one("v", fv), one("b", fb))


def penalties(low: float = 1e-3, high: float = 1.0) -> st.SearchStrategy[float]:
    """``λ`` log-uniform in ``[low, high]``."""
    return st.floats(np.log10(low), np.log10(high)).map(lambda e: float(10.0**e))


def widths(min_log2: int = 4, max_log2: int = 14) -> st.SearchStrategy[int]:
    """Widths ``n = 2^k`` (the ladders' rungs)."""
    return st.integers(min_log2, max_log2).map(lambda k: 2**k)


# ----------------------------------------------------------------------------------------------------
# JSON settings of the explorable claims (proofs_check.claims.spline): a law of (v, b), a data set, λ
# ----------------------------------------------------------------------------------------------------
#: scales of the drawn laws (standard deviation of a Normal, scale of a Laplace, half-width of a Uniform);
#: the first is what a failure shrinks to
SCALES = (1, 0.5, 2, 1.5)
#: penalties λ; shrinks towards the first (the hand-picked 0.05)
LAMBDAS = (0.05, 0.01, 0.02, 0.1, 0.2, 0.5, 1)
#: locations (centres) are multiples of 1/8: the smallest asymmetry a draw can have
STEP = 8


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else float(v)


def _uniform(draw, half: float) -> list:
    """``U(c − h, c + h)`` with ``c`` a multiple of 1/8 and ``|c| < h`` (0 inside the support: ``p(0) > 0``)."""
    k = draw(st.integers(-(int(STEP * half) - 1), int(STEP * half) - 1))
    return ["Uniform", _num(k / STEP - half), _num(k / STEP + half)]


@st.composite
def law_settings(draw) -> dict:
    """A law of ``(v, b)`` as JSON, ``{"v": [family, a, b], "b": [family, a, b]}`` (``Normal``/``Laplace``:
    location and scale; ``Uniform``: the ends), admissible for Theorem 3.8 (continuous, independent,
    ``E|v|³ < ∞``, ``p_b(0) > 0``) and within the families whose kink weights have established closed forms
    (checked against the defining integral by :meth:`theory.spline.kink_weight.KinkWeight.numeric`):

    - ``v``: a centred Normal or Laplace, or a Uniform with 0 inside (possibly off-centre);
    - ``b``: a Uniform with 0 inside (any ``v``), a Normal (off-centre only with a Normal ``v``), a Laplace
      (off-centre only with a Uniform ``v``).

    Asymmetric laws (``g₊ ≠ g₋``) come from an off-centre ``b`` or an off-centre Uniform ``v``; locations are
    multiples of 1/8 and shrink towards 0 (the symmetric law), families towards Normal, scales towards 1.
    """
    fv = draw(st.sampled_from(("Normal", "Uniform", "Laplace")))
    sv = draw(st.sampled_from(SCALES))
    v = _uniform(draw, sv) if fv == "Uniform" else [fv, 0, sv]
    fb = draw(st.sampled_from(("Normal", "Uniform", "Laplace")))
    sb = draw(st.sampled_from(SCALES))
    if fb == "Uniform":
        b = _uniform(draw, sb)
    else:
        off = (fb == "Normal" and fv == "Normal") or (fb == "Laplace" and fv == "Uniform")
        mu = draw(st.integers(-STEP, STEP)) / STEP if off else 0
        b = [fb, _num(mu), sb]
    return {"v": v, "b": b}


@st.composite
def data_settings(draw, max_size: int = 8) -> dict:
    """A data set as JSON, ``{"x": [...], "y": [...]}``: ``2 … max_size`` distinct points in ``[−2, 2]`` on a
    grid of 1/20 (gap ≥ 0.05), spread over the interval or clustered within ±0.3 of a centre; ordinates
    multiples of 0.1 in ``[−2, 2]``, not all 0."""
    n = draw(st.integers(2, max_size))
    if draw(st.sampled_from(("spread", "clustered"))) == "spread":
        ks = draw(st.lists(st.integers(-40, 40), min_size=n, max_size=n, unique=True))
    else:
        c = draw(st.integers(-34, 34))
        ks = [c + d for d in draw(st.lists(st.integers(-6, 6), min_size=n, max_size=n, unique=True))]
    x = [_num(k / 20) for k in sorted(ks)]
    y = [_num(k / 10) for k in draw(st.lists(st.integers(-20, 20), min_size=n, max_size=n))]
    assume(any(y))
    return {"x": x, "y": y}


@st.composite
def spline_settings(draw) -> dict:
    """:func:`law_settings`, :func:`data_settings` and ``λ`` (from :data:`LAMBDAS`): a setting of the width
    sweeps ``spline.rate`` / ``spline.weight``."""
    return {**draw(law_settings()), **draw(data_settings()), "lam": draw(st.sampled_from(LAMBDAS))}


@st.composite
def kernel_limit_settings(draw) -> dict:
    """A setting of ``spline.kernel_limit``: each group — the law (``v``, ``b``), the data (``x``, ``y``),
    ``λ`` — fixed (probability 3/4, what a failure shrinks to) or left out, to be drawn per seed from the
    claim's hand-picked family. ``{}`` (everything drawn per seed) is the default setting."""
    out = {}
    if draw(st.integers(0, 3)) < 3:
        out.update(draw(law_settings()))
    if draw(st.integers(0, 3)) < 3:
        out.update(draw(data_settings()))
    if draw(st.integers(0, 3)) < 3:
        out["lam"] = draw(st.sampled_from(LAMBDAS))
    return out
