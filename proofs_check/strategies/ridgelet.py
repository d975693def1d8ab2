"""Hypothesis strategies for the ridgelet objects (Sonoda–Ishikawa–Ikeda; Sonoda–Murata): orders of
Gaussian-derivative ridgelet functions, admissible (σ, ρ, m) triples and their non-admissible partners,
parameter points, Gaussian-type targets, sampled targets on uniform grids and small RERM problems.
Random arrays come from a drawn integer seed through a numpy Generator, so every example is reproducible
and shrinks through its seed and sizes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from hypothesis import strategies as st

seeds = st.integers(min_value=0, max_value=2**32 - 1)


def orders(max_order: int = 6) -> st.SearchStrategy[int]:
    """``k`` of ``ρ = G^{(k)}``."""
    return st.integers(min_value=0, max_value=max_order)


def dimensions(max_m: int = 3) -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=max_m)


@st.composite
def admissible_pairs(draw, max_m: int = 3, max_order: int = 8) -> tuple[str, int, int]:
    """``(σ name, k, m)`` with ``((σ, G^{(k)}))`` finite and non-zero (docs/ridgelet.md#admissibility):
    Gaussian ``k = 2j ≥ m``; ReLU ``k = 2j > m + 1``; step ``k = 2j + 1 > m``."""
    m = draw(dimensions(max_m))
    name = draw(st.sampled_from(["gaussian", "relu", "step"]))
    if name == "gaussian":
        ks = [k for k in range(0, max_order + 1, 2) if k >= m]
    elif name == "relu":
        ks = [k for k in range(0, max_order + 1, 2) if k > m + 1]
    else:
        ks = [k for k in range(1, max_order + 1, 2) if k > m]
    return name, draw(st.sampled_from(ks)), m


@st.composite
def wrong_parity_pairs(draw, max_m: int = 3, max_order: int = 8) -> tuple[str, int, int]:
    """``(σ name, k, m)`` whose admissibility integrand is odd: ``((σ, G^{(k)})) = 0`` by symmetry."""
    name, k, m = draw(admissible_pairs(max_m, max_order - 1))
    return name, k + 1, m


@st.composite
def parameter_points(draw, m: int = 1, scale: float = 3.0) -> tuple[tuple[sp.Rational, ...], sp.Rational]:
    """An exact point ``(a, b)`` with rational coordinates (tenths) in ``[−scale, scale]^{m+1}``."""
    tenths = st.integers(min_value=-int(10 * scale), max_value=int(10 * scale))
    a = tuple(sp.Rational(draw(tenths), 10) for _ in range(m))
    return a, sp.Rational(draw(tenths), 10)


@st.composite
def gaussian_targets(draw, max_degree: int = 2) -> sp.Lambda:
    """``f(x) = P(x) e^{−s (x − μ)²}`` in m = 1 with small rational coefficients (a Gaussian-type target)."""
    x = sp.Symbol("x", real=True)
    deg = draw(st.integers(0, max_degree))
    coeffs = [sp.Rational(draw(st.integers(-3, 3)), 2) for _ in range(deg)] + [sp.Integer(1)]
    s = sp.Rational(draw(st.integers(1, 4)), 2)
    mu = sp.Rational(draw(st.integers(-2, 2)), 2)
    poly = sum(c * x**i for i, c in enumerate(reversed(coeffs)))
    return sp.Lambda(x, sp.expand(poly) * sp.exp(-s * (x - mu) ** 2))


@dataclass(frozen=True)
class SampledTarget:
    """Samples of a target on a uniform grid (``domain`` as in :class:`numerics.ridgelet.spectrum.Samples`)."""

    x: np.ndarray
    f: np.ndarray
    domain: str


@st.composite
def sampled_targets(draw, max_points: int = 400) -> SampledTarget:
    """Either a random polynomial on ``[−1, 1]`` (interval) or a random Gaussian mixture on ``[−14, 14]``
    (line; centres in ``[−2, 2]``, widths ≤ 1.2, so it is below ``e^{−50}`` at the ends)."""
    rng = np.random.default_rng(draw(seeds))
    n = draw(st.integers(16, max_points))
    if draw(st.booleans()):
        x = np.linspace(-1.0, 1.0, n)
        coef = rng.standard_normal(4)
        return SampledTarget(x, np.polyval(coef, x), "interval")
    x = np.linspace(-14.0, 14.0, n)
    centres = rng.uniform(-2, 2, 3)
    widths = rng.uniform(0.7, 1.2, 3)
    amps = rng.standard_normal(3)
    f = sum(A * np.exp(-0.5 * ((x - c) / s) ** 2) for A, c, s in zip(amps, centres, widths))
    return SampledTarget(x, f, "line")


@st.composite
def spectrum_grids(draw, max_a: int = 8, max_b: int = 24, scale: float = 6.0) -> tuple[np.ndarray, np.ndarray]:
    """An ``a`` grid (any values, possibly 0) and a uniform ``b`` grid."""
    rng = np.random.default_rng(draw(seeds))
    a = rng.uniform(-scale, scale, draw(st.integers(1, max_a)))
    nb = draw(st.integers(2, max_b))
    half = draw(st.floats(1.0, scale, allow_nan=False, allow_infinity=False))
    return a, np.linspace(-half, half, nb)


@dataclass(frozen=True)
class RidgeProblem:
    """A small RERM problem: data grid, weights, targets, hidden units, ridge and box volume."""

    x: np.ndarray
    w: np.ndarray
    y: np.ndarray
    a: np.ndarray
    b: np.ndarray
    beta: float
    volume: float
    order: int


@st.composite
def ridge_problems(draw, max_units: int = 40, max_points: int = 30) -> RidgeProblem:
    rng = np.random.default_rng(draw(seeds))
    n = draw(st.integers(3, max_points))
    p = draw(st.integers(1, max_units))
    x = np.linspace(-4.0, 4.0, n)
    w = np.full(n, 8.0 / (n - 1))
    y = np.exp(-0.5 * x * x) * (1 + 0.3 * rng.standard_normal(n))
    A, B = 2.0, 10.0
    beta = draw(st.floats(0.05, 5.0, allow_nan=False, allow_infinity=False))
    return RidgeProblem(x, w, y, rng.uniform(-A, A, p), rng.uniform(-B, B, p), beta, 4 * A * B,
                        draw(st.integers(1, 3)))


# ----------------------------------------------------------------------------------------------------
# JSON settings of the explorable claims (canonical JSON: numbers, strings, lists)
# ----------------------------------------------------------------------------------------------------
amplitudes = st.sampled_from([1.0, 0.5, 1.5, -1.0])


@st.composite
def reconstruction_pair_settings(draw) -> tuple[str, list]:
    """An admissible ``(σ, ρ)`` in m = 1 as JSON: ``("relu", ["G", 4])``, ``("tanh", ["tanh_ridgelet", 1])``;
    shrinks to ``("gaussian", ["G", 2])`` and, within a σ, to its lowest order. The pairs are
    :data:`proofs_check.claims.ridgelet.RECONSTRUCTION_PAIRS`: σ → (ridgelet family, the two lowest admissible
    orders of the theory table in m = 1): Gaussian ``G^{(2j)}, 2j ≥ 1``; ReLU ``G^{(2j)}, 2j > 2``; step
    ``G^{(2j+1)}, 2j + 1 > 1``; tanh the matched ``ρ_j``, ``2j > 0``."""
    from proofs_check.claims.ridgelet import RECONSTRUCTION_PAIRS

    sigma = draw(st.sampled_from(list(RECONSTRUCTION_PAIRS)))
    fam, orders = RECONSTRUCTION_PAIRS[sigma]
    return sigma, [fam, draw(st.sampled_from(orders))]


def gaussian_bumps() -> st.SearchStrategy[list]:
    """``['bump', amp, c, s]``: ``amp e^{−(x−c)²/(2s²)}``, ``c ∈ [−2, 2]`` (quarters), ``s ∈ [½, 1]`` (eighths);
    shrinks to the standard bump ``['bump', 1.0, 0.0, 1.0]``."""
    return st.tuples(st.just("bump"), amplitudes, st.integers(-8, 8).map(lambda i: i / 4),
                     st.integers(0, 4).map(lambda i: 1.0 - i / 8)).map(list)


def hats() -> st.SearchStrategy[list]:
    """``['hat', amp, c, r]``: ``amp (1 − |x − c|/r)_+``, ``c ∈ [−1, 1]``, ``r ∈ [1, 2]`` (quarters: the kinks on
    the evaluation grid); shrinks to ``['hat', 1.0, 0.0, 1.0]``."""
    return st.tuples(st.just("hat"), amplitudes, st.integers(-4, 4).map(lambda i: i / 4),
                     st.integers(0, 4).map(lambda i: 1.0 + i / 4)).map(list)


def reconstruction_targets() -> st.SearchStrategy[list]:
    """A target of the reconstruction check: one or two Gaussian bumps, or one hat (a piecewise-linear
    target the closed forms of :func:`theory.ridgelet.transform.ridgelet_transform` also cover)."""
    return st.one_of(st.lists(gaussian_bumps(), min_size=1, max_size=2), hats().map(lambda h: [h]))


@st.composite
def reconstruction_settings(draw) -> dict:
    """``{"sigma", "rho", "target"}`` of ``ridgelet.reconstruction``: an admissible pair and a target; the
    default setting (``σ = G``, ``ρ = G''``, ``f = e^{−x²/2}``) is the fully shrunk example."""
    sigma, rho = draw(reconstruction_pair_settings())
    return {"sigma": sigma, "rho": rho, "target": draw(reconstruction_targets())}


@st.composite
def rerm_settings(draw) -> dict:
    """``{"beta", "target"}`` of ``ridgelet.rerm_spectrum``: β from
    :data:`proofs_check.claims.ridgelet.RERM_BETAS` (2 … 32, shrinking to the default 8) and a target of
    :func:`reconstruction_targets` (inside the data window [−4, 4]); the default setting is the fully
    shrunk example."""
    from proofs_check.claims.ridgelet import RERM_BETAS

    centre = RERM_BETAS.index(8.0)
    i = draw(st.integers(-centre, len(RERM_BETAS) - 1 - centre))
    return {"beta": RERM_BETAS[centre + i], "target": draw(reconstruction_targets())}
