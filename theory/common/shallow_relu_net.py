"""Shallow ReLU parametrizations and their realizations on a box (Berner, Elbrächter & Grohs, "How
degenerate is the parametrization of neural networks with the ReLU activation function?", NeurIPS 2019,
arXiv 1905.09803, Section 1).

A parametrization ``Φ = ((a_i, b_i, c_i)_{i=1..N}, e)`` with ``a_i ∈ ℝ^d``, ``b_i, c_i, e ∈ ℝ`` has the
realization

.. math:: R(\\Phi)(x) = \\sum_{i=1}^N c_i\\, \\rho(\\langle a_i, x\\rangle + b_i) + e, \\qquad \\rho(z) = \\max(z, 0),

on a compact box ``D = ∏_j [l_j, u_j]``; the parameter norm is ``‖Φ‖_∞`` = the largest absolute entry.

Exactness. Parameters are held either as float64 arrays or as arrays of :class:`fractions.Fraction`
(``dtype=object``). Every float is a dyadic rational, so :meth:`ShallowReLUNet.to_exact` is exact, and the
realization of the *given* parameters can always be computed without rounding. This matters in
``W^{1,∞}``: moving a kink of derivative jump ``J`` by any ``η > 0`` changes ``R(Φ)'`` by ``J`` on an
interval of length ``η``, so a float rounding of a kink is an ``O(J)`` change in ``W^{1,∞}``. Operations
that must preserve realizations exactly (rescaling, balancing in :func:`theory.stability.api.restrict`) are
therefore done in rational arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational, Real
from typing import Sequence

import mpmath as mp
import numpy as np

#: digits of the rational approximation of square roots used by :func:`balance_neuron_exact`
BALANCE_DIGITS = 40


# ----------------------------------------------------------------------------------------------------
# scalars
# ----------------------------------------------------------------------------------------------------
def _is_exact_scalar(v) -> bool:
    return isinstance(v, (Fraction, int, np.integer)) and not isinstance(v, bool)


def to_fraction(v, name: str = "value") -> Fraction:
    """Exact rational value of a finite real scalar (a float is converted without rounding)."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return Fraction(int(v))
    if isinstance(v, Rational):
        return Fraction(v.numerator, v.denominator)
    if isinstance(v, (Real, np.floating)):
        f = float(v)
        if not np.isfinite(f):
            raise ValueError(f"{name}: expected finite numbers, got {f}")
        return Fraction(f)
    raise ValueError(f"{name}: expected a real number, got {type(v).__name__}")


def relu(z):
    """``ρ(z) = max(z, 0)`` for a scalar (exact for Fractions)."""
    return z if z > 0 else z * 0


# ----------------------------------------------------------------------------------------------------
# domain
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    """The compact box ``D = ∏_j [lower_j, upper_j]`` (bounds held exactly as Fractions)."""

    lower: tuple[Fraction, ...]
    upper: tuple[Fraction, ...]

    def __post_init__(self) -> None:
        if len(self.lower) != len(self.upper) or len(self.lower) == 0:
            raise ValueError(f"domain: expected lower and upper bounds of the same positive dimension, got "
                             f"{len(self.lower)} and {len(self.upper)}")
        for j, (lo, up) in enumerate(zip(self.lower, self.upper)):
            if not lo < up:
                raise ValueError(f"domain: expected lower < upper in every coordinate, got "
                                 f"[{float(lo)}, {float(up)}] in coordinate {j}")

    @property
    def dim(self) -> int:
        return len(self.lower)

    @property
    def radius(self) -> Fraction:
        """``M = max_j max(|l_j|, |u_j|)``: the largest absolute coordinate in ``D``."""
        return max(max(abs(lo), abs(up)) for lo, up in zip(self.lower, self.upper))

    def lower_float(self) -> np.ndarray:
        return np.array([float(v) for v in self.lower])

    def upper_float(self) -> np.ndarray:
        return np.array([float(v) for v in self.upper])


def as_box(domain, name: str = "domain") -> Box:
    """A :class:`Box` from a Box, an interval ``(l, u)``, or a pair of sequences ``(lower, upper)``.

    Raises ``ValueError`` naming ``name`` for non-finite bounds or ``lower >= upper``."""
    if isinstance(domain, Box):
        return domain
    try:
        lo, up = domain
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected an interval (lower, upper) or a Box, got {domain!r}") from None
    if np.ndim(lo) == 0 and np.ndim(up) == 0:
        lo, up = [lo], [up]
    lo = [to_fraction(v, name) for v in np.asarray(lo, dtype=object).ravel()]
    up = [to_fraction(v, name) for v in np.asarray(up, dtype=object).ravel()]
    try:
        return Box(tuple(lo), tuple(up))
    except ValueError as exc:
        raise ValueError(str(exc).replace("domain:", f"{name}:", 1)) from None


