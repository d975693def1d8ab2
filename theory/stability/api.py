"""Inverse stability of the shallow ReLU realization map (Berner, Elbrächter & Grohs, "How degenerate is
the parametrization of neural networks with the ReLU activation function?", NeurIPS 2019, arXiv 1905.09803).

The public names, one module per idea:

- :mod:`theory.common.shallow_relu_net` — parametrizations ``Φ = ((a_i, b_i, c_i), e)``, exact realizations,
  balancing (the rescaling symmetry), Pythagorean (exactly balanced rational) neurons;
- :mod:`theory.stability.distance` — :func:`sobolev_distance`: ``‖R(Φ) − R(Ψ)‖`` in ``L^∞`` or
  ``W^{1,∞}``, exact in 1-D from the breakpoints, a certified interval in ``d ≥ 2``;
- :mod:`theory.stability.symmetry` — :func:`param_distance` modulo permutations (bottleneck assignment)
  and rescaling (balanced representatives), :func:`orbit_distance` (Definition 1.1's quantity),
  compensating flips;
- :mod:`theory.stability.restricted` — :func:`is_restricted` (which condition fails) and
  :func:`restrict` (the exact projection onto the restricted set);
- :mod:`theory.stability.families` — each pathology of Section 2 as a closed-form family, the pairs that
  attain the exponent ½ and the constant, seeded random restricted pairs;
- :mod:`theory.stability.derivation` — the constant and ``nnlimits derive sobolev-distance``.

Which form of Theorem 3.1. The paper's text beyond its abstract and introduction could not be read from
here, so the statement used is the reconstruction of docs/stability.md#theorem-3.1: on the restricted set (R1)
balanced, (R2) every kink hyperplane meets the interior of ``D``, (R3) normalized directions
``(a_i, b_i)/‖(a_i, b_i)‖`` pairwise distinct, (R4) not antipodal,
``‖Φ − Γ‖_∞ ≤ C ‖R(Φ) − R(Γ)‖_{W^{1,∞}(D)}^{1/2}`` modulo the symmetries. A finding, checked by
``stability.pathology.compensating_flip``: with (R1–R4) alone the constant cannot be uniform — two
neurons with ``c_1 a_1 + c_2 a_2 = δ`` flipped together stay in (R1–R4), change the realization by the
affine function ``−δ x`` and the parameters by ``≈ 2‖(a, b)‖`` for every ``δ → 0``. Adding (R5) "oriented"
(the first non-zero coordinate of every ``a_i`` positive) removes the flips; on (R1–R5) in 1-D the theorem
holds with ``C = 2√2 (1 + M²)^{1/4}``, ``M = max_{x ∈ D} |x|``, for ``ε ≤ 1``
(:func:`derive_sobolev_distance`), and this ``C`` is sharp on ``[−M, M]``
(:func:`theory.stability.families.extremal_pair`). The paper's own set may exclude the flips in another
way; where it differs, the claims here test the reconstruction, and say so.
"""

from __future__ import annotations

from theory.common.shallow_relu_net import (  # noqa: F401
    Box,
    Kink1D,
    ShallowReLUNet,
    as_box,
    balance,
    balance_exact,
    balanced_parameters,
    concat,
    kinks_1d,
    pythagorean_neuron,
    realize,
    realize_exact,
)
from theory.stability.derivation import (  # noqa: F401
    derive_sobolev_distance,
    extremal_ratio,
    inverse_stability_constant,
)
from theory.stability.distance import (  # noqa: F401
    PiecewiseLinear1D,
    RealizationDistance,
    certified_distance,
    difference_1d,
    piecewise_linear_1d,
    sampled_distance,
    sobolev_distance,
)
from theory.stability.families import (  # noqa: F401
    PATHOLOGIES,
    PATHOLOGY_RATES,
    PATHOLOGY_VIOLATES,
    ClosePair,
    ModulusMove,
    PathologyFamily,
    close_pair,
    extremal_pair,
    inverse_stability_exponent,
    kink_neuron,
    modulus_instance,
    move_pair,
    net_from_rows,
    pathology_exponent,
    pathology_family,
    random_kinks_s,
    random_pair,
    random_restricted_net,
    sharp_pair,
)
from theory.stability.restricted import (  # noqa: F401
    CONDITIONS,
    RestrictedCheck,
    Restriction,
    absorb_slope,
    is_restricted,
    restrict,
)
from theory.stability.symmetry import (  # noqa: F401
    OrbitCompleteness,
    ParameterDistance,
    bottleneck_assignment,
    compensating_flips,
    flip,
    orbit_distance,
    orbit_is_complete,
    param_distance,
    raw_param_distance,
    rescaled_neuron_distance,
    rescaled_neuron_distance_search,
)
