"""Laws of the random first layer ``(v, b)`` of a randomised shallow network (Heiss, Teichmann & Wutte,
arXiv 1911.02903, Definition 1.4 ff.; docs/spline.md).

A law is a pair of *independent* continuous ``sympy.stats`` random variables. This module validates them,
parses them from text (``"Normal(0, 1)"``, for the command line), and gives what the numerical layer needs:
a NumPy sampler and plain numeric densities and partial moments. No numba here: the theory layer hands the
numerics plain arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp
from scipy import special
from sympy.stats import Laplace, Normal, Uniform, density
from sympy.stats.crv import ContinuousPSpace
from sympy.stats.rv import RandomSymbol

#: families known by name (text parsing, sampling and partial moments)
FAMILIES = ("Normal", "Uniform", "Laplace")


class LawError(ValueError):
    """A law that the construction cannot use (not continuous, not independent, no kink density)."""


def _family(rv: RandomSymbol) -> tuple[str, tuple[sp.Expr, ...]]:
    dist = rv.pspace.distribution
    name = type(dist).__name__.removesuffix("Distribution")
    return name, tuple(dist.args)


def check_continuous(rv, name: str) -> RandomSymbol:
    """``rv`` itself if it is a continuous ``sympy.stats`` random variable, else ``LawError``."""
    if not isinstance(rv, RandomSymbol) or not isinstance(rv.pspace, ContinuousPSpace):
        raise LawError(
            f"{name}: expected a continuous sympy.stats random variable (e.g. Normal('{name}', 0, 1)), "
            f"got {rv!r}; a law without a density has no kink density"
        )
    return rv


@dataclass(frozen=True)
class RandomFeatureLaw:
    """Independent laws of the hidden weight ``v`` and bias ``b``; kinks sit at ``ξ = −b/v``."""

    v: RandomSymbol
    b: RandomSymbol

    def __post_init__(self) -> None:
        check_continuous(self.v, "v")
        check_continuous(self.b, "b")
        if self.v.pspace == self.b.pspace or self.v.symbol == self.b.symbol:
            raise LawError("b: expected a random variable independent of v (a different sympy.stats variable)")

    @property
    def families(self) -> tuple[str, str]:
        return _family(self.v)[0], _family(self.b)[0]

    def is_numeric(self) -> bool:
        return not (self.v.pspace.distribution.free_symbols | self.b.pspace.distribution.free_symbols)

    def describe(self) -> str:
        (fv, av), (fb, ab) = _family(self.v), _family(self.b)
        fmt = lambda f, a: f"{f}({', '.join(str(x) for x in a)})"  # noqa: E731
        return f"v ~ {fmt(fv, av)}, b ~ {fmt(fb, ab)}"

    def sampler(self) -> Callable[[np.random.Generator, int], np.ndarray]:
        """``draw(rng, m)`` → array ``(m, 2)`` of i.i.d. ``(v, b)`` pairs (for :func:`proofs_check.crn.prefix_draw`)."""
        sv, sb = numpy_sampler(self.v, "v"), numpy_sampler(self.b, "b")

        def draw(rng: np.random.Generator, m: int) -> np.ndarray:
            out = np.empty((m, 2))
            out[:, 0] = sv(rng, m)
            out[:, 1] = sb(rng, m)
            return out

        return draw

    def symmetric(self) -> bool:
        """Whether the law is invariant under ``(v, b) ↦ (−v, −b)`` (then ``g₊ = g₋ = g/2``)."""
        t = sp.Dummy("t", real=True)
        pv, pb = density(self.v)(t), density(self.b)(t)
        return bool(sp.simplify(pv - pv.subs(t, -t)) == 0 and sp.simplify(pb - pb.subs(t, -t)) == 0)


def _numeric_args(rv: RandomSymbol, name: str) -> tuple[float, ...]:
    fam, args = _family(rv)
    if any(a.free_symbols for a in args):
        raise LawError(f"{name}: numerical use needs numeric parameters, got {fam}{args}")
    return tuple(float(a) for a in args)


def numpy_sampler(rv: RandomSymbol, name: str) -> Callable[[np.random.Generator, int], np.ndarray]:
    """A NumPy sampler for a law of a known family."""
    fam, _ = _family(rv)
    a = _numeric_args(rv, name)
    if fam == "Normal":
        return lambda rng, m: rng.normal(a[0], a[1], m)
    if fam == "Uniform":
        return lambda rng, m: rng.uniform(a[0], a[1], m)
    if fam == "Laplace":
        return lambda rng, m: rng.laplace(a[0], a[1], m)
    raise LawError(f"{name}: no sampler for the family {fam}; known: {', '.join(FAMILIES)}")


def partial_moments(rv: RandomSymbol, name: str) -> Callable[[np.ndarray], np.ndarray]:
    """``t ↦ (E[b^p 1{b > t}])_{p=0,1,2}`` in closed form, shape ``(3, len(t))``: the b-integral of a
    product of two ramps, ``∫_t^∞ (b + vx)(b + vx') p_b(b) db``, is a combination of these."""
    fam, _ = _family(rv)
    a = _numeric_args(rv, name)
    if fam == "Normal":
        mu, s = a

        def pm(t):
            z = (np.asarray(t, float) - mu) / s
            q = 0.5 * special.erfc(z / np.sqrt(2.0))  # P(Z > z)
            phi = np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)
            m0 = q
            m1 = mu * q + s * phi
            m2 = (mu * mu + s * s) * q + s * phi * (2.0 * mu + s * z)
            return np.array([m0, m1, m2])

        return pm
    if fam == "Uniform":
        lo, hi = a

        def pm(t):
            u = np.clip(np.asarray(t, float), lo, hi)
            w = hi - lo
            return np.array([(hi - u) / w, (hi**2 - u**2) / (2 * w), (hi**3 - u**3) / (3 * w)])

        return pm
    if fam == "Laplace":
        mu, s = a

        def pm(t):
            t = np.asarray(t, float)
            z = t - mu
            # upper tail for t >= mu, complement of the lower tail for t < mu; both exact
            e = np.exp(-np.abs(z) / s)
            up0, up1 = 0.5 * e, 0.5 * e * (t + s)
            up2 = 0.5 * e * (t * t + 2 * s * t + 2 * s * s)
            lo0, lo1 = 0.5 * e, 0.5 * e * (t - s)
            lo2 = 0.5 * e * (t * t - 2 * s * t + 2 * s * s)
            tot = np.array([1.0, mu, mu * mu + 2 * s * s])
            above = np.array([up0, up1, up2])
            below = tot[:, None] - np.array([lo0, lo1, lo2]) if t.ndim else tot - np.array([lo0, lo1, lo2])
            return np.where(z >= 0, above, below)

        return pm
    raise LawError(f"{name}: no partial moments for the family {fam}; known: {', '.join(FAMILIES)}")


