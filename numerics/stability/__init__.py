"""numba kernels of the inverse-stability paper: fits of shallow ReLU networks.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

_API = {
    "RestrictedFit": "fit",
    "UnrestrictedFit": "fit",
    "VPFit": "fit",
    "fit_restricted": "fit",
    "fit_unrestricted": "fit",
    "refit_jumps": "fit",
    "restricted_design": "fit",
    "restricted_loss": "fit",
    "train_vp": "fit",
    "unrestricted_loss": "fit",
    "arrangement_vertices": "d2",
    "gradient_2d": "d2",
    "grid_w1inf_2d": "d2",
    "realize_2d": "d2",
    "w1inf_2d": "d2",
    "KINDS": "d2",
    "network_2d": "d2",
    "ripple_allowance_2d": "d2",
    "train_vp_2d": "d2",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
