"""Distances between realizations of shallow ReLU networks in ``L^∞(D)`` and ``W^{1,∞}(D)`` (Berner,
Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803, Section 2 and Theorem 3.1: inverse stability is
stated in the Sobolev norm ``W^{1,∞}``).

Convention: ``‖f‖_{W^{1,∞}(D)} = max(‖f‖_{L^∞(D)}, max_j ‖∂_j f‖_{L^∞(D)})``.

- ``d = 1`` (:func:`sobolev_distance`): ``h = R(Φ) − R(Ψ)`` is continuous and piecewise linear with
  breakpoints at the kinks ``t_i = −b_i/a_i``, so ``‖h‖_∞`` is attained at a breakpoint or an end of ``D``
  and ``‖h'‖_∞`` is the largest absolute slope of a piece. Both are computed exactly, in rational
  arithmetic, from the breakpoints (:func:`difference_1d`): no sampling, no rounding.
- ``d ≥ 2``: a certified interval ``[lower, upper]`` from a grid of cells (:func:`certified_distance`).

:func:`sampled_distance` is the same norm restricted to a finite set of points (exact): it never exceeds
the exact distance and equals it when the points contain every breakpoint (what the tests check).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from theory.common.shallow_relu_net import (
    Box,
    Kink1D,
    ShallowReLUNet,
    as_box,
    kinks_1d,
    realize_exact,
    relu,
    to_fraction,
)

#: cells evaluated at once by :func:`certified_distance` (bounds the ``cells × N`` temporaries)
CELL_CHUNK = 8192


@dataclass(frozen=True)
class RealizationDistance:
    """``‖R(Φ) − R(Ψ)‖`` in ``L^∞(D)`` (``k = 0``) or ``W^{1,∞}(D)`` (``k = 1``).

    ``exact`` (1-D): ``lower == upper == value`` is the exact rational distance of the realizations of the
    given parameters. Otherwise ``[lower, upper]`` is a certified interval and ``value`` is ``upper``.
    ``sup_value`` / ``sup_derivative`` are the two parts of the ``W^{1,∞}`` norm (upper bounds in
    ``d ≥ 2``; ``sup_derivative`` is ``None`` for ``k = 0``)."""

    k: int
    lower: Fraction | float
    upper: Fraction | float
    exact: bool
    sup_value: Fraction | float
    sup_derivative: Fraction | float | None

    @property
    def value(self):
        return self.upper

    def __float__(self) -> float:
        return float(self.upper)


@dataclass(frozen=True)
class PiecewiseLinear1D:
    """A continuous piecewise-linear function on ``[l, u]``: exact values at the breakpoints
    ``points[0] = l < … < points[-1] = u`` and exact slopes on the pieces between them."""

    points: tuple[Fraction, ...]
    values: tuple[Fraction, ...]
    slopes: tuple[Fraction, ...]

    def sup_abs(self) -> Fraction:
        """``‖h‖_{L^∞}``: the largest ``|h|`` at a breakpoint (a linear piece peaks at an end)."""
        return max(abs(v) for v in self.values)

    def sup_abs_derivative(self) -> Fraction:
        """``‖h'‖_{L^∞}``: the largest absolute slope of a piece."""
        return max(abs(s) for s in self.slopes)

    def __call__(self, x) -> np.ndarray:
        return np.interp(np.asarray(x, dtype=float), [float(p) for p in self.points],
                         [float(v) for v in self.values])


def check_pair(Phi: ShallowReLUNet, Psi: ShallowReLUNet) -> None:
    """``ValueError`` unless both are networks of the same input dimension."""
    if not isinstance(Phi, ShallowReLUNet):
        raise ValueError(f"Phi: expected a ShallowReLUNet, got {type(Phi).__name__}")
    if not isinstance(Psi, ShallowReLUNet):
        raise ValueError(f"Psi: expected a ShallowReLUNet, got {type(Psi).__name__}")
    if Phi.dim != Psi.dim:
        raise ValueError(f"Psi: expected input dimension {Phi.dim} (that of Phi), got {Psi.dim}")