def numeric_density(rv: RandomSymbol, name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The density as a NumPy function (``lambdify``; Piecewise is evaluated by ``numpy.select``)."""
    _numeric_args(rv, name)
    t = sp.Dummy("t", real=True)
    f = sp.lambdify(t, density(rv)(t), modules=["numpy", "scipy"])
    return lambda z: np.asarray(f(np.asarray(z, float)), float) * np.ones_like(np.asarray(z, float))


def breakpoints(rv: RandomSymbol) -> list[float]:
    """Where the density is not smooth (Uniform ends, Laplace centre): quadrature panels split there."""
    fam, _ = _family(rv)
    a = _numeric_args(rv, str(rv))
    return {"Uniform": list(a), "Laplace": list(a[:1])}.get(fam, [])


def abs_support_end(rv: RandomSymbol) -> float:
    """A bound beyond which ``|t|³ p(t)`` carries no float64-visible mass (quadrature truncation)."""
    fam, _ = _family(rv)
    a = _numeric_args(rv, str(rv))
    if fam == "Uniform":
        return max(abs(a[0]), abs(a[1]))
    if fam == "Normal":
        return abs(a[0]) + 45.0 * a[1]
    if fam == "Laplace":
        return abs(a[0]) + 900.0 * a[1]
    raise LawError(f"{rv}: no quadrature rule for the family {fam}; known: {', '.join(FAMILIES)}")


def scale(rv: RandomSymbol) -> float:
    """A spread of the law (standard deviation of Normal and Laplace, half-width of Uniform)."""
    fam, _ = _family(rv)
    a = _numeric_args(rv, str(rv))
    return {"Normal": a[-1], "Laplace": float(np.sqrt(2.0)) * a[-1], "Uniform": (a[1] - a[0]) / 2}.get(fam, 1.0)


def kink_scale(law: "RandomFeatureLaw") -> float:
    """The scale on which the kinks ``ξ = −b/v`` spread (``scale(b)/scale(v)``), or the finer scale
    ``|c|/scale(v)`` where a breakpoint ``c ≠ 0`` of ``p_b`` lies closer to 0 than ``scale(b)`` (an off-centre
    Uniform or Laplace ``b``: ``g±`` changes on that scale near ``x = 0``, e.g. ``e^{−c²/(2x²)}``)."""
    near = [abs(c) for c in breakpoints(law.b) if c != 0]
    return min([scale(law.b)] + near) / scale(law.v)


def kink_breakpoints(law: "RandomFeatureLaw") -> list[float]:
    """Where the kink weight ``g±`` may fail to be smooth: ``x = 0`` and ``x = −c_b/c_v`` for the density
    breakpoints ``c_b`` of ``b`` and ``c_v ≠ 0`` of ``v`` (a breakpoint of ``p_b(−x v)`` in ``v`` meets one of
    ``p_v``)."""
    out = {0.0}
    for cb in breakpoints(law.b):
        for cv in breakpoints(law.v):
            if cv != 0:
                out.add(-cb / cv)
    return sorted(out)


_PARSE_NAMES = {"Normal": Normal, "Uniform": Uniform, "Laplace": Laplace}


def parse_law(text: str, name: str) -> RandomSymbol:
    """``"Normal(0, 1)"`` → ``Normal(name, 0, 1)``; only the known families. Symbolic parameters
    (``"Uniform(-c, c)"``) are taken positive."""
    text = str(text).strip()
    head, sep, rest = text.partition("(")
    if not sep or not rest.endswith(")") or head.strip() not in _PARSE_NAMES:
        raise LawError(f"{name}: expected a law like 'Normal(0, 1)', 'Uniform(-1, 1)', 'Laplace(0, 1)', got {text!r}")
    try:
        args = [sp.sympify(s, locals={}, rational=True) for s in rest[:-1].split(",")]
    except (sp.SympifyError, SyntaxError, TypeError) as exc:
        raise LawError(f"{name}: cannot read the parameters of {text!r}: {exc}") from None
    symbols = set().union(*(a.free_symbols for a in args))
    positive = {s: sp.Symbol(s.name, positive=True) for s in symbols}
    args = [a.subs(positive) for a in args]
    try:
        return _PARSE_NAMES[head.strip()](name, *args)
    except (ValueError, TypeError) as exc:
        raise LawError(f"{name}: invalid parameters in {text!r}: {exc}") from None
