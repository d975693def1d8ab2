"""Ridgelet transform, admissibility constants and the reconstruction multiplier, in closed form.

Sonoda, Ishikawa & Ikeda, *Ridge regression with over-parametrized two-layer networks converge to
ridgelet spectrum*, AISTATS 2021 (arXiv 2007.03441); conventions of Sonoda & Murata 2017 and of the
authors' Lean formalisation ``shosonoda/lean-ridgelet`` (``Operator/ClassicalRidgelet.lean`` defines
``R[f;ρ](a,b) = ∫ f(x) conj(ρ(⟨a,x⟩ − b)) dx``; ``Fourier/Convention.lean`` the transform
``f̂(ξ) = ∫ e^{−i⟨x,ξ⟩} f(x) dx``). docs/ridgelet.md#conventions:

- ridgelet transform ``R[f;ρ](a,b) = ∫_{ℝ^m} f(x) conj(ρ(a·x − b)) dx``, ``(a,b) ∈ ℝ^m × ℝ``;
- integral representation ``S[γ](x) = ∫∫ γ(a,b) σ(a·x − b) da db``;
- admissibility constant ``((σ,ρ)) = (2π)^{m−1} ∫ σ^♯(ω) conj(ρ^♯(ω)) |ω|^{−m} dω`` and the
  reconstruction formula ``S[R[f;ρ]] = ((σ,ρ)) f``;
- Fourier slice ``R[f;ρ]^♯(a,ω) = f̂(ωa) conj(ρ^♯(ω))`` (transform in ``b``);
- the RERM limit ``γ_β = R[f;σ_*] / (‖σ‖²_A + β)`` is in :mod:`theory.ridgelet.rerm`, the mpmath
  references in :mod:`theory.ridgelet.mp` and the derivation (``nnlimits derive ridgelet``) in
  :mod:`theory.ridgelet.derivation`.

No ``|a|^s`` factors are put in R or S (they would cancel in ((σ,ρ)) anyway).

Closed forms are computed *through the Fourier-slice structure*: the m-dimensional transform ``f̂`` of a
Gaussian-type ``f`` (coordinate by coordinate), then one inverse transform in ω; for compactly supported
piecewise-polynomial ``f`` in one dimension, through the (trivial) Radon structure: the substitution
``z = a x − b`` and exact antiderivatives of ``z^j e^{−z²/2}``. Never an m-fold integral of the ridgelet
integrand.
"""

from __future__ import annotations

from functools import lru_cache
from math import comb

import numpy as np
import sympy as sp

from theory.ridgelet.activations import OMEGA, Z, Activation, activation, gaussian_derivative


class NotAdmissibleError(ValueError):
    """``((σ,ρ))`` is zero (parity), infinite, or undefined for the pair: reconstruction fails."""


class NonIntegrableError(ValueError):
    """The target ``f`` (or an integrand) is not integrable over ``ℝ^m``."""


class _NotGaussianType(Exception):
    """Internal: an expression is not a sum of polynomial × exp(quadratic) terms."""


#: positive frequency (half-line integrals after the parity reduction)
_W = sp.Symbol("omega", positive=True)
_B = sp.Symbol("b", real=True)


def parameter_symbols(m: int) -> tuple[tuple[sp.Symbol, ...], sp.Symbol]:
    """The symbols ``(a_1, …, a_m), b`` of the ridgelet parameter space (``a`` for ``m = 1``)."""
    if m == 1:
        return (sp.Symbol("a", real=True),), _B
    return tuple(sp.Symbol(f"a_{i + 1}", real=True) for i in range(m)), _B


def _check_m(m) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or int(m) < 1:
        raise ValueError(f"m: expected a positive integer input dimension, got {m!r}")
    return int(m)


