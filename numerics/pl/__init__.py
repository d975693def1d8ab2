"""numba kernels of the PL paper: ResNet forward/adjoint passes and gradient descent.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

_API = {
    "KernelGDResult": "kernel",
    "kernel_gradient_descent": "kernel",
    "kernel_gradient_descent_numpy": "kernel",
    "kernel_gram": "kernel",
    "rff_prefix_grams": "kernel",
    "GDResult": "resnet",
    "PLFactors": "resnet",
    "Pass": "resnet",
    "RFF": "resnet",
    "StepSizeWarning": "resnet",
    "check_depth": "resnet",
    "embed": "resnet",
    "features": "resnet",
    "flow_reference": "resnet",
    "forward": "resnet",
    "gaussian_gram": "resnet",
    "gradient_descent": "resnet",
    "gram": "resnet",
    "l2_norm": "resnet",
    "lambda_max": "resnet",
    "lambda_min": "resnet",
    "pl_factors": "resnet",
    "resnet_pass": "resnet",
    "resnet_pass_numpy": "resnet",
    "rff_block": "resnet",
    "rff_from_block": "resnet",
    "sample_weights": "resnet",
    "stability_limit": "resnet",
    "tangent_gram": "resnet",
    "zero_weights": "resnet",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
