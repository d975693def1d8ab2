"""The derivation printed by ``nnlimits derive ridgelet``: the closed forms of docs/ridgelet.md#closed-forms, every
equality checked by SymPy (``simplify``) or against an mpmath quadrature of the definition at 30 digits.

Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441); Sonoda & Murata 2017; docs/ridgelet.md#closed-forms.
"""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from theory.ridgelet import mp as rmp
from theory.ridgelet.activations import OMEGA, Z, activation, gaussian_derivative, gaussian_derivative_activation, tanh_ridgelet
from theory.common.derivation import Derivation
from theory.ridgelet.transform import (
    NotAdmissibleError,
    _W,
    admissibility_closed_form,
    admissibility_constant,
    fourier_transform,
    parameter_symbols,
    ridgelet_fourier,
    ridgelet_transform,
    tanh_admissibility_closed_form,
    truncated_reconstruction_multiplier,
)
from theory.ridgelet.rerm import A_BOX, LAG, T, XI, autocorrelation, box_kernel, box_multiplier, rerm_constant, rerm_spectrum

#: agreement required of a 30-digit quadrature (relative)
MP_TOL = sp.Float("1e-25")


def _mp_close(lhs, rhs) -> bool:
    l_, r_ = sp.N(lhs, 40), sp.N(rhs, 40)
    return bool(abs(l_ - r_) <= MP_TOL * (1 + abs(r_)))


def _mp_number(value) -> sp.Expr:
    """An mpmath result as a SymPy Float with all its digits (an imaginary part below 10^-28 is dropped)."""
    value = mp.mpmathify(value)
    re_ = sp.Float(mp.nstr(mp.re(value), 40), 40)
    im = mp.im(value)
    if abs(im) > mp.mpf(10) ** -28 * (1 + abs(mp.re(value))):
        return re_ + sp.I * sp.Float(mp.nstr(im, 40), 40)
    return re_


def _s(q: sp.Rational) -> str:
    """An exact rational as a decimal string for the mpmath references (converted at their precision)."""
    return str(sp.N(q, 50))


