"""Representational cost of univariate shallow ReLU networks, exactly (Park, Pelakh & Wojtowytsch,
"Minimum norm interpolation by perceptra: explicit regularization and implicit bias", NeurIPS 2023,
arXiv 2311.06138; docs/minnorm.md).

A network ``f(x) = Σ_i c_i relu(a_i x + b_i) + d (+ e x)`` with an unpenalised output bias ``d`` (and an
optional unpenalised skip term ``e x``) pays, under weight decay, the penalty ``½ Σ (c_i² + a_i² + β b_i²)``
whose infimum over the rescalings ``(a, b, c) → (ta, tb, c/t)`` is the *path norm* ``Σ |c_i| ‖(a_i, β b_i)‖``
(AM–GM). The representational cost ``R(f)`` is the infimum of the path norm over all (finite or infinite)
networks realising ``f``. A neuron is a kink at ``t = −b/a`` of height ``J = c|a|`` (the jump of ``f'``),
pointing right (``a > 0``: ``J relu(x − t)``) or left (``a < 0``: ``J relu(t − x)``), and costs ``|J| ω(t)``:

* ``bias="free"`` (``β = 0``, no decay on the inner biases): ``ω ≡ 1``;
* ``bias="penalized"`` (``β = 1``, decay on every inner weight): ``ω(t) = √(1 + t²)``.

Writing ``μ = f''`` (a measure: the jumps of ``f'`` plus the density of the polynomial pieces) and
``s_± = f'(±∞)``, a representation splits ``μ`` into right- and left-pointing parts ``ρ + ℓ`` with
``ρ(ℝ) = s_+``. Without a skip term the cheapest split gives

.. math:: R_\\omega(f) = \\int \\omega\\, d|f''| + 2\\,\\omega_{\\min}\\,
          \\operatorname{dist}\\big(f'(+\\infty),\\, [-\\mu^-(\\mathbb R), \\mu^+(\\mathbb R)]\\big),

(the excess slope is an affine part ``ε(relu(x−t) − relu(t−x)) = ε(x − t)``, cheapest at ``argmin ω``;
``ω_min = 1``). For ``ω ≡ 1`` this is Savarese, Evron, Soudry & Srebro (COLT 2019), Theorem 1:
``R(f) = max(∫|f''|, |f'(−∞) + f'(+∞)|)`` — :func:`savarese_cost`, equal to
:func:`representational_cost` with ``bias="free"`` (checked symbolically in ``nnlimits derive
representational-cost`` and property-tested). With a free skip term the boundary term vanishes:
``R(f) = ∫ ω d|f''|`` — ``∫|f''|`` (free bias) and Boursier & Flammarion (NeurIPS 2023), Theorem 1,
``∫ √(1+x²) d|f''|`` (penalized bias).

Which norm the paper uses: its explicit-regularisation theorem is stated for weight decay on all weights of
the network (the Barron norm, whose 1-D form is the penalized-bias cost ``ω = √(1+t²)``), while the 1-D
minimum-norm interpolants it compares with are those of the free-bias cost; the paper's text could not be
consulted here, so both are implemented and every claim says which one it uses.

Functions are exact piecewise polynomials (:class:`Piecewise1D`, built from a SymPy expression or from
knots); costs are SymPy numbers (rational for free bias and rational data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import sympy as sp

from theory.common.derivation import Derivation

X = sp.Symbol("x", real=True)
BIASES = ("free", "penalized")


# ----------------------------------------------------------------------------------------------------
# kink weights
# ----------------------------------------------------------------------------------------------------
def check_bias(bias: str) -> str:
    if bias not in BIASES:
        raise ValueError(f"bias: expected 'free' or 'penalized', got {bias!r}")
    return bias


def kink_weight(t, bias: str = "free") -> sp.Expr:
    """``ω(t)``: the path-norm cost of a unit kink at ``t`` — ``1`` (free bias) or ``√(1 + t²)``
    (penalized bias: ``|c|‖(a, b)‖ = |c||a|√(1 + (b/a)²)``)."""
    check_bias(bias)
    return sp.Integer(1) if bias == "free" else sp.sqrt(1 + sp.sympify(t) ** 2)


def kink_weight_float(t: float, bias: str = "free") -> float:
    check_bias(bias)
    return 1.0 if bias == "free" else math.hypot(1.0, t)


#: ``min_t ω(t)`` (attained at ``t = 0`` for the penalized bias): the price of a unit of affine slope is twice it
OMEGA_MIN = sp.Integer(1)


def neuron_cost(a, b, c, bias: str = "free") -> sp.Expr:
    """Path-norm cost of one neuron ``c relu(a x + b)``: ``|c||a|`` (free) or ``|c|√(a² + b²)``
    (penalized); the infimum of ``½(c² + a² + βb²)`` over rescalings (AM–GM)."""
    a, b, c = (sp.nsimplify(v) if isinstance(v, float) else sp.sympify(v) for v in (a, b, c))
    check_bias(bias)
    return sp.Abs(c) * (sp.Abs(a) if bias == "free" else sp.sqrt(a**2 + b**2))


# ----------------------------------------------------------------------------------------------------
# exact piecewise polynomials
# ----------------------------------------------------------------------------------------------------
def _number(v, name: str) -> sp.Expr:
    if isinstance(v, bool):
        raise ValueError(f"{name}: expected a real number, got {v!r}")
    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"{name}: expected a finite number, got {v!r}")
        return sp.Rational(Fraction(v).numerator, Fraction(v).denominator)  # exact binary value
    try:
        e = sp.sympify(v)
    except (sp.SympifyError, TypeError):
        raise ValueError(f"{name}: expected a real number, got {v!r}") from None
    if not (e.is_real and e.is_finite):
        raise ValueError(f"{name}: expected a finite real number, got {v!r}")
    return e


@dataclass(frozen=True)
class Piecewise1D:
    """A piecewise polynomial on ℝ: ``pieces[0]`` on ``(−∞, breaks[0]]``, ``pieces[k]`` on
    ``[breaks[k−1], breaks[k]]``, ``pieces[-1]`` on ``[breaks[-1], ∞)``; pieces are SymPy polynomials in
    :data:`X`, breaks exact real numbers in increasing order. Continuity is not required of the object
    (a discontinuous function has infinite cost); :attr:`continuous` says whether it holds."""

    breaks: tuple[sp.Expr, ...]
    pieces: tuple[sp.Expr, ...]

    def __post_init__(self) -> None:
        if len(self.pieces) != len(self.breaks) + 1:
            raise ValueError(f"pieces: expected {len(self.breaks) + 1} pieces for {len(self.breaks)} breaks, "
                             f"got {len(self.pieces)}")
        for k in range(1, len(self.breaks)):
            if not sp.simplify(self.breaks[k] - self.breaks[k - 1]) > 0:
                raise ValueError(f"breaks: expected strictly increasing break points, got {self.breaks[k - 1]} "
                                 f"then {self.breaks[k]}")
        for k, p in enumerate(self.pieces):
            if p.free_symbols - {X}:
                raise ValueError(f"pieces[{k}]: expected a polynomial in x only, got {p}")
            if not sp.sympify(p).is_polynomial(X):
                raise ValueError(f"pieces[{k}]: expected a polynomial in x, got {p}")

    # -- construction ----------------------------------------------------------------------------------
    @classmethod
    def from_sympy(cls, expr, x: sp.Symbol | None = None) -> "Piecewise1D":
        """From a SymPy expression in ``x``: a ``Piecewise`` of polynomials, or an expression built from
        polynomials, ``Abs``, ``Max``/``Min`` (rewritten to ``Piecewise`` first)."""
        x = X if x is None else x
        try:
            e = sp.sympify(expr)
        except (sp.SympifyError, TypeError):
            raise ValueError(f"f: expected a SymPy expression, got {expr!r}") from None
        e = e.subs(x, X) if x != X else e
        free = e.free_symbols - {X}
        if free:
            raise ValueError(f"f: expected an expression in {X} only, got free symbols {sorted(map(str, free))}")
        e = sp.piecewise_fold(e.rewrite(sp.Piecewise))
        if not isinstance(e, sp.Piecewise):
            return cls((), (sp.expand(e),))
        pairs = e.as_expr_set_pairs(sp.Reals)
        ivs = []
        for ex, s in pairs:
            for iv in (s.args if isinstance(s, sp.Union) else (s,)):
                if isinstance(iv, sp.FiniteSet) or iv.is_empty:
                    continue  # isolated points do not change a continuous function; break points are kept below
                if not isinstance(iv, sp.Interval):
                    raise ValueError(f"f: cannot read the piece set {iv}")
                ivs.append((iv.start, iv.end, sp.expand(ex)))
        ivs.sort(key=lambda t: -math.inf if t[0] == -sp.oo else float(t[0]))
        breaks, pieces = [], []
        for k, (lo, hi, ex) in enumerate(ivs):
            if k == 0 and lo != -sp.oo:
                raise ValueError(f"f: not defined on (-oo, {lo})")
            if k > 0:
                if sp.simplify(lo - ivs[k - 1][1]) != 0:
                    raise ValueError(f"f: not defined between {ivs[k - 1][1]} and {lo}")
                if sp.expand(ex - pieces[-1]) == 0:
                    continue  # the same polynomial on both sides: no break
                breaks.append(lo)
            pieces.append(ex)
        if ivs and ivs[-1][1] != sp.oo:
            raise ValueError(f"f: not defined on ({ivs[-1][1]}, oo)")
        return cls(tuple(breaks), tuple(pieces))

    @classmethod
    def linear_interpolant(cls, knots: Sequence, values: Sequence, left_slope=None,
                           right_slope=None) -> "Piecewise1D":
        """The continuous piecewise-linear function through ``(knots, values)`` (strictly increasing
        knots), extended by ``left_slope`` / ``right_slope`` (default: the first / last segment's slope; one
        knot has no segment, so both slopes must then be given — ``ValueError`` otherwise)."""
        kx = [_number(v, "knots") for v in knots]
        ky = [_number(v, "values") for v in values]
        if len(kx) == 0 or len(kx) != len(ky):
            raise ValueError(f"knots, values: expected equally many (>= 1), got {len(kx)} and {len(ky)}")
        for k in range(1, len(kx)):
            if not kx[k] > kx[k - 1]:
                raise ValueError(f"knots: expected strictly increasing knots, got {kx[k - 1]} then {kx[k]}")
        if len(kx) == 1 and (left_slope is None or right_slope is None):
            raise ValueError("left_slope, right_slope: one knot has no segment to take an outer slope from; "
                             "give both")
        slopes = [(ky[k + 1] - ky[k]) / (kx[k + 1] - kx[k]) for k in range(len(kx) - 1)]
        sl = _number(left_slope, "left_slope") if left_slope is not None else slopes[0]
        sr = _number(right_slope, "right_slope") if right_slope is not None else slopes[-1]
        allslopes = [sl] + slopes + [sr]
        pieces = [sp.expand(ky[0] + allslopes[0] * (X - kx[0]))]
        pieces += [sp.expand(ky[k] + allslopes[k + 1] * (X - kx[k])) for k in range(len(kx) - 1)]
        pieces.append(sp.expand(ky[-1] + allslopes[-1] * (X - kx[-1])))
        return cls(tuple(kx), tuple(pieces)).simplified()

    @classmethod
    def from_kinks(cls, kinks: Sequence, jumps: Sequence, value0=0, slope_left=0) -> "Piecewise1D":
        """``f(x) = value0 + slope_left·x + Σ_k J_k relu(x − t_k)`` (kinks sorted or not; equal kinks add)."""
        acc: dict = {}
        for t, J in zip(kinks, jumps):
            t, J = _number(t, "kinks"), _number(J, "jumps")
            acc[t] = acc.get(t, 0) + J
        ts = sorted(acc, key=lambda v: float(v))
        p = sp.expand(_number(value0, "value0") + _number(slope_left, "slope_left") * X)
        pieces = [p]
        for t in ts:
            p = sp.expand(p + acc[t] * (X - t))
            pieces.append(p)
        return cls(tuple(ts), tuple(pieces)).simplified()

    def simplified(self) -> "Piecewise1D":
        """Drop break points where the function is one polynomial on both sides."""
        breaks, pieces = [], [self.pieces[0]]
        for t, p in zip(self.breaks, self.pieces[1:]):
            if sp.expand(p - pieces[-1]) == 0:
                continue
            breaks.append(t)
            pieces.append(p)
        return Piecewise1D(tuple(breaks), tuple(pieces))

    # -- evaluation ------------------------------------------------------------------------------------
    def piece_index(self, x) -> int:
        """Index of the piece containing ``x`` (the right piece at a break point)."""
        x = _number(x, "x")
        k = 0
        while k < len(self.breaks) and not x < self.breaks[k]:
            k += 1
        return k

    def __call__(self, x) -> sp.Expr:
        return sp.expand(self.pieces[self.piece_index(x)].subs(X, _number(x, "x")))

    def derivative_right(self, x) -> sp.Expr:
        return sp.expand(sp.diff(self.pieces[self.piece_index(x)], X).subs(X, _number(x, "x")))

    def derivative_left(self, x) -> sp.Expr:
        x = _number(x, "x")
        k = 0
        while k < len(self.breaks) and x > self.breaks[k]:
            k += 1
        return sp.expand(sp.diff(self.pieces[k], X).subs(X, x))

    def to_sympy(self) -> sp.Expr:
        args = [(p, X < t) for p, t in zip(self.pieces[:-1], self.breaks)]
        return sp.Piecewise(*args, (self.pieces[-1], True))

    def degree(self) -> int:
        return max(int(sp.Poly(p, X).degree()) if p != 0 else 0 for p in self.pieces)

    @property
    def continuous(self) -> bool:
        return all(sp.simplify(self.pieces[k].subs(X, t) - self.pieces[k + 1].subs(X, t)) == 0
                   for k, t in enumerate(self.breaks))

    @property
    def outer_slopes(self) -> tuple[sp.Expr, sp.Expr] | None:
        """``(f'(−∞), f'(+∞))`` if both outer pieces are affine, else ``None`` (infinite slopes)."""
        lo, hi = self.pieces[0], self.pieces[-1]
        if sp.Poly(lo, X).degree() > 1 or sp.Poly(hi, X).degree() > 1:
            return None
        return sp.diff(lo, X), sp.diff(hi, X)

    def jumps(self) -> tuple[sp.Expr, ...]:
        """``f'(t⁺) − f'(t⁻)`` at every break point ``t`` (the atoms of ``f''``)."""
        return tuple(sp.simplify(sp.diff(self.pieces[k + 1], X).subs(X, t) - sp.diff(self.pieces[k], X).subs(X, t))
                     for k, t in enumerate(self.breaks))


def as_piecewise(f) -> Piecewise1D:
    """A :class:`Piecewise1D` from itself or from a SymPy expression in :data:`X` (or another symbol)."""
    if isinstance(f, Piecewise1D):
        return f
    if isinstance(f, sp.Basic):
        syms = sorted(sp.sympify(f).free_symbols, key=str)
        if len(syms) > 1:
            raise ValueError(f"f: expected a function of one variable, got symbols {syms}")
        return Piecewise1D.from_sympy(f, syms[0] if syms else X)
    raise ValueError(f"f: expected a Piecewise1D or a SymPy expression, got {type(f).__name__}")


# ----------------------------------------------------------------------------------------------------
# the second-derivative measure and its weighted mass
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CurvatureMeasure:
    """``f'' = Σ_k J_k δ_{t_k} + q(x) dx``: the atoms, and per piece the density's weighted masses."""

    weighted_mass: sp.Expr  # ∫ ω d|f''|
    positive_mass: sp.Expr  # μ⁺(ℝ)
    negative_mass: sp.Expr  # μ⁻(ℝ)