# ----------------------------------------------------------------------------------------------------
# Gaussian-type integrals: ∫_ℝ P(t) exp(e2 t² + e1 t + e0) dt in closed form
# ----------------------------------------------------------------------------------------------------
def _split_exp(term: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """``term = rest · exp(E)``: collect every exponential factor into one exponent."""
    rest, expo = sp.Integer(1), sp.Integer(0)
    for fac in sp.Mul.make_args(term):
        if isinstance(fac, sp.exp):
            expo += fac.args[0]
        elif fac.is_Pow and isinstance(fac.base, sp.exp) and fac.exp.is_number:
            expo += fac.exp * fac.base.args[0]
        else:
            rest *= fac
    return rest, sp.expand(expo)


def _gaussian_terms(expr: sp.Expr, t: sp.Symbol) -> list[tuple[sp.Poly, sp.Poly]]:
    """``expr = Σ P_k(t) exp(Q_k(t))`` with polynomials ``P_k`` and quadratics ``Q_k`` (grouped by Q)."""
    expr = sp.sympify(expr)
    trig = [f for f in (sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tan, sp.tanh) if expr.has(f)]
    if trig:  # only the trigonometric / hyperbolic factors (a full rewrite would turn a**2 into exp(2 log a))
        expr = expr.rewrite(trig, sp.exp)
    terms = []
    for term in sp.Add.make_args(sp.expand_mul(expr)):
        # expand only the t-dependent part: a full expand would multiply out t-free powers such as
        # (1 + a²)^{7/2} into sums and push exponentials into denominators
        indep, dep = term.as_independent(t, as_Add=False)
        terms.extend(indep * sub for sub in sp.Add.make_args(sp.expand(dep, power_exp=False)))
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in terms:
        rest, expo = _split_exp(term)
        if expo.has(t):
            q = sp.Poly(expo, t)
            if q.degree() > 2:
                raise _NotGaussianType(f"exponent {expo} is not quadratic in {t}")
        groups[expo] = groups.get(expo, 0) + rest
    out = []
    for expo, rest in groups.items():
        try:
            p = sp.Poly(sp.expand(rest), t)
        except sp.PolynomialError as exc:
            raise _NotGaussianType(f"{rest} is not polynomial in {t}") from exc
        if p.is_zero:
            continue
        if any(c.has(t) for c in p.coeffs()):
            raise _NotGaussianType(f"{rest} is not polynomial in {t}")
        out.append((p, sp.Poly(expo, t)))
    return out


def _gaussian_moment(n: int, mu: sp.Expr, s2: sp.Expr) -> sp.Expr:
    """``E[(μ + s Z)^n]`` for a standard normal ``Z``: ``Σ_{k even} C(n,k) μ^{n−k} s^k (k−1)!!``."""
    return sp.Add(*[comb(n, k) * mu ** (n - k) * s2 ** (k // 2) * sp.factorial2(k - 1)
                    for k in range(0, n + 1, 2)])


def gaussian_integral(expr: sp.Expr, t: sp.Symbol) -> sp.Expr:
    """``∫_ℝ expr dt`` for ``expr = Σ_k P_k(t) exp(−α_k t² + β_k t + c_k)``, ``Re α_k > 0``.

    .. math:: \\int_{\\mathbb R} t^n e^{-\\alpha t^2 + \\beta t + c}\\,dt
              = \\sqrt{\\pi/\\alpha}\\; e^{c + \\beta^2/(4\\alpha)}\\;
                \\mathbb E\\big[(\\mu + s Z)^n\\big], \\quad \\mu = \\frac{\\beta}{2\\alpha},\\ s^2 = \\frac1{2\\alpha}

    (complete the square; valid for complex β by analytic continuation). Trigonometric and hyperbolic
    factors are rewritten as exponentials first. Other symbols are parameters.

    Raises
    ------
    NonIntegrableError
        If a term does not decay (``Re α ≤ 0``, or positivity cannot be certified).
    """
    try:
        terms = _gaussian_terms(expr, t)
    except _NotGaussianType as exc:
        raise NonIntegrableError(f"integrand: not of Gaussian type in {t} ({exc})") from None
    total = sp.Integer(0)
    for p, q in terms:
        e2, e1, e0 = (q.coeff_monomial(t**2), q.coeff_monomial(t), q.coeff_monomial(1))
        alpha = sp.simplify(-e2)
        if not (sp.re(alpha).is_positive or alpha.is_positive):
            raise NonIntegrableError(
                f"integrand: the term with exponent {q.as_expr()} does not decay in {t} "
                f"(need a negative-definite quadratic part, got coefficient {e2})")
        mu, s2 = e1 / (2 * alpha), 1 / (2 * alpha)
        moment = sp.Add(*[c * _gaussian_moment(int(mon[0]), mu, s2) for mon, c in p.terms()])
        total += sp.sqrt(sp.pi / sp.factor(alpha)) * sp.exp(e0 + e1**2 / (4 * alpha)) * moment
    return total


def _tidy(expr: sp.Expr) -> sp.Expr:
    """One exponential per term (Gaussian exponents combined), ``erf + erfc`` collapsed to ``erf``, each
    exponential's coefficient as one factored rational function."""
    expr = sp.sympify(expr)
    if expr.has(sp.erfc):
        expr = expr.rewrite(sp.erf)
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(expr, power_exp=False)):
        rest, expo = _split_exp(term)
        key = sp.cancel(sp.together(expo))
        groups[key] = groups.get(key, 0) + rest
    out = sp.Integer(0)
    for expo, coeff in groups.items():
        coeff = sp.together(coeff)
        coeff = sp.factor_terms(sp.cancel(coeff)) if coeff.has(sp.I) else sp.factor(coeff)
        out += coeff * sp.exp(expo)  # a group whose coefficients cancel contributes an exact 0
    return out


def is_gaussian_type(expr: sp.Expr, variables) -> bool:
    """Whether ``expr`` is a sum of polynomial × exp(negative-definite quadratic) in ``variables``."""
    try:
        for v in variables:
            for _p, q in _gaussian_terms(expr, v):
                e2 = q.coeff_monomial(v**2)
                if not (sp.re(-e2).is_positive or (-e2).is_positive):
                    return False
    except _NotGaussianType:
        return False
    return True


# ----------------------------------------------------------------------------------------------------
# Fourier transforms
# ----------------------------------------------------------------------------------------------------
def _as_lambda(f, m: int, name: str) -> sp.Lambda:
    if isinstance(f, Activation):
        f = f.expr
    if not isinstance(f, sp.Lambda):
        raise ValueError(f"{name}: expected a SymPy Lambda of {m} scalar argument(s), got {type(f).__name__}")
    nargs = len(f.variables)
    if nargs != m:
        raise ValueError(f"{name}: expected a SymPy Lambda of {m} scalar argument(s), got {nargs}")
    return f


def fourier_transform(f: sp.Lambda, m: int | None = None) -> sp.Lambda:
    """``f̂(ξ) = ∫_{ℝ^m} f(x) e^{−i x·ξ} dx`` for a Gaussian-type ``f`` (no 2π; docs/ridgelet.md#conventions).

    Computed one coordinate at a time with :func:`gaussian_integral`. Returns a ``Lambda`` of
    ``ξ_1, …, ξ_m``.
    """
    m = len(f.variables) if m is None else _check_m(m)
    f = _as_lambda(f, m, "f")
    xs = [sp.Symbol(f"x_{i}", real=True) for i in range(m)]
    xis = [sp.Symbol(f"xi_{i + 1}" if m > 1 else "xi", real=True) for i in range(m)]
    expr = f(*xs) * sp.exp(-sp.I * sum(x * k for x, k in zip(xs, xis)))
    for x in xs:
        expr = gaussian_integral(expr, x)
    return sp.Lambda(tuple(xis), _tidy(expr))


def ridgelet_fourier(rho) -> sp.Lambda:
    """``ρ^♯(ω)`` of a Schwartz ridgelet function: the stored transform of an :class:`Activation`,
    or :func:`fourier_transform` of a Gaussian-type ``Lambda``."""
    if isinstance(rho, Activation):
        if not rho.schwartz:
            raise ValueError(f"rho: expected a Schwartz ridgelet function, got the activation {rho.name!r}")
        return rho.fourier_regular
    lam = _as_lambda(rho, 1, "rho")
    if not is_gaussian_type(lam(Z), [Z]):
        raise ValueError(f"rho: expected a Schwartz ridgelet function of Gaussian type "
                         f"(polynomial × exp(−quadratic)), got {lam(Z)}")
    ft = fourier_transform(lam, 1)
    return sp.Lambda(OMEGA, ft(OMEGA))


# ----------------------------------------------------------------------------------------------------
# the ridgelet transform
# ----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=128)
def ridgelet_transform(f: sp.Lambda, rho, m: int = 1) -> sp.Lambda:
    """The ridgelet transform ``R[f;ρ](a,b) = ∫_{ℝ^m} f(x) conj(ρ(a·x − b)) dx`` in closed form.

    Sonoda, Ishikawa & Ikeda 2021, §2 (eq. of ``R``); docs/ridgelet.md#conventions. Two exact routes:

    - Gaussian-type ``f`` (polynomial × exp(−quadratic), trigonometric factors allowed), any ``m``:
      Fourier slice ``R^♯(a,ω) = f̂(ωa) conj(ρ^♯(ω))``, i.e.
      ``R(a,b) = (1/2π) ∫ f̂(ωa) conj(ρ^♯(ω)) e^{iωb} dω``, one Gaussian integral in ω after the
      coordinate-wise transform ``f̂``;
    - ``m = 1``, ``f`` a ``Piecewise`` on bounded intervals (zero elsewhere) whose pieces are polynomials
      times exponentials of linear forms — so also ``sin``/``cos`` (the paper's ``sin 2πx`` on ``[−1, 1]``):
      with ``z = a x − b``, ``∫_{x_0}^{x_1} P(x) e^{κx} ρ(ax − b) dx = (1/a) ∫ P((z+b)/a) e^{κ(z+b)/a} ρ(z) dz``,
      the square completed, and exact antiderivatives of ``u^j e^{−u²/2}`` (erf terms, complex arguments for
      oscillating pieces; valid for ``a ≠ 0``).

    For ``f(x) = e^{−|x|²/2}`` and ``ρ = G^{(k)}`` the result is
    ``(2π)^{m/2} v^{−(k+1)/2} He_k(b/√v) e^{−b²/(2v)}`` with ``v = 1 + |a|²`` (docs/ridgelet.md#closed-forms).

    Parameters
    ----------
    f:
        SymPy ``Lambda`` of ``m`` real scalar arguments, integrable on ``ℝ^m``.
    rho:
        Ridgelet function: a Gaussian-type ``Lambda`` of one argument (e.g. :func:`gaussian_derivative`)
        or a Schwartz :class:`~theory.ridgelet.activations.Activation`.
    m:
        Input dimension.

    Returns
    -------
    sympy.Lambda
        Of ``(a_1, …, a_m, b)`` (``(a, b)`` for ``m = 1``), simplified.

    Raises
    ------
    NonIntegrableError
        If ``f`` is not integrable (no decay, or a non-zero unbounded piece).
    ValueError
        For malformed arguments (naming ``f``, ``rho`` or ``m``).
    """
    m = _check_m(m)
    f = _as_lambda(f, m, "f")
    rho_l = rho.expr if isinstance(rho, Activation) else _as_lambda(rho, 1, "rho")
    if isinstance(rho, Activation) and not rho.schwartz:
        raise ValueError(f"rho: expected a Schwartz ridgelet function, got the activation {rho.name!r}")
    avars, b = parameter_symbols(m)
    xs = [sp.Symbol(f"x_{i}", real=True) for i in range(m)]
    body = f(*xs)
    if body.has(sp.Piecewise):
        if m != 1:
            raise ValueError("f: piecewise targets are supported in dimension m = 1 only")
        expr = _ridgelet_piecewise(body, xs[0], rho_l, avars[0], b)
    else:
        if not is_gaussian_type(body, xs):
            raise NonIntegrableError(
                f"f: expected an integrable target on R^{m} (polynomial × exp(−quadratic), or a piecewise "
                f"polynomial on bounded intervals), got {body}")
        fh = fourier_transform(f, m)
        rh = ridgelet_fourier(rho_l)
        integrand = fh(*[OMEGA * a for a in avars]) * sp.conjugate(rh(OMEGA)) * sp.exp(sp.I * OMEGA * b)
        expr = gaussian_integral(integrand, OMEGA) / (2 * sp.pi)
    return sp.Lambda((*avars, b), _tidy(expr))


def _antiderivative_gauss_moment(j: int, z: sp.Expr) -> sp.Expr:
    """An antiderivative of ``z^j e^{−z²/2}``: ``Φ_0 = √(π/2) erf(z/√2)``, ``Φ_1 = −e^{−z²/2}``,
    ``Φ_j = −z^{j−1} e^{−z²/2} + (j−1) Φ_{j−2}``."""
    if j == 0:
        return sp.sqrt(sp.pi / 2) * sp.erf(z / sp.sqrt(2))
    if j == 1:
        return -sp.exp(-z**2 / 2)
    return -z ** (j - 1) * sp.exp(-z**2 / 2) + (j - 1) * _antiderivative_gauss_moment(j - 2, z)


def _exponential_polynomial_terms(piece: sp.Expr, x: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr, sp.Poly]]:
    """``piece = Σ_k e^{c_k + κ_k x} P_k(x)`` (polynomials times exponentials of linear forms; sines and
    cosines are rewritten as exponentials), as a list of ``(c_k, κ_k, P_k)``."""
    trig = [f for f in (sp.sin, sp.cos, sp.sinh, sp.cosh) if piece.has(f)]
    if trig:
        piece = piece.rewrite(trig, sp.exp)
    groups: dict[tuple, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(piece)):
        rest, expo = _split_exp(term)
        try:
            q = sp.Poly(expo, x)
        except sp.PolynomialError:
            q = None
        if q is None or q.degree() > 1:
            raise ValueError(f"f: the piecewise route needs pieces P(x)·exp(κx) (polynomials, sines, cosines), "
                             f"got the factor exp({expo})")
        key = (q.coeff_monomial(1), q.coeff_monomial(x) if q.degree() == 1 else sp.Integer(0))
        groups[key] = groups.get(key, 0) + rest
    out = []
    for (c0, kappa), rest in groups.items():
        try:
            poly = sp.Poly(sp.expand(rest), x)
        except sp.PolynomialError:
            raise ValueError(f"f: the piecewise route needs polynomial × exponential pieces, got {rest}") from None
        if any(cf.has(x) for cf in poly.coeffs()):
            raise ValueError(f"f: the piecewise route needs polynomial × exponential pieces, got {rest}")
        if not poly.is_zero:
            out.append((c0, kappa, poly))
    return out


