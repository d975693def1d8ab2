"""The restricted set of shallow ReLU parametrizations on which inverse stability holds (Berner, Elbrächter
& Grohs, NeurIPS 2019, arXiv 1905.09803, Theorem 3.1 and Section 3), the check that lists which condition
fails, and the realization-preserving projection onto it.

Conditions (docs/stability.md#restricted-set: the reconstruction of Theorem 3.1's set; the paper's own text was not reachable):

- (R1) ``balanced``: ``|c_i| = ‖(a_i, b_i)‖₂`` (removes the rescaling pathology);
- (R2) ``kink_in_interior``: the hyperplane ``{⟨a_i, x⟩ + b_i = 0}`` meets the interior of ``D`` (removes
  inactive and affine neurons);
- (R3) ``distinct_directions``: the normalized ``(a_i, b_i)/‖(a_i, b_i)‖`` are pairwise distinct (removes
  neurons of the same direction);
- (R4) ``not_antipodal``: no two are opposite (removes directly opposite directions);
- (R5) ``oriented``, optional: the first non-zero coordinate of every ``a_i`` is positive. Not in the
  reconstruction; without it compensating flips defeat a uniform constant
  (``stability.pathology.compensating_flip``), with it the 1-D theorem holds with an explicit constant.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from theory.common.shallow_relu_net import (
    Box,
    ShallowReLUNet,
    as_box,
    balance_neuron_exact,
    realize,
    relu,
    to_fraction,
)
from theory.stability.distance import check_domain as _check_domain

#: the conditions of the restricted set, in the order they are reported
CONDITIONS = ("balanced", "kink_in_interior", "distinct_directions", "not_antipodal", "oriented")

#: relative tolerance under which a neuron counts as balanced in :func:`restrict` (its rational square
#: roots are accurate to 1e-38, so restricted output always passes)
EXACT_BALANCE_RTOL = Fraction(1, 10**30)


@dataclass(frozen=True)
class RestrictedCheck:
    """Which conditions of the restricted set fail, and for which neurons (indices or index pairs)."""

    failures: dict[str, tuple]
    checked: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not any(self.failures.values())

    def __bool__(self) -> bool:
        return self.ok

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c for c in self.checked if self.failures.get(c))


def _z_range(a, b, box: Box) -> tuple[Fraction, Fraction]:
    zmin = b + sum(min(a[j] * box.lower[j], a[j] * box.upper[j]) for j in range(box.dim))
    zmax = b + sum(max(a[j] * box.lower[j], a[j] * box.upper[j]) for j in range(box.dim))
    return zmin, zmax


def _direction_key(v) -> tuple[Fraction, ...]:
    """``v/|first non-zero entry|``: equal keys iff equal normalized directions (positive multiples)."""
    m = next(abs(x) for x in v if x != 0)
    return tuple(x / m for x in v)


def _first_nonzero(a) -> Fraction:
    return next((x for x in a if x != 0), Fraction(0))


def _is_balanced(a, b, c, rtol) -> bool:
    """``|c² − ‖(a, b)‖²| ≤ 2 rtol max(c², ‖(a, b)‖²)`` in exact arithmetic (so ``|c| = ‖(a, b)‖`` to
    relative ``rtol``)."""
    n2 = sum(x * x for x in a) + b * b
    c2 = c * c
    if c2 == n2:
        return True
    return abs(c2 - n2) <= 2 * to_fraction(rtol, "rtol") * max(c2, n2)


def is_restricted(Phi: ShallowReLUNet, domain, oriented: bool = False, rtol: float = 1e-12) -> RestrictedCheck:
    """Check the restricted set of Theorem 3.1 (reconstruction, docs/stability.md#restricted-set) and report what fails.

    (R1) ``balanced``: ``|c_i| = ‖(a_i, b_i)‖₂`` (relative ``rtol``; exact for rational Pythagorean
    neurons); (R2) ``kink_in_interior``: ``{x : ⟨a_i, x⟩ + b_i = 0}`` meets the open box (``a_i ≠ 0`` and
    ``min_D z < 0 < max_D z``); (R3) ``distinct_directions``: no two ``(a_i, b_i)`` are positive multiples;
    (R4) ``not_antipodal``: no two are negative multiples; (R5, only with ``oriented=True``) ``oriented``:
    the first non-zero coordinate of ``a_i`` is positive (a neuron with ``a_i = 0`` has none and fails R5).
    Direction tests are exact (rational arithmetic on
    the given numbers)."""
    if not isinstance(Phi, ShallowReLUNet):
        raise ValueError(f"Phi: expected a ShallowReLUNet, got {type(Phi).__name__}")
    box = as_box(domain)
    _check_domain(box, Phi.dim)
    if not (0 <= float(rtol) < 1):
        raise ValueError(f"rtol: expected a relative tolerance in [0, 1), got {rtol!r}")
    X = Phi.to_exact()
    fails: dict[str, list] = {c: [] for c in CONDITIONS}
    keys = []
    for i in range(X.width):
        a, b, c = list(X.a[i]), X.b[i], X.c[i]
        if not _is_balanced(a, b, c, rtol) or c == 0:
            fails["balanced"].append(i)
        if all(x == 0 for x in a):
            fails["kink_in_interior"].append(i)
        else:
            zmin, zmax = _z_range(a, b, box)
            if not (zmin < 0 < zmax):
                fails["kink_in_interior"].append(i)
        if oriented and not _first_nonzero(a) > 0:
            fails["oriented"].append(i)
        v = a + [b]
        keys.append(_direction_key(v) if any(x != 0 for x in v) else None)
    for i, j in itertools.combinations(range(X.width), 2):
        if keys[i] is None or keys[j] is None:
            continue
        if keys[i] == keys[j]:
            fails["distinct_directions"].append((i, j))
        elif keys[i] == tuple(-x for x in keys[j]):
            fails["not_antipodal"].append((i, j))
    checked = CONDITIONS if oriented else CONDITIONS[:-1]
    return RestrictedCheck({c: tuple(fails[c]) for c in checked}, checked)


@dataclass(frozen=True)
class Restriction:
    """The projection of Φ onto the restricted set: ``R(Φ)(x) = R(net)(x) + ⟨slope, x⟩`` on ``D``, exactly.

    ``net`` is restricted (exact rationals) or ``None`` when no neuron survives (then
    ``R(Φ) = bias + ⟨slope, x⟩``). ``removed`` counts what happened to the input neurons."""

    net: ShallowReLUNet | None
    bias: Fraction
    slope: tuple[Fraction, ...]
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def preserves_realization(self) -> bool:
        """True iff ``R(net) = R(Φ)`` on ``D`` (no affine remainder outside the output bias)."""
        return all(s == 0 for s in self.slope)

    def realize(self, x) -> np.ndarray:
        """``R(net)(x) + ⟨slope, x⟩`` (equal to ``R(Φ)(x)`` on ``D``) in float64."""
        x = np.asarray(x, dtype=float)
        X = x[:, None] if x.ndim == 1 else x
        lin = X @ np.array([float(s) for s in self.slope])
        if self.net is None:
            return lin + float(self.bias)
        return realize(self.net, X) + lin


def restrict(Phi: ShallowReLUNet, domain, oriented: bool = False) -> Restriction:
    """Project Φ onto the restricted set (R1–R4, and R5 with ``oriented=True``), exactly.

    Neuron by neuron, in rational arithmetic: ``c = 0`` or ``a = 0`` (a constant ``c ρ(b)``) → into ``e``;
    inactive on ``D`` (``max_D z ≤ 0``) → removed; affine on ``D`` (``min_D z ≥ 0``) → its affine part
    ``c(⟨a, x⟩ + b)`` goes to ``slope`` and ``e``; same normalized direction → merged
    (``c ρ(λz) = cλ ρ(z)``); opposite direction → merged through ``ρ(−z) = ρ(z) − z`` with the affine
    remainder to ``slope``/``e``; a merged coefficient 0 → removed ("cancelled"); with ``oriented=True``
    a neuron whose ``a`` has a negative first non-zero coordinate is flipped the same way. Survivors are
    balanced with :func:`theory.common.shallow_relu_net.balance_neuron_exact`, which does not move kinks, so
    ``R(Φ) = R(net) + ⟨slope, x⟩`` holds exactly on ``D``. A neuron that is already restricted and alone
    in its direction keeps its parameters, so the projection is idempotent and fixes restricted input.
    """
    if not isinstance(Phi, ShallowReLUNet):
        raise ValueError(f"Phi: expected a ShallowReLUNet, got {type(Phi).__name__}")
    box = as_box(domain)
    _check_domain(box, Phi.dim)
    X = Phi.to_exact()
    d = X.dim
    e = X.e
    slope = [Fraction(0)] * d
    removed = {k: 0 for k in ("zero", "constant", "inactive", "affine", "merged_same", "merged_opposite",
                              "cancelled", "flipped")}
    groups: dict[tuple, list] = {}  # key -> [coefficient C of C ρ(key·(x,1)), member indices]
    order: list[tuple] = []
    for i in range(X.width):
        a, b, c = list(X.a[i]), X.b[i], X.c[i]
        if c == 0:
            removed["zero"] += 1
            continue
        if all(x == 0 for x in a):
            e += c * relu(b)
            removed["constant"] += 1
            continue
        zmin, zmax = _z_range(a, b, box)
        if zmax <= 0:
            removed["inactive"] += 1
            continue
        if zmin >= 0:
            for j in range(d):
                slope[j] += c * a[j]
            e += c * b
            removed["affine"] += 1
            continue
        v = a + [b]
        m = abs(_first_nonzero(v))
        key = tuple(x / m for x in v)
        neg = tuple(-x for x in key)
        if key in groups:
            groups[key][0] += c * m
            groups[key][1].append(i)
            removed["merged_same"] += 1
        elif neg in groups:
            # c m ρ(key·) = c m ρ(−neg·) = c m (ρ(neg·) − neg·(x, 1))
            groups[neg][0] += c * m
            groups[neg][1].append(i)
            for j in range(d):
                slope[j] -= c * m * neg[j]
            e -= c * m * neg[d]
            removed["merged_opposite"] += 1
        else:
            groups[key] = [c * m, [i]]
            order.append(key)
    A, B, C = [], [], []
    for key in order:
        coef, members = groups[key]
        if coef == 0:
            removed["cancelled"] += 1
            continue
        if oriented and _first_nonzero(key[:d]) < 0:
            # coef ρ(key·) = coef ρ(−key·) + coef key·(x, 1)
            for j in range(d):
                slope[j] += coef * key[j]
            e += coef * key[d]
            key = tuple(-x for x in key)
            removed["flipped"] += 1
            members = []
        if len(members) == 1 and _is_balanced(list(X.a[members[0]]), X.b[members[0]], X.c[members[0]],
                                              EXACT_BALANCE_RTOL):
            i = members[0]
            A.append(list(X.a[i]))
            B.append(X.b[i])
            C.append(X.c[i])
            continue
        a, b, c = balance_neuron_exact(list(key[:d]), key[d], coef)
        A.append(a)
        B.append(b)
        C.append(c)
    if not A:
        return Restriction(None, e, tuple(slope), removed)
    net = ShallowReLUNet(np.array(A, dtype=object), np.array(B, dtype=object), np.array(C, dtype=object), e)
    return Restriction(net, e, tuple(slope), removed)


def absorb_slope(res: Restriction, domain, delta) -> ShallowReLUNet:
    """Replace the affine remainder ``⟨s, x⟩`` of a :class:`Restriction` by one restricted neuron whose
    kink hyperplane passes at distance ``δ`` (along ``ŝ = s/‖s‖₁``) from the corner of ``D`` where
    ``⟨ŝ, x⟩`` is smallest: ``‖s‖₁ ρ(⟨ŝ, x⟩ − m − δ) + ‖s‖₁(m + δ) = ⟨s, x⟩`` except on the corner region
    ``⟨ŝ, x⟩ < m + δ``, where the error is at most ``‖s‖₁ δ`` in ``L^∞``. This is why the restricted set
    loses nothing in the closure (BEG 2019, Section 3: optimizing over the restricted set reaches what the
    unrestricted set reaches); the width grows by one. With ``s = 0`` the net is returned unchanged."""
    box = as_box(domain)
    delta = to_fraction(delta, "delta")
    d = box.dim
    s = list(res.slope)
    if all(v == 0 for v in s):
        if res.net is None:
            raise ValueError("res: the restriction has no neuron and no slope; nothing to represent")
        return res.net
    norm1 = sum(abs(v) for v in s)
    shat = [v / norm1 for v in s]
    m = sum(min(shat[j] * box.lower[j], shat[j] * box.upper[j]) for j in range(d))
    mx = sum(max(shat[j] * box.lower[j], shat[j] * box.upper[j]) for j in range(d))
    if not (0 < delta < mx - m):
        raise ValueError(f"delta: expected 0 < delta < {float(mx - m)} (the width of D along the slope)")
    a, b, c = balance_neuron_exact(shat, -(m + delta), norm1)
    A = [a] if res.net is None else [list(r) for r in res.net.a] + [a]
    B = [b] if res.net is None else list(res.net.b) + [b]
    C = [c] if res.net is None else list(res.net.c) + [c]
    return ShallowReLUNet(np.array(A, dtype=object), np.array(B, dtype=object), np.array(C, dtype=object),
                          res.bias + norm1 * (m + delta))