def derive_ridgelet(m: str | int = 1, k: str | int = 2) -> Derivation:
    """Markdown + LaTeX derivation of the closed forms of docs/ridgelet.md#closed-forms, every equality checked.

    Options (``nnlimits derive ridgelet --set m=2 --set k=4``): the input dimension ``m`` (1–3) and the
    order ``k`` of the ridgelet function ``ρ = G^{(k)}``.
    """
    try:
        m, k = int(m), int(k)
    except ValueError:
        raise ValueError(f"m, k: expected integers, got m={m!r}, k={k!r}") from None
    if not (1 <= m <= 3) or not (0 <= k <= 8):
        raise ValueError(f"m, k: expected 1 <= m <= 3 and 0 <= k <= 8, got m={m}, k={k}")
    d = Derivation(
        f"Ridgelet spectrum: closed forms (m = {m}, ρ = G^({k}))",
        "Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441); Sonoda & Murata 2017; docs/ridgelet.md#closed-forms",
    )
    avars, b = parameter_symbols(m)
    a2 = sum(a**2 for a in avars)
    xs = [sp.Symbol(f"x_{i + 1}", real=True) for i in range(m)]
    d.define("Ridgelet transform (Fourier transform without 2π: φ^♯(ω) = ∫ φ(z) e^{−izω} dz; no |a|^s factors "
             "in R or S).", sp.Function("R")(*avars, b),
             sp.Integral(sp.Function("f")(*xs) * sp.conjugate(sp.Function("rho")(sum(a * x for a, x in zip(avars, xs)) - b)),
                         *[(x, -sp.oo, sp.oo) for x in xs]))
    rho = gaussian_derivative(k)
    d.equal(f"The ridgelet function ρ = G^({k}) is (−1)^k He_k(z) e^(−z²/2).", rho(Z),
            (-1) ** k * sp.hermite_prob(k, Z) * sp.exp(-Z**2 / 2))
    rh = ridgelet_fourier(rho)
    d.equal("Its Fourier transform (a Gaussian integral: complete the square).", rh(OMEGA),
            (sp.I * OMEGA) ** k * sp.sqrt(2 * sp.pi) * sp.exp(-OMEGA**2 / 2))
    w0 = sp.Rational(7, 10)
    d.equal("… and against quadrature of ∫ ρ(z) e^{−izω} dz at ω = 0.7 (30 digits).",
            _mp_number(rmp.fourier_mp(rho, _s(w0))), rh(w0), check=_mp_close, how="mpmath 30 digits")
    f = sp.Lambda(tuple(xs), sp.exp(-sum(x**2 for x in xs) / 2))
    fh = fourier_transform(f, m)
    d.equal(f"The target f(x) = exp(−|x|²/2) on R^{m} has f̂(ξ) = (2π)^(m/2) exp(−|ξ|²/2).", fh.expr,
            (2 * sp.pi) ** sp.Rational(m, 2) * sp.exp(-sum(s**2 for s in fh.variables) / 2))
    d.define("Fourier slice: for each a, b ↦ R(a,b) is a correlation with ρ, so its transform in b is "
             "f̂(ωa) conj(ρ^♯(ω)); R is one inverse transform in ω (one Gaussian integral), never an m-fold one.")
    R = ridgelet_transform(f, rho, m)
    v = 1 + a2
    claimed = ((2 * sp.pi) ** sp.Rational(m, 2) * v ** (-sp.Rational(k + 1, 2)) * sp.hermite_prob(k, b / sp.sqrt(v))
               * sp.exp(-b**2 / (2 * v)))
    d.equal("Closed form of R[f; G^(k)] with v = 1 + |a|² (docs/ridgelet.md#closed-forms).", R.expr, claimed)
    pt = [sp.Rational(3, 5)] * m
    bb = sp.Rational(-7, 10)
    if m == 1:
        ref = rmp.ridgelet_transform_mp(f, rho, [_s(p) for p in pt], _s(bb))
        how = "direct quadrature of the definition"
    else:
        ref = rmp.ridgelet_gaussian_radon_mp([_s(p) for p in pt], _s(bb), k)
        how = "quadrature along the line after the Radon transform"
    d.equal(f"Check at (a, b) = (0.6, …, −0.7) against {how} (30 digits).", _mp_number(ref),
            claimed.subs(dict(zip((*avars, b), (*pt, bb)))), check=_mp_close, how="mpmath 30 digits")

    # admissibility
    d.define("Admissibility constant ((σ,ρ)) = (2π)^(m−1) ∫ σ^♯(ω) conj(ρ^♯(ω)) |ω|^(−m) dω; reconstruction "
             "S[R[f;ρ]] = ((σ,ρ)) f with S[γ](x) = ∫∫ γ(a,b) σ(a·x − b) da db.",
             sp.Symbol("((sigma,rho))"),
             (2 * sp.pi) ** (m - 1) * sp.Integral(sp.Function("sigma^sharp")(OMEGA) * sp.conjugate(sp.Function("rho^sharp")(OMEGA))
                                                   / sp.Abs(OMEGA) ** m, (OMEGA, -sp.oo, sp.oo)))
    for sname in ("gaussian", "relu", "step"):
        kk = k if sname != "step" else k + 1
        try:
            closed = admissibility_closed_form(sname, kk, m)
        except NotAdmissibleError:
            continue
        val = admissibility_constant(sname, gaussian_derivative(kk), m)
        d.equal(f"((σ, G^({kk}))) for σ = {sname}: a Gamma function (docs/ridgelet.md#admissibility).", val, closed)
        d.equal(f"… and against quadrature of the defining integral (σ = {sname}, 30 digits).",
                _mp_number(rmp.admissibility_mp(sname, kk, m)), closed, check=_mp_close, how="mpmath 30 digits")
    for sname in ("gaussian", "relu"):
        kk = k + 1 if k % 2 == 0 else k
        sig_reg = activation(sname).fourier_regular
        conj_rho = sp.conjugate(ridgelet_fourier(gaussian_derivative(kk))(OMEGA))
        h = (sig_reg(_W) * conj_rho.subs(OMEGA, _W) + sig_reg(-_W) * conj_rho.subs(OMEGA, -_W)) * _W ** (-m)
        d.equal(f"The other parity, σ = {sname} with ρ = G^({kk}): the integrand is odd, h(ω) + h(−ω) = 0, so "
                "((σ,ρ)) = 0 and the pair is not admissible (admissibility_constant raises NotAdmissibleError).",
                sp.simplify(h), sp.Integer(0))
    j = max(1, (k + 1) // 2) if 2 * max(1, (k + 1) // 2) > m - 1 else (m + 1) // 2
    tval = admissibility_constant("tanh", tanh_ridgelet(j), m)
    d.equal(f"tanh with the matched ρ_{j} = (d/dz)^{2 * j}[e^(−z²/2) sin(πz/2)]: the 1/sinh(πω/2) of tanh^♯ cancels "
            "against ρ_j^♯ ∝ sinh(πω/2), leaving a Gamma function.", tval, tanh_admissibility_closed_form(j, m))

    if m == 1:
        # reconstruction with |a| <= A
        if k % 2 == 0 and k >= 2:
            mult = truncated_reconstruction_multiplier("gaussian", k)
            d.equal(f"Reconstruction with |a| ≤ A (σ = G, ρ = G^({k}), b unbounded): the Fourier multiplier of "
                    "S[R f] tends to ((σ,ρ)) as A → ∞.", sp.limit(mult.expr, A_BOX, sp.oo),
                    admissibility_closed_form("gaussian", k, 1))
        mult2 = truncated_reconstruction_multiplier("gaussian", 2)
        d.equal("For σ = G, ρ = G'' the truncated multiplier is −2π exp(−ξ²/A²): S[R_A f] = −2π f smoothed by a "
                "Gaussian of variance 2/A², an error of order A^(−2) (claim ridgelet.reconstruction).",
                mult2.expr, -2 * sp.pi * sp.exp(-XI**2 / A_BOX**2))
        # RERM
        beta = sp.Symbol("beta", nonnegative=True)
        s1 = gaussian_derivative_activation(1)
        d.define("Ridge regression in function-of-parameters form: min_γ ‖f − S[γ]‖² + β‖γ‖², solved by "
                 "γ_β = S*(SS* + β)^(−1) f. On the unweighted L² parameter space S* = R[·;σ] and SS* = ((σ,σ)) I.")
        d.equal("Self-admissibility of σ = G' on the unweighted L² parameter space: ((σ,σ)) = 2π.",
                rerm_constant(s1, 1), 2 * sp.pi)
        fg = sp.Lambda(xs[0], sp.exp(-xs[0] ** 2 / 2))
        g = rerm_spectrum(fg, s1, beta, 1)
        av = avars[0]
        d.equal("RERM limit spectrum γ_β = R[f;σ]/(((σ,σ)) + β) for f = e^(−x²/2), σ = G'.",
                g.expr, sp.sqrt(2 * sp.pi) * b * (1 + av**2) ** sp.Rational(-3, 2) * sp.exp(-b**2 / (2 * (1 + av**2)))
                / (2 * sp.pi + beta))
        w = sp.Symbol("w", positive=True)
        integrand = 2 * sp.pi * w**2 * sp.exp(-w**2) / w
        lo = sp.Symbol("s", positive=True)
        d.equal("On the box |a| ≤ A (b unbounded) SS* is the multiplier m_A(ξ) = ∫_{|ω|≥|ξ|/A} |σ^♯|²/|ω| dω = "
                "2π Γ(1, ξ²/A²) for σ = G' — not a multiple of the identity.",
                2 * sp.integrate(integrand, (w, lo, sp.oo)).subs(lo, sp.Abs(XI) / A_BOX), box_multiplier(1).expr)
        d.equal("… = 2π e^(−ξ²/A²) = ((σ,σ)) − 2πξ²/A² + O(A^(−4)): the box limit tends to γ_β at rate A^(−2) "
                "(claim ridgelet.rerm_box_limit).",
                sp.series(box_multiplier(1).expr, A_BOX, sp.oo, 3).removeO(), 2 * sp.pi - 2 * sp.pi * XI**2 / A_BOX**2)
        psi = autocorrelation(1)
        d.equal("Autocorrelation of G': ψ(t) = ∫ G'(u) G'(u + t) du = √π (1/2 − t²/4) e^(−t²/4).", psi.expr,
                sp.sqrt(sp.pi) * (sp.Rational(1, 2) - T**2 / 4) * sp.exp(-T**2 / 4))
        aa = sp.Symbol("alpha", real=True)
        d.equal("Kernel of S_A S_A^*: K_A(x, y) = ∫_{−A}^{A} ψ(a(x − y)) da = √π A e^(−A²(x−y)²/4).",
                sp.integrate(psi.expr.subs(T, aa * LAG), (aa, -A_BOX, A_BOX)), box_kernel(1).expr)
        d.define("Finite model: hidden (a_j, b_j) uniform on a box of volume V, output weights c_j trained by ridge "
                 "with penalty β (p/V) Σ c_j²; γ_j = (p/V) c_j → γ_{β,B}(a_j, b_j), the ridge solution on the box "
                 "(kernel K_A on the data grid), at the Monte-Carlo rate p^(−1/2) (claim ridgelet.rerm_spectrum).")
    return d
