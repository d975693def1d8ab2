"""The kink weight ``g`` of a randomised shallow ReLU network (Heiss, Teichmann & Wutte, arXiv 1911.02903,
Theorem 3.8; docs/spline.md).

A neuron ``ρ(b + v x)`` has its kink at ``ξ = −b/v``. For independent continuous ``v`` and ``b`` the
weight of the curvature penalty is

.. math:: g(x) = p_\\xi(x)\\, \\mathbb E[v^2 \\mid \\xi = x] = \\int_{\\mathbb R} |v|^3\\, p_v(v)\\, p_b(-x v)\\, dv ,

by the change of variables ``(v, b) ↦ (v, ξ)``, ``b = −ξ v``, Jacobian ``|v|``. Neurons with ``v > 0``
vanish at ``−∞`` and those with ``v < 0`` at ``+∞``; restricting the integral to ``±v > 0`` gives

.. math:: g_\\pm(x) = \\int_{\\pm v > 0} |v|^3\\, p_v(v)\\, p_b(-x v)\\, dv ,\\qquad g = g_+ + g_- ,

the weights of the two halves of the adapted spline (:mod:`theory.spline.splines`). At ``x = 0``:
``g(0) = p_b(0)\\, \\mathbb E|v|^3``, which must be finite and positive for the paper's scaling
``λ̃ = λ n g(0)``.

Every integral is done by SymPy, separately for ``x > 0`` and ``x < 0`` (the support of ``p_b(−xv)`` in
``v`` depends on the sign of ``x``), and the two halves are merged into one expression when they agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import mpmath as mp
import numpy as np
import sympy as sp
from sympy.stats import E, density

from theory.spline.rf_law import LawError, RandomFeatureLaw, abs_support_end, breakpoints

_T = sp.Dummy("t", real=True)
_Y = sp.Dummy("y", positive=True)


@dataclass(frozen=True)
class KinkWeight:
    """``g``, ``g₊``, ``g₋`` as SymPy expressions in ``x`` (valid for ``x ≠ 0``) and their values at 0.

    ``g`` equals ``g_plus + g_minus``; ``g0 = g(0) = p_b(0) E|v|³``. ``numeric()`` gives plain NumPy
    callables for the numerical layer.
    """

    x: sp.Symbol
    g: sp.Expr
    g_plus: sp.Expr
    g_minus: sp.Expr
    g0: sp.Expr
    g0_plus: sp.Expr
    g0_minus: sp.Expr
    law: RandomFeatureLaw | None = field(default=None, compare=False)

    def numeric(self) -> tuple[Callable, Callable, float]:
        """``(g₊, g₋, g(0))`` as NumPy callables and a float (law parameters must be numbers).

        The callables evaluate the *symbolic* closed forms (rewritten for float64: exponentials combined,
        so ``e^{a} e^{−a}`` cancels). Two criteria, both checked at log-spaced probes
        ``|x| ∈ [1e-6, 1e12]`` (two per decade, both signs) against the closed form evaluated in exact
        arithmetic (mpmath, precision raised until two evaluations agree to 1e-17):

        - *agreement*: the defining integral (composite Gauss–Legendre, :func:`half_weight_quadrature`,
          independent of the closed form) must agree with the exact closed form to ``QUADRATURE_RTOL``
          at every probe, else :class:`ClosedFormError` is raised: a wrong symbolic ``g`` (a wrong
          factor, a wrong functional form) never reaches a spline;
        - *round-off*: the float64 closed form is used on the interval of ``|x|`` around 1 on which its
          relative round-off (float64 against exact, the same expression) is ``≤ FLOAT64_RTOL``; outside
          it — only where the float64 evaluation is shown to lose accuracy, e.g. the cancellation
          ``2 − (c²/x² + 2) e^{−c²/(2x²)} = c⁴/(4x⁴) + …`` of ``v ~ N(0,1)``, ``b ~ U(−c, c)``, whose
          relative round-off is about ``8 ε_mach x⁴/c⁴`` (> 1e-11 for ``|x| ≳ 3c``) — the integral,
          checked against the exact closed form there by the first criterion, is used instead. An
          interval that reaches the smallest (largest) probe is extended to 0 (∞), except where the
          float64 evaluation is not finite (overflow, ``x²`` underflowing to 0);
        - *every route*: the evaluator itself is then checked at the probes and at one point beyond each end
          of them (:func:`_check_routes`): its values agree with the exact closed form (to ``FLOAT64_RTOL``
          on the closed form, ``QUADRATURE_RTOL`` on the quadrature), the float64 closed form is used at no
          probe where its round-off exceeds ``FLOAT64_RTOL``, and the quadrature replaces it only where a
          loss of accuracy was shown, else :class:`ClosedFormError`.
        """
        if self.law is None or self.g.free_symbols - {self.x}:
            raise LawError(f"g: numerical use needs a law with numeric parameters, got free symbols "
                           f"{sorted(map(str, self.g.free_symbols - {self.x}))}")
        return _numeric(self)

    def mp(self, which: str = "g") -> Callable[[mp.mpf], mp.mpf]:
        """An mpmath function of ``x`` (for references at ≥ 30 digits; use inside ``mp.workdps``)."""
        expr, at0 = {"g": (self.g, self.g0), "plus": (self.g_plus, self.g0_plus),
                     "minus": (self.g_minus, self.g0_minus)}[which]
        f = sp.lambdify(self.x, expr, modules="mpmath")
        return lambda t: mp.mpf(sp.N(at0, mp.mp.dps + 5)) if t == 0 else mp.re(f(mp.mpf(t)))


#: Gauss–Legendre nodes per panel and log-spaced panels (|v| from top·1e-18 to top) of the quadrature
_GL_NODES, _GL_PANELS = 24, 64
#: points per block of the vectorised quadrature (temporaries of block × panels × nodes floats)
_GL_BLOCK = 512


def half_weight_quadrature(law: RandomFeatureLaw, sign_v: int) -> Callable[[np.ndarray], np.ndarray]:
    """``x ↦ ∫_0^∞ s³ p_v(sign_v·s) p_b(−x·sign_v·s) ds`` — the definition of ``g±``, independent of the
    closed form — by composite Gauss–Legendre, vectorised over ``x``: panels log-spaced in ``s`` (so that
    ``p_b(−xs)``, concentrated at ``s ~ 1/|x|``, is resolved for any ``x``) and split at the densities'
    breakpoints (Uniform ends, Laplace centre), where the integrand is not smooth."""
    from theory.spline.rf_law import numeric_density

    pv, pb = numeric_density(law.v, "v"), numeric_density(law.b, "b")
    bv = np.array([abs(c) for c in breakpoints(law.v) if c * sign_v > 0], float)
    bb = np.array(breakpoints(law.b), float)
    top = abs_support_end(law.v)
    base = np.concatenate([[0.0], np.geomspace(top * 1e-18, top, _GL_PANELS)])
    nodes, weights = np.polynomial.legendre.leggauss(_GL_NODES)

    def g(x) -> np.ndarray:
        x = np.atleast_1d(np.asarray(x, float))
        if x.size > _GL_BLOCK:  # bounded temporaries: (block, panels, nodes)
            return np.concatenate([g(x[i:i + _GL_BLOCK]) for i in range(0, x.size, _GL_BLOCK)])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # inf or nan: dropped below
            moved = bb[None, :] / (-x[:, None] * sign_v) if bb.size else np.empty((x.size, 0))
        moved = np.where((moved > 0) & (moved < top) & np.isfinite(moved), moved, 0.0)
        edges = np.sort(np.concatenate([np.broadcast_to(base, (x.size, base.size)),
                                        np.broadcast_to(bv[bv < top], (x.size, int((bv < top).sum()))),
                                        moved], axis=1), axis=1)
        a, b = edges[:, :-1], edges[:, 1:]
        half, mid = (b - a) / 2, (b + a) / 2
        t = mid[..., None] + half[..., None] * nodes  # (x, panels, nodes)
        f = t**3 * pv(sign_v * t) * pb(-x[:, None, None] * sign_v * t)
        return np.einsum("ijk,k,ij->i", f, weights, half)

    return g


#: probes of the float64 closed form, |x| from 1e-6 to 1e12 (two per decade), both signs
_PROBES = np.geomspace(1e-6, 1e12, 37)
#: round-off criterion: the float64 closed form is used where it is this close to its exact value
FLOAT64_RTOL = 1e-11
#: agreement criterion: the closed form (exact arithmetic) and the defining integral (composite
#: Gauss–Legendre, accurate to ~1e-13 on these integrands) must agree this closely at every probe
QUADRATURE_RTOL = 1e-9
#: precisions (digits) of the exact evaluation, raised until two successive ones agree to 1e-17
_DPS_LADDER = (20, 40, 80, 160, 320, 640)


#: the last _MEMO_SIZE evaluations on arrays of at least _MEMO_MIN points are kept: the quadrature nodes
#: of the kernel moments repeat for every spline on the same points (another λ, a deformed weight)
_MEMO_SIZE, _MEMO_MIN = 64, 256


class ClosedFormError(LawError):
    """The symbolic kink weight disagrees with its defining integral beyond quadrature accuracy."""


def _exact(f: Callable, t: np.ndarray) -> np.ndarray:
    """``f`` (an mpmath lambdification of the closed form) at every ``t`` in exact arithmetic: the
    precision is raised until two successive evaluations agree to 1e-17 relative (cancellation of any
    depth below 600 digits is resolved), then rounded once to float64."""
    out = np.empty(t.size)
    for i, v in enumerate(np.ravel(t)):
        prev, val = None, mp.nan
        for dps in _DPS_LADDER:
            with mp.workdps(dps):
                try:
                    val = mp.re(f(mp.mpf(float(v))))
                except ZeroDivisionError:  # a cancelling denominator rounded to 0: more digits
                    prev = None
                    continue
                if prev is not None and abs(val - prev) <= mp.mpf(10) ** -17 * abs(val):
                    break
                prev = val
        out[i] = float(val)
    return out


#: ``erfc`` kept as written (no automatic ``erfc(−z) → 2 − erfc(z)``), evaluated by ``mpmath.erfc``
_ERFC = sp.Function("erfc_exact")


def _exact_form(expr: sp.Expr, x: sp.Symbol) -> Callable:
    """An mpmath function ``t ↦ expr(t)`` for exact evaluation: on each sign of ``x`` (``x = ±y``, ``y > 0``,
    so that ``Piecewise`` branches and the signs of ``erf`` arguments are known) ``erf(z)`` with ``z > 0`` is
    written ``1 − erfc(z)`` (``z < 0``: ``erfc(−z) − 1``) and the result expanded, so that
    ``e^{z²}(erf z − 1) = −e^{z²} erfc z`` carries no cancellation of depth ``z²`` digits (``erfc`` and
    ``e^{z²}`` are exact in mpmath for any ``z``). An argument whose sign changes with ``y`` (``y/√2 −
    1/(2√2 y)`` of an off-centre Normal ``v`` or ``b``) is written by its sign *at the point*: one expanded
    form per sign pattern of such arguments, built when first needed. Both forms are identities, so only
    the precision needed differs — but the wrong one loses every digit of a cancellation of depth
    ``z²/ln 10``, which no moderate raise of the precision reveals (two precisions below the depth agree on
    the same rounded value)."""
    y = sp.Dummy("y", positive=True)

    def side(z: sp.Expr) -> bool | None:
        return bool(z.is_positive) if (z.is_positive or z.is_negative) else None

    def rewrite(a: sp.Expr, positive: bool) -> sp.Expr:  # erf z = 1 − erfc z = erfc(−z) − 1, for every z
        # an unevaluated erfc: SymPy's own would turn erfc(−z) back into 2 − erfc(z) when it sees a sign
        return 1 - _ERFC(a.args[0]) if positive else _ERFC(-a.args[0]) - 1

    branches = {}
    for sgn in (1, -1):
        e = expr.subs(x, sgn * y)
        atoms = sorted(e.atoms(sp.erf), key=sp.default_sort_key)
        fixed = {a: rewrite(a, side(a.args[0])) for a in atoms if side(a.args[0]) is not None}
        free = [a for a in atoms if a not in fixed]
        signs = sp.lambdify(y, [a.args[0] for a in free], modules="mpmath") if free else None
        branches[sgn] = (e.xreplace(fixed), free, signs, {})

    def f(t):
        e, free, signs, forms = branches[1 if t > 0 else -1]
        yv = abs(t)
        pattern = tuple(bool(mp.re(z) > 0) for z in signs(yv)) if free else ()
        if pattern not in forms:
            chosen = {a: rewrite(a, pos) for a, pos in zip(free, pattern)}
            forms[pattern] = sp.lambdify(y, sp.expand(e.xreplace(chosen)), modules=[{"erfc_exact": mp.erfc}, "mpmath"])
        return forms[pattern](yv)

    return f


def _accurate_range(ok: np.ndarray) -> tuple[float, float]:
    """The probe interval of ``|x|`` around ``|x| = 1`` on which ``ok`` holds, extended to 0 (∞) when it
    holds down to the smallest (up to the largest) probe; ``(inf, 0)`` if it fails at ``|x| = 1``."""
    i = int(np.argmin(np.abs(np.log(_PROBES))))
    if not ok[i]:
        return np.inf, 0.0
    lo = i
    while lo > 0 and ok[lo - 1]:
        lo -= 1
    hi = i
    while hi < ok.size - 1 and ok[hi + 1]:
        hi += 1
    return (0.0 if lo == 0 else float(_PROBES[lo]), np.inf if hi == ok.size - 1 else float(_PROBES[hi]))


#: one point beyond each end of the probes (|x| = 1e-9, 1e15), where the closed form is extended without a probe
_BEYOND = np.array([1e-9, 1e15])


def _check_routes(name: str, evaluate: Callable, fast: Callable, evidence: dict,
                  bands: tuple[tuple[float, float], ...] = ()) -> None:
    """The evaluator of ``g±`` against the evidence of its probes, on every route (float64 closed form,
    quadrature of the defining integral): ``ClosedFormError`` unless

    - the probes cover both sides of 0 (``x > 0`` and ``x < 0``: the closed form of a half may differ there);
    - its value at every probe agrees with the exact closed form, to ``FLOAT64_RTOL`` where the float64
      closed form was used and to ``QUADRATURE_RTOL`` where the quadrature was;
    - the float64 closed form is used at no probe where its round-off was shown to exceed ``FLOAT64_RTOL``;
    - the quadrature replaces the closed form only where a loss of accuracy was shown: at a probe between
      ``|x| = 1`` and the point (both included, on the same side of 0), or at the point itself (not
      finite in float64) — at the probes and at one point beyond each end of them — or inside a band
      ``|x/x₀ − 1| < δ`` around a removable singularity ``x₀`` of the closed form (``bands``: each ``δ`` a
      decade beyond the farthest probe where the loss was shown, :func:`_removable_bands`).
    """
    mid = int(np.argmin(np.abs(np.log(_PROBES))))
    missing = [side for sgn, side in ((1.0, "x > 0"), (-1.0, "x < 0")) if sgn not in evidence]
    if missing:
        raise ClosedFormError(f"{name}: the evaluator of the kink weight was not probed on {missing[0]}, so its "
                              f"closed form is unchecked there")
    for sgn, (ref, roundoff) in evidence.items():
        lost = ~(np.isfinite(roundoff) & (roundoff <= FLOAT64_RTOL))  # float64 accuracy shown lost
        shown = np.array([lost[min(j, mid):max(j, mid) + 1].any() for j in range(_PROBES.size)])
        shown |= _in_bands(sgn * _PROBES, bands)
        t = sgn * _PROBES
        val, used = evaluate(t)
        with np.errstate(all="ignore"):
            err = np.abs(val - ref) / np.maximum(np.abs(ref), 1e-290)
        err = np.where(np.isfinite(err), err, np.inf)
        tol = np.where(used, FLOAT64_RTOL, QUADRATURE_RTOL)
        problems = [f"the float64 closed form is used at x = {t[j]:.3g}, where its round-off is {roundoff[j]:.3g}"
                    for j in np.flatnonzero(used & lost)]
        problems += [f"the quadrature replaces the closed form at x = {t[j]:.3g}, where no loss of float64 "
                     f"accuracy was shown" for j in np.flatnonzero(~used & ~shown)]
        problems += [(f"its value differs from the exact closed form by {err[j]:.3g} (relative) at x = {t[j]:.3g} "
                      f"({'float64 closed form' if used[j] else 'quadrature'})") for j in np.flatnonzero(err > tol)]
        tb = sgn * _BEYOND
        _, used_b = evaluate(tb)
        with np.errstate(all="ignore"):
            finite = np.isfinite(np.asarray(fast(tb), float))
        shown_b = np.array([lost[:mid + 1].any(), lost[mid:].any()]) | _in_bands(tb, bands)
        problems += [f"the quadrature replaces the closed form at x = {tb[j]:.3g}, beyond the probes, where no "
                     f"loss of float64 accuracy was shown" for j in np.flatnonzero(~used_b & ~shown_b & finite)]
        if problems:
            raise ClosedFormError(f"{name}: the evaluator of the kink weight breaks its contract: {problems[0]}"
                                  + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


#: relative distances |x/x₀ − 1| at which the float64 closed form is probed around a removable singularity
_BAND_PROBES = 10.0 ** -np.arange(1, 11)


def _removable_points(expr: sp.Expr, x: sp.Symbol) -> list[float]:
    """The ``x₀ ≠ 0`` where a ``Piecewise`` of ``g±`` switches to its ``q₁ = 0`` branch (conditions
    ``Ne(q₁, 0)``, :func:`_linear_exp_integral`): there the general formula is a removable ``0/0``, and near
    ``x₀`` its terms ``∝ q₁^{−k−1}`` cancel in float64."""
    points = set()
    for ne in expr.atoms(sp.Ne):
        for root in sp.solve(ne.lhs - ne.rhs, x):
            if root.is_real and root != 0:
                points.add(float(root))
    return sorted(points)


def _in_bands(t: np.ndarray, bands) -> np.ndarray:
    inside = np.zeros(np.shape(t), bool)
    for x0, delta in bands:
        inside |= np.abs(np.asarray(t) / x0 - 1) < delta
    return inside


def _numpy_weight(expr: sp.Expr, x: sp.Symbol, at0: sp.Expr, law: RandomFeatureLaw,
                  sign_v: int) -> Callable[[np.ndarray], np.ndarray]:
    """The closed form ``expr`` of ``g±`` as a float64 NumPy callable (see :meth:`KinkWeight.numeric`)."""
    name = "g_plus" if sign_v > 0 else "g_minus"
    stable = sp.powsimp(sp.expand(expr), combine="exp")
    closed = sp.lambdify(x, stable, modules=["numpy", "scipy"])
    exact = _exact_form(expr, x)
    quadrature = half_weight_quadrature(law, sign_v)
    g0 = float(at0)

    def fast(t: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(closed(t), dtype=float) * np.ones_like(t)

    def slow(t: np.ndarray) -> np.ndarray:
        return quadrature(np.ravel(t)).reshape(np.shape(t))

    def probe(t: np.ndarray, where: str) -> tuple[np.ndarray, np.ndarray]:
        """``(exact value, relative round-off of the float64 closed form)`` at ``t``; ``ClosedFormError`` where
        the closed form (exact arithmetic) and the defining integral disagree beyond ``QUADRATURE_RTOL``."""
        ref, quad = _exact(exact, t), slow(t)
        with np.errstate(all="ignore"):
            disagree = np.abs(quad - ref) / np.maximum(np.abs(ref), 1e-290)
            roundoff = np.abs(fast(t) - ref) / np.maximum(np.abs(ref), 1e-290)
        disagree = np.where(np.isfinite(disagree), disagree, np.inf)
        bad = disagree > QUADRATURE_RTOL
        if bad.any():
            j = int(np.argmax(disagree))
            raise ClosedFormError(
                f"{name}: the closed form disagrees with the defining integral ∫ |v|³ p_v(v) p_b(−xv) dv over "
                f"{'v > 0' if sign_v > 0 else 'v < 0'} at {int(bad.sum())} of {t.size} probes{where} (worst at "
                f"x = {t[j]:.3g}: closed form {ref[j]:.12g}, integral {quad[j]:.12g}); a wrong symbolic g is never "
                f"replaced")
        return ref, roundoff

    ranges, worst_roundoff, evidence = {}, {}, {}
    for sgn in (1.0, -1.0):
        ref, roundoff = probe(sgn * _PROBES, "")
        ok = np.isfinite(roundoff) & (roundoff <= FLOAT64_RTOL)
        ranges[sgn] = _accurate_range(ok)
        worst_roundoff[sgn] = float(np.max(np.where(np.isfinite(roundoff), roundoff, np.inf)))
        evidence[sgn] = (ref, roundoff)

    # around each removable singularity x₀: probes at |x/x₀ − 1| = 10^{−1} … 10^{−10}; the float64 closed
    # form is replaced by the quadrature a decade beyond the farthest probe where its round-off is too large
    bands = []
    for x0 in _removable_points(expr, x):
        t = np.concatenate([x0 * (1 - _BAND_PROBES), x0 * (1 + _BAND_PROBES)])
        _, roundoff = probe(t, f" near x = {x0:.6g}, where its q₁ = 0 branch takes over,")
        lost = ~(np.isfinite(roundoff) & (roundoff <= FLOAT64_RTOL))
        if lost.any():  # |t/x₀ − 1| of each probe is _BAND_PROBES itself, on either side
            bands.append((x0, 10 * float(np.max(np.tile(_BAND_PROBES, 2)[lost]))))
    bands = tuple(bands)

    def evaluate(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(g±(t), where the float64 closed form was used)``."""
        out = np.empty_like(t)
        mag = np.abs(t)
        use = np.zeros(t.shape, bool)
        for sgn, (lo, hi) in ranges.items():
            use |= (np.sign(t) == sgn) & (mag >= lo) & (mag <= hi)
        use &= ~_in_bands(t, bands)
        out[use] = fast(t[use])
        use &= np.isfinite(out)  # overflow or 0/0 in float64 (e.g. x² underflowing): accuracy shown lost
        rest = ~use & (t != 0)
        if rest.any():
            out[rest] = slow(t[rest])
        out[t == 0] = g0
        return out, use & (t != 0)

    _check_routes(name, evaluate, fast, evidence, bands)
    memo: dict[bytes, np.ndarray] = {}

    def ev(t):
        t = np.asarray(t, dtype=float)
        key = t.tobytes() if t.size >= _MEMO_MIN else None
        if key is not None and key in memo:
            return memo[key].copy()
        out = evaluate(t)[0]
        if key is not None:
            if len(memo) >= _MEMO_SIZE:
                memo.pop(next(iter(memo)))
            memo[key] = out.copy()
        return out

    ev.float64_range = ranges  # type: ignore[attr-defined]
    ev.worst_roundoff = worst_roundoff  # type: ignore[attr-defined]
    return ev


