"""Adapted-spline theory: kink weights (exact, 30 digits), the adapted spline and its limit cases, the
kernel-limit identity, early stopping constants, bad input."""

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.interpolate import make_smoothing_spline
from sympy.stats import Die, E, Laplace, Normal, StudentT, Uniform, density

from proofs_check.strategies.spline import datasets, laws, penalties
from theory.spline.early_stopping import derive_early_stopping, flow_constants, gap_bound, residual_gap
from theory.spline.kink_weight import half_weight_quadrature
from theory.spline.rf_kernel import g0_direct, kernel_limit
from theory.spline.rf_law import LawError, RandomFeatureLaw, breakpoints, parse_law
from theory.spline.derivation import derive_kink_weight
from theory.spline.splines import adapted_spline, early_stopping_spline, kink_weight, kink_weights, single_spline

x = sp.Symbol("x", real=True)
c = sp.Symbol("c", positive=True)
X6 = np.array([-2.0, -1.2, -0.3, 0.4, 1.1, 2.0])
Y6 = np.array([0.5, -0.3, 1.0, 0.2, -0.8, 0.6])


# ----------------------------------------------------------------------------------------------------
# kink weights
# ----------------------------------------------------------------------------------------------------
def test_worked_example_exactly():
    """docs/spline.md: v ~ N(0,1), b ~ U(−c,c)."""
    g = kink_weight(Normal("v", 0, 1), Uniform("b", -c, c), x)
    expected = (2 - (c**2 / x**2 + 2) * sp.exp(-c**2 / (2 * x**2))) / (c * sp.sqrt(2 * sp.pi))
    kw = kink_weights(Normal("v", 0, 1), Uniform("b", -c, c), x)
    assert sp.simplify(kw.g - expected) == 0
    assert g == sp.Piecewise((kw.g0, sp.Eq(x, 0)), (kw.g, True))  # defined at 0: g.subs(x, 0) = g(0)
    assert sp.simplify(g.subs(x, 0) - 2 / (c * sp.sqrt(2 * sp.pi))) == 0
    assert sp.simplify(kw.g0 - 2 / (c * sp.sqrt(2 * sp.pi))) == 0
    assert sp.simplify(sp.limit(x**4 * g, x, sp.oo) - c**3 / (4 * sp.sqrt(2 * sp.pi))) == 0
    assert sp.simplify(kw.g_plus - kw.g_minus) == 0  # symmetric law: g₊ = g₋ = g/2


def _definition_mp(law, sign, xv):
    t = sp.Symbol("t", real=True)
    pv = sp.lambdify(t, density(law.v)(t), "mpmath")
    pb = sp.lambdify(t, density(law.b)(t), "mpmath")
    X = mp.mpf(xv)
    pts = {abs(mp.mpf(q)) for q in breakpoints(law.v) if q * sign > 0}
    pts |= {mp.mpf(q) / (-X * sign) for q in breakpoints(law.b) if mp.mpf(q) / (-X * sign) > 0}
    return mp.quad(lambda s: s**3 * pv(sign * s) * pb(-X * sign * s), [0] + sorted(pts) + [mp.inf])


FAMILIES = {"N": lambda n: Normal(n, 0, 1), "U": lambda n: Uniform(n, -1, 2), "L": lambda n: Laplace(n, 0, 1)}


@pytest.mark.parametrize("fv", sorted(FAMILIES))
@pytest.mark.parametrize("fb", sorted(FAMILIES))
def test_closed_forms_match_the_defining_integral_at_30_digits(fv, fb):
    law = RandomFeatureLaw(FAMILIES[fv]("v"), FAMILIES[fb]("b"))
    kw = kink_weights(law.v, law.b, x)
    with mp.workdps(40):
        for sign, which in ((1, "plus"), (-1, "minus")):
            f = kw.mp(which)
            for xv in (-3.7, -0.45, 0.3, 1.9):
                ref = _definition_mp(law, sign, xv)
                assert abs(f(mp.mpf(xv)) - ref) <= mp.mpf(10) ** -30 * max(1, abs(ref)), (fv, fb, which, xv)
        assert abs(kw.mp("g")(0) - (kw.mp("plus")(0) + kw.mp("minus")(0))) < mp.mpf(10) ** -30