def _density_masses(q: sp.Expr, lo, hi, bias: str) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """``(∫ ω|q|, ∫ q⁺, ∫ q⁻)`` over ``[lo, hi]`` for a polynomial ``q``, split at its real roots."""
    if q == 0:
        return sp.Integer(0), sp.Integer(0), sp.Integer(0)
    roots = [r for r in sp.Poly(q, X).real_roots() if (r > lo) == True and (r < hi) == True]  # noqa: E712
    cuts = [lo] + sorted(set(roots), key=lambda r: float(r)) + [hi]
    w = kink_weight(X, bias)
    wm, pos, neg = sp.Integer(0), sp.Integer(0), sp.Integer(0)
    for a, b in zip(cuts[:-1], cuts[1:]):
        mid = (a + b) / 2
        s = sp.sign(q.subs(X, mid))
        mass = sp.integrate(q, (X, a, b))
        wm += s * (mass if bias == "free" else sp.integrate(w * q, (X, a, b)))
        if s > 0:
            pos += mass
        elif s < 0:
            neg -= mass
    return wm, pos, neg


def atom_masses(jumps) -> tuple[sp.Expr, sp.Expr]:
    """``(μ⁺, μ⁻)`` of the atoms ``Σ_k J_k δ_{t_k}`` of ``f''``: ``Σ max(J_k, 0)`` and ``Σ max(−J_k, 0)`` (the
    slope jumps' positive and negative parts; one definition, used by :func:`curvature_measure` and the
    boundary test of :func:`theory.minnorm.erm.linear_response` on SymPy numbers, and the LP's boundary slack
    on Fractions; the sums keep the jumps' type)."""
    jumps = list(jumps)
    return sum((J for J in jumps if bool(J > 0)), 0), -sum((J for J in jumps if bool(J < 0)), 0)


