"""Numerics of the ridgelet spectrum: the three spectrum paths agree, their accuracy order, the m-D direct
sum, the integral representation, exact ridge on the output layer, SGD (gradients, determinism), the
finite-box limit, and bad input."""

import math

import numba
import numpy as np
import pytest
from hypothesis import given, settings

from numerics.ridgelet import spectrum as rs
from numerics.ridgelet import two_layer as tl
from proofs_check.claims.ridgelet import graded_gauss_legendre
from proofs_check.strategies import ridgelet as rst
from theory.ridgelet import rerm as rr
from theory.ridgelet.transform import gaussian_ridgelet_numpy


def gaussian_samples(n=801, half=10.0):
    x = np.linspace(-half, half, n)
    return rs.Samples.from_grid(x, np.exp(-0.5 * x * x), domain="line")


# ---- the three paths compute the same sum ------------------------------------------------------------------
@settings(max_examples=15)
@given(target=rst.sampled_targets(), grid=rst.spectrum_grids(), k=rst.orders(4))
def test_direct_numpy_and_fast_agree(target, grid, k):
    samples = rs.Samples.from_grid(target.x, target.f, domain=target.domain)
    a, b = grid
    rho = ("gaussian_derivative", k)
    ref = rs.spectrum_numpy(samples, a, b, rho)
    scale = np.sum(np.abs(samples.w * samples.f)) * 3.0  # bound on |terms|: |G^(k)| <= 3 for k <= 4
    assert np.max(np.abs(rs.spectrum_direct(samples, a, b, rho) - ref)) <= 1e-12 * scale
    assert np.max(np.abs(rs.spectrum_fast(samples, a, b, rho) - ref)) <= 1e-11 * scale


def test_fast_path_refines_a_coarse_b_grid():
    samples = gaussian_samples()
    a = np.array([-2.0, 0.5, 3.0])
    b = np.linspace(-8.0, 8.0, 9)  # Δb = 2: the ω-range of ρ^♯ needs a grid refined by an integer factor
    ref = rs.spectrum_direct(samples, a, b, ("gaussian_derivative", 2))
    assert np.max(np.abs(rs.spectrum_fast(samples, a, b, ("gaussian_derivative", 2)) - ref)) < 1e-12


def test_spectrum_of_a_gaussian_is_spectrally_accurate():
    """A smooth target that has decayed on the sampled line: the trapezoid rule is exact to round-off."""
    samples = gaussian_samples()
    a, b = np.linspace(-3, 3, 7), np.linspace(-4, 4, 17)
    exact = gaussian_ridgelet_numpy(a[:, None], b[None, :], 3)
    assert np.max(np.abs(rs.spectrum_direct(samples, a, b, ("gaussian_derivative", 3)) - exact)) < 1e-13
    assert np.max(np.abs(rs.spectrum_fast(samples, a, b, ("gaussian_derivative", 3)) - exact)) < 1e-13


@pytest.mark.parametrize("path", [rs.spectrum_direct, rs.spectrum_fast], ids=["direct", "fast"])
def test_order_two_for_a_target_with_end_kinks(path):
    """1 − x² on [−1, 1]: the error quarters when the spacing halves (Euler–Maclaurin, order 2)."""
    a, b = np.array([0.5, -1.5, 3.0]), np.linspace(-3, 3, 13)
    fine = rs.Samples.from_grid(np.linspace(-1, 1, 8193), 1 - np.linspace(-1, 1, 8193) ** 2)
    ref = rs.spectrum_direct(fine, a, b)  # error 2^-2 of the 4097-node one, extrapolated below
    errs = []
    for n in (257, 513, 1025):
        x = np.linspace(-1, 1, n)
        errs.append(np.max(np.abs(path(rs.Samples.from_grid(x, 1 - x * x), a, b) - ref)))
    # Richardson: e(h) − e(h_ref) with h_ref = h/32 … h/8; the ratios tend to 4
    assert 3.9 < errs[0] / errs[1] < 4.1 and 3.9 < errs[1] / errs[2] < 4.1


def test_direct_sum_in_two_dimensions():
    h = 0.25
    g = np.arange(-8, 8 + h / 2, h)
    X = np.array(np.meshgrid(g, g, indexing="ij")).reshape(2, -1).T
    w = np.full(X.shape[0], h * h)
    f = np.exp(-0.5 * np.sum(X * X, axis=1))
    A = np.array([[0.3, -0.4], [1.0, 0.5], [0.0, 0.0]])
    b = np.linspace(-2, 2, 5)
    R = rs.spectrum_direct_points(X, w * f, A, b, ("gaussian_derivative", 2))
    exact = gaussian_ridgelet_numpy(A[:, None, :], b[None, :], 2)
    assert np.max(np.abs(R - exact)) < 1e-12