def check_domain(box: Box, dim: int) -> None:
    """``ValueError`` unless the box has the networks' input dimension."""
    if box.dim != dim:
        raise ValueError(f"domain: expected a box of dimension {dim} (the networks'), got {box.dim}")


def _check_k(k) -> int:
    if isinstance(k, bool) or k not in (0, 1):
        raise ValueError(f"k: expected 0 (L^inf) or 1 (W^(1,inf)), got {k!r}")
    return int(k)


def piecewise_linear_1d(kinks: list[Kink1D], const: Fraction, box: Box) -> PiecewiseLinear1D:
    """``h(x) = const + Σ_i J_i ρ(σ_i (x − t_i))`` on ``[l, u]`` as exact breakpoints, values and slopes.

    The slope just right of ``l`` is ``Σ σ_i J_i`` over the neurons active there; at each interior kink
    ``t`` it increases by ``Σ_{t_i = t} J_i`` (a neuron's derivative jump is ``J = c|a|`` whatever its
    orientation); values follow by exact integration. Cost ``O(N log N)``."""
    lo, up = box.lower[0], box.upper[0]
    value = const + sum((k.jump * relu(k.sigma * (lo - k.t)) for k in kinks), Fraction(0))
    slope = Fraction(0)
    inner: dict[Fraction, Fraction] = {}
    for k in kinks:
        if (k.sigma > 0 and k.t <= lo) or (k.sigma < 0 and k.t > lo):
            slope += k.sigma * k.jump
        if lo < k.t < up:
            inner[k.t] = inner.get(k.t, Fraction(0)) + k.jump
    points, values, slopes = [lo], [value], []
    for t in sorted(inner) + [up]:
        value = value + slope * (t - points[-1])
        slopes.append(slope)
        points.append(t)
        values.append(value)
        if t in inner:
            slope += inner[t]
    return PiecewiseLinear1D(tuple(points), tuple(values), tuple(slopes))


def difference_1d(Phi: ShallowReLUNet, Psi: ShallowReLUNet, domain) -> PiecewiseLinear1D:
    """``R(Φ) − R(Ψ)`` on a 1-D domain, exactly (see :func:`piecewise_linear_1d`)."""
    check_pair(Phi, Psi)
    box = as_box(domain)
    check_domain(box, Phi.dim)
    if Phi.dim != 1:
        raise ValueError(f"Phi: expected 1-D networks (d = 1), got d = {Phi.dim}")
    kp, cp = kinks_1d(Phi)
    kq, cq = kinks_1d(Psi)
    kinks = kp + [Kink1D(k.t, k.sigma, -k.jump) for k in kq]
    return piecewise_linear_1d(kinks, cp - cq, box)


def sobolev_distance(Phi: ShallowReLUNet, Psi: ShallowReLUNet, domain, k: int = 1,
                     cells: int = 64) -> RealizationDistance:
    """``‖R(Φ) − R(Ψ)‖_{W^{k,∞}(D)}``, ``k ∈ {0, 1}`` (BEG 2019, Theorem 3.1 uses ``k = 1``).

    ``d = 1``: exact, from the breakpoints of the piecewise-linear difference (:func:`difference_1d`):
    ``‖h‖_∞ = max_breakpoints |h|`` and ``‖h'‖_∞ = max_pieces |slope|``. The result is a Fraction; inputs
    are read exactly (floats are dyadic rationals).

    ``d ≥ 2``: the certified interval of :func:`certified_distance` on ``cells^d`` cells.

    Raises ``ValueError`` for mismatched networks, a domain of another dimension or with
    ``lower ≥ upper``, and ``k`` or ``cells`` out of range.
    """
    check_pair(Phi, Psi)
    box = as_box(domain)
    check_domain(box, Phi.dim)
    k = _check_k(k)
    if Phi.dim == 1:
        h = difference_1d(Phi, Psi, box)
        sv = h.sup_abs()
        sd = h.sup_abs_derivative()
        val = sv if k == 0 else max(sv, sd)
        return RealizationDistance(k, val, val, True, sv, sd if k == 1 else None)
    return certified_distance(Phi, Psi, box, k, cells)


