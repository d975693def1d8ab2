"""Theory of the ridgelet spectrum: closed forms, exact and against 30-digit mpmath references of the
definitions (docs/ridgelet.md#closed-forms), the activation table by Parseval, the RERM limit, the
derivation, and bad input."""

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

from proofs_check.strategies import ridgelet as rst
from theory.ridgelet import transform as th
from theory.ridgelet import mp as rmp
from theory.ridgelet import rerm as rr
from theory.ridgelet.activations import (
    OMEGA,
    Z,
    activation,
    gaussian,
    gaussian_derivative,
    gaussian_derivative_activation,
    relu,
    step,
    tanh,
    tanh_ridgelet,
)
from theory.common.derivation import symbolically_equal
from theory.ridgelet.derivation import derive_ridgelet

DIGITS = mp.mpf(10) ** -28  # 30-digit references, two digits of slack for the quadrature
x_ = sp.Symbol("x", real=True)


def close30(value, reference) -> bool:
    with mp.workdps(45):
        value = sym_to_mp(value) if isinstance(value, sp.Basic) else mp.mpmathify(value)
        reference = mp.mpmathify(reference)
        return bool(abs(value - reference) <= DIGITS * (1 + abs(reference)))


def sym_to_mp(expr):
    """A SymPy number at 45 digits as an mpmath number (no detour through float)."""
    val = sp.N(expr, 45)
    re_, im = val.as_real_imag()
    with mp.workdps(45):
        return mp.mpc(mp.mpf(str(sp.N(re_, 45))), mp.mpf(str(sp.N(im, 45))))


def gaussian_target(m):
    xs = sp.symbols(f"x1:{m + 1}", real=True)
    return sp.Lambda(xs, sp.exp(-sum(x**2 for x in xs) / 2))


def claims_formula(m, k):
    """docs/ridgelet.md#closed-forms: R[e^{−|x|²/2}; G^{(k)}] = (2π)^{m/2} v^{−(k+1)/2} He_k(b/√v) e^{−b²/(2v)}, v = 1 + |a|²."""
    avars, b = th.parameter_symbols(m)
    v = 1 + sum(a**2 for a in avars)
    return avars, b, (2 * sp.pi) ** sp.Rational(m, 2) * v ** (-sp.Rational(k + 1, 2)) * sp.hermite_prob(k, b / sp.sqrt(v)) \
        * sp.exp(-b**2 / (2 * v))


# ---- the public API ---------------------------------------------------------------------------------------
def test_public_api_shapes():
    rho = gaussian_derivative(3)
    assert isinstance(rho, sp.Lambda) and len(rho.variables) == 1
    assert sp.simplify(rho(Z) - sp.diff(sp.exp(-Z**2 / 2), Z, 3)) == 0
    for name, obj in (("relu", relu), ("step", step), ("tanh", tanh), ("gaussian", gaussian)):
        assert activation(name) is obj and activation(obj) is obj
        assert isinstance(obj.fourier, sp.Expr)
    assert activation("gaussian_derivative:2").order == 2
    R = th.ridgelet_transform(gaussian_target(2), rho, 2)
    assert isinstance(R, sp.Lambda) and [str(v) for v in R.variables] == ["a_1", "a_2", "b"]
    c = th.admissibility_constant("relu", gaussian_derivative(4), 1)
    assert c.is_number and c == -2 * sp.sqrt(2 * sp.pi)


