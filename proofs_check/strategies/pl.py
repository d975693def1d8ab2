"""Hypothesis strategies for the ResNet / PL objects (Barboni–Peyré–Vialard): data sets, feature draws,
weights and whole small problems. Random arrays come from a drawn integer seed through a numpy Generator,
so every example is reproducible and shrinks through its seed and sizes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from numerics.pl.resnet import RFF


@dataclass(frozen=True)
class ResNetProblem:
    X0: np.ndarray  # (N, d)
    Y: np.ndarray  # (N, m)
    B: np.ndarray  # (m, d), orthonormal rows
    W: np.ndarray  # (L+1, d, q)
    rff: RFF
    scheme: str

    @property
    def depth(self) -> int:
        return self.W.shape[0] - 1


seeds = st.integers(min_value=0, max_value=2**32 - 1)
bandwidths = st.floats(min_value=0.5, max_value=2.0, allow_nan=False, allow_infinity=False)
schemes = st.sampled_from(["euler", "midpoint"])


def depths(max_depth: int = 8) -> st.SearchStrategy[int]:
    """Depth ``L >= 1``."""
    return st.integers(min_value=1, max_value=max_depth)


@st.composite
def rff_draws(draw, dim: int | None = None, max_q: int = 16) -> RFF:
    """A feature draw ``ω ~ N(0, σ⁻²I)``, ``u ~ U[0, 2π)``."""
    d = dim if dim is not None else draw(st.integers(1, 3))
    q = draw(st.integers(1, max_q))
    sigma = draw(bandwidths)
    rng = np.random.default_rng(draw(seeds))
    return RFF(rng.standard_normal((q, d)) / sigma, rng.uniform(0.0, 2.0 * np.pi, q))


@st.composite
def data_sets(draw, dim: int, max_n: int = 8, spread: float = 2.0) -> np.ndarray:
    """``N`` points uniform in ``[−spread, spread]^dim``."""
    n = draw(st.integers(1, max_n))
    rng = np.random.default_rng(draw(seeds))
    return rng.uniform(-spread, spread, (n, dim))


@st.composite
def separated_data(draw, dim: int = 2, max_n: int = 6, dmin: float = 1.5) -> np.ndarray:
    """``N >= 2`` points with pairwise distances ``>= dmin`` (a jittered grid, so always feasible)."""
    n = draw(st.integers(2, max_n))
    rng = np.random.default_rng(draw(seeds))
    side = int(np.ceil(n ** (1.0 / dim)))
    grid = np.stack(np.meshgrid(*[np.arange(side)] * dim, indexing="ij"), -1).reshape(-1, dim)[:n]
    spacing = dmin * draw(st.floats(1.0, 2.0))
    jitter = rng.uniform(-0.25, 0.25, (n, dim)) * (spacing - dmin)
    return grid * spacing + jitter


@st.composite
def resnet_problems(draw, max_n: int = 5, max_q: int = 6, max_depth: int = 4, weight_scale: float = 1.0) -> ResNetProblem:
    """A small problem for gradient checks: data, orthonormal output map, weights, features, scheme."""
    d = draw(st.integers(1, 3))
    m = draw(st.integers(1, d))
    rff = draw(rff_draws(dim=d, max_q=max_q))
    X0 = draw(data_sets(d, max_n=max_n))
    rng = np.random.default_rng(draw(seeds))
    L = draw(depths(max_depth))
    B = np.linalg.qr(rng.standard_normal((d, m)))[0].T
    Y = rng.standard_normal((X0.shape[0], m))
    W = weight_scale * rng.standard_normal((L + 1, d, rff.q))
    return ResNetProblem(X0, Y, np.ascontiguousarray(B), W, rff, draw(schemes))


# ----------------------------------------------------------------------------------------------------
# JSON settings of the explorable PL claims (proofs_check.claims.pl): every drawn setting satisfies
# check_data_setting, i.e. the hypotheses the bounds need for a concrete draw
# ----------------------------------------------------------------------------------------------------
def _ceil2(x: float) -> float:
    return float(np.ceil(x * 100.0 - 1e-9) / 100.0)


@st.composite
def pl_data_settings(draw, max_n: int = 10, max_q: int = 128) -> dict:
    """Data and feature draw as JSON: ``N ∈ [2, max_n]`` points in ``[−b, b]^d``, ``d ∈ {1, 2, 3}``,
    separation ``δ = s σ`` with ``s ∈ [2, 3]`` bandwidths (a well-conditioned Gram), the box ``b`` from
    the packing limit of the sampler to 1.5 times it, ``q ∈ [4N, max_q]`` features, ``σ ∈ [0.5, 2]``.
    σ, ``s`` and the box's margin on a grid of hundredths. Shrinks towards ``d = 1, N = 2, q = 4N``,
    ``σ = 0.5``, the tightest separation and box. The default setting (N = 8, d = 2, q = 64, σ = 1, b = 3,
    δ = 2: ``s = 2``, margin 1.01) is one example."""
    from proofs_check.claims.pl import MIN_FEATURES_PER_POINT, MIN_SEPARATION, min_box

    dim = draw(st.integers(1, 3))
    n = draw(st.integers(2, max_n))
    # hundredths drawn as integers: a failure shrinks to the smallest failing value, not to the "simplest"
    # float (hypothesis shrinks floats towards integers)
    sigma = draw(st.integers(50, 200)) / 100
    dmin = _ceil2(draw(st.integers(round(100 * MIN_SEPARATION), 300)) / 100 * sigma)
    box = _ceil2(min_box(n, dim, dmin) * draw(st.integers(100, 150)) / 100)
    q = draw(st.integers(MIN_FEATURES_PER_POINT * n, max(MIN_FEATURES_PER_POINT * n, max_q)))
    return {"n": n, "dim": dim, "q": q, "sigma": sigma, "box": box, "dmin": dmin}


@st.composite
def pair_settings(draw, max_depth: int = 32, **kw) -> dict:
    """:func:`pl_data_settings` and a depth ``L ∈ [2, max_depth]`` (shrinks towards 2)."""
    setting = draw(pl_data_settings(**kw))
    setting["depth"] = draw(st.integers(2, max_depth))
    return setting