@lru_cache(maxsize=64)
def _numeric(kw: KinkWeight) -> tuple[Callable, Callable, float]:
    """:meth:`KinkWeight.numeric`, built (and checked) once per kink weight."""
    plus = _numpy_weight(kw.g_plus, kw.x, kw.g0_plus, kw.law, 1)
    if kw.g_minus == kw.g_plus and kw.g0_minus == kw.g0_plus and kw.law.symmetric():
        return plus, plus, float(kw.g0)  # a symmetric law: one closed form, one check
    return plus, _numpy_weight(kw.g_minus, kw.x, kw.g0_minus, kw.law, -1), float(kw.g0)


Pieces = list[tuple[sp.Expr, sp.Expr, sp.Expr]]


def _unfold_abs(expr: sp.Expr, s: sp.Symbol, lo: sp.Expr, hi: sp.Expr,
                cond: sp.Basic = sp.true) -> list[tuple[sp.Basic, Pieces]]:
    """Split ``[lo, hi)`` at the root of each ``Abs(arg)`` (``arg`` linear in ``s``) and drop the ``Abs``.

    ``arg`` has the sign of its slope right of its root and the opposite sign left of it. Returns
    alternatives ``(condition on y, pieces)``: when SymPy cannot tell where a root lies relative to
    ``(lo, hi)`` (two Laplace laws off centre: the order of the roots depends on ``x``), every case is
    kept under its condition and becomes a ``Piecewise`` in ``x``.
    """
    for a in expr.atoms(sp.Abs):
        arg = a.args[0]
        if not arg.has(s):
            continue
        if sp.degree(arg, s) != 1:
            raise LawError(f"b: cannot split |{arg}| (not linear in the slope); use a known family")
        root = sp.solve(arg, s)[0]
        up = sp.sign(sp.diff(arg, s))  # y > 0, so the sign of the slope is known
        below_lo = sp.simplify(root <= lo)
        above_hi = sp.false if hi is sp.oo else sp.simplify(root >= hi)
        inside = sp.simplify(sp.And(sp.Not(below_lo), sp.Not(above_hi)))
        out = []
        if below_lo is not sp.false:  # arg has the sign of its slope on the whole interval
            out += _unfold_abs(expr.subs(a, up * arg), s, lo, hi, sp.And(cond, below_lo))
        if above_hi is not sp.false:
            out += _unfold_abs(expr.subs(a, -up * arg), s, lo, hi, sp.And(cond, above_hi))
        if inside is not sp.false:
            left = _unfold_abs(expr.subs(a, -up * arg), s, lo, root, sp.And(cond, inside))
            right = _unfold_abs(expr.subs(a, up * arg), s, root, hi)
            out += [(sp.And(cl, cr), pl + pr) for cl, pl in left for cr, pr in right]
        return [(sp.simplify(c), p) for c, p in out if sp.simplify(c) is not sp.false]
    return [(cond, [(expr, lo, hi)])]


