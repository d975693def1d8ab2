"""Exact unit tests of the inverse-stability theory layer: W^{1,∞} distances on hand-computed examples
(rational arithmetic), the certified m-D interval, the restricted set and its projection, the parameter
distances, the closed-form families and the derivation."""

import itertools
import math
from fractions import Fraction as F

import numpy as np
import pytest

from theory.stability import api as S
from theory.common.shallow_relu_net import ShallowReLUNet, pythagorean_neuron, realize, realize_exact


def net(rows, e=0):
    """1-D exact net from rows (a, b, c)."""
    return S.net_from_rows(rows, e)


ZERO = net([(0, 0, 0)])


# ---- exact W^{1,∞} distance on hand-computed examples -----------------------------------------------
@pytest.mark.parametrize("Phi, Psi, domain, linf, w1", [
    # ρ(x) against 0 on [−1, 2]: sup 2 at x = 2, slope 1
    (net([(1, 0, 1)]), ZERO, (-1, 2), F(2), F(2)),
    # (3/7)[ρ(x − 1/3) − ρ(x − 1/2)] on [−1, 1]: slope 3/7 on (1/3, 1/2), then the constant 1/14
    (net([(1, F(-1, 3), F(3, 7))]), net([(1, F(-1, 2), F(3, 7))]), (-1, 1), F(1, 14), F(3, 7)),
    # ρ(x) − ρ(−x) = x against the affine neuron ρ(x + 5) − 5: equal on [−1, 1]
    (net([(1, 0, 1), (-1, 0, -1)]), net([(1, 5, 1)], -5), (-1, 1), F(0), F(0)),
    # 2ρ(3 − x) (kink outside D, active) against the constant 6: h = −2x
    (net([(-1, 3, 2)]), net([(0, 0, 0)], 6), (-1, 1), F(2), F(2)),
    # ρ(2x − 1) + 1/3 against ρ(x) on [0, 1]: values 1/3, −1/6, 1/3; slopes −1, +1
    (net([(2, -1, 1)], F(1, 3)), net([(1, 0, 1)]), (0, 1), F(1, 3), F(1)),
    # the kink exactly at the left end: ρ(x + 1) on [−1, 1] is affine there
    (net([(1, 1, 1)]), ZERO, (-1, 1), F(2), F(2)),
    # a neuron with a = 0 is a constant c ρ(b)
    (net([(0, 3, 2)]), ZERO, (-1, 1), F(6), F(6)),
])
def test_exact_distance_hand_computed(Phi, Psi, domain, linf, w1):
    d0 = S.sobolev_distance(Phi, Psi, domain, k=0)
    d1 = S.sobolev_distance(Phi, Psi, domain, k=1)
    assert d0.exact and d1.exact
    assert d0.value == linf and isinstance(d0.value, F)
    assert d1.value == w1 and d1.lower == d1.upper
    assert S.sobolev_distance(Psi, Phi, domain).value == w1  # symmetric


def test_breakpoint_representation():
    h = S.difference_1d(net([(1, F(-1, 3), F(3, 7))]), net([(1, F(-1, 2), F(3, 7))]), (-1, 1))
    assert h.points == (F(-1), F(1, 3), F(1, 2), F(1))
    assert h.values == (0, 0, F(1, 14), F(1, 14))
    assert h.slopes == (0, F(3, 7), 0)
    assert np.allclose(h([0.0, 5 / 12]), [0.0, 3 / 7 / 12])


def test_float_parameters_are_read_exactly():
    # floats are dyadic rationals: 0.1 is not 1/10; the kinks differ by 5.6e-18, which L^∞ barely sees
    # and W^{1,∞} sees as the whole jump 1 (why realization-preserving operations are done exactly)
    a = ShallowReLUNet([[1.0]], [-0.1], [1.0])
    b = ShallowReLUNet([[F(1)]], [F(-1, 10)], [F(1)])
    assert S.sobolev_distance(a, b, (0, 1), k=0).value == abs(F(0.1) - F(1, 10))
    assert S.sobolev_distance(a, b, (0, 1), k=1).value == 1


