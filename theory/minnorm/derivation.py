"""Derivations of the minimum-norm paper's closed forms (Park, Pelakh & Wojtowytsch, NeurIPS 2023, arXiv
2311.06138; docs/minnorm.md), every equality checked by SymPy or against the project's independent solvers:

- ``nnlimits derive weight-decay-schedule``: the schedule ``λ_{n,m} = c·max(1/m, √(log n/n))^θ`` meets the three
  requirements of the explicit-regularisation theorem, and on two known regions the ERM's norm gap is the
  boundary-layer gap ``Δ/L₀ − Δ/(L + w)`` → ``2√(Δ/ρ)/L₀²·√λ`` (:func:`theory.minnorm.cost.lambda_schedule`,
  :func:`theory.minnorm.cost.ramp_gap`; claim ``minnorm.schedule``);
- ``nnlimits derive linear-response``: on finitely many points the ERM's norm is ``R(f_λ) = R* − nλ‖u♯‖²`` for
  ``λ ≤ λ_c`` (:func:`theory.minnorm.erm.linear_response`; claims ``minnorm.cost``, ``minnorm.cost_penalized``).
"""

from __future__ import annotations

import math

import sympy as sp

from theory.common.derivation import Derivation
from theory.minnorm.cost import Piecewise1D, kink_weight, lambda_schedule, ramp_gap, representational_cost
from theory.minnorm.erm import linear_response, small_erm


def _matrix_equal(lhs, rhs) -> bool:
    """Entrywise ``simplify(a − b) == 0`` for matrices of the same shape."""
    return lhs.shape == rhs.shape and all(sp.simplify(a - b) == 0 for a, b in zip(lhs, rhs))


def _float_close(digits: int):
    def check(lhs, rhs) -> bool:
        l_, r_ = float(sp.N(lhs, 30)), float(sp.N(rhs, 30))
        return abs(l_ - r_) <= 10.0 ** -digits * max(1.0, abs(r_))
    return check


