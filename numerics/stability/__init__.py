"""numba kernels of the inverse-stability paper: fits of shallow ReLU networks.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

import importlib

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
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