@pytest.mark.slow
def test_off_centre_laplace_closed_form():
    law = RandomFeatureLaw(Laplace("v", sp.Rational(1, 2), 1), Laplace("b", sp.Rational(1, 2), 1))
    kw = kink_weights(law.v, law.b, x)  # the order of the two Abs roots depends on x: Piecewise
    with mp.workdps(40):
        for xv in (-2.1, 0.29, 0.9, 5.5):
            for sign, which in ((1, "plus"), (-1, "minus")):
                ref = _definition_mp(law, sign, xv)
                assert abs(kw.mp(which)(mp.mpf(xv)) - ref) <= mp.mpf(10) ** -28 * max(1, abs(ref))


@settings(max_examples=8)
@given(law=laws())
def test_kink_weight_mass_and_value_at_zero(law):
    """∫ g = E[v²] and g(0) = p_b(0) E|v|³ (by an independent quadrature of the law)."""
    kw = kink_weights(law.v, law.b, x)
    gp, gm, g0 = kw.numeric()
    s = np.concatenate([-np.geomspace(1e4, 1e-6, 4000), [0.0], np.geomspace(1e-6, 1e4, 4000)])
    g = gp(s) + gm(s)
    mass = np.trapezoid(g, s)
    assert mass == pytest.approx(float(E(law.v**2)), rel=2e-4)
    assert g0 == pytest.approx(g0_direct(law), rel=1e-12)
    assert np.all(g >= 0)


def test_numeric_weight_is_accurate_in_the_tails():
    """The float64 closed form cancels at large |x|; the evaluator switches to the quadrature there."""
    law = RandomFeatureLaw(Normal("v", 0, 1), Uniform("b", -1, 1))
    gp, _, _ = kink_weights(law.v, law.b, x).numeric()
    far = np.array([-1e5, 1e5, 1e7])
    assert np.allclose(gp(far), 1 / (8 * np.sqrt(2 * np.pi) * far**4), rtol=1e-6)  # c³/(4√(2π)x⁴)/2
    q = half_weight_quadrature(law, 1)
    mid = np.array([-2.0, -0.3, 0.5, 3.0])
    assert np.allclose(gp(mid), q(mid), rtol=1e-12)


@pytest.mark.parametrize("v,b,arg", [
    (sp.Symbol("v"), Normal("b", 0, 1), "v"),
    (Normal("v", 0, 1), 3, "b"),
    (Die("v", 6), Normal("b", 0, 1), "v"),
    (Normal("v", 0, 1), Uniform("b", 1, 2), "b"),      # p_b(0) = 0: g(0) = 0
    (StudentT("v", 3), Normal("b", 0, 1), "v"),         # E|v|³ = ∞: no kink weight
])
def test_bad_laws(v, b, arg):
    with pytest.raises(ValueError, match=rf"^{arg}:"):
        kink_weights(v, b, x)


def test_same_variable_twice_and_bad_text():
    v = Normal("v", 0, 1)
    with pytest.raises(LawError, match="^b:"):
        RandomFeatureLaw(v, v)
    for text in ("Cauchy(0, 1)", "Normal 0 1", "Normal(0, )", "Uniform(2, 1)"):
        with pytest.raises(LawError, match="^v:"):
            parse_law(text, "v")
    assert parse_law("Uniform(-c, c)", "b").pspace.distribution.free_symbols == {c}


# ----------------------------------------------------------------------------------------------------
# the adapted spline
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def worked():
    law = RandomFeatureLaw(Normal("v", 0, 1), Uniform("b", -2, 2))
    return law, kink_weights(law.v, law.b, x)