def _gaussian_moments(k: int, a: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> list[sp.Expr]:
    """``I_j = ∫_lo^hi u^j e^{−a u²} du`` for ``j = 0 … k`` (``a > 0``, ``hi`` possibly ``∞``), in closed form by
    the recursion ``I_j = (j − 1)/(2a) I_{j−2} + (lo^{j−1} e^{−a lo²} − hi^{j−1} e^{−a hi²})/(2a)``
    (integration by parts), started from ``I_0`` (``erf``) and ``I_1``: exact, and immediate for symbolic
    ``a`` and limits (SymPy's own integrator can take minutes when ``a`` and ``lo`` depend on ``x``)."""
    ra = sp.sqrt(a)
    e_lo = sp.exp(-a * lo**2)
    e_hi = sp.Integer(0) if hi is sp.oo else sp.exp(-a * hi**2)
    erf_hi = sp.Integer(1) if hi is sp.oo else sp.erf(ra * hi)
    out = [sp.sqrt(sp.pi) / (2 * ra) * (erf_hi - sp.erf(ra * lo)), (e_lo - e_hi) / (2 * a)]
    for j in range(2, k + 1):
        edge = lo ** (j - 1) * e_lo - (0 if hi is sp.oo else hi ** (j - 1) * e_hi)
        out.append((j - 1) / (2 * a) * out[j - 2] + edge / (2 * a))
    return out[: k + 1]


def _poly_times_exp(piece: sp.Expr, s: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """``(P, q)`` with ``piece = P(s) e^{q(s)}``, ``P`` and ``q`` polynomials in ``s`` (one exponential after
    combining); ``None`` for any other form."""
    e = sp.powsimp(piece, combine="exp")
    exps = [a for a in sp.Mul.make_args(e) if isinstance(a, sp.exp)]
    if len(exps) != 1:
        return None
    q = sp.expand(exps[0].args[0])
    rest = sp.simplify(e / exps[0])
    if not (q.is_polynomial(s) and rest.is_polynomial(s)) or rest.has(sp.exp):
        return None
    return rest, q


def _shifted_gaussian_integral(rest: sp.Expr, q: sp.Expr, s: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr | None:
    """``∫_lo^hi P(s) e^{q(s)} ds`` (``P`` polynomial, ``q`` quadratic with a negative leading term) by
    completing the square, ``u = s + q₁/(2q₂)``: ``P(u − shift)`` expanded in powers of ``u`` and each
    ``∫ u^j e^{q₂ u²}`` in closed form (:func:`_gaussian_moments`)."""
    q2, q1, _ = sp.Poly(q, s).all_coeffs()
    if not q2.is_negative:
        return None
    u = sp.Dummy("u", real=True)
    shift = -q1 / (2 * q2)
    poly = sp.Poly(sp.expand(rest.subs(s, u + shift)), u)
    const = sp.expand(q.subs(s, shift))  # q(u + shift) = q₂ u² + q(shift)
    top = sp.oo if hi is sp.oo else hi - shift
    moments = _gaussian_moments(poly.degree(), -q2, lo - shift, top)
    total = sum(c * moments[j] for (j,), c in poly.terms())
    return sp.exp(const) * total


def _linear_exp_integral(poly: sp.Expr, q: sp.Expr, s: sp.Symbol, lo: sp.Expr, hi: sp.Expr) -> sp.Expr | None:
    """``∫_lo^hi P(s) e^{q₁ s + q₀} ds`` (``P`` polynomial in ``s``, ``q₁`` free of ``s``) by the antiderivative
    of repeated integration by parts,

    ``F(s) = e^{q₁ s + q₀} Σ_{k=0}^{deg P} (−1)^k P^{(k)}(s) / q₁^{k+1}``,

    taken at the limits (at ``hi = ∞`` only when ``q₁ < 0`` is known: then ``F(s) → 0``). The pieces of a
    Laplace law: ``q₁ = ±1/β_v ± y/β_b``. Where ``q₁`` may vanish (a finite piece, ``q₁ = 1/β_v − y/β_b``)
    the result is ``Piecewise``: the formula for ``q₁ ≠ 0`` and ``e^{q₀} ∫ P`` at the one ``y`` where
    ``q₁ = 0`` (there the formula is a removable ``0/0``). ``None`` for any other form."""
    q1 = q.coeff(s, 1)
    if hi is sp.oo and not q1.is_negative:
        return None
    terms, deriv, k = sp.Integer(0), poly, 0
    while deriv != 0:
        terms += (-1) ** k * deriv / q1 ** (k + 1)
        deriv, k = sp.diff(deriv, s), k + 1

    def anti(at: sp.Expr) -> sp.Expr:
        return sp.exp(q.subs(s, at)) * terms.subs(s, at)

    val = (0 if hi is sp.oo else anti(hi)) - anti(lo)
    if q1.is_zero is False:
        return val
    # q₁ = 0 at one y (a finite piece): there the exponential is the constant e^{q₀}
    flat = sp.exp(q.subs(s, 0)) * (sp.integrate(poly, (s, lo, hi)))
    return sp.Piecewise((val, sp.Ne(q1, 0)), (flat.subs(sp.solve(q1, dict=True)[0]) if q1.free_symbols else flat, True))


def _integrate_pieces(pieces: Pieces, s: sp.Symbol) -> sp.Expr:
    out, fast = 0, True
    for piece, lo, hi in pieces:
        # a Gaussian piece (polynomial × exp of a quadratic) by completing the square and a Laplace piece
        # (polynomial × exp of a linear form) by parts: fast and always closed; anything else (Uniform
        # supports) by SymPy's integrator
        split = _poly_times_exp(piece, s)
        degree = sp.degree(split[1], s) if split is not None else None
        val = (_shifted_gaussian_integral(*split, s, lo, hi) if degree == 2 else
               _linear_exp_integral(*split, s, lo, hi) if degree == 1 else None)
        if val is None:
            fast = False
            val = sp.integrate(piece, (s, lo, hi), conds="none")
        if val.has(sp.Integral):  # otherwise an antiderivative at the limits
            anti = sp.integrate(piece, s)
            if not anti.has(sp.Integral):
                top = sp.limit(anti, s, hi) if hi is sp.oo else anti.subs(s, hi)
                val = top - anti.subs(s, lo)
        if val.has(sp.Integral):
            raise LawError("v: SymPy could not integrate |v|³ p_v(v) p_b(−xv); give the law in a known family")
        out += val
    if fast and out.free_symbols:
        # erf/exp sums of an off-centre Gaussian, exp-polynomial sums of Laplace pieces: sp.simplify takes
        # seconds to minutes on them and gains nothing for the numerical layer (whose float64 accuracy is
        # checked against exact arithmetic anyway)
        return sp.powsimp(sp.expand(out), combine="exp")
    return sp.simplify(out)


def _integrate_halfline(integrand: sp.Expr, s: sp.Symbol) -> sp.Expr:
    """``∫_0^∞ integrand ds`` for ``s > 0``: ``Abs`` (Laplace) unfolded at its root(s), Gaussian pieces by
    completing the square, the rest (Uniform supports, exponentials) by SymPy."""
    cases = _unfold_abs(sp.nsimplify(integrand, rational=True), s, sp.Integer(0), sp.oo)
    if len(cases) == 1:
        return _integrate_pieces(cases[0][1], s)
    return sp.Piecewise(*[(_integrate_pieces(p, s), c) for c, p in cases[:-1]],
                        (_integrate_pieces(cases[-1][1], s), True))


def _half(pv: sp.Expr, pb: Callable, sign_x: int, sign_v: int) -> sp.Expr:
    """``∫_{sign_v·v > 0} |v|³ p_v(v) p_b(−x v) dv`` for ``x = sign_x · y``, ``y > 0``, as a function of ``y``
    (integrated over ``s = |v| > 0``, so that ``|v|`` and the sign of ``v`` are known to SymPy)."""
    s = sp.Dummy("s", positive=True)
    return _integrate_halfline(s**3 * pv.subs(_T, sign_v * s) * pb(-sign_x * sign_v * _Y * s), s)


def _abs_moment(pv: sp.Expr, sign_v: int) -> sp.Expr:
    """``E[|v|³ 1{sign_v·v > 0}]``."""
    s = sp.Dummy("s", positive=True)
    return _integrate_halfline(s**3 * pv.subs(_T, sign_v * s), s)


def _differ_numerically(a: sp.Expr, b: sp.Expr, x: sp.Symbol) -> bool:
    """Whether ``a`` and ``b`` (expressions in ``x`` with numeric parameters) take clearly different values
    (relative 1e-20 at 30 digits) at one of a few irregular points: then they are not the same function."""
    if (a.free_symbols | b.free_symbols) - {x}:
        return False
    for t in (sp.Rational(37, 100), sp.Rational(171, 100), sp.Rational(-53, 10)):
        va, vb = sp.N(a.subs(x, t), 30), sp.N(b.subs(x, t), 30)
        if not (va.is_number and vb.is_number):
            return False
        if abs(va - vb) > sp.Float(1e-20, 30) * max(abs(va), abs(vb), 1):
            return True
    return False


def _merge(neg: sp.Expr, pos: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """One expression in ``x`` when the ``x < 0`` and ``x > 0`` formulas agree as functions, else Piecewise."""
    xr = sp.Dummy("xr", real=True)
    pos_x, neg_x = pos.subs(_Y, x), neg.subs(_Y, -x)
    if _differ_numerically(pos_x, neg_x, x):  # different functions: no (slow) symbolic comparison needed
        return sp.Piecewise((neg_x, x < 0), (pos_x, True))
    if sp.simplify(pos_x.subs(x, xr) - neg_x.subs(x, xr)) == 0:
        return pos_x
    return sp.Piecewise((neg_x, x < 0), (pos_x, True))


@lru_cache(maxsize=32)
def _kink_weights_cached(law: RandomFeatureLaw, x: sp.Symbol) -> KinkWeight:
    pv = sp.nsimplify(density(law.v)(_T), rational=True)
    pb_expr = sp.nsimplify(density(law.b)(_T), rational=True)
    pb = lambda z: pb_expr.subs(_T, z)  # noqa: E731
    # g(0) = p_b(0) E|v|³ first: it must exist for anything else to make sense
    pb0 = sp.simplify(pb_expr.subs(_T, 0))
    abs3_plus, abs3_minus = _abs_moment(pv, 1), _abs_moment(pv, -1)
    for name, val in (("E[|v|³ 1{v>0}]", abs3_plus), ("E[|v|³ 1{v<0}]", abs3_minus)):
        if val.has(sp.oo, sp.zoo, sp.nan, sp.Integral) or (val.is_number and not val.is_finite):
            raise LawError(f"v: {name} is not finite, so the kink weight g(0) = p_b(0) E|v|³ does not exist")
    g0_plus, g0_minus = sp.simplify(pb0 * abs3_plus), sp.simplify(pb0 * abs3_minus)
    g0 = sp.simplify(g0_plus + g0_minus)
    if g0.is_number and g0 == 0:
        raise LawError("b: the density of b vanishes at 0, so g(0) = 0 and the scaling λ̃ = λ n g(0) degenerates")
    halves = {}
    for sv in (1, -1):
        halves[sv] = _merge(_half(pv, pb, -1, sv), _half(pv, pb, 1, sv), x)
    g_plus, g_minus = halves[1], halves[-1]
    # g = g₊ + g₋, simplified when the halves are equal (a symmetric law); two different halves are only
    # added (simplifying a sum of two off-centre closed forms can take minutes)
    g = sp.simplify(g_plus + g_minus) if g_plus == g_minus else g_plus + g_minus
    return KinkWeight(x, g, g_plus, g_minus, g0, g0_plus, g0_minus, law)


def kink_weights(v, b, x: sp.Symbol | None = None) -> KinkWeight:
    """``g``, ``g₊``, ``g₋`` and ``g(0)`` for independent ``v`` and ``b`` (``sympy.stats`` variables).

    Raises :class:`~theory.spline.rf_law.LawError` (a ``ValueError``) naming the argument when ``v`` or ``b`` is
    not a continuous random variable, when they are the same variable, when ``E|v|³`` is infinite (no
    kink weight) or when ``p_b(0) = 0`` (``g(0) = 0``).
    """
    law = RandomFeatureLaw(v, b)
    if x is None:
        x = sp.Symbol("x", real=True)
    if not isinstance(x, sp.Symbol):
        raise ValueError(f"x: expected a SymPy symbol, got {x!r}")
    return _kink_weights_cached(law, x)


def kink_weight(v, b, x: sp.Symbol | None = None) -> sp.Expr:
    """Heiss–Teichmann–Wutte's ``g(x) = p_ξ(x) E[v² | ξ = x]`` (arXiv 1911.02903, Theorem 3.8), ``ξ = −b/v``,
    as a SymPy expression in ``x``, defined at every real ``x``:
    ``Piecewise((g(0), Eq(x, 0)), (g(x), True))``. The closed form of ``g`` for ``x ≠ 0`` (``kink_weights(v, b,
    x).g``) is often singular at 0 (``c²/x²`` for a Uniform ``b``, where ``.subs(x, 0)`` would meet ``zoo``);
    its limit there is ``g(0) = p_b(0) E|v|³`` (``kink_weights(v, b, x).g0``), so ``kink_weight(v, b,
    x).subs(x, 0)`` is ``g(0)`` and substituting any ``x ≠ 0`` gives the closed form's value.

    Example (docs/spline.md): ``v ~ N(0,1)``, ``b ~ U(−c, c)`` gives
    ``g(x) = (2 − (c²/x² + 2) e^{−c²/(2x²)}) / (c √(2π))`` for ``x ≠ 0`` and ``g(0) = 2/(c√(2π))``.
    """
    kw = kink_weights(v, b, x)
    return sp.Piecewise((kw.g0, sp.Eq(kw.x, 0)), (kw.g, True))


@lru_cache(maxsize=64)
def kink_moments(law: RandomFeatureLaw) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """``(∫ s^p g₊(s) ds, ∫ s^p g₋(s) ds)`` for ``p = 0, 1, 2`` from the law alone (not from ``g±``). With
    ``b = −s v`` (Jacobian ``1/|v|``) and ``v``, ``b`` independent,

    .. math:: \\int s^p g_\\pm(s)\\, ds = \\mathbb E\\big[v^{2-p} (-b)^p\\, 1\\{\\pm v > 0\\}\\big]
              = (-1)^p\\, \\mathbb E[b^p]\\, \\mathbb E\\big[v^{2-p} 1\\{\\pm v > 0\\}\\big]:

    the kinks of the neurons with ``±v > 0`` carry ``E[v²; ±v > 0]`` (so ``∫ g = E[v²]``, :func:`total_mass`),
    their first moment ``−E[v; ±v > 0] E[b]`` and their second ``P(±v > 0) E[b²]``. These are the totals of
    the kernel's cumulative kink moments (:mod:`theory.spline.kernels`). The moments of ``v`` and ``b`` are
    one-dimensional integrals of the densities, by adaptive quadrature (QUADPACK, relative 1e-13) on the
    pieces between the densities' breakpoints."""
    import warnings

    from scipy.integrate import IntegrationWarning, quad

    from theory.spline.rf_law import numeric_density

    def moments(rv, name: str, lo: float, hi: float) -> list[float]:
        p = numeric_density(rv, name)
        cuts = [lo, *sorted(c for c in set(breakpoints(rv)) if lo < c < hi), hi]
        with warnings.catch_warnings():  # "round-off detected" at 1e-13: the value is at round-off anyway
            warnings.simplefilter("ignore", IntegrationWarning)
            return [sum(quad(lambda z: z**k * float(p(z)), a, b, epsabs=1e-300, epsrel=1e-13, limit=200)[0]
                        for a, b in zip(cuts[:-1], cuts[1:])) for k in range(3)]

    eb = moments(law.b, "b", -np.inf, np.inf)
    halves = tuple(tuple((-1) ** p * eb[p] * ev[2 - p] for p in range(3))
                   for ev in (moments(law.v, "v", 0.0, np.inf), moments(law.v, "v", -np.inf, 0.0)))
    return halves[0], halves[1]


def total_mass(kw: KinkWeight) -> sp.Expr:
    """``∫ g = E[v²]``: the kinks carry the whole second moment of the slope (a check of ``g``)."""
    return E(kw.law.v**2)