# ---- R[f; G^(k)] in dimension m -------------------------------------------------------------------------------
@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5])
def test_ridgelet_transform_closed_form(m, k):
    R = th.ridgelet_transform(gaussian_target(m), gaussian_derivative(k), m)
    avars, b, claimed = claims_formula(m, k)
    assert R.variables == (*avars, b)
    assert sp.simplify(R.expr - claimed) == 0
    # simplified: one exponential per term, Gaussian exponents combined
    for term in sp.Add.make_args(sp.expand(R.expr)):
        assert len([f for f in sp.Mul.make_args(term) if isinstance(f, sp.exp)]) <= 1


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 6])
def test_ridgelet_transform_m1_against_quadrature_30_digits(k):
    R = th.ridgelet_transform(gaussian_target(1), gaussian_derivative(k), 1)
    for a, b in (("0.6", "-0.7"), ("-1.3", "2.1"), ("0", "0.4")):
        ref = rmp.ridgelet_transform_mp(gaussian_target(1), gaussian_derivative(k), [a], b)
        val = sym_to_mp(R(sp.Rational(a), sp.Rational(b)))
        assert close30(val, ref), (k, a, b, val, ref)


def test_ridgelet_transform_m2_brute_force_30_digits():
    R = th.ridgelet_transform(gaussian_target(2), gaussian_derivative(2), 2)
    ref = rmp.ridgelet_transform_mp(gaussian_target(2), gaussian_derivative(2), ["0.6", "-0.3"], "-0.7")
    assert close30(sym_to_mp(R(sp.Rational(3, 5), sp.Rational(-3, 10), sp.Rational(-7, 10))), ref)


@pytest.mark.parametrize("m,k", [(2, 1), (2, 4), (3, 2), (3, 5), (4, 3)])
def test_ridgelet_transform_m_dim_against_radon_route(m, k):
    R = th.ridgelet_transform(gaussian_target(m), gaussian_derivative(k), m)
    a = [sp.Rational(1, 2), sp.Rational(-1, 5), sp.Rational(3, 10), sp.Rational(1, 10)][:m]
    b = sp.Rational(9, 10)
    ref = rmp.ridgelet_gaussian_radon_mp([str(v) for v in a], str(b), k)
    assert close30(sym_to_mp(R(*a, b)), ref)


@settings(max_examples=10)
@given(f=rst.gaussian_targets(), k=rst.orders(4), pt=rst.parameter_points(1))
def test_ridgelet_transform_of_gaussian_type_targets(f, k, pt):
    """Non-centred, polynomial-weighted Gaussian targets: closed form against 30-digit quadrature."""
    R = th.ridgelet_transform(f, gaussian_derivative(k), 1)
    (a,), b = pt
    ref = rmp.ridgelet_transform_mp(f, gaussian_derivative(k), [str(a)], str(b))
    assert close30(sym_to_mp(R(a, b)), ref)


def test_ridgelet_transform_piecewise_target():
    x = sp.Symbol("x", real=True)
    f = sp.Lambda(x, sp.Piecewise((1 - x**2, (x >= -1) & (x <= 1)), (0, True)))
    R = th.ridgelet_transform(f, gaussian_derivative(2), 1)
    assert not R.expr.has(sp.erfc)
    for a, b in (("0.5", "0.1"), ("-2.5", "1.7")):
        ref = rmp.ridgelet_transform_mp(f, gaussian_derivative(2), [a], b)
        assert close30(sym_to_mp(R(sp.Rational(a), sp.Rational(b))), ref)


def test_ridgelet_transform_of_the_papers_target():
    """f = sin 2πx on [−1, 1] (Sonoda–Murata §7.1): erf terms with complex arguments, real values."""
    f = sp.Lambda(x_, sp.Piecewise((sp.sin(2 * sp.pi * x_), (x_ >= -1) & (x_ <= 1)), (0, True)))
    R = th.ridgelet_transform(f, gaussian_derivative(1), 1)
    for a, b in (("0.5", "0.1"), ("-2.5", "1.7"), ("7", "3")):
        ref = rmp.ridgelet_transform_mp(f, gaussian_derivative(1), [a], b)
        assert close30(R(sp.Rational(a), sp.Rational(b)), ref)
    g = rr.rerm_spectrum(f, gaussian_derivative_activation(1), sp.Rational(1, 10))
    with mp.workdps(40):
        ref = rmp.ridgelet_transform_mp(f, gaussian_derivative(1), ["7"], "3") / (2 * mp.pi + mp.mpf(1) / 10)
    assert close30(g(sp.Rational(7), sp.Rational(3)), ref)


