"""Shared by the kernels: argument checks (ValueError naming the argument) and the thread policy.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

import importlib

_API = {
    "as_array": "checks",
    "as_indices": "checks",
    "as_interval": "checks",
    "as_vector": "checks",
    "integer": "checks",
    "positive": "checks",
    "real": "checks",
    "threads_for": "parallel",
}
__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        return getattr(importlib.import_module(f"{__name__}.{_API[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
