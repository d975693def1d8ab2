"""theory.pl.constants and theory.pl.model: the PL constants, the RFF count, κ and the discretisation orders."""

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from proofs_check.strategies.pl import rff_draws, separated_data
from theory.pl import constants as th
from theory.pl import model as rm


def test_derivation_every_step_checked():
    D = th.derive_pl_constant()
    assert D.all_checked
    assert sum(s.checked for s in D.steps) >= 15
    md = D.to_markdown()
    assert "m(r)" in md and "R^2 m(R)/4" in md


@pytest.mark.parametrize("scheme, local, order", [("euler", 2, 1), ("midpoint", 3, 2)])
def test_discretisation_orders(scheme, local, order):
    assert rm.local_error_order(scheme) == local
    assert rm.global_order(scheme) == order


def test_paper_functions():
    lam = sp.Function("lambda")
    assert sp.simplify(th.m_paper(0) - 2 * lam(th.delta0)) == 0
    assert sp.simplify(th.M_paper(0) - 2 * th.Lam) == 0
    # m decreasing when λ is constant
    m_const = th.m_paper().subs(lam(th.delta0 * sp.exp(-th.kap * th.r)), sp.Symbol("c", positive=True))
    assert sp.simplify(sp.diff(m_const, th.r) + 2 * th.kap * m_const) == 0


def test_rff_count_matches_sympy_at_30_digits():
    vals = {th.N: 8, th.d: 2, th.lam_c: sp.Rational(3, 4), th.sigma_p_sym: sp.sqrt(2), th.diam: 6,
            th.delta_prob: sp.Rational(1, 10)}
    ref = th.rff_count().subs(vals).evalf(40)
    got = th.rff_count_value(8, 2, 0.75, math.sqrt(2), 6.0, 0.1)
    assert mp.almosteq(mp.mpf(got), mp.mpf(str(ref)), rel_eps=1e-15)
    # the tail bound equals delta at that count and epsilon = lambda / (2N)
    tail = th.rahimi_recht_tail(ref).subs(vals).subs(th.eps, sp.Rational(3, 4) / 16).evalf(40)
    assert abs(tail - sp.Rational(1, 10)) < 1e-30


def _constants(depth):
    with mp.workdps(40):
        return th.DrawConstants(mp.mpf("0.43"), mp.mpf("1.7"), mp.sqrt(2), mp.mpf("1.3"), 8, depth)


@pytest.mark.parametrize("depth", [4, 16, None])
@pytest.mark.parametrize("radius", ["0.001", "0.01", "0.03"])
def test_hand_written_m_and_M_match_sympy(depth, radius):
    subs = {th.lam0: sp.Rational(43, 100), th.Lam0: sp.Rational(17, 10), th.kap0: sp.sqrt(2),
            th.kap1: sp.Rational(13, 10), th.N: 8, th.r: sp.Rational(radius)}
    if depth is not None:
        subs[th.depth] = depth
    with mp.workdps(40):
        c = _constants(depth)
        m_ref = mp.mpf(str(th.m_draw(th.r, th.depth if depth else None).subs(subs).evalf(40)))
        M_ref = mp.mpf(str(th.M_draw().subs(subs).evalf(40)))
        assert mp.almosteq(c.m(mp.mpf(radius)), m_ref, rel_eps=mp.mpf(10) ** -28)
        assert mp.almosteq(c.M(mp.mpf(radius)), M_ref, rel_eps=mp.mpf(10) ** -28)


def test_depth_correction_tends_to_ode_limit():
    ode = _constants(None)
    prev = None
    for L in (4, 16, 64, 256, 4096):
        val = _constants(L).m(mp.mpf("0.02"))
        assert val < ode.m(mp.mpf("0.02"))
        assert prev is None or val > prev
        prev = val
    assert mp.almosteq(prev, ode.m(mp.mpf("0.02")), rel_eps=1e-3)


def _problem(seed=0, n=6, q=64):
    rng = np.random.default_rng(seed)
    X0 = np.array([[i * 2.5, j * 2.5] for i in range(3) for j in range(2)])[:n] + rng.uniform(-0.2, 0.2, (n, 2))
    om, u = rng.standard_normal((q, 2)), rng.uniform(0, 2 * np.pi, q)
    return X0, om, u


