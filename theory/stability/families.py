"""Closed-form families of shallow ReLU parametrizations for the inverse-stability paper (Berner,
Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803): each pathology of Section 2, the pairs that attain
the exponent ½ and the constant of Theorem 3.1, and seeded random restricted pairs.

Every family is exact (rational parameters, ``k`` a power of two) and 1-D on a box ``D = [l, u]``.

Pathologies are written in the form of the paper's definition of inverse stability: a reference
parametrization ``Φ_k`` (the Γ of Definition 1.1) and a parametrization ``Ψ_k`` of a nearby function
``g_k = R(Ψ_k)``. Along ``k`` the realization distance ``‖g_k − R(Φ_k)‖`` goes to 0 (or is 0) at a
predicted rate while the parameter distance from ``Φ_k`` to ``Ψ_k`` modulo the symmetries stays bounded
below or blows up: no Hölder inverse stability (``‖Φ − Γ‖ ≤ s ‖g − R(Γ)‖^{1/α}``) can hold along it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np
import sympy as sp

from theory.common.shallow_relu_net import (
    ShallowReLUNet,
    as_box,
    balance_neuron_exact,
    concat,
    pythagorean_neuron,
    s_for_kink,
    to_fraction,
)

PATHOLOGIES = ("rescaling", "uniform_norm", "inactive_affine", "same_direction", "opposite_directions",
               "compensating_flip")

#: the condition of the restricted set (Theorem 3.1's R1–R5, :func:`theory.stability.restricted.is_restricted`)
#: that each pathology of BEG 2019, Section 2, is built to break, in Φ_k or Ψ_k: unbalanced parameters (R1),
#: a neuron without a kink inside D (R2), two neurons of one direction (R3), an antipodal pair (R4), and the
#: orientation (R5) for the compensating flip, whose members both lie in R1–R4.
PATHOLOGY_VIOLATES: dict[str, str] = {
    "rescaling": "balanced",
    "uniform_norm": "balanced",
    "inactive_affine": "kink_in_interior",
    "same_direction": "distinct_directions",
    "opposite_directions": "not_antipodal",
    "compensating_flip": "oriented",
}


# ----------------------------------------------------------------------------------------------------
# small exact helpers
# ----------------------------------------------------------------------------------------------------
def _F(v) -> Fraction:
    return to_fraction(v)


def net_from_rows(rows, e=Fraction(0)) -> ShallowReLUNet:
    """An exact 1-D net from rows ``(a, b, c)`` (``rows`` may be empty only if you add neurons later)."""
    return ShallowReLUNet(np.array([[_F(r[0])] for r in rows], dtype=object),
                          np.array([_F(r[1]) for r in rows], dtype=object),
                          np.array([_F(r[2]) for r in rows], dtype=object), _F(e))


def kink_neuron(t, jump, sigma: int = 1) -> tuple[Fraction, Fraction, Fraction]:
    """The balanced neuron with kink ``t``, derivative jump ``jump`` and orientation ``σ``, exactly in
    realization: ``(σ, −σt, jump)`` rescaled by :func:`balance_neuron_exact` (the kink and the jump are
    kept exactly; ``|c| = ‖(a, b)‖`` to relative 1e-38)."""
    t, jump = _F(t), _F(jump)
    if jump == 0:
        raise ValueError("jump: expected a non-zero derivative jump")
    a, b, c = balance_neuron_exact([Fraction(sigma)], -sigma * t, jump)
    return a[0], b, c


def _rows(net: ShallowReLUNet | None) -> list[tuple]:
    if net is None:
        return []
    B = net.to_exact()
    return [(B.a[i, 0], B.b[i], B.c[i]) for i in range(B.width)]


def _pow2(k) -> Fraction:
    k = int(k)
    if k < 1 or k & (k - 1):
        raise ValueError(f"k: expected a power of two >= 1, got {k}")
    return Fraction(k)


def _dyadic(v: float, bits: int = 20) -> Fraction:
    return Fraction(int(round(v * 2**bits)), 2**bits)


def _pythagorean_near(t: float, r, sign_c: int = 1, sigma: int = 1) -> tuple[Fraction, Fraction, Fraction]:
    """An exactly balanced rational neuron (radius ``r``) whose kink is within ~1e-6 of ``t``."""
    return pythagorean_neuron(_dyadic(s_for_kink(t), 24), _F(r), sign_c, sigma)


# ----------------------------------------------------------------------------------------------------
# pathology families (Section 2)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PathologyFamily:
    """A closed-form family ``(Φ_k, Ψ_k)``, ``k = 1, 2, 4, …``, and its predicted behaviour.

    ``realization_rate``: exponent of ``dist_real(k) = ‖R(Ψ_k) − R(Φ_k)‖_{W^{norm_k,∞}(D)}`` (``None``:
    equal realizations on ``D`` for every ``k``), and ``realization_distance(k)`` its closed form (exact
    rational; the claims check the exact breakpoint computation against it). ``parameter_rate``: exponent of the parameter distance, which is
    ``"orbit"`` (:func:`theory.stability.symmetry.orbit_distance`: Φ_k as it is, Ψ_k over its symmetry
    orbit — Definition 1.1's quantity) or ``"balanced"`` (:func:`theory.stability.symmetry.param_distance`:
    both balanced, best permutation). ``lower_bound(k)``, where given, is a closed-form lower bound of
    that distance over *every* width-N parametrization of ``R(Ψ_k)`` on ``D`` (docstrings of
    :func:`pathology_family`). ``restricted``: both members lie in the set R1–R4."""

    name: str
    description: str
    phi: Callable[[int], ShallowReLUNet]
    psi: Callable[[int], ShallowReLUNet]
    domain: object
    realization_rate: float | None
    parameter_rate: float
    distance: str = "balanced"
    norm_k: int = 1
    restricted: bool = False
    realization_distance: Callable[[int], Fraction] | None = None
    lower_bound: Callable[[int], float] | None = None

    @property
    def amplification_rate(self) -> float | None:
        """Exponent of ``dist_param / dist_real^{1/2}`` (bounded if Theorem 3.1's conclusion held)."""
        if self.realization_rate is None:
            return None
        return self.parameter_rate - self.realization_rate / 2


def pathology_family(name: str, s: Fraction = Fraction(1, 4), r: Fraction = Fraction(1),
                     base: ShallowReLUNet | None = None, domain=(-1, 1)) -> PathologyFamily:
    """The named pathology as a closed-form family on ``D = [l, u]`` (exact rational parameters).

    ``s`` fixes a unit direction ``u = (u_a, u_b) = ((1 − s²), 2s)/(1 + s²)`` with kink
    ``t = −2s/(1 − s²)`` inside ``D`` (:func:`theory.common.shallow_relu_net.pythagorean_neuron`), ``r`` a radius
    or jump size, ``base`` a 1-D net added unchanged to both members (it makes the assignment problem
    non-trivial; its kinks must differ from the family's). ``k`` must be a power of two. Families
    (BEG 2019, Section 2), with ``K = k``:

    - ``rescaling`` (unbalanced parameters): ``Φ_k = (K u, 1/K²)`` realizes ``(u_a/K) ρ(x − t)``;
      ``Ψ_k = (−u, 1/K)`` realizes ``(u_a/K) ρ(t − x)``. ``‖R(Ψ_k) − R(Φ_k)‖_{W^{1,∞}} = (u_a/K) max(1,
      max_D |x − t|)``; the orbit of Ψ_k is complete and every member is ``~K`` from ``(K u, 1/K²)`` (its
      neuron at ``t`` has ``a < 0``, the others other kinks): amplification ``~ K^{3/2}``. Balanced,
      the same pair is at distance ``~ K^{−1/2} ~ dist^{1/2}``: balancedness removes the pathology.
    - ``uniform_norm``: ``Φ_k`` = two zero neurons, ``Ψ_k`` realizes ``f_K = K[ρ(x − t) − ρ(x − t − K^{−2})]``:
      ``‖f_K‖_∞ = 1/K`` but ``‖f_K‖_{W^{1,∞}} = K``. The orbit is complete; a rescaled ``(λ, −λt, K/λ)`` is
      ``≥ max(λ, K/λ) − ρ ≥ √K − ρ`` from any neuron with entries ``≤ ρ`` (ρ the base's largest entry; 0
      for the zero neurons, which are exactly ``√(K max(1, |t_j|))`` from the neuron with kink ``t_j``, so
      ``√(K max(1, |t|, |t + K⁻²|))`` without a base): lower bound ``√K − ρ``. Amplification in
      ``L^∞`` ``~ K``, in ``W^{1,∞}`` bounded.
    - ``inactive_affine``: ``Φ_k`` has a neuron inactive on ``D`` (radius ``K r``, kink ``≈ u + |D|/2``) and
      an affine one (kink ``l − K``, jump ``r``; ``e`` absorbs ``−r(K − 1)``); ``Ψ_k`` adds a bump
      ``(u_a r/K) ρ(x − t)`` in the inactive neuron's slot and puts the affine kink at ``l − 1``.
      ``dist_W = (u_a r/K) max(1, u − t)``; balanced distance ``~ K`` (inactive radius and the bias).
      Lower bound over every parametrization of ``R(Ψ_k)``: a neuron active somewhere on ``D`` differs from
      the inactive one by ``≥ K r v_a (t_out − u)/(1 + M)`` in ``(a, b)`` (``v`` its unit direction).
    - ``same_direction``: ``Φ_k = (K u, K) + (2K u, −K/2)`` (same direction, cancelling: realizes 0);
      ``Ψ_k`` = a bump ``(u'_a r/K) ρ(x − t')`` at the mirrored kink ``t' = −t`` and a zero neuron.
      ``dist_W ~ 1/K``, balanced distance ``~ K``: amplification ``~ K^{3/2}``.
    - ``opposite_directions`` (equal realizations): opposite pairs ``K[ρ(K u·) − ρ(−K u·)] = K² u·(x, 1)`` at
      the kinks ``t`` (``Φ_k``) and ``−t`` (``Ψ_k``) realize the same function once ``e`` absorbs
      ``2K²u_b``: distance ``2K²|u_b|`` (the bias) while the realizations agree exactly.
    - ``compensating_flip``: two neurons of radius ``r`` with kinks ``t(s)``, ``t(−s + 2^{−5}/K)`` and
      ``c = ±r``; ``Ψ_k`` flips both (``e`` adjusted). Both lie in R1–R4; the realizations differ by
      ``−(c₁a₁ + c₂a₂) x`` with ``c₁a₁ + c₂a₂ = O(1/K)``, the parameters by ``≈ 2r``: amplification ``~ K^{1/2}``.
    """
    if name not in PATHOLOGIES:
        raise ValueError(f"name: expected one of {PATHOLOGIES}, got {name!r}")
    box = as_box(domain)
    if box.dim != 1:
        raise ValueError(f"domain: pathology families are 1-D, got d = {box.dim}")
    s, r = _F(s), _F(r)
    if not r > 0:
        raise ValueError(f"r: expected a positive radius, got {r}")
    lo, up = box.lower[0], box.upper[0]
    B = _rows(base)
    eB = base.to_exact().e if base is not None else Fraction(0)
    u = pythagorean_neuron(s, Fraction(1))  # unit direction (u_a, u_b), c = 1
    t = -u[1] / u[0]
    if not lo < t < up:
        raise ValueError(f"s: the kink t = {float(t)} must lie inside the domain")
    M = float(box.radius)
    base_norm = max((float(abs(v)) for row in B for v in row), default=0.0)

    if name == "rescaling":
        def phi(k):
            K = _pow2(k)
            return net_from_rows(B + [(K * u[0], K * u[1], 1 / K**2)], eB)

        def psi(k):
            K = _pow2(k)
            return net_from_rows(B + [(-u[0], -u[1], 1 / K)], eB)

        return PathologyFamily(
            name, "unbalanced (K u, 1/K²) vs (−u, 1/K): realizations 1/K apart, orbit distance ~K",
            phi, psi, box, *_rates(name), distance="orbit",
            realization_distance=lambda k: u[0] / _pow2(k) * max(Fraction(1), t - lo, up - t))
    if name == "uniform_norm":
        return PathologyFamily(
            name, "f_K = K[ρ(x−t) − ρ(x−t−K⁻²)]: ‖f_K‖_∞ = 1/K but derivative jump K",
            lambda k: net_from_rows(B + [(0, 0, 0), (0, 0, 0)], eB),
            lambda k: net_from_rows(B + [(1, -t, _pow2(k)), (1, -t - 1 / _pow2(k) ** 2, -_pow2(k))], eB),
            box, *_rates(name), distance="orbit", norm_k=0,
            realization_distance=lambda k: _uniform_norm_distance(k, t, up),
            lower_bound=lambda k: math.sqrt(float(_pow2(k))) - base_norm)
    if name == "inactive_affine":
        t_out = float(up + (up - lo) / 2)
        v = _pythagorean_near(t_out, 1)  # unit direction of the inactive neuron, kink right of D
        t_v = -v[1] / v[0]

        def phi(k):
            K = _pow2(k)
            return net_from_rows(B + [(K * r * v[0], K * r * v[1], K * r), (1, -(lo - K), r)], eB - r * (K - 1))

        def psi(k):
            K = _pow2(k)
            return net_from_rows(B + [(u[0], u[1], r / K), (1, -(lo - 1), r)], eB)

        return PathologyFamily(
            name, "a neuron inactive on D (radius ~K) and an affine one (kink l−K) vs a bump of size 1/K",
            phi, psi, box, *_rates(name),
            realization_distance=lambda k: u[0] * r / _pow2(k) * max(Fraction(1), up - t),
            lower_bound=lambda k: float(_pow2(k) * r * v[0] * (t_v - up)) / (1 + M))
    if name == "same_direction":
        w = pythagorean_neuron(-s, Fraction(1))  # mirrored kink −t

        def phi(k):
            K = _pow2(k)
            return net_from_rows(B + [(K * u[0], K * u[1], K), (2 * K * u[0], 2 * K * u[1], -K / 2)], eB)

        def psi(k):
            K = _pow2(k)
            return net_from_rows(B + [(w[0], w[1], r / K), (0, 0, 0)], eB)

        return PathologyFamily(
            name, "(Ku, K) + (2Ku, −K/2): same direction, cancelling, vs a bump of size 1/K",
            phi, psi, box, *_rates(name),
            realization_distance=lambda k: w[0] * r / _pow2(k) * max(Fraction(1), up + t))
    if name == "opposite_directions":
        def phi(k):
            K = _pow2(k)
            return net_from_rows(B + [(K * u[0], K * u[1], K), (-K * u[0], -K * u[1], -K)], eB)

        def psi(k):
            K = _pow2(k)
            return net_from_rows(B + [(K * u[0], -K * u[1], K), (-K * u[0], K * u[1], -K)], eB + 2 * K * K * u[1])

        return PathologyFamily(
            name, "opposite pairs K[ρ(Ku·) − ρ(−Ku·)] = K²u·(x,1) at kinks ±t: same realization",
            phi, psi, box, *_rates(name), realization_distance=lambda k: Fraction(0))
    # compensating_flip
    n1 = pythagorean_neuron(s, r, sign_c=1)

    def n2(k):
        return pythagorean_neuron(-s + Fraction(1, 32) / _pow2(k), r, sign_c=-1)

    def phi(k):
        return net_from_rows(B + [n1, n2(k)], eB)

    def psi(k):
        m = n2(k)
        return net_from_rows(B + [(-n1[0], -n1[1], n1[2]), (-m[0], -m[1], m[2])], eB + n1[2] * n1[1] + m[2] * m[1])

    return PathologyFamily(
        name, "two restricted neurons with c₁a₁ + c₂a₂ = O(1/K) flipped together: both in R1–R4",
        phi, psi, box, *_rates(name), distance="orbit", restricted=True,
        realization_distance=lambda k: abs(n1[2] * n1[0] + n2(k)[2] * n2(k)[0]) * max(Fraction(1), box.radius))


# ----------------------------------------------------------------------------------------------------
# the predicted exponents, exactly
# ----------------------------------------------------------------------------------------------------
#: ``(ρ, p)`` of each family: ``dist_real(k) ~ k^ρ`` (``None``: equal realizations) and the parameter distance
#: ``~ k^p`` (derivations in :func:`pathology_exponent`); the floats of :func:`pathology_family` are these
PATHOLOGY_RATES: dict[str, tuple[sp.Rational | None, sp.Rational]] = {
    "rescaling": (sp.Integer(-1), sp.Integer(1)),
    "uniform_norm": (sp.Integer(-1), sp.Rational(1, 2)),
    "inactive_affine": (sp.Integer(-1), sp.Integer(1)),
    "same_direction": (sp.Integer(-1), sp.Integer(1)),
    "opposite_directions": (None, sp.Integer(2)),
    "compensating_flip": (sp.Integer(-1), sp.Integer(0)),
}


def pathology_exponent(name: str) -> sp.Rational:
    """The exponent of ``k`` that a pathology family predicts for its measured quantity (BEG 2019, Section 2;
    families of :func:`pathology_family`), exactly: the amplification ``dist_param / dist_real^{1/2} ~ k^{p − ρ/2}``
    where the realizations differ (``dist_real ~ k^ρ``, ``dist_param ~ k^p``: :data:`PATHOLOGY_RATES`), the
    parameter distance ``~ k^p`` itself where they agree. Inverse stability with exponent ½ (Definition 1.1,
    Theorem 3.1) would keep the amplification bounded, so every positive exponent is a pathology.

    - ``rescaling``: ``dist_W = (u_a/k) max(1, max_D |x − t|)``, ``ρ = −1``; Φ_k's neuron ``(k u, 1/k²)`` is
      ``~k`` from every member of Ψ_k's orbit, ``p = 1``: ``1 + ½ = 3/2``.
    - ``uniform_norm`` (in ``L^∞``): ``‖f_k‖_∞ = 1/k``, ``ρ = −1``; the orbit distance is ``√(k max(1, |t|))``,
      ``p = ½``: ``½ + ½ = 1``.
    - ``inactive_affine``: ``dist_W = (u_a r/k) max(1, u − t)``, ``ρ = −1``; the inactive neuron's radius ``k r``,
      ``p = 1``: ``3/2``.
    - ``same_direction``: ``dist_W = (w_a r/k) max(1, u + t)``, ``ρ = −1``; the cancelling pair has radii ``~k``,
      ``p = 1``: ``3/2``.
    - ``opposite_directions``: equal realizations; the output bias ``2k²|u_b|``, ``p = 2``: the distance ``~k²``.
    - ``compensating_flip``: ``dist_W = |c₁a₁ + c₂a₂| = O(1/k)``, ``ρ = −1``; the flipped neurons stay ``≈ 2r``
      apart, ``p = 0``: ``0 + ½ = ½``.
    """
    if name not in PATHOLOGY_RATES:
        raise ValueError(f"name: expected one of {PATHOLOGIES}, got {name!r}")
    rho, p = PATHOLOGY_RATES[name]
    return p if rho is None else p - rho / 2


def _rates(name: str) -> tuple[float | None, float]:
    """:data:`PATHOLOGY_RATES` of ``name`` as the floats of :class:`PathologyFamily`."""
    rho, p = PATHOLOGY_RATES[name]
    return (None if rho is None else float(rho)), float(p)


def inverse_stability_exponent() -> sp.Rational:
    """The exponent ½ of Theorem 3.1 (BEG 2019, with the orientation condition R5; docs/stability.md): the
    modulus of continuity of the inverse on R1–R5 is ``ω(ε) ~ ε^{1/2}``. A neuron relocated with a derivative
    jump ``J ~ ε`` changes the realization by ``~ε`` in ``W^{1,∞}``, while balanced (``|c| = ‖(a, b)‖``) its
    radius is ``r = (|J| √(1 + t²))^{1/2} ~ ε^{1/2}``: the parameters move by ``~ε^{1/2}`` — the power ½ of
    ``r² = |J|√(1 + t²)``, no better exponent is possible, and the constant ``2√2(1 + M²)^{1/4}``
    (:func:`theory.stability.derivation.inverse_stability_constant`) bounds every pair."""
    J, t = sp.symbols("J t", positive=True)
    radius = sp.sqrt(J * sp.sqrt(1 + t**2))
    return sp.Rational(sp.simplify(J * sp.diff(radius, J) / radius))


# ----------------------------------------------------------------------------------------------------
# random restricted networks and pairs (seeded generators for the claims)
# ----------------------------------------------------------------------------------------------------
def _s_between(rng: np.random.Generator, t1: float, t2: float) -> Fraction:
    """A dyadic ``s`` whose Pythagorean kink lies between ``t1`` and ``t2`` (``t(s)`` is decreasing)."""
    lo, hi = sorted((s_for_kink(t1), s_for_kink(t2)))
    return _dyadic(rng.uniform(lo, hi))


def random_kinks_s(rng: np.random.Generator, n: int, domain, margin: float = 0.02) -> list[Fraction]:
    """``n`` distinct dyadic ``s`` whose Pythagorean kinks ``t(s)`` lie in the interior of ``D``, at least
    ``margin·|D|`` from its ends."""
    box = as_box(domain)
    lo, up = float(box.lower[0]), float(box.upper[0])
    w = (up - lo) * margin
    s_hi, s_lo = s_for_kink(lo + w), s_for_kink(up - w)  # t(s) decreases in s
    out: list[Fraction] = []
    while len(out) < n:
        v = _dyadic(rng.uniform(s_lo, s_hi))
        if v not in out:
            out.append(v)
    return out


def random_restricted_net(rng: np.random.Generator, width: int, domain=(-1, 1), oriented: bool = True,
                          radius: tuple[float, float] = (0.5, 2.0)) -> ShallowReLUNet:
    """A random exactly-balanced rational 1-D net in the restricted set (R1–R4; R5 if ``oriented``):
    distinct Pythagorean kinks inside ``D``, dyadic radii in ``radius``, random output signs (and random
    orientations unless ``oriented``), ``e`` dyadic in ``[−1, 1]``."""
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width: expected a positive integer width, got {width!r}")
    ss = random_kinks_s(rng, int(width), domain)
    rows = []
    for sv in ss:
        rr = _dyadic(rng.uniform(*radius), 10)
        sign = 1 if rng.random() < 0.5 else -1
        sigma = 1 if oriented or rng.random() < 0.5 else -1
        rows.append(pythagorean_neuron(sv, rr, sign, sigma))
    return net_from_rows(rows, _dyadic(rng.uniform(-1, 1), 10))


@dataclass(frozen=True)
class ClosePair:
    """Two oriented restricted nets (R1–R5); ``move`` says how Φ was obtained from Γ."""

    Phi: ShallowReLUNet
    Gamma: ShallowReLUNet
    move: str


def close_pair(rng: np.random.Generator, k: int, big: int = 3, small: int = 2, domain=(-1, 1)) -> ClosePair:
    """A random pair in the oriented restricted set (R1–R5) at scale ``k``: Γ has ``big`` neurons of radius
    in ``[1/2, 2]`` and ``small`` neurons of radius ``~1/k``; Φ is Γ after one kind of move:

    - ``jumps``: every big radius ``r ↦ r(1 + δ/k²)`` (kinks kept), ``e ↦ e + η/k²`` (Lipschitz regime);
    - ``relocate``: every small neuron moved to a fresh kink with a fresh output sign (the ½ regime);
    - ``ends``: the small neurons are replaced by ones with opposite output signs at the other end of ``D``;
    - ``mixed``: all of the above.
    """
    box = as_box(domain)
    K = Fraction(int(k))
    ss = random_kinks_s(rng, big + small, box)
    rows_g, rows_f = [], []
    move = ("jumps", "relocate", "ends", "mixed")[int(rng.integers(0, 4))]
    for i in range(big):
        rr = _dyadic(rng.uniform(0.5, 2.0), 10)
        sign = 1 if rng.random() < 0.5 else -1
        rows_g.append(pythagorean_neuron(ss[i], rr, sign))
        if move in ("jumps", "mixed"):
            rr = rr * (1 + _dyadic(rng.uniform(-0.5, 0.5), 10) / K**2)
        rows_f.append(pythagorean_neuron(ss[i], rr, sign))
    lo, up = float(box.lower[0]), float(box.upper[0])
    w = up - lo
    for i in range(small):
        rr = _dyadic(rng.uniform(0.25, 1.0), 10) / K
        if move == "ends":
            sg = sf = ss[0]
            while sg in ss or sf in ss:  # distinct from the big kinks (keeps both nets in R3)
                sg = _s_between(rng, lo + 0.02 * w, lo + 0.1 * w)
                sf = _s_between(rng, up - 0.1 * w, up - 0.02 * w)
            ss = ss + [sg, sf]
            sign = 1 if rng.random() < 0.5 else -1
            rows_g.append(pythagorean_neuron(sg, rr, sign))
            rows_f.append(pythagorean_neuron(sf, rr, -sign))
            continue
        sign = 1 if rng.random() < 0.5 else -1
        rows_g.append(pythagorean_neuron(ss[big + i], rr, sign))
        if move in ("relocate", "mixed"):
            sf = ss[0]
            while sf in ss:  # a fresh kink, distinct from every kink of Γ (keeps Φ in R3)
                sf = random_kinks_s(rng, 1, box)[0]
            ss = ss + [sf]
            rr2 = _dyadic(rng.uniform(0.25, 1.0), 10) / K
            rows_f.append(pythagorean_neuron(sf, rr2, 1 if rng.random() < 0.5 else -1))
        else:
            rows_f.append(rows_g[-1])
    e = _dyadic(rng.uniform(-1, 1), 10)
    ef = e + (_dyadic(rng.uniform(-1, 1), 10) / K**2 if move in ("jumps", "mixed") else 0)
    return ClosePair(net_from_rows(rows_f, ef), net_from_rows(rows_g, e), move)


def random_pair(rng: np.random.Generator, width: int = 4, domain=(-1, 1),
                log2_radius: tuple[float, float] = (-9.0, 1.0)) -> ClosePair:
    """A scale-free random pair in the oriented restricted set (R1–R5), for the modulus of continuity.

    Γ: ``width`` neurons with distinct Pythagorean kinks inside ``D``, radii ``2^U`` with
    ``U ~ Uniform(log2_radius)`` (dyadic), random output signs, ``e`` dyadic in ``[−1, 1]``. Φ: one or two
    neurons of Γ (chosen at random) moved — each either has its radius multiplied by ``1 ± 2^{U(−12, −1)}``
    (kink kept) or is relocated to a fresh kink with radius ``r 2^{U(−1, 1)}`` and a random output sign —
    and, with probability ½, ``e`` shifted by ``± 2^{U(−20, −2)}``. Nothing in the draw depends on a target
    distance, so the modulus ``ω(ε) = max{dist_param : dist_W ≤ ε}`` over many pairs is a measurement, not
    a construction."""
    box = as_box(domain)
    lo2, hi2 = log2_radius
    ss = random_kinks_s(rng, width, box)
    radii = [_dyadic(2.0 ** rng.uniform(lo2, hi2), 40) for _ in range(width)]
    signs = [1 if rng.random() < 0.5 else -1 for _ in range(width)]
    rows_g = [pythagorean_neuron(ss[i], radii[i], signs[i]) for i in range(width)]
    rows_f = list(rows_g)
    moved = rng.choice(width, size=min(width, 1 + int(rng.random() < 0.5)), replace=False)
    moves = []
    for i in moved:
        if rng.random() < 0.5:
            f = 1 + (1 if rng.random() < 0.5 else -1) * 2.0 ** rng.uniform(-12, -1)
            rows_f[i] = pythagorean_neuron(ss[i], _dyadic(float(radii[i]) * f, 50), signs[i])
            moves.append("jump")
        else:
            sf = ss[0]
            while sf in ss:
                sf = random_kinks_s(rng, 1, box)[0]
            ss = ss + [sf]
            r2 = _dyadic(float(radii[i]) * 2.0 ** rng.uniform(-1, 1), 50)
            rows_f[i] = pythagorean_neuron(sf, r2, 1 if rng.random() < 0.5 else -1)
            moves.append("relocate")
    e = _dyadic(rng.uniform(-1, 1), 10)
    ef = e
    if rng.random() < 0.5:
        ef = e + (1 if rng.random() < 0.5 else -1) * _dyadic(2.0 ** rng.uniform(-20, -2), 40)
        moves.append("bias")
    return ClosePair(net_from_rows(rows_f, ef), net_from_rows(rows_g, e), "+".join(moves))


def sharp_pair(rng: np.random.Generator, k: int, big: int = 3, domain=(-1, 1)) -> tuple[ShallowReLUNet, ShallowReLUNet]:
    """A family attaining the exponent ½ (oriented, restricted): a common random base of ``big`` neurons
    plus one small neuron of radius ``ϱ/k`` near the left end (output sign +) in Γ_k and near the right
    end (sign −) in Φ_k. Parameters scale exactly like ``1/k`` and the realization difference exactly like
    ``1/k²`` (powers of two), so ``d log dist_param / d log dist_real = ½``. Returns ``(Φ_k, Γ_k)``."""
    box = as_box(domain)
    lo, up = float(box.lower[0]), float(box.upper[0])
    w = up - lo
    base = net_from_rows([pythagorean_neuron(sv, _dyadic(rng.uniform(0.5, 2.0), 10), 1 if rng.random() < 0.5 else -1)
                          for sv in random_kinks_s(rng, big, box, margin=0.12)], _dyadic(rng.uniform(-1, 1), 10))
    rr = _dyadic(rng.uniform(0.5, 1.0), 10) / int(k)
    # the small kinks lie within 10% of the ends, the base kinks at least 12% away: all distinct
    sg = _s_between(rng, lo + 0.03 * w, lo + 0.1 * w)
    sf = _s_between(rng, up - 0.1 * w, up - 0.03 * w)
    Gamma = concat(base, net_from_rows([pythagorean_neuron(sg, rr, 1)]))
    Phi = concat(base, net_from_rows([pythagorean_neuron(sf, rr, -1)]))
    return Phi, Gamma


def _uniform_norm_distance(k, t, up) -> Fraction:
    """``‖R(Ψ_k) − R(Φ_k)‖_∞ = 1/k`` for the uniform-norm family (the bump of height ``k · k⁻²``), valid while its
    second kink ``t + k⁻²`` stays in ``D``."""
    if t + 1 / _pow2(k) ** 2 > up:
        raise ValueError(f"k: the uniform-norm family's second kink t + 1/k² leaves D for k = {k} (t = {t})")
    return 1 / _pow2(k)


def extremal_pair(eps, eta, domain=(-1, 1), R=1) -> tuple[ShallowReLUNet, ShallowReLUNet]:
    """The configuration that attains the constant ``C = 2√2(1 + u²)^{1/4}`` of Theorem 3.1 (1-D, R1–R5)
    as ``η, ε → 0`` (``u`` the right end of ``D``). Returns ``(Φ, Γ)`` with ``‖R(Φ) − R(Γ)‖_{W^{1,∞}} = ε``.

    With ``h = R(Φ) − R(Γ)``: ``h' = 0`` on ``(l, m)`` (``m = max((l+u)/2, u − 1)``); a shared neuron of
    radius ``~R`` at ``m`` lowers ``h'`` to ``−ε``; Γ's unmatched neuron at ``t₂ = u − 3η`` (jump ``−2ε``)
    raises it to ``+ε``; a shared neuron at ``t₃ = u − 2η`` lowers it to ``−ε``; Φ's unmatched neuron at
    ``t₁ = u − η`` (jump ``+2ε``) raises it to ``+ε``. Then ``|h'| ≤ ε`` and ``|h| ≤ ε(t₂ − m) ≤ ε``. The
    two unmatched neurons have radii ``(2ε√(1+t²))^{1/2}`` and opposite output signs: their ``c`` differ by
    the sum of the radii, ``→ 2√2 (1+u²)^{1/4} ε^{1/2}``; the shared neurons move by ``O(ε/R)``. Jumps are
    exact (:func:`kink_neuron`), so ``ε`` is exact."""
    box = as_box(domain)
    if box.dim != 1:
        raise ValueError(f"domain: expected a 1-D domain, got d = {box.dim}")
    eps, eta, R = _F(eps), _F(eta), _F(R)
    lo, up = box.lower[0], box.upper[0]
    m = max((lo + up) / 2, up - 1)
    if not (eps > 0 and R > 0):
        raise ValueError("eps, R: expected positive numbers")
    if not (0 < 3 * eta < up - m):
        raise ValueError(f"eta: expected 0 < 3 eta < {float(up - m)}")
    t1, t3, t2 = up - eta, up - 2 * eta, up - 3 * eta
    Jm, J3 = R * R / 2, -R * R / 3  # shared neurons' jumps in Γ
    Gamma = net_from_rows([kink_neuron(m, Jm), kink_neuron(t3, J3), kink_neuron(t2, -2 * eps)])
    Phi = net_from_rows([kink_neuron(m, Jm - eps), kink_neuron(t3, J3 - 2 * eps), kink_neuron(t1, 2 * eps)])
    return Phi, Gamma


# ----------------------------------------------------------------------------------------------------
# the worst case of a finite move set, scaled to a given realization distance (modulus of continuity)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModulusMove:
    """One way to obtain Φ from Γ = ``base`` (+ a small neuron), scaled linearly in an amplitude ``A``:

    - ``relocate``: Γ has an extra neuron of jump ``s_g A`` at ``t_g``, Φ one of jump ``s_f α A`` at ``t_f``;
    - ``jump``: the jump of base neuron ``index`` changes by ``s_g A`` (kink kept);
    - ``bias``: the output bias changes by ``s_g A``.

    The realization difference is ``A`` times a fixed piecewise-linear function ``h₁`` (the base cancels), so
    ``‖R(Φ) − R(Γ)‖_{W^{1,∞}} = A w`` with ``w = ‖h₁‖_{W^{1,∞}}`` exact: ``A = ε / w`` gives distance ``ε``
    exactly."""

    kind: str
    t_g: Fraction = Fraction(0)
    t_f: Fraction = Fraction(0)
    s_g: int = 1
    s_f: int = 1
    alpha: Fraction = Fraction(1)
    index: int = 0


def modulus_instance(rng: np.random.Generator, big: int = 3, moves: int = 12, domain=(-1, 1)):
    """A random oriented restricted base (R1–R5: ``big`` Pythagorean neurons of radius in ``[3/4, 2]``, kinks
    at least 5 % of ``|D|`` from the ends, ``e`` dyadic) and ``moves`` random :class:`ModulusMove` s (about
    half relocations of a small neuron, the rest jump changes of a base neuron and bias shifts). Kinks of the
    small neurons are distinct from the base's (R3); a base jump is ``≥ 9/16 · 0.74 > 1/4`` in size, so a jump
    change of amplitude ``≤ 1/4`` keeps it non-zero. Returns ``(base rows, e, moves)``."""
    box = as_box(domain)
    ss = random_kinks_s(rng, big, box, margin=0.05)
    rows = [pythagorean_neuron(sv, _dyadic(rng.uniform(0.75, 2.0), 10), 1 if rng.random() < 0.5 else -1)
            for sv in ss]
    taken = {r[1] / r[0] for r in rows}
    out = []
    for i in range(int(moves)):
        u = rng.random()
        sg = 1 if rng.random() < 0.5 else -1
        if i % 2 == 0 or u < 0.5:
            while True:
                t_g, t_f = (_dyadic(v, 16) for v in rng.uniform(float(box.lower[0]), float(box.upper[0]), 2) * 0.98)
                if t_g != t_f and -t_g not in taken and -t_f not in taken:
                    break
            out.append(ModulusMove("relocate", t_g, t_f, sg, 1 if rng.random() < 0.5 else -1,
                                   _dyadic(2.0 ** rng.uniform(-1, 1), 10)))
        elif u < 0.8:
            out.append(ModulusMove("jump", s_g=sg, index=int(rng.integers(0, big))))
        else:
            out.append(ModulusMove("bias", s_g=sg))
    return rows, _dyadic(rng.uniform(-1, 1), 10), out


def move_pair(rows, e, move: ModulusMove, amplitude) -> tuple[ShallowReLUNet, ShallowReLUNet]:
    """``(Φ, Γ)`` of ``move`` at ``amplitude`` ``A`` on the base ``(rows, e)`` (both in R1–R5)."""
    A = _F(amplitude)
    e = _F(e)
    if not A > 0:
        raise ValueError(f"amplitude: expected a positive number, got {amplitude!r}")
    if move.kind == "relocate":
        Gamma = net_from_rows(list(rows) + [kink_neuron(move.t_g, move.s_g * A)], e)
        Phi = net_from_rows(list(rows) + [kink_neuron(move.t_f, move.s_f * move.alpha * A)], e)
        return Phi, Gamma
    if move.kind == "jump":
        a, b, c = rows[move.index]
        t = -_F(b) / _F(a)
        J = _F(c) * _F(a)  # the jump of a neuron (a, b, c) with a > 0
        new = list(rows)
        new[move.index] = kink_neuron(t, J + move.s_g * A)
        return net_from_rows(new, e), net_from_rows(rows, e)
    if move.kind == "bias":
        return net_from_rows(rows, e + move.s_g * A), net_from_rows(rows, e)
    raise ValueError(f"move.kind: expected 'relocate', 'jump' or 'bias', got {move.kind!r}")
