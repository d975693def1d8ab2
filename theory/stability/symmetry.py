"""Parameter distances modulo the symmetries of the shallow ReLU realization map (Berner, Elbrächter &
Grohs, NeurIPS 2019, arXiv 1905.09803, Sections 2–3).

The realization ``R(Φ)(x) = Σ_i c_i ρ(⟨a_i, x⟩ + b_i) + e`` does not change under

- permutations of the neurons;
- positive rescalings ``(a_i, b_i, c_i) ↦ (λ a_i, λ b_i, c_i/λ)``, ``λ > 0`` (pathology "rescaling");
- on all of ``ℝ^d``, *compensating flips*: ``(a_i, b_i) ↦ (−a_i, −b_i)`` for ``i ∈ F`` with
  ``Σ_{i∈F} c_i a_i = 0`` and ``e ↦ e + Σ_F c_i b_i`` (because ``ρ(z) − ρ(−z) = z``).

Two distances:

- :func:`param_distance`: the issue's "distance modulo the symmetries": each neuron is replaced by the
  balanced representative of its rescaling orbit (``|c| = ‖(a, b)‖₂``), then the best permutation
  (a bottleneck assignment, since ``‖·‖_∞`` is a maximum), optionally also over compensating flips.
  For balanced Γ it is the smallest ``‖Φ − Γ‖_∞`` over the *balanced* parametrizations Φ in the orbit.
- :func:`orbit_distance`: ``inf ‖Φ − Γ‖_∞`` over the whole orbit of Ψ (any positive rescalings), Γ kept
  as it is. This is the quantity of the paper's definition of inverse stability when Γ need not be
  balanced, and when :func:`orbit_is_complete` holds it is the infimum over *every* width-N
  parametrization of ``R(Ψ)`` on ``D``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import linear_sum_assignment

from theory.common.shallow_relu_net import ShallowReLUNet, as_box, balanced_parameters, kinks_1d
from theory.stability.distance import check_pair


@dataclass(frozen=True)
class ParameterDistance:
    """``min ‖Φ' − Ψ'‖_∞`` over the symmetry orbit; ``permutation[i]`` is the neuron of Ψ matched to
    neuron ``i`` of Φ, ``flipped`` the neurons of Φ whose orientation was flipped."""

    value: float
    neurons: float
    bias: float
    permutation: tuple[int, ...]
    flipped: tuple[int, ...] = ()

    def __float__(self) -> float:
        return self.value


def bottleneck_assignment(cost: np.ndarray) -> tuple[float, np.ndarray]:
    """``min_π max_i cost[i, π(i)]`` and an optimal ``π`` (ties broken by the smallest sum).

    Binary search over the distinct costs; a threshold ``τ`` is feasible iff
    :func:`scipy.optimize.linear_sum_assignment` finds a zero-cost perfect matching of ``[cost > τ]``."""
    cost = np.asarray(cost, dtype=float)
    n = cost.shape[0] if cost.ndim == 2 else 0
    if cost.ndim != 2 or cost.shape != (n, n) or n == 0:
        raise ValueError(f"cost: expected a non-empty square matrix, got shape {cost.shape}")
    if not np.all(np.isfinite(cost)):
        raise ValueError("cost: expected finite entries")
    vals = np.unique(cost)
    lo, hi = 0, len(vals) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        mask = (cost > vals[mid]).astype(float)
        r, c = linear_sum_assignment(mask)
        if mask[r, c].sum() == 0:
            hi = mid
        else:
            lo = mid + 1
    tau = float(vals[lo])
    big = float(cost.max()) * (n + 1) + 1.0
    r, c = linear_sum_assignment(np.where(cost <= tau, cost, big))
    return tau, c


def _same_width(Phi: ShallowReLUNet, Psi: ShallowReLUNet) -> None:
    check_pair(Phi, Psi)
    if Phi.width != Psi.width:
        raise ValueError(f"Psi: expected width {Phi.width} (that of Phi), got {Psi.width}")


def raw_param_distance(Phi: ShallowReLUNet, Psi: ShallowReLUNet) -> float:
    """``‖Φ − Ψ‖_∞`` entry by entry, no symmetry (the paper's parameter norm)."""
    _same_width(Phi, Psi)
    return float(max(np.abs(Phi.parameters() - Psi.parameters()).max(), abs(float(Phi.e) - float(Psi.e))))


def _neuron_cost(P: np.ndarray, Q: np.ndarray) -> np.ndarray:
    return np.abs(P[:, None, :] - Q[None, :, :]).max(axis=2)


def compensating_flips(Phi: ShallowReLUNet, max_width: int = 14) -> list[tuple[int, ...]]:
    """The non-empty sets ``F`` of neurons with ``Σ_{i∈F} c_i a_i = 0`` exactly: flipping them,
    ``(a_i, b_i) ↦ (−a_i, −b_i)`` and ``e ↦ e + Σ_F c_i b_i``, preserves the realization on all of ``ℝ^d``
    (``ρ(z) − ρ(−z) = z``). Exhaustive over ``2^N`` subsets (float prefilter, exact confirmation)."""
    if not isinstance(Phi, ShallowReLUNet):
        raise ValueError(f"Phi: expected a ShallowReLUNet, got {type(Phi).__name__}")
    if Phi.width > max_width:
        raise ValueError(f"Phi: flip search is exhaustive over 2^N subsets; expected N <= {max_width}, "
                         f"got N = {Phi.width}")
    X = Phi.to_exact()
    ca = Phi.c.astype(float)[:, None] * Phi.a.astype(float)
    scale = np.abs(ca).sum() + 1e-300
    out = []
    for size in range(1, Phi.width + 1):
        for F in itertools.combinations(range(Phi.width), size):
            if np.abs(ca[list(F)].sum(axis=0)).max() > 1e-9 * scale:
                continue
            if all(sum((X.c[i] * X.a[i, j] for i in F), Fraction(0)) == 0 for j in range(X.dim)):
                out.append(F)
    return out


def flip(Phi: ShallowReLUNet, F) -> ShallowReLUNet:
    """Flip the orientation of the neurons in ``F`` (exact): ``(a, b, c) ↦ (−a, −b, c)``,
    ``e ↦ e + Σ_F c_i b_i``; the realization changes by ``−Σ_F c_i ⟨a_i, x⟩`` (0 for a compensating ``F``)."""
    X = Phi.to_exact()
    a, b = X.a.copy(), X.b.copy()
    e = X.e
    for i in F:
        if not 0 <= int(i) < X.width:
            raise ValueError(f"F: expected neuron indices in [0, {X.width}), got {i}")
        a[i] = -a[i]
        b[i] = -b[i]
        e += X.c[i] * X.b[i]
    return ShallowReLUNet(a, b, X.c, e)


def param_distance(Phi: ShallowReLUNet, Psi: ShallowReLUNet, symmetries: bool = True,
                   flips: bool = False) -> ParameterDistance:
    """Parameter distance modulo the symmetries of the realization map (BEG 2019, Sections 2–3).

    .. math:: d(Φ, Ψ) = \\min_{π ∈ S_N} \\max\\big(\\max_i ‖β(φ_i) − β(ψ_{π(i)})‖_∞,\\ |e_Φ − e_Ψ|\\big),

    ``β`` the balanced representative of a neuron's rescaling orbit
    (:func:`theory.common.shallow_relu_net.balanced_parameters`). The inner min-max is a bottleneck assignment
    (:func:`bottleneck_assignment`). With ``flips=True`` the minimum also runs over the exact
    compensating flips of Φ (:func:`compensating_flips`). ``symmetries=False``: the raw ``‖Φ − Ψ‖_∞``.
    Computed in float64 (relative error ~1e-16); realization distances are the exact ones.
    """
    _same_width(Phi, Psi)
    if not symmetries:
        v = raw_param_distance(Phi, Psi)
        return ParameterDistance(v, v, abs(float(Phi.e) - float(Psi.e)), tuple(range(Phi.width)))
    Q = balanced_parameters(Psi)
    candidates = [((), Phi)]
    if flips:
        candidates += [(F, flip(Phi, F)) for F in compensating_flips(Phi)]
    best = None
    for F, P in candidates:
        tau, perm = bottleneck_assignment(_neuron_cost(balanced_parameters(P), Q))
        bias = abs(float(P.e) - float(Psi.e))
        val = max(tau, bias)
        if best is None or val < best.value:
            best = ParameterDistance(val, tau, bias, tuple(int(j) for j in perm), tuple(F))
    return best


# ----------------------------------------------------------------------------------------------------
# the orbit of Ψ, Γ fixed
# ----------------------------------------------------------------------------------------------------
def rescaled_neuron_distance(gamma: np.ndarray, psi: np.ndarray) -> float:
    """``inf_{λ>0} max(‖λ(a_ψ, b_ψ) − (a_γ, b_γ)‖_∞, |c_ψ/λ − c_γ|)`` for rows ``(a, b, c)``.

    Each term is quasi-convex in ``log λ`` (a V or a monotone function), so their maximum is unimodal:
    a coarse grid in ``log λ`` brackets the minimum and a golden-section search refines it (relative
    accuracy ~1e-12). ``λ`` ranges over ``[2^{-80}, 2^{80}]`` (the infimum over ``λ → 0`` or ``∞`` is reached
    to ~1e-24)."""
    g = [float(v) for v in np.asarray(gamma, dtype=float)]
    p = [float(v) for v in np.asarray(psi, dtype=float)]
    gab, gc = np.array(g[:-1]), g[-1]
    pab, pc = np.array(p[:-1]), p[-1]
    pairs = list(zip(p[:-1], g[:-1]))

    def f(s: float) -> float:
        lam = math.exp(s)
        return max(max(abs(lam * pv - gv) for pv, gv in pairs), abs(pc / lam - gc))

    grid = np.linspace(-80 * math.log(2), 80 * math.log(2), 641)
    lam = np.exp(grid)
    vals = np.maximum(np.abs(lam[:, None] * pab[None, :] - gab[None, :]).max(axis=1), np.abs(pc / lam - gc))
    i = int(np.argmin(vals))
    lo, hi = float(grid[max(i - 1, 0)]), float(grid[min(i + 1, len(grid) - 1)])
    phi = (math.sqrt(5) - 1) / 2
    x1, x2 = hi - phi * (hi - lo), lo + phi * (hi - lo)
    f1, f2 = f(x1), f(x2)
    for _ in range(60):
        if f1 <= f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - phi * (hi - lo)
            f1 = f(x1)
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + phi * (hi - lo)
            f2 = f(x2)
    return float(min(vals[i], f1, f2))


def orbit_distance(Gamma: ShallowReLUNet, Psi: ShallowReLUNet, flips: bool = True) -> ParameterDistance:
    """``inf ‖Φ − Γ‖_∞`` over the parametrizations Φ in the symmetry orbit of Ψ (permutations, positive
    rescalings of each neuron and, with ``flips``, compensating flips of Ψ); Γ is *not* rebalanced.

    BEG 2019, Definition 1.1 asks for a parametrization Φ of ``g = R(Ψ)`` close to Γ; when
    :func:`orbit_is_complete` holds for Ψ, every width-N parametrization of ``g`` on ``D`` lies in this orbit
    and the value is that infimum exactly. Per neuron pair the rescaling is optimised by
    :func:`rescaled_neuron_distance`; then a bottleneck assignment. Float64.
    """
    _same_width(Gamma, Psi)
    G = Gamma.to_float()
    g = np.column_stack([G.a, G.b, G.c])
    candidates = [((), Psi)]
    if flips:
        candidates += [(F, flip(Psi, F)) for F in compensating_flips(Psi)]
    best = None
    for F, P in candidates:
        Pf = P.to_float()
        p = np.column_stack([Pf.a, Pf.b, Pf.c])
        cost = np.array([[rescaled_neuron_distance(g[i], p[j]) for j in range(len(p))] for i in range(len(g))])
        tau, perm = bottleneck_assignment(cost)
        bias = abs(float(G.e) - float(Pf.e))
        val = max(tau, bias)
        if best is None or val < best.value:
            best = ParameterDistance(val, tau, bias, tuple(int(j) for j in perm), tuple(F))
    return best


@dataclass(frozen=True)
class OrbitCompleteness:
    """Whether every width-N parametrization of ``R(Ψ)`` on ``D`` lies in Ψ's symmetry orbit, and why not."""

    complete: bool
    reason: str

    def __bool__(self) -> bool:
        return self.complete


def orbit_is_complete(Psi: ShallowReLUNet, domain) -> OrbitCompleteness:
    """1-D criterion: every neuron of Ψ has a non-zero derivative jump at a kink strictly inside ``D`` and
    the kinks are pairwise distinct.

    Proof. Then ``R(Ψ)`` has exactly N breakpoints in the interior of ``D``. A neuron of any width-N
    parametrization Φ of ``R(Ψ)`` has at most one breakpoint in ``D``, so each of Φ's N neurons carries
    exactly one of them with the same jump ``c|a|``: it is a positive rescaling of the corresponding
    neuron of Ψ or of its flip ``(−a, −b, c)``. Matching the affine parts on ``D`` forces the flipped set
    ``F`` to satisfy ``Σ_F c_i a_i = 0`` and ``e`` to absorb ``Σ_F c_i b_i``: a compensating flip. ∎
    """
    if not isinstance(Psi, ShallowReLUNet):
        raise ValueError(f"Psi: expected a ShallowReLUNet, got {type(Psi).__name__}")
    box = as_box(domain)
    if Psi.dim != 1 or box.dim != 1:
        return OrbitCompleteness(False, "the criterion is for d = 1")
    kinks, _ = kinks_1d(Psi)
    if len(kinks) != Psi.width:
        return OrbitCompleteness(False, "a neuron has a = 0 or c = 0 (no kink)")
    lo, up = box.lower[0], box.upper[0]
    if not all(lo < k.t < up for k in kinks):
        return OrbitCompleteness(False, "a kink lies outside the open domain (inactive or affine neuron)")
    if len({k.t for k in kinks}) != len(kinks):
        return OrbitCompleteness(False, "two neurons share a kink")
    return OrbitCompleteness(True, "N distinct kinks inside D, all with non-zero jumps")