def _ridgelet_piecewise(body: sp.Expr, x: sp.Symbol, rho: sp.Lambda, a: sp.Symbol, b: sp.Symbol) -> sp.Expr:
    """``∫ f(x) ρ(ax − b) dx`` for a ``Piecewise`` ``f`` whose pieces on bounded intervals are polynomials
    times exponentials of linear forms (so also ``sin``, ``cos``), ``ρ = q(z) e^{−z²/2}``: with
    ``z = a x − b`` and ``u = z − κ/a`` each term is a Gaussian moment ``∫ u^j e^{−u²/2}`` between finite
    limits (erf, complex arguments for oscillating pieces). Valid for ``a ≠ 0``."""
    pw = body if isinstance(body, sp.Piecewise) else None
    if pw is None:
        raise ValueError(f"f: expected a Piecewise of polynomials on bounded intervals, got {body}")
    zs = sp.Symbol("z", real=True)
    us = sp.Symbol("u")
    rz = sp.expand(rho(zs))
    # ρ(z) = q(z) e^{−z²/2}
    q = sp.expand(sp.simplify(rz * sp.exp(zs**2 / 2)))
    try:
        q_poly = sp.Poly(q, zs)
    except sp.PolynomialError:
        raise ValueError(f"rho: the piecewise route needs ρ = polynomial × exp(−z²/2), got {rz}") from None
    covered = sp.EmptySet
    total = sp.Integer(0)
    for piece, cond in pw.args:
        region = cond.as_set() if cond is not sp.true else sp.Reals
        region = region - covered
        covered = covered | region
        if piece == 0 or region.is_empty:
            continue
        intervals = region.args if isinstance(region, sp.Union) else (region,)
        for iv in intervals:
            if not isinstance(iv, sp.Interval) or not (iv.start.is_finite and iv.end.is_finite):
                raise NonIntegrableError(f"f: the piece {piece} on {iv} is not integrable (unbounded support)")
            lo, hi = a * iv.start - b, a * iv.end - b
            for c0, kappa, p_poly in _exponential_polynomial_terms(piece, x):
                mu = kappa / a
                # (1/a) e^{c0 + κb/a + μ²/2} P((u + μ + b)/a) q(u + μ) e^{−u²/2}, u = z − μ
                poly_u = sp.Poly(sp.expand(p_poly.as_expr().subs(x, (us + mu + b) / a) * q_poly.as_expr().subs(zs, us + mu)), us)
                acc = sp.Integer(0)
                for (j,), cf in poly_u.terms():
                    acc += cf * (_antiderivative_gauss_moment(j, hi - mu) - _antiderivative_gauss_moment(j, lo - mu))
                total += sp.exp(c0 + kappa * b / a + mu**2 / 2) * acc / a
    return total


