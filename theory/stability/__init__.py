"""Inverse stability (Berner–Elbrächter–Grohs): exact Sobolev distances, pathology families, the restricted set, symmetries.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "ClosePair": "families",
    "ModulusMove": "families",
    "OrbitCompleteness": "symmetry",
    "ParameterDistance": "symmetry",
    "PathologyFamily": "families",
    "PiecewiseLinear1D": "distance",
    "RealizationDistance": "distance",
    "RestrictedCheck": "restricted",
    "Restriction": "restricted",
    "absorb_slope": "restricted",
    "bottleneck_assignment": "symmetry",
    "certified_distance": "distance",
    "check_domain": "distance",
    "check_pair": "distance",
    "close_pair": "families",
    "compensating_flips": "symmetry",
    "derive_sobolev_distance": "derivation",
    "difference_1d": "distance",
    "extremal_pair": "families",
    "extremal_ratio": "derivation",
    "flip": "symmetry",
    "inverse_stability_constant": "derivation",
    "inverse_stability_exponent": "families",
    "is_restricted": "restricted",
    "kink_neuron": "families",
    "merged_hyperplanes": "distance",
    "modulus_instance": "families",
    "move_pair": "families",
    "net_from_rows": "families",
    "orbit_distance": "symmetry",
    "orbit_is_complete": "symmetry",
    "param_distance": "symmetry",
    "pathology_exponent": "families",
    "pathology_family": "families",
    "piecewise_linear_1d": "distance",
    "random_kinks_s": "families",
    "random_pair": "families",
    "random_restricted_net": "families",
    "raw_param_distance": "symmetry",
    "rescaled_neuron_distance": "symmetry",
    "restrict": "restricted",
    "sampled_distance": "distance",
    "sharp_pair": "families",
    "sobolev_distance": "distance",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