def test_erf_plus_erfc_collapses():
    t = sp.Symbol("t", real=True)
    assert th._tidy(sp.erf(t) + sp.erfc(t)) == 1
    assert th._tidy(sp.exp(-t**2) * sp.exp(t)) == sp.exp(-t**2 + t)


def test_fourier_slice_identity():
    """R^♯(a, ω) = f̂(ωa) conj(ρ^♯(ω)): transform the closed form in b and compare (m = 1, k = 3)."""
    R = th.ridgelet_transform(gaussian_target(1), gaussian_derivative(3), 1)
    a, b = R.variables
    lhs = th.gaussian_integral(R.expr * sp.exp(-sp.I * OMEGA * b), b)
    fh = th.fourier_transform(gaussian_target(1))
    rhs = fh(OMEGA * a) * sp.conjugate(th.ridgelet_fourier(gaussian_derivative(3))(OMEGA))
    assert symbolically_equal(lhs, rhs)


@pytest.mark.parametrize("k", [0, 1, 2, 5])
def test_fourier_transform_of_gaussian_derivatives(k):
    rh = th.ridgelet_fourier(gaussian_derivative(k))
    assert sp.simplify(rh(OMEGA) - (sp.I * OMEGA) ** k * sp.sqrt(2 * sp.pi) * sp.exp(-OMEGA**2 / 2)) == 0
    ref = rmp.fourier_mp(gaussian_derivative(k), "0.7")
    assert close30(rh(sp.Rational(7, 10)), ref)


# ---- the activation table, by Parseval ----------------------------------------------------------------------
def _table_pairing(act, phi):
    """⟨σ^♯, φ⟩ from the Activation's own table (regular part + δ^(n) terms), regularised by the order of its
    pole at 0: finite part for an even 1/ω² (ReLU), principal value for an odd pole (step, tanh)."""
    reg = sp.lambdify(OMEGA, act.fourier_regular(OMEGA), modules="mpmath")
    with mp.workdps(45):
        p0 = phi(mp.mpf(0))
        if act.name == "relu":
            def g(w):
                return reg(w) * (phi(w) + phi(-w) - 2 * p0)
        else:
            def g(w):
                return reg(w) * (phi(w) - phi(-w))
        # Gauss–Legendre near 0 (its nodes stay away from the cancellation at ω → 0), tanh-sinh beyond
        body = mp.quad(g, [0, 1], method="gauss-legendre") + mp.quad(g, [1, 4, 12, mp.inf])
        sing = sum(sym_to_mp(c) * (-1) ** n * mp.diff(phi, 0, n) for c, n in act.fourier_singular)
        return body + sing


@pytest.mark.parametrize("act", [relu, step, tanh], ids=lambda a: a.name)
@pytest.mark.parametrize("centre", ["0.3", "-1.1"])
def test_activation_fourier_table_by_parseval(act, centre):
    c = mp.mpf(centre)

    def phi(w):
        return mp.exp(-((w - c) ** 2) / 2)

    def phi_hat(z):
        return mp.sqrt(2 * mp.pi) * mp.exp(-1j * c * z - z * z / 2)

    space = rmp.pairing_space_mp(act.name, phi_hat)
    assert close30(_table_pairing(act, phi), space)
    assert close30(rmp.pairing_frequency_mp(act.name, phi), space)


# ---- admissibility constants (docs/ridgelet.md#admissibility) --------------------------------------------------------------
def test_worked_values_m1():
    assert th.admissibility_constant("gaussian", gaussian_derivative(2), 1) == -2 * sp.pi
    assert th.admissibility_constant("relu", gaussian_derivative(4), 1) == -2 * sp.sqrt(2 * sp.pi)