# ---- the integral representation ----------------------------------------------------------------------------
def test_integral_representation_matches_the_truncated_reconstruction():
    """σ = G, ρ = G'': S_A[R f] = −2π (1 + 2/A²)^{−1/2} e^{−x²/(2(1 + 2/A²))} exactly (b unbounded)."""
    A = 6.0
    samples = gaussian_samples(n=2001)
    a, wa = graded_gauss_legendre(A)
    bmax = 12 * math.sqrt(1 + A * A) + 4
    b = np.linspace(-bmax, bmax, 2 * int(bmax / 0.25) + 1)
    gamma = rs.spectrum_fast(samples, a, b, ("gaussian_derivative", 2))
    x = np.linspace(-3, 3, 13)
    S = rs.integral_representation(gamma, a, wa, b, rs.trapezoid_weights(b), x, ("gaussian", 0))
    s2 = 1 + 2 / A**2
    exact = -2 * np.pi * s2**-0.5 * np.exp(-x * x / (2 * s2))
    assert np.max(np.abs(S - exact)) < 1e-10


# ---- exact ridge and its limit -----------------------------------------------------------------------------
@settings(max_examples=15)
@given(prob=rst.ridge_problems())
def test_dual_solution_solves_the_primal_ridge_problem(prob):
    sig = ("gaussian_derivative", prob.order)
    fit = tl.ridge_output_layer(prob.x, prob.w, prob.y, prob.a, prob.b, sig, prob.beta, prob.volume)
    Phi = tl.features(prob.x, prob.a, prob.b, sig)
    p = prob.a.size
    lam = prob.beta * p / prob.volume
    H = Phi.T @ (prob.w[:, None] * Phi) + lam * np.eye(p)
    c = np.linalg.solve(H, Phi.T @ (prob.w * prob.y))
    assert np.allclose(fit.c, c, rtol=1e-8, atol=1e-10 * np.max(np.abs(c)))
    assert np.allclose(fit.gamma, c * p / prob.volume, rtol=1e-8, atol=1e-10 * np.max(np.abs(c)) * p / prob.volume)


def test_ridge_output_layer_reuses_a_given_gram_matrix():
    x = np.linspace(-2, 2, 9)
    w = rs.trapezoid_weights(x)
    a, b = np.linspace(-1, 1, 40), np.linspace(-3, 3, 40)
    Phi = tl.features(x, a, b, ("gaussian_derivative", 1))
    ref = tl.ridge_output_layer(x, w, np.exp(-x * x), a, b, ("gaussian_derivative", 1), 2.0, 12.0, Phi=Phi)
    fit = tl.ridge_output_layer(x, w, np.exp(-x * x), a, b, ("gaussian_derivative", 1), 2.0, 12.0, Phi=Phi,
                                G=tl.gram(Phi))
    assert np.array_equal(fit.gamma, ref.gamma)
    with pytest.raises(ValueError, match="G"):
        tl.ridge_output_layer(x, w, np.exp(-x * x), a, b, ("gaussian_derivative", 1), 2.0, 12.0, Phi=Phi, G=np.eye(3))


def test_gram_matches_numpy():
    Phi = np.random.default_rng(1).standard_normal((17, 1003))
    assert np.allclose(tl.gram(Phi), Phi @ Phi.T, rtol=1e-12, atol=1e-10)


def test_grid_box_limit_is_the_continuous_box_limit():
    """The finite model's exact limit on the data grid (kernel K_A) equals the L²(ℝ) box limit of
    theory.ridgelet.rerm up to the truncation of the data to [−X, X]: the dual solution u = (β + m_A(D))^{−1} f
    decays like e^{−2|x|} here (nearest complex zero of β + 2π e^{−ξ²/4}), and the gap measured for
    X = 6, 8, 10, 12 is 3e-8, 8e-10, 2e-11, 3e-13 (≈ 0.005 e^{−2X}); the trapezoid rule in x is exact to
    round-off at step 1/8."""
    A, beta, h, X = 2.0, 2.0, 0.125, 12.0
    x = np.arange(-X, X + h / 2, h)
    w = rs.trapezoid_weights(x)
    u = tl.ridge_limit_dual(rr.box_kernel_numpy(1, A, x[:, None] - x[None, :]), w, np.exp(-0.5 * x * x), beta)
    a, b = np.linspace(-1.9, 1.9, 7), np.linspace(-5, 5, 11)
    grid = np.array([[tl.spectrum_from_dual(x, w, u, [ai], [bj], ("gaussian_derivative", 1))[0] for bj in b] for ai in a])
    cont = rr.box_limit_spectrum_numpy(lambda s: np.sqrt(2 * np.pi) * np.exp(-0.5 * s * s), 1, A, beta, a, b)
    assert np.max(np.abs(grid - cont)) < 1e-12 and np.max(np.abs(cont)) > 0.1


