"""The executor seam: which :class:`concurrent.futures.Executor` runs a sweep's independent tasks.

``None`` (in-process, in order) by default; a local process pool for ``workers > 1``; a Dask cluster for
sweeps that outgrow one machine (``pip install "nnlimits[dask]"``, then ``--dask tcp://scheduler:8786`` or
``--dask local`` for a local cluster). Nothing here schedules tasks: the chosen engine does.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def make_executor(workers: int = 1, dask: str | None = None) -> Iterator[Executor | None]:
    """Context manager yielding the executor for ``workers`` local processes or a Dask address."""
    if workers < 1:
        raise ValueError(f"workers: expected a positive number of processes, got {workers}")
    if dask is not None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ValueError('dask: the Dask engine needs `pip install "nnlimits[dask]"`') from None
        if dask == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
            client = Client(cluster)
        else:
            cluster, client = None, Client(dask)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    if workers == 1:
        yield None
        return
    # spawn: numba's threading layer and forked parents do not mix; workers share the on-disk JIT cache
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1), mp_context=ctx) as pool:
        yield pool