@pytest.mark.parametrize("m,j", [(m, j) for m in (1, 2, 3) for j in (1, 2, 3) if 2 * j >= m])
def test_gaussian_sigma_constants(m, j):
    val = th.admissibility_constant("gaussian", gaussian_derivative(2 * j), m)
    claimed = (2 * sp.pi) ** m * (-1) ** j * sp.gamma(j - sp.Rational(m - 1, 2))
    assert sp.simplify(val - claimed) == 0
    assert close30(sym_to_mp(val), rmp.admissibility_mp("gaussian", 2 * j, m))


@pytest.mark.parametrize("m", [1, 2, 3])
@pytest.mark.parametrize("j", [1, 2, 3, 4])
def test_relu_sigma_constants(m, j):
    if 2 * j <= m + 1:
        with pytest.raises(th.NotAdmissibleError):
            th.admissibility_constant("relu", gaussian_derivative(2 * j), m)
        return
    val = th.admissibility_constant("relu", gaussian_derivative(2 * j), m)
    s = sp.Rational(2 * j - 1 - m, 2)
    claimed = -(-1) ** j * (2 * sp.pi) ** (m - 1) * sp.sqrt(2 * sp.pi) * 2**s * sp.gamma(s)
    assert sp.simplify(val - claimed) == 0
    assert close30(sym_to_mp(val), rmp.admissibility_mp("relu", 2 * j, m))


@pytest.mark.parametrize("m,k", [(1, 3), (1, 5), (2, 3), (3, 5)])
def test_step_sigma_constants(m, k):
    val = th.admissibility_constant("step", gaussian_derivative(k), m)
    assert sp.simplify(val - th.admissibility_closed_form("step", k, m)) == 0
    assert close30(sym_to_mp(val), rmp.admissibility_mp("step", k, m))


@settings(max_examples=15)
@given(pair=rst.wrong_parity_pairs())
def test_wrong_parity_is_a_clear_error(pair):
    name, k, m = pair
    with pytest.raises(th.NotAdmissibleError, match="not admissible"):
        th.admissibility_constant(name, gaussian_derivative(k), m)


def test_zero_parity_message_names_the_symmetry():
    with pytest.raises(th.NotAdmissibleError, match="by symmetry"):
        th.admissibility_constant("gaussian", gaussian_derivative(3), 1)
    with pytest.raises(th.NotAdmissibleError, match="by symmetry"):
        th.admissibility_constant("relu", gaussian_derivative(5), 1)


@settings(max_examples=12)
@given(pair=rst.admissible_pairs())
def test_admissible_pairs_match_the_table(pair):
    name, k, m = pair
    val = th.admissibility_constant(name, gaussian_derivative(k), m)
    assert sp.simplify(val - th.admissibility_closed_form(name, k, m)) == 0
    assert val != 0


def test_tanh_with_gaussian_derivative_is_an_exact_integral():
    val = th.admissibility_constant("tanh", gaussian_derivative(3), 1)
    assert val.is_number and val.has(sp.Integral)
    assert close30(val, rmp.admissibility_mp("tanh", 3, 1))


@pytest.mark.parametrize("m,j", [(1, 1), (1, 2), (2, 1), (3, 2)])
def test_tanh_matched_ridgelet_is_closed_form(m, j):
    val = th.admissibility_constant("tanh", tanh_ridgelet(j), m)
    assert not val.has(sp.Integral)
    assert sp.simplify(val - th.tanh_admissibility_closed_form(j, m)) == 0