# ----------------------------------------------------------------------------------------------------
# admissibility
# ----------------------------------------------------------------------------------------------------
def _vanishing_order(expr: sp.Expr, w: sp.Symbol) -> int:
    """Order of the zero of a Gaussian-type ``expr`` at ``w = 0``: the exponent of the leading term of
    ``expr · e^{w²/2}`` at 0 (for ``ρ^♯ = P(ω) e^{−ω²/2}`` the lowest power of ``P``; negative for a pole).
    ``ValueError`` if ``expr`` vanishes identically (no order)."""
    lead = sp.expand(sp.simplify(expr * sp.exp(w**2 / 2)))
    coeff, order = sp.simplify(lead.as_leading_term(w)).as_coeff_exponent(w)
    if coeff == 0 or coeff.has(w) or not order.is_integer:
        raise ValueError(f"{expr}: no zero of integer order at 0 (leading term {coeff}·{w}^{order})")
    return int(order)


def _half_line_integral(h: sp.Expr, w: sp.Symbol) -> sp.Expr:
    """``∫_0^∞ h dω``: Gamma functions for ``Σ c ω^s e^{−α ω²}``; otherwise an unevaluated ``Integral``."""
    total = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(h)):
        rest, expo = _split_exp(term)
        c, s = rest.as_coeff_exponent(w)
        if c.has(w) or sp.expand(expo).has(w) and sp.Poly(expo, w).degree() != 2:
            return sp.Integral(h, (w, 0, sp.oo))
        q = sp.Poly(expo, w)
        alpha = -q.coeff_monomial(w**2)
        if q.coeff_monomial(w) != 0 or not alpha.is_positive:
            return sp.Integral(h, (w, 0, sp.oo))
        e0 = q.coeff_monomial(1)
        total += c * sp.exp(e0) * sp.gamma((s + 1) / 2) / (2 * alpha ** ((s + 1) / 2))
    return total


