"""numerics.pl.resnet: forward/backward of the linearly parametrised ResNet (Barboni–Peyré–Vialard)."""

import math
import warnings

import numba
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from numerics.pl import resnet as rn
from proofs_check.strategies.pl import ResNetProblem, resnet_problems


def _pinned(scheme: str) -> ResNetProblem:
    rng = np.random.default_rng(12)
    d, q, L, N = 2, 5, 3, 4
    rff = rn.RFF(rng.standard_normal((q, d)), rng.uniform(0, 2 * np.pi, q))
    return ResNetProblem(rng.standard_normal((N, d)), rng.standard_normal((N, d)), np.eye(d),
                         0.7 * rng.standard_normal((L + 1, d, q)), rff, scheme)


def _finite_difference(p: ResNetProblem, step: float = 1e-6) -> np.ndarray:
    num = np.zeros_like(p.W)
    for idx in np.ndindex(p.W.shape):
        Wp, Wm = p.W.copy(), p.W.copy()
        Wp[idx] += step
        Wm[idx] -= step
        lp = rn.resnet_pass(p.X0, p.Y, Wp, p.rff, p.B, p.scheme, grad=False).loss
        lm = rn.resnet_pass(p.X0, p.Y, Wm, p.rff, p.B, p.scheme, grad=False).loss
        num[idx] = (lp - lm) / (2 * step)
    return num


@settings(max_examples=15)
@given(resnet_problems())
@example(_pinned("euler"))
@example(_pinned("midpoint"))
def test_adjoint_gradient_matches_finite_differences(p):
    ps = rn.resnet_pass(p.X0, p.Y, p.W, p.rff, p.B, p.scheme)
    num = _finite_difference(p)
    scale = max(1.0, float(np.abs(num).max()))
    # central differences at step 1e-6: truncation ~1e-12 * third derivative, round-off ~1e-16/1e-6
    assert np.abs(ps.grad - num).max() <= 1e-7 * scale


def test_euler_last_matrix_gets_no_gradient():
    p = _pinned("euler")
    assert np.all(rn.resnet_pass(p.X0, p.Y, p.W, p.rff, p.B, "euler").grad[-1] == 0)


@settings(max_examples=15)
@given(resnet_problems(max_n=12, max_q=8, max_depth=6))
def test_kernel_matches_numpy_reference(p):
    ps = rn.resnet_pass(p.X0, p.Y, p.W, p.rff, p.B, "euler")
    loss, G, _ = rn.resnet_pass_numpy(p.X0, p.Y, p.W, p.rff, p.B)
    assert math.isclose(ps.loss, loss, rel_tol=1e-12, abs_tol=1e-14)
    assert np.allclose(ps.grad, G, rtol=1e-11, atol=1e-13)


def test_gradient_norm_is_riemann_sum_of_adjoint_quadratic_form():
    """‖∇ℒ‖² (discrete L² metric) = h Σ_k p_{k+1}ᵀ (K_k ⊗ I) p_{k+1} (the paper's ∫ pᵀKp, Euler)."""
    rng = np.random.default_rng(3)
    N, d, q, L = 9, 2, 11, 6
    rff = rn.RFF(rng.standard_normal((q, d)), rng.uniform(0, 2 * np.pi, q))
    X0, Y = rng.standard_normal((N, d)), rng.standard_normal((N, d))
    W = 0.5 * rng.standard_normal((L + 1, d, q))
    ps = rn.resnet_pass(X0, Y, W, rff)
    _, _, P = rn.resnet_pass_numpy(X0, Y, W, rff)
    h = 1.0 / L
    lhs = float(np.sum(ps.grad**2)) / h
    rhs = h * sum(np.einsum("ia,ja,ij->", P[k + 1], P[k + 1], rn.gram(ps.trajectory[:, k, :], rff))
                  for k in range(L))
    assert math.isclose(lhs, rhs, rel_tol=1e-12)


def test_result_does_not_depend_on_thread_count():
    p = _pinned("midpoint")
    X0 = np.random.default_rng(0).standard_normal((40, 2))
    Y = np.random.default_rng(1).standard_normal((40, 2))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = rn.resnet_pass(X0, Y, p.W, p.rff, None, "midpoint")
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        b = rn.resnet_pass(X0, Y, p.W, p.rff, None, "midpoint")
    finally:
        numba.set_num_threads(before)
    assert a.loss == b.loss and np.array_equal(a.grad, b.grad)


def test_zero_weights_do_not_move_the_data():
    p = _pinned("euler")
    for scheme in ("euler", "midpoint"):
        W = rn.zero_weights(p.depth, 2, p.rff.q)
        ps = rn.resnet_pass(p.X0, p.Y, W, p.rff, None, scheme)
        assert np.array_equal(ps.output_states, p.X0)
        assert math.isclose(ps.loss, 0.5 * float(np.sum((p.X0 - p.Y) ** 2)), rel_tol=1e-14)


