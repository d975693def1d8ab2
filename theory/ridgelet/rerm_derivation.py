"""``nnlimits derive rerm-box-limit``: the ridge limit on the box ``|a| ≤ A`` and its ``A^{−2k}`` approach to the
ridgelet spectrum, step by step, every equality checked by SymPy or by mpmath at 30 digits.

Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441), the RERM limit ``γ_β = R[f;σ_*]/(‖σ‖²_A + β)`` on the
unweighted L² parameter space (``σ_* = σ``, ``‖σ‖²_A = ((σ,σ))``); the box limit of :mod:`theory.ridgelet.rerm`;
docs/ridgelet.md#ridgelet.rerm_box_limit. Setting of the claims: ``m = 1``, ``σ = G^{(k)}`` (``k = 1``),
``f = e^{−x²/2}`` with data in ``L²(ℝ)``, ``b`` over the line, ``β = 2``.
"""

from __future__ import annotations

import mpmath as mp
import sympy as sp

from theory.common.derivation import Derivation
from theory.ridgelet.activations import OMEGA, gaussian_derivative, gaussian_derivative_activation
from theory.ridgelet.rerm import A_BOX, LAG, T, XI, autocorrelation, box_kernel, box_multiplier, rerm_constant, rerm_spectrum
from theory.ridgelet.transform import gaussian_integral, parameter_symbols, ridgelet_fourier

#: the point (a, b), frequency ξ and box half-width of the 30-digit checks
_A_PT, _B_PT = sp.Rational(3, 5), sp.Rational(-7, 10)
_XI_PT, _A_NUM = sp.Rational(7, 10), sp.Integer(2)
#: the box half-width at which A^{2k}(γ_{β,A} − γ_β) is compared with its limit (next term ~ A^{−2})
_A_FAR = mp.mpf(10) ** 20


def _close(tol_digits: int = 30):
    def check(lhs, rhs) -> bool:
        l_, r_ = sp.N(lhs, tol_digits + 10), sp.N(rhs, tol_digits + 10)
        return bool(abs(l_ - r_) <= sp.Float(10) ** -tol_digits * (1 + abs(r_)))
    return check


def _mp_float(v) -> sp.Float:
    return sp.Float(mp.nstr(mp.re(v), 45), 45)