def test_ball_radius_solves_initial_loss_condition():
    X0, om, u = _problem()
    probe = th.evaluate_pl(X0, om, u, 8, 0.0, eta=0.5)
    ev = th.evaluate_pl(X0, om, u, 8, 0.5 * probe.g_max, eta=0.5)
    c = ev.constants
    with mp.workdps(30):
        g = th._g(c, mp.mpf(ev.R_star), 0.5)
    assert math.isclose(float(g), ev.ell0, rel_tol=1e-12)
    assert 0 < ev.R_star < ev.R_peak < float(c.r_max)
    assert math.isclose(ev.mu, float(c.m(ev.R_star)), rel_tol=1e-14)
    assert 0 < ev.contraction < 1
    # above the largest admissible loss the condition fails
    assert not th.evaluate_pl(X0, om, u, 8, 2 * probe.g_max, eta=0.5).condition_holds
    # gradient flow admits more than gradient descent
    assert th.evaluate_pl(X0, om, u, 8, 0.0).g_max > probe.g_max


@settings(max_examples=20)
@given(rff_draws(dim=2, max_q=40), st.lists(st.floats(-5, 5), min_size=2, max_size=2))
def test_kappa_bounds_features(rff, x):
    """‖φ(x)‖ ≤ κ₀ = √2 and ‖Dφ(x)‖_op ≤ κ₁ = √(2/q)‖Ω‖_op at any x."""
    x = np.array(x)
    fc = rm.feature_constants(rff.omega)
    phi = rm.feature_matrix(x[None, :], rff.omega, rff.u)[0]
    theta = rff.omega @ x + rff.u
    Dphi = -math.sqrt(2 / rff.q) * np.sin(theta)[:, None] * rff.omega
    assert np.linalg.norm(phi) <= fc.kappa0 * (1 + 1e-14)
    assert np.linalg.norm(Dphi, 2) <= fc.kappa1 * (1 + 1e-12)
    assert math.isclose(fc.kappa, fc.kappa0 + fc.kappa1)
    sym = rm.kappa(sp.Integer(rff.q), sp.Float(np.linalg.norm(rff.omega, 2), 30))
    assert math.isclose(float(sym), fc.kappa, rel_tol=1e-12)


@settings(max_examples=20)
@given(separated_data(dim=2, max_n=6, dmin=1.5), st.floats(0.4, 1.0))
def test_gershgorin_expressivity_of_the_gaussian_kernel(X, sigma):
    K = np.exp(-np.sum((X[:, None] - X[None]) ** 2, -1) / (2 * sigma**2))
    dmin = min(np.linalg.norm(a - b) for i, a in enumerate(X) for b in X[i + 1:])
    bound = rm.gershgorin_lambda(sp.Float(dmin, 30), len(X), sp.Float(sigma, 30))
    assert np.linalg.eigvalsh(K)[0] >= float(bound) - 1e-12


@settings(max_examples=25)
@given(st.integers(0, 10_000), st.floats(0.0, 1.0))
@example(0, 1.0)
def test_perturbation_bound_on_lambda_min(seed, frac):
    """Any configuration whose points moved by at most κ₀ r has λ_min(K) ≥ λ̃(r), λ_max(K) ≤ Λ̃(r)."""
    X0, om, u = _problem(seed % 7, q=32)
    c = th.draw_constants(X0, om, u, None)
    radius = frac * float(c.r_max)
    rng = np.random.default_rng(seed)
    step = rng.standard_normal(X0.shape)
    step *= (math.sqrt(2) * radius * rng.uniform(0, 1, (len(X0), 1))) / np.linalg.norm(step, axis=1, keepdims=True)
    ev = np.linalg.eigvalsh(rm.feature_matrix(X0 + step, om, u) @ rm.feature_matrix(X0 + step, om, u).T)
    assert ev[0] >= float(c.lambda_tilde(radius)) - 1e-12
    assert ev[-1] <= float(c.Lambda_tilde(radius)) + 1e-12


