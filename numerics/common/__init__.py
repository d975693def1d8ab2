"""Shared by the kernels: argument checks (ValueError naming the argument) and the thread policy.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from numerics import lazy_api

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
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