# ----------------------------------------------------------------------------------------------------
# the parametrization
# ----------------------------------------------------------------------------------------------------
def _has_exact(v) -> bool:
    arr = np.asarray(v, dtype=object)
    return any(_is_exact_scalar(x) for x in arr.ravel())


def _param_array(v, name: str, exact: bool) -> np.ndarray:
    """Validated float64 or Fraction array (``ValueError`` naming ``name`` for NaN, inf, non-numbers)."""
    if exact:
        arr = np.asarray(v, dtype=object)
        out = np.empty(arr.shape, dtype=object)
        for idx, x in np.ndenumerate(arr):
            out[idx] = to_fraction(x, name)
        return out
    try:
        arr = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected an array of real numbers") from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite numbers (no NaN or inf), got {arr.ravel().tolist()}")
    return np.ascontiguousarray(arr)


@dataclass(frozen=True, eq=False)
class ShallowReLUNet:
    """``Φ = ((a_i, b_i, c_i)_{i=1..N}, e)``: a shallow ReLU parametrization (BEG 2019, Section 1).

    Parameters
    ----------
    a : (N, d) array (``(N,)`` is read as ``d = 1``)
    b, c : (N,) arrays
    e : scalar (output bias)

    Exact (Fraction) entries anywhere make the whole parametrization exact; otherwise float64.
    Raises ``ValueError`` naming the argument for an empty network, NaN/inf entries or mismatched shapes.
    """

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    e: object = 0.0

    def __post_init__(self) -> None:
        exact = any(_has_exact(v) for v in (self.a, self.b, self.c, [self.e]))

        def conv(v, name):
            return _param_array(v, name, exact)

        a = conv(self.a, "a")
        if a.ndim == 1:
            a = a.reshape(-1, 1)
        if a.ndim != 2:
            raise ValueError(f"a: expected an (N, d) array of inner weights, got shape {a.shape}")
        if a.shape[0] == 0:
            raise ValueError("a: expected at least one neuron, got an empty network (N = 0)")
        if a.shape[1] == 0:
            raise ValueError("a: expected input dimension d >= 1, got d = 0")
        n = a.shape[0]
        b = conv(self.b, "b").reshape(-1) if np.ndim(self.b) <= 1 else None
        if b is None or b.shape != (n,):
            raise ValueError(f"b: expected {n} inner biases (one per neuron), got shape {np.shape(self.b)}")
        c = conv(self.c, "c").reshape(-1) if np.ndim(self.c) <= 1 else None
        if c is None or c.shape != (n,):
            raise ValueError(f"c: expected {n} output weights (one per neuron), got shape {np.shape(self.c)}")
        if np.ndim(self.e) != 0:
            raise ValueError(f"e: expected a scalar output bias, got shape {np.shape(self.e)}")
        e = to_fraction(self.e, "e") if exact else float(_param_array(self.e, "e", False).reshape(()))
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "c", c)
        object.__setattr__(self, "e", e)

    # -- shape -----------------------------------------------------------------------------------
    @property
    def width(self) -> int:
        return self.a.shape[0]

    @property
    def dim(self) -> int:
        return self.a.shape[1]

    @property
    def exact(self) -> bool:
        return self.a.dtype == object

    # -- conversions -------------------------------------------------------------------------------
    def to_exact(self) -> "ShallowReLUNet":
        """The same parameters as Fractions (exact: floats are dyadic rationals)."""
        if self.exact:
            return self
        f = np.vectorize(Fraction, otypes=[object])
        return ShallowReLUNet(f(self.a), f(self.b), f(self.c), Fraction(self.e))

    def to_float(self) -> "ShallowReLUNet":
        """The parameters rounded to float64 (kinks may move by rounding: not realization-exact)."""
        if not self.exact:
            return self
        return ShallowReLUNet(self.a.astype(float), self.b.astype(float), self.c.astype(float), float(self.e))

    def parameters(self) -> np.ndarray:
        """float64 array ``(N, d + 2)`` with rows ``(a_i, b_i, c_i)``."""
        return np.column_stack([self.a.astype(float), self.b.astype(float), self.c.astype(float)])

    def max_norm(self) -> float:
        """``‖Φ‖_∞``: the largest absolute entry (output bias included)."""
        return float(max(np.abs(self.parameters()).max(), abs(float(self.e))))

    def neuron(self, i: int) -> tuple:
        return (self.a[i], self.b[i], self.c[i])

    def with_e(self, e) -> "ShallowReLUNet":
        return ShallowReLUNet(self.a, self.b, self.c, e)

    def __repr__(self) -> str:
        kind = "exact" if self.exact else "float"
        return f"ShallowReLUNet(N={self.width}, d={self.dim}, {kind}, e={float(self.e):.6g})"


