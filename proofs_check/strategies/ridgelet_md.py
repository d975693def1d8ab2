"""Hypothesis strategies over the JSON settings of the explorable ridgelet claims in m = 2
(:mod:`proofs_check.claims.ridgelet_md`): every drawn setting passes the claim's check."""

from __future__ import annotations

from hypothesis import strategies as st

#: amplitudes of a bump; shrinks towards the first
AMPLITUDES = (1.0, 0.5, 1.5, -1.0)


def bumps_2d() -> st.SearchStrategy[list]:
    """``["bump", amp, c₁, c₂, s₁, s₂]``: ``amp e^{−((x₁ − c₁)²/s₁² + (x₂ − c₂)²/s₂²)/2}`` with centres on the grid
    1/8 in ``[−1/2, 1/2]`` and scales on the grid 1/8 in ``[3/4, 5/4]`` (anisotropic when ``s₁ ≠ s₂``); shrinks
    towards the standard bump ``["bump", 1.0, 0.0, 0.0, 1.0, 1.0]``."""
    centre = st.integers(-4, 4).map(lambda i: i / 8)
    scale = st.integers(-2, 2).map(lambda i: 1.0 + i / 8)
    return st.tuples(st.just("bump"), st.sampled_from(AMPLITUDES), centre, centre, scale, scale).map(list)


@st.composite
def reconstruction_settings_2d(draw) -> dict:
    """``{"j", "k", "target"}`` of ``ridgelet.md.reconstruction``: ``σ = G^{(j)}``, ``ρ = G^{(k)}`` with
    ``(j, k) ∈ {(0, 4), (1, 3), (2, 2), (0, 2), (1, 1)}`` (shrinks to ``(0, 4)``) and one or two bumps
    (:func:`bumps_2d`) with distinct centres or scales. The
    default setting (``(0, 4)``, the bump of scales ``(1, 3/4)``) is one example."""
    from proofs_check.claims.ridgelet_md import RECONSTRUCTION_PAIRS_2D

    j, k = draw(st.sampled_from(RECONSTRUCTION_PAIRS_2D))
    # two bumps with the same centre and scales are one bump (and cancel for opposite amplitudes)
    target = draw(st.lists(bumps_2d(), min_size=1, max_size=2, unique_by=lambda b: tuple(b[2:])))
    return {"j": j, "k": k, "target": target}