# ----------------------------------------------------------------------------------------------------
# nnlimits derive weight-decay-schedule
# ----------------------------------------------------------------------------------------------------
def derive_weight_decay_schedule(c: str = "1/100", theta: str = "9/10", width_ratio: str | int = 4) -> Derivation:
    """The weight-decay schedule and the boundary-layer gap it produces on two known regions (the setting of
    ``minnorm.schedule``: ``f = 0`` on ``[−5, −1]``, ``f = 1`` on ``[1, 5]``). Options: the scale ``c``, the
    exponent ``θ ∈ (0, 1)`` and the width ratio ``n/m`` (exact rationals / an integer)."""
    try:
        c_v, th_v, ratio = sp.Rational(c), sp.Rational(theta), int(width_ratio)
    except (TypeError, ValueError):
        raise ValueError(f"c, theta, width_ratio: expected rationals and an integer, got {c!r}, {theta!r}, "
                         f"{width_ratio!r}") from None
    if not (c_v > 0 and 0 < th_v < 1 and ratio >= 1):
        raise ValueError(f"c, theta, width_ratio: expected c > 0, 0 < theta < 1, width_ratio >= 1, got {c_v}, "
                         f"{th_v}, {ratio}")
    n, m, lam, cc, th = sp.symbols("n m lambda c theta", positive=True)
    eps = sp.Max(1 / m, sp.sqrt(sp.log(n) / n))
    d = Derivation("The weight-decay schedule λ_{n,m} and the √λ boundary-layer gap of the ERM",
                   "Park, Pelakh & Wojtowytsch, NeurIPS 2023 (arXiv 2311.06138), explicit-regularisation theorem "
                   "(its exact rate could not be consulted: the requirements are derived by the standard Barron-space "
                   "argument, E, Ma & Wu 2019); docs/minnorm.md")
    d.define("The ERM (1/2n)Σ(f(x_i) − y_i)² + λ·(path norm) over width-m networks; the schedule λ_{n,m} = c ε_{n,m}^θ "
             "with the two error scales ε_{n,m} = max(1/m, √(log n/n)) (approximation by m neurons, Rademacher "
             "complexity of the norm ball).", sp.Symbol(r"\lambda_{n,m}"), cc * eps ** th)
    n0 = 4096
    d.equal(f"The implementation lambda_schedule at n = {n0}, m = n/{ratio}, c = {c_v}, θ = {th_v} (float, 14 digits).",
            sp.Float(lambda_schedule(n0, n0 // ratio, c=float(c_v), theta=float(th_v)), 17),
            (cc * eps ** th).subs({cc: c_v, th: th_v, n: n0, m: n0 // ratio}), check=_float_close(14),
            how="float, 14 digits")
    n_min = next(k for k in range(2, 10**6) if k * math.log(k) >= ratio**2)
    lam_n = c_v * (sp.log(n) / n) ** (th_v / 2)  # ε = √(log n/n) once n log n ≥ ratio² (m = n/ratio)
    d.equal(f"With m = n/{ratio}, √(log n/n) ≥ {ratio}/n as soon as n log n ≥ {ratio ** 2} (n ≥ {n_min} here), so "
            "ε_{n,m} = √(log n/n) and λ_{n,m} = c (log n/n)^(θ/2). (i) λm → ∞: an m-neuron approximant with "
            "risk ≤ Q²/m keeps the ERM's norm ≤ Q + Q²/(λm) bounded.",
            sp.limit(lam_n * n / ratio, n, sp.oo), sp.oo, check=lambda l, r: l == r, how="SymPy limit")
    d.equal("(ii) λ √(n/log n) → ∞: the generalisation gap, of order r²√(log n/n), on the norm ball is negligible against "
            "the penalty.", sp.limit(lam_n * sp.sqrt(n / sp.log(n)), n, sp.oo), sp.oo,
            check=lambda l, r: l == r, how="SymPy limit")
    d.equal("(iii) λ → 0: the limit interpolates, and by lower semicontinuity of the norm it is a minimum-norm "
            "interpolant.", sp.limit(lam_n, n, sp.oo), 0)
    # the two-region setting
    Dl, L, w, rho, s, x = sp.symbols("Delta L w rho s x", positive=True)
    d.define("Two known regions of length ℓ, f = 0 left and f = Δ right, inner ends 2L₀ apart, n samples of density "
             "ρ = 1/(2ℓ) each: the minimum-norm interpolant is the ramp with R* = Δ/L₀. The ERM widens the ramp into "
             "each region by w (an extra kink in the gap costs curvature without lowering the misfit): the line",
             sp.Function("ell")(x), Dl * (x + L + w) / (2 * (L + w)))
    X = sp.Symbol("x", real=True)
    line = sp.Min(sp.Max((X + sp.Rational(5, 4)) / sp.Rational(5, 2), 0), 1)
    d.equal("Its norm is the two kinks' jumps Δ/(2(L + w)) each: R = Δ/(L + w) (representational_cost of the clipped "
            "line at Δ = 1, L = 1, w = 1/4, free skip term: 1/(5/4)).",
            sp.Function("R")(sp.Symbol("ell")), sp.Rational(4, 5),
            check=lambda _l, r: representational_cost(Piecewise1D.from_sympy(line, X), skip=True) == r,
            how="representational_cost, exact")
    misfit = (sp.Rational(1, 2) * rho * 2 * sp.integrate((Dl * s / (2 * (L + w))) ** 2, (s, 0, w)))
    d.equal("Its misfit (1/2n)Σ(ℓ(x_i) − y_i)² → ½ρ∫ over the two layers of width w, where the residual is "
            "Δs/(2(L + w)) at depth s:", misfit, rho * Dl**2 * w**3 / (12 * (L + w) ** 2))
    J = rho * Dl**2 * w**3 / (12 * (L + w) ** 2) + lam * Dl / (L + w)
    d.equal("The objective J(w) = misfit + λΔ/(L + w) is stationary where 12λ(L + w) = ρΔ(3Lw² + w³) (numerator "
            "of J′(w), times 12(L + w)³/Δ):", sp.simplify(sp.diff(J, w) * 12 * (L + w) ** 3 / Dl),
            rho * Dl * (3 * L * w**2 + w**3) - 12 * lam * (L + w))
    e, v = sp.symbols("epsilon v", positive=True)
    scaled = sp.expand((rho * Dl * (3 * L * w**2 + w**3) - 12 * lam * (L + w)).subs({lam: e**2, w: e * v}) / e**2)
    d.equal("As λ = ε² → 0 the root is w = ε v + O(ε²) with 3ρΔL v² = 12 L, i.e. w ≈ 2√(λ/(ρΔ)) (the layer width "
            "∝ √λ):", sp.solve(scaled.subs(e, 0), v)[0], 2 / sp.sqrt(rho * Dl))
    L0 = sp.Symbol("L_0", positive=True)
    gap = Dl / L0 - Dl / (L0 + 2 * e / sp.sqrt(rho * Dl))
    d.equal("So the norm gap R* − R(f̂) = Δ/L₀ − Δ/(L₀ + w) = Δw/L₀² + O(w²) = 2√(Δ/ρ)/L₀²·√λ + O(λ) "
            "(the leading coefficient in ε = √λ):", sp.series(gap, e, 0, 2).removeO(),
            2 * sp.sqrt(Dl / rho) / L0**2 * e)
    d.equal("At the claim's regions (Δ = 1, L₀ = 1, ℓ = 4, ρ = 1/8) the constant is 4√2.",
            (2 * sp.sqrt(Dl / rho) / L0**2).subs({Dl: 1, L0: 1, rho: sp.Rational(1, 8)}), 4 * sp.sqrt(2))
    lam_f = 2.0 ** -20
    root = [r_ for r_ in sp.Poly((rho * Dl * (3 * L * w**2 + w**3) - 12 * lam * (L + w)).subs(
        {rho: sp.Rational(1, 8), Dl: 1, L: 1, lam: sp.Rational(1, 2**20)}), w).nroots(n=30) if r_.is_real and r_ > 0][0]
    d.equal("ramp_gap solves the cubic exactly (its positive root; one sign change): at λ = 2^(−20), n = ∞ its gap is "
            "1 − 1/(1 + w) (float, 13 digits).", sp.Float(ramp_gap(lam_f).gap, 17), 1 - 1 / (1 + root),
            check=_float_close(13), how="float, 13 digits")
    k, nn = sp.symbols("K n", integer=True, nonnegative=True)
    ell = sp.Symbol("ell", positive=True)

    def edge_check(lhs, rhs) -> bool:
        return all(sp.simplify(sum(sp.binomial(N, K) / 2**N * ell / (K + 1) for K in range(N + 1))
                               - rhs.subs(nn, N)) == 0 for N in range(1, 13))
    d.equal("Finite n: the data stop at the innermost sample, at expected distance E[ℓ/(K + 1)], K ~ Bin(n, ½) samples "
            "in a region, from each inner end, so L = L₀ + E (checked for n = 1 … 12, exact):",
            sp.Sum(sp.binomial(nn, k) * 2**-nn * ell / (k + 1), (k, 0, nn)),
            2 * ell * (1 - 2 ** (-nn - 1)) / (nn + 1), check=edge_check, how="exact sums, n = 1 … 12")
    t = sp.Symbol("t", positive=True)  # t = log n
    slope = sp.simplify(sp.expand(sp.diff(sp.expand_log(sp.log(sp.sqrt(c_v * (t / sp.exp(t)) ** (th_v / 2))), force=True), t)))
    d.equal("Along the ladder the gap ∝ √λ_{n,m} ∝ (log n/n)^(θ/4): its log–log slope in n is (θ/4)(1/log n − 1) "
            "(t = log n), about −0.19 over n = 512 … 16384 for θ = 9/10 (the claim fits the slope of "
            "log ramp_gap(λ_{n,m}, n), finite λ and n included); a linear response would give the slope of λ itself, "
            "twice as steep.", slope, th_v / 4 * (1 / t - 1))
    d.feeds = ["minnorm.schedule"]
    d.command = "nnlimits verify minnorm.schedule"
    return d


# ----------------------------------------------------------------------------------------------------
# nnlimits derive linear-response
# ----------------------------------------------------------------------------------------------------
def derive_linear_response(x: str = "-2,-3/4,0,5/4,2", y: str = "1,0,1,0,1") -> Derivation:
    """The linear response ``R(f_λ) = R* − nλ‖u♯‖²`` of the weight-decay ERM on the points ``(x_i, y_i)`` (the
    data of ``minnorm.cost``), free and penalized bias. Options: comma-separated rationals ``x`` (sorted) and
    ``y``."""
    try:
        xs = [sp.Rational(v) for v in str(x).split(",")]
        ys = [sp.Rational(v) for v in str(y).split(",")]
    except (TypeError, ValueError):
        raise ValueError(f"x, y: expected comma-separated rationals, got x={x!r}, y={y!r}") from None
    if len(xs) != len(ys) or len(xs) < 3:
        raise ValueError(f"x, y: expected equally many (>= 3) values, got {len(xs)} and {len(ys)}")
    N = len(xs)
    resp = linear_response(xs, ys, skip=False, bias="free")
    d = Derivation("Linear response of the weight-decay ERM on finitely many points: R(f_λ) = R* − nλ‖u♯‖²",
                   "Park, Pelakh & Wojtowytsch, NeurIPS 2023 (arXiv 2311.06138), explicit regularisation; "
                   "Savarese–Evron–Soudry–Srebro 2019, Thm 1 (the cost); docs/minnorm.md")
    lam = sp.Symbol("lambda", positive=True)
    d.define(f"The ERM (1/2n)Σ(f(x_i) − y_i)² + λR(f) on the n = {N} points x = {', '.join(map(str, xs))} with "
             f"y = {', '.join(map(str, ys))}; R the representational cost (free bias: ω ≡ 1).",
             sp.Symbol("J(f)"), sp.Symbol("M(f)") + lam * sp.Symbol("R(f)"))
    h = [xs[i + 1] - xs[i] for i in range(N - 1)]
    D = sp.zeros(N - 2, N)
    for k in range(1, N - 1):
        D[k - 1, k - 1], D[k - 1, k], D[k - 1, k + 1] = 1 / h[k - 1], -1 / h[k - 1] - 1 / h[k], 1 / h[k]
    Y = sp.Matrix(ys)
    Dy = D * Y
    slopes = [(ys[i + 1] - ys[i]) / h[i] for i in range(N - 1)]
    d.equal("The slope jumps of the piecewise-linear interpolant at the interior points are Dy, D the second-difference "
            "operator (rows 1/h_{k−1}, −1/h_{k−1} − 1/h_k, 1/h_k):", Dy,
            sp.Matrix([slopes[k] - slopes[k - 1] for k in range(1, N - 1)]), check=_matrix_equal, how="exact")
    omega = [kink_weight(xs[k], "free") for k in range(1, N - 1)]
    R_star = sum((omega[k] * sp.Abs(Dy[k]) for k in range(N - 2)), sp.Integer(0))
    d.equal("Its cost is R* = Σ ω(x_k)|(Dy)_k| (by the mean value theorem no interpolant has less curvature; the "
            "boundary term is inactive here): representational_cost of the interpolant, exact.",
            sp.Function("R")(sp.Symbol("f_{PL}")), R_star,
            check=lambda _l, r: representational_cost(Piecewise1D.linear_interpolant(xs, ys)) == r,
            how="representational_cost, exact")
    z = sp.Matrix([omega[k] * sp.sign(Dy[k]) for k in range(N - 2)])
    u = D.T * z
    d.equal("The dual certificate u♯ = Dᵀz, z_k = ω(x_k) sign((Dy)_k) (the least-norm optimal one; "
            "theory.minnorm.erm.linear_response):", u, sp.Matrix(resp.u), check=_matrix_equal, how="simplify")
    d.equal("It certifies R*: ⟨u♯, y⟩ = Σ_k z_k (Dy)_k = R*.", (u.T * Y)[0, 0], resp.R_star)

    def feasible(lhs, rhs) -> bool:
        tot = [sum((u[i] * (xs[i] - t) for i in range(N) if xs[i] > t), sp.Integer(0)) for t in xs]
        outside = sum(u) == 0 and sum(u[i] * xs[i] for i in range(N)) == 0
        return outside and max(sp.Abs(v) for v in tot) == rhs
    Lt = sp.Function("L_u")
    d.equal("Dual feasibility for a kink at every t: L(t) = Σ_{x_i > t} u♯_i (x_i − t) is piecewise linear with its "
            "breaks at the data and vanishes outside them (Σu♯ = Σu♯x = 0), so max_t |L(t)| = max_k |L(x_k)| = 1 ≤ ω "
            "(exact at the data points).", sp.Max(*[sp.Abs(Lt(v)) for v in xs]), sp.Integer(1), check=feasible,
            how="exact at the breaks")
    n = sp.Integer(N)
    DDz = D * D.T * z
    cands = [sp.Abs(Dy[k]) / (n * sp.Abs(DDz[k])) for k in range(N - 2) if DDz[k] != 0 and (DDz[k] > 0) == (Dy[k] > 0)]
    d.equal("Optimality: f_λ(x_i) = y_i − nλu♯_i has the residual nλu♯ (the gradient of the misfit is −u♯·λ, matched "
            "by the subgradient λz of the cost) as long as its slope jumps Dy − nλDDᵀz keep their signs, i.e. up to "
            "λ_c = min_k |(Dy)_k|/(n|(DDᵀz)_k|):", sp.Min(*cands), resp.lam_c)
    R, q, Rl = sp.Symbol("R^*", positive=True), sp.Symbol("q", positive=True), sp.Symbol("R_lambda", positive=True)
    primal = lam * Rl + (n * lam) ** 2 * q / (2 * n)
    dual = lam * (R - n * lam * q / 2)
    d.equal("Fenchel duality, primal value λR(f_λ) + (1/2n)‖nλu♯‖² = dual value λ(⟨u♯, y⟩ − (nλ/2)‖u♯‖²), q = ‖u♯‖², "
            "solved for the norm: the linear response (no √λ for finitely many points).",
            sp.solve(sp.Eq(primal, dual), Rl)[0], R - n * lam * q)
    q_v = sum((v**2 for v in u), sp.Integer(0))
    d.equal("The gap coefficient n‖u♯‖²:", n * q_v, resp.gap_coefficient)
    lam_half = resp.lam_c / 2
    fl = Piecewise1D.linear_interpolant(xs, resp.values(lam_half))
    d.equal(f"Check at λ = λ_c/2 = {lam_half}: the cost of f_λ (the interpolant of y − nλu♯), exact, is R* − nλ‖u♯‖².",
            sp.Function("R")(sp.Symbol("f_lambda")), resp.R_star - resp.gap_coefficient * lam_half,
            check=lambda _l, r: representational_cost(fl) == r, how="representational_cost, exact")
    erm = small_erm([float(v) for v in xs], [float(v) for v in ys], float(lam_half))
    d.equal("… and against the ERM solved independently by enumerating the kink signs and checking its optimality "
            "conditions at every kink position (small_erm, floats, 9 digits).",
            sp.Float(erm.norm, 17), resp.R_star - resp.gap_coefficient * lam_half, check=_float_close(9),
            how="small_erm, 9 digits")
    # penalized bias
    try:
        pen = linear_response(xs, ys, skip=False, bias="penalized")
    except ValueError:
        pen = None
    if pen is not None:
        om_p = [kink_weight(xs[k], "penalized") for k in range(1, N - 1)]
        z_p = sp.Matrix([om_p[k] * sp.sign(Dy[k]) for k in range(N - 2)])
        u_p = D.T * z_p
        d.equal("Penalized bias (ω(t) = √(1 + t²), decay on the inner biases too): the same construction with "
                "z_k = ω(x_k) sign((Dy)_k) gives u♯ …", u_p, sp.Matrix(pen.u), check=_matrix_equal, how="simplify")
        d.equal("… R* = Σ ω(x_k)|(Dy)_k| (representational_cost with the penalized bias, exact) …",
                sp.Function("R_pen")(sp.Symbol("f_{PL}")), pen.R_star,
                check=lambda _l, r: sp.simplify(representational_cost(Piecewise1D.linear_interpolant(xs, ys),
                                                                      bias="penalized") - r) == 0,
                how="representational_cost, exact")
        d.equal("… and the gap coefficient n‖u♯‖² of the penalized line.",
                sp.expand(n * sum((v**2 for v in u_p), sp.Integer(0))), sp.expand(pen.gap_coefficient))
    d.define("The claims train width-32 networks by gradient descent at λ = 2^(−7) … 2^(−10) ≤ λ_c and check that the "
             "trained path norm P(θ_λ) lies on the line within the optimiser's accuracy of the gap; the mutants "
             "(a √λ gap, the other bias's line) are refuted.", sp.Function("P")(sp.Symbol("theta_lambda")),
             resp.R_star - resp.gap_coefficient * lam)
    d.feeds = ["minnorm.cost", "minnorm.cost_penalized"]
    d.command = "nnlimits verify 'minnorm.cost*'"
    return d


__all__ = ["derive_weight_decay_schedule", "derive_linear_response"]