@pytest.mark.parametrize("j", [1, 2])
def test_tanh_matched_ridgelet_transform(j):
    """ρ_j^♯ ∝ ω^{2j} sinh(πω/2) e^{−ω²/2}: the symbolic transform against quadrature of ρ_j (30 digits), and the
    admissibility constant against quadrature of its definition with that transform."""
    rho_hat = th.ridgelet_fourier(tanh_ridgelet(j))
    w = sp.Rational(13, 10)
    expected = (-1) ** (j + 1) * sp.I * sp.sqrt(2 * sp.pi) * sp.exp(-sp.pi**2 / 8) * OMEGA ** (2 * j) \
        * sp.sinh(sp.pi * OMEGA / 2) * sp.exp(-OMEGA**2 / 2)
    assert symbolically_equal(rho_hat(OMEGA), expected)
    assert close30(rho_hat(w), rmp.fourier_mp(tanh_ridgelet(j), "1.3"))
    reg = rmp._sigma_regular_mp("tanh")
    rh = sp.lambdify(OMEGA, rho_hat(OMEGA), modules="mpmath")
    with mp.workdps(45):
        ref = 2 * mp.quad(lambda t: mp.re(reg(t) * mp.conj(rh(t))) / t, [0, 1, 4, 12, mp.inf])
    assert close30(th.tanh_admissibility_closed_form(j, 1), ref)


def test_truncated_reconstruction_multipliers():
    xi, A = sp.symbols("xi A", real=True)
    m1 = th.truncated_reconstruction_multiplier("gaussian", 2)
    assert symbolically_equal(m1(xi, 3), -2 * sp.pi * sp.exp(-xi**2 / 9))
    m2 = th.truncated_reconstruction_multiplier("relu", 4)
    assert symbolically_equal(m2(xi, 3), -2 * sp.sqrt(2 * sp.pi) * sp.exp(-xi**2 / 18))
    # against quadrature of ∫_{|ω| ≥ |ξ|/A} σ^♯ conj(ρ^♯) |ω|^{-1} dω at ξ = 1.3, A = 3 (30 digits)
    for name, k, mult in (("gaussian", 2, m1), ("relu", 4, m2)):
        reg = rmp._sigma_regular_mp(name)
        with mp.workdps(45):
            lo = mp.mpf("1.3") / 3

            def h(w):
                return mp.re(reg(w) * mp.conj(rmp.gaussian_derivative_fourier_mp(k, w))) / w

            ref = 2 * mp.quad(h, [lo, lo + 1, lo + 4, lo + 12, mp.inf])
        assert close30(mult(sp.Rational(13, 10), 3), ref)


# ---- the RERM limit ------------------------------------------------------------------------------------------
def test_self_admissibility_and_spectrum():
    s1 = gaussian_derivative_activation(1)
    assert rr.rerm_constant(s1) == 2 * sp.pi
    assert rr.rerm_constant(gaussian_derivative_activation(3)) == 4 * sp.pi  # 2π (k−1)!
    beta = sp.Rational(1, 2)
    g = rr.rerm_spectrum(gaussian_target(1), s1, beta)
    a, b = g.variables
    R = th.ridgelet_transform(gaussian_target(1), s1.expr, 1)
    assert sp.simplify(g.expr - R(a, b) / (2 * sp.pi + beta)) == 0
    assert sp.simplify(rr.adjoint_ridgelet_function(s1)(Z) - s1.expr(Z)) == 0


def test_weighted_parameter_space_makes_relu_self_admissible():
    with pytest.raises(th.NotAdmissibleError, match="not self-admissible"):
        rr.rerm_limit("relu")
    weight = sp.Lambda(OMEGA, sp.Abs(OMEGA) ** -6 * sp.exp(OMEGA**2 / 2))
    lim = rr.rerm_limit("relu", 1, weight)
    assert lim.norm_A == 2
    assert sp.simplify(lim.sigma_star(Z) + gaussian_derivative(4)(Z) / sp.sqrt(2 * sp.pi)) == 0


def test_box_multiplier_and_kernel_against_quadrature():
    for k in (1, 2):
        for xi in ("0.7", "2.3"):
            closed = sp.N(rr.box_multiplier(k)(sp.Rational(xi), 3), 40)
            assert close30(closed, rmp.box_multiplier_mp(k, 3, xi))
        # kernel: ∫_{−A}^{A} ψ_k(a d) da with ψ_k the autocorrelation, by quadrature
        psi = sp.lambdify(rr.T, rr.autocorrelation(k).expr, modules="mpmath")
        with mp.workdps(40):
            ref = mp.quad(lambda aa: psi(aa * mp.mpf("0.45")), [-3, 0, 3])
        assert close30(rr.box_kernel(k)(sp.Rational(45, 100), 3), ref)
        num = rr.box_kernel_numpy(k, 3.0, np.array([0.45, 0.0]))
        assert num[0] == pytest.approx(float(ref), rel=1e-13)
        assert num[1] == pytest.approx(float(sp.limit(rr.box_kernel(k)(rr.LAG, 3), rr.LAG, 0)), rel=1e-13)


