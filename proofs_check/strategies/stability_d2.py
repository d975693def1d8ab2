"""Hypothesis strategies over the JSON settings of the explorable inverse-stability claims in d = 2
(:mod:`proofs_check.claims.stability_d2`), and their checks: every drawn setting passes the check of its claim.

``stability.d2.inverse``: ``{"domain": [[l₁, l₂], [u₁, u₂]], "base": n, "moves": m}``, a box ``D`` and the sizes
of the random instance (``n`` oriented balanced base neurons, ``m`` moves). The instance's lines are drawn for
``[−1, 1]²`` (:func:`theory.stability.d2.modulus_instance_2d`) and carried to ``D`` by the affine map
``z ↦ c + h∘z`` (``c`` the centre, ``h`` the half-widths): the line ``⟨n, z⟩ + β = 0`` becomes
``⟨n/h, x⟩ + β − ⟨n/h, c⟩ = 0``, exact in rationals, so every line meets the interior of ``D``, orientation
(``a₁ > 0``) and distinctness of directions are kept, and the instance is a random restricted instance on ``D``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

#: box coordinates are drawn on the grid 2^-GRID_BITS (exact in float64 and JSON)
GRID_BITS = 4
#: half-widths of D: at least 1/4; at most 3/2, so that every jump move of the ladder keeps its neuron: a base
#: jump |J| ≥ 1/2 moves by α|δ| ≤ ε/‖n/h‖ ≤ ε·max(h) ≤ 3/8 at the largest amplitude ε = 1/4 (the move's
#: W^{1,∞} norm is at least its gradient jump |δ|‖n/h‖, and ‖n/h‖ ≥ 1/max(h) for a unit normal n)
MIN_HALF, MAX_HALF = Fraction(1, 4), Fraction(3, 2)
#: centres of D in [−1, 1]²
MAX_CENTRE = Fraction(1)
#: sizes of the instance: base neurons and moves (the first half of the moves are relocations: at least one)
BASE_RANGE, MOVES_RANGE = (1, 6), (2, 16)
MODULUS_KEYS_2D = ("domain", "base", "moves")
#: the default setting (the hand-picked instance of a plain run)
DEFAULT_2D = {"domain": [[-1, -1], [1, 1]], "base": 3, "moves": 8}


def _num(v: Fraction):
    return int(v) if v.denominator == 1 else float(v)


@st.composite
def modulus_settings_2d(draw) -> dict:
    """A setting of ``stability.d2.inverse``: a box ``D`` with half-widths ``h_i ∈ [1/4, 3/2]`` and centre
    ``c ∈ [−1, 1]²`` on the grid ``2⁻⁴`` (elongated and off-centre boxes included), ``base ∈ [1, 6]`` and
    ``moves ∈ [2, 16]``. Shrinks towards the square ``[−1, 1]²``, one base neuron and two moves (one
    relocation and the bias shift). The default setting (``[−1, 1]²``, 3 neurons, 8 moves) is one example."""
    scale = 2**GRID_BITS
    lo, up = [], []
    for _ in range(2):
        h = 1 + Fraction(draw(st.integers(int((MIN_HALF - 1) * scale), int((MAX_HALF - 1) * scale))), scale)
        c = Fraction(draw(st.integers(-int(MAX_CENTRE * scale), int(MAX_CENTRE * scale))), scale)
        lo.append(_num(c - h))
        up.append(_num(c + h))
    return {"domain": [lo, up], "base": draw(st.integers(*BASE_RANGE)), "moves": draw(st.integers(*MOVES_RANGE))}


def setting_box(setting) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
    """The box ``((l₁, l₂), (u₁, u₂))`` of a setting, exactly (floats are dyadic rationals)."""
    d = setting["domain"]
    if (not isinstance(d, list) or len(d) != 2 or any(not isinstance(p, list) or len(p) != 2 for p in d)
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not np.isfinite(v) for p in d for v in p)):
        raise ValueError(f"setting domain: expected a box [[l₁, l₂], [u₁, u₂]] of finite numbers, got {d!r}")
    (l1, l2), (u1, u2) = [[Fraction(v) for v in p] for p in d]
    return (l1, l2), (u1, u2)


def check_modulus_setting_2d(setting) -> None:
    """Raise ``ValueError`` naming the key unless ``setting`` is one of ``stability.d2.inverse``: the keys
    ``domain``, ``base``, ``moves``; a box with half-widths in ``[1/4, 3/2]`` (:data:`MAX_HALF`: jump moves stay
    in R1–R5 along the ladder) and centre in ``[−1, 1]²``; ``base ∈ [1, 6]``, ``moves ∈ [2, 16]``."""
    from proofs_check.explore import setting_integer

    from proofs_check.explore import setting_keys

    setting_keys(setting, MODULUS_KEYS_2D)
    lo, up = setting_box(setting)
    for i in range(2):
        h, c = (up[i] - lo[i]) / 2, (up[i] + lo[i]) / 2
        if not MIN_HALF <= h <= MAX_HALF:
            raise ValueError(f"setting domain: expected half-widths (u_i − l_i)/2 in [{MIN_HALF}, {MAX_HALF}] (above "
                             f"3/2 a jump move of amplitude ε = 1/4 can cancel a base neuron), got {float(h):g} in "
                             f"coordinate {i + 1}")
        if abs(c) > MAX_CENTRE:
            raise ValueError(f"setting domain: expected the centre in [−1, 1]², got {float(c):g} in coordinate {i + 1}")
    setting_integer(setting, "base", *BASE_RANGE, "the number of oriented base neurons")
    setting_integer(setting, "moves", *MOVES_RANGE, "the number of moves (the first half are relocations: at "
                    "least two moves for one)")