def test_sigma_p():
    assert rm.sigma_p(2, 0.5) == pytest.approx(math.sqrt(2) / 0.5)
    assert rm.sigma_p(3, 1.0, "student", 5.0) == pytest.approx(math.sqrt(5.0))
    with pytest.raises(ValueError, match="nu"):
        rm.sigma_p(1, 1.0, "student", 2.0)


def test_count_grows_like_n_squared_over_lambda_squared():
    q1 = th.rff_count_value(8, 2, 0.5, 1.0, 4.0, 0.1)
    q2 = th.rff_count_value(16, 2, 0.5, 1.0, 4.0, 0.1)
    q3 = th.rff_count_value(8, 2, 0.25, 1.0, 4.0, 0.1)
    assert 4 < q2 / q1 < 5 and 4 < q3 / q1 < 5


def test_initial_loss_condition_in_sympy_matches_the_ball_radius():
    """The SymPy ball condition g(R) = c(R)² R² m_L(R)/4 at the numerically solved R* equals ℒ₀ (30 digits)."""
    X0, om, u = _problem()
    eta = 0.5
    probe = th.evaluate_pl(X0, om, u, 8, 0.0, eta=eta)
    ev = th.evaluate_pl(X0, om, u, 8, 0.5 * probe.g_max, eta=eta)
    c = ev.constants
    subs = {th.lam0: sp.Float(str(c.lambda0), 30), th.Lam0: sp.Float(str(c.Lambda0), 30),
            th.kap0: sp.sqrt(2), th.kap1: sp.Float(str(c.kappa1), 30), th.N: c.n_samples, th.depth: 8,
            th.eta: sp.Float(eta, 30)}
    g = th.initial_loss_condition().subs(subs)
    assert math.isclose(float(g.subs(th.R, sp.Float(ev.R_star, 30)).evalf(30)), ev.ell0, rel_tol=1e-9)
    assert math.isclose(float(th.degeneracy_radius().subs(subs).evalf(30)), float(c.r_max), rel_tol=1e-14)
    flow = th.initial_loss_condition(step=None).subs(subs)
    assert sp.simplify(flow - th.ball_condition(th.m_draw(th.R, th.depth)).subs(subs)) == 0


@pytest.mark.parametrize("kwargs, name", [
    ({"n_samples": 0}, "n_samples"), ({"dim": 0}, "dim"), ({"sigma_p": 0.0}, "sigma_p"),
    ({"sigma_p": math.inf}, "sigma_p"), ({"diameter": -1.0}, "diameter"), ({"lam": math.nan}, "lam"),
    ({"delta": 0.0}, "delta"), ({"delta": 1.0}, "delta"),
])
def test_rff_count_bad_input(kwargs, name):
    args = {"n_samples": 4, "dim": 2, "lam": 0.5, "sigma_p": 1.0, "diameter": 3.0, "delta": 0.1} | kwargs
    with pytest.raises(ValueError, match=name):
        th.rff_count_value(**args)


def test_adjoint_factors_compose_m_and_M():
    c = th.DrawConstants(mp.mpf("0.5"), mp.mpf("2.5"), mp.sqrt(2), mp.mpf("1.4"), 8, 8)
    r = 0.3 * float(c.r_max)
    assert mp.almosteq(c.m(r), 2 * c.lambda_tilde(r) * c.adjoint_lower(r), 1e-13)
    assert mp.almosteq(c.M(r), 2 * c.Lambda_tilde(r) * mp.exp(2 * c.kappa1 * r), 1e-13)
    assert mp.almosteq(c.adjoint_lower(r), mp.exp(-2 * c.kappa1 * r / (1 - c.kappa1 * r / mp.sqrt(8))), 1e-13)
    # the exponent factor scales the exponent (a power-analysis deformation)
    assert mp.almosteq(c.adjoint_lower(r, 0.5) ** 2, c.adjoint_lower(r), 1e-13)
    assert mp.almosteq(c.adjoint_upper(r, 2), c.adjoint_upper(r) ** 2, 1e-13)
