"""Property tests (hypothesis) of the inverse-stability theory: symmetries, the projection onto the
restricted set, exact against sampled distances, and the inverse stability bound on random restricted
pairs."""

from fractions import Fraction as F

import numpy as np
from hypothesis import assume, example, given
from hypothesis import strategies as st

from proofs_check.strategies.stability import (
    boxes,
    dyadics,
    intervals,
    nets,
    restricted_nets,
    restricted_pairs,
    symmetry_images,
)
from theory.stability import api as S
from theory.common.shallow_relu_net import ShallowReLUNet, realize_exact


def _images(strategy):
    return strategy.flatmap(lambda Phi: st.tuples(st.just(Phi), symmetry_images(Phi)))


# ---- symmetries -----------------------------------------------------------------------------------
@given(_images(nets(exact=True, max_width=4)), intervals())
def test_symmetries_leave_the_realization_invariant(pair, domain):
    Phi, img = pair
    assert S.sobolev_distance(Phi, img, domain).value == 0
    assert S.param_distance(Phi, img).value <= 1e-12 * max(1.0, Phi.max_norm() ** 2)


@given(_images(nets(exact=True, max_width=4)), nets(exact=True, min_width=1, max_width=4), intervals())
def test_distances_are_invariant_under_symmetries(pair, Psi, domain):
    Phi, img = pair
    assume(Psi.width == Phi.width)
    assert S.sobolev_distance(Phi, Psi, domain).value == S.sobolev_distance(img, Psi, domain).value
    d1, d2 = S.param_distance(Phi, Psi).value, S.param_distance(img, Psi).value
    assert abs(d1 - d2) <= 1e-12 * max(1.0, d1, Phi.max_norm() ** 2, Psi.max_norm() ** 2)
    assert S.param_distance(Psi, Phi).value == d1  # symmetric


@given(_images(restricted_nets(max_width=3)), restricted_nets(max_width=3))
def test_orbit_distance_ignores_the_representative_of_psi(pair, Gamma):
    Psi, img = pair
    assume(Gamma.width == Psi.width)
    d1, d2 = S.orbit_distance(Gamma, Psi).value, S.orbit_distance(Gamma, img).value
    assert abs(d1 - d2) <= 1e-9 * max(1.0, d1)
    assert d1 <= S.raw_param_distance(Gamma, Psi) * (1 + 1e-12) + 1e-12


# ---- the projection onto the restricted set -------------------------------------------------------
@given(nets(exact=True, max_width=6), intervals(), st.booleans())
@example(ShallowReLUNet([[F(1)], [F(-1)]], [F(0), F(0)], [F(1), F(1)], F(0)), (F(-1), F(1)), False)
def test_restrict_lands_in_the_set_and_preserves_the_realization(Phi, domain, oriented):
    res = S.restrict(Phi, domain, oriented=oriented)
    if res.net is not None:
        assert S.is_restricted(res.net, domain, oriented=oriented).ok
        assert res.net.width <= Phi.width
    # R(Φ) = R(net) + slope·x exactly on D: compare at the breakpoints of both and the ends
    lo, up = F(domain[0]), F(domain[1])
    pts = {lo, up, (lo + up) / 2}
    for N in (Phi,) + ((res.net,) if res.net is not None else ()):
        for k in S.kinks_1d(N)[0]:
            if lo < k.t < up:
                pts.add(k.t)
    for x in pts:
        rhs = (realize_exact(res.net, x) if res.net is not None else res.bias) + res.slope[0] * x
        assert realize_exact(Phi, x) == rhs
    # restricted input is a fixed point
    if res.net is not None:
        again = S.restrict(res.net, domain, oriented=oriented)
        assert again.preserves_realization and again.net.width == res.net.width


@given(nets(exact=True, min_width=1, max_width=5), dyadics(F(3, 2), 4), dyadics(-3, 3).filter(bool),
       st.integers(1, 40))
