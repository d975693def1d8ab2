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
    """``inf_{λ>0} F(λ)``, ``F(λ) = max(‖λ(a_ψ, b_ψ) − (a_γ, b_γ)‖_∞, |c_ψ/λ − c_γ|)``, for rows ``(a, b, c)``.

    Exact up to the final float rounding, with no search: each term of ``F`` is ``|λp − g|`` (a V in ``λ``)
    or ``|p_c/λ − g_c|`` (a V in ``1/λ``), so ``F`` is the upper envelope of the lines ``±(λp_j − g_j)`` and
    the hyperbolas ``±(p_c/λ − g_c)``, and its infimum over ``λ > 0`` is attained at a vertex of that
    envelope — a zero of one term, the crossing of two of the pieces (a line with a line: one root; a
    line with a hyperbola: the positive roots of a quadratic) — or approached as ``λ → 0`` or ``∞``.
    ``F`` is evaluated at every such candidate and at the two limits, and the smallest value is returned."""
    g = [float(v) for v in np.asarray(gamma, dtype=float)]
    p = [float(v) for v in np.asarray(psi, dtype=float)]
    lines = list(zip(p[:-1], g[:-1]))  # |λ·slope − offset|
    pc, gc = p[-1], g[-1]              # |pc/λ − gc|

    def F(lam: float) -> float:
        return max(max(abs(lam * pv - gv) for pv, gv in lines), abs(pc / lam - gc))

    cands: list[float] = []
    if pc != 0 and gc != 0:
        cands.append(pc / gc)  # the hyperbola's zero
    for pv, gv in lines:
        if pv != 0:
            cands.append(gv / pv)  # a line's zero
    for i, (p1, g1) in enumerate(lines):
        for p2, g2 in lines[i + 1:]:
            for sgn in (1.0, -1.0):  # λp1 − g1 = ±(λp2 − g2)
                den = p1 - sgn * p2
                if den != 0:
                    cands.append((g1 - sgn * g2) / den)
        for s2 in (1.0, -1.0):  # λp1 − g1 = s2(pc/λ − gc)  ⇔  p1 λ² + (s2 gc − g1) λ − s2 pc = 0 (only the
            qa, qb, qc = p1, s2 * gc - g1, -s2 * pc  # relative sign of the two pieces matters)
            if qa == 0:
                if qb != 0:
                    cands.append(-qc / qb)
                continue
            disc = qb * qb - 4 * qa * qc
            if disc >= 0:
                r = math.sqrt(disc)
                # the two roots without cancellation
                q = -(qb + math.copysign(r, qb)) / 2
                if q != 0:
                    cands += [q / qa, qc / q]
    vals = [F(lam) for lam in cands if lam > 0 and math.isfinite(lam)]
    # λ → ∞: the lines grow unless every slope is 0; λ → 0: the hyperbola grows unless pc = 0
    if all(pv == 0 for pv, _ in lines):
        vals.append(max(max((abs(gv) for _, gv in lines), default=0.0), abs(gc)))
    if pc == 0:
        vals.append(max(max((abs(gv) for _, gv in lines), default=0.0), abs(gc)))
    return float(min(vals)) if vals else float(F(1.0))


def rescaled_neuron_distance_search(gamma: np.ndarray, psi: np.ndarray, points: int = 4001) -> float:
    """An independent upper bound of :func:`rescaled_neuron_distance`'s infimum, by search: ``F`` on a grid of
    ``points`` values of ``s = log λ`` over ``[−24, 24]`` (spacing 0.012), then golden-section search of
    ``F(e^s)`` over the two grid cells around the best node, down to a cell of width ``2⁻⁴⁴·48 ≈ 3·10⁻¹²``
    (``s`` is a float near ``|s| ≤ 24``: finer cells would only resolve round-off). Every value returned is
    ``F`` at some ``λ > 0``, so it is ≥ the infimum.

    It is also within ``L·3·10⁻¹²`` of the infimum whenever the infimum is attained in ``[e^{−24}, e^{24}]``,
    ``L ≤ F + max_j |g_j|`` the slope of ``F(e^s)`` near it (``d/ds |λp − g| = λ|p| ≤ |λp − g| + |g|``, likewise
    for ``|p_c/λ − g_c|``): each piece of ``F`` is monotone on either side of its zero, so ``F`` is quasi-convex in
    ``s`` and strictly monotone outside its set of minimisers (a constant piece can only be the maximum at the
    minimal level), hence the best grid node's neighbours bracket a minimiser and golden section keeps it
    bracketed. Where the infimum is only approached (``λ → ∞`` with all ``p_j = 0``, ``λ → 0`` with ``p_c = 0``),
    the value at ``e^{±24}`` exceeds it by at most ``max(|p_c|, max_j |p_j|)·e^{−24}``. The claims use it to
    cross-check the candidate set of the exact computation: ``exact ≤ search`` must hold up to round-off, and
    ``exact ≥ search`` too where these conditions hold."""
    g = np.asarray(gamma, dtype=float)
    p = np.asarray(psi, dtype=float)

    def F(lam):
        lam = np.asarray(lam, dtype=float)
        lines = np.abs(lam[..., None] * p[:-1] - g[:-1]).max(axis=-1)
        return np.maximum(lines, np.abs(p[-1] / lam - g[-1]))

    s = np.linspace(-24.0, 24.0, points)
    vals = F(np.exp(s))
    i = int(np.argmin(vals))
    best = float(vals[i])
    lo, hi = float(s[max(i - 1, 0)]), float(s[min(i + 1, points - 1)])
    ratio = (math.sqrt(5.0) - 1.0) / 2.0
    x1, x2 = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    f1, f2 = float(F(math.exp(x1))), float(F(math.exp(x2)))
    while hi - lo > 48.0 * 2.0**-44:
        if f1 <= f2:  # a minimiser lies in [lo, x2]
            hi, x2, f2 = x2, x1, f1
            x1 = hi - ratio * (hi - lo)
            f1 = float(F(math.exp(x1)))
        else:         # a minimiser lies in [x1, hi]
            lo, x1, f1 = x1, x2, f2
            x2 = lo + ratio * (hi - lo)
            f2 = float(F(math.exp(x2)))
        best = min(best, f1, f2)
    return best


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
