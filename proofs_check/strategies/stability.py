"""Hypothesis strategies for the inverse-stability paper (Berner, Elbrächter & Grohs, NeurIPS 2019): domains,
shallow ReLU parametrizations (float and exact), restricted parametrizations (exactly balanced rational
Pythagorean neurons with distinct kinks inside the domain), positive rescalings and permutations."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from theory.common.shallow_relu_net import ShallowReLUNet, pythagorean_neuron, s_for_kink


def dyadics(lo: float, hi: float, bits: int = 12) -> st.SearchStrategy[Fraction]:
    """Dyadic rationals ``m / 2^bits`` in ``[lo, hi]`` (exactly representable as floats)."""
    return st.integers(int(np.ceil(lo * 2**bits)), int(np.floor(hi * 2**bits))).map(lambda m: Fraction(m, 2**bits))


@st.composite
def intervals(draw, lo: float = -4.0, hi: float = 4.0, min_length: float = 0.25) -> tuple[Fraction, Fraction]:
    """A 1-D domain ``(l, u)`` with dyadic endpoints, ``u − l ≥ min_length``."""
    left = draw(dyadics(lo, hi - min_length, 6))
    right = draw(dyadics(float(left) + min_length, hi, 6))
    return left, right


@st.composite
def boxes(draw, dim: int = 2, lo: float = -2.0, hi: float = 2.0) -> tuple[list[Fraction], list[Fraction]]:
    """A ``dim``-dimensional box ``(lower, upper)`` with dyadic bounds."""
    sides = [draw(intervals(lo, hi, 0.5)) for _ in range(dim)]
    return [s[0] for s in sides], [s[1] for s in sides]


@st.composite
def nets(draw, dim: int = 1, min_width: int = 1, max_width: int = 5, bound: float = 3.0,
         exact: bool = False) -> ShallowReLUNet:
    """A general shallow ReLU parametrization (any degeneracy allowed): bounded entries; with ``exact``
    dyadic Fractions, otherwise floats. Zero entries are drawn often (inactive, constant, zero neurons)."""
    width = draw(st.integers(min_width, max_width))
    entry = st.one_of(st.just(Fraction(0)), dyadics(-bound, bound, 8)) if exact else \
        st.one_of(st.just(0.0), st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=64))
    a = [[draw(entry) for _ in range(dim)] for _ in range(width)]
    b = [draw(entry) for _ in range(width)]
    c = [draw(entry) for _ in range(width)]
    e = draw(entry)
    dtype = object if exact else float
    return ShallowReLUNet(np.array(a, dtype=dtype), np.array(b, dtype=dtype), np.array(c, dtype=dtype), e)


@st.composite
def restricted_nets(draw, domain=(-1, 1), min_width: int = 1, max_width: int = 4, oriented: bool = False,
                    radius: tuple[float, float] = (0.25, 2.0)) -> ShallowReLUNet:
    """A 1-D restricted parametrization (R1–R4; R5 with ``oriented``), exactly balanced: Pythagorean
    neurons (:func:`theory.common.shallow_relu_net.pythagorean_neuron`) with distinct kinks at least 2% of the
    domain's length inside it."""
    lo, up = float(domain[0]), float(domain[1])
    w = (up - lo) * 0.02
    s_lo, s_hi = sorted((s_for_kink(lo + w), s_for_kink(up - w)))
    width = draw(st.integers(min_width, max_width))
    ss = draw(st.lists(dyadics(s_lo, s_hi, 16), min_size=width, max_size=width, unique=True))
    rows = []
    for s in ss:
        r = draw(dyadics(radius[0], radius[1], 8))
        sign = draw(st.sampled_from([1, -1]))
        sigma = 1 if oriented else draw(st.sampled_from([1, -1]))
        rows.append(pythagorean_neuron(s, r, sign, sigma))
    e = draw(dyadics(-2, 2, 8))
    return ShallowReLUNet(np.array([[q[0]] for q in rows], dtype=object), np.array([q[1] for q in rows], dtype=object),
                          np.array([q[2] for q in rows], dtype=object), e)