def concat(*nets: ShallowReLUNet, e=None) -> ShallowReLUNet:
    """The parametrization with the neurons of all ``nets`` (``e``: the sum of their biases unless given)."""
    if not nets:
        raise ValueError("nets: expected at least one network to concatenate")
    dims = {n.dim for n in nets}
    if len(dims) != 1:
        raise ValueError(f"nets: expected networks of one input dimension, got {sorted(dims)}")
    exact = any(n.exact for n in nets)
    nets = [n.to_exact() if exact else n for n in nets]
    if e is None:
        e = sum((n.e for n in nets), Fraction(0) if exact else 0.0)
    return ShallowReLUNet(np.concatenate([n.a for n in nets]), np.concatenate([n.b for n in nets]),
                          np.concatenate([n.c for n in nets]), e)


# ----------------------------------------------------------------------------------------------------
# realization
# ----------------------------------------------------------------------------------------------------
def realize(Phi: ShallowReLUNet, x) -> np.ndarray:
    """``R(Φ)(x)`` in float64 at points ``x`` (shape ``(M, d)``, or ``(M,)`` when ``d = 1``)."""
    x = np.asarray(x, dtype=float)
    if x.ndim == 1 and Phi.dim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != Phi.dim:
        raise ValueError(f"x: expected points of shape (M, {Phi.dim}), got {x.shape}")
    P = Phi.to_float()
    z = x @ P.a.T + P.b
    return np.maximum(z, 0.0) @ P.c + P.e


def realize_exact(Phi: ShallowReLUNet, x) -> Fraction:
    """``R(Φ)(x)`` at one point, exactly (``x`` a scalar for ``d = 1`` or a length-``d`` sequence)."""
    xs = [to_fraction(v, "x") for v in np.atleast_1d(np.asarray(x, dtype=object))]
    if len(xs) != Phi.dim:
        raise ValueError(f"x: expected a point of dimension {Phi.dim}, got {len(xs)}")
    P = Phi.to_exact()
    out = P.e
    for i in range(P.width):
        z = P.b[i] + sum(P.a[i, j] * xs[j] for j in range(P.dim))
        if z > 0:
            out += P.c[i] * z
    return out


@dataclass(frozen=True)
class Kink1D:
    """A 1-D neuron ``c ρ(a x + b)`` with ``a ≠ 0`` in realization coordinates:
    ``c ρ(a x + b) = J ρ(σ (x − t))`` with kink ``t = −b/a``, orientation ``σ = sign(a)`` and derivative
    jump ``J = c |a|`` (exact rationals; invariant under the rescaling ``(λa, λb, c/λ)``)."""

    t: Fraction
    sigma: int
    jump: Fraction


def kinks_1d(Phi: ShallowReLUNet) -> tuple[list[Kink1D], Fraction]:
    """Exact realization data of a 1-D parametrization: the kinks of the neurons with ``a_i ≠ 0`` and the
    constant ``e + Σ_{a_i = 0} c_i ρ(b_i)`` contributed by the rest."""
    if Phi.dim != 1:
        raise ValueError(f"Phi: expected a 1-D network (d = 1), got d = {Phi.dim}")
    P = Phi.to_exact()
    const = P.e
    out = []
    for i in range(P.width):
        a, b, c = P.a[i, 0], P.b[i], P.c[i]
        if a == 0:
            const += c * relu(b)
        elif c != 0:
            out.append(Kink1D(-b / a, 1 if a > 0 else -1, c * abs(a)))
    return out, const


