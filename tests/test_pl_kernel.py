"""The non-parametric (Gaussian RKHS) case of the PL result: theory (SymPy / mpmath at 30 digits), numerics
(numba against slow references, and the representer-form identity with the finite-q model) and the claims
pl.kernel.* (confirmed on development seeds, every mutant refuted, power targets, bad input)."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
import sympy as sp

from numerics.pl import kernel as nk
from numerics.pl import resnet as rn
from theory.pl import constants as th
from theory.pl import kernel as tk
from theory.pl.model import gaussian_kernel


def _points(n=5, d=2, seed=0, box=1.5):
    return np.random.default_rng(seed).uniform(-box, box, (n, d))


# ----------------------------------------------------------------------------------------------------
# theory
# ----------------------------------------------------------------------------------------------------
def test_bochner_mean_is_the_gaussian_kernel():
    assert sp.simplify(tk.bochner_mean() - gaussian_kernel(tk.x_s - tk.y_s)) == 0


def test_kernel_and_feature_limit_kappas():
    k0, k1 = tk.kernel_kappas()
    assert k0 == 1 and sp.simplify(k1 - 1 / tk.sig_s) == 0
    r0, r1 = tk.rff_limit_kappas()
    assert r0 == sp.sqrt(2) and sp.simplify(r1 - sp.sqrt(2) / tk.sig_s) == 0


def test_derivation_checks():
    assert tk.derive_kernel_pl().all_checked


def test_gram_extremes_are_eigenvalues_at_30_digits():
    X = _points()
    lam, Lam, V = tk.gram_extremes(X, 0.8)
    K = tk.kernel_gram_mp(X, 0.8)
    with mp.workdps(40):
        for e in (lam, Lam):
            assert abs(mp.det(K - e * mp.eye(K.rows))) < mp.mpf(10) ** -27
    ev = np.linalg.eigvalsh(nk.kernel_gram(X, 0.8))
    assert abs(float(lam) - ev[0]) < 1e-12 and abs(float(Lam) - ev[-1]) < 1e-12
    assert np.allclose(np.abs(V.T @ V), np.eye(len(X)), atol=1e-12)


def test_entry_covariance_closed_form_and_monte_carlo():
    x = np.array([[0.0, 0.0], [0.7, -0.2], [-0.3, 0.9]])
    assert abs(tk.entry_covariance(x[0], x[0], x[0], x[0], 1.0) - mp.mpf(3) / 2) < mp.mpf(10) ** -28
    rng = np.random.default_rng(1)
    m = 400_000
    om = rng.standard_normal((m, 2))
    u = rng.uniform(0, 2 * np.pi, m)
    c = np.cos(x @ om.T + u)  # (3, m)
    mc = np.mean(4 * c[0] * c[1] * c[2] * c[0])  # E ξ_01 ξ_20
    assert abs(mc - float(tk.entry_covariance(x[0], x[1], x[2], x[0], 1.0))) < 0.01


def test_kernel_constants_and_ball_condition():
    X = _points(6, seed=3, box=3.0)
    c = tk.kernel_constants(X, 1.0, 8)
    assert c.kappa0 == 1 and c.kappa1 == 1
    eta = 1 / float(c.Lambda0)
    probe = tk.evaluate_constants(c, 0.0, eta)
    ev = tk.evaluate_constants(c, 0.5 * probe.g_max, eta)
    with mp.workdps(30):
        g = th._g(c, mp.mpf(ev.R_star), eta)
        # R* is returned as a float (17 digits): g(R*) = ℒ₀ to that precision
        assert abs(g - mp.mpf(ev.ell0)) < mp.mpf(10) ** -14 * mp.mpf(ev.ell0)
        # m_L from the SymPy expression with κ₀ = 1, κ₁ = 1/σ
        expr = th.m_draw(th.r, th.depth).subs({th.lam0: c.lambda0, th.N: 6, th.kap0: 1, th.kap1: 1, th.depth: 8,
                                               th.r: ev.R_star})
        assert abs(float(expr) - ev.mu) < 1e-14 * ev.mu
    # a wider bandwidth scale changes λ₀: the power analysis' perturbation acts
    assert tk.kernel_constants(X, 1.0, 8, sigma_scale=1.05).lambda0 != c.lambda0


@pytest.mark.parametrize("bad, match", [((np.zeros((3, 2)), 0.0), "sigma"), ((np.full((3, 2), np.nan), 1.0), "X0")])
def test_theory_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        tk.gram_extremes(*bad)


def test_evaluate_bad_input():
    c = tk.kernel_constants(_points(), 1.0, 4)
    with pytest.raises(ValueError, match="ell0"):
        tk.evaluate_constants(c, -1.0, 0.1)
    with pytest.raises(ValueError, match="eta"):
        tk.evaluate_constants(c, 0.1, -0.1)
    with pytest.raises(ValueError, match="depth"):
        tk.kernel_constants(_points(), 1.0, 0)


# ----------------------------------------------------------------------------------------------------
# numerics
# ----------------------------------------------------------------------------------------------------
def test_kernel_gram_against_numpy():
    X = _points(7, 3)
    assert np.allclose(nk.kernel_gram(X, 0.6), rn.gaussian_gram(X, 0.6), rtol=0, atol=1e-15)


def test_rff_prefix_grams_against_features():
    X = _points(5)
    rng = np.random.default_rng(2)
    om, u = rng.standard_normal((300, 2)), rng.uniform(0, 2 * np.pi, 300)
    counts = np.array([1, 7, 64, 300])
    G = nk.rff_prefix_grams(X, om, u, counts)
    for m, q in enumerate(counts):
        assert np.allclose(G[m], rn.gram(X, rn.RFF(om[:q], u[:q])), rtol=0, atol=1e-13)


def _gauss(sig):
    def k(x, C):
        return np.exp(-np.sum((x - C) ** 2, axis=1) / (2 * sig**2))

    def gk(x, C):
        return -(x - C) / sig**2 * k(x, C)[:, None]

    return k, gk


def test_kernel_gd_against_numpy_reference():
    X0 = _points(4, seed=5)
    Y = X0 + 0.3 * np.random.default_rng(6).standard_normal(X0.shape)
    k, gk = _gauss(0.9)
    res = nk.kernel_gradient_descent(X0, Y, 0.9, 3, 0.3, 6)
    loss, g2, rad, outs = nk.kernel_gradient_descent_numpy(X0, Y, k, gk, 3, 0.3, 6)
    assert np.allclose(res.loss, loss, rtol=1e-13, atol=0)
    assert np.allclose(res.grad_norm2, g2, rtol=1e-13, atol=0)
    assert np.allclose(res.radius, rad, rtol=1e-10, atol=1e-14)
    assert np.allclose(res.outputs, outs, rtol=0, atol=1e-14)
    assert res.stopped == "steps" and np.all(np.diff(res.loss) < 0)


def test_representer_form_equals_the_finite_q_model():
    """The kernel recursion with k̂_q(x, y) = φ(x)ᵀφ(y) is gradient descent on the finite-q ResNet from W = 0."""
    X0 = _points(4, seed=7)
    Y = X0 + 0.3 * np.random.default_rng(8).standard_normal(X0.shape)
    q = 40
    rng = np.random.default_rng(9)
    rff = rn.RFF(rng.standard_normal((q, 2)), rng.uniform(0, 2 * np.pi, q))

    def phi(X):
        return math.sqrt(2 / q) * np.cos(np.atleast_2d(X) @ rff.omega.T + rff.u)

    def k(x, C):
        return phi(C) @ phi(x)[0]

    def gk(x, C):
        return phi(C) @ (-math.sqrt(2 / q) * np.sin(rff.omega @ x + rff.u)[:, None] * rff.omega)

    loss, g2, rad, outs = nk.kernel_gradient_descent_numpy(X0, Y, k, gk, 3, 0.3, 5)
    gd = rn.gradient_descent(X0, Y, rff, 3, 0.3, 5)
    assert np.allclose(gd.loss, loss, rtol=1e-12, atol=0)
    assert np.allclose(gd.grad_norm2, g2, rtol=1e-12, atol=0)
    assert np.allclose(gd.radius, rad, rtol=1e-10, atol=1e-14)
    from proofs_check.claims.pl_kernel import finite_q_outputs

    assert np.allclose(finite_q_outputs(X0, Y, rff, 3, 0.3, 5), outs, rtol=0, atol=1e-13)


def test_kernel_gd_stops_at_the_floor():
    X0 = _points(3, seed=1, box=3.0)
    Y = X0 + 0.05
    res = nk.kernel_gradient_descent(X0, Y, 1.0, 2, 0.5, 200, loss_floor=1e-10)
    assert res.stopped == "loss floor" and res.loss[-1] <= 1e-10 and res.loss.size < 201


@pytest.mark.parametrize("kwargs, match", [
    (dict(sigma=0.0), "sigma"), (dict(depth=0), "depth"), (dict(eta=-1.0), "eta"), (dict(steps=-1), "steps"),
    (dict(Y=np.zeros((2, 2))), "Y"), (dict(loss_floor=-1.0), "loss_floor"), (dict(X0=np.zeros(3)), "X0")])
def test_kernel_gd_bad_input(kwargs, match):
    args = dict(X0=np.zeros((3, 2)), Y=np.ones((3, 2)), sigma=1.0, depth=2, eta=0.1, steps=2)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        nk.kernel_gradient_descent(**args)


@pytest.mark.parametrize("kwargs, match", [
    (dict(counts=[4, 2]), "counts"), (dict(counts=[0]), "counts"), (dict(counts=[11]), "counts"),
    (dict(counts=[1.5]), "counts"), (dict(u=np.zeros(3)), "u"), (dict(omega=np.zeros((10, 3))), "omega"),
    (dict(X=np.zeros((2, 2, 2))), "X")])
def test_rff_prefix_grams_bad_input(kwargs, match):
    args = dict(X=np.zeros((3, 2)), omega=np.zeros((10, 2)), u=np.zeros(10), counts=[2, 4])
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        nk.rff_prefix_grams(**args)


def test_kernel_gram_bad_input():
    with pytest.raises(ValueError, match="sigma"):
        nk.kernel_gram(np.zeros((2, 2)), -1.0)


# ----------------------------------------------------------------------------------------------------
# claims
# ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def power_runs():
    """Each claim once with --power at the quick budget (root seed 100, as if 16 decisions were made)."""
    from proofs_check.claims import pl_kernel as pk
    from proofs_check.engine import run_claim

    return {c.id: run_claim(c, budget="quick", seed=100, power=True, decisions=16) for c in pk.CLAIMS}


def test_claims_confirmed_with_every_mutant_refuted(power_runs):
    from proofs_check.claim import Verdict

    for cid, res in power_runs.items():
        assert res.verdict is Verdict.CONFIRMED, (cid, res.reason, [(o.name, o.reason) for o in res.outcomes])
        assert all(o.verdict is Verdict.REFUTED for o in res.mutants), cid


def test_claims_meet_their_power_targets(power_runs):
    for cid, res in power_runs.items():
        assert res.power, cid
        for k in res.power:
            assert k.meets_target(), (cid, k.name, k.text())


@pytest.mark.parametrize("seed", [101, 102])
def test_cheap_claims_on_more_dev_seeds(seed):
    from proofs_check.claim import Verdict
    from proofs_check.claims import pl_kernel as pk
    from proofs_check.engine import run_claim

    for cls in (pk.GramRate, pk.KernelLinearRate):
        res = run_claim(cls, budget="quick", seed=seed, decisions=16)
        assert res.verdict is Verdict.CONFIRMED, (cls.id, res.reason)


def test_claims_are_opt_in_and_listed():
    from proofs_check.claims import pl_kernel as pk
    from proofs_check.registry import registry

    reg = registry()
    for c in pk.CLAIMS:
        assert c.default is False and reg.claims[c.id] is c
    texts = [s.claim for s in reg.papers["pl"].statements]
    assert {c.id for c in pk.CLAIMS} <= set(texts)
    assert "pl-kernel" in reg.derivations


def test_feature_bounds_tend_to_the_looser_limits_not_the_kernels():
    """The finite-q admissibility bound κ₁ = √(2/q)‖Ω‖_op tends to √2/σ (rff_limit_kappas), √2 times the RKHS's
    1/σ (kernel_kappas): the finite-q PL functions do not converge to the kernel model's."""
    from theory.pl.model import feature_constants

    sigma = 0.7
    om = np.random.default_rng(4).standard_normal((200_000, 2)) / sigma
    k1 = feature_constants(om).kappa1
    limit = float(tk.rff_limit_kappas()[1].subs(tk.sig_s, sigma))
    assert abs(k1 / limit - 1) < 0.01
    assert abs(limit / float(tk.kernel_kappas()[1].subs(tk.sig_s, sigma)) - math.sqrt(2)) < 1e-14
