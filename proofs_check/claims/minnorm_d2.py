"""Claims of Park, Pelakh & Wojtowytsch (NeurIPS 2023, arXiv 2311.06138) in dimension d = 2, as far as the
theory is known (docs/minnorm.md, the d = 2 family): the exact representational cost of finite networks
(:mod:`theory.minnorm.cost_md`), weight decay on data on a line (where the minimum-norm interpolant is known in
closed form) and a report of what the optimizers do on 2-D known regions. Opt-in (``default = False``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from numerics.minnorm import d2 as nd
from numerics.minnorm.shallow_relu import minibatches
from proofs_check.claim import Claim, Kind, Knob, KnobKind, Ladder, Method, Prediction
from proofs_check.claims import minnorm as mn
from proofs_check.crn import child
from proofs_check.papers import Statement
from theory.minnorm import cost_md as th
from theory.minnorm import erm

PAPER = replace(mn.PAPER, statements=(
    Statement("Representational cost of a finite shallow ReLU network on ℝ^d (free inner biases, free affine part): "
              "the least ½Σ(a² + ‖w‖²) over networks with the same realisation is Σ_H |Σ_{j∈H} a_j‖w_j‖| over the "
              "unoriented hyperplanes H (collinear neurons merged; antipodal neurons combined, relu(z) − relu(−z) = z).",
              "Ongie–Willett–Soudry–Srebro 2020 (R-norm, unregularised linear unit); proved in theory/minnorm/cost_md.py",
              "minnorm.d2.merge_invariance",
              derivation="representational-cost-d2",
              note="exact (SymPy): every realisation-preserving rewrite has the same computed cost, equal to the closed "
              "form of the one-neuron-per-hyperplane construction; the lower bound (no realisation is cheaper) is "
              "proved, not measured"),
    Statement("Data on a line in ℝ²: the minimum-norm interpolant is the ridge of the 1-D one (restriction to the line "
              "can only lower the cost), and weight-decay ERM with λ → 0 has norm R* − nλ‖u♯‖² (1-D linear response).",
              "paper, explicit regularisation; restriction argument and linear response derived here",
              "minnorm.d2.line_data"),
    Statement("Which optimizer (GD, SGD, Adam, AdamW, with and without weight decay) lands nearest the smallest-norm "
              "network on 2-D known regions (single-ridge target, R* = |Δg|/h).", "paper, numerical study",
              "minnorm.d2.optimizers", "a report: the paper makes no claim that could be confirmed here"),
    Statement("Minimum-norm interpolants of general 2-D data or regions (not on a line, not a single ridge).",
              "paper, numerical study in higher dimension", None,
              "not claimed: no closed form of the minimiser or of R* is known here (the Radon-domain norm of "
              "Ongie et al. is not implemented); the report claim tabulates costs without a verdict"),
    Statement("Representational cost in d ≥ 2 without a free affine part (the affine part paid by antipodal pairs).",
              "Ongie–Willett–Soudry–Srebro 2020 (they treat the unregularised linear unit)", None,
              "not claimed: only the cost with a free affine part is implemented (in d = 1 the other is Savarese's "
              "max(∫|f''|, |f'(−∞) + f'(+∞)|), minnorm.representational_cost)"),
))


# ----------------------------------------------------------------------------------------------------
# minnorm.d2.merge_invariance: the exact cost is a function of the realisation
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MergeSetting:
    lines: int = 4  # distinct hyperplanes of the drawn network (the rung)
    splittings: int = 4  # rewrites per drawn network
    pieces: int = 3  # collinear pieces per neuron in a rewrite
    extra: int = 2  # cancelling pairs on new hyperplanes per rewrite
    probes: int = 144  # rational points at which every rewrite is checked to realise the same function


#: explorable sizes of minnorm.d2.merge_invariance (see check_merge_setting) and the default setting
MERGE_RANGES = {"lines": (2, 8), "splittings": (2, 6), "pieces": (2, 4), "extra": (1, 3)}
MERGE_DEFAULT = {"lines": 4, "splittings": 4, "pieces": 3, "extra": 2}


def check_merge_setting(setting) -> None:
    """Raise ``ValueError`` naming the key unless ``setting`` is one of ``minnorm.d2.merge_invariance``: the keys of
    :data:`MERGE_RANGES`, integers in their ranges — ``K ∈ [2, 8]`` hyperplanes, ``2 … 6`` rewrites, ``2 … 4``
    pieces per neuron, ``1 … 3`` cancelling pairs per rewrite (why: the class docstring)."""
    from proofs_check.explore import setting_integer, setting_keys

    setting_keys(setting, MERGE_RANGES)
    what = {"lines": "the number of distinct hyperplanes K", "splittings": "the number of rewrites per network",
            "pieces": "the number of collinear pieces per neuron (at least 2: a split)",
            "extra": "the number of cancelling pairs per rewrite (at least 1: the path-norm mutant sees them)"}
    for k, (lo, hi) in MERGE_RANGES.items():
        setting_integer(setting, k, lo, hi, what[k])


def _summary(net: th.FiniteNetwork) -> dict:
    """The numbers every prediction of the merge claim reads, at 40 digits from the exact expressions."""
    m = th.merge(net)
    d = net.dim
    classes = []
    for k, j in zip(m.keys, m.jumps):
        nw = sum((t * t for t in k[:d]), Fraction(0))
        t2 = (k[d] * k[d]) / nw  # squared distance of the hyperplane from 0
        classes.append((abs(sp.N(j, 40)), sp.N(sp.Rational(t2.numerator, t2.denominator), 40)))
    with mpmath.workdps(40):
        conv = [(mpmath.mpf(str(a)), mpmath.mpf(str(t))) for a, t in classes]
    return {"cost": sp.N(m.cost(), 40), "path": sp.N(th.path_norm(net), 40), "oriented": sp.N(th.oriented_cost(net), 40),
            "signed": sp.N(th.signed_cost(net), 40),
            "classes": conv, "width": net.width}


class MergeInvariance(Claim):
    """The representational cost of a finite network on ℝ² is a function of its realisation, and equals the closed
    form ``Σ_H |c_H|`` (the finite-width case of Ongie, Willett, Soudry & Srebro, ICLR 2020, with the
    unregularised affine part; proved in :mod:`theory.minnorm.cost_md`: merging collinear neurons — same ``(w, b)``
    up to a positive factor — and antipodal neurons — ``relu(z) − relu(−z) = z`` moves into the affine part — gives
    one neuron per hyperplane ``H`` with jump ``c_H = Σ a_j‖w_j‖``, and ``min ½Σ(a² + ‖w‖²)`` over realisations
    ``= Σ_H |c_H|``; the cost of weight decay in the paper's setting, in d = 2).

    Experiment (per seed, exact): a network ``f`` with 4 distinct hyperplanes ``x₁ + m x₂ + b = 0`` (``m, b`` on the
    quarter grid, so ``‖w‖ = √(1 + m²)`` is irrational in general), one neuron each, outer weights ``±k/8`` and a
    random affine part: its closed-form cost is ``C = Σ_j |a_j|√(1 + m_j²)``. Four rewrites ``g_i`` with the same
    realisation (:func:`theory.minnorm.cost_md.random_splitting`): every neuron split into 3 collinear pieces with
    random positive scalings and outer weights of both signs, each piece flipped to its antipodal neuron with the
    affine correction, two cancelling pairs on new hyperplanes, neurons shuffled; every ``g_i`` is checked to equal
    ``f`` at 144 rational points, exactly (else the experiment fails: its premise). Measured, per prediction:
    ``max_{h ∈ {f, g_i}} |cost(h) − C| / C`` with ``cost`` the predicted cost function, evaluated from exact SymPy
    expressions at 40 digits.

    Decision (TIGHT, deterministic): 0 within ``1e-30`` on every seed (the exact difference is 0; the tolerance only
    covers the 40-digit evaluation, so a cost computed through a double-precision or approximate step is refuted).
    Mutants: the path norm ``Σ|a_j|‖w_j‖`` without merging (not realisation invariant: cancelling pieces count);
    merging only same-orientation neurons (antipodal pieces kept apart); the wrong sign for antipodal neurons (``c_H
    = Σ ±a_j‖w_j‖`` by orientation, as if ``relu(−z)`` bent the other way); the bias penalised as well, ``Σ_H
    |c_H|·√(1 + t_H²)`` (``t_H`` the distance of ``H`` from 0: realisation invariant, but not the free-bias cost).
    Knobs (``--power``): the constant in front of ``Σ_H|c_H|`` and the weight ``(1 + t_H²)^{ε/2}`` of each
    hyperplane (a deformation towards the penalized cost, ``ε = 1``).

    Explorable (``--explore N``; :func:`proofs_check.strategies.minnorm_d2.merge_settings`): the setting
    ``{"lines": K, "splittings", "pieces", "extra"}`` (default ``4, 4, 3, 2``, the experiment above) ranges over
    ``K ∈ [2, 8]`` hyperplanes, ``2 … 6`` rewrites, ``2 … 4`` pieces per neuron and ``1 … 3`` cancelling pairs
    per rewrite (an explored setting draws its own ``K``; the rung stays the default's 4). The statement holds
    for every network and rewrite (the proof in :mod:`theory.minnorm.cost_md`); the lower ends keep every
    mutant refuted: a cancelling pair adds ``2|s|‖w‖`` to the path norm of its rewrite, pieces of a class in
    both orientations (each flipped with probability ½) separate the oriented and sign-flipped costs from the
    merged one, and ``K ≥ 2`` random offsets ``k/4`` leave a hyperplane off 0 for the penalized cost. On 200 drawn
    settings (root seeds 100–101, the quick ladder's 4 networks each) every mutant was refuted. No ``explore``
    ladder: the quick one takes under a second.
    """

    id = "minnorm.d2.merge_invariance"
    paper = "minnorm"
    default = False
    reference = ("Ongie–Willett–Soudry–Srebro 2020 (R-norm of finite-width nets, unregularised affine part); proof in "
                 "theory/minnorm/cost_md.py")
    title = "d = 2: the merged cost Σ_H|c_H| is a function of the realisation"
    quantity = "max relative difference of the computed cost from the closed form over rewrites"
    kind = Kind.TIGHT
    method = Method.HIGH_PRECISION
    ladders = {"quick": Ladder("hyperplanes K", (4.0,), seeds=4), "full": Ladder("hyperplanes K", (4.0,), seeds=16)}
    tolerance = 1e-30
    tolerance_reason = ("the costs are exact SymPy expressions (sums of one surd per hyperplane) evaluated at 40 digits: "
                        "a correct cost differs from the closed form by ≤ 1e-38 relative; a cost off by a double-precision "
                        "round-off (1e-16) is refuted")

    @classmethod
    def settings(cls):
        from proofs_check.strategies.minnorm_d2 import merge_settings

        return merge_settings()

    @classmethod
    def default_setting(cls):
        return MERGE_DEFAULT

    def check_setting(self, setting):
        check_merge_setting(setting)

    def setup(self, budget):
        return MergeSetting() if self.setting is None else replace(MergeSetting(), **self.setting)

    def predictions(self, ctx):
        return [Prediction("theory", "cost = Σ_H |Σ_{j∈H} a_j‖w_j‖| over unoriented hyperplanes", 0.0, target=("cost", 1.0)),
                Prediction("no-merge", "cost = path norm Σ_j |a_j|‖w_j‖ of the given neurons", 0.0, mutant=True,
                           target=("path", 1.0)),
                Prediction("oriented-merge", "collinear neurons merged, antipodal ones kept apart", 0.0, mutant=True,
                           target=("oriented", 1.0)),
                Prediction("antipodal-sign", "antipodal neurons bend the other way: c_H = Σ ±a_j‖w_j‖ by orientation",
                           0.0, mutant=True, target=("signed", 1.0)),
                Prediction("penalized-bias", "cost = Σ_H |c_H|·√(1 + t_H²) (bias penalised too)", 0.0, mutant=True,
                           target=("weighted", 1.0))]

    def knobs(self, ctx, theory):
        return [Knob("cost constant", KnobKind.CONSTANT, lambda e: replace(theory, target=("cost", 1.0 + e)),
                     "the factor in front of Σ_H|c_H|", remeasure=True),
                Knob("hyperplane weight", KnobKind.FUNCTION, lambda e: replace(theory, target=("weighted", e)),
                     "the weight (1 + t_H²)^{ε/2} of a hyperplane at distance t_H from 0 (ε = 0: free bias)",
                     remeasure=True)]

    def experiment(self, ctx: MergeSetting, level, seed):
        rng = np.random.default_rng(seed)
        f = th.random_network(rng, ctx.lines)  # the rung for the default setting (K = 4), else the setting's K
        C = sum((abs(sp.Rational(a.numerator, a.denominator)) * sp.sqrt(sp.Rational((w[0] ** 2 + w[1] ** 2).numerator,
                                                                                      (w[0] ** 2 + w[1] ** 2).denominator))
                 for a, w in zip(f.a, f.W)), sp.Integer(0))
        nets = [f] + [th.random_splitting(f, rng, ctx.pieces, ctx.extra) for _ in range(ctx.splittings)]
        pts = th.probe_points(rng, ctx.probes)
        worst = max(th.realisation_gap(f, g, pts) for g in nets[1:])
        if worst != 0:  # the rewrites' premise, independent of any cost
            raise RuntimeError(f"a rewrite changed the realisation (max difference {worst})")
        return {"closed_form": sp.N(C, 40), "closed_form_expr": str(C), "summaries": [_summary(h) for h in nets]}

    @staticmethod
    def _cost(s: dict, which: str, param: float):
        if which == "weighted":
            return sum((a * (1 + t) ** (mpmath.mpf(param) / 2) for a, t in s["classes"]), mpmath.mpf(0))
        return mpmath.mpf(str(s[which])) * mpmath.mpf(param)

    def measure(self, ctx, obs, prediction):
        which, param = prediction.target
        with mpmath.workdps(40):
            C = mpmath.mpf(str(obs["closed_form"]))
            return float(max(abs(self._cost(s, which, param) - C) / C for s in obs["summaries"]))

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        rows = []
        for (level, s), o in sorted(observations.items()):
            rows.append({"seed": s, "closed_form": o["closed_form_expr"], "closed_form_float": float(o["closed_form"]),
                         "widths": [h["width"] for h in o["summaries"]],
                         "costs": [float(h["cost"]) for h in o["summaries"]],
                         "path_norms": [float(h["path"]) for h in o["summaries"]],
                         "oriented_costs": [float(h["oriented"]) for h in o["summaries"]]})
        return {"rows": rows, "setting": ctx.__dict__}


# ----------------------------------------------------------------------------------------------------
# minnorm.d2.line_data: weight decay on 2-D data on a line → the ridge of the 1-D minimum-norm interpolant
# ----------------------------------------------------------------------------------------------------
#: the data of minnorm.d2.line_data: y = 1, 0, 1, 0, 1 at s = −2, …, 2 along the line (R* = 6, q = 180, λ_c = 1/35)
LINE_S = (-2, -1, 0, 1, 2)
LINE_Y = (1, 0, 1, 0, 1)


@dataclass(frozen=True)
class LineSetting(mn.CostSetting):
    """The data on the line ``x = s·e`` and the optimiser's protocol of
    :class:`proofs_check.claims.minnorm.CostSetting`."""

    x: tuple = LINE_S
    y: tuple = LINE_Y
    #: the line x = s·e through 0 (a rational unit vector: exact positions)
    e: tuple = (Fraction(3, 5), Fraction(4, 5))


#: the setting of a plain run of minnorm.d2.line_data (an example of
#: :func:`proofs_check.strategies.minnorm_d2.line_settings`): positions ``x`` along the line, values, direction
LINE_DEFAULT = {"x": list(LINE_S), "y": list(LINE_Y), "e": [0.6, 0.8]}
LINE_KEYS = ("x", "y", "e")
#: positions along the line of an explored setting: on both sides of 0, |x| ≤ 2 (the default's extent; see
#: check_line_setting)
LINE_X_BOUND = 2.0


def check_line_setting(setting) -> None:
    """Raise ``ValueError`` naming the key unless ``setting`` is one of ``minnorm.d2.line_data``: the keys ``x``
    (positions along the line), ``y`` and ``e`` (the line's direction, a unit vector to 1e-12), the data
    admissible for the 1-D linear response and its experiment (:func:`proofs_check.claims.minnorm.cost_data_problem`:
    3 to 7 sorted points, spacing ≥ ½, ``|y| ≤ 5/4``, a kink at every interior point, the boundary term inactive
    — so the minimum with a free affine part is the LP's —, ``λ_c ≥ 1.5·2⁻⁶``, a kink off 0), on both sides of 0
    and within ``|x| ≤ 2``: there the GD protocol (step 0.2, time ``10/λ``, 5 starts, 16 polishes) reached its
    accuracy on 120 drawn settings (explore ladder); on data to one side of 0 (``x = −3, −2.5, −1.5``;
    ``x = −2, −1.5, −1``) the kinks are far from those of the initialisation (biases ``≤ 1/√2``) and it missed
    it, in d = 2 as in d = 1 (``minnorm.cost``)."""
    from proofs_check.explore import setting_keys

    setting_keys(setting, LINE_KEYS)
    e = setting["e"]
    if (not isinstance(e, list) or len(e) != 2
            or any(isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) for t in e)
            or abs(math.hypot(*e) - 1.0) > 1e-12):
        raise ValueError(f"setting e: expected the line's direction as a unit vector [e₁, e₂] (norm 1 to 1e-12), "
                         f"got {e!r}")
    problem = mn.cost_data_problem(setting["x"], setting["y"])
    if problem is not None:
        raise ValueError(problem)
    x = setting["x"]
    if not (x[0] < 0 < x[-1] and max(abs(t) for t in x) <= LINE_X_BOUND):
        raise ValueError(f"setting x: expected positions on both sides of 0 with |x| ≤ {LINE_X_BOUND:g} along the line "
                         f"(where gradient descent reaches the optimiser's accuracy), got {x!r}")


class LineData(mn._Cost):
    """Weight decay on 2-D data on a line: the trained network's norm converges to the exact minimum norm, which is
    that of the 1-D data, linearly in the weight decay with the 1-D constant (Park–Pelakh–Wojtowytsch 2023,
    explicit regularisation, in d = 2 where the minimum-norm interpolant is known in closed form).

    Setting: ``x_i = s_i e`` with ``e = (3/5, 4/5)``, ``s = −2, …, 2``, ``y = 1, 0, 1, 0, 1``; a width-32 network
    ``Σ a_j relu(w_j·x + b_j) + v·x + c`` on ℝ² (PyTorch's default initialisation), weight decay
    ``(λ/2)Σ(a_j² + ‖w_j‖²)``, free inner biases and free affine part, full-batch GD on
    ``(1/2n)Σ(f(x_i) − y_i)² + penalty`` (:mod:`numerics.minnorm.d2`).

    Prediction (derived in :mod:`theory.minnorm.cost_md`): restricting a network to the line gives a 1-D network
    with jumps ``a_j(w_j·e)``, of cost ``≤ Σ|a_j|‖w_j‖``, and the ridge of a 1-D network costs the same in ℝ²; so
    the 2-D weight-decay problem on these data has the value of the 1-D one with a free affine part, whose
    minimiser's norm is ``R(f_λ) = R* − nλ‖u♯‖²`` for ``λ ≤ λ_c`` (:func:`theory.minnorm.erm.linear_response`,
    ``skip=True``): ``R* = Σ|δ_{k+1} − δ_k| = 6`` (:func:`theory.minnorm.cost_md.line_data_min_norm`),
    ``u♯ = (1, −3, 4, −3, 1)``, ``λ_c = 1/35``: the trained path norm ``P(θ_λ) = Σ|a_j|‖w_j‖`` follows ``6 − 180λ``.

    Experiment: for ``λ = 2⁻⁷, …, 2⁻¹⁰`` GD (step 0.2, ``10/(0.2λ)`` steps, then as many at step 0.01) from up to 5
    initialisations (the lowest training objective kept; then at most 16 further polishes at step 0.01) until
    ``|P(θ) − R₁(f_λ)| ≤ 0.005·(R₁* − R₁(f_λ))``, with ``R₁(f_λ)`` the exact 1-D ERM on ``(s, y)``
    (:func:`theory.minnorm.erm.regularized_erm`) and ``R₁*`` the exact 1-D LP — the experiment's premise. The
    premise reads the 1-D problem: were the 2-D minimum below it (the reduction false), GD would miss it and the run
    would end as an error, never as a confirmation. The component of ``w_j`` normal to the line only decays (data on
    a line through 0), by ``e^{−10.5}``: its contribution to ``P`` is ``O(10⁻⁹)``. Decision (BOUND, deterministic):
    ``|P(θ_λ) − (R* − qλ^p)| / (R₁* − R₁(f_λ)) ≤ 0.005`` at every ``λ`` and seed (slack ``rtol = 1e-6``, round-off).
    Knobs: exponent ``p = 1``, gap coefficient ``q = 180``, ``R* = 6``.
    Mutants: the gap closing like ``√λ``; the trained norm following the penalized-bias line ``2 + 4√2 − (170 + 80√2)λ``
    (the value of weight decay on the biases too, whose restriction argument is the same).

    Explorable (``--explore N``; :func:`proofs_check.strategies.minnorm_d2.line_settings`): the setting
    ``{"x": [...], "y": [...], "e": [e₁, e₂]}`` (positions along the line, values, direction; default the data
    above and ``e = (0.6, 0.8)``) ranges over the data sets of ``minnorm.cost``'s exploration on both sides of 0
    within ``|x| ≤ 2`` (3 to 7 points on the quarter grid, spacings ½ to 2, ``|y| ≤ 5/4``, kept where
    :func:`proofs_check.claims.minnorm.cost_data_problem` finds nothing: a kink at every interior point, the
    boundary term inactive, ``λ_c ≥ 1.5·2⁻⁶``, a kink off 0) and the lines through 0 in the directions
    ``e = ((1 − m²), 2m)/(1 + m²)``, ``m = k/8``, ``|k| ≤ 8`` (every line through 0 up to orientation, axes
    included), all refused otherwise by :meth:`check_setting` (:func:`check_line_setting`). The reduction to the
    1-D problem and its linear response hold for all of them (the restriction argument does not depend on the
    direction; on these data the boundary term is inactive, so the LP's minimum is the minimum with a free affine
    part, and ``λ ≤ 2⁻⁷ < λ_c``); both mutants are resolved: the √λ line is off by ``(√2 − 1)`` of the gap at
    ``λ = 2⁻⁷``, and the penalized-bias line stays above ``R*`` by a fixed amount (a kink off 0) while the gap
    shrinks with ``λ``. Data to one side of 0 or beyond ``|x| ≤ 2`` are refused: there the GD protocol above
    missed its accuracy (an error of the experiment's premise, never a verdict) on one-sided data. On drawn data the
    penalized-bias line is computed in floats (:func:`proofs_check.claims.minnorm._penalized_line_float`). The
    ``explore`` ladder is ``λ = 2⁻⁷, 2⁻⁸, 2⁻⁹`` × 2 seeds (GD's length grows like ``1/λ``).
    """

    id = "minnorm.d2.line_data"
    paper = "minnorm"
    default = False
    reference = "paper, explicit regularisation, in d = 2; restriction to the line and linear response derived here"
    title = "d = 2, data on a line: trained path norm on the 1-D line R* − nλ‖u♯‖² (6 − 180λ)"
    quantity = "trained path norm against the line R* − qλ (relative to the exact gap)"
    bias = "free"
    other = "penalized"
    ladders = {**mn._Cost.ladders, "explore": Ladder("weight decay λ", tuple(2.0**-k for k in range(7, 10)), seeds=2)}

    @classmethod
    def settings(cls):
        from proofs_check.strategies.minnorm_d2 import line_settings

        return line_settings()

    @classmethod
    def default_setting(cls):
        return LINE_DEFAULT

    def check_setting(self, setting):
        check_line_setting(setting)

    def setup(self, budget):
        js = self.setting
        st = LineSetting() if js is None or js == LINE_DEFAULT else replace(
            LineSetting(), x=tuple(js["x"]), y=tuple(js["y"]), e=tuple(js["e"]))
        s = tuple(st.x)
        R_star = sp.Rational(*(lambda q: (q.numerator, q.denominator))(th.line_data_min_norm(s, st.y)))
        response = erm.linear_response(s, st.y, skip=True, bias="free")
        if sp.simplify(response.R_star - R_star) != 0:
            raise RuntimeError("the linear response's R* disagrees with the 1-D minimum Σ|δ_{k+1} − δ_k|")
        _, lp_value = mn._cost_exact(s, tuple(st.y), "free")
        if (s, tuple(st.y)) == (LINE_S, LINE_Y):
            other_response, other = mn._cost_exact(s, tuple(st.y), "penalized")
        else:  # exact surds take minutes on drawn data
            other_response, other = mn._penalized_line_float(s, tuple(st.y))
        return mn.CostContext(st, "free", R_star, other, response, other_response, lp_value)

    def experiment(self, ctx, level, seed):
        st = ctx.setting
        lam = float(level)
        if not lam <= float(ctx.response.lam_c):
            raise ValueError(f"weight decay λ = {lam} above λ_c = {float(ctx.response.lam_c)}: outside the linear regime")
        s = np.array(st.x, dtype=float)
        y = np.array(st.y, dtype=float)
        e = np.array([float(t) for t in st.e])
        X = s[:, None] * e[None, :]
        exact = erm.regularized_erm(s, y, lam)
        gap = ctx.R_exact - exact.tv
        steps = int(round(st.time_units / (st.lr * lam)))
        best = None
        for attempt in range(st.restarts + 1):
            net = nd.init_network(np.random.default_rng(seed if attempt == 0 else child(seed, 100 + attempt)), st.width)
            res = nd.train(X, y, net, "gd", lr=st.lr, steps=steps, lam=lam, record=steps)
            res = nd.train(X, y, res.net, "gd", lr=st.lr / st.polish, steps=steps, lam=lam, record=steps)
            P = nd.path_norm(res.net)
            run = (float(res.objective[-1]), P, float(res.loss[-1]), attempt, res.net)
            best = run if best is None or run[0] < best[0] else best
            if abs(P - exact.tv) <= st.accuracy * gap:
                best = run
                break
        objective, P, misfit, attempt, net = best
        extra = 0  # the best run polished further until it meets the accuracy (slow cases of the full ladder)
        while abs(P - exact.tv) > st.accuracy * gap and extra < st.extra_polish:
            extra += 1
            res = nd.train(X, y, net, "gd", lr=st.lr / st.polish, steps=steps, lam=lam, record=steps)
            net, objective, P, misfit = res.net, float(res.objective[-1]), nd.path_norm(res.net), float(res.loss[-1])
        if abs(P - exact.tv) > st.accuracy * gap:
            raise RuntimeError(f"GD missed the optimiser's accuracy at λ = {lam:g}: |P − R₁(f_λ)| = "
                               f"{abs(P - exact.tv) / gap:.3g}·(R₁* − R₁(f_λ)) after {st.restarts} restarts and "
                               f"{extra} further polishes")
        normal = np.array([-e[1], e[0]])
        return {"lam": lam, "path_norm": P, "gap": ctx.R_exact - P, "exact_norm": exact.tv, "exact_gap": gap,
                "optimisation_error": (P - exact.tv) / gap, "objective_excess": objective - exact.objective,
                "misfit": misfit, "exact_misfit": exact.misfit, "restarts": attempt,
                "steps": 2 * steps * (attempt + 1) + extra * steps, "extra_polish": extra,
                "max_normal_weight": float(np.max(np.abs(net.W @ normal)))}

    def details(self, ctx, observations):
        out = super().details(ctx, observations)
        out["max_normal_weight"] = max(o["max_normal_weight"] for o in observations.values())
        out["setting"] = {k: [str(t) for t in v] if isinstance(v, tuple) else v for k, v in ctx.setting.__dict__.items()}
        return out


# ----------------------------------------------------------------------------------------------------
# minnorm.d2.optimizers: which optimizer lands nearest the smallest-norm network on 2-D regions (report)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegionSetting:
    #: f = 0 on {e·x ≤ −h}, f = 1 on {e·x ≥ h}, inside the box |e·x| ≤ 3, |e⊥·x| ≤ 2
    e: tuple = (0.6, 0.8)
    h: float = 1.0
    outer: float = 3.0
    across: float = 2.0
    jump: float = 1.0
    n: int = 64
    width: int = 32
    steps: int = 20000
    lam: float = 1e-3


#: (name, method, lr, weight decay, batch)
REGION_RUNS = (("GD", "gd", 0.05, 0.0, None), ("GD + weight decay", "gd", 0.05, 1e-3, None),
               ("SGD + weight decay (batch 8)", "sgd", 0.05, 1e-3, 8), ("Adam", "adam", 1e-3, 0.0, None),
               ("Adam + L2", "adam", 1e-3, 1e-3, None), ("AdamW", "adamw", 1e-3, 1e-3, None))


class RegionOptimizers(Claim):
    """Which optimizer lands nearest the smallest-norm network on 2-D known regions (Park–Pelakh–Wojtowytsch 2023,
    numerical study, in d = 2). A table, no verdict: the paper makes no claim here that could be confirmed.

    Setting: the regions ``f = 0`` on ``{e·x ≤ −1}`` and ``f = 1`` on ``{e·x ≥ 1}`` (``e = (3/5, 4/5)``) inside the box
    ``|e·x| ≤ 3``, ``|e⊥·x| ≤ 2``; 64 samples uniform on their union with exact labels. The minimum cost of
    interpolating the regions is ``R* = |Δg|/h = 1``, attained by the ridge ramp (restriction to a line parallel to
    ``e``: :func:`theory.minnorm.cost_md.ridge_ramp_min_norm`). It is only an upper bound of the finite sample's own
    minimum (the samples stop short of the regions' inner edges), and weight decay ``λ > 0`` trades misfit for norm,
    so trained costs below 1 are expected. A width-32
    network (free biases and affine part) is trained for 20000 steps by GD and Adam without weight decay, and by GD,
    SGD (batch 8), Adam (L2 in the gradient) and AdamW with ``λ = 10⁻³``. ``details`` lists per run the training loss,
    the path norm, the merged cost (:func:`theory.minnorm.cost_md.network_cost_float`, hyperplanes within 10⁻³), the sup
    distance on a 41 × 41 grid of the box to the ridge ramp and to the smallest-cost network found among the runs
    that fit the data (loss ≤ 10⁻³), and which is nearer. Seen on the development seeds (a finding, not a claim):
    Adam with L2 reaches the smallest cost (≈ 0.8–0.9), GD and SGD with weight decay land close to it (≈ 0.95–1.05,
    within 0.03–0.07 in sup distance), while AdamW's decoupled decay (``lr·λ = 10⁻⁶`` per step) acts like no decay in
    20000 steps: its cost stays near GD's and Adam's without decay (≈ 1.7–2).
    """

    id = "minnorm.d2.optimizers"
    paper = "minnorm"
    default = False
    reference = "paper, numerical study of GD/SGD/Adam, in d = 2"
    title = "d = 2 regions: which optimizer lands nearest the smallest-norm network"
    quantity = "cost and distance of each trained network"
    kind = Kind.REPORT
    method = Method.TABLE
    ladders = {"quick": Ladder("width m", (32.0,), seeds=2), "full": Ladder("width m", (32.0,), seeds=6)}

    def setup(self, budget):
        st = RegionSetting()
        e = np.array(st.e)
        perp = np.array([-e[1], e[0]])
        g = np.linspace(-1.0, 1.0, 41)
        U, V = np.meshgrid(st.outer * g, st.across * g)
        grid = U.reshape(-1, 1) * e[None, :] + V.reshape(-1, 1) * perp[None, :]
        ramp = np.clip((U.reshape(-1) + st.h) * st.jump / (2 * st.h), 0.0, st.jump)
        return {"setting": st, "e": e, "perp": perp, "grid": grid, "ramp": ramp,
                "R_star": float(th.ridge_ramp_min_norm(Fraction(st.jump).limit_denominator(), Fraction(st.h).limit_denominator()))}

    def predictions(self, ctx):
        return []

    def experiment(self, ctx, level, seed):
        st: RegionSetting = ctx["setting"]
        rng = np.random.default_rng(child(seed, 2))
        u = rng.random((st.n, 3))
        side = u[:, 0] < 0.5
        along = np.where(side, -st.outer + (st.outer - st.h) * u[:, 1], st.h + (st.outer - st.h) * u[:, 1])
        across = st.across * (2 * u[:, 2] - 1)
        X = along[:, None] * ctx["e"][None, :] + across[:, None] * ctx["perp"][None, :]
        y = np.where(side, 0.0, st.jump)
        net0 = nd.init_network(np.random.default_rng(seed), int(level))
        rows = []
        for k, (name, method, lr, lam, batch) in enumerate(REGION_RUNS):
            bt = None if batch is None else minibatches(np.random.default_rng(child(seed, 10 + k)), st.n, st.steps, batch)
            res = nd.train(X, y, net0, method, lr=lr, steps=st.steps, lam=lam, batches=bt, record=st.steps)
            vals = nd.evaluate(res.net, ctx["grid"])
            rows.append({"optimizer": name, "weight_decay": lam, "loss": float(res.loss[-1]),
                         "path_norm": nd.path_norm(res.net),
                         "merged_cost": th.network_cost_float(res.net.a, res.net.W, res.net.b, tol=1e-3),
                         "sup_to_ramp": float(np.max(np.abs(vals - ctx["ramp"]))), "_values": vals})
        fit = [r for r in rows if r["loss"] <= 1e-3] or rows
        best = min(fit, key=lambda r: r["merged_cost"])
        for r in rows:
            r["sup_to_smallest_found"] = float(np.max(np.abs(r["_values"] - best["_values"])))
            r["smallest_found"] = best["optimizer"]
            r["nearer"] = "ridge ramp" if r["sup_to_ramp"] <= r["sup_to_smallest_found"] else "smallest found"
        for r in rows:
            del r["_values"]
        return rows

    def measure(self, ctx, obs, prediction):  # pragma: no cover - a REPORT claim predicts nothing
        return math.nan

    def keep_observation(self, level, seed_index):
        return True

    def details(self, ctx, observations):
        table = [{"width": int(level), "seed": s, **row} for (level, s), rows in sorted(observations.items()) for row in rows]
        return {"table": table, "R_star_ridge_ramp": ctx["R_star"],
                "setting": ctx["setting"].__dict__,
                "note": "no verdict: the paper makes no claim here that could be confirmed or refuted"}


CLAIMS = [MergeInvariance, LineData, RegionOptimizers]
DERIVATIONS = {"representational-cost-d2": th.derive_cost_d2}