@pytest.mark.parametrize("lam", [1e-3, 0.05, 2.0])
def test_constant_weight_is_scipys_smoothing_spline(lam):
    """g ≡ g₀: penalty λ g(0) ∫ f''²/g₀ = λ ∫ f''², affine part free: make_smoothing_spline(lam=λ)."""
    ref = make_smoothing_spline(X6, Y6, lam=lam)
    t = np.linspace(X6[0], X6[-1], 301)  # scipy extrapolates its end cubics, the natural spline is linear
    f = adapted_spline(X6, Y6, lam, 0.37)
    assert np.max(np.abs(f(t) - ref(t))) < 1e-10
    assert np.max(np.abs(f.derivative()(t) - ref.derivative()(t))) < 1e-9


def test_small_lambda_interpolates(worked):
    _, kw = worked
    for lam in (1e-6, 1e-9):
        f = adapted_spline(X6, Y6, lam, kw)
        assert np.max(np.abs(f(X6) - Y6)) < 1e3 * lam


def test_large_lambda_shrinks_to_zero(worked):
    _, kw = worked
    f = adapted_spline(X6, Y6, 1e8, kw)  # no unpenalised part in the random-feature model
    assert np.max(np.abs(f(np.linspace(-3, 3, 61)))) < 1e-6


def test_derivatives_and_curvature_representation(worked):
    """f' and f'' are the derivatives of f (finite differences), and f''/g± is piecewise linear."""
    law, kw = worked
    f = adapted_spline(X6, Y6, 0.05, kw)
    t = np.linspace(-2.6, 2.6, 53) + 1e-3
    h = 1e-5
    assert np.allclose(f.derivative()(t), (f(t + h) - f(t - h)) / (2 * h), atol=1e-8)
    assert np.allclose(f.derivative(2)(t), (f.derivative()(t + h) - f.derivative()(t - h)) / (2 * h), atol=1e-6)
    gp, gm, _ = kw.numeric()
    hp = np.maximum(X6[None, :] - t[:, None], 0) @ f.coef
    hm = np.maximum(t[:, None] - X6[None, :], 0) @ f.coef
    assert np.allclose(f.derivative(2)(t), gp(t) * hp + gm(t) * hm, atol=1e-12)


def test_penalty_is_the_split_curvature_integral(worked):
    """docs/spline.md: αᵀKα = ∫ f₊''²/g₊ + ∫ f₋''²/g₋ with f₊'' = g₊ Σα_i(x_i − s)₊, f₋'' = g₋ Σα_i(s − x_i)₊."""
    from scipy.integrate import quad

    _, kw = worked
    f = adapted_spline(X6, Y6, 0.05, kw)
    gp, gm, _ = kw.numeric()
    hp = lambda s: float(np.maximum(X6 - s, 0) @ f.coef)  # noqa: E731
    hm = lambda s: float(np.maximum(s - X6, 0) @ f.coef)  # noqa: E731
    pts = list(X6)
    plus = quad(lambda s: gp(np.array([s]))[0] * hp(s) ** 2, -np.inf, X6[0], epsabs=1e-13)[0] + sum(
        quad(lambda s: gp(np.array([s]))[0] * hp(s) ** 2, a, b, epsabs=1e-13)[0] for a, b in zip(pts[:-1], pts[1:]))
    minus = quad(lambda s: gm(np.array([s]))[0] * hm(s) ** 2, X6[-1], np.inf, epsabs=1e-13)[0] + sum(
        quad(lambda s: gm(np.array([s]))[0] * hm(s) ** 2, a, b, epsabs=1e-13)[0] for a, b in zip(pts[:-1], pts[1:]))
    assert f.rkhs_norm2() == pytest.approx(plus + minus, rel=1e-9)