def admissibility_constant(sigma, rho, m: int = 1) -> sp.Expr:
    """``((σ,ρ)) = (2π)^{m−1} ∫_ℝ σ^♯(ω) conj(ρ^♯(ω)) |ω|^{−m} dω`` as an exact SymPy number.

    Sonoda & Murata 2017, Thm. 5.6 (admissibility); Sonoda, Ishikawa & Ikeda 2021, §2; docs/ridgelet.md#admissibility.
    The integral is reduced by parity to ``∫_0^∞ [h(ω) + h(−ω)] dω`` and closed with Gamma functions
    (Gaussian, Gaussian-derivative, ReLU, step σ); the singular part of σ^♯ at 0 (``πiδ′`` for ReLU,
    ``πδ`` for step) pairs to zero when ``ρ^♯`` vanishes to high enough order, which is checked. For
    tanh with ``ρ = G^{(k)}`` (k odd, ``k > m``) no closed form in elementary or Gamma functions is known
    to us: the constant is returned as the exact reduced one-dimensional ``Integral`` of
    ``ω^{k−m} e^{−ω²/2} / sinh(πω/2)`` (``.evalf(30)`` evaluates it); with the matched ridgelet function
    :func:`theory.ridgelet.activations.tanh_ridgelet` (``ρ^♯ ∝ ω^{2j} sinh(πω/2) e^{−ω²/2}``) the ``1/sinh`` cancels
    and the constant is a Gamma function again. Worked values:
    ``((G, G'')) = −2π``, ``((ReLU, G'''')) = −2√(2π)`` (m = 1).

    Parameters
    ----------
    sigma:
        Activation name (``"relu"``, ``"step"``, ``"tanh"``, ``"gaussian"``, ``"gaussian_derivative:k"``),
        an :class:`~theory.ridgelet.activations.Activation`, or a Gaussian-type ``Lambda``.
    rho:
        Schwartz ridgelet function (Gaussian-type ``Lambda`` such as :func:`gaussian_derivative`).
    m:
        Input dimension.

    Raises
    ------
    NotAdmissibleError
        If ((σ,ρ)) vanishes (e.g. the wrong parity of ``k`` for ``ρ = G^{(k)}``), diverges at ω = 0, or the
        singular part of σ^♯ does not pair with ``ρ^♯ |ω|^{−m}``.
    """
    m = _check_m(m)
    sig_reg, sig_sing, sname = sigma_fourier(sigma)
    rho_hat = ridgelet_fourier(rho)
    if isinstance(rho, sp.Lambda):
        check_ridgelet_moments(rho, rho_hat)
    return admissibility_from_spectra(sig_reg, sig_sing, rho_hat, m, sname)