def test_schemes_converge_to_the_flow_reference():
    rng = np.random.default_rng(5)
    N, d, q = 6, 2, 8
    rff = rn.RFF(rng.standard_normal((q, d)), rng.uniform(0, 2 * np.pi, q))
    A, Bm = rng.standard_normal((2, d, q))
    W_of_t = lambda t: 0.5 * (A + math.cos(3 * t) * Bm)  # noqa: E731
    X0 = rng.uniform(-1, 1, (N, d))
    ref = rn.flow_reference(X0, W_of_t, rff)
    err = {s: [np.abs(rn.forward(X0, rn.sample_weights(W_of_t, L), rff, s)[:, -1] - ref).max() for L in (32, 64)]
           for s in ("euler", "midpoint")}
    assert 1.8 < err["euler"][0] / err["euler"][1] < 2.2
    assert 3.6 < err["midpoint"][0] / err["midpoint"][1] < 4.4


def test_gradient_descent_records_and_decreases():
    rng = np.random.default_rng(7)
    N, d, q, L = 6, 2, 32, 4
    rff = rn.RFF(rng.standard_normal((q, d)), rng.uniform(0, 2 * np.pi, q))
    X0 = rng.uniform(-3, 3, (N, d))
    Y = X0 + 0.01 * rng.standard_normal((N, d))
    eta = 0.5 * rn.stability_limit(X0, rff)
    gd = rn.gradient_descent(X0, Y, rff, L, eta, 50, track_gram=True)
    assert gd.loss.size == 51 and np.all(np.diff(gd.loss) < 0)
    assert gd.radius[0] == 0 and gd.lambda_min_traj.shape == (51,)
    # GD in the L² metric is Euclidean GD with step eta * L
    ps = rn.resnet_pass(X0, Y, rn.zero_weights(L, d, q), rff)
    W1 = -(eta * L) * ps.grad
    ps1 = rn.resnet_pass(X0, Y, W1, rff)
    assert math.isclose(ps1.loss, gd.loss[1], rel_tol=1e-13)
    assert np.allclose(gd.ratio, gd.grad_norm2 / gd.loss)


def test_stability_limit_is_two_over_top_gram_eigenvalue():
    rng = np.random.default_rng(8)
    rff = rn.RFF(rng.standard_normal((16, 2)), rng.uniform(0, 2 * np.pi, 16))
    X0 = rng.standard_normal((5, 2))
    assert math.isclose(rn.stability_limit(X0, rff), 2 / rn.lambda_max(rn.gram(X0, rff)), rel_tol=1e-14)