def curvature_measure(f, bias: str = "free") -> CurvatureMeasure | None:
    """The weighted mass ``∫ ω d|f''|`` and ``μ^±(ℝ)``; ``None`` if ``f`` has infinite cost (discontinuous,
    or an outer piece of degree ≥ 2)."""
    f = as_piecewise(f)
    check_bias(bias)
    if not f.continuous or f.outer_slopes is None:
        return None
    jumps = f.jumps()
    wm = sum((kink_weight(t, bias) * sp.Abs(J) for t, J in zip(f.breaks, jumps)), sp.Integer(0))
    pos, neg = atom_masses(jumps)
    for k in range(1, len(f.pieces) - 1):
        q = sp.expand(sp.diff(f.pieces[k], X, 2))
        a, b, c = _density_masses(q, f.breaks[k - 1], f.breaks[k], bias)
        wm, pos, neg = wm + a, pos + b, neg + c
    if bias == "free":
        wm = sp.simplify(wm)
        wm = wm if wm.is_Rational else sp.nsimplify(wm)  # nsimplify rewrites some rationals (2189/153) as powers
    else:
        wm = _tidy(wm)
    return CurvatureMeasure(wm, sp.simplify(pos), sp.simplify(neg))


def _tidy(e: sp.Expr) -> sp.Expr:
    """``sp.simplify(e)`` unless ``e`` is already an explicit number (a sum of rational multiples of surds and
    elementary constants, no ``Abs``/``Max``/``Piecewise`` left): simplifying such a sum only costs time."""
    e = sp.sympify(e)
    if e.is_number and not e.has(sp.Abs, sp.Max, sp.Min, sp.Piecewise, sp.Integral):
        return e
    return sp.simplify(e)


