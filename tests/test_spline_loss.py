"""The adapted spline for a general convex loss (theory.spline.general_loss), the width-n network's Newton fit
on the kink moments (numerics.spline.general_loss) and the claims spline.loss.*."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest

from numerics.spline.general_loss import fit_loss, fit_loss_dense, fit_loss_primal, solve_dual
from proofs_check.claims import spline as base
from proofs_check.claims.spline_loss import (HUBER_DELTA, LOGISTIC_LABELS, SplineLossHuber, SplineLossKernelLimit,
                                             SplineLossLogistic)
from proofs_check.crn import claim_seed
from theory.spline.general_loss import Loss, loss_spline, newton_coefficients
from theory.spline.splines import adapted_spline, spline_kernel

LABELS = np.array(LOGISTIC_LABELS)


@pytest.fixture(scope="module")
def st():
    return base.setting()


@pytest.fixture(scope="module")
def K(st):
    return spline_kernel(st.kw).matrix(st.x, st.x, 0)


# ---------------------------------------------------------------------------------------------------- theory
@pytest.mark.parametrize("name", ["square", "huber", "logistic"])
def test_loss_derivatives_at_30_digits(name):
    loss = Loss(name, 0.7)
    with mp.workdps(30):
        for f, y in ((mp.mpf("0.3"), 1), (mp.mpf("-1.9"), -1), (mp.mpf("2.4"), 1)):
            assert abs(mp.diff(lambda t: loss.mp_value(t, y), f) - loss.mp_d1(f, y)) < mp.mpf(10) ** -25
            assert abs(mp.diff(lambda t: loss.mp_d1(t, y), f) - loss.mp_d2(f, y)) < mp.mpf(10) ** -25
        assert abs(loss.value(0.3, 1.0) - float(loss.mp_value(mp.mpf("0.3"), 1))) < 1e-15
        assert abs(loss.d1(-1.9, -1.0) - float(loss.mp_d1(mp.mpf("-1.9"), -1))) < 1e-15


def test_square_loss_is_the_least_squares_adapted_spline(st):
    grid = st.grid
    a = adapted_spline(st.x, st.y, st.lam, st.kw)
    for g in (st.kw, st.g0):  # split kernel; cubic kernel with its affine part unpenalised
        ref = adapted_spline(st.x, st.y, st.lam, g)
        got = loss_spline(st.x, st.y, st.lam, g, "square")
        assert np.max(np.abs(got(grid) - ref(grid))) < 1e-12
    # Huber with δ beyond every residual is the square loss
    assert np.max(np.abs(loss_spline(st.x, st.y, st.lam, st.kw, "huber", 10.0)(grid) - a(grid))) < 1e-12


@pytest.mark.parametrize("name, y", [("huber", None), ("logistic", LABELS)])
def test_newton_float64_against_mpmath_40_digits(st, K, name, y):
    """The float64 iteration is the 40-digit Newton solution on the same matrix to within the stated bound
    κ(Newton matrix)·64 ε_mach."""
    y = st.y if y is None else y
    loss = Loss(name, HUBER_DELTA)
    mu = st.lam * st.g0
    a64, _, _ = newton_coefficients(K, np.zeros((6, 0)), y, mu, loss)
    amp, _, _ = newton_coefficients(K, np.zeros((6, 0)), y, mu, loss, dps=40)
    amp = amp.astype(float)
    D = loss.d2(K @ a64, y)
    kappa = np.linalg.cond(D[:, None] * K + 2 * mu * np.eye(6))
    assert np.max(np.abs(a64 - amp)) <= kappa * 64 * np.finfo(float).eps * np.max(np.abs(amp))
    # stationarity: ℓ'(Kα) + 2μα = 0 at 40 digits
    with mp.workdps(40):
        Km = mp.matrix(K.tolist())
        f = Km * mp.matrix(list(map(mp.mpf, amp)))
        assert max(abs(loss.mp_d1(f[i], y[i]) + 2 * mu * amp[i]) for i in range(6)) < 1e-13


def test_newton_does_not_stop_before_the_round_off_floor():
    """A logistic instance with large coefficients (|α| ~ 750, κ ≈ 3.4e3) on the law's own kernel: the
    residual is not monotone along Newton's iterates, and a stop at the first full step that did not
    decrease it left an error 1e5 times the round-off bound (3.8e-6 in α)."""
    import sympy as sp
    from sympy.stats import Normal, Uniform

    from theory.spline.rf_kernel import RandomFeatureKernel
    from theory.spline.rf_law import RandomFeatureLaw

    law = RandomFeatureLaw(Normal("v", 0, sp.Rational(1, 2)), Uniform("b", -2, 2))
    x = np.array([-1.87038907, 0.0546385, 0.70012812, 1.4991385, 1.71610204, 1.84045382])
    y = np.array([-1.0, -1.0, 1.0, -1.0, -1.0, 1.0])
    mu = 0.0003731026405222335
    K = RandomFeatureKernel(law).matrix(x, x, 0)
    loss = Loss("logistic")
    a64, _, _ = newton_coefficients(K, np.zeros((6, 0)), y, mu, loss)
    amp = newton_coefficients(K, np.zeros((6, 0)), y, mu, loss, dps=40)[0].astype(float)
    D = loss.d2(K @ a64, y)
    kappa = np.linalg.cond(D[:, None] * K + 2 * mu * np.eye(6))
    bound = kappa * 64 * np.finfo(float).eps * np.max(np.abs(amp))
    assert np.max(np.abs(a64 - amp)) <= bound
    a_nb, _, _ = solve_dual(K, y, mu, "logistic")
    assert np.max(np.abs(a_nb - amp)) <= bound


def test_huber_limit_differs_from_least_squares_and_clips_three_residuals(st):
    h = loss_spline(st.x, st.y, st.lam, st.kw, "huber", HUBER_DELTA)
    r = h(st.x) - st.y
    assert int(np.sum(np.abs(r) > HUBER_DELTA)) == 3
    assert np.min(np.abs(np.abs(r) - HUBER_DELTA)) > 0.09  # the clipped set is stable under the MC error
    assert np.max(np.abs(h(st.grid) - adapted_spline(st.x, st.y, st.lam, st.kw)(st.grid))) > 0.3


def test_singular_newton_matrix_with_unpenalised_part(st):
    """Huber with δ below every target and the cubic kernel: at α = 0 every ℓ'' vanishes and Newton's matrix
    is singular (a plain Newton iteration fails); the majorising IRLS step takes over."""
    from theory.spline.splines import _null_basis

    Kc = spline_kernel(st.g0).matrix(st.x, st.x, 0)
    P = _null_basis(st.x, 1)
    M = np.zeros((8, 8))
    M[:6, :6] = 0.0 * Kc + 2 * st.lam * st.g0 * np.eye(6)
    M[6:, :6] = P.T
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.solve(M, np.ones(8))
    f = loss_spline(st.x, st.y, st.lam, st.g0, "huber", 0.05)
    assert np.all(np.isfinite(f(st.grid))) and abs(f.coef @ st.x) < 1e-10 and abs(f.coef.sum()) < 1e-10


def test_theory_bad_input(st):
    with pytest.raises(ValueError, match="^loss:"):
        Loss("hinge")
    with pytest.raises(ValueError, match="^delta:"):
        Loss("huber", -1.0)
    with pytest.raises(ValueError, match="^y:"):
        loss_spline(st.x, st.y, st.lam, st.kw, "logistic")
    with pytest.raises(ValueError, match="^lam:"):
        loss_spline(st.x, st.y, 0.0, st.kw, "huber", 0.2)
    with pytest.raises(ValueError, match="^loss:"):
        loss_spline(st.x, st.y, st.lam, st.kw, 3)


# ---------------------------------------------------------------------------------------------------- numerics
@pytest.mark.parametrize("name, delta", [("huber", HUBER_DELTA), ("huber", 0.05), ("logistic", 1.0)])
def test_fit_against_dense_and_primal_references(st, name, delta):
    y = LABELS if name == "logistic" else st.y
    vb = base._draw(st, claim_seed(0, "test.spline.loss", 0), 2000)
    v, b = vb[:, 0], vb[:, 1]
    n = 2000
    fit = fit_loss(v, b, st.x, y, st.lam * n * st.g0, st.grid, name, delta)
    a, f, df, _ = fit_loss_dense(v, b, st.x, y, st.lam * n * st.g0, st.grid, name, delta)
    assert np.max(np.abs(fit.alpha - a)) < 1e-10 * max(1.0, np.max(np.abs(a)))
    assert np.max(np.abs(fit.values - f)) < 1e-10 and np.max(np.abs(fit.derivative - df)) < 1e-10
    # weight space: the representer route solves the network's own problem
    m = 200
    wp = fit_loss_primal(v[:m], b[:m], st.x, y, st.lam * m * st.g0, name, delta, iterations=40)
    _, _, _, w = fit_loss_dense(v[:m], b[:m], st.x, y, st.lam * m * st.g0, st.grid, name, delta)
    assert np.max(np.abs(w - wp)) < 1e-9 * np.max(np.abs(w))


def test_dual_solver_matches_theory_newton_and_plain_newton_fails(st, K):
    """On the limit kernel the numba solver equals the theory's Newton; a plain (undamped) Newton iteration
    from 0 does not converge on the Huber problem (it cycles), the damped one does."""
    mu = st.lam * st.g0
    a, it, res = solve_dual(K, st.y, mu, "huber", HUBER_DELTA)
    ref, _, _ = newton_coefficients(K, np.zeros((6, 0)), st.y, mu, Loss("huber", HUBER_DELTA))
    assert np.max(np.abs(a - ref)) < 1e-12 * np.max(np.abs(ref)) and res < 1e-12
    loss = Loss("huber", HUBER_DELTA)
    p = np.zeros(6)
    for _ in range(60):
        F = loss.d1(K @ p, st.y) + 2 * mu * p
        p = p + np.linalg.solve(loss.d2(K @ p, st.y)[:, None] * K + 2 * mu * np.eye(6), -F)
    assert np.max(np.abs(p - ref)) > 1e-3


def test_numerics_bad_input(st):
    v, b = np.ones(10), np.linspace(-1, 1, 10)
    with pytest.raises(ValueError, match="^loss:"):
        fit_loss(v, b, st.x, st.y, 1.0, st.grid, "hinge")
    with pytest.raises(ValueError, match="^delta:"):
        fit_loss(v, b, st.x, st.y, 1.0, st.grid, "huber", 0.0)
    with pytest.raises(ValueError, match="^y:"):
        fit_loss(v, b, st.x, st.y, 1.0, st.grid, "logistic")
    with pytest.raises(ValueError, match="^lam_tilde:"):
        fit_loss(v, b, st.x, st.y, -1.0, st.grid, "huber")
    with pytest.raises(ValueError, match="^K:"):
        solve_dual(np.ones((3, 3)), st.y, 1.0, "huber")
    with pytest.raises(ValueError, match="^v:"):
        fit_loss([], [], st.x, st.y, 1.0, st.grid, "huber")


# ---------------------------------------------------------------------------------------------------- claims
@pytest.fixture(scope="module")
def power_runs():
    from proofs_check.testing import check_claim

    return {c.id: check_claim(c, budget="quick", seed=100, power=True, decisions=16)
            for c in (SplineLossKernelLimit, SplineLossHuber, SplineLossLogistic)}


@pytest.mark.parametrize("cid", ["spline.loss.kernel_limit", "spline.loss.huber", "spline.loss.logistic"])
def test_claim_confirmed_and_power_targets(power_runs, cid):
    from proofs_check.testing import assert_power

    assert_power(power_runs[cid])


@pytest.mark.parametrize("claim", [SplineLossHuber, SplineLossLogistic])
def test_rate_claims_on_a_second_root_seed(claim):
    from proofs_check.testing import check_claim

    check_claim(claim, budget="quick", seed=101, decisions=16)


def test_claims_are_opt_in():
    assert not any(c.default for c in (SplineLossKernelLimit, SplineLossHuber, SplineLossLogistic))
