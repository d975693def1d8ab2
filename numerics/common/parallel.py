"""Thread policy of the parallel kernels: small work runs on one numba thread.

Starting and joining a thread team costs microseconds to milliseconds (far more on a machine whose cores
are busy with anything else), more than a small kernel call saves by running in parallel. Each module
states its own threshold (``SERIAL_WORK``, in its own unit of work), measured on its kernels. The kernels'
results do not depend on the thread count (fixed chunks, fixed summation order), so the policy changes the
speed only. A kernel whose whole call is shorter than the launch of a parallel region, even on one thread,
is compiled a second time without ``parallel`` instead (:mod:`numerics.minnorm.shallow_relu`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba


@contextmanager
def threads_for(work: int, serial_below: int) -> Iterator[None]:
    """Run the enclosed kernel calls on one thread when ``work < serial_below``, on the configured number
    of threads otherwise (restored on exit, also after an exception)."""
    if work >= serial_below:
        yield
        return
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(before)