@settings(max_examples=10)
@given(data=datasets(min_size=3, max_size=6), lam=penalties(1e-2, 1.0), z=st.floats(-3, 3), eps=st.floats(-0.5, 0.5))
def test_adapted_spline_is_the_minimiser(worked, data, lam, z, eps):
    """Objective Σ(f(x_i) − y_i)² + λ g(0)‖f‖² does not decrease along f + ε k(·, z)."""
    _, kw = worked
    xd, yd = data
    f = adapted_spline(xd, yd, lam, kw)
    K = f.kernel.matrix(xd, xd, 0)
    kz = f.kernel.matrix(xd, np.array([z]), 0)[:, 0]
    kzz = f.kernel.matrix(np.array([z]), np.array([z]), 0)[0, 0]
    mu = lam * float(kw.g0)

    def objective(e):
        r = K @ f.coef + e * kz - yd
        return r @ r + mu * (f.coef @ K @ f.coef + 2 * e * (f.coef @ kz) + e * e * kzz)

    assert objective(eps) >= objective(0.0) - 1e-12 * (1 + objective(0.0))


@settings(max_examples=4)
@given(law=laws(), data=datasets(min_size=3, max_size=6), lam=penalties(1e-3, 1e-1))
def test_adapted_spline_equals_the_kernel_limit(law, data, lam):
    """The characterisation, property-tested: the split spline from g± equals f_∞ from the law alone."""
    kw = kink_weights(law.v, law.b, x)
    xd, yd = data
    t = np.linspace(-2.5, 2.5, 41)
    f = adapted_spline(xd, yd, lam, kw)
    ref = kernel_limit(xd, yd, lam, law, float(kw.g0))
    scale = 1 + np.max(np.abs(yd))
    assert np.max(np.abs(f(t) - ref(t))) < 1e-8 * scale
    assert np.max(np.abs(f.derivative()(t) - ref.derivative()(t))) < 1e-8 * scale


def test_slopes_at_infinity(worked):
    """Symmetric law: f'(−∞) + f'(+∞) = ½ E[v²] Σ α_i x_i for the limit (E[vρ(vx + b)] = ½ x E[v²]), so the
    slope condition f'(−∞) + f'(+∞) = 0 does *not* follow unless Σ α_i x_i = 0; the single spline imposes it."""
    law, kw = worked
    f = adapted_spline(X6, Y6, 0.05, kw)
    d = f.derivative()(np.array([-1e4, 1e4]))
    assert d[0] + d[1] == pytest.approx(0.5 * float(E(law.v**2)) * float(f.coef @ X6), rel=1e-8)
    assert abs(f.coef @ X6) > 0.1  # the condition genuinely fails here
    s = single_spline(X6, Y6, 0.05, kw)
    ds = s.derivative()(np.array([-1e4, 1e4]))
    assert abs(ds[0] + ds[1]) < 1e-8 * (1 + np.max(np.abs(ds)))


def test_single_spline_is_not_the_limit(worked):
    """docs/spline.md: on a 6-point example the single-spline reading is off by ≈ 0.3 in sup norm."""
    law, kw = worked
    t = np.linspace(-2.5, 2.5, 201)
    ref = kernel_limit(X6, Y6, 0.01, law, float(kw.g0))
    off = np.max(np.abs(single_spline(X6, Y6, 0.01, kw)(t) - ref(t)))
    assert 0.1 < off < 1.0


@pytest.mark.parametrize("args,arg", [
    ((X6, Y6[:5], 0.1), "y"), ((X6[:1], Y6[:1], 0.1), "x"), ((np.r_[X6[:5], X6[4]], Y6, 0.1), "x"),
    ((np.r_[X6[:5], np.nan], Y6, 0.1), "x"), ((X6, np.r_[Y6[:5], np.inf], 0.1), "y"),
    ((X6, Y6, 0.0), "lam"), ((X6, Y6, -1.0), "lam"), ((X6, Y6, np.nan), "lam"),
])
def test_bad_spline_input(worked, args, arg):
    _, kw = worked
    with pytest.raises(ValueError, match=rf"^{arg}:"):
        adapted_spline(*args, kw)