def test_absorbed_slope_error_is_at_most_s_delta(Phi0, b, c, m):
    # add an affine neuron c ρ(x + b) (kink −b < −1: active on all of D), so there is a remainder
    Phi = S.net_from_rows([(Phi0.a[i, 0], Phi0.b[i], Phi0.c[i]) for i in range(Phi0.width)] + [(1, b, c)],
                          Phi0.e)
    res = S.restrict(Phi, (-1, 1))
    if res.preserves_realization:  # the affine part cancelled against opposite pairs
        return
    delta = F(1, 2**m)
    net = S.absorb_slope(res, (-1, 1), delta)
    assert S.is_restricted(net, (-1, 1)).ok
    err = S.sobolev_distance(net, Phi, (-1, 1), k=0).value
    assert err <= abs(res.slope[0]) * delta


# ---- exact against sampled distances --------------------------------------------------------------
@given(nets(exact=True, max_width=5), nets(exact=True, max_width=5), intervals(),
       st.lists(st.fractions(-4, 4, max_denominator=64), max_size=30), st.sampled_from([0, 1]))
def test_exact_distance_dominates_samples_and_equals_them_on_breakpoints(Phi, Psi, domain, extra, k):
    lo, up = F(domain[0]), F(domain[1])
    exact = S.sobolev_distance(Phi, Psi, domain, k=k).value
    inside = [x for x in extra if lo <= x <= up] + [lo, up]
    assert S.sampled_distance(Phi, Psi, inside, k=k) <= exact
    h = S.difference_1d(Phi, Psi, domain)
    assert S.sampled_distance(Phi, Psi, list(h.points) + inside, k=k) == exact


@given(nets(dim=2, max_width=4), nets(dim=2, max_width=4), boxes(dim=2), st.sampled_from([0, 1]))
def test_certified_interval_brackets_samples_in_2d(Phi, Psi, box, k):
    d = S.sobolev_distance(Phi, Psi, box, k=k, cells=16)
    lo, up = np.array([float(v) for v in box[0]]), np.array([float(v) for v in box[1]])
    X = lo + (up - lo) * np.random.default_rng(0).random((4000, 2))
    from theory.common.shallow_relu_net import realize

    assert np.abs(realize(Phi, X) - realize(Psi, X)).max() <= d.upper * (1 + 1e-9) + 1e-12
    assert d.lower <= d.upper


# ---- Theorem 3.1 on random restricted pairs -------------------------------------------------------
@given(restricted_pairs())
def test_inverse_stability_bound_on_random_restricted_pairs(pair):
    """On R1–R5 in 1-D, dist_param ≤ C dist_W^{1/2} for dist_W ≤ 1, C = 2√2(1 + M²)^{1/4}."""
    Phi, Gamma = pair
    assert S.is_restricted(Phi, (-1, 1), oriented=True).ok and S.is_restricted(Gamma, (-1, 1), oriented=True).ok
    eps = S.sobolev_distance(Phi, Gamma, (-1, 1)).value
    assume(0 < eps <= 1)
    C = S.inverse_stability_constant((-1, 1))
    assert S.param_distance(Phi, Gamma).value <= C * float(eps) ** 0.5 * (1 + 1e-12)


@given(restricted_pairs(log2_radius=(-1, 1)))
def test_the_lipschitz_mutant_fails_only_through_small_neurons(pair):
    """With radii ≥ ½ and kink-preserving moves the inverse is Lipschitz: a kink's jump changes by
    ``|J − J′| ≤ 2ε``, so ``|r − r′| = |J − J′|√(1+t²)/(r + r′) ≤ 2ε√2/(3/4)`` (``r′ ≥ r/2 ≥ ¼``) and
    ``|e − e′| ≤ ε``: dist_param ≤ 4√2 ε. The ½ exponent is a small-neuron (or relocation) effect."""
    Phi, Gamma = pair
    kp = {k.t for k in S.kinks_1d(Phi)[0]}
    kg = {k.t for k in S.kinks_1d(Gamma)[0]}
    assume(kp == kg)
    eps = float(S.sobolev_distance(Phi, Gamma, (-1, 1)).value)
    assume(0 < eps <= 1)
    assert S.param_distance(Phi, Gamma).value <= 2 * np.sqrt(2) * 2 * eps * (1 + 1e-9)
