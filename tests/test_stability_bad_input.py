"""Bad input to the inverse-stability layers: clear ``ValueError``s naming the argument, raised before any
kernel runs (empty networks, NaN parameters, a domain with lower ≥ upper, …); and the fits' numerics."""

import math
from fractions import Fraction as F

import numpy as np
import pytest

from numerics.stability import fit as nf
from theory.stability import api as S
from theory.common.shallow_relu_net import ShallowReLUNet

ONE = ShallowReLUNet([[1.0]], [0.0], [1.0])
TWO_D = ShallowReLUNet([[1.0, 1.0]], [0.0], [1.0])


@pytest.mark.parametrize("args, name", [
    ((np.zeros((0, 1)), [], []), "a"),                      # empty network
    (([], [], []), "a"),
    ((np.zeros((2, 0)), [0, 0], [1, 1]), "a"),              # d = 0
    (([[math.nan]], [0.0], [1.0]), "a"),                    # NaN parameters
    (([[1.0]], [math.nan], [1.0]), "b"),
    (([[1.0]], [0.0], [math.inf]), "c"),
    (([[1.0]], [0.0], [1.0], math.nan), "e"),
    (([[F(1)]], [0], [1], math.nan), "e"),                  # exact net, NaN bias
    (([[1.0]], [0.0, 1.0], [1.0]), "b"),                    # shapes
    (([[1.0]], [0.0], [1.0, 2.0]), "c"),
    (([[1.0]], [0.0], [1.0], [1.0, 2.0]), "e"),
    (([["x"]], [0], [1]), "a"),
    ((np.zeros((2, 2, 2)), [0, 0], [1, 1]), "a"),
])
def test_bad_networks(args, name):
    with pytest.raises(ValueError, match=f"^{name}:"):
        ShallowReLUNet(*args)


@pytest.mark.parametrize("domain", [(1, 1), (2, 1), (0, math.inf), (0, math.nan), 5, "ab", ([0, 1], [1])])
def test_bad_domains(domain):
    with pytest.raises(ValueError, match="^domain:"):
        S.sobolev_distance(ONE, ONE, domain)
    with pytest.raises(ValueError, match="^domain:"):
        S.restrict(ONE, domain)
    with pytest.raises(ValueError, match="^domain:"):
        S.is_restricted(ONE, domain)


def test_domain_lower_equal_upper_in_2d():
    with pytest.raises(ValueError, match="domain: expected lower < upper"):
        S.sobolev_distance(TWO_D, TWO_D, ([0, 0], [0, 1]))


@pytest.mark.parametrize("call, name", [
    (lambda: S.sobolev_distance(ONE, ONE, (0, 1), k=2), "k"),
    (lambda: S.sobolev_distance(ONE, ONE, (0, 1), k=True), "k"),
    (lambda: S.sobolev_distance(ONE, ONE, ([0, 0], [1, 1])), "domain"),
    (lambda: S.sobolev_distance(ONE, TWO_D, (0, 1)), "Psi"),
    (lambda: S.sobolev_distance("net", ONE, (0, 1)), "Phi"),
    (lambda: S.sobolev_distance(TWO_D, TWO_D, ([0, 0], [1, 1]), cells=0), "cells"),
    (lambda: S.sobolev_distance(TWO_D, TWO_D, ([0, 0], [1, 1]), cells=2.5), "cells"),
    (lambda: S.sampled_distance(ONE, ONE, []), "points"),
    (lambda: S.sampled_distance(ONE, ONE, [math.nan]), "points"),
    (lambda: S.param_distance(ONE, ShallowReLUNet([[1.0], [2.0]], [0, 0], [1, 1])), "Psi"),
    (lambda: S.orbit_distance(ONE, ShallowReLUNet([[1.0], [2.0]], [0, 0], [1, 1])), "Psi"),
    (lambda: S.bottleneck_assignment(np.zeros((2, 3))), "cost"),
    (lambda: S.bottleneck_assignment(np.full((2, 2), np.nan)), "cost"),
    (lambda: S.flip(ONE, [3]), "F"),
    (lambda: S.compensating_flips(ShallowReLUNet(np.ones((20, 1)), np.zeros(20), np.ones(20))), "Phi"),
    (lambda: S.is_restricted(ONE, (0, 1), rtol=-1), "rtol"),
    (lambda: S.restrict("net", (0, 1)), "Phi"),
    (lambda: S.absorb_slope(S.restrict(ShallowReLUNet([[1.0]], [5.0], [1.0]), (-1, 1)), (-1, 1), 0), "delta"),
    (lambda: S.pathology_family("nope"), "name"),
    (lambda: S.pathology_family("rescaling").phi(3), "k"),
    (lambda: S.pathology_family("rescaling").phi(0), "k"),
    (lambda: S.pathology_family("rescaling", domain=(0, 1)), "s"),
    (lambda: S.pathology_family("rescaling", r=0), "r"),
    (lambda: S.pathology_family("rescaling", domain=([0, 0], [1, 1])), "domain"),
    (lambda: S.extremal_pair(0, F(1, 100)), "eps"),
    (lambda: S.extremal_pair(F(1, 100), F(1)), "eta"),
    (lambda: S.random_restricted_net(np.random.default_rng(0), 0), "width"),
    (lambda: S.inverse_stability_constant(([0, 0], [1, 1])), "domain"),
    (lambda: S.kink_neuron(0, 0), "jump"),
    (lambda: S.pythagorean_neuron(F(1), F(1)), "s"),
    (lambda: S.pythagorean_neuron(F(0), F(0)), "r"),
])
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=f"^{name}"):
        call()