# ----------------------------------------------------------------------------------------------------
# balancing (the rescaling symmetry)
# ----------------------------------------------------------------------------------------------------
def balanced_parameters(Phi: ShallowReLUNet) -> np.ndarray:
    """float64 ``(N, d + 2)`` rows ``(a_i, b_i, c_i)`` of the balanced representative of each neuron's
    rescaling orbit ``{(λa, λb, c/λ): λ > 0}``: ``|c| = ‖(a, b)‖₂ = r`` with ``r² = |c| ‖(a, b)‖₂``.

    A neuron with ``c = 0`` or ``(a, b) = 0`` realizes 0 and its orbit closure contains the zero neuron,
    which is returned. (BEG 2019, Section 2, pathology "rescaling"; balancedness as in Theorem 3.1.)"""
    P = Phi.to_float()
    ab = np.column_stack([P.a, P.b])
    norm = np.sqrt(np.sum(ab * ab, axis=1))
    c = P.c
    r = np.sqrt(np.abs(c) * norm)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(norm > 0, r / np.where(norm > 0, norm, 1.0), 0.0)
    out = np.column_stack([ab * scale[:, None], np.sign(c) * r])
    out[(norm == 0) | (c == 0)] = 0.0
    return out


def balance(Phi: ShallowReLUNet) -> ShallowReLUNet:
    """The balanced representative in float64 (see :func:`balanced_parameters`). Rounding moves kinks by
    ``~1e-16``; for a realization-exact balancing use :func:`balance_exact`."""
    p = balanced_parameters(Phi)
    d = Phi.dim
    return ShallowReLUNet(p[:, :d], p[:, d], p[:, d + 1], float(Phi.e))


def _rational_sqrt(q: Fraction, digits: int = BALANCE_DIGITS) -> Fraction:
    with mp.workdps(digits + 10):
        s = mp.sqrt(mp.mpf(q.numerator) / q.denominator)
        m, ex = mp.frexp(s)
        # a dyadic rational with ~digits decimal digits
        bits = int(digits * 3.33) + 8
        num = int(mp.nint(m * mp.mpf(2) ** bits))
        return Fraction(num, 1) * Fraction(2) ** (int(ex) - bits)


def balance_neuron_exact(a: Sequence[Fraction], b: Fraction, c: Fraction) -> tuple[list[Fraction], Fraction, Fraction]:
    """Rescale one neuron by a rational ``λ ≈ (|c|/‖(a, b)‖)^{1/2}`` (relative error ``< 10^{-38}``).

    The result ``(λa, λb, c/λ)`` is exact, so the realization is unchanged *exactly* (kinks do not move);
    balancedness holds to the relative precision of the rational square root. A Pythagorean neuron
    (``|c|² = ‖(a, b)‖²`` exactly) is returned unchanged."""
    a = [to_fraction(v) for v in a]
    b, c = to_fraction(b), to_fraction(c)
    n2 = sum(v * v for v in a) + b * b
    if n2 == 0 or c == 0:
        return a, b, c
    if c * c == n2:
        return a, b, c
    lam2 = abs(c) / _rational_sqrt(n2)
    lam = _rational_sqrt(lam2)
    return [lam * v for v in a], lam * b, c / lam


def balance_exact(Phi: ShallowReLUNet) -> ShallowReLUNet:
    """Exact-realization balancing of every neuron (:func:`balance_neuron_exact`)."""
    P = Phi.to_exact()
    A, B, C = [], [], []
    for i in range(P.width):
        a, b, c = balance_neuron_exact(list(P.a[i]), P.b[i], P.c[i])
        A.append(a)
        B.append(b)
        C.append(c)
    return ShallowReLUNet(np.array(A, dtype=object), np.array(B, dtype=object), np.array(C, dtype=object), P.e)


def pythagorean_neuron(s: Fraction, r: Fraction, sign_c: int = 1, sigma: int = 1) -> tuple[Fraction, Fraction, Fraction]:
    """An exactly balanced rational 1-D neuron: ``(a, b) = σ r ((1 − s²), 2s)/(1 + s²)``, ``c = ±r``.

    ``‖(a, b)‖₂ = r = |c|`` exactly; the kink is ``t = −2s/(1 − s²)`` (``|s| < 1``), the orientation
    ``σ``, the derivative jump ``J = c|a| = ±r² (1 − s²)/(1 + s²)``. Every kink in ``(−∞, ∞)`` is a limit of
    such kinks (``t = −tan(2 arctan s)``)."""
    s, r = to_fraction(s, "s"), to_fraction(r, "r")
    if not abs(s) < 1:
        raise ValueError(f"s: expected |s| < 1, got {s}")
    if not r > 0:
        raise ValueError(f"r: expected a positive radius, got {r}")
    den = 1 + s * s
    return sigma * r * (1 - s * s) / den, sigma * r * 2 * s / den, sign_c * r


def s_for_kink(t: float) -> float:
    """The ``s`` of :func:`pythagorean_neuron` with kink ``t``: ``s = −tan(arctan(t)/2)``."""
    return float(-np.tan(np.arctan(t) / 2.0))
