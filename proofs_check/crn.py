"""Common random numbers along a ladder: the width-n draw is a prefix of the width-2n draw.

Draws are made in fixed blocks, block ``k`` from the ``k``-th child of the task's seed sequence, so the
first ``n`` values never depend on how many are drawn in all (diffrax's shared Brownian keys).
"""

from __future__ import annotations

import zlib
from typing import Callable

import numpy as np

BLOCK = 4096


def claim_seed(root_seed: int, claim_id: str, seed_index: int) -> np.random.SeedSequence:
    """The seed sequence of one (claim, seed) pair: independent of the rung, recorded in reports."""
    if root_seed < 0:
        raise ValueError(f"root_seed: expected a non-negative integer, got {root_seed}")
    return np.random.SeedSequence(entropy=root_seed, spawn_key=(zlib.crc32(claim_id.encode()), seed_index))


def child(seed: np.random.SeedSequence, stream: int) -> np.random.SeedSequence:
    """Independent sub-stream ``stream`` of ``seed`` (e.g. 0: hidden weights, 1: noise, 2: data)."""
    return np.random.SeedSequence(entropy=seed.entropy, spawn_key=tuple(seed.spawn_key) + (int(stream),))


def prefix_draw(
    seed: np.random.SeedSequence,
    n: int,
    draw: Callable[[np.random.Generator, int], np.ndarray],
    stream: int = 0,
) -> np.ndarray:
    """First ``n`` samples of an infinite i.i.d. sequence: ``draw(rng, m)`` returns ``m`` samples
    (shape ``(m, ...)``). ``prefix_draw(s, n)`` equals ``prefix_draw(s, 2n)[:n]`` exactly."""
    n = int(n)
    if n < 0:
        raise ValueError(f"n: expected a non-negative number of samples, got {n}")
    base = child(seed, stream)
    nblocks = -(-n // BLOCK)
    blocks = []
    for k in range(max(nblocks, 1)):
        rng = np.random.default_rng(child(base, k))
        blocks.append(draw(rng, BLOCK))
    out = np.concatenate(blocks, axis=0)
    return out[:n]


def seed_record(seed: np.random.SeedSequence) -> dict:
    """JSON-able record of a seed sequence (enough to redo the draw)."""
    return {"entropy": int(seed.entropy), "spawn_key": [int(k) for k in seed.spawn_key]}