def _dist_to_interval(s, lo, hi) -> sp.Expr:
    return sp.Max(0, lo - s, s - hi)


def representational_cost(f, bias: str = "free", skip: bool = False) -> sp.Expr:
    """``R(f)``, the least path norm of a (possibly infinitely wide) shallow ReLU network realising ``f``.

    ``R(f) = ∫ ω d|f''| + 2 ω_min dist(f'(+∞), [−μ⁻(ℝ), μ⁺(ℝ)])`` without a skip term, ``∫ ω d|f''|`` with
    one; ``ω ≡ 1`` (``bias="free"``) or ``√(1 + t²)`` (``"penalized"``); see the module docstring. Exact
    for piecewise polynomials (a SymPy number); ``oo`` for a discontinuous ``f`` or one whose outer pieces
    are not affine.

    >>> from sympy import Abs, Max
    >>> representational_cost(Max(X, 0)), representational_cost(Abs(X)), representational_cost(X)
    (1, 2, 2)
    """
    f = as_piecewise(f)
    check_bias(bias)
    cm = curvature_measure(f, bias)
    if cm is None:
        return sp.oo
    if skip:
        return cm.weighted_mass
    _, s_plus = f.outer_slopes
    return _tidy(cm.weighted_mass + 2 * OMEGA_MIN * _dist_to_interval(s_plus, -cm.negative_mass, cm.positive_mass))