# ---- numerics -------------------------------------------------------------------------------------
X = np.linspace(-1, 1, 16)
Y = np.sin(X)


@pytest.mark.parametrize("kwargs, name", [
    (dict(x=np.append(X[:-1], np.nan)), "x"),
    (dict(y=Y[:-1]), "y"),
    (dict(a=[]), "a"),
    (dict(b=[0.0]), "b"),
    (dict(c=[np.inf, 0.0]), "c"),
    (dict(e=np.nan), "e"),
    (dict(lr=0.0), "lr"),
    (dict(lr=-1.0), "lr"),
    (dict(steps=0), "steps"),
    (dict(steps=2.5), "steps"),
])
def test_fit_unrestricted_bad_input(kwargs, name):
    args = dict(x=X, y=Y, a=[1.0, -1.0], b=[0.0, 0.5], c=[1.0, 1.0], e=0.0, lr=0.01, steps=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"^{name}"):
        nf.fit_unrestricted(**args)


@pytest.mark.parametrize("kwargs, name", [
    (dict(t=[-1.0, 0.5]), "t"),                 # a kink on the boundary
    (dict(t=[0.0, 2.0]), "t"),
    (dict(sigma=[1.0, 0.5]), "sigma"),
    (dict(jump=[1.0]), "jump"),
    (dict(domain=(1.0, 1.0)), "domain"),
    (dict(domain=(1.0, -1.0)), "domain"),
    (dict(domain=5), "domain"),
    (dict(lr=math.nan), "lr"),
])
def test_fit_restricted_bad_input(kwargs, name):
    args = dict(x=X, y=Y, t=[-0.5, 0.5], sigma=[1.0, -1.0], jump=[1.0, 1.0], e=0.0, domain=(-1.0, 1.0),
                lr=0.01, steps=3)
    args.update(kwargs)
    with pytest.raises(ValueError, match=f"^{name}"):
        nf.fit_restricted(**args)


def test_refit_and_losses():
    t, sg = np.array([-0.5, 0.25]), np.array([1.0, -1.0])
    J, e, L = nf.refit_jumps(X, Y, t, sg)
    assert L == pytest.approx(nf.restricted_loss(X, Y, t, sg, J, e), rel=1e-12)
    # the least-squares optimum: no other jumps do better
    for dJ in np.eye(2) * 1e-3:
        assert nf.restricted_loss(X, Y, t, sg, J + dJ, e) >= L
    # no neuron: the best constant
    _, e0, L0 = nf.refit_jumps(X, Y, [], [])
    assert e0 == pytest.approx(Y.mean()) and L0 == pytest.approx(Y.var())
    with pytest.raises(ValueError, match="^sigma"):
        nf.refit_jumps(X, Y, t, [1.0, 2.0])
    with pytest.raises(ValueError, match="^y"):
        nf.refit_jumps(X, Y[:3], t, sg)


def test_fits_reduce_the_loss_and_keep_kinks_inside():
    a, b, c = np.array([1.0, -1.0, 0.7]), np.array([0.2, 0.3, -0.1]), np.array([0.5, -0.5, 0.3])
    L0 = nf.unrestricted_loss(X, Y, a, b, c, 0.0)
    u = nf.fit_unrestricted(X, Y, a, b, c, 0.0, 0.01, 300)
    assert u.loss < L0 and np.array_equal(a, [1.0, -1.0, 0.7])  # inputs are copied
    r = nf.fit_restricted(X, Y, [-0.5, 0.0, 0.5], [1.0, -1.0, 1.0], [0.1, 0.1, 0.1], 0.0, (-1.0, 1.0), 0.01, 300)
    assert np.all((r.t > -1) & (r.t < 1))
    assert r.loss < nf.restricted_loss(X, Y, [-0.5, 0.0, 0.5], [1.0, -1.0, 1.0], [0.1, 0.1, 0.1], 0.0)
    # the kernel's loss is the matrix-product loss
    assert r.loss == pytest.approx(nf.restricted_loss(X, Y, r.t, r.sigma, r.jump, r.e), rel=1e-12)
