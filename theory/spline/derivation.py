"""``nnlimits derive kink-weight``: the kink weight ``g`` of a law, step by step, every step checked.

Heiss, Teichmann & Wutte, arXiv 1911.02903, Theorem 3.8 (``g(x) = p_ξ(x) E[v² | ξ = x]``); docs/spline.md.
Each closed form SymPy produces is checked *independently*: against an mpmath quadrature of its defining
integral at 30 digits, against the total mass ``∫ g = E[v²]``, and against ``g(0) = p_b(0) E|v|³``.
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp
from sympy.stats import E, density

from theory.common.derivation import Derivation, symbolically_equal
from theory.spline.kink_weight import kink_weights
from theory.spline.rf_law import RandomFeatureLaw, breakpoints, parse_law

#: sample points of the 30-digit checks
_SAMPLES = (-2.3, -0.45, 0.7, 1.9)


def _quadrature_half(law_num: RandomFeatureLaw, sign_v: int, x: float) -> mp.mpf:
    """``∫_{sign_v v > 0} |v|³ p_v(v) p_b(−xv) dv`` by mpmath quadrature, split at the densities' kinks."""
    t = sp.Symbol("t", real=True)
    pv = sp.lambdify(t, density(law_num.v)(t), "mpmath")
    pb = sp.lambdify(t, density(law_num.b)(t), "mpmath")
    X = mp.mpf(x)
    pts = {abs(mp.mpf(c)) for c in breakpoints(law_num.v) if c * sign_v > 0}
    pts |= {mp.mpf(c) / (-X * sign_v) for c in breakpoints(law_num.b) if mp.mpf(c) / (-X * sign_v) > 0}
    return mp.quad(lambda s: s**3 * pv(sign_v * s) * pb(-X * sign_v * s), [0] + sorted(pts) + [mp.inf])


def derive_kink_weight(v: str = "Normal(0, 1)", b: str = "Uniform(-c, c)", at: str = "3/2") -> Derivation:
    """The derivation for the laws ``v``, ``b`` (text, e.g. ``--set b='Laplace(0, 1)'``); symbolic parameters
    are positive and set to ``at`` for the numerical checks."""
    value = sp.Rational(at)
    vv, bb = parse_law(v, "v"), parse_law(b, "b")
    law = RandomFeatureLaw(vv, bb)
    x = sp.Symbol("x", real=True)
    kw = kink_weights(vv, bb, x)
    params = law.v.pspace.distribution.free_symbols | law.b.pspace.distribution.free_symbols
    num = {p: value for p in params}
    law_num = RandomFeatureLaw(vv.subs(num) if num else vv, bb.subs(num) if num else bb)
    t, s = sp.symbols("t s", real=True)

    d = Derivation(f"Kink weight of the random first layer: {law.describe()}",
                   "Heiss, Teichmann & Wutte, arXiv 1911.02903, Theorem 3.8; docs/spline.md")
    d.define("A hidden neuron ρ(b + v x) = |v| ρ(±(x − ξ)) has its kink at ξ = −b/v; it is active right of ξ "
             "when v > 0 and left of ξ when v < 0. The laws of v and b (independent) have the densities",
             sp.Symbol("p_v"), density(law.v)(t))
    d.define("and", sp.Symbol("p_b"), density(law.b)(t))
    d.define("Changing variables (v, b) ↦ (v, ξ), b = −ξv with Jacobian |v|, the joint density of (v, ξ) is "
             "p_v(v) p_b(−ξv)|v|, so g(x) = p_ξ(x) E[v² | ξ = x] = ∫ v² p_v(v) p_b(−xv)|v| dv, and its halves "
             "over ±v > 0 are", sp.Symbol("g_±(x)"),
             sp.Integral(sp.Abs(s) ** 3 * sp.Function("p_v")(s) * sp.Function("p_b")(-x * s), (s, -sp.oo, sp.oo)))
    for label, expr, sign in (("g₊ (neurons with v > 0)", kw.g_plus, 1), ("g₋ (neurons with v < 0)", kw.g_minus, -1)):
        f = sp.lambdify(x, expr.subs(num), "mpmath")

        def check(a, b_, f=f, sign=sign):
            with mp.workdps(40):
                return all(abs(f(mp.mpf(xv)) - _quadrature_half(law_num, sign, xv))
                           <= mp.mpf(10) ** -30 * max(1, abs(f(mp.mpf(xv)))) for xv in _SAMPLES)

        d.equal(f"SymPy integrates {label} in closed form (x ≠ 0); checked against quadrature of the "
                f"integral at x ∈ {list(_SAMPLES)}" + (f" with {', '.join(map(str, params))} = {value}" if params else ""),
                sp.Function("g_+" if sign > 0 else "g_-")(x), expr, check=check, how="mpmath 30 digits")
    # g₊ + g₋ unevaluated: SymPy would print two equal halves as 2·(…)
    d.equal("The kink weight is their sum.", sp.Function("g_+")(x) + sp.Function("g_-")(x), kw.g,
            check=lambda _lhs, rhs: symbolically_equal(kw.g_plus + kw.g_minus, rhs), how="simplify",
            code="halves = [s.rhs for s in steps if s.text.startswith('SymPy integrates g')]\n"
                 "assert symbolically_equal(halves[0] + halves[1], rhs)")
    def limit_check(a, b_):
        gp, gm, g0n = kink_weights(law_num.v, law_num.b, x).numeric()
        near = np.array([-1e-6, 1e-6])
        return bool(np.all(np.abs(gp(near) + gm(near) - g0n) < 1e-4 * g0n)) and abs(g0n - float(kw.g0.subs(num))) < 1e-12

    d.equal("At x = 0 only the density of b at 0 matters: g(0) = p_b(0) E|v|³ (the limit x → 0 of g).",
            sp.Function("g")(0), kw.g0, check=limit_check, how="g(±10⁻⁶) to 4 digits")
    mass = E(law.v ** 2)

    def mass_check(a, b_):
        from scipy.integrate import quad

        gp, gm, _ = kink_weights(law_num.v, law_num.b, x).numeric()
        g = lambda u: float(gp(np.array([u]))[0] + gm(np.array([u]))[0])  # noqa: E731
        total = sum(quad(g, lo, hi, epsabs=1e-14, epsrel=1e-13, limit=400)[0]
                    for lo, hi in ((-np.inf, -1), (-1, 0), (0, 1), (1, np.inf)))
        return abs(total - float(mass.subs(num))) < 1e-10

    d.equal("The kinks carry the whole second moment of the slope: ∫ g(x) dx = E[v²].",
            sp.Integral(sp.Function("g")(x), (x, -sp.oo, sp.oo)), mass, check=mass_check, how="adaptive quadrature, 10 digits")
    if law.symmetric():
        d.equal("The law is invariant under (v, b) ↦ (−v, −b), so the halves are equal: g₊ = g₋ = g/2.",
                kw.g_plus, kw.g / 2)
    d.define("The adapted spline penalises f = f₊ + f₋ by λ g(0)(∫ f₊''²/g₊ + ∫ f₋''²/g₋) "
             "(f₊ vanishing at −∞, f₋ at +∞), and the ridge network with λ̃ = λ n g(0) converges to it "
             "(Theorem 3.8; claims spline.kernel_limit, spline.rate, spline.weight).",
             sp.Symbol("lambda_tilde"), sp.Symbol("lambda") * sp.Symbol("n") * kw.g0)
    return d