def test_monte_carlo_kernel_tends_to_the_box_kernel():
    A, B, x = 2.0, 20.0, np.linspace(-3, 3, 7)
    rng = np.random.default_rng(0)
    errs = []
    for p in (4000, 64000):
        a, b = rng.uniform(-A, A, p), rng.uniform(-B, B, p)
        Phi = tl.features(x, a, b, ("gaussian_derivative", 1))
        Kp = (4 * A * B / p) * tl.gram(Phi)
        errs.append(np.max(np.abs(Kp - rr.box_kernel_numpy(1, A, x[:, None] - x[None, :]))))
    assert errs[1] < errs[0] / 2  # ≈ 1/4 expected (p^{-1/2}, 16 times more units)


# ---- SGD -----------------------------------------------------------------------------------------------------
def _sgd_problem(p=60, n=20, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-3, 3, n)
    w = np.full(n, 6 / (n - 1))
    y = np.exp(-0.5 * x * x)
    return x, w, y, rng.uniform(-2, 2, p), rng.uniform(-5, 5, p), 0.1 * rng.standard_normal(p)


@pytest.mark.parametrize("sigma", [("gaussian_derivative", 1), ("gaussian_derivative", 2), "tanh"])
def test_sgd_step_is_a_gradient_step(sigma):
    """One full-batch step equals θ − η ∇J with ∇J by central differences of the objective."""
    x, w, y, a, b, c = _sgd_problem()
    lam_c, lam_h, lr = 0.3, 0.05, 1e-3
    batches = np.arange(x.size)[None, :]
    res = tl.train_sgd(x, w, y, a, b, c, sigma, batches, lr, lr, lam_c, lam_h)
    theta = np.concatenate([a, b, c])

    def J(th):
        p = a.size
        d, pen = tl.objective(x, w, y, th[:p], th[p:2 * p], th[2 * p:], sigma, lam_c, lam_h)
        return d + pen

    grad = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        grad[i] = (J(theta + e) - J(theta - e)) / 2e-6
    step = theta - lr * grad
    assert np.allclose(np.concatenate([res.a, res.b, res.c]), step, rtol=0, atol=1e-9)


def test_sgd_does_not_depend_on_the_thread_count():
    x, w, y, a, b, c = _sgd_problem(p=700)
    batches = tl.reshuffled_batches(np.random.default_rng(3), x.size, 5, 4)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        r1 = tl.train_sgd(x, w, y, a, b, c, ("gaussian_derivative", 1), batches, 1e-3, 1e-3, 0.1)
        numba.set_num_threads(before)
        r2 = tl.train_sgd(x, w, y, a, b, c, ("gaussian_derivative", 1), batches, 1e-3, 1e-3, 0.1)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(r1.c, r2.c) and np.array_equal(r1.a, r2.a)


def test_sgd_reaches_the_exact_ridge_solution():
    x, w, y, a, b, _ = _sgd_problem(p=400, n=40)
    V, beta = 40.0, 1.0
    lam = beta * a.size / V
    fit = tl.ridge_output_layer(x, w, y, a, b, ("gaussian_derivative", 1), beta, V)
    batches = tl.reshuffled_batches(np.random.default_rng(0), x.size, 8, 400)
    T = batches.shape[0]
    lr = (V / a.size) / (2 * (2 * np.pi + beta))
    res = tl.train_sgd(x, w, y, a, b, np.zeros_like(a), ("gaussian_derivative", 1), batches, lr, 1e-12, lam,
                       lr_factor=1 / (1 + 10 * np.arange(T) / T), record=100)
    assert np.max(np.abs(res.c - fit.c)) < 0.01 * np.max(np.abs(fit.c))
    best = sum(tl.objective(x, w, y, a, b, fit.c, ("gaussian_derivative", 1), lam))
    assert res.data_loss.size == 4  # recorded after epochs 100, 200, 300, 400
    assert best <= res.data_loss[-1] + res.penalty[-1] <= best * (1 + 1e-4)


# ---- bad input -----------------------------------------------------------------------------------------------
X5 = np.linspace(-1, 1, 5)


