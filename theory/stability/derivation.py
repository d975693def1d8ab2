"""The constant of the 1-D inverse stability bound and ``nnlimits derive sobolev-distance`` (Berner,
Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803, Section 2 and Theorem 3.1).

Statement used (the reconstruction of Theorem 3.1 in docs/stability.md#theorem-3.1, with the orientation condition R5 added —
see :mod:`theory.stability.api`): for 1-D networks Φ, Γ of width N in the oriented restricted set R1–R5 on
``D = [l, u]`` with ``ε = ‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)} ≤ 1``,

.. math:: \\min_{π} ‖πΦ − Γ‖_∞ \\le C\\, ε^{1/2}, \\qquad C = 2\\sqrt{2}\\,(1 + M^2)^{1/4},\\quad M = \\max_{x∈D}|x|,

and ``C`` is attained in the limit when ``u = M`` (e.g. ``D = [−M, M]``) by
:func:`theory.stability.families.extremal_pair`.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from theory.common.derivation import Derivation, symbolically_equal
from theory.common.shallow_relu_net import ShallowReLUNet, as_box
from theory.stability.distance import sobolev_distance
from theory.stability.families import extremal_pair
from theory.stability.symmetry import param_distance


def inverse_stability_constant(domain) -> float:
    """``C = 2√2 (1 + M²)^{1/4}``, ``M = max_{x∈D} |x|``: the constant of the 1-D inverse stability bound
    on the oriented restricted set (R1–R5) for ``‖R(Φ) − R(Γ)‖_{W^{1,∞}} ≤ 1`` (derivation in
    :func:`derive_sobolev_distance`, steps 10–14)."""
    box = as_box(domain)
    if box.dim != 1:
        raise ValueError(f"domain: the constant is derived for d = 1, got d = {box.dim}")
    M = float(box.radius)
    return float(2 * np.sqrt(2) * (1 + M * M) ** 0.25)


def extremal_ratio(domain, eps=Fraction(1, 2**24), eta=Fraction(1, 2**12)) -> float:
    """``dist_param / dist_W^{1/2}`` of :func:`theory.stability.families.extremal_pair` (exact ``W^{1,∞}``
    distance, float64 parameter distance); tends to ``C`` as ``η, ε → 0`` when ``u = M``."""
    Phi, Gamma = extremal_pair(eps, eta, domain)
    dw = sobolev_distance(Phi, Gamma, domain).value
    return param_distance(Phi, Gamma).value / float(dw) ** 0.5


def derive_sobolev_distance() -> Derivation:
    """``nnlimits derive sobolev-distance``: the exact distance, why the exponent is ½ and what the constant
    is (1-D). Every equality is checked by SymPy or in exact rational arithmetic."""
    r, t, J, eps, M, s_ = sp.symbols("r t J epsilon M s", positive=True)
    x, z = sp.symbols("x z", real=True)
    zp = sp.Symbol("z_+", positive=True)
    k = sp.Symbol("k", positive=True)
    A, Bs, Cs = sp.symbols("a b c", real=True)
    a1, b1, c1, a2, b2, c2 = sp.symbols("a_1 b_1 c_1 a_2 b_2 c_2", real=True)
    delta = sp.Symbol("delta", positive=True)
    rho = lambda u: sp.Max(u, 0)  # noqa: E731

    def piecewise_equal(lhs, rhs) -> bool:
        return sp.simplify((sp.sympify(lhs) - rhs).rewrite(sp.Piecewise)) == 0

    d = Derivation("Exact W^{1,∞} distance of shallow ReLU realizations and the exponent ½",
                   "Berner, Elbrächter & Grohs, NeurIPS 2019 (arXiv 1905.09803), Section 2 and Theorem 3.1 "
                   "(statement as reconstructed in docs/stability.md#theorem-3.1; orientation condition R5 added)")
    a = r / sp.sqrt(1 + t**2)
    b = -r * t / sp.sqrt(1 + t**2)
    sub = {A: a, Bs: b, Cs: r}
    d.define("A balanced, right-oriented 1-D neuron with kink t and radius r (R1, R5): "
             "(a, b) = r (1, −t)/√(1+t²), c = ±r; its realization is c ρ(a x + b).",
             sp.Matrix([A, Bs]), sp.Matrix([a, b]))
    d.equal("It is balanced: a² + b² = c².", A**2 + Bs**2, r**2,
            check=lambda l, q: symbolically_equal(l.subs(sub), q), how="simplify after substituting (a, b)")
    d.equal("Its kink is at x = t.", -Bs / A, t,
            check=lambda l, q: symbolically_equal(l.subs(sub), q), how="simplify after substituting (a, b)")
    d.equal("Its derivative jump c·a is quadratic in the parameters.", Cs * A, r**2 / sp.sqrt(1 + t**2),
            check=lambda l, q: symbolically_equal(l.subs(sub), q), how="simplify after substituting (a, b)")
    d.equal("Conversely, the balanced neuron with jump J at t has radius r = (J√(1+t²))^{1/2}.",
            sp.Subs(r**2 / sp.sqrt(1 + t**2), r, sp.sqrt(J * sp.sqrt(1 + t**2))), J,
            check=lambda l, q: symbolically_equal(l.doit(), q), how="simplify after substituting r")
    d.equal("Realizations depend on (t, J) only: c ρ(a x + b) = J ρ(x − t), here at x = t + z.",
            Cs * rho(A * (t + z) + Bs), (r**2 / sp.sqrt(1 + t**2)) * rho(z),
            check=lambda l, q: all(symbolically_equal(l.subs(sub).subs(z, v), q.subs(z, v)) for v in (zp, -zp)),
            how="simplify for z > 0 and z < 0")
    t1, t2, Jq = Fraction(-1, 3), Fraction(1, 2), Fraction(3, 7)
    one = ShallowReLUNet([[Fraction(1)]], [-t1], [Jq])
    two = ShallowReLUNet([[Fraction(1)]], [-t2], [Jq])
    dist = sobolev_distance(one, two, (Fraction(-1), Fraction(1)), k=1).value
    d.equal("Hence R(Φ) − R(Γ) is continuous and piecewise linear with breakpoints at the kinks: its sup is "
            "attained at a breakpoint or an end of D and its derivative's sup is the largest slope of a "
            "piece, so the W^{1,∞}(D) distance is exact from the breakpoints. Two neurons with the same jump J "
            "at t₁ < t₂ in D = [−1, 1]: slope J on (t₁, t₂), the constant J(t₂ − t₁) right of it, so the "
            "distance is J max(1, t₂ − t₁); the breakpoint algorithm returns it for t₁ = −1/3, t₂ = 1/2, J = 3/7.",
            sp.Rational(dist.numerator, dist.denominator),
            sp.Rational(3, 7) * sp.Max(1, sp.Rational(1, 2) + sp.Rational(1, 3)), how="exact rationals")
    P, W = sp.symbols("P W", positive=True)
    d.define("Scale both small neurons' radii by s (a family along s → 0): parameters scale like s, the "
             "realization difference (a sum of J ρ terms, J ∝ r²) like s².",
             sp.Tuple(sp.Symbol("dist_param"), sp.Symbol("dist_W")), sp.Tuple(P * s_, W * s_**2))
    d.equal("Hence d log dist_param / d log dist_W1∞ = ½ along the family: the exponent ½ cannot be improved "
            "(exponent 1 would need dist_param/dist_W1∞ = P/(W s) to stay bounded).",
            sp.Derivative(sp.log(P * s_), s_) / sp.Derivative(sp.log(W * s_**2), s_), sp.Rational(1, 2),
            check=lambda l, q: symbolically_equal(l.doit(), q), how="simplify after doit")
    d.define("Upper bound on R1–R5 (1-D). Let h = R(Φ) − R(Γ), ε = ‖h‖_{W^{1,∞}} ≤ 1. h′ is a step function; "
             "at every kink location its jump is J_Φ − J_Γ, and |h′| ≤ ε on both sides, so |J_Φ − J_Γ| ≤ 2ε. "
             "Kinks present in only one net have |J| ≤ 2ε. With R3 and R5 kinks are distinct and a neuron is "
             "determined by (t, J).")
    d.equal("A kink shared by both nets with jumps of the same sign: |r − r′| ≤ |r² − r′²|^{1/2} "
            "= (|J − J′|√(1+t²))^{1/2} ≤ (2ε√(1+M²))^{1/2}, M = max_D |x|, and the neurons differ by |r − r′| in "
            "every entry.",
            sp.sqrt(2 * eps * sp.sqrt(1 + M**2)), sp.sqrt(2) * (1 + M**2) ** sp.Rational(1, 4) * sp.sqrt(eps))
    d.equal("Unmatched kinks (or a shared kink with jumps of opposite signs, then |J| + |J′| ≤ 2ε) have radii "
            "≤ (2ε√(1+M²))^{1/2}; two such neurons differ by at most r + r′ in every entry, so "
            "min_π ‖πΦ − Γ‖_∞ ≤ C ε^{1/2} with C = 2√2 (1+M²)^{1/4}.",
            2 * sp.sqrt(2 * eps * sp.sqrt(1 + M**2)), 2 * sp.sqrt(2) * (1 + M**2) ** sp.Rational(1, 4) * sp.sqrt(eps))
    d.define("The output bias: with R5 every neuron is off at x = l, so |e_Φ − e_Γ| = |h(l)| ≤ ε ≤ C ε^{1/2} "
             "for ε ≤ 1.")
    eps_x, eta_x = Fraction(1, 2**24), Fraction(1, 2**12)
    Phi, Gamma = extremal_pair(eps_x, eta_x, (-1, 1))
    w = sobolev_distance(Phi, Gamma, (-1, 1)).value
    d.equal("C is sharp on D = [−1, 1]: in the extremal configuration (h′ = 0, −ε, +ε, −ε, +ε with the two "
            "unmatched neurons of opposite output signs at u − 3η and u − η, each of jump 2ε) the W^{1,∞} "
            "distance is exactly ε (here ε = 2^{−24}, η = 2^{−12}) …",
            sp.Rational(w.numerator, w.denominator), sp.Rational(1, 2**24), how="exact rationals")
    ratio = param_distance(Phi, Gamma).value / float(w) ** 0.5
    C1 = 2 * np.sqrt(2) * 2**0.25
    d.equal(f"… while the parameter distance modulo permutations is the sum of the two radii: the ratio "
            f"{ratio:.4f} exceeds 0.99 C = {0.99 * C1:.4f} (C = {C1:.4f}).",
            sp.Gt(sp.Float(ratio, 15), sp.Float(0.99 * C1, 15)), sp.true,
            check=lambda l, q: bool(l) is bool(q), how="float64 parameter distance")
    d.equal("The uniform norm is too weak (Section 2): f_k = k[ρ(x − t) − ρ(x − t − k^{−2})] equals 1/k right of "
            "both kinks (its sup) while its derivative jumps by k: its balanced neurons have radius ~k^{1/2}.",
            (k * (rho(x - t) - rho(x - t - k**-2))).subs(x, t + k**-2 + zp), 1 / k)
    d.equal("Opposite directions (Section 2): ρ(z) − ρ(−z) = z for every real z.", rho(z) - rho(-z), z,
            check=piecewise_equal, how="Piecewise simplify")
    d.equal("Hence flipping two neurons, (a_i, b_i) ↦ (−a_i, −b_i), changes the realization by "
            "c₁(a₁x + b₁) + c₂(a₂x + b₂): an affine function of slope δ = c₁a₁ + c₂a₂.",
            c1 * (a1 * x + b1) + c2 * (a2 * x + b2), (c1 * a1 + c2 * a2) * x + (c1 * b1 + c2 * b2))
    d.equal("Both flipped nets satisfy R1–R4 (kinks and directions unchanged up to sign). After adjusting e the "
            "W^{1,∞}([−M, M]) distance is δ max(1, M) while the parameters move by ≈ 2r, so the ratio to "
            "dist^{1/2} is unbounded as δ → 0: no uniform constant on R1–R4 without R5.",
            sp.Limit(2 * r / sp.sqrt(delta * sp.Max(1, M)), delta, 0, "+"), sp.oo,
            check=lambda l, q: l.doit() == q, how="limit")
    return d