class TransformMismatchError(ArithmeticError):
    """A Fourier transform disagrees with the function it was computed from."""


def check_ridgelet_moments(rho: sp.Lambda, rho_hat: sp.Lambda) -> int:
    """``ρ^♯`` against ``ρ`` at ``ω = 0``, exactly. Differentiating ``ρ^♯(ω) = ∫ ρ(z) e^{−izω} dz`` under
    the integral,

    .. math:: (\\rho^\\sharp)^{(j)}(0) = (-i)^j \\int_{\\mathbb R} z^j \\rho(z)\\, dz, \\qquad j = 0, \\dots, \\nu,

    where ``ν`` is the order of the zero of ``ρ^♯`` at 0: the moments, centred Gaussian integrals computed on
    the real line (:func:`gaussian_integral` with no linear term), must vanish for ``j < ν`` and match at
    ``j = ν``. This ties the order that admissibility reads off ``ρ^♯`` (the pairing with the singular
    part of ``σ^♯``, docs/ridgelet.md#admissibility) to the vanishing moments of ``ρ`` itself. Returns ``ν``;
    :class:`TransformMismatchError` if a moment disagrees."""
    z = sp.Symbol("z_m", real=True)
    expr = rho_hat(OMEGA)
    nu = _vanishing_order(expr.subs(OMEGA, _W), _W)
    for j in range(max(nu, 0) + 1):
        moment = gaussian_integral(sp.expand(z**j * rho(z)), z)
        deriv = sp.diff(expr, OMEGA, j).subs(OMEGA, 0)
        if sp.simplify((-sp.I) ** j * moment - deriv) != 0:
            raise TransformMismatchError(
                f"rho: the transform ρ^♯ and ρ disagree at ω = 0: (ρ^♯)^({j})(0) = {deriv}, but (−i)^{j} ∫ z^{j} ρ(z) dz "
                f"= {sp.simplify((-sp.I) ** j * moment)} (ν = {nu})")
    return nu


def sigma_fourier(sigma) -> tuple[sp.Lambda, tuple, str]:
    """``(regular part of σ^♯, singular part, name)`` for an activation name, object or Gaussian-type
    ``Lambda``."""
    if isinstance(sigma, sp.Lambda):
        return ridgelet_fourier(sigma), (), str(sigma)
    act = activation(sigma)
    return act.fourier_regular, act.fourier_singular, act.name


def _simplify_density(h: sp.Expr) -> sp.Expr:
    """Simplify the admissibility integrand; hyperbolic factors (tanh's ``1/sinh``) are rewritten as
    exponentials so that they can cancel against the ρ^♯ of a matched ridgelet function."""
    h = sp.simplify(sp.expand(h))
    if h.has(sp.sinh, sp.cosh, sp.sin, sp.cos, sp.tanh):
        alt = sp.simplify(sp.powsimp(sp.expand(h.rewrite(sp.exp)), combine="exp"))
        if not alt.has(sp.sinh, sp.cosh, sp.sin, sp.cos, sp.tanh):
            alt_s = sp.simplify(alt)
            if not alt_s.has(sp.exp(_W * sp.pi)):
                return alt_s
    return h


