"""Inverse stability of shallow ReLU networks in two input dimensions (Berner, Elbrächter & Grohs, NeurIPS
2019, arXiv 1905.09803: Definition 1.1, Section 2 and Theorem 3.1, stated there for inputs in ``ℝ^d``):
the exact ``W^{1,∞}`` distance of two realizations on a box ``D ⊂ ℝ²``, random restricted 2-D networks and
the moves of the modulus of continuity, the three 2-D pathology families with their exponents, and the
restricted-set projection in 2-D.

Exact ``W^{1,∞}`` distance (:func:`w1inf_bracket`). ``f = R(Φ) − R(Γ)`` is continuous and piecewise linear
on the cells of the arrangement of its kink lines ``{⟨a_i, x⟩ + b_i = 0}`` in ``D``. Every cell is a convex
polygon whose corners are *vertices*: the corners of ``D``, the points where a kink line meets an edge of
``D``, and the points where two kink lines meet inside ``D``. So ``sup_D |f|`` is attained at a vertex, and
every cell touches a vertex: around a vertex ``v`` the lines and edges through ``v`` cut the plane into
sectors, each sector pointing into ``D`` is the germ of one cell at ``v``, and its gradient
``Σ_{i active} c_i a_i`` is read off a direction ``u`` strictly inside the sector (neuron ``i`` is active iff
``z_i(v) > 0``, or ``z_i(v) = 0`` and ``⟨a_i, u⟩ > 0``). Everything is rational, so ``sup|f|`` and
``sup |∇f|₂²`` are exact; the norm ``max(sup|f|, sup|∇f|₂)`` needs one square root, bracketed by rationals
whose relative width is below ``10⁻³⁰`` (:class:`Bracket`). Neurons of one normalized direction are merged
first (``c ρ(λz) = cλ ρ(z)``), so a common base of ``Φ`` and ``Γ`` cancels exactly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy as sp

from theory.common.shallow_relu_net import (
    ShallowReLUNet,
    as_box,
    balance_neuron_exact,
    to_fraction,
)
from theory.stability.restricted import absorb_slope, restrict

#: the square ``[−1, 1]²``
SQUARE = ((Fraction(-1), Fraction(-1)), (Fraction(1), Fraction(1)))
#: relative width of the rational bracket of a square root (:func:`sqrt_bracket`)
SQRT_BITS = 120


def _F(v) -> Fraction:
    return to_fraction(v)


def _box2(domain):
    box = as_box(domain)
    if box.dim != 2:
        raise ValueError(f"domain: expected a box in ℝ² ((l1, l2), (u1, u2)), got dimension {box.dim}")
    return box


def _net2(name: str, net) -> ShallowReLUNet:
    if not isinstance(net, ShallowReLUNet):
        raise ValueError(f"{name}: expected a ShallowReLUNet, got {type(net).__name__}")
    if net.dim != 2:
        raise ValueError(f"{name}: expected a network on ℝ² (d = 2), got d = {net.dim}")
    return net.to_exact()


# ----------------------------------------------------------------------------------------------------
# the exact W^{1,∞} distance on a box in ℝ²
# ----------------------------------------------------------------------------------------------------
def sqrt_bracket(q: Fraction, bits: int = SQRT_BITS) -> tuple[Fraction, Fraction]:
    """Rationals ``lo ≤ √q ≤ hi`` with ``hi − lo ≤ 2^{−bits} √q`` (integer square roots, no rounding)."""
    q = _F(q)
    if q < 0:
        raise ValueError(f"q: expected a non-negative number, got {q}")
    if q == 0:
        return Fraction(0), Fraction(0)
    # scale so that the integer part of √(q 4^s) has at least `bits` bits
    s = max(0, bits - (q.numerator.bit_length() - q.denominator.bit_length()) // 2 + 2)
    m = q.numerator * 4**s // q.denominator
    r = math.isqrt(m)
    lo = Fraction(r, 2**s)
    hi = Fraction(r + 1, 2**s)
    if r * r == m and m * q.denominator == q.numerator * 4**s:
        hi = lo
    return lo, hi


@dataclass(frozen=True)
class Bracket:
    """Certified ``lower ≤ ‖f‖_{W^{1,∞}(D)} ≤ upper`` with ``‖f‖ = max(sup_D |f|, sup_D |∇f|₂)``.

    ``sup_abs`` (``sup |f|``) and ``grad_sq`` (``sup |∇f|₂²``) are exact rationals; the bracket comes from
    the rational square-root bracket of ``grad_sq`` only (relative width ``≤ 2^{−120}``). ``vertices``
    and ``cells`` count what was enumerated."""

    lower: Fraction
    upper: Fraction
    sup_abs: Fraction
    grad_sq: Fraction
    vertices: int = 0
    cells: int = 0

    @property
    def relative_width(self) -> float:
        return 0.0 if self.upper == 0 else float((self.upper - self.lower) / self.upper)

    def contains(self, value) -> bool:
        v = _F(value)
        return self.lower <= v <= self.upper

    def scaled(self, alpha) -> "Bracket":
        """The bracket of ``α f`` (``α ≥ 0``): every quantity is homogeneous."""
        a = _F(alpha)
        if a < 0:
            raise ValueError(f"alpha: expected a non-negative scale, got {a}")
        return Bracket(a * self.lower, a * self.upper, a * self.sup_abs, a * a * self.grad_sq, self.vertices,
                       self.cells)


def merged_neurons(nets_signs) -> tuple[list[tuple[tuple[Fraction, Fraction], Fraction, Fraction]], Fraction]:
    """The neurons of ``Σ_k s_k R(net_k)`` merged by normalized direction: rows ``((n₁, n₂), β, C)`` of
    ``C ρ(⟨n, x⟩ + β)`` with ``(n, β)`` scaled to first non-zero entry ``±1``, ``C ≠ 0``, and the constant
    (neurons with ``a = 0`` are constants ``c ρ(b)``). Exact."""
    groups: dict[tuple, Fraction] = {}
    const = Fraction(0)
    for net, s in nets_signs:
        X = net.to_exact()
        const += s * X.e
        for i in range(X.width):
            a, b, c = list(X.a[i]), X.b[i], X.c[i]
            if c == 0:
                continue
            if a[0] == 0 and a[1] == 0:
                const += s * c * (b if b > 0 else 0)
                continue
            m = abs(a[0]) if a[0] != 0 else abs(a[1])
            key = (a[0] / m, a[1] / m, b / m)
            groups[key] = groups.get(key, Fraction(0)) + s * c * m
    rows = [((k[0], k[1]), k[2], C) for k, C in groups.items() if C != 0]
    return rows, const


def _value(rows, const, x) -> Fraction:
    v = const
    for n, beta, C in rows:
        z = n[0] * x[0] + n[1] * x[1] + beta
        if z > 0:
            v += C * z
    return v


def _angle_key(d):
    """Sort key of a direction by its angle in ``[0, 2π)`` (exact: half-plane, then cross products)."""
    x, y = d
    half = 0 if (y > 0 or (y == 0 and x > 0)) else 1
    return half, d


def _sorted_directions(dirs):
    """Directions sorted counter-clockwise from angle 0, positive multiples removed (exact)."""
    import functools

    def cmp(p, q):
        hp, hq = _angle_key(p)[0], _angle_key(q)[0]
        if hp != hq:
            return hp - hq
        cr = p[0] * q[1] - p[1] * q[0]
        return -1 if cr > 0 else (1 if cr < 0 else 0)

    out = []
    for d in sorted(dirs, key=functools.cmp_to_key(cmp)):
        if out and cmp(out[-1], d) == 0:
            continue
        out.append(d)
    return out


def sobolev_norm_2d(rows, const, domain=SQUARE) -> Bracket:
    """The exact bracket of ``‖f‖_{W^{1,∞}(D)}`` for ``f = const + Σ C ρ(⟨n, x⟩ + β)`` (rows of
    :func:`merged_neurons`) on the box ``D ⊂ ℝ²`` (module docstring: vertices and sectors)."""
    box = _box2(domain)
    lo, up = box.lower, box.upper
    lines = {}
    for n, beta, _ in rows:  # a geometric line once (antipodal keys give the same line)
        key = (n, beta) if (n[0] > 0 or (n[0] == 0 and n[1] > 0)) else ((-n[0], -n[1]), -beta)
        lines[key] = True
    lines = list(lines)
    inside = lambda p: lo[0] <= p[0] <= up[0] and lo[1] <= p[1] <= up[1]  # noqa: E731
    verts = {(lo[0], lo[1]), (lo[0], up[1]), (up[0], lo[1]), (up[0], up[1])}
    for n, beta in lines:
        for j in (0, 1):  # the line meets the edges x_j = lo_j and x_j = up_j
            k = 1 - j
            if n[k] == 0:
                continue
            for xj in (lo[j], up[j]):
                xk = -(n[j] * xj + beta) / n[k]
                p = [None, None]
                p[j], p[k] = xj, xk
                if inside(p):
                    verts.add(tuple(p))
    for (n1, b1), (n2, b2) in itertools.combinations(lines, 2):
        det = n1[0] * n2[1] - n1[1] * n2[0]
        if det == 0:
            continue
        p = ((-b1 * n2[1] + b2 * n1[1]) / det, (-n1[0] * b2 + n2[0] * b1) / det)
        if inside(p):
            verts.add(p)
    sup_abs = Fraction(0)
    grad_sq = Fraction(0)
    cells = 0
    for v in verts:
        sup_abs = max(sup_abs, abs(_value(rows, const, v)))
        zs = [n[0] * v[0] + n[1] * v[1] + beta for n, beta, _ in rows]
        dirs = []
        for n, beta in lines:
            if n[0] * v[0] + n[1] * v[1] + beta == 0:
                dirs += [(-n[1], n[0]), (n[1], -n[0])]
        walls = []  # (normal pointing into D) for the edges through v
        if v[0] == lo[0]:
            walls.append((1, 0))
        if v[0] == up[0]:
            walls.append((-1, 0))
        if v[1] == lo[1]:
            walls.append((0, 1))
        if v[1] == up[1]:
            walls.append((0, -1))
        for w in walls:
            dirs += [(-w[1], w[0]), (w[1], -w[0])]
        ds = _sorted_directions(dirs)
        if not ds:
            tests = [(Fraction(1), Fraction(0))]
        else:
            tests = []
            for i, d1 in enumerate(ds):
                d2 = ds[(i + 1) % len(ds)]
                cr = d1[0] * d2[1] - d1[1] * d2[0]
                # every line and edge gives both of its directions, so each sector spans at most π
                if cr > 0:  # less than π: any positive combination is strictly inside
                    u = (d1[0] + d2[0], d1[1] + d2[1])
                else:  # exactly π: a half-plane, its inner normal direction
                    u = (-d1[1], d1[0])
                tests.append(u)
        for u in tests:
            if any(w[0] * u[0] + w[1] * u[1] <= 0 for w in walls):
                continue
            g0, g1 = Fraction(0), Fraction(0)
            for (n, beta, C), z in zip(rows, zs):
                if z > 0 or (z == 0 and n[0] * u[0] + n[1] * u[1] > 0):
                    g0 += C * n[0]
                    g1 += C * n[1]
            cells += 1
            grad_sq = max(grad_sq, g0 * g0 + g1 * g1)
    glo, ghi = sqrt_bracket(grad_sq)
    return Bracket(max(sup_abs, glo), max(sup_abs, ghi), sup_abs, grad_sq, len(verts), cells)


def w1inf_bracket(Phi: ShallowReLUNet, Gamma: ShallowReLUNet | None = None, domain=SQUARE) -> Bracket:
    """Certified bracket of ``‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)}`` (``Γ = None``: of ``‖R(Φ)‖``) for 2-D networks on
    the box ``D`` (default ``[−1, 1]²``), exact in rational arithmetic (module docstring)."""
    Phi = _net2("Phi", Phi)
    parts = [(Phi, 1)]
    if Gamma is not None:
        parts.append((_net2("Gamma", Gamma), -1))
    rows, const = merged_neurons(parts)
    return sobolev_norm_2d(rows, const, domain)


def sup_abs_2d(Phi: ShallowReLUNet, Gamma: ShallowReLUNet | None = None, domain=SQUARE) -> Fraction:
    """``sup_D |R(Φ) − R(Γ)|`` exactly (the ``L^∞`` part of :func:`w1inf_bracket`)."""
    return w1inf_bracket(Phi, Gamma, domain).sup_abs


# ----------------------------------------------------------------------------------------------------
# 2-D neurons, restricted nets and the moves of the modulus of continuity
# ----------------------------------------------------------------------------------------------------
def unit_normal(s) -> tuple[Fraction, Fraction]:
    """The rational unit vector ``((1 − s²), 2s)/(1 + s²)``; ``|s| < 1`` gives a positive first entry (R5)."""
    s = _F(s)
    den = 1 + s * s
    return (1 - s * s) / den, 2 * s / den


def neuron_2d(n, beta, jump) -> tuple[list[Fraction], Fraction, Fraction]:
    """The balanced neuron realizing ``jump · ρ(⟨n, x⟩ + β)`` (exactly; balanced to relative 10⁻³⁸)."""
    jump = _F(jump)
    if jump == 0:
        raise ValueError("jump: expected a non-zero jump")
    return balance_neuron_exact([_F(n[0]), _F(n[1])], _F(beta), jump)


def net_2d(neurons, e=Fraction(0)) -> ShallowReLUNet:
    """An exact 2-D net from rows ``(a, b, c)`` with ``a = (a₁, a₂)``."""
    rows = list(neurons)
    if not rows:
        raise ValueError("neurons: expected at least one neuron")
    A = np.array([[_F(r[0][0]), _F(r[0][1])] for r in rows], dtype=object)
    return ShallowReLUNet(A, np.array([_F(r[1]) for r in rows], dtype=object),
                          np.array([_F(r[2]) for r in rows], dtype=object), _F(e))


def _dy(rng, lo, hi, bits=12) -> Fraction:
    return Fraction(int(rng.integers(int(lo * 2**bits), int(hi * 2**bits))), 2**bits)


def random_line(rng: np.random.Generator, margin: float = 0.25) -> tuple[tuple[Fraction, Fraction], Fraction]:
    """A random oriented line ``⟨n, x⟩ + β = 0`` meeting the interior of ``[−1, 1]²``: ``n`` a rational unit
    normal with ``n₁ > 0``, ``|β| ≤ (1 − margin) ‖n‖₁`` (so the line crosses the open square)."""
    s = _dy(rng, -0.9, 0.9)
    n = unit_normal(s)
    l1 = abs(n[0]) + abs(n[1])
    beta = _dy(rng, -1.0, 1.0) * (1 - _F(margin)) * l1
    return n, beta


@dataclass(frozen=True)
class Move2D:
    """One move of a modulus instance: ``kind`` ``"relocate"`` (a small neuron on line ``src`` in Φ, on
    ``dst`` in Γ, jumps ``J_src``/``J_dst``), ``"jump"`` (base neuron ``index`` changes its jump by ``delta``)
    or ``"bias"`` (``e`` moves by 1). Scaled by ``α``: ``R(Φ) − R(Γ) = α h`` with ``h`` fixed."""

    kind: str
    src: tuple = ()
    dst: tuple = ()
    index: int = -1
    delta: Fraction = Fraction(0)


def modulus_instance_2d(rng: np.random.Generator, base: int = 3, moves: int = 8):
    """A random oriented restricted base (rows ``(n, β, J)``, ``|J| ∈ [½, 2]``) and ``moves`` moves: half
    relocations (two fresh lines, jumps of either sign), the rest jump changes and one bias shift."""
    if base < 1 or moves < 2:
        raise ValueError("base, moves: expected base >= 1 and moves >= 2")
    rows = []
    while len(rows) < base:
        n, beta = random_line(rng)
        if any(n == r[0] for r in rows):
            continue
        J = _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)
        rows.append((n, beta, J))
    e = _dy(rng, -1.0, 1.0)
    mvs = []
    for m in range(moves):
        if m < moves // 2:
            src, dst = random_line(rng), random_line(rng)
            js = _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)
            jd = _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)
            mvs.append(Move2D("relocate", (src[0], src[1], js), (dst[0], dst[1], jd)))
        elif m < moves - 1:
            mvs.append(Move2D("jump", index=int(rng.integers(0, base)),
                              delta=_dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)))
        else:
            mvs.append(Move2D("bias"))
    return rows, e, mvs


def move_pair_2d(rows, e, move: Move2D, alpha) -> tuple[ShallowReLUNet, ShallowReLUNet]:
    """``(Φ, Γ)`` of a move at amplitude ``α`` (exact, balanced neurons): a common base, and the move."""
    alpha = _F(alpha)
    base = [neuron_2d(n, beta, J) for n, beta, J in rows]
    if move.kind == "relocate":
        (n1, b1, j1), (n2, b2, j2) = move.src, move.dst
        return (net_2d(base + [neuron_2d(n1, b1, alpha * j1)], e),
                net_2d(base + [neuron_2d(n2, b2, alpha * j2)], e))
    if move.kind == "jump":
        n, beta, J = rows[move.index]
        other = list(base)
        other[move.index] = neuron_2d(n, beta, J + alpha * move.delta)
        return net_2d(base, e), net_2d(other, e)
    if move.kind == "bias":
        return net_2d(base, e), net_2d(base, e + alpha)
    raise ValueError(f"move: unknown kind {move.kind!r}")


def inverse_stability_exponent_2d() -> sp.Rational:
    """The exponent ½ of the modulus of continuity on the oriented restricted set in ``d = 2`` (BEG 2019,
    Theorem 3.1, stated for ``d ≥ 1``): a neuron whose kink line is not shared has its gradient jump
    ``|c| ‖a‖ = r²/√(1 + β²)`` (``r`` the balanced radius, ``β`` the line's offset for a unit normal) bounded
    by ``2ε`` (the gradient of ``R(Φ) − R(Γ)`` on both sides of the line is at most ``ε``), so its radius is
    ``O(ε^{1/2})``; a relocated neuron of jump ``~ε`` attains it (its entries scale exactly like ``ε^{1/2}``),
    while jump changes and bias shifts move the parameters by ``O(ε)``."""
    return sp.Rational(1, 2)


# ----------------------------------------------------------------------------------------------------
# pathology families in 2-D (Section 2)
# ----------------------------------------------------------------------------------------------------
#: ``(ρ, p)``: ``dist_W(k) ~ k^ρ`` (``None``: equal realizations), parameter distance ``~ k^p``
PATHOLOGY_RATES_2D: dict[str, tuple[sp.Rational | None, sp.Rational]] = {
    "same_direction": (sp.Integer(-1), sp.Integer(1)),
    "opposite_directions": (None, sp.Integer(2)),
    "compensating_flip": (sp.Integer(-1), sp.Integer(0)),
}
PATHOLOGIES_2D = tuple(PATHOLOGY_RATES_2D)


def pathology_exponent_2d(name: str) -> sp.Rational:
    """The exponent of ``k`` of the measured quantity of a 2-D pathology family (:func:`pathology_family_2d`),
    exactly: ``p − ρ/2`` for the amplification ``dist_param / dist_W^{1/2}`` where the realizations differ,
    ``p`` for the parameter distance where they agree (:data:`PATHOLOGY_RATES_2D`).

    - ``same_direction``: the pair ``(k u, k)``, ``(2k u, −k/2)`` (``u ∈ ℝ³`` a unit vector) cancels; the bump
      ``(r/k) ρ(⟨n, x⟩ + β)`` gives ``dist_W = (r/k) max(‖n‖₁ + β, ‖n‖₂)``, ``ρ = −1``; both cancelling neurons
      have balanced radius ``k`` and the ``c`` entry ``±k`` dominates, so the distance is ``k``: ``p = 1``,
      exponent ``3/2``.
    - ``opposite_directions``: ``k ρ(k z) − k ρ(−k z) = k² z`` for ``z = ⟨u_a, x⟩ + u_b``; the pair at
      ``(u_a, −u_b)`` realizes the same function once ``e`` absorbs ``2k² u_b``: equal realizations, distance
      ``2k²|u_b|`` (the bias; the weights differ by ``2k|u_b|``): ``p = 2``.
    - ``compensating_flip``: three neurons with ``Σ c_i a_i = δ/k`` (a vector), all flipped; the realizations
      differ by ``−⟨δ, x⟩/k``, ``dist_W = ‖δ‖₁/k``, ``ρ = −1``, and the flipped neurons stay ``O(1)`` away:
      ``p = 0``, exponent ½.
    """
    if name not in PATHOLOGY_RATES_2D:
        raise ValueError(f"name: expected one of {PATHOLOGIES_2D}, got {name!r}")
    rho, p = PATHOLOGY_RATES_2D[name]
    return p if rho is None else p - rho / 2


@dataclass(frozen=True)
class Family2D:
    """A 2-D pathology family ``(Φ_k, Ψ_k)`` on ``[−1, 1]²`` with the closed form of its realization
    distance: ``closed(k) = (sup|f|, sup|∇f|₂²)`` exact (``(0, 0)``: equal realizations)."""

    name: str
    phi: Callable[[int], ShallowReLUNet]
    psi: Callable[[int], ShallowReLUNet]
    closed: Callable[[int], tuple[Fraction, Fraction]]
    restricted: bool = False
    parameters: dict = field(default_factory=dict)

    @property
    def exponent(self) -> sp.Rational:
        return pathology_exponent_2d(self.name)


def _pow2(k) -> Fraction:
    k = int(k)
    if k < 1 or k & (k - 1):
        raise ValueError(f"k: expected a power of two >= 1, got {k}")
    return Fraction(k)


def unit_vector_3(s, t) -> tuple[Fraction, Fraction, Fraction]:
    """The rational unit vector ``(2s, 2t, 1 − s² − t²)/(1 + s² + t²)`` of ``ℝ³``."""
    s, t = _F(s), _F(t)
    den = 1 + s * s + t * t
    return 2 * s / den, 2 * t / den, (1 - s * s - t * t) / den


def random_base_2d(rng: np.random.Generator, width: int = 2) -> list[tuple]:
    """Rows ``(n, β, J)`` of an oriented restricted base with distinct lines."""
    rows = []
    while len(rows) < width:
        n, beta = random_line(rng)
        if any(n == r[0] for r in rows):
            continue
        rows.append((n, beta, _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)))
    return rows


def pathology_family_2d(name: str, rng: np.random.Generator, base: int = 2) -> Family2D:
    """One random instance of a 2-D pathology family (exact rationals; :func:`pathology_exponent_2d`), with a
    common random oriented restricted base of ``base`` neurons (0: none)."""
    if name not in PATHOLOGY_RATES_2D:
        raise ValueError(f"name: expected one of {PATHOLOGIES_2D}, got {name!r}")
    brows = random_base_2d(rng, base) if base else []
    bn = [neuron_2d(n, b, J) for n, b, J in brows]
    e0 = _dy(rng, -1.0, 1.0)
    if name == "same_direction":
        u = unit_vector_3(_dy(rng, -0.6, 0.6), _dy(rng, -0.6, 0.6))
        n, beta = random_line(rng)
        r = _dy(rng, 0.5, 2.0)
        zero = ([Fraction(0), Fraction(0)], Fraction(0), Fraction(0))

        def phi(k):
            K = _pow2(k)
            return net_2d(bn + [([K * u[0], K * u[1]], K * u[2], K),
                                ([2 * K * u[0], 2 * K * u[1]], 2 * K * u[2], -K / 2)], e0)

        def psi(k):
            return net_2d(bn + [neuron_2d(n, beta, r / _pow2(k)), zero], e0)

        l1 = abs(n[0]) + abs(n[1])
        return Family2D(name, phi, psi,
                        lambda k: (r / _pow2(k) * (l1 + beta), (r / _pow2(k)) ** 2 * (n[0] ** 2 + n[1] ** 2)),
                        parameters={"u": u, "line": (n, beta), "r": r})
    if name == "opposite_directions":
        u = unit_vector_3(_dy(rng, -0.6, 0.6), _dy(rng, -0.6, 0.6))
        if u[2] == 0:
            u = unit_vector_3(Fraction(1, 4), Fraction(1, 8))

        def pair(K, ub):
            return [([K * u[0], K * u[1]], K * ub, K), ([-K * u[0], -K * u[1]], -K * ub, -K)]

        def phi(k):
            return net_2d(bn + pair(_pow2(k), u[2]), e0)

        def psi(k):
            K = _pow2(k)
            return net_2d(bn + pair(K, -u[2]), e0 + 2 * K * K * u[2])

        return Family2D(name, phi, psi, lambda k: (Fraction(0), Fraction(0)), parameters={"u": u})
    # compensating flip: three oriented neurons with Σ J_i n_i = δ/k, all flipped in Ψ_k
    while True:
        lines = [random_line(rng) for _ in range(3)]
        ns = [ln[0] for ln in lines]
        if len({n for n in ns} | {r[0] for r in brows}) == 3 + len(brows):
            det = ns[0][0] * ns[1][1] - ns[0][1] * ns[1][0]
            if abs(det) > Fraction(1, 8):
                break
    r3 = _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)
    delta = (_dy(rng, 0.25, 1.0) * (1 if rng.random() < 0.5 else -1), _dy(rng, 0.25, 1.0))
    n1, n2, n3 = ns

    def jumps(K):
        rhs = (delta[0] / K - r3 * n3[0], delta[1] / K - r3 * n3[1])
        j1 = (rhs[0] * n2[1] - rhs[1] * n2[0]) / det
        j2 = (n1[0] * rhs[1] - n1[1] * rhs[0]) / det
        return j1, j2, r3

    def phi(k):
        K = _pow2(k)
        js = jumps(K)
        return net_2d(bn + [neuron_2d(ln[0], ln[1], J) for ln, J in zip(lines, js)], e0)

    def psi(k):
        P = phi(k).to_exact()
        A, B, e = P.a.copy(), P.b.copy(), P.e
        for i in range(len(bn), P.width):
            A[i] = -A[i]
            B[i] = -B[i]
            e += P.c[i] * P.b[i]
        return ShallowReLUNet(A, B, P.c, e)

    def closed(k):
        K = _pow2(k)
        return (abs(delta[0]) + abs(delta[1])) / K, (delta[0] ** 2 + delta[1] ** 2) / (K * K)

    return Family2D(name, phi, psi, closed, restricted=True, parameters={"delta": delta, "det": det})


# ----------------------------------------------------------------------------------------------------
# the restricted-set projection in 2-D (Section 3)
# ----------------------------------------------------------------------------------------------------
def random_unrestricted_2d(rng: np.random.Generator, width: int = 6) -> ShallowReLUNet:
    """An exact 2-D net with every pathology of Section 2 present: inactive and affine neurons (lines
    missing ``[−1, 1]²``), an unbalanced neuron, a same-direction and an opposite-direction pair, and
    interior neurons; ``width ≥ 6``."""
    if width < 6:
        raise ValueError(f"width: expected at least 6 neurons, got {width}")
    rows = []
    n, _ = random_line(rng)
    l1 = abs(n[0]) + abs(n[1])
    rows.append(([n[0], n[1]], -l1 - _dy(rng, 0.1, 1.0), _dy(rng, 0.5, 2.0)))  # inactive
    rows.append(([-n[0], n[1]], l1 + _dy(rng, 0.1, 1.0), _dy(rng, 0.5, 2.0)))  # affine (its line misses D)
    m, beta = random_line(rng)
    lam = _dy(rng, 2.0, 4.0)
    rows.append(([m[0], m[1]], beta, _dy(rng, 0.5, 2.0)))
    rows.append(([lam * m[0], lam * m[1]], lam * beta, _dy(rng, -2.0, -0.5)))  # same direction
    rows.append(([-lam * m[0], -lam * m[1]], -lam * beta, _dy(rng, 0.5, 2.0)))  # opposite direction
    while len(rows) < width:
        p, g = random_line(rng)
        sc = _dy(rng, 0.1, 4.0)  # unbalanced
        rows.append(([sc * p[0], sc * p[1]], sc * g, _dy(rng, 0.5, 2.0) * (1 if rng.random() < 0.5 else -1)))
    return net_2d(rows, _dy(rng, -1.0, 1.0))


def project_2d(Phi: ShallowReLUNet, delta, domain=SQUARE, oriented: bool = False) -> tuple[ShallowReLUNet, Fraction]:
    """The restricted-set projection in 2-D: :func:`theory.stability.restricted.restrict` (exact, realization
    kept up to an affine remainder ``⟨s, x⟩``), then :func:`theory.stability.restricted.absorb_slope` (the
    remainder as one restricted neuron whose line cuts a corner of ``D`` at distance ``δ``). Returns the
    projected net and the predicted ``L^∞`` error ``‖s‖₁ δ`` (``0`` when ``s = 0``): exactly the error at the
    corner where ``⟨s, x⟩`` is smallest, since the new neuron's error ``‖s‖₁ (m + δ − ⟨ŝ, x⟩)₊`` is largest
    there."""
    Phi = _net2("Phi", Phi)
    res = restrict(Phi, _box2(domain), oriented=oriented)
    norm1 = sum(abs(v) for v in res.slope)
    return absorb_slope(res, _box2(domain), delta), norm1 * _F(delta)


__all__ = [
    "Bracket", "Family2D", "Move2D", "PATHOLOGIES_2D", "PATHOLOGY_RATES_2D", "SQUARE",
    "inverse_stability_exponent_2d", "merged_neurons", "modulus_instance_2d", "move_pair_2d", "net_2d",
    "neuron_2d", "pathology_exponent_2d", "pathology_family_2d", "project_2d", "random_base_2d",
    "random_line", "random_unrestricted_2d", "sobolev_norm_2d", "sqrt_bracket", "sup_abs_2d", "unit_normal",
    "unit_vector_3", "w1inf_bracket",
]
