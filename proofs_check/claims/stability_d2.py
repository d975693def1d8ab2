"""Claims of Berner, Elbrächter & Grohs (NeurIPS 2019, arXiv 1905.09803) in two input dimensions: the inverse
stability of shallow ReLU networks on the oriented restricted set in ``d = 2`` (Theorem 3.1, stated for
``d ≥ 1``), three pathologies of Section 2 in ``d = 2``, the restricted-set projection in ``d = 2`` and the
expressivity of the restricted set (Section 3), trained from fresh starts.

Every realization distance is the certified ``W^{1,∞}([−1, 1]²)`` bracket of
:func:`theory.stability.d2.w1inf_bracket` (``‖f‖ = max(sup|f|, sup|∇f|₂)``: ``sup|f|`` and ``sup|∇f|₂²`` exact
rationals from the vertices of the arrangement of kink lines and the sectors around them, the square root
bracketed by rationals of relative width ``≤ 2^{−120}``). How the bracket's width enters each decision is
stated in each claim. The restricted set is R1–R4 (balanced, kink line meeting the open square, normalized
directions pairwise distinct and not antipodal) and R5 (orientation: ``a_{i,1} > 0``), checked exactly with
:func:`theory.stability.api.is_restricted` at every rung. All claims are opt-in (``default = False``).
See ``docs/stability.md`` (section "Inverse stability in d = 2").
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

from proofs_check.claim import Claim, Kind, Knob, KnobKind, Ladder, Method, Prediction
from proofs_check.claims import stability as _stability
from proofs_check.crn import child
from proofs_check.papers import Statement
from theory.stability.api import compensating_flips, is_restricted, param_distance, restrict
from theory.stability.d2 import (
    SQUARE,
    inverse_stability_exponent_2d,
    modulus_instance_2d,
    move_pair_2d,
    pathology_exponent_2d,
    pathology_family_2d,
    project_2d,
    random_unrestricted_2d,
    w1inf_bracket,
)

#: the largest relative width of a certified bracket that a claim accepts (it is ≤ 2^{−120} by construction)
MAX_BRACKET_WIDTH = 1e-20


def _rng(seed: np.random.SeedSequence, stream: int) -> np.random.Generator:
    return np.random.default_rng(child(seed, stream))


def _certified(bracket, name: str):
    if bracket.relative_width > MAX_BRACKET_WIDTH:
        raise AssertionError(f"{name}: certified bracket too wide ({bracket.relative_width:g})")
    return bracket


# ====================================================================================================
# inverse stability in d = 2 (Theorem 3.1, d ≥ 1)
# ====================================================================================================
MODULUS_BASE = 3
MODULUS_MOVES = 8


def _to_box(line, box):
    """The line ``⟨n, z⟩ + β = 0`` of ``[−1, 1]²`` carried to the box by ``z ↦ c + h∘z``: ``(n/h, β − ⟨n/h, c⟩)``
    (exact; the identity on the square)."""
    (n, beta), ((l1, l2), (u1, u2)) = line, box
    m = (n[0] * 2 / (u1 - l1), n[1] * 2 / (u2 - l2))
    return m, beta - m[0] * (u1 + l1) / 2 - m[1] * (u2 + l2) / 2


def _instance_on_box(rows, mvs, box):
    """A square instance (:func:`theory.stability.d2.modulus_instance_2d`) carried to ``box`` (:func:`_to_box`):
    jumps, move kinds and the bias shift unchanged."""
    rows = [(*_to_box((n, beta), box), J) for n, beta, J in rows]
    out = []
    for mv in mvs:
        if mv.kind == "relocate":
            (n1, b1, j1), (n2, b2, j2) = mv.src, mv.dst
            mv = dataclasses.replace(mv, src=(*_to_box((n1, b1), box), j1), dst=(*_to_box((n2, b2), box), j2))
        out.append(mv)
    return rows, out


@lru_cache(maxsize=64)
def _instance(entropy: int, spawn_key: tuple, box=SQUARE, base: int = MODULUS_BASE, moves: int = MODULUS_MOVES):
    """Base, moves and each move's certified unit bracket ``‖h₁‖`` on ``box`` (``R(Φ) − R(Γ) = α h₁``) for one
    seed and setting."""
    rng = np.random.default_rng(np.random.SeedSequence(entropy=entropy, spawn_key=spawn_key))
    rows, e, mvs = modulus_instance_2d(rng, base, moves)
    rows, mvs = _instance_on_box(rows, mvs, box)
    unit = [w1inf_bracket(*move_pair_2d(rows, e, mv, 1), box) for mv in mvs]
    return rows, e, mvs, unit


class InverseStability2D(Claim):
    """Theorem 3.1 in ``d = 2``, the exponent (BEG 2019; stated there for inputs in ``ℝ^d``; the form checked is
    the reconstruction with the orientation condition R5, ``docs/stability.md``): on the restricted set of
    shallow ReLU networks on ``D = [−1, 1]²`` (balanced, kink lines meeting the interior of ``D``, normalized
    directions pairwise distinct and not antipodal, ``a_{i,1} > 0``),
    ``min_π ‖πΦ − Γ‖_∞ ≤ C ‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)}^{1/2}``, and ½ is the best exponent
    (:func:`theory.stability.d2.inverse_stability_exponent_2d`).

    Measured: the worst case ``ω(ε) = max_m dist_param(Φ_m, Γ_m)`` of a random instance (the seed picks it:
    :func:`theory.stability.d2.modulus_instance_2d`, a base of 3 oriented balanced neurons on random lines and
    8 moves — 4 relocations of a small neuron to another line with another jump, 3 jump changes of a base
    neuron, a bias shift), each move scaled to realization distance ε: ``R(Φ) − R(Γ) = α h₁`` exactly (the
    base cancels), so with the certified bracket ``[w₋, w₊]`` of ``‖h₁‖_{W^{1,∞}}`` the amplitude ``α = ε/w₊``
    puts the distance in ``[ε w₋/w₊, ε]``; at every rung the exact parts of the actual pair's bracket
    (``sup|f|``, ``sup|∇f|₂²``) are recomputed and checked to be ``α`` and ``α²`` times those of ``h₁`` (so the
    pair's distance lies in ``α[w₋, w₊] = [ε w₋/w₊, ε]``), and both nets to lie in R1–R5 (exact). Distances modulo permutation and
    rescaling (:func:`theory.stability.api.param_distance`). ``ε = 4^{−1}, …, 4^{−7}``. A relocated neuron of jump
    ``~ε`` has balanced entries exactly proportional to ``ε^{1/2}``; jump changes and bias shifts move the
    parameters by ``O(ε)``: ``ω(ε) = c ε^{1/2}`` once relocations dominate.

    How the bracket enters: the realization distance of every pair is only known to lie in ``[ε(1 − w), ε]``
    with ``w`` the bracket's relative width (``≤ 2^{−120}``; the experiment raises, an ERROR and never a
    pass, if ``w > 10⁻²⁰``). The slope fitted against either end of the bracket differs from the slope
    against ``ε`` by at most ``2 |log(1 − w)| / log 4 < 10⁻²⁰`` per local slope, so the union of the two
    intervals is the engine's interval widened by less than its numerical slack ``10⁻⁹``: deciding on
    ``ε`` is deciding on the union.

    Decision: ``deterministic`` (the seed only picks the instance): per instance the top local slope with one
    Richardson step of order ½ (the next term of ``ω`` is ``O(ε^{1/2})`` relative: a Lipschitz move), intersected
    over the instances; no tolerance. Knob: the exponent. Mutants: exponent 1 (a Lipschitz inverse) and
    exponent 0 (no stability on R1–R5).

    Explorable (``--explore N``; :func:`proofs_check.strategies.stability_d2.modulus_settings_2d`): the setting
    ``{"domain": [[l₁, l₂], [u₁, u₂]], "base": n, "moves": m}`` (default ``[−1, 1]²``, 3, 8) ranges over boxes
    with half-widths in ``[1/4, 3/2]`` and centre in ``[−1, 1]²`` (elongated and off-centre ones included),
    ``n ∈ [1, 6]`` base neurons and ``m ∈ [2, 16]`` moves. The instance's lines are drawn for the square and
    carried to ``D`` by the affine map onto it (exact: :func:`_to_box`), so they meet the interior of ``D`` and
    keep R5 and distinct directions; distances, brackets and R1–R5 are computed on ``D``. The exponent ½ holds
    on every box (the argument of :func:`theory.stability.d2.inverse_stability_exponent_2d` bounds a neuron's
    gradient jump by ``2ε`` on any domain), and the mutants stay refuted: every instance has a relocation
    (``m ≥ 2``), whose parameters move exactly like ``ε^{1/2}``. Half-widths above ``3/2`` are refused: there
    a jump move of amplitude ``ε = 1/4`` can cancel a base neuron (``α|δ| ≤ ε·max h`` against ``|J| ≥ ½``),
    which would leave R1. No ``explore`` ladder: the quick one (3 instances, 7 rungs) takes about a second
    per setting.
    """

    id = "stability.d2.inverse"
    paper = "stability"
    reference = "Theorem 3.1 (with R5), d = 2"
    title = "inverse stability in d = 2: modulus of continuity ε^{1/2}"
    quantity = "worst parameter distance at W^{1,∞}([−1,1]²) distance ε"
    kind = Kind.RATE
    method = Method.CONVERGENCE
    default = False
    ladders = {"quick": Ladder("realization distance ε", tuple(4.0**-j for j in range(1, 8)), seeds=3),
               "full": Ladder("realization distance ε", tuple(4.0**-j for j in range(1, 10)), seeds=8)}
    max_interval = 0.3
    deterministic = True
    correction_order = 0.5
    correction_reason = ("ω(ε) = max over moves: relocations give c ε^{1/2} exactly (balanced entries ∝ α^{1/2}), "
                         "jump changes and bias shifts O(ε); a competing move enters at relative order ε^{1/2}: "
                         "q = ½ in log ε")

    @classmethod
    def settings(cls):
        from proofs_check.strategies.stability_d2 import modulus_settings_2d

        return modulus_settings_2d()

    @classmethod
    def default_setting(cls):
        from proofs_check.strategies.stability_d2 import DEFAULT_2D

        return DEFAULT_2D

    def check_setting(self, setting):
        from proofs_check.strategies.stability_d2 import check_modulus_setting_2d

        check_modulus_setting_2d(setting)

    def _instance_setting(self):
        """``(box, base, moves)`` of the setting (the default: the square, 3, 8)."""
        from proofs_check.strategies.stability_d2 import setting_box

        s = self.setting if self.setting is not None else self.default_setting()
        return setting_box(s), int(s["base"]), int(s["moves"])

    def predictions(self, ctx):
        return [Prediction("theory", "ω(ε) ~ ε^{1/2} (exponent ½, attained)", float(inverse_stability_exponent_2d())),
                Prediction("exponent-1", "Lipschitz inverse: ω(ε) ~ ε", 1.0, mutant=True),
                Prediction("no-stability", "no inverse stability on R1–R5 in d = 2: ω(ε) bounded below", 0.0,
                           mutant=True)]

    def experiment(self, ctx, level, seed):
        s = child(seed, 0)
        box, base, n_moves = self._instance_setting()
        rows, e, moves, unit = _instance(int(s.entropy), tuple(int(v) for v in s.spawn_key), box, base, n_moves)
        eps = Fraction(level)
        best, best_kind, lipschitz, width = 0.0, "", 0.0, 0.0
        for mv, w in zip(moves, unit):
            _certified(w, self.id)
            alpha = eps / w.upper
            Phi, Gamma = move_pair_2d(rows, e, mv, alpha)
            exact = w1inf_bracket(Phi, Gamma, box)
            if exact.sup_abs != alpha * w.sup_abs or exact.grad_sq != alpha * alpha * w.grad_sq:
                raise AssertionError(f"{self.id}: move {mv.kind} at ε = {level}: R(Φ) − R(Γ) ≠ α h₁ "
                                     f"(exact sup|f| and sup|∇f|² not homogeneous)")
            br = w.scaled(alpha)  # the certified bracket of α h₁: [ε w₋/w₊, ε]
            for name, net in (("Phi", Phi), ("Gamma", Gamma)):
                chk = is_restricted(net, box, oriented=True)
                if not chk.ok:
                    raise AssertionError(f"{self.id}: move {mv.kind}: {name} leaves R1–R5: {chk.failed}")
            dp = param_distance(Phi, Gamma).value
            width = max(width, br.relative_width)
            if mv.kind != "relocate":
                lipschitz = max(lipschitz, dp)
            if dp > best:
                best, best_kind = dp, mv.kind
        return {"omega": best, "worst_move": best_kind, "lipschitz_moves": lipschitz,
                "ratio": best / math.sqrt(level), "bracket_width": width}

    def measure(self, ctx, obs, prediction):
        return obs["omega"]

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        rows = [{"epsilon": lv, "seed": s, **o} for (lv, s), o in sorted(observations.items())]
        return {"max ω/ε^{1/2}": max(o["ratio"] for o in observations.values()),
                "max relative bracket width": max(o["bracket_width"] for o in observations.values()),
                "rows": rows}


# ====================================================================================================
# pathologies in d = 2 (Section 2)
# ====================================================================================================
class _Pathology2D(Claim):
    """Base of the 2-D pathology claims: one closed-form family of :func:`theory.stability.d2.pathology_family_2d`
    (random lines, radii and a random oriented restricted base of 2 neurons, picked by the seed). Per rung
    ``k`` the certified bracket of ``‖R(Φ_k) − R(Ψ_k)‖_{W^{1,∞}([−1,1]²)}`` is computed and its exact parts
    (``sup|f|``, ``sup|∇f|₂²``) must equal the family's closed form (else ERROR). The amplification
    ``dist_param / dist_W^{1/2}`` uses the bracket's *upper* end (the smaller amplification); with the lower end it
    is larger by a factor ``≤ (1 − w)^{−1/2}``, ``w ≤ 2^{−120}`` the relative width, so the local slopes from the
    two ends differ by less than ``10⁻²⁰`` (checked: ``w ≤ 10⁻²⁰`` or ERROR), below the engine's slack: the
    decision on one end is the decision on the union. Deterministic RATE (the seed only picks the instance):
    the top local slope (``k = 256 → 512``) with one Richardson step of order ``correction_order``,
    intersected over the instances; the predicted exponent comes from
    :func:`theory.stability.d2.pathology_exponent_2d`. Knob: the exponent."""

    paper = "stability"
    reference = "Section 2, d = 2"
    kind = Kind.RATE
    method = Method.CONVERGENCE
    default = False
    family: str
    target = "amplification"
    ladders = {"quick": Ladder("family index k", tuple(2.0**j for j in range(4, 10)), seeds=3),
               "full": Ladder("family index k", tuple(2.0**j for j in range(4, 13)), seeds=8)}
    max_interval = 0.3
    deterministic = True
    correction_order = 1.0
    correction_reason = ""
    quantity = "parameter distance / W^{1,∞} distance^{1/2}"

    def _exponent(self) -> float:
        return float(pathology_exponent_2d(self.family))

    def _family(self, seed):
        return pathology_family_2d(self.family, _rng(seed, 0), base=2)

    def check_nets(self, fam, Phi, Psi, k):  # overridden where a family must stay in a set
        pass

    def experiment(self, ctx, level, seed):
        fam = self._family(seed)
        k = int(level)
        Phi, Psi = fam.phi(k), fam.psi(k)
        br = _certified(w1inf_bracket(Phi, Psi), self.id)
        sup, g2 = fam.closed(k)
        if br.sup_abs != sup or br.grad_sq != g2:
            raise AssertionError(f"{self.id}: exact (sup|f|, sup|∇f|²) = ({br.sup_abs}, {br.grad_sq}) ≠ closed "
                                 f"form ({sup}, {g2}) at k = {k}")
        self.check_nets(fam, Phi, Psi, k)
        dp = param_distance(Phi, Psi).value
        amp = dp / math.sqrt(float(br.upper)) if br.upper > 0 else math.nan
        return {"dist_W_upper": float(br.upper), "dist_W_lower": float(br.lower), "dist_param": dp,
                "amplification": amp, "bracket_width": br.relative_width}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]

    def keep_observation(self, level, seed_index):
        return seed_index == 0

    def details(self, ctx, observations):
        return {"rows": [{"k": lv, **o} for (lv, s), o in sorted(observations.items())]}


class Pathology2DSameDirection(_Pathology2D):
    """Same direction in ``d = 2`` (BEG 2019, Section 2): ``(a_j, b_j) = λ(a_i, b_i)``, ``λ > 0``, merge into one
    neuron; with ``c_i = −λ c_j`` they cancel. ``Φ_k`` = base + ``(k u, k)`` + ``(2k u, −k/2)`` (``u ∈ ℝ³`` a rational
    unit vector: the pair realizes 0), ``Ψ_k`` = base + a bump ``(r/k) ρ(⟨n, x⟩ + β)`` on a random line + a zero
    neuron: ``‖R(Φ_k) − R(Ψ_k)‖_{W^{1,∞}} = (r/k) max(‖n‖₁ + β, ‖n‖₂)`` (checked exactly against the certified
    bracket); both cancelling neurons have balanced radius ``k`` and the distance modulo permutation and
    rescaling is exactly ``k`` (the ``c`` entries). Amplification ``~k^{3/2}``
    (:func:`theory.stability.d2.pathology_exponent_2d`). Mutants: bounded (a cancelling pair is harmless), rate 1."""

    id = "stability.d2.pathology.same_direction"
    title = "d = 2, same direction: cancelling neurons of size k near a bump of size 1/k"
    family = "same_direction"
    correction_order = 1.0
    correction_reason = ("dist_W = (r/k)·const exactly and the distance is exactly k (the c entry of a cancelling "
                         "neuron against the zero neuron): every local slope is 3/2 exactly, any q")

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / dist_W^{1/2} grows like k^{3/2}", self._exponent(),
                           target="amplification"),
                Prediction("merge-is-symmetry", "a cancelling pair is as good as a zero neuron: bounded", 0.0,
                           mutant=True, target="amplification"),
                Prediction("wrong-rate", "the ratio grows like k", 1.0, mutant=True, target="amplification")]


class Pathology2DOppositeDirections(_Pathology2D):
    """Directly opposite directions in ``d = 2`` (BEG 2019, Section 2): ``ρ(z) − ρ(−z) = z``, so the balanced pair
    ``k ρ(k z) − k ρ(−k z) = k² z``, ``z = ⟨u_a, x⟩ + u_b``, is affine. The pair at ``(u_a, u_b)`` (``Φ_k``) and at
    ``(u_a, −u_b)`` (``Ψ_k``, ``e`` shifted by ``2k² u_b``) realize the same function: the certified bracket is
    ``[0, 0]`` (checked exactly on the 2-D arrangement). The distance modulo permutation and rescaling is the
    bias ``2k²|u_b|`` (the weights differ by ``2k|u_b|``): ``~k²``
    (:func:`theory.stability.d2.pathology_exponent_2d`). Measured: that distance. Mutants: bounded, rate 1
    (weights only)."""

    id = "stability.d2.pathology.opposite_directions"
    title = "d = 2, opposite directions: same realization, distance ~ k²"
    family = "opposite_directions"
    target = "dist_param"
    quantity = "parameter distance of two parametrizations of one function"
    correction_order = 1.0
    correction_reason = "the distance is the output bias 2k²|u_b| exactly: every local slope is exactly 2, any q"

    def predictions(self, ctx):
        return [Prediction("theory", "distance modulo symmetries grows like k²", self._exponent(), target="dist_param"),
                Prediction("bounded", "the affine function pins its parametrization", 0.0, mutant=True,
                           target="dist_param"),
                Prediction("weights-only", "distance grows like k", 1.0, mutant=True, target="dist_param")]


class Pathology2DCompensatingFlip(_Pathology2D):
    """Compensating flips in ``d = 2`` inside R1–R4 (a finding on BEG 2019, Theorem 3.1 as reconstructed in
    ``docs/stability.md``; in ``d = 2`` a flip needs three neurons, since two non-parallel jump vectors cannot
    cancel). Three balanced neurons on random lines with jumps ``J_i`` along unit normals ``n_i``,
    ``Σ J_i n_i = δ/k`` (solved exactly); ``Ψ_k`` flips all three, ``(a, b) ↦ (−a, −b)``, and adjusts ``e``:
    ``R(Ψ_k) − R(Φ_k) = −⟨δ, x⟩/k``, ``‖·‖_{W^{1,∞}([−1,1]²)} = ‖δ‖₁/k`` (checked exactly). Both nets are in R1–R4
    at every rung (checked), ``Φ_k`` is in R5 and ``Ψ_k`` is not (checked: R5 is what excludes the flip); ``Ψ_k`` has
    no compensating flip of its own (exhaustive, exact: so its lines and jumps fix its parametrization up to
    permutation and rescaling), and the flipped neurons stay ``O(1)`` from Φ_k's: amplification
    ``~k^{1/2}`` (:func:`theory.stability.d2.pathology_exponent_2d`): no uniform constant on R1–R4 in ``d = 2``
    either. Mutants: bounded (the reconstructed theorem on R1–R4), rate 1."""

    id = "stability.d2.pathology.compensating_flip"
    reference = "Theorem 3.1 (reconstruction), d = 2"
    title = "d = 2, compensating flips in R1–R4: ratio to dist^{1/2} ~ k^{1/2}"
    family = "compensating_flip"
    correction_order = 1.0
    correction_reason = ("the jumps are affine in 1/k (J = J⁰ + J¹/k, solved exactly), so the balanced entries and "
                         "the bottleneck distance are analytic in 1/k away from a change of the optimal matching: "
                         "dist = d₀(1 + O(1/k)), dist_W = ‖δ‖₁/k exactly, q = 1")

    def check_nets(self, fam, Phi, Psi, k):
        for name, net in (("Phi", Phi), ("Psi", Psi)):
            chk = is_restricted(net, SQUARE)
            if not chk.ok:
                raise AssertionError(f"{self.id}: {name}_k leaves R1–R4: {chk.failed}")
        if not is_restricted(Phi, SQUARE, oriented=True).ok or is_restricted(Psi, SQUARE, oriented=True).ok:
            raise AssertionError(f"{self.id}: expected Φ_k in R5 and Ψ_k not")
        if compensating_flips(Psi):
            raise AssertionError(f"{self.id}: Ψ_k has a compensating flip; its orbit is larger")

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / dist_W^{1/2} grows like k^{1/2} (R1–R4 not enough)",
                           self._exponent(), target="amplification"),
                Prediction("reconstructed-theorem", "uniform C on R1–R4: bounded", 0.0, mutant=True,
                           target="amplification"),
                Prediction("wrong-rate", "the ratio grows like k", 1.0, mutant=True, target="amplification")]


# ====================================================================================================
# the restricted-set projection in d = 2 (Section 3)
# ====================================================================================================
class Projection2D(Claim):
    """The restricted-set projection in ``d = 2`` (BEG 2019, Section 3: restricting to the set of Theorem 3.1
    loses nothing in the closure). A random exact 2-D network with every pathology of Section 2 (inactive and
    affine neurons, an unbalanced neuron, a same-direction and an opposite-direction pair;
    :func:`theory.stability.d2.random_unrestricted_2d`, the seed picks it) is projected by
    :func:`theory.stability.d2.project_2d`: merge, drop, flip and balance exactly
    (:func:`theory.stability.api.restrict`: ``R(Φ) = R(net) + ⟨s, x⟩`` on ``D``), then the affine remainder
    ``⟨s, x⟩`` as one restricted neuron whose line cuts the corner of ``D`` where ``⟨s, x⟩`` is smallest at
    distance ``δ`` (the rung) along ``ŝ = s/‖s‖₁``. The error is ``‖s‖₁ (m + δ − ⟨ŝ, x⟩)₊``, largest at that corner:
    ``sup_D |R(P_δ Φ) − R(Φ)| = ‖s‖₁ δ`` exactly. Measured, exactly (the ``sup|f|`` part of the certified
    bracket is an exact rational, so the bracket's width does not enter): ``sup|R(P_δΦ) − R(Φ)| / (‖s‖₁ δ)``,
    predicted ``1`` (TIGHT, tolerance 0: exact arithmetic); the projected net is checked to lie in R1–R4 at
    every rung (exact). The gradient error is ``‖s‖₂`` on the corner region, not small: the projection is
    close in ``L^∞`` only (in the details). Mutants: the Euclidean norm (``sup = ‖s‖₂ δ``) and a lossless
    projection (``sup = 0``). Knob: the constant 1 (any change is refuted)."""

    id = "stability.d2.projection"
    paper = "stability"
    reference = "Section 3, d = 2"
    title = "d = 2 restricted-set projection: sup error ‖s‖₁δ exactly"
    quantity = "sup |R(P_δΦ) − R(Φ)| / (norm of s · δ)"
    kind = Kind.TIGHT
    method = Method.HIGH_PRECISION
    default = False
    ladders = {"quick": Ladder("corner offset δ", tuple(2.0**-j for j in range(1, 5)), seeds=3),
               "full": Ladder("corner offset δ", tuple(2.0**-j for j in range(1, 8)), seeds=8)}
    tolerance = 0.0
    tolerance_reason = "exact rational arithmetic (the sup part of the bracket is exact)"

    def predictions(self, ctx):
        return [Prediction("theory", "sup error = ‖s‖₁ δ", 1.0, target="l1"),
                Prediction("euclidean", "sup error = ‖s‖₂ δ", 1.0, mutant=True, target="l2"),
                Prediction("lossless", "the projection keeps the realization (error 0)", 0.0, mutant=True,
                           target="l1")]

    def knobs(self, ctx, theory):
        return [Knob("constant", KnobKind.CONSTANT, lambda e: dataclasses.replace(theory, value=theory.value * (1 + e)),
                     "the constant 1 of ‖s‖₁ δ", remeasure=False)]

    def experiment(self, ctx, level, seed):
        rng = _rng(seed, 0)
        while True:
            Phi = random_unrestricted_2d(rng, 7)
            if any(v != 0 for v in restrict(Phi, SQUARE).slope):
                break
        delta = Fraction(level)
        P, err = project_2d(Phi, delta)
        chk = is_restricted(P, SQUARE)
        if not chk.ok:
            raise AssertionError(f"{self.id}: the projection leaves R1–R4: {chk.failed}")
        br = w1inf_bracket(P, Phi)
        s = restrict(Phi, SQUARE).slope
        l2 = math.sqrt(float(sum(v * v for v in s)))
        return {"l1": float(br.sup_abs / err), "l2": float(br.sup_abs) / (l2 * float(delta)),
                "gradient_error": math.sqrt(float(br.grad_sq)), "width_in": Phi.width, "width_out": P.width}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        return {"rows": [{"delta": lv, "seed": s, **o} for (lv, s), o in sorted(observations.items())]}


# ====================================================================================================
# expressivity of the restricted set in d = 2 (Section 3), trained from fresh starts
# ====================================================================================================
#: data: the midpoints of an m × m grid of square cells of [−1, 1]² (side h = 2/m)
EXPRESSIVITY_GRID = 32
#: trainings per width N on each side: RESTARTS · 2^N (the same starts on both sides)
EXPRESSIVITY_RESTARTS = 16


def _target_2d(X: np.ndarray) -> np.ndarray:
    return np.sin(2.0 * X[:, 0] + X[:, 1]) + 0.5 * X[:, 0] * X[:, 1]


def _chart(start: np.ndarray) -> np.ndarray:
    """An unrestricted start ``(a₁, a₂, b)`` per neuron in the restricted chart ``(θ, γ)``: the same normal
    direction, the offset ``b/‖a‖`` clipped into ``(−κL, κL)`` (a line that misses the square starts near its
    boundary, not saturated). Only the *starting point* is mapped; nothing trained is projected."""
    from numerics.stability.d2 import KAPPA

    s = start.reshape(-1, 3)
    th = np.arctan2(s[:, 1], s[:, 0])
    L = np.abs(np.cos(th)) + np.abs(np.sin(th))
    u = np.clip(s[:, 2] / np.hypot(s[:, 0], s[:, 1]) / (KAPPA * L), -0.95, 0.95)
    return np.column_stack([th, np.arctanh(u)]).ravel()


class Expressivity2D(Claim):
    """Expressivity of the restricted set in ``d = 2`` (BEG 2019, Section 3: "by optimizing over such restricted
    sets, it is still possible to learn any function which can be learned by optimization over unrestricted
    sets"), checked by training both parametrizations independently from fresh starts on the same data.

    Setting: target ``f*(x) = sin(2x₁ + x₂) + x₁x₂/2``, data at the ``M = 32²`` cell midpoints of ``D = [−1, 1]²``
    (cells of side ``h = 1/16``, strictly inside ``D``), square loss ``L = (1/M) Σ_j (f(x_j) − f*(x_j))²``, width
    ``N`` (the rung: 1–2 quick, 1–3 full). Both sides are trained by :func:`numerics.stability.d2.train_vp_2d` (outer
    weights and bias by exact least squares, the inner parameters by Levenberg–Marquardt), ``16 · 2^N`` trainings each, from
    the same random starts ``(a_i, b_i) ~ N(0, I₃)``:

    - unrestricted: ``e + Σ c_i ρ(⟨a_i, x⟩ + b_i)``, lines anywhere (inactive, affine, merged, opposite neurons);
      ``L_u`` the best loss;
    - restricted: ``e + Σ J_i ρ(⟨n(θ_i), x⟩ + κ L(θ_i) tanh γ_i)``, ``n(θ) = (cos θ, sin θ)``, ``L = ‖n‖₁``,
      ``κ = 1 − 10⁻⁹``: every line meets the open square (R2), balanced by rescaling (R1), directions distinct
      (R3–R4, checked on the result); both orientations are reached continuously through θ (no R5, which would
      cost expressivity as in 1-D). The start is the unrestricted start's direction, its offset clipped into
      ``[−0.95 κL, 0.95 κL]`` (so no start is saturated in ``tanh``). ``L_r`` the best loss.

    No projection: the restricted nets never see a trained unrestricted one. Why the statement holds on these
    data: a line cutting a corner of ``D`` between the corner and the nearest data point makes a restricted
    neuron exactly affine on the data, and an inactive or merged neuron frees a slot, so the minimum over
    R1–R4 at width ``N`` equals the unrestricted one on the data.

    Bound and derived allowance (leading order in ``h``): ``L = ¼[∫_D g − Σ_Q E_Q]``, ``g = (f − f*)²``, ``E_Q`` the
    midpoint-rule error on cell ``Q``; for ``ψ = ρ(⟨n, x⟩ + β)``, ``‖n‖₂ = 1``, ``0 ≤ ∫_Q ψ − h² ψ(m_Q) ≤ h³ ‖n‖₁ / 2``
    on a cell crossed by the line (``ψ`` deviates from an affine function by at most ``(h/2)‖n‖₁`` there) and 0
    elsewhere; ``g`` has the kink ``2 r J_i ψ_i`` (``r = f − f*``, ``J_i = c_i‖a_i‖₂``), so ``L`` is a smooth function of
    the parameters minus a ripple of amplitude at most ``A = (h³/4) Σ_i |J_i| ‖n_i‖₁ Σ_{Q crossed} |r(m_Q)|``
    (:func:`numerics.stability.d2.ripple_allowance_2d`), whose spurious minima trap training; two nets in one
    smooth basin differ by at most ``A_r + A_u``. Measured: ``(L_r − A_r − A_u)/L_u``, predicted ``≤ 1`` (BOUND, every
    width and seed). At ``h = 1/16`` the allowance is large (``(A_r + A_u)/L_u`` ≈ 0.03 at ``N = 1``, 0.1–0.3 at ``N = 2``, up to ~0.75 at
    ``N = 3``; raw ratios in the details): the check is coarse, a restriction that lost a fixed fraction is still caught.

    Mutants: ``central-lines`` — restricting further to lines through the origin (``β ≡ 0``) reaches the same
    loss: measured ``(L_c − A_c − A_u)/L_u`` (4 trainings per width; ~2.5–15× the unrestricted loss);
    ``fixed-fraction`` — the restriction loses a fixed fraction, ``L_r ≥ 1.5 L_u``. Knob: the bound 1 (tightened
    only: a one-sided bound; resolved by the width-1 rung, where the allowance is smallest).

    Not in the default run (``default = False``): the bound's premise is that training finds the restricted
    optimum, which is not derived, and the ripple allowance is a leading-order bound in ``h``."""

    id = "stability.d2.expressivity"
    paper = "stability"
    reference = "Section 3, d = 2"
    title = "d = 2: trained restricted nets reach the trained unrestricted loss"
    quantity = "(L_restricted − ripple allowances) / L_unrestricted"
    kind = Kind.BOUND
    method = Method.BOUND
    default = False
    ladders = {"quick": Ladder("width N", (1.0, 2.0), seeds=3),
               "full": Ladder("width N", (1.0, 2.0, 3.0), seeds=6)}
    rtol = 0.0

    def setup(self, budget):
        m = EXPRESSIVITY_GRID
        h = 2.0 / m
        g = -1.0 + h * (np.arange(m) + 0.5)
        X = np.column_stack([np.repeat(g, m), np.tile(g, m)])
        return {"X": X, "y": _target_2d(X), "h": h}

    def predictions(self, ctx):
        return [Prediction("theory", "restricted (R1–R4) training reaches the unrestricted loss", 1.0,
                           target="restricted"),
                Prediction("central-lines", "lines through the origin reach it as well", 1.0, mutant=True,
                           target="central"),
                Prediction("fixed-fraction", "the restriction loses a fixed fraction: L_r ≥ 1.5 L_u", 1.5,
                           mutant=True, sense="ge", target="restricted")]

    def knobs(self, ctx, theory):
        return [Knob("bound", KnobKind.CONSTANT, lambda e: dataclasses.replace(theory, value=theory.value * (1 + e)),
                     "the bound 1 on the allowance-corrected ratio", remeasure=False, directions=(-1,),
                     note="a one-sided bound, tightened only; resolved by the width-1 rung, where the allowance is "
                     "0.03 L_u (at width 2 it is 0.1–0.3 L_u)")]

    def experiment(self, ctx, level, seed):
        from numerics.stability.d2 import network_2d, ripple_allowance_2d, train_vp_2d

        X, y, h = ctx["X"], ctx["y"], ctx["h"]
        N = int(level)
        rng = _rng(seed, 10 + N)
        starts = rng.standard_normal((EXPRESSIVITY_RESTARTS * 2**N, 3 * N))
        fu = min((train_vp_2d(X, y, s, "unrestricted") for s in starts), key=lambda f: f[2])
        fr = min((train_vp_2d(X, y, _chart(s), "restricted") for s in starts), key=lambda f: f[2])
        fc = min((train_vp_2d(X, y, rng.uniform(0, 2 * np.pi, N), "central") for _ in range(4)),
                 key=lambda f: f[2])
        A = {k: ripple_allowance_2d(*network_2d(k, f[0], f[1]), X, y, h)
             for k, f in (("unrestricted", fu), ("restricted", fr), ("central", fc))}
        a, b, c, e = network_2d("restricted", fr[0], fr[1])
        keys = np.column_stack([a, b]) / np.hypot(a[:, 0], a[:, 1])[:, None]
        distinct = all(np.abs(keys[i] - s * keys[j]).max() > 1e-9
                       for i in range(N) for j in range(i + 1, N) for s in (1, -1))
        L_u, L_r, L_c = fu[2], fr[2], fc[2]
        return {"restricted": (L_r - A["restricted"] - A["unrestricted"]) / L_u,
                "central": (L_c - A["central"] - A["unrestricted"]) / L_u,
                "raw_ratio": L_r / L_u, "raw_central": L_c / L_u, "L_unrestricted": L_u, "L_restricted": L_r,
                "allowance": (A["restricted"] + A["unrestricted"]) / L_u, "distinct_directions": distinct,
                "trained_each": len(starts)}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        rows = [{"N": lv, "seed": s, **o} for (lv, s), o in sorted(observations.items())]
        return {"rows": rows, "max raw ratio": max(r["raw_ratio"] for r in rows),
                "max allowance": max(r["allowance"] for r in rows)}


CLAIMS = [InverseStability2D, Pathology2DSameDirection, Pathology2DOppositeDirections, Pathology2DCompensatingFlip,
          Projection2D, Expressivity2D]

PAPER = dataclasses.replace(_stability.PAPER, statements=(
    Statement("Theorem 3.1 in d = 2 (stated for d ≥ 1; reconstruction with R5, docs/stability.md): on the oriented "
              "restricted set on [−1, 1]², the modulus of continuity of the inverse is ε^{1/2} in W^{1,∞}.",
              "Theorem 3.1 (with R5), d = 2", "stability.d2.inverse"),
    Statement("Theorem 3.1 in d = 2, the constant C: not claimed.", "Theorem 3.1 (with R5), d = 2", None,
              "the neurons give radius² = |jump|√(1 + β²), β ≤ √2 on the square, but the 1-D bound on the "
              "output bias (every oriented neuron is 0 at the left end of D) has no 2-D analogue: with a_{i,1} > 0 "
              "no corner of the square sees every neuron inactive, and the bias difference is only bounded by "
              "ε(1 + O(N)); no uniform C is derived here, only the exponent is checked"),
    Statement("Pathology in d = 2: neurons of the same direction merge and cancel.", "Section 2, d = 2",
              "stability.d2.pathology.same_direction"),
    Statement("Pathology in d = 2: directly opposite directions realize affine functions with distant parameters.",
              "Section 2, d = 2", "stability.d2.pathology.opposite_directions"),
    Statement("Finding in d = 2: three compensating flips stay in R1–R4 and make the constant unbounded; R5 "
              "excludes them.", "Theorem 3.1 (reconstruction), d = 2", "stability.d2.pathology.compensating_flip"),
    Statement("The restricted-set projection in d = 2 keeps the realization up to ‖s‖₁δ in L^∞.",
              "Section 3, d = 2", "stability.d2.projection"),
    Statement("Optimizing over the restricted set in d = 2 reaches what optimizing over the unrestricted set "
              "reaches (trained from fresh starts).", "Section 3, d = 2", "stability.d2.expressivity"),
))
