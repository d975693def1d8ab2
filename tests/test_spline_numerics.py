"""The width-n random-feature network in numba: kink moments, ridge and gradient descent against plain NumPy
references, determinism, and bad input."""

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics.spline.random_features import (fit_ridge, fit_ridge_dense, gradient_descent, kernel_table, output_weights,
                                      w1inf_distance)
from proofs_check.strategies.spline import datasets, widths

GRID = np.linspace(-2.5, 2.5, 57)
X6 = np.array([-2.0, -1.2, -0.3, 0.4, 1.1, 2.0])
Y6 = np.array([0.5, -0.3, 1.0, 0.2, -0.8, 0.6])


def _hidden(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=n), rng.uniform(-2, 2, size=n)


@settings(max_examples=15)
@given(data=datasets(min_size=2, max_size=8), n=widths(3, 10), seed=st.integers(0, 2**16),
       lam=st.floats(1e-3, 10.0))
def test_ridge_matches_the_dense_reference(data, n, seed, lam):
    x, y = data
    v, b = _hidden(n, seed)
    fit = fit_ridge(v, b, x, y, lam * n, GRID)
    alpha, f, df, w = fit_ridge_dense(v, b, x, y, lam * n, GRID)
    scale = 1 + np.max(np.abs(alpha))
    assert np.allclose(fit.alpha, alpha, rtol=1e-8, atol=1e-9 * scale)
    assert np.allclose(fit.values, f, atol=1e-9 * scale)
    assert np.allclose(fit.derivative, df, atol=1e-9 * scale)
    assert np.allclose(output_weights(v, b, fit), w, atol=1e-12 * scale)


def test_kink_moments_are_the_empirical_sums():
    v, b = _hidden(3000, 1)
    v[:5] = 0.0  # constant neurons ρ(b) are part of the kernel too
    table = kernel_table(v, b, X6, Y6, GRID)
    pts = table.pts
    xi = np.where(v != 0, -b / np.where(v != 0, v, 1.0), np.nan)
    for j in (0, 17, pts.size - 1):
        left, right = (v > 0) & (xi < pts[j]), (v < 0) & (xi > pts[j])
        expect = [np.sum(v[left] ** 2), np.sum(v[left] * b[left]), np.sum(b[left] ** 2),
                  np.sum(v[right] ** 2), np.sum(v[right] * b[right]), np.sum(b[right] ** 2),
                  np.sum(np.maximum(b[v == 0], 0) ** 2)]
        assert np.allclose(table.moments[:, j], np.array(expect) / v.size, rtol=1e-12, atol=1e-15)


def test_gradient_descent_equals_primal_iterations():
    """GD on w from 0 (explicit n-vector updates) stays in the row space: the dual iteration gives it exactly."""
    v, b = _hidden(400, 2)
    eta = 2e-4
    path = gradient_descent(v, b, X6, Y6, eta, [0, 1, 7, 50], GRID)
    Phi = np.maximum(np.outer(X6, v) + b, 0.0)
    w = np.zeros(v.size)
    got = {}
    for t in range(51):
        if t in (0, 1, 7, 50):
            got[t] = np.maximum(np.outer(GRID, v) + b, 0.0) @ w
        w -= eta * 2 * Phi.T @ (Phi @ w - Y6)
    for i, t in enumerate(path.steps):
        assert np.allclose(path.values[i], got[int(t)], atol=1e-11)


def test_results_do_not_depend_on_the_thread_count():
    v, b = _hidden(300_000, 3)  # several chunks
    old = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = fit_ridge(v, b, X6, Y6, 0.05 * v.size, GRID)
        numba.set_num_threads(max(2, old))
        many = fit_ridge(v, b, X6, Y6, 0.05 * v.size, GRID)
    finally:
        numba.set_num_threads(old)
    assert np.array_equal(one.values, many.values) and np.array_equal(one.alpha, many.alpha)


def test_slopes_at_infinity_of_the_network():
    """N_w'(+∞) + N_w'(−∞) = Σ_k w_k v_k = ½ E[v²] Σ α_i x_i + O(n^{-1/2}) for a symmetric law (see the theory)."""
    v, b = _hidden(2**18, 4)
    fit = fit_ridge(v, b, X6, Y6, 0.05 * v.size, np.array([-1e4, 1e4]))
    w = output_weights(v, b, fit)
    assert fit.derivative.sum() == pytest.approx(np.sum(w * v), rel=1e-9)  # two summation orders
    assert fit.derivative.sum() == pytest.approx(0.5 * (fit.alpha @ fit.table.x), abs=5e-3)


def test_w1inf_distance():
    assert w1inf_distance([0, 1], [2, 0], [0, 0.5], [0, 0]) == 2.0
    with pytest.raises(ValueError, match="^f, df, g, dg:"):
        w1inf_distance([0, 1], [2], [0, 0.5], [0, 0])


@pytest.mark.parametrize("kwargs,arg", [
    (dict(v=[1.0, np.nan], b=[0.0, 0.0]), "v"),
    (dict(v=[1.0, 2.0], b=[0.0]), "b"),
    (dict(v=[], b=[]), "v"),
    (dict(x=[0.0, 0.0]), "x"),
    (dict(x=[0.0], y=[1.0]), "x"),
    (dict(y=[1.0]), "y"),
    (dict(y=[np.inf, 1.0]), "y"),
    (dict(lam_tilde=0.0), "lam_tilde"),
    (dict(lam_tilde=-1.0), "lam_tilde"),
    (dict(grid=[]), "grid"),
    (dict(grid=[0.0, np.nan]), "grid"),
])
def test_bad_ridge_input(kwargs, arg):
    args = dict(v=[1.0, -1.0], b=[0.5, 0.2], x=[0.0, 1.0], y=[1.0, 2.0], lam_tilde=1.0, grid=[0.0, 0.5])
    args.update(kwargs)
    with pytest.raises(ValueError, match=rf"^{arg}:"):
        fit_ridge(**args)


@pytest.mark.parametrize("eta,steps,arg", [(1.0, [5], "eta"), (-1e-3, [5], "eta"), (1e-4, [-1], "steps"),
                                           (1e-4, [0.5], "steps"), (1e-4, [], "steps")])
def test_bad_gradient_descent_input(eta, steps, arg):
    v, b = _hidden(100)
    with pytest.raises(ValueError, match=rf"^{arg}:"):
        gradient_descent(v, b, X6, Y6, eta, steps, GRID)