def test_moving_a_kink_costs_its_jump_in_w1():
    # W^{1,∞} sees any move of a kink of jump J as at least J (the derivative differs by J on the gap)
    J = F(5, 3)
    for eta in (F(1, 2), F(1, 2**20), F(1, 2**60)):
        d = S.sobolev_distance(net([(1, 0, J)]), net([(1, -eta, J)]), (-1, 1))
        assert d.sup_derivative == J and d.sup_value == J * eta


def test_sampled_distance_exact_on_breakpoints():
    Phi = net([(1, F(-1, 3), F(3, 7)), (-2, F(1, 5), F(-1, 2))], F(1, 9))
    Psi = net([(1, F(-1, 2), F(3, 7)), (3, 1, F(1, 4))])
    h = S.difference_1d(Phi, Psi, (-1, 1))
    exact = S.sobolev_distance(Phi, Psi, (-1, 1)).value
    assert S.sampled_distance(Phi, Psi, h.points) == exact
    assert S.sampled_distance(Phi, Psi, list(np.linspace(-1, 1, 101))) <= exact
    assert S.sampled_distance(Phi, Psi, h.points, k=0) == S.sobolev_distance(Phi, Psi, (-1, 1), k=0).value


# ---- certified m-D bound --------------------------------------------------------------------------
def _lift(net1, d=2):
    """The 1-D net as a d-D net depending on x₁ only."""
    X = net1.to_exact()
    a = np.zeros((X.width, d), dtype=object)
    a[:, :] = F(0)
    a[:, 0] = X.a[:, 0]
    return ShallowReLUNet(a, X.b, X.c, X.e)


@pytest.mark.parametrize("k", [0, 1])
def test_certified_interval_contains_the_exact_1d_value(k):
    Phi = net([(1, F(-1, 3), F(3, 7)), (-2, F(1, 5), F(-1, 2))], F(1, 9))
    Psi = net([(1, F(-1, 2), F(3, 7)), (3, 1, F(1, 4))])
    exact = float(S.sobolev_distance(Phi, Psi, (-1, 1), k=k).value)
    box = ([-1, -2], [1, 3])
    prev = math.inf
    for cells in (4, 16, 64):
        d = S.sobolev_distance(_lift(Phi), _lift(Psi), box, k=k, cells=cells)
        assert not d.exact
        assert d.lower <= exact + 1e-12 and exact <= d.upper + 1e-12
        assert d.upper <= prev + 1e-12  # nested grids: the upper bound cannot grow
        prev = d.upper
    assert d.upper - d.lower < 0.05 * exact  # closes as the grid refines
    # the 1-D call of the certified routine brackets the exact value too
    c1 = S.certified_distance(Phi, Psi, (-1, 1), k=k, cells=256)
    assert c1.lower <= exact <= c1.upper


def test_certified_2d_known_value():
    # h = ρ(x₁ + x₂) on [0, 1]²: sup 2 at (1, 1), gradient (1, 1): W^{1,∞} norm 2
    Phi = ShallowReLUNet([[1.0, 1.0]], [0.0], [1.0])
    Psi = ShallowReLUNet([[0.0, 0.0]], [0.0], [0.0])
    d = S.sobolev_distance(Phi, Psi, ([0, 0], [1, 1]), cells=32)
    assert d.lower == pytest.approx(2.0, abs=1e-10) and d.upper == pytest.approx(2.0, abs=1e-10)
    assert d.sup_derivative <= 1.0 + 1e-10


def test_certified_bounds_dense_samples_in_3d():
    rng = np.random.default_rng(3)
    Phi = ShallowReLUNet(rng.standard_normal((5, 3)), rng.standard_normal(5), rng.standard_normal(5), 0.3)
    Psi = ShallowReLUNet(rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal(4))
    box = ([-1, -1, -1], [1, 1, 1])
    d = S.sobolev_distance(Phi, Psi, box, k=0, cells=12)
    X = rng.uniform(-1, 1, (20000, 3))
    sampled = np.abs(realize(Phi, X) - realize(Psi, X)).max()
    assert sampled <= d.upper and d.lower <= d.upper