def savarese_cost(f) -> sp.Expr:
    """``max(∫|f''|, |f'(−∞) + f'(+∞)|)`` (Savarese, Evron, Soudry & Srebro 2019, Theorem 1):
    the free-bias cost without a skip term, in its published form."""
    f = as_piecewise(f)
    cm = curvature_measure(f, "free")
    if cm is None:
        return sp.oo
    s_minus, s_plus = f.outer_slopes
    return sp.Max(cm.weighted_mass, sp.Abs(s_minus + s_plus))


# ----------------------------------------------------------------------------------------------------
# the weight-decay schedule
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScheduleCheck:
    """How a coefficient ``λ`` compares with the three requirements of :func:`lambda_schedule`."""

    lam: float
    lam_times_m: float  # → ∞ needed (approximation error ‖f*‖²/m negligible against λ‖f*‖)
    lam_over_stat: float  # λ / sqrt(log n / n) → ∞ needed (generalisation gap negligible)

    def satisfied_by_trend(self, other: "ScheduleCheck") -> bool:
        """Whether going from ``self`` to ``other`` (larger n, m) moves every ratio the right way."""
        return other.lam < self.lam and other.lam_times_m > self.lam_times_m and other.lam_over_stat > self.lam_over_stat


def schedule_lower_rate(n: int, m: int) -> float:
    """``ε_{n,m} = max(1/m, √(log n / n))``: the two error scales ``λ_{n,m}`` must dominate."""
    n, m = _positive_int(n, "n"), _positive_int(m, "m")
    if n < 2:
        raise ValueError(f"n: expected at least 2 data points, got {n}")
    return max(1.0 / m, math.sqrt(math.log(n) / n))