@pytest.mark.parametrize("call,match", [
    (lambda: rs.Samples.from_grid(X5, np.ones(4)), "f"),
    (lambda: rs.Samples.from_grid(X5, [1, 2, np.nan, 4, 5]), "f"),
    (lambda: rs.Samples.from_grid([0, 1, 3, 4, 5], np.ones(5)), "x"),
    (lambda: rs.Samples.from_grid(X5, np.ones(5), weights=np.ones(3)), "weights"),
    (lambda: rs.Samples.from_grid(X5, np.ones(5), domain="line"), "integrable"),
    (lambda: rs.Samples.from_grid(X5, np.ones(5), domain="torus"), "domain"),
    (lambda: rs.spectrum_direct(gaussian_samples(), [0.5], [0.0], "relu"), "rho"),
    (lambda: rs.spectrum_direct(gaussian_samples(), [[0.5]], [0.0]), "a"),
    (lambda: rs.spectrum_fast(gaussian_samples(), [0.5], [0.0, 1.0, 3.0]), "b"),
    (lambda: rs.spectrum_fast(gaussian_samples(), [0.5], [np.inf, 1.0]), "b"),
    (lambda: rs.spectrum_direct(gaussian_samples(), [0.5], [0.0], ("softplus", 0)), "sigma"),
    (lambda: rs.spectrum_direct(gaussian_samples(), [0.5], [0.0], ("gaussian_derivative", -1)), "sigma"),
    (lambda: rs.spectrum_direct_points(np.zeros((4, 2)), np.ones(4), np.zeros((3, 3)), [0.0]), "A"),
    (lambda: rs.spectrum_direct_points(np.zeros((4, 2)), np.ones(5), np.zeros((3, 2)), [0.0]), "g"),
    (lambda: rs.integral_representation(np.zeros((3, 4)), np.zeros(3), np.ones(3), np.zeros(5), np.ones(5), [0.0],
                                        "relu"), "gamma"),
    (lambda: rs.integral_representation(np.zeros((3, 4)), np.zeros(3), np.ones(2), np.zeros(4), np.ones(4), [0.0],
                                        "relu"), "wa"),
    (lambda: tl.ridge_output_layer(X5, np.ones(5), np.ones(5), [0.1], [0.2], "tanh", -1.0, 1.0), "beta"),
    (lambda: tl.ridge_output_layer(X5, np.ones(5), np.ones(5), [0.1], [0.2], "tanh", 0.0, 1.0), "beta"),
    (lambda: tl.ridge_output_layer(X5, np.ones(5), np.ones(5), [0.1], [0.2], "tanh", 1.0, 0.0), "volume"),
    (lambda: tl.ridge_output_layer(X5, np.ones(5), np.ones(4), [0.1], [0.2], "tanh", 1.0, 1.0), "y"),
    (lambda: tl.ridge_output_layer(X5, np.ones(5), np.ones(5), [0.1, 0.3], [0.2], "tanh", 1.0, 1.0), "b"),
    (lambda: tl.ridge_output_layer(X5, -np.ones(5), np.ones(5), [0.1], [0.2], "tanh", 1.0, 1.0), "w"),
    (lambda: tl.ridge_limit_dual(np.eye(4), np.ones(5), np.ones(5), 1.0), "K"),
    (lambda: tl.train_sgd(X5, np.ones(5), np.ones(5), [0.1], [0.2], [0.0], "tanh", [[0, 5]], 0.1, 0.1, 1.0), "batches"),
    (lambda: tl.train_sgd(X5, np.ones(5), np.ones(5), [0.1], [0.2], [0.0], "tanh", [[0.5, 1]], 0.1, 0.1, 1.0), "batches"),
    (lambda: tl.train_sgd(X5, np.ones(5), np.ones(5), [0.1], [0.2], [0.0], "tanh", [[0, 1]], 0.0, 0.1, 1.0), "lr_c"),
    (lambda: tl.train_sgd(X5, np.ones(5), np.ones(5), [0.1], [0.2], [0.0], "tanh", [[0, 1]], 0.1, 0.1, -1.0), "lam_c"),
    (lambda: tl.train_sgd(X5, np.ones(5), np.ones(5), [0.1], [0.2], [0.0], "tanh", [[0, 1]], 0.1, 0.1, 1.0, -2.0), "lam_h"),
    (lambda: tl.reshuffled_batches(np.random.default_rng(0), 5, 6, 1), "batch"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- the NumPy closed form for derivative targets against the SymPy transform ---------------------------------
@pytest.mark.parametrize("l", [1, 2, 3])
def test_gaussian_ridgelet_numpy_derivative_targets_match_sympy(l):
    import sympy as sp

    from theory.ridgelet.activations import gaussian_derivative
    from theory.ridgelet.transform import ridgelet_transform

    k = 2
    exact = ridgelet_transform(gaussian_derivative(l), gaussian_derivative(k))
    fn = sp.lambdify(exact.variables, exact.expr, modules="mpmath")
    for a, b in ((-1.7, 0.4), (0.6, -2.2), (2.5, 1.1)):
        ref = complex(fn(a, b))
        got = float(gaussian_ridgelet_numpy(np.array(a), np.array(b), k, l))
        assert abs(ref.imag) < 1e-25 and abs(got - ref.real) <= 1e-13 * max(1.0, abs(ref.real)), (l, a, b)