# ---- the restricted set ---------------------------------------------------------------------------
@pytest.mark.parametrize("Phi, failed", [
    (net([(1, 0, 1)]), ()),
    (net([(1, 0, 2)]), ("balanced",)),
    (net([(F(3, 5), F(4, 5), 1)]), ("kink_in_interior",)),  # kink at −4/3
    (net([(F(3, 5), F(4, 5), 1)]), ("kink_in_interior",)),
    (net([(1, 0, 1), (2, 0, 2)]), ("distinct_directions",)),
    (net([(1, 0, 1), (2, 0, 3)]), ("balanced", "distinct_directions")),
    (net([(1, 0, 1), (-1, 0, 1)]), ("not_antipodal",)),
    (net([(0, 1, 1)]), ("kink_in_interior",)),
    (net([(1, 0, 0)]), ("balanced",)),
])
def test_is_restricted_names_the_failing_condition(Phi, failed):
    chk = S.is_restricted(Phi, (-1, 1))
    assert chk.failed == failed and bool(chk) == (not failed)


def test_oriented_condition():
    left = net([pythagorean_neuron(F(1, 4), F(1), 1, -1)])
    assert S.is_restricted(left, (-1, 1)).ok
    chk = S.is_restricted(left, (-1, 1), oriented=True)
    assert chk.failed == ("oriented",) and chk.failures["oriented"] == (0,)


def test_restrict_every_degeneracy_exactly():
    u = pythagorean_neuron(F(1, 4), F(1))
    Phi = net([
        (0, 0, 5),                      # a = b = 0: the constant 5ρ(0) = 0
        (1, F(1, 2), 0),                # c = 0
        (0, 2, 3),                      # constant 3ρ(2) = 6
        (1, -3, 7),                     # inactive on [−1, 1]
        (1, 4, 2),                      # affine on [−1, 1]: 2(x + 4)
        (u[0], u[1], 1), (2 * u[0], 2 * u[1], -F(1, 2)),  # same direction: cancel
        (1, F(1, 2), 1), (-3, -F(3, 2), 2),                # opposite directions at −1/2
        (F(1, 2), F(-1, 8), 3),         # an ordinary unbalanced neuron at 1/4
    ], F(1, 3))
    res = S.restrict(Phi, (-1, 1))
    assert res.removed["zero"] == 1 and res.removed["constant"] == 2 and res.removed["inactive"] == 1
    assert res.removed["affine"] == 1 and res.removed["cancelled"] == 1
    assert res.removed["merged_same"] == 1 and res.removed["merged_opposite"] == 1
    assert S.is_restricted(res.net, (-1, 1)).ok
    # R(Φ) = R(net) + slope·x on D, exactly, at every breakpoint and the ends
    for x in [F(-1), F(-1, 2), F(-1, 4), F(1, 4), F(1), F(1, 7)]:
        assert realize_exact(Phi, x) == realize_exact(res.net, x) + res.slope[0] * x
    assert not res.preserves_realization
    absorbed = S.absorb_slope(res, (-1, 1), F(1, 2**20))
    assert S.is_restricted(absorbed, (-1, 1)).ok and absorbed.width == res.net.width + 1
    h = S.difference_1d(absorbed, Phi, (-1, 1))
    assert h.sup_abs() <= abs(res.slope[0]) * F(1, 2**20)


def test_restrict_fixes_restricted_input_and_is_idempotent():
    rng = np.random.default_rng(0)
    for oriented in (False, True):
        Phi = S.random_restricted_net(rng, 5, (-1, 1), oriented=oriented)
        res = S.restrict(Phi, (-1, 1), oriented=oriented)
        assert res.preserves_realization and res.removed == {k: 0 for k in res.removed}
        assert np.array_equal(res.net.a, Phi.a) and np.array_equal(res.net.c, Phi.c)
        again = S.restrict(res.net, (-1, 1), oriented=oriented)
        assert np.array_equal(again.net.b, res.net.b)


