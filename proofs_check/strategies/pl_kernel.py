"""Hypothesis strategies over the JSON settings of the explorable non-parametric PL claims
(:mod:`proofs_check.claims.pl_kernel`): every drawn setting passes the claim's check."""

from __future__ import annotations

from hypothesis import strategies as st


def _hundredths(v: float) -> float:
    return round(v, 2)


@st.composite
def gram_settings(draw) -> dict:
    """A setting of ``pl.kernel.gram_rate``: ``N ∈ [3, 5]`` points (in ``[−1.5σ, 1.5σ]²``), the bandwidth
    ``σ ∈ [0.5, 2]`` (hundredths) and the separation ``δ = sσ`` with ``s ∈ [0.5, 0.65]`` (hundredths of σ; ``δ``
    rounded to hundredths and kept within the range). Shrinks towards ``N = 3``, ``σ = 1``, ``δ = σ/2``; the
    default setting (``N = 4``, ``σ = 1``, ``δ = 0.5``) is one example."""
    from proofs_check.claims.pl_kernel import GRAM_N, GRAM_SEPARATION

    n = draw(st.integers(*GRAM_N))
    sigma = (100 + draw(st.integers(-50, 100))) / 100
    s = draw(st.integers(round(100 * GRAM_SEPARATION[0]), round(100 * GRAM_SEPARATION[1]))) / 100
    dmin = min(max(_hundredths(s * sigma), GRAM_SEPARATION[0] * sigma), GRAM_SEPARATION[1] * sigma)
    return {"n": n, "sigma": sigma, "dmin": dmin}
