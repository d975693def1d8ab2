"""Argument checks of the Python wrappers in front of the numba kernels.

Each check returns the argument in the form the kernels take (a contiguous float64 or int64 array, a
Python ``float`` or ``int``) or raises ``ValueError`` whose message starts with ``<name>:``, the name of the
argument as the caller spelled it, followed by what was expected. They run before any kernel, so bad input
never reaches numba's type inference. Checks that belong to one model (kinks strictly inside a domain,
non-negative quadrature weights, …) stay in that model's module, built on these.
"""

from __future__ import annotations

import math

import numpy as np


def _float_array(name: str, v) -> np.ndarray:
    try:
        return np.ascontiguousarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected an array of real numbers, got {type(v).__name__}") from None


def _all_finite(name: str, arr: np.ndarray) -> None:
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite values, got NaN or inf")


def as_vector(name: str, v, size: int | None = None, *, min_size: int = 0, flatten: bool = False,
              what: str = "entries") -> np.ndarray:
    """``v`` as a contiguous finite float64 vector: exactly ``size`` entries if given, at least
    ``min_size``. ``flatten``: any shape is accepted and read in C order (otherwise ``v`` must be 1-D).
    ``what`` names the entries in the message of a wrong size (e.g. ``"weights (one per a node)"``).
    May return ``v`` itself when it already is such an array: copy before writing to it."""
    arr = _float_array(name, v)
    if flatten:
        arr = arr.ravel()
    elif arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if size is not None and arr.size != size:
        raise ValueError(f"{name}: expected {size} {what}, got {arr.size}")
    if arr.size < min_size:
        raise ValueError(f"{name}: expected at least {min_size} {'entry' if min_size == 1 else 'entries'}, "
                         f"got {arr.size}")
    _all_finite(name, arr)
    return arr


def as_array(name: str, a, ndim: int, *, finite: bool = True) -> np.ndarray:
    """``a`` as a contiguous float64 array with ``ndim`` axes (any sizes), finite unless ``finite=False``
    (for large matrices built by the caller's own kernels, where a check would cost a pass over memory)."""
    arr = _float_array(name, a)
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array, got shape {arr.shape}")
    if finite:
        _all_finite(name, arr)
    return arr


def as_indices(name: str, a, upper: int, ndim: int) -> np.ndarray:
    """``a`` as a contiguous int64 array of ``ndim`` axes with entries in ``0 … upper − 1`` (data indices,
    e.g. mini-batches); the caller checks the shape it needs."""
    arr = np.asarray(a)
    if arr.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-D array of indices, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name}: expected integer indices, got dtype {arr.dtype}")
    if arr.size and (arr.min() < 0 or arr.max() >= upper):
        raise ValueError(f"{name}: expected indices in 0 … {upper - 1}, got range {arr.min()} … {arr.max()}")
    return np.ascontiguousarray(arr, dtype=np.int64)


def as_interval(name: str, v) -> tuple[float, float]:
    """``v`` as a pair ``(lower, upper)`` of finite floats with ``lower < upper``."""
    try:
        lo, hi = (float(u) for u in v)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a pair (lower, upper), got {v!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name}: expected finite lower < upper, got {v!r}")
    return lo, hi


def real(name: str, v) -> float:
    """``v`` as a finite ``float``: anything ``float()`` takes (Python and NumPy numbers, 0-d arrays,
    fractions) except booleans, strings and complex numbers."""
    if isinstance(v, (bool, np.bool_, str, bytes, np.complexfloating)):  # float() would take these
        raise ValueError(f"{name}: expected a real number, got {v!r}")
    try:
        out = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a real number, got {v!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name}: expected a finite real number, got {v!r}")
    return out


def positive(name: str, v, allow_zero: bool = False) -> float:
    """``v`` as a finite ``float`` that is ``> 0`` (``≥ 0`` with ``allow_zero``); see :func:`real`."""
    out = real(name, v)
    if out < 0 or (out == 0 and not allow_zero):
        raise ValueError(f"{name}: expected a finite {'non-negative' if allow_zero else 'positive'} number, "
                         f"got {v!r}")
    return out


def integer(name: str, v, low: int = 0) -> int:
    """``v`` as an ``int`` ``≥ low``: a Python or NumPy integer, not a boolean and not a float (a count of
    steps or units is never rounded silently)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)) or v < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {v!r}")
    return int(v)
