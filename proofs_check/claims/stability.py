"""Claims of Berner, Elbrächter & Grohs, "How degenerate is the parametrization of neural networks with the
ReLU activation function?" (NeurIPS 2019, arXiv 1905.09803): the pathologies of the realization map, the
inverse stability of shallow ReLU networks in ``W^{1,∞}`` on a restricted set (exponent and constant), its
expressivity, and the convexity of the loss on realizations.

Statements follow the reconstruction in ``docs/stability.md`` (the paper's Theorem 3.1 text could not be read here; only its abstract and
introduction were reachable — see :mod:`theory.stability` for the form used). Every distance between
realizations is the exact 1-D ``W^{1,∞}`` (or ``L^∞``) distance of :func:`theory.stability.sobolev_distance`,
computed in rational arithmetic from the breakpoints; parameter distances are modulo permutation and
rescaling (:func:`theory.stability.param_distance`) or over the whole symmetry orbit of the nearby network
(:func:`theory.stability.orbit_distance`, Definition 1.1's quantity).

Two findings of the checks: the reconstruction's restricted set (balanced, kinks inside ``D``,
normalized directions distinct and not antipodal) does *not* admit a uniform constant
(``stability.pathology.compensating_flip``); with the orientation condition R5 (``a_i > 0`` in 1-D) it does,
and the derived constant ``C = 2√2(1 + M²)^{1/4}`` is sharp (``stability.inverse_constant``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache

import numpy as np

from numerics.stability_fit import (
    fit_restricted,
    fit_unrestricted,
    refit_jumps,
    restricted_loss,
    unrestricted_loss,
)
from proofs_check.claim import Claim, Kind, Knob, KnobKind, Ladder, Method, Prediction
from proofs_check.crn import child, prefix_draw
from proofs_check.papers import Paper, Statement
from theory.shallow_relu_net import ShallowReLUNet, kinks_1d, realize
from theory.stability import (
    absorb_slope,
    as_box,
    close_pair,
    derive_sobolev_distance,
    extremal_pair,
    inverse_stability_constant,
    is_restricted,
    orbit_distance,
    orbit_is_complete,
    param_distance,
    pathology_family,
    piecewise_linear_1d,
    modulus_instance,
    move_pair,
    random_restricted_net,
    restrict,
    sobolev_distance,
)

DOMAIN = (Fraction(-1), Fraction(1))

PAPER = Paper(
    key="stability",
    title="How degenerate is the parametrization of neural networks with the ReLU activation function?",
    authors="J. Berner, D. Elbrächter, P. Grohs",
    venue="NeurIPS 2019",
    arxiv="1905.09803",
    statements=(
        Statement("Inverse stability (definition) and Proposition 1.2: under (s, α) inverse stability a local "
                  "minimum of L∘R in parameter radius r is a local minimum of L on R(Ω) in radius (r/s)^α.",
                  "Definition 1.1, Proposition 1.2", None,
                  "a definition and its one-line consequence; the stability itself is checked by "
                  "stability.inverse and stability.inverse_constant"),
        Statement("Pathology: rescaling (λa, λb, c/λ): unbalanced parametrizations are not inverse stable "
                  "(realizations 1/k apart, every parametrization of the nearby one ~k away); balancedness "
                  "|c| = ‖(a, b)‖ removes it.", "Section 2", "stability.pathology.rescaling"),
        Statement("Pathology: the uniform norm is too weak: ‖f_k‖_∞ → 0 while the parameters of every "
                  "parametrization blow up (derivative jump k); in W^{1,∞} the ratio stays bounded: hence a "
                  "Sobolev norm.", "Section 2", "stability.pathology.uniform_norm"),
        Statement("Pathology: inactive or affine neurons (kink hyperplane misses D) are unidentifiable and can "
                  "be large while a nearby function needs the slot.", "Section 2",
                  "stability.pathology.inactive_affine"),
        Statement("Pathology: neurons of the same direction merge; with opposite outputs they cancel, so large "
                  "parameters realize a function near 0.", "Section 2", "stability.pathology.same_direction"),
        Statement("Pathology: weight vectors with directly opposite directions (ρ(z) − ρ(−z) = z): large "
                  "parameters realize an affine function.", "Section 2",
                  "stability.pathology.opposite_directions"),
        Statement("Theorem 3.1 as reconstructed (docs/stability.md): on the set R1–R4 (balanced, kinks in the "
                  "interior of D, normalized directions distinct and not antipodal), "
                  "‖Φ − Γ‖_∞ ≤ C ‖R(Φ) − R(Γ)‖_{W^{1,∞}}^{1/2} with a uniform C.",
                  "Theorem 3.1 (reconstruction)", "stability.pathology.compensating_flip",
                  "REFUTED as stated: compensating orientation flips stay in R1–R4 and make C unbounded; "
                  "the paper's own set must exclude them (its text was not reachable here)"),
        Statement("Theorem 3.1 on the oriented restricted set R1–R5 (1-D): the modulus of continuity of the "
                  "inverse is ε^{1/2} — exponent ½, not 1 — on random restricted pairs.",
                  "Theorem 3.1 (with R5)", "stability.inverse"),
        Statement("Theorem 3.1 on R1–R5 (1-D): the constant C = 2√2(1 + M²)^{1/4} for dist ≤ 1 (derived in "
                  "`nnlimits derive sobolev-distance`), on random restricted pairs, and it is sharp.",
                  "Theorem 3.1 (with R5)", "stability.inverse_constant"),
        Statement("Optimizing over the restricted set reaches what optimizing over the unrestricted set reaches.",
                  "Section 3", "stability.expressivity"),
        Statement("Square loss is convex on the realization space; the average of two width-N realizations is "
                  "a width-2N realization; the parametrized problem is not convex.", "Section 1.2",
                  "stability.convexity"),
        Statement("For large N the realization set is close to its convex hull on bounded sets, so local minima "
                  "of the regularised problem on realizations are almost optimal.", "Section 1.2", None,
                  "asymptotic approximation statement without constants to compare with; not checked"),
    ),
)


def _rng(seed: np.random.SeedSequence, stream: int) -> np.random.Generator:
    return np.random.default_rng(child(seed, stream))


# ====================================================================================================
# pathologies (Section 2)
# ====================================================================================================


def _no_flip_fills_affine_slot(Psi: ShallowReLUNet) -> bool:
    """True iff the slope of ``R(Ψ)`` just right of ``l`` is not ``−Σ_F J_i`` for any set ``F`` of Ψ's kinks
    in ``D`` (exact): then every width-N parametrization of ``R(Ψ)`` needs a neuron active on ``D`` besides
    its ``N − 1`` kink neurons (the premise of the ``inactive_affine`` lower bound)."""
    kinks, const = kinks_1d(Psi)
    s0 = piecewise_linear_1d(kinks, const, as_box(DOMAIN)).slopes[0]
    jumps = [k.jump for k in kinks if DOMAIN[0] < k.t < DOMAIN[1]]
    for n in range(len(jumps) + 1):
        for F in itertools.combinations(jumps, n):
            if -sum(F, Fraction(0)) == s0:
                return False
    return True


class _Pathology(Claim):
    """Base of the pathology claims: one closed-form family, randomised per seed (kink, radius, base).

    Per rung ``k`` the experiment checks, exactly, that the realization distance equals the family's closed
    form (so "realization distance → 0 at the predicted rate" is verified, not fitted), that the measured
    parameter distance respects the family's closed-form lower bound where it has one (a bound over *every*
    width-N parametrization of the nearby function), and, for orbit distances, that the orbit is complete
    (then the measured value *is* the infimum of Definition 1.1). The verdict is on the rate of the
    amplification ``dist_param / dist_real^{1/2}`` (or of ``dist_param`` when the realizations agree).

    Decision: each family is a deterministic function of the instance the seed picks, so the claims are
    ``deterministic``: per instance the top local slope (``k = 256 → 512`` at the quick budget) is
    extrapolated by one Richardson step of order ``q`` = ``correction_order``, the order of the next term of
    the family's expansion ``amplification = C k^p (1 + c k^{−q} + …)`` (derived per family in
    ``correction_reason``), and the interval ``p̂ ± |r/(1 − r)(p_K − p_{K−1})|``, ``r = 2^{−q}``, is
    intersected over the instances; no tolerance. Knob: the exponent (the mutants are ½ to 2 away)."""

    paper = "stability"
    reference = "Section 2"
    kind = Kind.RATE
    method = Method.CONVERGENCE
    family: str
    ladders = {"quick": Ladder("family index k", tuple(2.0**j for j in range(4, 10)), seeds=3),
               "full": Ladder("family index k", tuple(2.0**j for j in range(4, 14)), seeds=8)}
    max_interval = 0.3
    #: every rung is a deterministic function of the instance (kink, radius, base) the seed picks: the
    #: slope is decided per instance by the top local slope and one Richardson step of ``correction_order``
    deterministic = True
    correction_order = 1.0
    correction_reason = ""
    #: whether the instance adds a random restricted base to both members
    with_base = True

    def setup(self, budget):
        return pathology_family(self.family)  # the nominal family (predicted rates)

    def _family(self, seed):
        rng = _rng(seed, 0)
        s = Fraction(int(rng.integers(2**8, 3 * 2**8)), 2**11)  # s in [1/8, 3/8): kink t in (-0.88, -0.25]
        s = s if rng.random() < 0.5 else -s
        r = Fraction(int(rng.integers(2**9, 2**11)), 2**10)  # r in [1/2, 2)
        t_bad = [float(-2 * v / (1 - v * v)) for v in (s, -s)]
        if not self.with_base:
            return pathology_family(self.family, s=s, r=r)
        base_rng = _rng(seed, 1)
        while True:  # a restricted base whose kinks stay away from the family's kinks
            base = random_restricted_net(base_rng, 2, DOMAIN, oriented=False)
            kinks, _ = kinks_1d(base)
            if all(min(abs(float(k.t) - tb) for tb in t_bad) > 0.1 for k in kinks):
                break
        return pathology_family(self.family, s=s, r=r, base=base)

    def experiment(self, ctx, level, seed):
        fam = self._family(seed)
        k = int(level)
        Phi, Psi = fam.phi(k), fam.psi(k)
        dr = sobolev_distance(Phi, Psi, fam.domain, k=fam.norm_k).value
        dw = dr if fam.norm_k == 1 else sobolev_distance(Phi, Psi, fam.domain, k=1).value
        closed = fam.realization_distance(k)
        if closed is None or dr != closed:
            raise AssertionError(f"{self.id}: exact realization distance {dr} ≠ closed form {closed} at k = {k}")
        bal = param_distance(Phi, Psi).value
        if fam.distance == "orbit":
            complete = orbit_is_complete(Psi, fam.domain)
            if not complete:
                raise AssertionError(f"{self.id}: orbit of Ψ_k incomplete ({complete.reason}); the orbit "
                                     f"distance would not be Definition 1.1's infimum")
            dp = orbit_distance(Phi, Psi).value
        else:
            dp = bal
        if fam.lower_bound is not None and dp < fam.lower_bound(k) * (1 - 1e-12):
            raise AssertionError(f"{self.id}: distance {dp} below the closed-form lower bound {fam.lower_bound(k)}")
        if fam.restricted:
            for name, net in (("Phi", Phi), ("Psi", Psi)):
                chk = is_restricted(net, fam.domain)
                if not chk.ok:
                    raise AssertionError(f"{self.id}: {name}_k leaves the restricted set R1–R4: {chk.failed}")
        amp = dp / math.sqrt(float(dr)) if dr > 0 else math.nan
        amp_w = dp / math.sqrt(float(dw)) if dw > 0 else math.nan
        return {"dist_real": float(dr), "dist_W": float(dw), "dist_param": dp, "dist_balanced": bal,
                "amplification": amp, "amplification_W": amp_w}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]

    def keep_observation(self, level, seed_index):
        return seed_index == 0

    def details(self, ctx, observations):
        rows = [{"k": lv, **{key: float(v) for key, v in obs.items()}} for (lv, s), obs in sorted(observations.items())]
        return {"family": ctx.description, "distance": ctx.distance,
                "predicted realization rate": ctx.realization_rate, "predicted parameter rate": ctx.parameter_rate,
                "rows": rows}


class PathologyRescaling(_Pathology):
    """Rescaling pathology (BEG 2019, Section 2). ``(λa, λb, c/λ)`` realizes ``c ρ(⟨a, x⟩ + b)`` for every
    ``λ > 0``, so unbalanced parametrizations can have huge inner weights and tiny outputs. Family (plus a
    common random restricted base): ``Φ_k = (k u, 1/k²)`` realizes ``(u_a/k) ρ(x − t)``,
    ``Ψ_k = (−u, 1/k)`` realizes ``(u_a/k) ρ(t − x)``: ``‖R(Ψ_k) − R(Φ_k)‖_{W^{1,∞}} = (u_a/k) max(1,
    max_D |x − t|)`` (checked exactly). Every width-N parametrization of ``R(Ψ_k)`` is in Ψ_k's symmetry orbit
    (checked: :func:`theory.stability.orbit_is_complete`), so the orbit distance is Definition 1.1's infimum;
    it grows like ``k`` (Φ_k's neuron ``(k u, 1/k²)`` is ``~k`` from every rescaling of the left-oriented
    neuron and of the base neurons, whose kinks differ) — Definition 1.1 fails for every exponent: the
    amplification
    ``dist_orbit / dist_W^{1/2}`` grows like ``k^{3/2}``. Balanced, the same pair is ``~k^{−1/2} ~ dist^{1/2}``
    apart (``dist_balanced`` in the details): balancedness removes the pathology. Measured: the amplification."""

    id = "stability.pathology.rescaling"
    title = "rescaling: unbalanced nets 1/k apart, parameters ~k apart"
    family = "rescaling"
    correction_order = 1.0
    correction_reason = ("dist_W = (u_a/k) max(1, …) exactly; the orbit distance is the largest entry difference of Φ_k's neuron (k u, 1/k²) from its nearest orbit member (a rescaled left-oriented or base neuron), affine in k for large k, C k + O(1): amplification C' k^{3/2} (1 + O(1/k)), q = 1 (measured decay of the local slopes per doubling 1/8 or exact, i.e. faster)")

    def predictions(self, ctx):
        return [Prediction("theory", "dist_orbit / dist_W^{1/2} grows like k^{3/2}", 1.5, target="amplification"),
                Prediction("balancing-not-needed", "unbalanced nets are as stable as balanced ones: the ratio "
                           "stays bounded", 0.0, mutant=True, target="amplification"),
                Prediction("parameters-only", "the ratio grows like the raw parameters, k (realizations do not "
                           "converge)", 1.0, mutant=True, target="amplification")]


class PathologyUniformNorm(_Pathology):
    """The uniform norm is too weak (BEG 2019, Section 2). ``f_k(x) = k[ρ(x − t) − ρ(x − t − k^{−2})]`` has
    ``‖f_k‖_{L^∞} = 1/k`` (checked exactly) but derivative jumps ``±k``. ``Φ_k`` = two zero neurons, ``Ψ_k``
    = the two neurons of ``f_k`` (no base: see ``correction_reason``); every width-N parametrization of ``R(Ψ_k)``
    is in Ψ_k's orbit (checked), so the orbit distance ``√(k max(1, |t|))`` (= the closed-form lower bound,
    checked) is Definition 1.1's infimum. Hence ``dist_param / ‖·‖_{L^∞}^{1/2} ~ k``: no Hölder inverse
    stability in ``L^∞``. In ``W^{1,∞}`` the same pair is ``k`` apart and the ratio stays bounded: the reason
    for a Sobolev norm. Measured: the ``L^∞`` amplification; the mutant "the Sobolev norm does not help"
    predicts the ``W^{1,∞}`` amplification to grow like ``k`` too."""

    id = "stability.pathology.uniform_norm"
    title = "uniform norm too weak: ‖f_k‖_∞ = 1/k, parameters ~ k^{1/2}"
    family = "uniform_norm"
    correction_order = 0.5
    correction_reason = (
        "‖f_k‖_∞ = 1/k exactly; the orbit distance is √(k max(1, |t|)) against a zero neuron, or, against a base "
        "neuron (a₀, b₀, c₀), min_λ max(|λ − a₀|, |λt + b₀|, |k/λ − c₀|) = √k − (a₀ + c₀)/2 + O(k^{−1/2}) (the "
        "closed-form lower bound √k − ρ): a series in k^{−1/2}, C k (1 + c k^{−1/2} + c' k^{−1} + …). With a base "
        "the two terms have opposite signs for some instances and the local slopes peak at an instance-dependent "
        "k (up to 2^{12} measured), which no one-step bound covers; so the instance has no base (the seed picks "
        "the kink t): the orbit distance is √(k max(1, |t|)) exactly, the amplification exactly "
        "√(max(1, |t|)) k, and every local slope is 1 (q = ½ states the order a base would bring)")
    with_base = False

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / ‖f_k‖_∞^{1/2} grows like k", 1.0, target="amplification"),
                Prediction("Linf-stable", "L^∞ is strong enough: the ratio stays bounded", 0.0, mutant=True,
                           target="amplification"),
                Prediction("sobolev-no-help", "the W^{1,∞} ratio grows like k as well", 1.0, mutant=True,
                           target="amplification_W")]


class PathologyInactiveAffine(_Pathology):
    """Inactive and affine neurons (BEG 2019, Section 2): a neuron whose kink hyperplane misses ``D`` is 0 on
    ``D`` (any size) or affine on ``D`` (its kink can sit anywhere outside, the bias compensating). ``Φ_k``
    (plus a base): an inactive neuron of radius ``k r`` (kink ``≈ u + |D|/2``) and an affine one (kink
    ``l − k``, jump ``r``, ``e`` absorbs ``−r(k − 1)``). ``Ψ_k``: a bump ``(u_a r/k) ρ(x − t)`` in the inactive
    neuron's slot and the affine kink at ``l − 1``. Realizations ``(u_a r/k) max(1, u − t)`` apart (checked
    exactly). Every width-N parametrization of ``R(Ψ_k)`` needs ``N − 1`` kink neurons and a neuron active on
    ``D`` (no subset of the kinks' jumps produces the slope: checked exactly), and a neuron active somewhere
    on ``D`` is ``≥ k r v_a (t_out − u)/(1 + M)`` from the inactive one (closed-form lower bound, checked).
    Measured: the amplification of the balanced distance (``~k^{3/2}``)."""

    id = "stability.pathology.inactive_affine"
    title = "inactive / affine neurons: realizations 1/k apart, parameters ~k"
    family = "inactive_affine"
    correction_order = 1.0
    correction_reason = ("dist_W = (u_a r/k) max(1, u − t) exactly; the balanced distance is the largest entry difference, the inactive neuron's radius k r or the bias r(k − 1), affine in k (the affine neuron's O(k^{1/2}) radius is dominated): C k (1 + O(1/k)), q = 1 (measured decay per doubling → ½)")

    def experiment(self, ctx, level, seed):
        fam = self._family(seed)
        if not _no_flip_fills_affine_slot(fam.psi(int(level))):
            raise AssertionError(f"{self.id}: a subset of kink jumps matches the slope; the lower bound fails")
        return super().experiment(ctx, level, seed)

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / dist_W^{1/2} grows like k^{3/2}", 1.5, target="amplification"),
                Prediction("bounded", "inactive neurons are harmless: the ratio stays bounded", 0.0, mutant=True,
                           target="amplification"),
                Prediction("affine-only", "only the affine neuron (radius ~k^{1/2}) moves: the ratio grows like k",
                           1.0, mutant=True, target="amplification")]


class PathologySameDirection(_Pathology):
    """Same direction (BEG 2019, Section 2): ``(a_j, b_j) = λ(a_i, b_i)``, ``λ > 0``, merge into one neuron
    ``(c_i + λ c_j) ρ(⟨a_i, x⟩ + b_i)``; with ``c_i = −λ c_j`` they cancel. ``Φ_k = (k u, k) + (2k u, −k/2)``
    realizes 0 (plus a base); ``Ψ_k`` = a bump ``(u_a r/k) ρ(x + t)`` at the mirrored kink and a zero neuron:
    realizations ``(u_a r/k) max(1, u + t)`` apart (checked exactly), balanced distance ``~k`` (both
    cancelling neurons have radius ``k``; a parametrization of ``R(Ψ_k)`` has no slot for a pair at ``t``
    and one neuron at ``t`` would need jump 0). Measured: the amplification (``~k^{3/2}``)."""

    id = "stability.pathology.same_direction"
    title = "same direction: cancelling neurons of size ~k near a bump of size 1/k"
    family = "same_direction"
    correction_order = 1.0
    correction_reason = ("dist_W = (w_a r/k) max(1, u + t) exactly; the balanced distance is the largest entry difference of the cancelling pair (radii k, 2k·…) from the bump and the zero neuron, affine in k: C k (1 + O(1/k)), q = 1 (measured decay per doubling ½ or 2^{−3/2})")

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / dist_W^{1/2} grows like k^{3/2}", 1.5, target="amplification"),
                Prediction("merge-is-symmetry", "a cancelling pair is as good as a zero neuron: the ratio stays "
                           "bounded", 0.0, mutant=True, target="amplification"),
                Prediction("wrong-rate", "parameters ~ k^{1/2} (the size of the merged jump's radius): the ratio "
                           "grows like k", 1.0, mutant=True, target="amplification")]


class PathologyOppositeDirections(_Pathology):
    """Directly opposite directions (BEG 2019, Section 2): ``ρ(z) − ρ(−z) = z``, so the balanced pair
    ``k ρ(k u·(x,1)) − k ρ(−k u·(x,1)) = k² u·(x,1)`` is affine. Pairs at the kinks ``t`` (``Φ_k``) and ``−t``
    (``Ψ_k``; ``u = (u_a, u_b)`` and ``(u_a, −u_b)``) realize the same function once the output bias absorbs
    ``2k²u_b`` (realization distance exactly 0, checked): the same affine function has parametrizations
    ``2k²|u_b|`` apart (the bias; the weights differ by ``2k|u_b|``). Measured: the distance modulo
    permutation and rescaling."""

    id = "stability.pathology.opposite_directions"
    title = "opposite directions: same realization, distance ~ k²"
    family = "opposite_directions"
    correction_order = 1.0
    correction_reason = ("the realizations agree exactly and the distance is the output bias 2k²|u_b| exactly (the weights differ by O(k)): every local slope is exactly 2, any q")

    def predictions(self, ctx):
        return [Prediction("theory", "distance modulo symmetries grows like k² (the output bias)", 2.0,
                           target="dist_param"),
                Prediction("bounded", "the affine function pins its parametrization: distance bounded", 0.0,
                           mutant=True, target="dist_param"),
                Prediction("weights-only", "distance grows like k (the weights only, forgetting the bias)", 1.0,
                           mutant=True, target="dist_param")]


class PathologyCompensatingFlip(_Pathology):
    """Compensating flips inside the reconstructed restricted set (finding on BEG 2019, Theorem 3.1 as
    reconstructed, see ``docs/stability.md``). Two balanced neurons with kinks inside ``D``, distinct and
    non-antipodal directions, output weights ``±r`` and ``c₁a₁ + c₂a₂ = δ_k = O(1/k)``; ``Ψ_k`` flips both,
    ``(a, b) ↦ (−a, −b)``, and adjusts ``e``. Both ``Φ_k`` and ``Ψ_k`` satisfy R1–R4 (checked at every rung),
    ``R(Ψ_k) − R(Φ_k) = −δ_k x`` has ``W^{1,∞}([−1,1])`` norm ``|δ_k|`` (checked exactly), and every
    parametrization of ``R(Ψ_k)`` is in Ψ_k's orbit (checked), whose distance to ``Φ_k`` stays ``≈ r``. So
    ``dist_param / dist_{W^{1,∞}}^{1/2} ~ k^{1/2}``: the reconstruction's uniform constant fails; the
    orientation condition R5 removes the flips (``stability.inverse``). Measured: the amplification of the
    orbit distance."""

    id = "stability.pathology.compensating_flip"
    title = "compensating flips in R1–R4: ratio to dist^{1/2} ~ k^{1/2}"
    reference = "Theorem 3.1 (reconstruction)"
    family = "compensating_flip"
    correction_order = 1.0
    correction_reason = ("the second neuron's s = −s₀ + 2^{−5}/k enters rationally, so δ_k = c₁a₁ + c₂a₂ and the orbit distance ≈ 2r are analytic in 1/k: dist_W = d₁/k (1 + O(1/k)), dist ≈ 2r (1 + O(1/k)), q = 1 (measured decay per doubling ½)")

    def predictions(self, ctx):
        return [Prediction("theory", "dist_param / dist_W^{1/2} grows like k^{1/2} (R1–R4 not enough)", 0.5,
                           target="amplification"),
                Prediction("reconstructed-theorem", "uniform C on R1–R4: the ratio stays bounded", 0.0,
                           mutant=True, target="amplification"),
                Prediction("wrong-rate", "the ratio grows like k (Lipschitz-type blow-up)", 1.0, mutant=True,
                           target="amplification")]


# ====================================================================================================
# inverse stability on the oriented restricted set (Theorem 3.1 with R5)
# ====================================================================================================

#: log2-radius range of the scale-free random pairs of :func:`theory.stability.random_pair` (examples)
MODULUS_LOG2_RADIUS = (-9.0, 1.0)
#: base neurons and moves of one modulus instance
MODULUS_BASE = 3
MODULUS_MOVES = 12


@lru_cache(maxsize=64)
def _modulus_instance(entropy: int, spawn_key: tuple):
    """The base, the moves and each move's unit distance ``w = ‖h₁‖_{W^{1,∞}}`` (exact) for one seed."""
    rng = np.random.default_rng(np.random.SeedSequence(entropy=entropy, spawn_key=spawn_key))
    rows, e, moves = modulus_instance(rng, MODULUS_BASE, MODULUS_MOVES, DOMAIN)
    unit = []
    for mv in moves:
        Phi, Gamma = move_pair(rows, e, mv, Fraction(1, 64))
        unit.append(64 * sobolev_distance(Phi, Gamma, DOMAIN).value)
    return rows, e, moves, unit


class InverseStabilityExponent(Claim):
    """Theorem 3.1, the exponent (BEG 2019; the form checked is the reconstruction with the orientation
    condition R5, see :mod:`theory.stability` and ``docs/stability.md``): on the restricted set of shallow 1-D
    ReLU networks on ``D = [−1, 1]`` (balanced, kinks inside ``D``, distinct directions, ``a_i > 0``),
    ``min_π ‖πΦ − Γ‖_∞ ≤ C ‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)}^{1/2}``, and ½ is the best exponent.

    Measured: the worst case ``ω(ε) = max_m dist_param(Φ_m(ε), Γ_m(ε))`` of a random instance (the seed
    picks it: :func:`theory.stability.modulus_instance`, a base of 3 oriented balanced neurons and 12 moves —
    relocations of a small neuron to another kink with another jump and sign, jump changes of a base neuron,
    bias shifts), each move scaled so that its realization distance is *exactly* ε
    (:func:`theory.stability.move_pair`: the base cancels in ``R(Φ) − R(Γ)``, which is the amplitude times a
    fixed piecewise-linear function; checked exactly at every rung), at ``ε = 4^{−1}, …, 4^{−7}``. Jump
    changes and bias shifts move the parameters by ``O(ε)`` (a Lipschitz regime); a relocated neuron of jump
    ``~ε`` has radius ``~ε^{1/2}`` (balanced: ``r² = |J|√(1 + t²)``), so relocations move them by ``~ε^{1/2}``
    and dominate as ``ε → 0``: ``ω(ε) = c ε^{1/2}(1 + O(ε^{1/2}))``. The theorem's bound
    (``ω(ε) ≤ C ε^{1/2}``, no pair does worse) is checked with its constant by ``stability.inverse_constant``.

    Decision: ``deterministic`` (the seed only picks the instance; every rung is a deterministic function of
    it): per instance the top local slope with one Richardson step of order ½ (the next term of ω is
    ``O(ε^{1/2})`` relative: a Lipschitz move or another assignment of the small neuron), intersected over
    the instances; no tolerance. (The former design, the maximum over a finite random pool, has a slope biased
    by the pool size and needed a sized tolerance.) Knob: the exponent. Mutants: exponent 1 (a Lipschitz
    inverse) and exponent 0 (no stability: the pathologies survive on R1–R5)."""

    id = "stability.inverse"
    paper = "stability"
    reference = "Theorem 3.1 (with R5)"
    title = "inverse stability: modulus of continuity ε^{1/2}"
    kind = Kind.RATE
    method = Method.CONVERGENCE
    ladders = {"quick": Ladder("realization distance ε", tuple(4.0**-j for j in range(1, 8)), seeds=4),
               "full": Ladder("realization distance ε", tuple(4.0**-j for j in range(1, 10)), seeds=12)}
    max_interval = 0.3
    deterministic = True
    correction_order = 0.5
    correction_reason = (
        "ω(ε) = max over moves: relocations give c ε^{1/2} exactly once the small neurons are matched to each "
        "other, jump changes and bias shifts O(ε); a competing move or assignment enters at relative order "
        "ε^{1/2}: q = ½ in log ε")

    def predictions(self, ctx):
        return [Prediction("theory", "ω(ε) ~ ε^{1/2} (exponent ½, attained)", 0.5),
                Prediction("exponent-1", "Lipschitz inverse: ω(ε) ~ ε", 1.0, mutant=True),
                Prediction("no-stability", "no inverse stability on R1–R5: ω(ε) bounded below", 0.0, mutant=True)]

    def experiment(self, ctx, level, seed):
        s = child(seed, 0)
        rows, e, moves, unit = _modulus_instance(int(s.entropy), tuple(int(v) for v in s.spawn_key))
        eps = Fraction(level)
        best, best_kind, lipschitz = 0.0, "", 0.0
        for mv, w in zip(moves, unit):
            Phi, Gamma = move_pair(rows, e, mv, eps / w)
            dw = sobolev_distance(Phi, Gamma, DOMAIN).value
            if dw != eps:
                raise AssertionError(f"{self.id}: move {mv.kind} at ε = {level}: distance {dw} ≠ ε")
            for name, net in (("Phi", Phi), ("Gamma", Gamma)):
                chk = is_restricted(net, DOMAIN, oriented=True)
                if not chk.ok:
                    raise AssertionError(f"{self.id}: move {mv.kind}: {name} leaves R1–R5: {chk.failed}")
            dp = param_distance(Phi, Gamma).value
            if mv.kind != "relocate":
                lipschitz = max(lipschitz, dp)
            if dp > best:
                best, best_kind = dp, mv.kind
        return {"omega": best, "worst_move": best_kind, "lipschitz_moves": lipschitz,
                "max_ratio": best / math.sqrt(level)}

    def measure(self, ctx, obs, prediction):
        return obs["omega"]

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        rows = [{"epsilon": lv, "seed": s, **o} for (lv, s), o in sorted(observations.items())]
        return {"C estimated (max dist_param/dist_W^{1/2} over the instances)":
                max(o["max_ratio"] for o in observations.values()),
                "C derived": inverse_stability_constant(DOMAIN), "rows": rows}


def _extremal_deficit(eta) -> float:
    """``C − (r₁ + r₂)/ε^{1/2}`` for :func:`theory.stability.extremal_pair` on ``[−1, 1]`` (``M = 1``): its
    unmatched neurons sit at ``t₁ = 1 − η`` and ``t₂ = 1 − 3η`` with jumps ``±2ε``, radii
    ``r_i = (2ε√(1 + t_i²))^{1/2}`` and opposite output signs, so ``(r₁ + r₂)/ε^{1/2} =
    √2((1 + t₁²)^{1/4} + (1 + t₂²)^{1/4})``, independent of ε; ``≤ 4√2 · 2^{−7/4} η ≈ 1.68 η``
    (``(1 + t²)^{1/4}`` has slope ``≤ 2^{−7/4}`` on ``[0, 1]``)."""
    t1, t2 = 1.0 - float(eta), 1.0 - 3.0 * float(eta)
    C = inverse_stability_constant(DOMAIN)
    return C - math.sqrt(2.0) * ((1 + t1 * t1) ** 0.25 + (1 + t2 * t2) ** 0.25)


class InverseStabilityConstant(Claim):
    """Theorem 3.1, the constant (BEG 2019; the reconstruction with R5, see :mod:`theory.stability` and
    ``docs/stability.md``). For 1-D restricted, oriented networks ``Φ, Γ`` on ``D = [−1, 1]`` with
    ``ε = ‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)} ≤ 1``: ``min_π ‖πΦ − Γ‖_∞ ≤ C ε^{1/2}`` with ``C = 2√2(1 + M²)^{1/4}``,
    ``M = max_D |x|`` (proof in ``nnlimits derive sobolev-distance``: each kink's jump difference is ≤ 2ε, a
    balanced neuron's radius is ``(|J|√(1+t²))^{1/2}``), and ``C`` is sharp.

    Per rung (scale ``k``) and seed: 16 random restricted pairs at realization scale ``~1/k²``
    (:func:`theory.stability.close_pair`: Lipschitz jump changes, relocations of small neurons, sign swaps at
    the two ends) and the extremal configuration (:func:`theory.stability.extremal_pair` with random
    ``ε ∈ 2^{[−24, −8]}/k²`` and ``η = 2^{−8}/k``). The worst ratio ``ρ_k = max dist_param/ε^{1/2}`` must lie in
    the window ``[C − δ_k, C]``: ``≤ C`` is the theorem (every pair); ``≥ C − δ_k`` is sharpness, with the
    derived margin ``δ_k`` = the extremal configuration's closed-form deficit
    ``C − √2((1 + t₁²)^{1/4} + (1 + t₂²)^{1/4}) ≤ 1.68 η`` (:func:`_extremal_deficit`; its two unmatched neurons
    of opposite output signs are matched to each other, so their parameter distance is at least the sum of
    their radii) plus a 10⁻¹² relative round-off of the float64 parameter distance (the realization distance
    is exact). Measured, per rung and seed, as one BOUND: ``max(ρ_k, 2C − δ_k − ρ_k) ≤ C`` — equal to ``ρ_k``
    when ``ρ_k ≥ C − δ_k/2``, and above ``C`` exactly when ``ρ_k`` leaves the window on either side. Hence a
    constant too large is refuted (not attained) as well as one too small (violated): the knob ``C`` (both
    directions) is resolved to ``δ_k/C ≈ 5·10⁻⁵`` at the finest rung. Random pairs alone reach ≈ 0.6 C
    (details). Mutants: ``C`` without the kink factor (``2√2``: radius² = |J|), with the factor
    ``(1 + M²)^{1/2}`` (``4``: radius² = |J|(1 + t²)), and a Lipschitz inverse ``dist_param ≤ C ε``."""

    id = "stability.inverse_constant"
    paper = "stability"
    reference = "Theorem 3.1 (with R5)"
    title = "inverse stability: constant C = 2√2(1+M²)^{1/4}, sharp"
    kind = Kind.BOUND
    method = Method.BOUND
    ladders = {"quick": Ladder("scale k", tuple(2.0**j for j in range(0, 6)), seeds=3),
               "full": Ladder("scale k", tuple(2.0**j for j in range(0, 10)), seeds=12)}
    rtol = 1e-12
    pairs = 16

    def setup(self, budget):
        return {"C": inverse_stability_constant(DOMAIN)}

    def predictions(self, ctx):
        C = ctx["C"]
        return [Prediction("theory", "C − δ_k ≤ max dist_param/dist_W1∞^{1/2} ≤ C, C = 2√2(1+M²)^{1/4}", C,
                           target="half"),
                Prediction("no-kink-factor", "constant 2√2 (radius² = |J|, no √(1+t²))", 2 * math.sqrt(2),
                           mutant=True, target="half"),
                Prediction("kink-factor-squared", "constant 2√2(1+M²)^{1/2} (radius² = |J|(1+t²))",
                           2 * math.sqrt(2) * math.sqrt(1 + float(as_box(DOMAIN).radius) ** 2), mutant=True,
                           target="half"),
                Prediction("exponent-1", "Lipschitz inverse: dist_param ≤ C dist_W1∞", C, mutant=True,
                           target="one")]

    def knobs(self, ctx, theory):
        return [Knob("C", KnobKind.CONSTANT, lambda e: replace(theory, value=theory.value * (1.0 + e)),
                     "the constant 2√2(1+M²)^{1/4}: violated when too small, not attained when too large",
                     remeasure=True)]

    def experiment(self, ctx, level, seed):
        k = int(level)
        rng = _rng(seed, k)
        half, one, rand_half, moves = 0.0, 0.0, 0.0, []
        for _ in range(self.pairs):
            pair = close_pair(rng, k, domain=DOMAIN)
            eps = float(sobolev_distance(pair.Phi, pair.Gamma, DOMAIN).value)
            if eps == 0.0 or eps > 1.0:
                continue
            dp = param_distance(pair.Phi, pair.Gamma).value
            rand_half = max(rand_half, dp / math.sqrt(eps))
            one = max(one, dp / eps)
            moves.append(pair.move)
        e_ex = Fraction(int(rng.integers(1, 2**16)), 2**24) / (k * k)
        eta = Fraction(1, 2**8 * k)
        Phi, Gamma = extremal_pair(e_ex, eta, DOMAIN)
        for name, net in (("Phi", Phi), ("Gamma", Gamma)):
            chk = is_restricted(net, DOMAIN, oriented=True)
            if not chk.ok:
                raise AssertionError(f"{self.id}: extremal {name} leaves R1–R5: {chk.failed}")
        eps = float(sobolev_distance(Phi, Gamma, DOMAIN).value)
        dp = param_distance(Phi, Gamma).value
        ext = dp / math.sqrt(eps)
        half = max(rand_half, ext)
        one = max(one, dp / eps)
        deficit = _extremal_deficit(eta) + self.rtol * ctx["C"]
        return {"half": half, "one": one, "random": rand_half, "extremal": ext, "pairs": len(moves),
                "deficit": deficit}

    def measure(self, ctx, obs, prediction):
        v = obs[prediction.target]
        return max(v, 2.0 * prediction.value - obs["deficit"] - v)

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        return {"C derived": ctx["C"],
                "C measured (max ratio)": max(o["half"] for o in observations.values()),
                "max ratio, random pairs only": max(o["random"] for o in observations.values()),
                "max ratio, extremal configuration": max(o["extremal"] for o in observations.values()),
                "random pairs used": int(sum(o["pairs"] for o in observations.values()))}


# ====================================================================================================
# expressivity (Section 3)
# ====================================================================================================

#: kink offset from the boundary of the neuron that carries the affine remainder of a projection
ABSORB_DELTA = Fraction(1, 2**52)


@dataclass(frozen=True)
class FitSetting:
    n_data: int = 128
    steps: int = 2000
    lr: float = 0.02
    restricted_steps: int = 1000
    restricted_lr: float = 0.002


def _target(x: np.ndarray) -> np.ndarray:
    return np.sin(3.0 * x) + 0.5 * x


def _kinks_of(net: ShallowReLUNet | None, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    if net is None:
        return np.zeros(0), np.zeros(0), np.zeros(0), float(bias)
    ks, const = kinks_1d(net)
    return (np.array([float(q.t) for q in ks]), np.array([float(q.sigma) for q in ks]),
            np.array([float(q.jump) for q in ks]), float(const))


class Expressivity(Claim):
    """Expressivity of the restricted set (BEG 2019, Section 3: "by optimizing over such restricted sets, it
    is still possible to learn any function which can be learned by optimization over unrestricted sets").
    Target ``f*(x) = sin 3x + x/2`` on 128 equispaced points of ``[−1, 1]``, square loss, width ``N`` (the
    rung), one random initialization per seed (the width-N draw is a prefix of the width-2N draw).

    Unrestricted: Adam on ``(a, b, c, e)`` → ``Φ_u``, loss ``L_u``. Restricted (R1–R4) at width ``N``: the
    exact projection ``P(Φ_u)`` (:func:`theory.stability.restrict`: zero and inactive neurons dropped,
    same/opposite directions merged, affine parts collected into ``s·x``), the affine remainder carried by one
    neuron with kink ``l + 2⁻⁵²`` (:func:`theory.stability.absorb_slope`), then fitted over the restricted set:
    least squares in the jumps and the bias at these kinks, and Adam over (kinks in ``D``, jumps, bias) from
    there. ``L_r`` = the best of the three restricted losses. Measured: ``L_r / L_u``, predicted
    ``≤ 1 + 10⁻⁹`` at every width and seed. Why 10⁻⁹: the carried projection differs from ``R(Φ_u)`` only on
    ``[l, l + 2⁻⁵²)``, i.e. at the data point ``x = l`` by ``|s| 2⁻⁵²``, so
    ``|ΔL| ≤ (2|r_l||s|2⁻⁵² + s²2⁻¹⁰⁴)/M`` — every run checks this is below ``10⁻⁹ L_u`` — and float64 losses of
    one realization agree to ~1e-14. Often ``L_r < L_u``: trained unrestricted networks waste neurons on
    degeneracies (the details list the projected widths), and the restricted fit re-uses them.

    Mutants: "no affine carrier" — the projection with its affine remainder dropped reaches ``L_u`` (the
    affine parts of affine and opposite neurons are negligible); measured ``L(P(Φ_u) − s·x)/L_u``: Adam's
    ``Φ_u`` is nearly stationary, so removing a non-zero affine part raises the loss by about
    ``s² Var(x)/L_u``. And "the restriction costs a neuron" (as R5 does: its flips create affine parts without
    freeing a slot): the carried projection needs width ``N + 1``, i.e. ``width − N ≥ 1``; measured ``≤ 0``
    because every affine remainder comes from an affine neuron or a merged opposite pair, each of which
    frees a slot. The loss of the R5 projection at width ``N`` (smallest jump dropped when it needs
    ``N + 1``, then least squares) is reported, not decided: trained networks usually have a spare neuron,
    so R5 often loses nothing."""

    id = "stability.expressivity"
    paper = "stability"
    reference = "Section 3"
    title = "restricted set reaches the unrestricted loss at every width"
    kind = Kind.BOUND
    method = Method.BOUND
    ladders = {"quick": Ladder("width N", (2.0, 4.0, 8.0, 16.0), seeds=3),
               "full": Ladder("width N", tuple(2.0**j for j in range(1, 7)), seeds=8)}
    rtol = 0.0
    margin = 1e-9

    def setup(self, budget):
        s = FitSetting()
        x = np.linspace(-1.0, 1.0, s.n_data)
        return {"setting": s, "x": x, "y": _target(x)}

    def predictions(self, ctx):
        v = 1.0 + self.margin
        return [Prediction("theory", "restricted (R1–R4) width N reaches the unrestricted loss", v, target="restricted"),
                Prediction("no-affine-carrier", "the projection without its affine part reaches it (affine "
                           "remainders are negligible)", v, mutant=True, target="no_carrier"),
                Prediction("costs-a-neuron", "the restricted representative needs width N + 1", 1.0, mutant=True,
                           sense="ge", target="width_excess")]

    def _restricted_fit(self, ctx, Phi_u, width, oriented, carrier, adam=True,
                        fit=True) -> tuple[float, int, float]:
        """Best loss of the (carried) projection, its least-squares refit and Adam from there; with
        ``fit=False`` the projection's own loss. Returns (loss, projected width, |affine slope|)."""
        s, x, y = ctx["setting"], ctx["x"], ctx["y"]
        res = restrict(Phi_u, DOMAIN, oriented=oriented)
        slope = float(abs(res.slope[0]))
        if carrier and not res.preserves_realization:
            net = absorb_slope(res, DOMAIN, ABSORB_DELTA)
        else:
            net = res.net
        t, sg, J, e = _kinks_of(net, res.bias)
        projected_width = int(t.size)
        keep = np.argsort(-np.abs(J), kind="stable")[:width]  # only R5 can need more than N
        t, sg, J = t[keep], sg[keep], J[keep]
        best = restricted_loss(x, y, t, sg, J, e)
        if not fit:
            return best, projected_width, slope
        J2, e2, L2 = refit_jumps(x, y, t, sg)
        best = min(best, L2)
        if adam and t.size:
            # Adam keeps kinks strictly inside D in float64: a carrier at l + 2⁻⁵² is nudged to the next float
            tt = np.clip(t, np.nextafter(-1.0, 0.0), np.nextafter(1.0, 0.0))
            res = fit_restricted(x, y, tt, sg, J2, e2, (-1.0, 1.0), s.restricted_lr, s.restricted_steps)
            best = min(best, res.loss)
        return best, projected_width, slope

    def experiment(self, ctx, level, seed):
        s, x, y = ctx["setting"], ctx["x"], ctx["y"]
        N = int(level)
        init = prefix_draw(seed, N, lambda rng, m: rng.standard_normal((m, 3)), stream=0)
        a, b, c = init[:, 0], init[:, 1], init[:, 2] / math.sqrt(N)
        u = fit_unrestricted(x, y, a, b, c, 0.0, s.lr, s.steps)
        L_u = unrestricted_loss(x, y, u.a, u.b, u.c, u.e)
        Phi_u = ShallowReLUNet(u.a, u.b, u.c, u.e)
        L_r, w_r, slope = self._restricted_fit(ctx, Phi_u, N, False, True)
        r_l = float(realize(Phi_u, x[:1])[0] - y[0])
        dl = float(ABSORB_DELTA)
        change = (2 * abs(r_l) * slope * dl + slope**2 * dl**2) / x.size
        if change > self.margin * L_u:
            raise AssertionError(f"{self.id}: the carrier's loss change bound {change:.3g} exceeds the margin "
                                 f"{self.margin} × L_u; the stated tolerance would not hold")
        L_n, _, _ = self._restricted_fit(ctx, Phi_u, N, False, False, fit=False)
        L_o, w_o, _ = self._restricted_fit(ctx, Phi_u, N, True, True, adam=False)
        return {"restricted": L_r / L_u, "no_carrier": L_n / L_u, "width_excess": float(w_r - N),
                "oriented_R5": L_o / L_u, "L_unrestricted": L_u,
                "projected_width": w_r, "R5_width": w_o, "carrier_bound": change / L_u}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        return {"rows": [{"N": lv, "seed": s, **o} for (lv, s), o in sorted(observations.items())]}


# ====================================================================================================
# convexity on realizations (Section 1.2)
# ====================================================================================================


class Convexity(Claim):
    """Convexity on the realization space, not on the parameter space (BEG 2019, Section 1.2) — an algebraic
    statement, so it is checked symbolically (SymPy), not by an experiment.

    (i) The average of two width-N realizations is a width-2N realization: for symbolic parameters
    ``(a_i, b_i, c_i, e)``, ``(a'_i, b'_i, c'_i, e')``, ``x`` and an undefined activation ``ρ``, the concatenation with
    halved output weights realizes ``(f₀ + f₁)/2`` (``R(concat) − (R(Φ₀) + R(Φ₁))/2`` expands to 0) and has width
    ``2N``. (ii) The square loss ``L(f) = (1/M) Σ_j (f(x_j) − y_j)²`` is strongly convex in the values: with
    symbols ``F₀_j, F₁_j, y_j`` (M = 4), ``L((f₀ + f₁)/2) − (L(f₀) + L(f₁))/2 = −κ (1/M) Σ_j (F₀_j − F₁_j)²`` with
    ``κ`` solved for by SymPy (a number only if the identity holds for every value); predicted ``κ = ¼``
    exactly (TIGHT, tolerance 0: exact arithmetic). If (i) fails the measured κ is NaN (INCONCLUSIVE).
    (iii) The parameterized problem is not convex: every neuron of Φ rescaled by ``λ = 2``
    (``(2a, 2b, c/2)``, the same realization) has loss 0 on the data ``y_j = R(Φ)(x_j)``, as has Φ, but the
    parameter midpoint realizes ``e + (9/8)(R(Φ) − e)``: the normalised midpoint loss
    ``L(mid) / ((1/M) Σ (R(Φ)(x_j) − e)²)`` is ``(1/8)² = 1/64`` symbolically, where convexity in the parameters
    would give ``≤ 0``.

    Rungs: the width ``N`` of the symbolic networks (TIGHT decides at the widest). Mutants: "convex in
    parameters" (midpoint loss 0 on the witness of (iii)) and a wrong modulus ``κ = ½``. Knob: ``κ`` (a
    constant; any change is refuted, the identity is exact)."""

    id = "stability.convexity"
    paper = "stability"
    reference = "Section 1.2"
    title = "square loss convex on realizations, not on parameters (symbolic)"
    kind = Kind.TIGHT
    method = Method.SYMBOLIC
    ladders = {"quick": Ladder("width N", (1.0, 2.0, 3.0), seeds=1),
               "full": Ladder("width N", (1.0, 2.0, 4.0, 6.0), seeds=1)}
    tolerance = 0.0
    tolerance_reason = "exact symbolic identities (SymPy): no round-off"
    n_data = 4

    def predictions(self, ctx):
        return [Prediction("theory", "L(midpoint) − mean of the end losses = −¼ (1/M)Σ(f₀ − f₁)², the midpoint "
                           "a width-2N realization", 0.25, target="modulus"),
                Prediction("convex-in-parameters", "midpoint loss ≤ 0 along the parameter segment of the "
                           "rescaling witness", 0.0, mutant=True, target="parameter"),
                Prediction("modulus-one-half", "gap = −½ (1/M)Σ(f₀ − f₁)²", 0.5, mutant=True, target="modulus")]

    def knobs(self, ctx, theory):
        return [Knob("modulus", KnobKind.CONSTANT, lambda e: replace(theory, value=theory.value * (1.0 + e)),
                     "the strong-convexity modulus ¼", remeasure=False)]

    def experiment(self, ctx, level, seed):
        import sympy as sp

        N, M = int(level), self.n_data
        rho = sp.Function("rho")
        x = sp.Symbol("x", real=True)

        def net(tag):
            a = sp.symbols(f"a{tag}_0:{N}", real=True)
            b = sp.symbols(f"b{tag}_0:{N}", real=True)
            c = sp.symbols(f"c{tag}_0:{N}", real=True)
            return list(zip(a, b, c)), sp.Symbol(f"e{tag}", real=True)

        def realize_sym(rows, e, at=x):
            return sum((c * rho(a * at + b) for a, b, c in rows), sp.Integer(0)) + e

        half = sp.Rational(1, 2)
        (r0, e0), (r1, e1) = net("0"), net("1")
        mid_rows = [(a, b, c * half) for a, b, c in r0] + [(a, b, c * half) for a, b, c in r1]
        mid_ok = (len(mid_rows) == 2 * N and
                  sp.expand(realize_sym(mid_rows, (e0 + e1) * half) - (realize_sym(r0, e0) + realize_sym(r1, e1)) * half) == 0)
        F0, F1, Y = (sp.symbols(f"{n}_0:{M}", real=True) for n in ("F0", "F1", "y"))

        def loss(F):
            return sum(((f - y) ** 2 for f, y in zip(F, Y)), sp.Integer(0)) / M

        gap = loss([(f + g) * half for f, g in zip(F0, F1)]) - (loss(F0) + loss(F1)) * half
        spread = sum(((f - g) ** 2 for f, g in zip(F0, F1)), sp.Integer(0)) / M
        kappa = sp.cancel(sp.expand(-gap) / sp.expand(spread))
        modulus = float(kappa) if (mid_ok and kappa.is_number) else math.nan
        # (iii) the rescaling witness: Φ and Φ with every neuron (2a, 2b, c/2) realize the same function
        xs = sp.symbols(f"x_0:{M}", real=True)
        lam = sp.Integer(2)
        res = [(lam * a, lam * b, c / lam) for a, b, c in r0]
        par_mid = [((a + a2) * half, (b + b2) * half, (c + c2) * half) for (a, b, c), (a2, b2, c2) in zip(r0, res)]

        def homogeneous(expr):  # ρ(λz) = λρ(z) for λ > 0: write ρ(λ(a x + b)) as λ ρ(a x + b)
            return expr.replace(rho, lambda z: sp.Mul(*[f for f in sp.Mul.make_args(sp.factor(z)) if f.is_number])
                                * rho(sp.Mul(*[f for f in sp.Mul.make_args(sp.factor(z)) if not f.is_number])))

        data = [realize_sym(r0, e0, xv) for xv in xs]
        same = all(sp.expand(homogeneous(realize_sym(res, e0, xv)) - d) == 0 for xv, d in zip(xs, data))
        mid_loss = sum(((homogeneous(realize_sym(par_mid, e0, xv)) - d) ** 2 for xv, d in zip(xs, data)),
                       sp.Integer(0)) / M
        scale = sum(((d - e0) ** 2 for d in data), sp.Integer(0)) / M
        ratio = sp.cancel(sp.expand(mid_loss) / sp.expand(scale))
        parameter = float(ratio) if (same and ratio.is_number) else math.nan
        return {"modulus": modulus, "parameter": parameter, "midpoint_is_realization": bool(mid_ok),
                "kappa": str(kappa), "witness_ratio": str(ratio)}

    def measure(self, ctx, obs, prediction):
        return obs[prediction.target]


CLAIMS = [PathologyRescaling, PathologyUniformNorm, PathologyInactiveAffine, PathologySameDirection,
          PathologyOppositeDirections, PathologyCompensatingFlip, InverseStabilityExponent,
          InverseStabilityConstant, Expressivity, Convexity]

DERIVATIONS = {"sobolev-distance": derive_sobolev_distance}