def sampled_distance(Phi: ShallowReLUNet, Psi: ShallowReLUNet, points, k: int = 1) -> Fraction:
    """The ``W^{k,∞}`` norm of ``h = R(Φ) − R(Ψ)`` seen only at the given 1-D points, exactly:
    ``max_j |h(x_j)|`` and (``k = 1``) the largest divided difference ``|h(x_{j+1}) − h(x_j)|/(x_{j+1} − x_j)``
    between consecutive sorted points. By the mean value theorem it never exceeds
    :func:`sobolev_distance` on any interval containing the points, and equals it when the points contain
    both ends of ``D`` and every breakpoint of ``h`` in it."""
    check_pair(Phi, Psi)
    k = _check_k(k)
    if Phi.dim != 1:
        raise ValueError(f"Phi: expected 1-D networks (d = 1), got d = {Phi.dim}")
    xs = sorted({to_fraction(v, "points") for v in np.asarray(points, dtype=object).ravel()})
    if not xs:
        raise ValueError("points: expected at least one point")
    hs = [realize_exact(Phi, x) - realize_exact(Psi, x) for x in xs]
    out = max(abs(v) for v in hs)
    if k == 1:
        for i in range(len(xs) - 1):
            out = max(out, abs(hs[i + 1] - hs[i]) / (xs[i + 1] - xs[i]))
    return out


def merged_hyperplanes(Phi: ShallowReLUNet, Psi: ShallowReLUNet):
    """``h = R(Φ) − R(Ψ)`` with one neuron per kink hyperplane: ``h(x) = Σ_k C_k ρ(⟨A_k, x⟩ + B_k) + ⟨L, x⟩ + E``.

    Neurons of either network whose ``(a, b)`` are positive multiples merge (``c ρ(λz) = cλ ρ(z)``); negative
    multiples merge through ``ρ(−z) = ρ(z) − z`` (the affine remainder goes to ``L, E``); ``a = 0`` gives the
    constant ``c ρ(b)``; merged coefficients 0 are dropped. Directions are compared exactly (rational
    arithmetic on the given numbers), so a hyperplane shared by Φ and Ψ is treated as one: without this, two
    neurons that switch together would be bounded as if they switched independently. Returns float64
    ``(A, B, C, L, E)`` with ``A`` of shape ``(K, d)``."""
    d = Phi.dim
    groups: dict[tuple, Fraction] = {}
    lin = [Fraction(0)] * d
    const = Fraction(0)
    for net, sign in ((Phi.to_exact(), 1), (Psi.to_exact(), -1)):
        const += sign * net.e
        for i in range(net.width):
            a, b, c = [net.a[i, j] for j in range(d)], net.b[i], sign * net.c[i]
            if c == 0:
                continue
            if all(v == 0 for v in a):
                const += c * relu(b)
                continue
            v = a + [b]
            n1 = sum(abs(q) for q in v)
            key = tuple(q / n1 for q in v)
            neg = tuple(-q for q in key)
            if neg in groups:  # c ρ(−key·) = c ρ(key·) − c key·(x, 1)
                groups[neg] += c * n1
                for j in range(d):
                    lin[j] -= c * n1 * neg[j]
                const -= c * n1 * neg[d]
            else:
                groups[key] = groups.get(key, Fraction(0)) + c * n1
    keys = [k for k, cf in groups.items() if cf != 0]
    A = np.array([[float(k[j]) for j in range(d)] for k in keys]).reshape(len(keys), d)
    B = np.array([float(k[d]) for k in keys])
    C = np.array([float(groups[k]) for k in keys])
    return A, B, C, np.array([float(v) for v in lin]), float(const)