def test_bad_weight():
    for g in (0.0, -1.0, "abc", sp.Symbol("a") * sp.Symbol("b")):
        with pytest.raises(ValueError, match="^g:"):
            adapted_spline(X6, Y6, 0.1, g)


# ----------------------------------------------------------------------------------------------------
# early stopping
# ----------------------------------------------------------------------------------------------------
def test_gap_constants():
    u, delta = flow_constants()
    with mp.workdps(40):
        uu = mp.mpf(sp.N(u, 45))
        assert abs(mp.e**uu - (1 + uu) ** 2) < mp.mpf(10) ** -35
    assert gap_bound(None) == pytest.approx(float(delta), rel=1e-14)
    assert gap_bound(1) == 0.5
    ks = [2**j for j in range(16)]
    vals = [gap_bound(k) for k in ks]
    assert all(a > b for a, b in zip(vals, vals[1:])) and vals[-1] > gap_bound(None)


@given(k=st.integers(1, 4096), u=st.floats(0, 1, exclude_min=False))
def test_gap_bound_bounds_every_point(k, u):
    assert float(residual_gap(mp.mpf(u * k), k)) <= gap_bound(k) * (1 + 1e-12)


def test_early_stopping_spline_tends_to_interpolation(worked):
    _, kw = worked
    from theory.spline.splines import spline_kernel

    K = spline_kernel(kw).matrix(X6, X6, 0)
    h = 1.0 / float(np.linalg.eigvalsh(K)[-1])
    assert np.max(np.abs(early_stopping_spline(X6, Y6, kw, h, 0)(X6))) == 0.0
    with pytest.raises(ValueError, match="^step:"):
        early_stopping_spline(X6, Y6, kw, 2.5 * h, 10)


def test_derivations_are_fully_checked():
    d = derive_kink_weight()
    assert d.all_checked and sum(s.checked for s in d.steps) >= 6
    md = d.to_markdown()
    assert "c x^{2}" in md and "checked: mpmath 30 digits" in md
    assert derive_kink_weight(v="Laplace(0, 1)", b="Normal(0, 1)").all_checked
    assert derive_early_stopping().all_checked


def test_a_wrong_symbolic_weight_is_never_replaced(worked):
    """A closed form off by 5 % (or of a wrong functional form) raises; it is not silently swapped for the
    quadrature of the defining integral (the adapted spline and the claims use the symbolic g±)."""
    import dataclasses

    from theory.spline.kink_weight import ClosedFormError

    _, kw = worked
    scaled = dataclasses.replace(kw, g_plus=kw.g_plus * sp.Rational(105, 100), g_minus=kw.g_minus * sp.Rational(105, 100))
    other = dataclasses.replace(kw, g_plus=kw.g0_plus * sp.exp(-x**2 / 2), g_minus=kw.g0_minus * sp.exp(-x**2 / 2))
    for wrong in (scaled, other):
        with pytest.raises(ClosedFormError, match="^g_plus:"):
            wrong.numeric()
        with pytest.raises(ClosedFormError):
            adapted_spline(X6, Y6, 0.05, wrong)


def test_float_fallback_only_where_round_off_is_lost(worked):
    """The closed form is used wherever its float64 round-off is ≤ 1e-11 (here |x| ≤ 10 and 0 < |x|: the
    cancellation 2 − (c²/x² + 2)e^{−c²/(2x²)} loses ≈ 8 ε x⁴/c⁴); beyond, the integral takes over."""
    _, kw = worked
    gp, gm, _ = kw.numeric()
    for sgn, (lo, hi) in gp.float64_range.items():
        assert lo == 0.0 and 3.0 <= hi < 100.0
    mid = np.array([-2.5, -0.7, 0.01, 1.3, 2.0])
    expr = sp.lambdify(x, sp.powsimp(sp.expand(kw.g_plus), combine="exp"), "numpy")
    assert np.allclose(gp(mid), np.asarray(expr(mid), float), rtol=1e-11, atol=0)  # the symbolic form itself


