"""Rahimi & Recht, *Random features for large-scale kernel machines* (NeurIPS 2007), Claim 1: the
random-Fourier-feature approximation ``z(x)ᵀz(y)`` of a shift-invariant kernel converges uniformly on a
compact set, with error ``O(√(d log q / q))``; on a fixed finite grid the sup error is the sup of an
empirical process and decays like ``q^{-1/2}``.

Setting: the Gaussian kernel ``k(x, y) = exp(−|x − y|² / (2σ²))`` on ``[−1, 1]²`` with ``σ = 0.5``,
``z(x) = √(2/q) cos(Ωx + b)``, ``Ω_j ~ N(0, σ^{-2} I)``, ``b_j ~ U(0, 2π)``; the sup over a 12 × 12 grid.
``nnlimits verify --claims examples/own_theorem/nnlimits_rff/claims.py`` (or, installed, just
``nnlimits verify 'rff.*'``) checks it.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from proofs_check.papers import Paper, Statement
from proofs_check.simple import knob, mutant, rate_claim, theory

SIGMA = 0.5
_g = np.linspace(-1.0, 1.0, 12)
GRID = np.stack(np.meshgrid(_g, _g, indexing="ij"), axis=-1).reshape(-1, 2)


def gaussian_kernel(sigma: float) -> np.ndarray:
    """``k(x_i, x_j)`` on the grid for bandwidth ``sigma``."""
    d2 = ((GRID[:, None, :] - GRID[None, :, :]) ** 2).sum(-1)
    return np.exp(-d2 / (2.0 * sigma**2))


def rff_gram(q: float, rng: np.random.Generator) -> np.ndarray:
    """``z(x_i)ᵀ z(x_j)`` with ``q`` features. The uniforms are drawn row by row, so the ``q``-feature
    draw is a prefix of the ``2q``-feature draw (common random numbers along the ladder)."""
    u = rng.random((int(q), 3))
    omega = ndtri(u[:, :2]) / SIGMA
    b = 2.0 * np.pi * u[:, 2]
    z = np.sqrt(2.0 / q) * np.cos(GRID @ omega.T + b)
    return z @ z.T


def sup_error(gram: np.ndarray, kernel: np.ndarray) -> float:
    return float(np.abs(gram - kernel).max())


PAPER = Paper(
    key="rff", title="Random features for large-scale kernel machines", authors="A. Rahimi, B. Recht",
    venue="NeurIPS 2007", arxiv="—",
    statements=(Statement("Random Fourier features approximate the Gaussian kernel uniformly on a compact set, "
                          "with sup error ∝ q^{-1/2} on a fixed grid.", "Claim 1", "rff.sup_rate"),))

SupRate = rate_claim(
    "rff.sup_rate",
    title="RFF Gram → Gaussian kernel in sup norm at q^{-1/2}",
    reference="Rahimi–Recht 2007, Claim 1",
    statement=__doc__,
    parameter="features q",
    experiment=rff_gram,
    measure=sup_error,
    theory=theory(-0.5, target=gaussian_kernel(SIGMA), description="the Gaussian kernel, rate q^{-1/2}"),
    mutants=[mutant("wrong-rate", -1.0, target=gaussian_kernel(SIGMA), description="rate q^{-1}"),
             mutant("wrong-bandwidth", -0.5, target=gaussian_kernel(1.1 * SIGMA),
                    description="the kernel of bandwidth 1.1σ")],
    knobs=[knob("bandwidth", "constant", lambda e: gaussian_kernel(SIGMA * (1.0 + e)),
                description="σ of the limit kernel")],
    quick=([2.0**k for k in range(6, 14)], 12),
    full=([2.0**k for k in range(6, 18)], 32),
)

CLAIMS = [SupRate]