def certified_distance(Phi: ShallowReLUNet, Psi: ShallowReLUNet, domain, k: int = 1,
                       cells: int = 64) -> RealizationDistance:
    """A certified interval for ``‖R(Φ) − R(Ψ)‖_{W^{k,∞}(D)}`` in any dimension (used for ``d ≥ 2``).

    ``D`` is cut into ``cells^d`` boxes with centres ``x_c`` and half-widths ``η_j``; ``h`` and its
    gradient are evaluated in float64 with a relative margin ``10^{-12}`` of the absolute sum for rounding.

    Lower bounds: ``|h|`` at the cell centres and the vertices of ``D``; ``|∂_j h|`` at the centres that
    lie on no kink hyperplane (the gradient is constant near such a point).

    Upper bounds per cell: a neuron whose hyperplane does not cut the cell (``|⟨a, x_c⟩ + b| > Σ_j |a_j| η_j``)
    is surely on or off there; a cut neuron contributes ``0`` or ``c a_j`` to ``∂_j h``, so with ``g`` the
    sum over the surely-on neurons, ``|∂_j h| ≤ G_j = max(|g_j + Σ_cut (c a_j)_+|, |g_j + Σ_cut (c a_j)_−|)``;
    and ``|h| ≤ |h(x_c)| + Σ_j G_j η_j`` (``h`` is Lipschitz on the cell). The upper bound is exact on cells
    cut by at most one hyperplane, so the interval closes as ``cells`` grows wherever no two hyperplanes
    meet inside ``D``; neurons of Φ and Ψ on one hyperplane are merged first (:func:`merged_hyperplanes`),
    so shared hyperplanes do not loosen it. Work is chunked (:data:`CELL_CHUNK` cells at a time): memory ``O(CELL_CHUNK · N)``.
    """
    check_pair(Phi, Psi)
    box = as_box(domain)
    check_domain(box, Phi.dim)
    k = _check_k(k)
    if isinstance(cells, bool) or not (isinstance(cells, (int, np.integer)) and cells >= 1):
        raise ValueError(f"cells: expected a positive integer, got {cells!r}")
    cells = int(cells)
    A, B, C, lin, e = merged_hyperplanes(Phi, Psi)
    lo, up = box.lower_float(), box.upper_float()
    d = box.dim
    half = (up - lo) / (2 * cells)
    reach = np.abs(A) @ half
    CA = C[:, None] * A  # (N, d)
    scale = float(np.abs(C) @ (np.abs(A) @ np.maximum(np.abs(lo), np.abs(up)) + np.abs(B))
                  + np.abs(lin) @ np.maximum(np.abs(lo), np.abs(up)) + abs(e))
    margin = 1e-12 * scale + 1e-300
    sup_hi = sup_lo = grad_hi = grad_lo = 0.0
    total = cells**d
    for start in range(0, total, CELL_CHUNK):
        idx = np.arange(start, min(start + CELL_CHUNK, total))
        ij = np.stack(np.unravel_index(idx, (cells,) * d), axis=1)
        X = lo + half * (2 * ij + 1)
        Z = X @ A.T + B
        on = Z - reach > 0
        cut = np.abs(Z) <= reach
        g = on.astype(float) @ CA + lin
        G = np.maximum(np.abs(g + cut.astype(float) @ np.maximum(CA, 0.0)),
                       np.abs(g + cut.astype(float) @ np.minimum(CA, 0.0)))
        hc = np.maximum(Z, 0.0) @ C + X @ lin + e
        sup_hi = max(sup_hi, float(np.max(np.abs(hc) + G @ half)))
        sup_lo = max(sup_lo, float(np.max(np.abs(hc))))
        grad_hi = max(grad_hi, float(G.max()))
        clean = np.all(np.abs(Z) > 1e-9 * (1.0 + np.abs(A) @ np.maximum(np.abs(lo), np.abs(up)) + np.abs(B)),
                       axis=1)
        if clean.any():
            grad_lo = max(grad_lo, float(np.max(np.abs((Z[clean] > 0).astype(float) @ CA + lin))))
    V = np.array(list(itertools.product(*[(lo[j], up[j]) for j in range(d)])))
    sup_lo = max(sup_lo, float(np.max(np.abs(np.maximum(V @ A.T + B, 0.0) @ C + V @ lin + e))))
    sup_hi += margin
    sup_lo = max(sup_lo - margin, 0.0)
    if k == 0:
        return RealizationDistance(0, sup_lo, sup_hi, False, sup_hi, None)
    grad_hi += margin
    grad_lo = max(grad_lo - margin, 0.0)
    return RealizationDistance(1, max(sup_lo, grad_lo), max(sup_hi, grad_hi), False, sup_hi, grad_hi)