@pytest.mark.parametrize("b,rigged,message", [
    (Uniform("b", -2, 2), lambda ok: (np.inf, 0.0), "no loss of float64 accuracy was shown"),
    (Uniform("b", -2, 2), lambda ok: (0.0, np.inf), "where its round-off is"),
    (Normal("b", 0, 1), lambda ok: (0.0, 1e12), "beyond the probes"),
])
def test_the_evaluator_is_checked_on_every_route(monkeypatch, b, rigged, message):
    """The evaluator of g± is checked against its probes on every route: the quadrature may replace the float64
    closed form only where a loss of accuracy was shown (between |x| = 1 and the point; beyond the largest probe
    only if one was shown up to it), and the closed form is never used where its round-off exceeds 1e-11. An
    evaluator that routes otherwise (here: a rigged interval of the closed form) raises."""
    from theory.spline import kink_weight as K

    kw = kink_weights(Normal("v", 0, 1), b, x)
    K._numpy_weight(kw.g_plus, kw.x, kw.g0_plus, kw.law, 1)  # the honest route passes
    monkeypatch.setattr(K, "_accurate_range", rigged)
    with pytest.raises(K.ClosedFormError, match=f"^g_plus: the evaluator .*{message}"):
        K._numpy_weight(kw.g_plus, kw.x, kw.g0_plus, kw.law, 1)


def test_normal_v_with_an_off_centre_laplace_b_is_certified():
    """v ~ N(0, 1), b ~ Laplace(1/2, 1): the closed form carries e^{x²/2} erf(x/√2 − 1/(2√2 x)) terms whose
    argument changes sign with x; written with erfc by the sign at large |x| its exact evaluation resolves the
    cancellation (depth ~ x⁶) at every probe, so the closed form is certified against the defining integral
    and the evaluator agrees with the definition at 30 digits."""
    from theory.spline import kink_weight as K

    law = RandomFeatureLaw(Normal("v", 0, 1), Laplace("b", sp.Rational(1, 2), 1))
    kw = kink_weights(law.v, law.b, x)
    gp, gm, _ = kw.numeric()
    for sign, g, expr in ((1, gp, kw.g_plus), (-1, gm, kw.g_minus)):
        pts = np.array([-31622.7, -1e3, -10.0, -0.45, 0.7, 40.0])
        with mp.workdps(30):
            ref = np.array([float(_definition_mp(law, sign, t)) for t in pts])
        assert np.allclose(g(pts), ref, rtol=1e-9, atol=0)
        assert np.allclose(K._exact(K._exact_form(expr, kw.x), pts), ref, rtol=1e-12, atol=0)


def test_kink_moments_are_the_laws():
    """∫ s^p g±(s) ds = (−1)^p E[b^p] E[v^{2−p}; ±v > 0] (b = −s v), from the law alone."""
    from theory.spline.kink_weight import kink_moments

    r = 1 / np.sqrt(2 * np.pi)
    got = kink_moments(RandomFeatureLaw(Normal("v", 0, 1), Uniform("b", -1, 3)))
    assert np.allclose(got, ((0.5, -r, 7 / 6), (0.5, r, 7 / 6)), rtol=1e-13, atol=1e-15)
    got = kink_moments(RandomFeatureLaw(Uniform("v", -sp.Rational(1, 2), sp.Rational(3, 2)),
                                        Laplace("b", sp.Rational(1, 4), 1)))
    assert np.allclose(got, ((9 / 16, -9 / 64, 99 / 64), (1 / 48, 1 / 64, 33 / 64)), rtol=1e-13, atol=1e-15)


