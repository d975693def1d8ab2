"""Reproducing kernels of the curvature penalties ``∫ f''²/g`` (Heiss, Teichmann & Wutte, arXiv 1911.02903,
Theorem 3.8 and the definition of the adapted spline; docs/spline.md).

Every penalty here is the squared norm of a reproducing-kernel space, so its penalised least-squares
minimiser is a finite kernel expansion ``f = Σ α_i k(·, x_i) + Σ c_j p_j`` (``p_j`` spanning the unpenalised
part). A kernel gives ``∂_x^r k(x, x')`` for ``r = 0, 1, 2`` as a matrix and names its unpenalised part.

- :class:`SplitKernel` — the paper's adapted spline. With ``g± (s) = p_ξ(s) E[v² 1{±v > 0} | ξ = s]``,

  .. math:: k(x,x') = \\int g_+(s)(x-s)_+(x'-s)_+\\,ds + \\int g_-(s)(s-x)_+(s-x')_+\\,ds ,

  whose norm is ``min_{f = f₊ + f₋} ∫ f₊''²/g₊ + ∫ f₋''²/g₋`` (``f₊ = ∫(x−s)₊ f₊''(s) ds`` vanishes at
  ``−∞``, ``f₋`` at ``+∞``); no unpenalised part. With the cumulative kink moments
  ``A₊(m) = ∫_{−∞}^m g₊``, ``B₊(m) = −∫_{−∞}^m s g₊``, ``C₊(m) = ∫_{−∞}^m s² g₊`` and their right-hand
  counterparts ``A₋, B₋, C₋`` (integrals over ``(M, ∞)`` of ``g₋``),
  ``k(x,x') = x x' A₊(m) + (x + x') B₊(m) + C₊(m) + x x' A₋(M) + (x + x') B₋(M) + C₋(M)``,
  ``m = min(x,x')``, ``M = max(x,x')``. These moments are exactly the expectations
  ``E[v², v b, b² ; ±v > 0, kink left/right of the point]`` of the finite network, which the numerical
  layer accumulates from the drawn neurons: one model, its limit and its finite experiment. Their totals
  ``∫ s^p g±`` are ``(−1)^p E[b^p] E[v^{2−p}; ±v > 0]``; given the law's (:attr:`SplitKernel.totals`, from
  :func:`theory.spline.kink_weight.kink_moments`), every use of the moments checks them
  (:func:`check_totals`).
- :class:`CubicKernel` — constant ``g ≡ g₀``: ``k = g₀ |x − x'|³/12`` with the affine functions unpenalised,
  i.e. the natural cubic smoothing spline (``scipy.interpolate.make_smoothing_spline``).
- :class:`SingleKernel` — a *wrong* reading, kept as the natural mutant (docs/spline.md): one spline
  penalising ``∫ f''²/g`` with only the slope condition ``f'(−∞) + f'(+∞) = 0``. Its kernel is
  ``½ ∫ g(s) |x − s| |x' − s| ds`` with the constants unpenalised.

Moments are integrated numerically with composite Gauss–Legendre on panels between the sorted points,
tails mapped to a finite interval: accurate to ~1e-13 for the smooth weights of the known laws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Weight = Callable[[np.ndarray], np.ndarray]

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(20)
#: panel step in asinh(s/scale) (a relative panel length in the tails)
MAX_PANEL = 0.25
#: geometric panels of the tails, mapped to u ∈ (0, 1], s = P ∓ (1 − u)/u
_TAIL_EDGES = np.concatenate([[0.0], np.geomspace(1e-15, 1.0, 60)])
#: relative agreement required of the totals ``∫ s^p w`` of the cumulative moments with the law's exact kink
#: moments (the quadrature is accurate to ~1e-13; p = 1 is measured against ``√(T₀ T₂)``)
TOTALS_RTOL = 1e-10


class KinkMomentError(ValueError):
    """The totals of a kernel's cumulative kink moments disagree with the exact moments of the law."""


def check_totals(name: str, L: np.ndarray, R: np.ndarray, expected: tuple[float, float, float] | None) -> None:
    """``L[:, 0] + R[:, 0]`` (``∫ s^p w`` for ``p = 0, 1, 2``, the same at every point) against ``expected``
    (exact, from the law: :func:`theory.spline.kink_weight.kink_moments`); :class:`KinkMomentError` beyond
    :data:`TOTALS_RTOL`. ``expected`` ``None``: no law to check against (a deformed or hand-given weight)."""
    if expected is None:
        return
    got = L[:, 0] + R[:, 0]
    e = np.asarray(expected, float)
    scale = np.array([abs(e[0]), np.sqrt(abs(e[0] * e[2])), abs(e[2])])
    err = np.abs(got - e) / scale
    if not np.all(err <= TOTALS_RTOL):
        p = int(np.argmax(np.where(np.isfinite(err), err, np.inf)))
        raise KinkMomentError(f"{name}: ∫ s^{p} w(s) ds = {got[p]:.15g} from the weight, but the law's kinks carry "
                              f"{e[p]:.15g} (relative {err[p]:.3g} > {TOTALS_RTOL:g})")