def test_box_limit_spectrum_numpy_against_mpmath():
    def fhat(x):
        return np.sqrt(2 * np.pi) * np.exp(-0.5 * x * x)

    a, b = np.array([0.3, -1.7]), np.array([0.0, 1.4, -3.0])
    for k in (1, 2):
        num = rr.box_limit_spectrum_numpy(fhat, k, 2.0, 0.5, a, b)
        for i, ai in enumerate(a):
            for j, bj in enumerate(b):
                ref = rmp.box_limit_spectrum_mp(lambda s: mp.sqrt(2 * mp.pi) * mp.exp(-s * s / 2), k, 2, "0.5", ai, bj)
                assert abs(num[i, j] - float(ref)) < 1e-13


def test_box_limit_tends_to_the_unbounded_spectrum():
    def fhat(x):
        return np.sqrt(2 * np.pi) * np.exp(-0.5 * x * x)

    a, b = np.linspace(-1, 1, 5), np.linspace(-3, 3, 7)
    ref = rr.unbounded_spectrum_gaussian_numpy(1, 2.0, a, b)
    errs = [np.abs(rr.box_limit_spectrum_numpy(fhat, 1, A, 2.0, a, b) - ref).max() for A in (8.0, 16.0, 32.0)]
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.02) and errs[1] / errs[2] == pytest.approx(4.0, rel=0.01)


# ---- the derivation --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("m,k", [(1, 2), (1, 4), (2, 4), (3, 3)])
def test_derivation_is_checked(m, k):
    d = derive_ridgelet(m, k)
    assert d.all_checked and sum(s.checked for s in d.steps) >= 8
    text = d.to_markdown()
    assert "$$" in text and "mpmath 30 digits" in text


# ---- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("f", [sp.Lambda(x_, sp.Integer(1)), sp.Lambda(x_, sp.exp(x_**2)), sp.Lambda(x_, 1 / (1 + x_**2)),
                               sp.Lambda(x_, sp.Piecewise((1, x_ > 0), (0, True)))],
                         ids=["constant", "growing", "not-gaussian-type", "half-line"])
def test_non_integrable_targets(f):
    with pytest.raises(th.NonIntegrableError, match="f"):
        th.ridgelet_transform(f, gaussian_derivative(2), 1)


@pytest.mark.parametrize("call,match", [
    (lambda: th.ridgelet_transform(gaussian_target(2), gaussian_derivative(2), 1), "f"),
    (lambda: th.ridgelet_transform(gaussian_target(1), gaussian_derivative(2), 0), "m"),
    (lambda: th.ridgelet_transform(gaussian_target(1), relu, 1), "rho"),
    (lambda: th.ridgelet_transform(np.exp, gaussian_derivative(2), 1), "f"),
    (lambda: gaussian_derivative(-1), "k"),
    (lambda: gaussian_derivative(1.5), "k"),
    (lambda: activation("softplus"), "sigma"),
    (lambda: activation(3), "sigma"),
    (lambda: th.admissibility_constant("relu", sp.Lambda(Z, sp.Max(Z, 0)), 1), "rho"),
    (lambda: rr.rerm_spectrum(gaussian_target(1), gaussian_derivative_activation(1), -1), "beta"),
    (lambda: rr.rerm_spectrum(gaussian_target(1), gaussian_derivative_activation(1), sp.Symbol("beta")), "beta"),
    (lambda: rr.box_limit_spectrum_numpy(np.exp, 1, 2.0, -0.5, [0.1], [0.0]), "beta"),
    (lambda: rr.box_limit_spectrum_numpy(np.exp, 1, 2.0, 0.5, [3.0], [0.0]), "a"),
    (lambda: rr.box_kernel(0), "k"),
    (lambda: rr.rerm_limit("relu", 1, sp.Lambda(OMEGA, -OMEGA**2)), "weight"),
    (lambda: derive_ridgelet(m="x"), "m"),
    (lambda: derive_ridgelet(m=5), "m"),
])
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_not_admissible_is_a_value_error():
    assert issubclass(th.NotAdmissibleError, ValueError) and issubclass(th.NonIntegrableError, ValueError)
    with pytest.raises(ValueError, match="not admissible"):
        th.tanh_admissibility_closed_form(0, 1)