def test_kernel_moments_must_total_the_laws_kinks(worked):
    """The split kernel's cumulative kink moments are checked on every use against the law's
    (:func:`kink_moments`): a weight off by 0.1 %, or the single spline's weight built as g₊ − g₋, raises;
    a deformed weight (the kink-weight knob) is not checked."""
    from theory.spline.kernels import KinkMomentError, SingleKernel, SplitKernel
    from theory.spline.kink_weight import kink_moments
    from theory.spline.splines import spline_kernel

    law, kw = worked
    kern = spline_kernel(kw)
    assert kern.totals == kink_moments(law)
    kern.matrix(X6, X6, 0)
    single_spline(X6, Y6, 0.05, kw)
    gp, gm, _ = kw.numeric()
    off = SplitKernel(lambda t: 1.001 * gp(t), gm, kern.scale, kern.breaks, totals=kern.totals)
    with pytest.raises(KinkMomentError, match="^g_plus:"):
        off.matrix(X6, X6, 0)
    both = tuple(a + b for a, b in zip(*kern.totals))
    with pytest.raises(KinkMomentError, match="^g:"):
        SingleKernel(lambda t: gp(t) - gm(t), kern.scale, kern.breaks, totals=both).matrix(X6, X6, 0)
    adapted_spline(X6, Y6, 0.05, kw, lambda t: 1 + 0.1 * np.tanh(t))


def test_exact_form_writes_each_erf_by_its_sign_at_the_point():
    """An off-centre Normal v with an off-centre Laplace b: erf arguments change sign with x. Written by
    their sign as x → ∞ (or re-canonicalised by SymPy, erfc(−z) → 2 − erfc(z)) the exact evaluation loses a
    cancellation of ~200 digits at x = −31.6, and two low precisions agree on the same wrong value."""
    import mpmath as mp
    from sympy.stats import Laplace, Normal

    from theory.spline.kink_weight import _exact_form, kink_weights

    x = sp.Symbol("x", real=True)
    kw = kink_weights(Normal("v", sp.Rational(-1, 2), sp.Rational(1, 2)),
                      Laplace("b", sp.Rational(1, 4), sp.Rational(1, 2)), x)
    f = _exact_form(kw.g_plus, x)
    with mp.workdps(30):
        low = mp.re(f(mp.mpf(-31.6)))
    with mp.workdps(400):
        high = mp.re(f(mp.mpf(-31.6)))
    assert abs(low - high) <= mp.mpf(10) ** -17 * abs(high)  # a cancellation of ~8 digits remains, not 200
    assert abs(float(high) - 2.62348894549246e-07) <= 1e-20
    gp, gm, g0 = kw.numeric()  # every closed form checked against its defining integral: no ClosedFormError
    assert abs(float(kw.g0_plus) - float(kw.g0_minus)) > 0.1


def test_two_laplace_laws_are_accurate_across_the_removable_singularity():
    """v ~ Laplace(1/2, 1), b ~ Laplace(1/2, 1): on one piece the exponent's slope 1 − |x| vanishes at |x| = 1,
    where the closed form is a removable 0/0 that cancels in float64 nearby (−1.8e8 for 0.094 at x = 0.999).
    The evaluator replaces it by the quadrature on a band around x₀ found by probing, and agrees with the
    defining integral everywhere, including between the regular probes."""
    law = RandomFeatureLaw(Laplace("v", sp.Rational(1, 2), 1), Laplace("b", sp.Rational(1, 2), 1))
    kw = kink_weights(law.v, law.b, x)
    gp, gm, _ = kw.numeric()
    t = np.concatenate([-np.geomspace(1e-3, 1e3, 2001), np.geomspace(1e-3, 1e3, 2001), [0.999, 1.0, 1.001, 1 + 1e-7]])
    for g, sign in ((gp, 1), (gm, -1)):
        ref = half_weight_quadrature(law, sign)(t)
        assert np.max(np.abs(g(t) - ref) / np.abs(ref)) < 1e-9