def _gl(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of the 20-point rule on every panel ``[a_k, b_k]``: shapes (panels, 20)."""
    half, mid = (b - a) / 2, (b + a) / 2
    return mid[:, None] + half[:, None] * _NODES, half[:, None] * _WEIGHTS


def cumulative_moments(weight: Weight, points: np.ndarray, scale: float = 1.0,
                       breaks: tuple[float, ...] = (0.0,)) -> tuple[np.ndarray, np.ndarray]:
    """``L[p, j] = ∫_{−∞}^{P_j} s^p w(s) ds`` and ``R[p, j] = ∫_{P_j}^{∞} s^p w(s) ds`` for ``p = 0, 1, 2``
    at sorted ``points`` (shape (3, len(points)) each).

    Panels run between consecutive points and the weight's ``breaks`` (where it is not smooth), uniform in
    ``asinh(s/scale)`` with step ``MAX_PANEL`` (``scale``: the width on which the weight varies, the kink
    scale of a law): ``MAX_PANEL·scale`` long near the kinks, ``MAX_PANEL·|s|`` in the tails.
    """
    given = np.asarray(points, dtype=float)
    inner = np.concatenate([given, np.asarray(breaks, float)])
    # guard points out to 64 scales beyond the outermost point: the tails start where the weight has
    # reached its asymptotic (power-law or faster) decay
    guards = scale * 2.0 ** np.arange(7)
    P = np.unique(np.concatenate([inner, inner.min() - guards, inner.max() + guards]))
    keep = np.searchsorted(P, given)
    # panels between consecutive points, uniform in φ = asinh(s/scale): about MAX_PANEL·scale long where
    # the kinks are, growing like MAX_PANEL·|s| in the tails (where the weight decays like a power of s)
    phi = np.arcsinh(P / scale)
    gaps = np.diff(P)
    counts = np.maximum(1, np.ceil(np.diff(phi) / MAX_PANEL).astype(int))
    owner = np.repeat(np.arange(gaps.size), counts)
    frac = (np.arange(owner.size) - np.repeat(np.cumsum(counts) - counts, counts)) / np.repeat(counts, counts)
    dphi = np.repeat(np.diff(phi), counts)
    lo_phi = np.repeat(phi[:-1], counts) + frac * dphi
    start = scale * np.sinh(lo_phi)
    stop = scale * np.sinh(lo_phi + dphi / np.repeat(counts, counts))
    stop[np.cumsum(counts) - 1] = P[1:]  # exact panel ends at the points
    s, w = _gl(start, stop)
    ws = weight(s.ravel()).reshape(s.shape) * w
    gap_int = np.zeros((3, gaps.size))
    for p in range(3):
        np.add.at(gap_int[p], owner, (ws * s**p).sum(axis=1))
    # tails: s = P_0 − ℓ(1 − u)/u on the left, s = P_end + ℓ(1 − u)/u on the right, ds = ℓ du/u²
    u, wu = _gl(_TAIL_EDGES[:-1], _TAIL_EDGES[1:])
    u, wu = u.ravel(), wu.ravel()
    ell = 64 * scale
    left_s, right_s = P[0] - ell * (1 - u) / u, P[-1] + ell * (1 - u) / u
    left_w, right_w = weight(left_s) * ell * wu / u**2, weight(right_s) * ell * wu / u**2
    left = np.array([(left_w * left_s**p).sum() for p in range(3)])
    right = np.array([(right_w * right_s**p).sum() for p in range(3)])
    L = left[:, None] + np.concatenate([np.zeros((3, 1)), np.cumsum(gap_int, axis=1)], axis=1)
    R = right[:, None] + np.concatenate([np.cumsum(gap_int[:, ::-1], axis=1)[:, ::-1], np.zeros((3, 1))], axis=1)
    return L[:, keep], R[:, keep]


def _union(xs: np.ndarray, knots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pts, inv = np.unique(np.concatenate([xs, knots]), return_inverse=True)
    return pts, inv[: xs.size], inv[xs.size:]


@dataclass(frozen=True)
class SplitKernel:
    """The adapted-spline kernel with the paper's split ``f = f₊ + f₋`` (weights ``g₊``, ``g₋``)."""

    g_plus: Weight
    g_minus: Weight
    scale: float = 1.0
    breaks: tuple[float, ...] = (0.0,)
    null_degree: int = -1  # nothing unpenalised
    #: the law's exact ``(∫ s^p g₊, ∫ s^p g₋)``, p = 0, 1, 2, checked on every use (None: not checked)
    totals: tuple[tuple[float, ...], tuple[float, ...]] | None = None

    def moments(self, points: np.ndarray) -> np.ndarray:
        """``(A₊, B₊, C₊, A₋, B₋, C₋)`` at sorted ``points``: shape (6, len(points)); their totals
        (``A₊ + ∫_{P}^{∞} g₊`` …) are checked against :attr:`totals`."""
        Lp, Rp = cumulative_moments(self.g_plus, points, self.scale, self.breaks)
        Lm, Rm = cumulative_moments(self.g_minus, points, self.scale, self.breaks)
        if self.totals is not None:
            check_totals("g_plus", Lp, Rp, self.totals[0])
            check_totals("g_minus", Lm, Rm, self.totals[1])
        return np.array([Lp[0], -Lp[1], Lp[2], Rm[0], -Rm[1], Rm[2]])

    def matrix(self, xs, knots, order: int = 0) -> np.ndarray:
        xs, knots = np.asarray(xs, float), np.asarray(knots, float)
        if order == 2:
            d = knots[None, :] - xs[:, None]
            return (self.g_plus(xs)[:, None] * np.maximum(d, 0.0)
                    + self.g_minus(xs)[:, None] * np.maximum(-d, 0.0))
        pts, ix, ik = _union(xs, knots)
        return kernel_from_moments(self.moments(pts), pts, ix, ik, order)


def kernel_from_moments(mom: np.ndarray, pts: np.ndarray, ix: np.ndarray, ik: np.ndarray,
                        order: int) -> np.ndarray:
    """``∂_x^order k(x, x')`` (order 0 or 1) from the six cumulative kink moments at the sorted ``pts``;
    ``ix``/``ik`` index the rows' and the columns' points in ``pts``."""
    lo = np.minimum(ix[:, None], ik[None, :])
    hi = np.maximum(ix[:, None], ik[None, :])
    x, xp = pts[ix][:, None], pts[ik][None, :]
    A1, B1, C1, A2, B2, C2 = mom
    if order == 0:
        return x * xp * (A1[lo] + A2[hi]) + (x + xp) * (B1[lo] + B2[hi]) + C1[lo] + C2[hi]
    if order == 1:
        return xp * (A1[lo] + A2[hi]) + B1[lo] + B2[hi]
    raise ValueError(f"order: expected 0, 1 or 2, got {order}")


@dataclass(frozen=True)
class CubicKernel:
    """Constant weight ``g ≡ g0``: the natural cubic smoothing spline (affine part unpenalised)."""

    g0: float
    null_degree: int = 1  # 1 and x unpenalised

    def matrix(self, xs, knots, order: int = 0) -> np.ndarray:
        d = np.asarray(xs, float)[:, None] - np.asarray(knots, float)[None, :]
        if order == 0:
            return self.g0 * np.abs(d) ** 3 / 12
        if order == 1:
            return self.g0 * d * np.abs(d) / 4
        if order == 2:
            return self.g0 * np.abs(d) / 2
        raise ValueError(f"order: expected 0, 1 or 2, got {order}")


@dataclass(frozen=True)
class SingleKernel:
    """One spline with weight ``g = g₊ + g₋`` and only the slope condition (the natural mutant)."""

    g: Weight
    scale: float = 1.0
    breaks: tuple[float, ...] = (0.0,)
    null_degree: int = 0  # constants unpenalised
    #: the law's exact ``∫ s^p g``, p = 0, 1, 2, checked on every use (None: not checked)
    totals: tuple[float, ...] | None = None

    def matrix(self, xs, knots, order: int = 0) -> np.ndarray:
        xs, knots = np.asarray(xs, float), np.asarray(knots, float)
        if order == 2:
            return self.g(xs)[:, None] * np.abs(xs[:, None] - knots[None, :])
        pts, ix, ik = _union(xs, knots)
        L, R = cumulative_moments(self.g, pts, self.scale, self.breaks)
        check_totals("g", L, R, self.totals)
        T = L[:, -1] + R[:, -1]  # totals ∫ s^p g
        lo = np.minimum(ix[:, None], ik[None, :])
        hi = np.maximum(ix[:, None], ik[None, :])
        x, xp = pts[ix][:, None], pts[ik][None, :]
        dL = [L[p][hi] - L[p][lo] for p in range(3)]
        if order == 0:  # ½∫g(x−s)(x'−s) − ∫_m^M g(x−s)(x'−s)
            return (0.5 * (x * xp * T[0] - (x + xp) * T[1] + T[2])
                    - (x * xp * dL[0] - (x + xp) * dL[1] + dL[2]))
        if order == 1:
            return 0.5 * (xp * T[0] - T[1]) - (xp * dL[0] - dL[1])
        raise ValueError(f"order: expected 0, 1 or 2, got {order}")