def test_restrict_oriented_flips_make_an_affine_part():
    Phi = net([pythagorean_neuron(F(1, 4), F(1), 1, -1)])
    res = S.restrict(Phi, (-1, 1), oriented=True)
    assert res.removed["flipped"] == 1 and S.is_restricted(res.net, (-1, 1), oriented=True).ok
    for x in [F(-1), F(0), F(1, 3)]:
        assert realize_exact(Phi, x) == realize_exact(res.net, x) + res.slope[0] * x


# ---- parameter distances --------------------------------------------------------------------------
def test_bottleneck_assignment_matches_brute_force():
    rng = np.random.default_rng(1)
    for n in (1, 2, 4, 6):
        for _ in range(10):
            cost = rng.integers(0, 9, (n, n)).astype(float)
            tau, perm = S.bottleneck_assignment(cost)
            best = min(max(cost[i, p[i]] for i in range(n)) for p in itertools.permutations(range(n)))
            assert tau == best and max(cost[i, perm[i]] for i in range(n)) == best


def test_param_distance_is_zero_on_the_symmetry_orbit():
    rng = np.random.default_rng(2)
    Phi = S.random_restricted_net(rng, 4, (-1, 1), oriented=False)
    X = Phi.to_exact()
    lam = [F(3), F(1, 5), F(7, 2), F(2)]
    perm = [2, 0, 3, 1]
    img = ShallowReLUNet(np.array([[X.a[i, 0] * lam[i]] for i in perm], dtype=object),
                         np.array([X.b[i] * lam[i] for i in perm], dtype=object),
                         np.array([X.c[i] / lam[i] for i in perm], dtype=object), X.e)
    assert S.sobolev_distance(Phi, img, (-1, 1)).value == 0
    assert S.param_distance(Phi, img).value < 1e-14
    assert S.orbit_distance(Phi, img).value < 1e-12
    assert S.raw_param_distance(Phi, img) > 1


def test_rescaled_neuron_distance_against_a_dense_grid():
    rng = np.random.default_rng(4)
    for _ in range(20):
        g, p = rng.standard_normal(3) * 3, rng.standard_normal(3) * 3
        lam = np.exp(np.linspace(-12, 12, 400001))
        brute = np.maximum(np.abs(lam[:, None] * p[None, :2] - g[None, :2]).max(axis=1), np.abs(p[2] / lam - g[2])).min()
        val = S.rescaled_neuron_distance(g, p)
        assert val <= brute + 1e-12 and val >= brute - 1e-4 * (1 + brute)


def test_compensating_flips_preserve_the_realization():
    # c₁a₁ + c₂a₂ = 2·1 + 1·(−2) = 0
    Phi = net([(1, F(1, 3), 2), (-2, F(1, 2), 1), (1, F(-1, 2), 1)], F(1, 5))
    flips = S.compensating_flips(Phi)
    assert flips == [(0, 1)]
    flipped = S.flip(Phi, (0, 1))
    assert S.sobolev_distance(Phi, flipped, (-3, 3)).value == 0
    assert S.param_distance(Phi, flipped).value > 0.5
    assert S.param_distance(Phi, flipped, flips=True).value < 1e-15
    assert not S.orbit_is_complete(net([(1, 3, 1)]), (-1, 1))  # kink outside D
    assert S.orbit_is_complete(Phi, (-1, 1))


# ---- families -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", S.PATHOLOGIES)
def test_family_closed_forms(name):
    rng = np.random.default_rng(5)
    base = S.random_restricted_net(rng, 2, (-1, 1), oriented=False)
    for b in (None, base):
        fam = S.pathology_family(name, s=F(1, 4), r=F(3, 4), base=b)
        for k in (16, 64, 256):
            Phi, Psi = fam.phi(k), fam.psi(k)
            assert S.sobolev_distance(Phi, Psi, fam.domain, k=fam.norm_k).value == fam.realization_distance(k)
            if fam.lower_bound is not None:
                d = S.orbit_distance(Phi, Psi).value if fam.distance == "orbit" else S.param_distance(Phi, Psi).value
                assert d >= fam.lower_bound(k) * (1 - 1e-12)
            if fam.restricted:
                assert S.is_restricted(Phi, fam.domain).ok and S.is_restricted(Psi, fam.domain).ok