def admissibility_from_spectra(sig_reg: sp.Lambda, sig_sing, rho_hat: sp.Lambda, m: int, sname: str = "σ") -> sp.Expr:
    """``((σ,ρ))`` from ``σ^♯`` (regular part ``sig_reg`` and singular part ``sig_sing`` at 0, a tuple of
    ``(c, n)`` for ``c δ^{(n)}``) and ``ρ^♯`` (a ``Lambda`` of ω). See :func:`admissibility_constant`."""
    w = _W
    conj_rho = sp.conjugate(rho_hat(OMEGA)).subs(OMEGA, w)
    conj_rho_neg = sp.conjugate(rho_hat(OMEGA)).subs(OMEGA, -w)
    nu = _vanishing_order(conj_rho, w)
    for coef, n in sig_sing:
        if nu - m < n + 1:
            raise NotAdmissibleError(
                f"sigma, rho: the singular part {coef}·δ^({n}) of σ^♯ at ω = 0 ({sname}) does not pair with "
                f"ρ^♯|ω|^(-{m}); need ρ^♯(ω) = O(|ω|^{m + n + 1}) at 0, got order {nu}: not admissible")
    h = _simplify_density((sig_reg(w) * conj_rho + sig_reg(-w) * conj_rho_neg) * w ** (-m))
    if h == 0:
        raise NotAdmissibleError(
            f"sigma, rho: ((σ,ρ)) = 0 by symmetry for σ = {sname} and this ρ (wrong parity; e.g. for ρ = G^(k) "
            "take k even for ReLU and Gaussian σ, k odd for step and tanh σ): not admissible")
    lead = sp.simplify(h.as_leading_term(w))
    _c, p = lead.as_coeff_exponent(w)
    if not (p > -1):
        raise NotAdmissibleError(
            f"sigma, rho: ((σ,ρ)) diverges at ω = 0 for σ = {sname} (integrand ~ ω^{p}); take ρ = G^(k) with "
            "larger k: not admissible")
    value = (2 * sp.pi) ** (m - 1) * _half_line_integral(h, w)
    if not isinstance(value, sp.Integral) and not value.has(sp.Integral):
        value = sp.simplify(sp.gammasimp(value))
        if value == 0:
            raise NotAdmissibleError(f"sigma, rho: ((σ,ρ)) = 0 for σ = {sname}: not admissible")
    return value


def admissibility_closed_form(sigma: str, k: int, m: int = 1) -> sp.Expr:
    """The table of docs/ridgelet.md#admissibility, written out (independent of :func:`admissibility_constant`):

    - ``((G, G^{(2j)})) = (2π)^m (−1)^j Γ(j − (m−1)/2)``, ``2j ≥ m``;
    - ``((ReLU, G^{(2j)})) = −(−1)^j (2π)^{m−1} √(2π) 2^{(2j−1−m)/2} Γ((2j−1−m)/2)``, ``2j > m+1``;
    - ``((step, G^{(2j+1)})) = (−1)^{j+1} (2π)^{m−1} √(2π) 2^{(2j+1−m)/2} Γ((2j+1−m)/2)``, ``2j+1 > m``
      (``((σ′,ρ)) = ((σ,−ρ′))`` applied to the ReLU row).
    """
    m = _check_m(m)
    pi = sp.pi
    if sigma == "gaussian" and k % 2 == 0 and k >= m:
        j = k // 2
        return (2 * pi) ** m * (-1) ** j * sp.gamma(sp.Rational(2 * j - m + 1, 2))
    if sigma == "relu" and k % 2 == 0 and k > m + 1:
        j = k // 2
        s = sp.Rational(2 * j - 1 - m, 2)
        return -(-1) ** j * (2 * pi) ** (m - 1) * sp.sqrt(2 * pi) * 2**s * sp.gamma(s)
    if sigma == "step" and k % 2 == 1 and k > m:
        j = (k - 1) // 2
        s = sp.Rational(2 * j + 1 - m, 2)
        return (-1) ** (j + 1) * (2 * pi) ** (m - 1) * sp.sqrt(2 * pi) * 2**s * sp.gamma(s)
    raise NotAdmissibleError(f"sigma, k: no closed form for σ = {sigma}, ρ = G^({k}), m = {m} (not admissible)")


def tanh_admissibility_closed_form(j: int, m: int = 1) -> sp.Expr:
    """``((tanh, ρ_j)) = (2π)^{m−1} (−1)^j π √(2π) e^{−π²/8} 2^{(2j−m+1)/2} Γ((2j−m+1)/2)`` for the
    matched ridgelet function ``ρ_j`` of :func:`theory.ridgelet.activations.tanh_ridgelet`, ``2j > m − 1``
    (written out; independent of :func:`admissibility_constant`)."""
    m = _check_m(m)
    if j < 0 or 2 * j <= m - 1:
        raise NotAdmissibleError(
            f"j: ((tanh, ρ_j)) diverges at ω = 0 unless 2j > m − 1 (not admissible); got j = {j}, m = {m}")
    s = sp.Rational(2 * j - m + 1, 2)
    return (2 * sp.pi) ** (m - 1) * (-1) ** j * sp.pi * sp.sqrt(2 * sp.pi) * sp.exp(-sp.pi**2 / 8) * 2**s * sp.gamma(s)