def lambda_schedule(n: int, m: int, c: float = 1.0, theta: float = 0.5) -> float:
    """``λ_{n,m} = c · ε_{n,m}^θ`` with ``ε_{n,m} = max(1/m, √(log n / n))`` and ``0 < θ < 1``.

    Form used (Park–Pelakh–Wojtowytsch's explicit-regularisation theorem; its exact statement
    could not be consulted, so the rate is derived here by the standard Barron-space argument — E, Ma & Wu
    2019 — and stated as such). For the empirical risk ``(1/n) Σ ℓ + λ·(path norm)`` with a minimum-norm
    interpolant ``f*`` of norm ``Q``: (i) an ``m``-neuron approximant has risk ``≤ Q²/m`` and path norm
    ``≤ Q``, so the ERM's norm is ``≤ Q + Q²/(mλ)``, bounded iff ``λ m → ∞``; (ii) on a norm ball of radius
    ``r`` the empirical and population risks differ by ``≲ r² √(log n / n)`` (Rademacher complexity of the
    Barron ball), negligible against the penalty iff ``λ √(n / log n) → ∞``; (iii) ``λ → 0`` makes the limit
    an interpolant, and lower semicontinuity of the norm makes it a minimum-norm one. Every ``θ ∈ (0, 1)``
    satisfies (i)–(iii); ``θ = ½`` is the geometric mean of the two sides. ``c`` sets the scale (the
    theorem is asymptotic in ``c``)."""
    if not (isinstance(theta, (int, float)) and 0 < theta < 1):
        raise ValueError(f"theta: expected 0 < theta < 1 (theta = 1 violates the lower bound, 0 does not vanish), got {theta!r}")
    if not (isinstance(c, (int, float)) and not isinstance(c, bool) and c > 0 and math.isfinite(c)):
        raise ValueError(f"c: expected a positive number, got {c!r}")
    return float(c) * schedule_lower_rate(n, m) ** theta


@dataclass(frozen=True)
class RampGap:
    """The predicted norm gap of the weight-decay ERM between two flat known regions (:func:`ramp_gap`)."""

    gap: float  # R* − R(f̂): Δ/L₀ − Δ/(L + w)
    width: float  # w: how far the ramp reaches into each region
    half_gap: float  # L = L₀ + E: half the distance between the innermost samples (expected)
    edge: float  # E: expected distance from a region's inner end to its nearest sample
    asymptotic: float  # 2√(Δ/ρ)/L₀²·√λ: the leading term as λ → 0, n → ∞


def ramp_gap(lam: float, n: int | None = None, jump: float = 1.0, half_gap: float = 1.0,
             region_length: float = 4.0) -> RampGap:
    """Norm gap ``R* − R(f̂)`` of the ERM ``(1/2n)Σ(f(x_i) − y_i)² + λ∫|f''|`` on ``n`` samples uniform on two
    regions of length ``ℓ`` (``f = 0`` left, ``f = Δ`` right) whose inner ends are ``2L₀`` apart, the ramp
    being their minimum-norm interpolant (``R* = Δ/L₀``).

    Derivation (continuum, density ``ρ = 1/(2ℓ)``): the ERM widens the ramp into both regions by ``w``, a
    straight line from ``(−L − w, 0)`` to ``(L + w, Δ)`` (an extra kink inside the gap costs curvature
    without lowering the misfit); its norm is ``Δ/(L + w)`` and its misfit ``ρΔ²w³/(12(L + w)²)``, so
    ``w`` is the positive root of ``12λ(L + w) = ρΔ(3Lw² + w³)`` (one sign change: a unique root) and the
    gap is ``Δ/L₀ − Δ/(L + w)`` — exact in λ, with the leading term ``2√(Δ/ρ)/L₀²·√λ`` (``w ≈ 2√(λ/(ρΔ))``,
    gap ``≈ Δw/L₀²``; ``nnlimits derive weight-decay-schedule``; ``4√2·√λ`` for
    ``Δ = L₀ = 1``, ``ℓ = 4``). Finite ``n`` (``n=None``: ``E = 0``): the data stop at the innermost sample,
    at expected distance ``E = E[ℓ/(K + 1)] = 2ℓ(1 − 2^{−n−1})/(n + 1)`` from each inner end (``K ~
    Bin(n, ½)`` samples in a region), so ``L = L₀ + E``; the gap is taken at the expected ``L`` (its
    fluctuation enters at second order, ``Var E = O(n^{−2})``)."""
    lam = float(lam)
    if not (math.isfinite(lam) and lam > 0):
        raise ValueError(f"lam: expected a positive number, got {lam!r}")
    for name, v in (("jump", jump), ("half_gap", half_gap), ("region_length", region_length)):
        if not (math.isfinite(v) and v > 0):
            raise ValueError(f"{name}: expected a positive number, got {v!r}")
    edge = 0.0
    if n is not None:
        n = _positive_int(n, "n")
        edge = 2.0 * region_length * (1.0 - 0.5 ** (n + 1)) / (n + 1)
    rho = 1.0 / (2.0 * region_length)
    L = half_gap + edge
    k = 12.0 * lam / (rho * jump)
    roots = [complex(r) for r in mpmath.polyroots([1, 3 * L, -k, -k * L], maxsteps=200, extraprec=60)]
    w = max(r.real for r in roots if abs(r.imag) < 1e-12 and r.real > 0)
    return RampGap(jump / half_gap - jump / (L + w), w, L, edge,
                   2.0 * math.sqrt(jump / rho) / half_gap**2 * math.sqrt(lam))