def test_rescaling_family_is_harmless_once_balanced():
    fam = S.pathology_family("rescaling")
    ratios = []
    for k in (16, 256, 4096):
        Phi, Psi = fam.phi(k), fam.psi(k)
        w = float(S.sobolev_distance(Phi, Psi, fam.domain).value)
        ratios.append((S.orbit_distance(Phi, Psi).value / w**0.5, S.param_distance(Phi, Psi).value / w**0.5))
    raw, bal = zip(*ratios)
    assert raw[2] / raw[0] == pytest.approx(256**1.5, rel=0.01)  # k^{3/2}
    assert bal[2] == pytest.approx(bal[0], rel=1e-9)  # bounded


def test_sharp_pair_scales_exactly():
    rng = lambda: np.random.default_rng(6)  # noqa: E731
    Phi1, Gamma1 = S.sharp_pair(rng(), 1)
    w1 = S.sobolev_distance(Phi1, Gamma1, (-1, 1)).value
    p1 = S.param_distance(Phi1, Gamma1).value
    for k in (2, 8, 64):
        Phi, Gamma = S.sharp_pair(rng(), k)
        assert S.sobolev_distance(Phi, Gamma, (-1, 1)).value * k * k == w1
        assert S.param_distance(Phi, Gamma).value * k == pytest.approx(p1, rel=1e-12)
        assert S.is_restricted(Phi, (-1, 1), oriented=True).ok


def test_extremal_pair_attains_the_constant():
    C = S.inverse_stability_constant((-1, 1))
    assert C == pytest.approx(2 * math.sqrt(2) * 2**0.25)
    last = 0.0
    for eps, eta in [(F(1, 2**10), F(1, 2**6)), (F(1, 2**16), F(1, 2**9)), (F(1, 2**24), F(1, 2**12))]:
        Phi, Gamma = S.extremal_pair(eps, eta)
        assert S.sobolev_distance(Phi, Gamma, (-1, 1)).value == eps
        assert S.is_restricted(Phi, (-1, 1), oriented=True).ok and S.is_restricted(Gamma, (-1, 1), oriented=True).ok
        ratio = S.param_distance(Phi, Gamma).value / float(eps) ** 0.5
        assert last < ratio <= C
        last = ratio
    assert last > 0.999 * C
    assert S.extremal_ratio((-1, 1)) == pytest.approx(last)


def test_random_close_pairs_respect_the_bound():
    rng = np.random.default_rng(7)
    C = S.inverse_stability_constant((-1, 1))
    for k in (1, 4, 32):
        for _ in range(20):
            p = S.close_pair(rng, k)
            eps = float(S.sobolev_distance(p.Phi, p.Gamma, (-1, 1)).value)
            assert S.is_restricted(p.Phi, (-1, 1), oriented=True).ok
            if 0 < eps <= 1:
                assert S.param_distance(p.Phi, p.Gamma).value <= C * eps**0.5 * (1 + 1e-12)


# ---- the derivation -------------------------------------------------------------------------------
def test_derivation_every_equality_checked():
    d = S.derive_sobolev_distance()
    assert d.all_checked
    checked = [s for s in d.steps if s.checked]
    assert len(checked) >= 15
    md = d.to_markdown()
    assert "W^{1,∞}" in md and "2√2 (1+M²)^{1/4}" in md and "sharp" in md