def test_fourier_transform_in_two_dimensions():
    """``f̂(ξ₁, ξ₂)`` of ``e^{−(x₁² + 4x₂²)/2}`` is ``π e^{−(ξ₁² + ξ₂²/4)/2}``: one variable per coordinate (the m-D branch
    of :func:`theory.ridgelet.transform.fourier_transform`, which no claim reaches)."""
    x1, x2 = sp.symbols("x1 x2", real=True)
    fh = th.fourier_transform(sp.Lambda((x1, x2), sp.exp(-(x1**2 + 4 * x2**2) / 2)))
    u, v = sp.symbols("u v", real=True)
    assert len(set(fh.variables)) == 2
    assert sp.simplify(fh(u, v) - sp.pi * sp.exp(-(u**2 + v**2 / 4) / 2)) == 0


# ---- the transform of ρ against ρ's own moments at ω = 0
def test_ridgelet_moments_match_the_transform_and_give_the_order():
    from theory.ridgelet.transform import check_ridgelet_moments, ridgelet_fourier

    for k in (0, 1, 4, 7):
        rho = gaussian_derivative(k)
        assert check_ridgelet_moments(rho, ridgelet_fourier(rho)) == k


def test_ridgelet_moments_refuse_a_wrong_transform():
    from theory.ridgelet.transform import TransformMismatchError, check_ridgelet_moments, ridgelet_fourier

    rho = gaussian_derivative(2)
    good = ridgelet_fourier(rho)
    for bad in (sp.Lambda(OMEGA, good(OMEGA) * sp.Rational(21, 20)),  # a constant 5 % off
                sp.Lambda(OMEGA, good(OMEGA) / OMEGA * sp.I)):  # one power of ω short
        with pytest.raises(TransformMismatchError, match="rho"):
            check_ridgelet_moments(rho, bad)


def test_vanishing_order_is_exact_beyond_twelve_and_refuses_zero():
    from theory.ridgelet.transform import _W, _vanishing_order

    assert _vanishing_order(_W**14 * sp.exp(-_W**2 / 2), _W) == 14
    assert _vanishing_order(sp.exp(-_W**2 / 2), _W) == 0
    with pytest.raises(ValueError, match="no zero"):
        _vanishing_order(sp.Integer(0) * _W, _W)


def test_admissibility_keeps_a_constant_in_the_exponent():
    """((σ, e·ρ)) = e((σ, ρ)) when the factor e is written inside ρ's exponential: exp(1 − z²/2)(z² − 1)."""
    z, w = sp.Symbol("z", real=True), sp.Symbol("w", positive=True)
    rho = gaussian_derivative(2)
    scaled = sp.Lambda(z, sp.exp(1 - z**2 / 2) * (z**2 - 1))
    assert sp.simplify(scaled(z) - sp.E * rho(z)) == 0
    lhs = th.admissibility_constant("gaussian", scaled)
    assert sp.simplify(lhs - sp.E * th.admissibility_constant("gaussian", rho)) == 0
    assert sp.simplify(th._half_line_integral(sp.exp(2 - w**2), w) - sp.exp(2) * sp.sqrt(sp.pi) / 2) == 0
