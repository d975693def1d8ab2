"""numba kernels of the adapted-spline paper: the random-feature ridge and gradient-descent fits.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

_API = {
    "GradientDescentPath": "random_features",
    "KernelTable": "random_features",
    "LossFit": "general_loss",
    "RidgeFit": "random_features",
    "fit_loss": "general_loss",
    "fit_loss_dense": "general_loss",
    "fit_loss_primal": "general_loss",
    "fit_ridge": "random_features",
    "fit_ridge_dense": "random_features",
    "gradient_descent": "random_features",
    "kernel_table": "random_features",
    "output_weights": "random_features",
    "point_locator": "random_features",
    "solve_dual": "general_loss",
    "w1inf_distance": "random_features",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