def test_restrict_in_two_dimensions():
    # same direction (2, 1, 0) ~ (1, 1/2, 0); an inactive neuron; an affine one; a normal one
    Phi = ShallowReLUNet(np.array([[F(1), F(1, 2)], [F(2), F(1)], [F(1), F(0)], [F(0), F(1)], [F(1), F(-1)]],
                                  dtype=object),
                         np.array([F(0), F(0), F(-5), F(3), F(1, 4)], dtype=object),
                         np.array([F(1), F(-3), F(2), F(1, 2), F(1)], dtype=object), F(1))
    box = ([-1, -1], [1, 1])
    assert S.is_restricted(Phi, box).failed == ("balanced", "kink_in_interior", "distinct_directions")
    res = S.restrict(Phi, box)
    assert res.removed["merged_same"] == 1 and res.removed["inactive"] == 1 and res.removed["affine"] == 1
    assert S.is_restricted(res.net, box).ok and res.net.width == 2
    for x in itertools.product([F(-1), F(-1, 3), F(0), F(1, 2), F(1)], repeat=2):
        assert realize_exact(Phi, x) == realize_exact(res.net, x) + res.slope[0] * x[0] + res.slope[1] * x[1]
    # the carrier of the affine part differs from it only near a corner: the certified interval contains
    # the true L^∞ error (≤ ‖s‖₁ 2⁻³⁰) and closes like the cell size (only the corner cell is loose)
    carried = S.absorb_slope(res, box, F(1, 2**30))
    s1 = float(abs(res.slope[0]) + abs(res.slope[1]))
    ups = []
    for cells in (8, 32, 128):
        d = S.sobolev_distance(Phi, carried, box, k=0, cells=cells)
        assert d.lower <= s1 * 2**-30 + 1e-9
        ups.append(d.upper)
    assert ups[1] < ups[0] / 3 and ups[2] < ups[1] / 3


def test_rescaled_neuron_distance_is_exact():
    """The infimum sits at a vertex of the envelope: a line meeting the hyperbola (here λ = 1/√2)."""
    assert S.rescaled_neuron_distance(np.array([1.0, 0.0, 1.0]), np.array([2.0, 0.0, 1.0])) == pytest.approx(
        math.sqrt(2) - 1, rel=1e-15)
    # a rescaled copy is at distance 0; the infimum approached as λ → 0 when c_ψ = 0
    assert S.rescaled_neuron_distance(np.array([1.5, -0.5, 2.0]), np.array([3.0, -1.0, 1.0])) < 1e-15
    assert S.rescaled_neuron_distance(np.array([0.5, 0.25, 2.0]), np.array([7.0, 1.0, 0.0])) == pytest.approx(2.0)


def test_rescaled_distance_is_below_an_independent_search():
    """The exact infimum over rescalings never exceeds what a search attains (the cross-check of the orbit-distance
    claims), and the search comes within 1e-6 of it on random neuron pairs of mixed scales."""
    from theory.stability.api import rescaled_neuron_distance, rescaled_neuron_distance_search

    rng = np.random.default_rng(5)
    for _ in range(300):
        g = rng.normal(size=3) * rng.choice([0.01, 1.0, 100.0])
        p = rng.normal(size=3) * rng.choice([0.01, 1.0, 100.0])
        exact, search = rescaled_neuron_distance(g, p), rescaled_neuron_distance_search(g, p)
        assert exact <= search + 1e-9 * max(1.0, search)
        assert search - exact <= 1e-6 * max(1.0, exact)


def test_each_pathology_breaks_its_condition():
    """Each Section-2 family leaves the restricted set through the condition it is built to break (the pathology
    claims check it at every rung, so a lenient restricted-set test is noticed)."""
    from theory.stability.api import PATHOLOGIES, PATHOLOGY_VIOLATES, is_restricted, pathology_family

    assert set(PATHOLOGY_VIOLATES) == set(PATHOLOGIES)
    for name in PATHOLOGIES:
        fam = pathology_family(name)
        failed = {c for net in (fam.phi(16), fam.psi(16)) for c in is_restricted(net, fam.domain, oriented=True).failed}
        assert PATHOLOGY_VIOLATES[name] in failed, name