def admissible_orders(sigma, m: int = 1, kmax: int = 8) -> list[int]:
    """The orders ``k ≤ kmax`` for which ``ρ = G^{(k)}`` is admissible with σ (Sonoda & Murata 2017)."""
    out = []
    for k in range(kmax + 1):
        try:
            admissibility_constant(sigma, gaussian_derivative(k), m)
        except NotAdmissibleError:
            continue
        out.append(k)
    return out


# ----------------------------------------------------------------------------------------------------
# reconstruction and the RERM limit spectrum
# ----------------------------------------------------------------------------------------------------
def truncated_reconstruction_multiplier(sigma, k: int, A: sp.Expr | float | None = None) -> sp.Lambda:
    """Fourier multiplier of ``f ↦ S[R[f;G^{(k)}] · 1{|a| ≤ A}]`` in ``m = 1`` (``b`` unbounded):

    .. math:: \\widehat{S[\\gamma_A]}(\\xi) = \\hat f(\\xi) \\int_{|\\omega| \\ge |\\xi|/A}
              \\sigma^\\sharp(\\omega)\\,\\overline{\\rho^\\sharp(\\omega)}\\,|\\omega|^{-1} d\\omega

    (substitute ``ω = ξ/a`` in the Fourier-slice form of ``S[R]``). For σ = G, ρ = G″ it is
    ``−2π e^{−ξ²/A²}``; for ReLU, ρ = G'''' it is ``−2√(2π) e^{−ξ²/(2A²)}``: ``S[γ_A]`` is ((σ,ρ)) times
    ``f`` smoothed by a Gaussian of variance ``2/A²`` resp. ``1/A²``, so ``‖S[γ_A] − ((σ,ρ)) f‖ = O(A^{−2})``.
    Returns a ``Lambda`` of ``(ξ, A)`` (or of ξ when ``A`` is given).
    """
    act = activation(sigma)
    xi = sp.Symbol("xi", real=True)
    Asym = sp.Symbol("A", positive=True)
    u = sp.Symbol("u", positive=True)
    rho_hat = ridgelet_fourier(gaussian_derivative(k))
    w = _W
    h = sp.simplify(sp.expand(act.fourier_regular(w) * sp.conjugate(rho_hat(OMEGA)).subs(OMEGA, w)
                              + act.fourier_regular(-w) * sp.conjugate(rho_hat(OMEGA)).subs(OMEGA, -w)) / w)
    val = sp.simplify(sp.integrate(h, (w, u, sp.oo)))
    val = val.subs(u, sp.Abs(xi) / Asym)
    val = sp.simplify(val)
    if A is not None:
        return sp.Lambda(xi, val.subs(Asym, A))
    return sp.Lambda((xi, Asym), val)


# ----------------------------------------------------------------------------------------------------
# hand-written numeric closed forms (NumPy), tested against the SymPy forms
# ----------------------------------------------------------------------------------------------------
def hermite_e(n: int, x: np.ndarray) -> np.ndarray:
    """Probabilists' Hermite polynomial ``He_n(x)`` by the recurrence ``He_{k+1} = x He_k − k He_{k−1}``."""
    x = np.asarray(x, dtype=float)
    h_prev, h = np.zeros_like(x), np.ones_like(x)
    for k in range(n):
        h_prev, h = h, x * h - k * h_prev
    return h


def gaussian_ridgelet_numpy(a, b, k: int, l: int = 0) -> np.ndarray:
    """``R[G^{(l)}; G^{(k)}](a,b) = (−a)^l √(2π) v^{−(k+l+1)/2} He_{k+l}(b/√v) e^{−b²/(2v)}``, ``v = 1 + a²``
    (m = 1; ``R[f′;ρ] = −a R[f;ρ′]`` by parts). For ``a`` of shape ``(..., m)`` with ``l = 0``: target
    ``e^{−|x|²/2}``, factor ``(2π)^{m/2}``, ``v = 1 + |a|²``."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim == b.ndim + 1:
        if l:
            raise ValueError("l: derivative targets are implemented for m = 1 only")
        mdim = a.shape[-1]
        v = 1.0 + np.sum(a * a, axis=-1)
        pref = (2 * np.pi) ** (mdim / 2)
        lead = 1.0
    else:
        v = 1.0 + a * a
        pref = np.sqrt(2 * np.pi)
        lead = (-a) ** l
    return lead * pref * v ** (-(k + l + 1) / 2) * hermite_e(k + l, b / np.sqrt(v)) * np.exp(-b * b / (2 * v))