def test_step_above_stability_limit_warns_and_diverges():
    rng = np.random.default_rng(9)
    rff = rn.RFF(rng.standard_normal((16, 2)), rng.uniform(0, 2 * np.pi, 16))
    X0 = rng.uniform(-3, 3, (5, 2))
    Y = X0 + 0.01
    eta = 3.0 * rn.stability_limit(X0, rff)
    with pytest.warns(rn.StepSizeWarning, match="eta"):
        gd = rn.gradient_descent(X0, Y, rff, 4, eta, 40)
    assert gd.loss[-1] > gd.loss[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rn.gradient_descent(X0, Y, rff, 4, 0.5 * rn.stability_limit(X0, rff), 2)


@given(st.integers(1, 50), st.integers(0, 2**31))
def test_rff_prefix_blocks(q, seed):
    from proofs_check.crn import prefix_draw

    s = np.random.SeedSequence(seed)
    a = rn.rff_from_block(prefix_draw(s, q, rn.rff_block(2, 0.5)))
    b = rn.rff_from_block(prefix_draw(s, 2 * q, rn.rff_block(2, 0.5)))
    assert np.array_equal(a.omega, b.omega[:q]) and np.array_equal(a.u, b.u[:q])
    assert np.all((a.u >= 0) & (a.u < 2 * np.pi))


def test_gram_matches_exact_kernel_on_average():
    rng = np.random.default_rng(10)
    X = rng.uniform(-1, 1, (4, 2))
    rff = rn.rff_from_block(rn.rff_block(2, 1.0)(rng, 200_000))
    assert np.abs(rn.gram(X, rff) - rn.gaussian_gram(X, 1.0)).max() < 0.02


def test_embedding_lifts_inputs():
    X = np.arange(6.0).reshape(3, 2)
    A = np.vstack([np.eye(2), np.eye(2)])  # the authors' lifting: copies of the identity
    X0 = rn.embed(X, A)
    assert X0.shape == (3, 4) and np.array_equal(X0[:, :2], X) and np.array_equal(X0[:, 2:], X)
    with pytest.raises(ValueError, match="A"):
        rn.embed(X, np.eye(3))


@settings(max_examples=10)
@given(resnet_problems(max_n=4, max_q=6, max_depth=4, weight_scale=0.5))
def test_tangent_gram_gives_the_pl_ratio_of_every_target(p):
    """ρᵀ G ρ = ‖∇ℒ‖² (L² metric) for the residual ρ of any target; at W = 0, G = K(X₀) ⊗ BBᵀ for Euler and
    (1 − 1/(2L)) K(X₀) ⊗ BBᵀ for midpoint (its end matrices enter the output with weight h/2)."""
    G = rn.tangent_gram(p.X0, p.W, p.rff, p.B, p.scheme)
    ps = rn.resnet_pass(p.X0, p.Y, p.W, p.rff, p.B, p.scheme)
    rho = (p.Y - ps.output_states @ p.B.T).ravel()
    assert math.isclose(rho @ G @ rho, float(np.sum(ps.grad**2)) * p.depth, rel_tol=1e-10, abs_tol=1e-13)
    G0 = rn.tangent_gram(p.X0, np.zeros_like(p.W), p.rff, p.B, p.scheme)
    scale = 1.0 if p.scheme == "euler" else 1.0 - 0.5 / p.depth
    assert np.allclose(G0, scale * np.kron(rn.gram(p.X0, p.rff), p.B @ p.B.T), rtol=0, atol=1e-13)


def test_vectorised_sincos_is_within_one_ulp_of_libm():
    """The kernels' branch-free sin/cos (Cody–Waite reduction, fdlibm polynomials) against NumPy, on wide
    ranges and on the multiples of π/2 where the reduction cancels most."""
    from numba import njit

    @njit
    def both(th, s, c):
        for i in range(th.size):
            s[i], c[i] = rn._sincos(th[i])

    rng = np.random.default_rng(4)
    k = rng.integers(-100_000, 100_000, 100_000)
    th = np.concatenate([rng.uniform(-r, r, 100_000) for r in (1.0, 10.0, 1e3, rn.SINCOS_LIMIT)]
                        + [k * (np.pi / 2), k * (np.pi / 2) + 1e-9, np.array([0.0, -0.0, np.pi / 4])])
    s, c = np.empty_like(th), np.empty_like(th)
    both(th, s, c)
    ulp = np.spacing(1.0)
    assert np.abs(s - np.sin(th)).max() <= ulp and np.abs(c - np.cos(th)).max() <= ulp


@pytest.mark.parametrize("scale", [1.0, 1e7])
def test_features_match_numpy_in_both_angle_ranges(scale):
    """Angles below SINCOS_LIMIT use the vectorised routine, larger ones libm: both agree with NumPy."""
    rng = np.random.default_rng(5)
    rff = rn.RFF(rng.standard_normal((37, 3)), rng.uniform(0, 2 * np.pi, 37))
    X = scale * rng.uniform(-3, 3, (11, 3))
    assert (np.abs(X).max() * np.abs(rff.omega).max() * 3 > rn.SINCOS_LIMIT) == (scale > 1)
    # the angles summed in the kernel's order (u, then the coordinates in turn): at |θ| ~ 1e8 any other
    # order differs by an ulp of θ, i.e. ~1e-8 in cos θ
    theta = rff.u[None, :] + X[:, 0:1] * rff.omega[:, 0]
    for a in (1, 2):
        theta = theta + X[:, a:a + 1] * rff.omega[:, a]
    ref = math.sqrt(2.0 / rff.q) * np.cos(theta)
    assert np.abs(rn.features(X, rff) - ref).max() <= np.spacing(1.0)


def test_pl_factors_at_zero_and_the_chain():
    rng = np.random.default_rng(5)
    rff = rn.RFF(rng.standard_normal((16, 2)), rng.uniform(0, 2 * np.pi, 16))
    X0 = rng.uniform(-2, 2, (5, 2))
    lam = np.linalg.eigvalsh(rn.gram(X0, rff))
    f0 = rn.pl_factors(X0, np.zeros((5, 2, 16)), rff)
    assert math.isclose(f0.gram_min, lam[0], rel_tol=1e-10) and math.isclose(f0.path_max, lam[-1], rel_tol=1e-12)
    assert f0.adjoint_min == 1.0 and f0.adjoint_max == 1.0
    W = 0.8 * rng.standard_normal((5, 2, 16))
    W[-1] = 0.0
    f = rn.pl_factors(X0, W, rff)
    # the chain ‖∇ℒ‖² ≥ min_k λ_min(K_k) min_k ‖p_k‖², and its upper twin
    assert f.gram_min >= f.path_min * f.adjoint_min and f.gram_max <= f.path_max * f.adjoint_max
    # the propagators are those of the discrete adjoint: ‖p_k‖²/‖p_L‖² within [adjoint_min, adjoint_max]
    _, _, P = rn.resnet_pass_numpy(X0, rng.standard_normal((5, 2)), W, rff)
    ratios = np.sum(P[1:] ** 2, axis=2) / np.sum(P[-1] ** 2, axis=1)[None, :]
    assert f.adjoint_min <= ratios.min() * (1 + 1e-12) and ratios.max() <= f.adjoint_max * (1 + 1e-12)
