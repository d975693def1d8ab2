"""numba kernels of the ridgelet paper: spectra by direct and fast quadrature, two-layer networks.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

_API = {
    "RidgeFit": "two_layer",
    "SGDResult": "two_layer",
    "Samples": "spectrum",
    "act": "spectrum",
    "act_and_derivative": "spectrum",
    "activation_code": "spectrum",
    "features": "two_layer",
    "gram": "two_layer",
    "integral_representation": "spectrum",
    "objective": "two_layer",
    "project": "two_layer",
    "reshuffled_batches": "two_layer",
    "ridge_limit_dual": "two_layer",
    "ridge_output_layer": "two_layer",
    "spectrum_direct": "spectrum",
    "spectrum_direct_points": "spectrum",
    "spectrum_fast": "spectrum",
    "spectrum_from_dual": "two_layer",
    "spectrum_numpy": "spectrum",
    "tanh_ridgelet_numpy": "spectrum",
    "train_sgd": "two_layer",
    "trapezoid_weights": "spectrum",
    "z_cut": "spectrum",
    "radon_projections": "radon",
    "radon_projections_3d": "radon",
    "spectrum_radon_3d": "radon",
    "spectrum_radon": "radon",
    "spectrum_direct_2d": "radon",
    "synthesis_2d": "radon",
    "features_2d": "radon",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
