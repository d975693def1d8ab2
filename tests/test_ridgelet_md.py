"""The m = 2 ridgelet family: admissibility constants in m dims (SymPy, exact), the Radon route's closed forms
(30-digit mpmath), the numba kernels against slow references, and the claims through the engine."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from numerics.ridgelet import radon as rd
from numerics.ridgelet import spectrum as rs
from proofs_check.claim import Verdict
from proofs_check.claims import ridgelet_md as cm
from proofs_check.engine import run_claim
from proofs_check.registry import registry
from theory.ridgelet import md
from theory.ridgelet import transform as th
from theory.ridgelet.activations import gaussian_derivative


# ----------------------------------------------------------------------------------------------------
# theory
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("j,k,m", [(0, 2, 2), (0, 4, 2), (1, 1, 2), (1, 3, 2), (0, 2, 1), (1, 1, 1), (1, 3, 3),
                                   (0, 4, 3), (2, 2, 3)])
def test_admissibility_derived_equals_table_and_general_routine(j, k, m):
    derived = md.admissibility_gd(j, k, m)
    assert sp.simplify(derived - md.admissibility_gd_closed(j, k, m)) == 0
    assert sp.simplify(derived - th.admissibility_constant(gaussian_derivative(j), gaussian_derivative(k), m)) == 0


def test_admissibility_m2_values_and_30_digit_quadrature():
    assert sp.simplify(md.admissibility_gd(0, 2, 2) + 4 * sp.pi ** sp.Rational(5, 2)) == 0
    assert sp.simplify(md.admissibility_gd(0, 4, 2) - 2 * sp.pi ** sp.Rational(5, 2)) == 0
    assert sp.simplify(md.admissibility_gd(1, 1, 2) - 4 * sp.pi ** sp.Rational(5, 2)) == 0
    with mp.workdps(35):
        # (2π)^{m−1} ∫ σ^♯ conj ρ^♯ |ω|^{−m}: σ = G, ρ = G'''' → 2π · ∫ 2π ω⁴ e^{−ω²} ω^{−2} dω
        val = 2 * mp.pi * mp.quad(lambda w: 2 * mp.pi * w**2 * mp.exp(-w * w), [-mp.inf, 0, mp.inf])
        assert abs(val - 2 * mp.pi ** mp.mpf(2.5)) < mp.mpf(10) ** -30


@pytest.mark.parametrize("m", [1, 2, 3])
def test_the_factor_2pi_to_the_m_minus_1_is_derived(m):
    assert sp.simplify(md.derive_admissibility_factor(m) - (2 * sp.pi) ** (m - 1)) == 0


def test_non_admissible_pairs_and_bad_orders_raise():
    with pytest.raises(th.NotAdmissibleError):
        md.admissibility_gd(0, 1, 2)  # odd: zero
    with pytest.raises(th.NotAdmissibleError):
        md.admissibility_gd(0, 0, 2)  # j + k ≤ m − 1: divergent
    with pytest.raises(ValueError, match="k:"):
        md.admissibility_gd(0, -2, 2)
    with pytest.raises(ValueError, match="m:"):
        md.admissibility_gd(0, 2, 0)


def test_truncated_multiplier_tends_to_the_constant_with_the_stated_order():
    mA = md.truncated_multiplier(0, 4, 2)
    xi, A = mA.variables
    assert sp.simplify(sp.limit(mA.expr, A, sp.oo) - md.admissibility_gd_closed(0, 4, 2)) == 0
    assert md.truncation_order(0, 4, 2) == 3
    # deficit ∝ (ξ/A)³: the ratio deficit/(ξ/A)³ tends to a non-zero constant
    e = sp.Symbol("e", positive=True)
    deficit = (md.admissibility_gd_closed(0, 4, 2) - mA.expr).subs(xi, e * A)
    c = sp.limit(sp.simplify(deficit / e**3), e, 0)
    assert c != 0 and c.is_finite


def test_disc_projection_against_30_digit_chord_quadrature():
    P = md.disc_projection()
    for theta, t in [(0.3, 0.2), (1.9, -0.7), (2.8, 0.95)]:
        with mp.workdps(32):
            c = mp.sqrt(1 - mp.mpf(t) ** 2)
            u1, u2 = mp.cos(theta), mp.sin(theta)

            def f(r):
                x1, x2 = t * u1 - r * u2, t * u2 + r * u1
                return (1 - x1 * x1 - x2 * x2) * (1 + x1 / 2 + x1 * x2)

            ref = mp.quad(f, [-c, c])
            assert abs(sp.N(P(sp.Float(theta, 40), sp.Float(t, 40)), 32) - ref) < mp.mpf(10) ** -28
        assert abs(md.disc_projection_numpy(theta, t) - float(ref)) < 1e-14


def test_disc_spectrum_reference_against_mpmath():
    for theta, s, b in [(0.5, 3.0, 0.5), (2.1, -3.75, -1.5), (1.0, 0.5, 4.0)]:
        ref = md.disc_spectrum_mp(theta, s, b, 2)
        assert abs(md.disc_spectrum_numpy([theta], [s], [b], 2)[0, 0, 0] - float(ref)) < 2e-15


def test_gaussian_target_spectrum_equals_the_symbolic_transform():
    x1, x2 = sp.symbols("x1 x2", real=True)
    f = sp.Lambda((x1, x2), sp.exp(-(x1**2 + x2**2 / sp.Rational(9, 16)) / 2))
    R = th.ridgelet_transform(f, gaussian_derivative(2), 2)
    fn = sp.lambdify(R.variables, R.expr, "mpmath")
    for a1, a2, b in [(0.3, -1.2, 0.4), (2.0, 0.5, -3.0)]:
        with mp.workdps(30):
            ref = fn(mp.mpf(a1), mp.mpf(a2), mp.mpf(b))
        assert abs(md.gaussian_target_spectrum_numpy(a1, a2, b, 2, (1.0, 0.75)) - float(ref)) < 1e-14


def test_box_kernel_2d_closed_form_and_limits():
    K = md.box_kernel_2d()
    d1, d2, A = K.variables
    # the axis limits stated in the docstring
    assert sp.simplify(sp.limit(K.expr, d1, 0) - 2 * A**2 * sp.sqrt(sp.pi) * sp.exp(-A**2 * d2**2 / 4)) == 0
    with mp.workdps(30):
        def psi(t):
            return mp.sqrt(mp.pi) * (mp.mpf(1) / 2 - t * t / 4) * mp.exp(-t * t / 4)

        for dd in [(0.75, 1.5), (-1.5, 0.75), (2.25, 0.0), (0.0, 0.0), (1e-3, 2e-3)]:
            ref = mp.quad(lambda u, v: psi(u * dd[0] + v * dd[1]), [-1, 1], [-1, 1])
            assert abs(md.box_kernel_2d_numpy(1.0, *dd) - float(ref)) < 1e-13
            if dd[0] * dd[1] != 0:
                assert abs(sp.N(K(sp.Float(dd[0], 40), sp.Float(dd[1], 40), 1), 30) - ref) < mp.mpf(10) ** -25


# ----------------------------------------------------------------------------------------------------
# numerics
# ----------------------------------------------------------------------------------------------------
def test_radon_projections_are_exact_on_the_disc_target():
    theta = np.linspace(0, np.pi, 5, endpoint=False)
    t = np.linspace(-1, 1, 41)
    P = rd.radon_projections(md.disc_target, theta, t, 1.0, 4)
    assert np.max(np.abs(P - md.disc_projection_numpy(theta[:, None], t[None, :]))) < 1e-14


def test_radon_route_equals_the_direct_sum_on_the_projections_and_the_2d_sum():
    theta = np.array([0.0, 0.7, 2.0])
    s = np.array([-2.0, 0.5, 1.5])
    b = np.linspace(-4, 4, 17)
    R = rd.spectrum_radon(md.disc_target, theta, s, b, ("gaussian_derivative", 2), 1.0, 64, 4)
    t = np.linspace(-1, 1, 65)
    P = rd.radon_projections(md.disc_target, theta, t, 1.0, 4)
    for i in range(theta.size):
        D = rs.spectrum_direct(rs.Samples.from_grid(t, P[i]), s, b, ("gaussian_derivative", 2))
        assert np.max(np.abs(R[i] - D)) < 1e-12
    # smooth target: the Radon route and the Cartesian 2-D sum both reach the closed form
    sc = (1.0, 0.75)
    Rg = rd.spectrum_radon(lambda x1, x2: md.gaussian_target_numpy(x1, x2, sc), theta, s, b,
                           ("gaussian_derivative", 2), 9.0, 360, 96)
    g = np.linspace(-9, 9, 145)
    X1, X2 = np.meshgrid(g, g, indexing="ij")
    w = (g[1] - g[0]) ** 2
    Avec = np.array([[si * math.cos(tt), si * math.sin(tt)] for tt in theta for si in s])
    Dg = rd.spectrum_direct_2d(np.column_stack([X1.ravel(), X2.ravel()]),
                               w * md.gaussian_target_numpy(X1, X2, sc).ravel(), Avec, b, ("gaussian_derivative", 2))
    exact = md.gaussian_target_spectrum_numpy(Avec[:, 0, None], Avec[:, 1, None], b[None, :], 2, sc)
    assert np.max(np.abs(Dg - exact)) < 1e-11
    assert np.max(np.abs(Rg.reshape(-1, b.size) - exact)) < 1e-11


def test_synthesis_and_features_against_numpy():
    rng = np.random.default_rng(3)
    theta = np.array([0.1, 1.3])
    wt = np.array([0.5, 0.7])
    s = np.array([-1.0, 0.4, 2.0])
    ws = np.array([0.2, 0.3, 0.1])
    b = np.linspace(-3, 3, 13)
    wb = rs.trapezoid_weights(b)
    gamma = rng.normal(size=(2, 3, 13))
    x = rng.normal(size=(4, 2))
    out = rd.synthesis_2d(gamma, theta, wt, s, ws, b, wb, x, ("gaussian_derivative", 0))
    ref = np.zeros(4)
    for p in range(4):
        for l in range(2):
            u = np.array([math.cos(theta[l]), math.sin(theta[l])])
            for i in range(3):
                z = s[i] * (u @ x[p]) - b
                ref[p] += wt[l] * ws[i] * np.sum(wb * gamma[l, i] * np.exp(-z * z / 2))
    assert np.allclose(out, ref, rtol=1e-13, atol=1e-14)
    a = rng.normal(size=(5, 2))
    bb = rng.normal(size=5)
    Phi = rd.features_2d(x, a, bb, ("gaussian_derivative", 1))
    z = x @ a.T - bb[None, :]
    assert np.allclose(Phi, -z * np.exp(-z * z / 2), rtol=1e-14, atol=1e-15)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="^f:"):
        rd.radon_projections(3.0, [0.0], [0.0], 1.0)
    with pytest.raises(ValueError, match="^radius:"):
        rd.radon_projections(md.disc_target, [0.0], [0.0], -1.0)
    with pytest.raises(ValueError, match="^nodes:"):
        rd.radon_projections(md.disc_target, [0.0], [0.0], 1.0, 0)
    with pytest.raises(ValueError, match="^intervals:"):
        rd.spectrum_radon(md.disc_target, [0.0], [1.0], [0.0, 1.0], intervals=1)
    with pytest.raises(ValueError, match="^theta:"):
        rd.spectrum_radon(md.disc_target, [np.nan], [1.0], [0.0, 1.0])
    with pytest.raises(ValueError, match="^X:"):
        rd.spectrum_direct_2d(np.zeros((3, 3)), np.zeros(3), np.zeros((2, 2)), [0.0])
    with pytest.raises(ValueError, match="^gamma:"):
        rd.synthesis_2d(np.zeros((1, 1, 3)), [0.0], [1.0], [1.0, 2.0], [1.0, 1.0], [0.0, 1.0, 2.0], [1.0] * 3,
                        np.zeros((1, 2)))
    with pytest.raises(ValueError, match="^a:"):
        rd.features_2d(np.zeros((3, 2)), np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="^sigma:"):
        rd.features_2d(np.zeros((3, 2)), np.zeros((4, 2)), np.zeros(4), "swish")


# ----------------------------------------------------------------------------------------------------
# claims
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def md_results():
    """Each claim once at the quick budget on the development root seed 100, with the power analysis at 16
    decisions (what ``nnlimits verify 'ridgelet.md.*' --power --decisions 16`` decides)."""
    cache = {}

    def get(claim):
        if claim.id not in cache:
            cache[claim.id] = run_claim(claim, budget="quick", seed=100, power=True, decisions=16)
        return cache[claim.id]

    return get


@pytest.mark.parametrize("claim", cm.CLAIMS, ids=lambda c: c.id)
def test_claim_confirmed_mutants_refuted_and_power_targets_met(claim, md_results):
    res = md_results(claim)
    assert res.verdict is Verdict.CONFIRMED, res.reason
    assert all(o.verdict is Verdict.REFUTED for o in res.mutants)
    assert res.power and all(k.meets_target() for k in res.power), [(k.name, k.resolution) for k in res.power]


@pytest.mark.slow
def test_rerm_claim_on_a_second_development_seed():
    res = run_claim(cm.RERMSpectrum, budget="quick", seed=101, decisions=16)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


def test_claims_are_opt_in_and_registered_with_their_statements():
    reg = registry()
    for c in cm.CLAIMS:
        assert not c.default and reg.claims[c.id] is c
    named = {s.claim for s in cm.PAPER.statements if s.claim}
    assert named == {c.id for c in cm.CLAIMS}
    assert all(s.claim or s.note for s in cm.PAPER.statements)


def test_reconstruction_constant_is_the_m2_one():
    ctx = cm.Reconstruction().setup("quick")
    assert math.isclose(ctx["constant"], 2 * math.pi**2.5, rel_tol=1e-15)
    preds = {p.name: p.target for p in cm.Reconstruction().predictions(ctx)}
    assert math.isclose(preds["one-dim-constant"], 2 * math.pi, rel_tol=1e-15)
    assert math.isclose(preds["omega-1"], 4 * math.pi**2, rel_tol=1e-15)


def test_radon_route_in_three_dimensions_reaches_the_closed_form():
    """m = 3: plane projections (polar rule) + the 1-D fast spectrum against the Fourier-slice closed form
    ``R = (2π)^{3/2} s₁s₂s₃ v^{−(k+1)/2} He_k(b/√v) e^{−b²/(2v)}``, ``v = 1 + Σ s_i² a_i²`` (anisotropic target)."""
    sc = np.array([1.0, 0.75, 0.6])
    rng = np.random.default_rng(0)
    u = rng.normal(size=(4, 3))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    s = np.array([-2.0, 0.5, 1.5])
    b = np.linspace(-4, 4, 17)

    def f(x1, x2, x3):
        return np.exp(-0.5 * ((x1 / sc[0]) ** 2 + (x2 / sc[1]) ** 2 + (x3 / sc[2]) ** 2))

    R = rd.spectrum_radon_3d(f, u, s, b, ("gaussian_derivative", 2), 9.0, 360, 72, 40)
    a = s[None, :, None] * u[:, None, :]
    v = 1.0 + np.sum((sc * a) ** 2, axis=-1)[..., None]
    exact = (2 * np.pi) ** 1.5 * np.prod(sc) * v**-1.5 * (b**2 / v - 1.0) * np.exp(-b * b / (2 * v))
    assert np.max(np.abs(R - exact)) < 1e-11
    with pytest.raises(ValueError, match="^directions:"):
        rd.radon_projections_3d(f, np.ones((2, 3)), [0.0], 1.0)