def derive_rerm_box_limit(k: str | int = 1, beta: str = "2") -> Derivation:
    """The box limit ``γ_{β,A}`` of ridge regression with ``σ = G^{(k)}`` (``m = 1``, ``|a| ≤ A``) and its
    approach to the RERM spectrum ``γ_β`` at rate ``A^{−2k}``. Options (``--set k=2 --set beta=1/2``): the order
    ``k`` (1–3) of ``σ = G^{(k)}`` and the ridge penalty ``β > 0`` (exact rational)."""
    try:
        k, beta_v = int(k), sp.Rational(beta)
    except (TypeError, ValueError):
        raise ValueError(f"k, beta: expected an integer k and a rational beta, got k={k!r}, beta={beta!r}") from None
    if not (1 <= k <= 3) or not beta_v > 0:
        raise ValueError(f"k, beta: expected 1 <= k <= 3 and beta > 0, got k={k}, beta={beta_v}")
    (a,), b = parameter_symbols(1)
    x = sp.Symbol("x", real=True)
    bet = sp.Symbol("beta", positive=True)
    w = sp.Symbol("w", positive=True)
    s = sp.Symbol("s", positive=True)
    d = Derivation(f"Ridge regression on the box |a| ≤ A → the ridgelet spectrum at rate A^(−{2 * k}) (σ = G^({k}))",
                   "Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441), RERM limit; "
                   "docs/ridgelet.md#ridgelet.rerm_box_limit")
    d.define("Ridge regression in function-of-parameters form on the box B = [−A, A] × ℝ: min over γ of "
             "‖f − S_A[γ]‖² + β‖γ‖²_{L²(B)}, S_A[γ](x) = ∫_{|a|≤A} ∫ γ(a, b) σ(ax − b) db da, solved by",
             sp.Symbol(r"\gamma_{\beta,A}"), sp.Symbol("S_A^*") * (sp.Symbol("S_A S_A^*") + bet) ** -1 * sp.Function("f")(x))
    sig = gaussian_derivative_activation(k)
    sh = ridgelet_fourier(gaussian_derivative(k))
    d.equal(f"The activation σ = G^({k}) has σ^♯(ω) = (iω)^{k} √(2π) e^(−ω²/2) (Fourier transform without 2π).",
            sh(OMEGA), (sp.I * OMEGA) ** k * sp.sqrt(2 * sp.pi) * sp.exp(-OMEGA**2 / 2))
    d.define("S_A^* u(a, b) = R[u; σ](a, b) restricted to the box, whose transform in b is û(ωa) conj(σ^♯(ω)); so "
             "S_A S_A^* is the Fourier multiplier ∫_{|a|≤A} |σ^♯(ξ/a)|² da/|a|, and substituting ω = ξ/a:",
             sp.Function("m_A")(XI), sp.Integral(sp.Abs(sp.Function("sigma^sharp")(OMEGA)) ** 2 / sp.Abs(OMEGA),
                                                 (OMEGA, -sp.oo, -sp.Abs(XI) / A_BOX))
             + sp.Integral(sp.Abs(sp.Function("sigma^sharp")(OMEGA)) ** 2 / sp.Abs(OMEGA), (OMEGA, sp.Abs(XI) / A_BOX, sp.oo)))
    sq = sp.lambdify(OMEGA, sp.expand(sh(OMEGA) * sp.conjugate(sh(OMEGA))), "mpmath")
    xi_n, A_n = _XI_PT, _A_NUM

    def substitution(lhs, rhs) -> bool:
        with mp.workdps(45):
            left = 2 * mp.quad(lambda av: sq(mp.mpf(str(xi_n)) / av) / av, [0, mp.mpf(str(A_n))])
            right = 2 * mp.quad(lambda om: sq(om) / om, [mp.mpf(str(xi_n)) / mp.mpf(str(A_n)), mp.inf])
            return abs(left - right) < mp.mpf(10) ** -30 * abs(right) and _close()(_mp_float(right), rhs)
    d.equal(f"The substitution ω = ξ/a, and the value 2π Γ({k}, ξ²/A²), checked by quadrature of both integrals at "
            f"ξ = {xi_n}, A = {A_n} (30 digits).",
            sp.Function("m_A")(xi_n), box_multiplier(k)(xi_n, A_n), check=substitution, how="mpmath 30 digits")
    integrand = sp.expand(sh(w) * sp.conjugate(sh(w))) / w
    d.equal(f"In closed form: m_A(ξ) = 2∫_{{|ξ|/A}}^∞ |σ^♯(ω)|² dω/ω = 2π Γ({k}, ξ²/A²) (upper incomplete Gamma).",
            2 * sp.integrate(integrand, (w, s, sp.oo)).subs(s, sp.Abs(XI) / A_BOX), box_multiplier(k).expr)
    norm = rerm_constant(sig, 1)
    d.equal(f"As A → ∞ the multiplier tends to the self-admissibility constant ((σ,σ)) = 2π (k − 1)! (k = {k}): on "
            "the unbounded parameter space S S* = ((σ,σ)) I.", sp.limit(box_multiplier(k).expr, A_BOX, sp.oo), norm)
    gap = 2 * sp.pi * sp.lowergamma(k, XI**2 / A_BOX**2)
    d.equal("The gap is a lower incomplete Gamma function: ((σ,σ)) − m_A(ξ) = 2π γ(k, ξ²/A²).",
            norm - box_multiplier(k).expr, gap)
    h = sp.Symbol("h", positive=True)  # h = 1/A
    lead = 2 * sp.pi * XI ** (2 * k) / k
    d.equal(f"Expanded in h = 1/A: 2π γ(k, ξ² h²) = 2π ξ^(2k) h^(2k)/k + O(h^(2k+2)), k = {k} (the leading "
            "coefficient; γ(k, x) = x^k/k − x^(k+1)/(k+1) + …).",
            sp.series(gap.subs(A_BOX, 1 / h), h, 0, 2 * k + 1).removeO(), lead * h ** (2 * k))
    fg = sp.Lambda(x, sp.exp(-x**2 / 2))
    fhat = sp.sqrt(2 * sp.pi) * sp.exp(-(OMEGA * a) ** 2 / 2)
    d.define("Transforming in b: the box limit is the multiplier's inverse applied slice by slice,",
             sp.Symbol(r"\gamma_{\beta,A}(a,b)"),
             sp.Integral(sp.Function("fhat")(OMEGA * a) * sp.conjugate(sp.Function("sigma^sharp")(OMEGA))
                         * sp.exp(sp.I * OMEGA * b) / (sp.Function("m_A")(OMEGA * a) + bet), (OMEGA, -sp.oo, sp.oo))
             / (2 * sp.pi))
    spec = rerm_spectrum(fg, sig, bet, 1)
    v = 1 + a**2
    closed = (sp.sqrt(2 * sp.pi) * v ** (-sp.Rational(k + 1, 2)) * sp.hermite_prob(k, b / sp.sqrt(v))
              * sp.exp(-b**2 / (2 * v)) / (norm + bet))
    d.equal(f"With ((σ,σ)) in place of m_A: the RERM spectrum γ_β = R[f;σ]/(((σ,σ)) + β) for f = e^(−x²/2), "
            f"v = 1 + a² (one Gaussian integral in ω).", spec.expr, closed)
    pt = {a: _A_PT, b: _B_PT, bet: beta_v}
    slice_ = sp.lambdify(OMEGA, sp.expand(fhat * sp.conjugate(sh(OMEGA)) * sp.exp(sp.I * OMEGA * b)).subs(pt), "mpmath")

    def spectrum_check(lhs, rhs) -> bool:
        with mp.workdps(45):
            val = mp.quad(slice_, [-mp.inf, 0, mp.inf]) / (2 * mp.pi) / (mp.mpf(str(sp.N(norm, 50))) + mp.mpf(str(beta_v)))
            return _close()(_mp_float(val), rhs.subs(pt))
    d.equal(f"… checked against quadrature of the ω-integral at (a, b) = ({_A_PT}, {_B_PT}), β = {beta_v} (30 digits).",
            sp.Function("gamma_beta")(_A_PT, _B_PT), closed.subs(pt),
            check=spectrum_check, how="mpmath 30 digits")
    mA, nn = sp.Symbol("m_A", positive=True), sp.Symbol("((sigma,sigma))", positive=True)
    d.equal("The two shrinkages differ by 1/(m_A + β) − 1/(((σ,σ)) + β) = (((σ,σ)) − m_A)/((m_A + β)(((σ,σ)) + β)).",
            1 / (mA + bet) - 1 / (nn + bet), (nn - mA) / ((mA + bet) * (nn + bet)))
    shrink_gap = 1 / (box_multiplier(k).expr + bet) - 1 / (norm + bet)
    coeff = 2 * sp.pi * XI ** (2 * k) / (k * (norm + bet) ** 2)
    d.equal("… = h^(2k) · 2π ξ^(2k)/(k(((σ,σ)) + β)²) + O(h^(2k+2)), h = 1/A, at ξ = ωa.",
            sp.series(shrink_gap.subs(A_BOX, 1 / h), h, 0, 2 * k + 1).removeO(), coeff * h ** (2 * k))
    Ck = _tidy_c(gaussian_integral(sp.expand(fhat * sp.conjugate(sh(OMEGA)) * sp.exp(sp.I * OMEGA * b) * OMEGA ** (2 * k)),
                                   OMEGA) * a ** (2 * k) / (k * (norm + bet) ** 2))
    C = sp.Function("C")(a, b)
    d.define(f"Hence γ_{{β,A}} − γ_β = A^(−{2 * k}) C(a, b) + O(A^(−{2 * k + 2})), uniformly on bounded windows, with "
             "C(a, b) = (1/2π) ∫ f̂(ωa) conj(σ^♯(ω)) e^{iωb} 2π(ωa)^{2k}/(k(((σ,σ)) + β)²) dω, in closed form",
             C, Ck)

    def gap_mp(xi, A):  # 2π γ(k, ξ²/A²) by mpmath's incomplete Gamma (SymPy's elementary form would cancel)
        return 2 * mp.pi * mp.gammainc(k, 0, (xi / A) ** 2)
    norm_mp = sp.lambdify((), norm, "mpmath")

    def m_mp(xi, A):
        return norm_mp() - gap_mp(xi, A)

    def limit_check(lhs, rhs) -> bool:
        with mp.workdps(70):
            A = _A_FAR
            nv, bv = norm_mp(), mp.mpf(str(beta_v))
            aa = mp.mpf(str(_A_PT))

            def integrand(om):
                xi = om * aa
                # A^{2k} × the exact shrinkage difference (O(1): quadrature stays relative)
                diff = A ** (2 * k) * gap_mp(xi, A) / ((m_mp(xi, A) + bv) * (nv + bv))
                return slice_(om) * diff
            val = mp.quad(integrand, [-mp.inf, 0, mp.inf]) / (2 * mp.pi)
            return _close()(_mp_float(val), rhs)
    d.equal(f"Check: A^{2 * k}(γ_{{β,A}} − γ_β)(a, b) at A = 10^20, (a, b) = ({_A_PT}, {_B_PT}), β = {beta_v}, by "
            "quadrature of the exact difference of the two ω-integrals (its shrinkage gap written with γ(k, ·): no "
            "cancellation), equals C(a, b) to 30 digits; C ≠ 0 there, so the rate is exactly A^(−2k) (and the box "
            "limit is the less shrunk one: m_A < ((σ,σ))).",
            sp.Function("Delta")(_A_PT, _B_PT), Ck.subs(pt), check=limit_check, how="mpmath 30 digits")
    psi = autocorrelation(k)
    al = sp.Symbol("alpha", real=True)
    d.equal(f"For the finite model: S_A S_A^* has the kernel K_A(x − y) = ∫_{{−A}}^{{A}} ψ(a(x − y)) da, ψ the "
            f"autocorrelation of G^({k}).", sp.integrate(psi.expr.subs(T, al * LAG), (al, -A_BOX, A_BOX)),
            box_kernel(k).expr)
    d.define(f"The claims: ridgelet.rerm_box_limit measures max |γ_{{β,A}} − γ_β| / max|γ_β| on a window of (a, b) "
             f"for A = 4 … 64 (k = 1, β = 2): slope −{2 * k} in A with the next term of relative order A^(−2) "
             "(Richardson order 2); ridgelet.rerm_spectrum trains p hidden units (a_j, b_j) uniform on a box of "
             "volume V with penalty β (p/V) Σ c_j² and checks γ_j = (p/V) c_j → γ_{β,B}(a_j, b_j), the ridge "
             "solution with the kernel K_A on the data, at the Monte-Carlo rate",
             sp.Symbol("rate"), sp.Symbol("p") ** sp.Rational(-1, 2))
    d.feeds = ["ridgelet.rerm_box_limit", "ridgelet.rerm_spectrum"]
    d.command = "nnlimits verify 'ridgelet.rerm_*'"
    return d


def _tidy_c(expr: sp.Expr) -> sp.Expr:
    return sp.factor(sp.simplify(expr))
