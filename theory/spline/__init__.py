"""Adapted splines (Heiss–Teichmann–Wutte): laws of the random first layer, kink weights, the split-kernel spline, the kernel limit, early stopping.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "ClosedFormError": "kink_weight",
    "CubicKernel": "kernels",
    "KernelExpansion": "splines",
    "KinkMomentError": "kernels",
    "KinkWeight": "kink_weight",
    "LOSSES": "general_loss",
    "Loss": "general_loss",
    "LawError": "rf_law",
    "RandomFeatureKernel": "rf_kernel",
    "RandomFeatureLaw": "rf_law",
    "SingleKernel": "kernels",
    "SplitKernel": "kernels",
    "abs_support_end": "rf_law",
    "adapted_spline": "splines",
    "breakpoints": "rf_law",
    "check_continuous": "rf_law",
    "check_data": "splines",
    "check_lambda": "splines",
    "cumulative_moments": "kernels",
    "derive_early_stopping": "early_stopping",
    "derive_kink_weight": "derivation",
    "early_stopping_spline": "splines",
    "flow_constants": "early_stopping",
    "g0_direct": "rf_kernel",
    "gap_bound": "early_stopping",
    "gap_bound_mp": "early_stopping",
    "gd_dual": "splines",
    "half_weight_quadrature": "kink_weight",
    "kernel_from_moments": "kernels",
    "kernel_limit": "rf_kernel",
    "kernel_ridge": "splines",
    "kink_breakpoints": "rf_law",
    "kink_moments": "kink_weight",
    "kink_scale": "rf_law",
    "kink_weight": "kink_weight",
    "kink_weights": "kink_weight",
    "loss_spline": "general_loss",
    "newton_coefficients": "general_loss",
    "numeric_density": "rf_law",
    "numpy_sampler": "rf_law",
    "parse_law": "rf_law",
    "partial_moments": "rf_law",
    "residual_gap": "early_stopping",
    "scale": "rf_law",
    "single_spline": "splines",
    "spline_kernel": "splines",
    "total_mass": "kink_weight",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