def positive_rationals(lo: float = 1 / 16, hi: float = 16.0) -> st.SearchStrategy[Fraction]:
    """Rescaling factors ``λ > 0`` (rationals ``p/q``, not only powers of two)."""
    return st.tuples(st.integers(1, 64), st.integers(1, 64)).map(lambda pq: Fraction(*pq)).filter(
        lambda v: lo <= v <= hi)


@st.composite
def symmetry_images(draw, Phi: ShallowReLUNet) -> ShallowReLUNet:
    """``Φ`` with its neurons permuted and each rescaled by its own rational ``λ_i > 0`` (exact)."""
    X = Phi.to_exact()
    perm = draw(st.permutations(list(range(X.width))))
    lam = [draw(positive_rationals()) for _ in range(X.width)]
    a = np.array([[v * lam[i] for v in X.a[i]] for i in perm], dtype=object)
    b = np.array([X.b[i] * lam[i] for i in perm], dtype=object)
    c = np.array([X.c[i] / lam[i] for i in perm], dtype=object)
    return ShallowReLUNet(a, b, c, X.e)


@st.composite
def restricted_pairs(draw, domain=(-1, 1), min_width: int = 1, max_width: int = 4,
                     log2_radius: tuple[int, int] = (-10, 1)) -> tuple[ShallowReLUNet, ShallowReLUNet]:
    """Two 1-D nets ``(Φ, Γ)`` of one width in the oriented restricted set R1–R5 (exactly balanced), close in
    realization: Γ has Pythagorean neurons with distinct kinks inside ``D`` and radii ``2^j``·(dyadic
    mantissa), ``j`` in ``log2_radius`` (small neurons included); Φ keeps each neuron, rescales it by a factor
    ``1 ± 2^{−m}``, or relocates it to a fresh kink with a new radius and output sign; the output bias may
    move by ``± 2^{−m}``. Kinks of each net stay pairwise distinct (R3)."""
    lo, up = float(domain[0]), float(domain[1])
    w = (up - lo) * 0.02
    s_lo, s_hi = sorted((s_for_kink(lo + w), s_for_kink(up - w)))
    width = draw(st.integers(min_width, max_width))
    ss = draw(st.lists(dyadics(s_lo, s_hi, 16), min_size=2 * width, max_size=2 * width, unique=True))
    radius = st.tuples(st.integers(*log2_radius), st.integers(128, 255)).map(
        lambda jm: Fraction(jm[1], 128) * Fraction(2) ** jm[0])
    rows_g, rows_f = [], []
    for i in range(width):
        r = draw(radius)
        sign = draw(st.sampled_from([1, -1]))
        rows_g.append(pythagorean_neuron(ss[i], r, sign))
        move = draw(st.sampled_from(["keep", "rescale", "relocate"]))
        if move == "keep":
            rows_f.append(rows_g[-1])
        elif move == "rescale":
            f = 1 + draw(st.sampled_from([1, -1])) * Fraction(1, 2 ** draw(st.integers(1, 20)))
            rows_f.append(pythagorean_neuron(ss[i], r * f, sign))
        else:
            rows_f.append(pythagorean_neuron(ss[width + i], draw(radius), draw(st.sampled_from([1, -1]))))
    e = draw(dyadics(-1, 1, 8))
    ef = e + draw(st.sampled_from([0, 1, -1])) * Fraction(1, 2 ** draw(st.integers(1, 30)))

    def net(rows, bias):
        return ShallowReLUNet(np.array([[q[0]] for q in rows], dtype=object),
                              np.array([q[1] for q in rows], dtype=object),
                              np.array([q[2] for q in rows], dtype=object), bias)

    return net(rows_f, ef), net(rows_g, e)