def check_schedule(n: int, m: int, lam: float) -> ScheduleCheck:
    """The three ratios of :func:`lambda_schedule`'s requirements for a given ``λ``."""
    stat = math.sqrt(math.log(_positive_int(n, "n")) / n) if n >= 2 else math.inf
    return ScheduleCheck(float(lam), float(lam) * _positive_int(m, "m"), float(lam) / stat)


def _positive_int(v, name: str) -> int:
    if isinstance(v, bool) or not isinstance(v, (int,)) and not (hasattr(v, "__index__")):
        raise ValueError(f"{name}: expected a positive integer, got {v!r}")
    v = int(v)
    if v < 1:
        raise ValueError(f"{name}: expected a positive integer, got {v}")
    return v


# ----------------------------------------------------------------------------------------------------
# derivation: nnlimits derive representational-cost
# ----------------------------------------------------------------------------------------------------
def derive_representational_cost() -> Derivation:
    """The representational cost of univariate ReLU networks, step by step (every equality checked)."""
    a, b, c, s = sp.symbols("a b c s", real=True)
    tp = sp.Symbol("tau", positive=True)
    ap, cp = sp.symbols("a_+ c_+", positive=True)
    Rf = sp.Function("R")
    d = Derivation("Representational cost of a shallow ReLU network in 1-D",
                   "Savarese–Evron–Soudry–Srebro 2019, Thm 1; Boursier–Flammarion 2023, Thm 1; "
                   "Park–Pelakh–Wojtowytsch 2023")
    d.define("A neuron c·relu(a x + b) with weight decay pays ½(c² + a² + β b²); β = 0 leaves the inner bias "
             "free, β = 1 penalises it. Rescaling (a, b, c) → (τa, τb, c/τ) does not change the function.",
             sp.Symbol("P"), (c**2 + a**2 + sp.Symbol("beta") * b**2) / 2)
    pen = (cp**2 / tp**2 + tp**2 * ap**2) / 2
    tau_star = sp.sqrt(cp / ap)
    d.equal("Free bias: the penalty of the rescaled neuron is stationary at τ* = √(|c|/|a|) …",
            sp.Derivative(pen, tp).doit().subs(tp, sp.UnevaluatedExpr(tau_star)), sp.Integer(0),
            check=lambda l, r: sp.simplify(sp.diff(pen, tp).subs(tp, tau_star)) == 0, how="simplify")
    d.equal("… where it equals the path norm |c||a| (AM–GM: the minimum over rescalings).",
            sp.Mul(sp.Rational(1, 2), sp.Add(cp**2 / sp.UnevaluatedExpr(tau_star) ** 2,
                                              sp.UnevaluatedExpr(tau_star) ** 2 * ap**2, evaluate=False),
                   evaluate=False), cp * ap,
            check=lambda l, r: sp.simplify(pen.subs(tp, tau_star) - r) == 0, how="simplify")
    d.equal("Penalized bias: the minimum is |c|·‖(a, b)‖; for a kink at t = −b/a of height J = c|a| it is "
            "|J|·√(1 + t²), cheapest at t = 0.",
            sp.Abs(c) * sp.sqrt(a**2 + b**2), sp.Abs(c * a) * sp.sqrt(1 + (b / a) ** 2),
            check=lambda l, r: sp.simplify(l**2 - r**2) == 0, how="simplify (of the squares; both sides ≥ 0)")
    relu = lambda z: sp.Max(z, 0, evaluate=False)  # noqa: E731
    d.equal("A linear function needs two neurons pointing opposite ways (kink anywhere; cost 2 with free bias, "
            "2 at t = 0 with penalized bias).", sp.Add(relu(s), -relu(-s), evaluate=False), s,
            check=lambda l, r: all(sp.simplify(l.subs(s, v) - r.subs(s, v)) == 0 for v in (-3, -1, 0, 2)),
            how="piecewise: both sides agree on s < 0, s = 0 and s > 0")
    for f, v, text in ((sp.Max(X, 0), 1, "One kink of height 1: R(relu) = 1."),
                       (sp.Abs(X), 2, "One kink of height 2 whose outer slopes cancel: R(|x|) = ∫|f''| = 2."),
                       (X, 2, "No kink, outer slopes 1 + 1: R(x) = |f'(−∞) + f'(+∞)| = 2.")):
        d.equal(text, Rf(f), sp.Integer(v), check=lambda l, r, f=f: representational_cost(f) == r,
                how="representational_cost, exact")
    # boundary term: max(TV, |s_- + s_+|) = TV + 2 dist(s_+, [-mu^-, mu^+])
    mp_, mm_ = sp.symbols("mu_p mu_m", nonnegative=True)
    sp_ = sp.Symbol("s_p", real=True)
    lhs = sp.Max(mp_ + mm_, sp.Abs(2 * sp_ - mp_ + mm_))
    rhs = mp_ + mm_ + 2 * sp.Max(0, -mm_ - sp_, sp_ - mp_)

    def casewise(l, r):
        """Cases s_+ = −μ⁻ − u and s_+ = μ⁺ + u (u ≥ 0): simplify to 0. Middle case s_+ = −μ⁻ + θM, θ ∈ [0, 1],
        M = μ⁺ + μ⁻: the right side is M, and M² − (2s_+ − μ⁺ + μ⁻)² = 4θ(1 − θ)M² ≥ 0, so the left side is M."""
        u, th = sp.Symbol("u", nonnegative=True), sp.Symbol("theta", real=True)
        M = mp_ + mm_
        outer = all(sp.simplify((l - r).subs(sp_, v)) == 0 for v in (-mm_ - u, mp_ + u))
        inner = 2 * (-mm_ + th * M) - mp_ + mm_
        right_is_M = all(sp.simplify(r.subs(sp_, -mm_ + v * M) - M) == 0
                         for v in (sp.Integer(0), sp.Rational(1, 3), sp.Rational(1, 2), sp.Integer(1)))
        square = sp.expand(M**2 - inner**2 - 4 * th * (1 - th) * M**2) == 0
        return outer and right_is_M and square
    d.equal("Splitting f'' = ρ + ℓ into right- and left-pointing neurons with ρ(ℝ) = s_+ costs nothing extra while "
            "s_+ ∈ [−μ⁻, μ⁺]; each unit beyond costs 2 (an affine part at the cheapest kink). With s_− = s_+ − μ⁺ + μ⁻ "
            "this is Savarese's max(∫|f''|, |f'(−∞) + f'(+∞)|).", lhs, rhs, check=casewise,
            how="simplify in each of the three cases of s_+")
    y = [1, 0, 1, 0, 1]
    dl = [sp.Integer(y[i + 1] - y[i]) for i in range(4)]
    V = sp.Add(*[sp.Abs(sp.Add(dl[i + 1], -dl[i], evaluate=False), evaluate=False) for i in range(3)], evaluate=False)
    sig = sp.Abs(sp.Add(dl[0], dl[-1], evaluate=False), evaluate=False)
    d.equal("Data y = 1, 0, 1, 0, 1 at x = −2, …, 2 (slopes δ = −1, 1, −1, 1): by the mean value theorem "
            "∫|f''| ≥ Σ|δ_{i+1} − δ_i| for every interpolant, with equality for the piecewise-linear one; moving its "
            "outer slopes trades ∫|f''| for the boundary term, so the minimum is max(V, (V + |δ₁ + δ₄|)/2).",
            sp.Max(V, sp.Mul(sp.Rational(1, 2), sp.Add(V, sig, evaluate=False), evaluate=False), evaluate=False),
            sp.Integer(6),
            check=lambda l, r: sp.simplify(l.doit() - r) == 0, how="simplify")
    d.equal("The same interpolant as a function: its cost computed from its second derivative.",
            Rf(sp.Symbol("f_{PL}")), sp.Integer(6),
            check=lambda l, r: representational_cost(Piecewise1D.linear_interpolant([-2, -1, 0, 1, 2], y)) == r,
            how="representational_cost, exact")
    lam, n, R, q = sp.symbols("lambda n R^* q", positive=True)
    Rl = sp.Symbol("R_lambda", positive=True)
    d.define("Regularised ERM (1/2n)Σ(f(x_i) − y_i)² + λR(f): by Fenchel duality the residual is −nλu_λ, u_λ the "
             "projection of y/(nλ) on the dual polytope; for λ below the first change of active set u_λ = u♯, the "
             "least-norm optimal dual certificate, with ⟨u♯, y⟩ = R* (exact for polyhedral duals; q = ‖u♯‖²).")
    primal = lam * Rl + (n * lam) ** 2 * q / (2 * n)
    dual = lam * (R - n * lam * q / 2)
    d.equal("Primal value λR(f_λ) + (1/2n)‖nλu♯‖² = dual value λ(⟨u♯, y⟩ − (nλ/2)‖u♯‖²) …", primal, dual,
            check=lambda l, r: sp.simplify((l - r).subs(Rl, R - n * lam * q)) == 0,
            how="holds exactly at R(f_λ) = R* − nλq (substituted, simplify)")
    d.equal("… so the norm of the ERM is R(f_λ) = R* − nλ‖u♯‖² and its misfit nλ²q/2: linear response, no √λ.",
            Rl, R - n * lam * q, check=lambda l, r: sp.solve(sp.Eq(primal, dual), Rl) == [r],
            how="SymPy solve of the previous equation")
    return d