# ----------------------------------------------------------------------------------------------------
# JSON settings of the explorable inverse-stability claims (stability.inverse, stability.inverse_constant)
# and their checks: every drawn setting passes the check of its claim
# ----------------------------------------------------------------------------------------------------
#: domain ends are drawn on the grid 2^-GRID_BITS (exact in float64 and JSON)
GRID_BITS = 6
#: stability.inverse: the largest max|x| for which every jump move of its ladder stays in R1–R5 (a base
#: neuron's jump r²/√(1+t²) ≥ (3/4)²/√(1 + (0.95 M)²) must exceed the largest amplitude ε = 1/4)
MODULUS_MAX_M = 2.0
#: stability.inverse_constant: the range of M = u over which the constant is explored (the check itself
#: only needs 0 < M ≤ CONSTANT_MAX_M: exact rational pairs stay cheap)
CONSTANT_MAX_M = 8.0
#: stability.inverse_constant: the shortest domain (the extremal pair needs 3η < min((u − l)/2, 1), η ≤ 2^-8)
CONSTANT_MIN_LENGTH = 1 / 16

MODULUS_KEYS = ("domain", "base", "moves")
CONSTANT_KEYS = ("domain", "big", "small")


@st.composite
def modulus_settings(draw, max_base: int = 5, max_moves: int = 16) -> dict:
    """A setting of ``stability.inverse``: ``D = [l, u]`` with ``−l, u ∈ [1/4, 2]`` on the grid ``2⁻⁶`` (``0``
    inside ``D``; ``max|x| ≤ 2``, see :data:`MODULUS_MAX_M`), ``base ∈ [1, max_base]`` oriented balanced
    base neurons and ``moves ∈ [2, max_moves]`` moves (even-numbered moves are relocations, so every instance
    has one). Shrinks towards ``D = [−1/4, 1/4]``, one base neuron and two moves. The default setting
    (``D = [−1, 1]``, 3 neurons, 12 moves) is one example."""
    scale = 2**GRID_BITS
    lo = -draw(st.integers(scale // 4, int(MODULUS_MAX_M * scale))) / scale
    up = draw(st.integers(scale // 4, int(MODULUS_MAX_M * scale))) / scale
    return {"domain": [lo, up], "base": draw(st.integers(1, max_base)), "moves": draw(st.integers(2, max_moves))}


@st.composite
def constant_settings(draw, max_big: int = 4, max_small: int = 3, max_M: float = 4.0) -> dict:
    """A setting of ``stability.inverse_constant``: ``D = [l, M]`` with ``M ∈ [1/4, max_M]`` on the grid
    ``2⁻⁶`` and ``l = −M + jM/8``, ``j ∈ [0, 12]`` (``−M ≤ l ≤ M/2``: ``M = max|x|`` is the right end, where the
    extremal pair attains ``C``; symmetric domains when ``j = 0``), ``big ∈ [1, max_big]`` neurons of radius
    ``~1`` and ``small ∈ [1, max_small]`` neurons of radius ``~1/k`` in the random pairs. Shrinks towards
    ``D = [−1/4, 1/4]``, one neuron of each kind: a failure on large domains only shrinks to the smallest
    failing ``M``. The default setting (``D = [−1, 1]``, 3 + 2 neurons) is one example."""
    scale = 2**GRID_BITS
    m = draw(st.integers(scale // 4, int(max_M * scale)))
    j = draw(st.integers(0, 12))
    return {"domain": [m * (j - 8) / (8 * scale), m / scale], "big": draw(st.integers(1, max_big)),
            "small": draw(st.integers(1, max_small))}


def _keys(setting, keys: tuple[str, ...]) -> None:
    from proofs_check.explore import setting_keys  # the shared setting check

    setting_keys(setting, keys)


def _integer(setting, key: str, lo: int, hi: int, what: str) -> int:
    from proofs_check.explore import setting_integer  # the shared setting check

    return setting_integer(setting, key, lo, hi, what)


def _domain(setting) -> tuple[Fraction, Fraction]:
    d = setting["domain"]
    if (not isinstance(d, list) or len(d) != 2
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) for v in d)):
        raise ValueError(f"setting domain: expected an interval [l, u] of two finite numbers, got {d!r}")
    lo, up = Fraction(d[0]), Fraction(d[1])
    if not lo < up:
        raise ValueError(f"setting domain: expected l < u (a non-degenerate interval D = [l, u]), got {d!r}")
    return lo, up


def setting_domain(setting) -> tuple[Fraction, Fraction]:
    """The domain ``D = [l, u]`` of a setting, exactly (floats are dyadic rationals)."""
    return _domain(setting)


def check_modulus_setting(setting) -> None:
    """Raise ``ValueError`` naming what is wrong unless ``setting`` is one of ``stability.inverse``: a domain
    ``[l, u]`` with ``l < 0 < u`` (the moves' relocation kinks are drawn in ``0.98·D``, inside ``D`` only when
    it contains 0) and ``max|x| ≤ 2`` (:data:`MODULUS_MAX_M`), ``base ∈ [1, 8]`` neurons, ``moves ∈ [1, 32]``."""
    _keys(setting, MODULUS_KEYS)
    lo, up = _domain(setting)
    if not lo < 0 < up:
        raise ValueError(f"setting domain: expected l < 0 < u (the moves' kinks are drawn in 0.98·D, inside D "
                         f"only when 0 is), got {setting['domain']!r}")
    if max(-lo, up) > MODULUS_MAX_M:
        raise ValueError(f"setting domain: expected max|x| = M ≤ {MODULUS_MAX_M:g} (a base jump "
                         f"r²/√(1+t²) ≥ (3/4)²/√(1+(0.95M)²) must exceed the largest move amplitude 1/4, so that "
                         f"jump moves stay in R1–R5), got M = {float(max(-lo, up)):g}")
    _integer(setting, "base", 1, 8, "the number of base neurons (a non-degenerate network: at least one)")
    _integer(setting, "moves", 1, 32, "the number of moves (move 0 is a relocation: at least one)")


def check_constant_setting(setting) -> None:
    """Raise ``ValueError`` naming what is wrong unless ``setting`` is one of ``stability.inverse_constant``:
    a domain ``[l, u]`` with ``M = u > 0`` and ``−M ≤ l < M`` (``M = max|x|`` at the right end, where the
    extremal pair attains ``C``), ``u − l ≥ 1/16``, ``M ≤ 8``; ``big ∈ [1, 6]``, ``small ∈ [1, 4]``."""
    _keys(setting, CONSTANT_KEYS)
    lo, up = _domain(setting)
    if not up > 0:
        raise ValueError(f"setting domain: expected M = u > 0 (C = 2√2(1+M²)^{{1/4}} with M = max|x| = u), "
                         f"got u = {float(up):g}")
    if lo < -up:
        raise ValueError(f"setting domain: expected −u ≤ l, i.e. M = max|x| = u at the right end (where the "
                         f"extremal pair attaining C sits), got {setting['domain']!r}")
    if up - lo < Fraction(CONSTANT_MIN_LENGTH):
        raise ValueError(f"setting domain: expected a length u − l ≥ {CONSTANT_MIN_LENGTH:g} (the extremal "
                         f"pair needs 3η < (u − l)/2), got {float(up - lo):g}")
    if up > CONSTANT_MAX_M:
        raise ValueError(f"setting domain: expected M = u ≤ {CONSTANT_MAX_M:g}, got {float(up):g}")
    _integer(setting, "big", 1, 6, "the number of neurons of radius ~1 (a non-degenerate network: at least one)")
    _integer(setting, "small", 1, 4, "the number of neurons of radius ~1/k (at least one: they carry the "
             "½-regime moves)")
