"""Ridgelet spectra from samples of a target, and the integral representation, by quadrature.

Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441); Sonoda & Murata 2017; docs/ridgelet.md#conventions.
Conventions: ``R[f;ρ](a,b) = ∫ f(x) ρ(a·x − b) dx`` (ρ real, so ``conj`` is dropped),
``S[γ](x) = ∫∫ γ(a,b) σ(a·x − b) da db``, ``ρ^♯(ω) = ∫ ρ(z) e^{−izω} dz``.

Three ways to the spectrum on an ``(a, b)`` grid from samples ``f(x_n)`` with quadrature weights ``w_n``
(all compute the same sum ``R_h(a,b) = Σ_n w_n f(x_n) ρ(a x_n − b)``, so they share its error):

- :func:`spectrum_direct` — numba, ``prange`` over the grid, ``O(N_a N_b N)``. For a uniform ``x`` grid
  and ``ρ = G^{(k)}`` the Gaussian factor ``e^{−z_n²/2}`` along ``z_n = a x_n − b`` is advanced by the exact
  multiplicative recurrence ``e_{n+1} = e_n q_n``, ``q_{n+1} = q_n e^{−(a h)²}``, started at the node
  nearest the peak and run outwards, restarted from exact exponentials every 32 nodes (two ``exp`` per
  32 terms, relative round-off ``≲ 10^{−13}``), in four interleaved chains; terms with
  ``|ρ(z)| < 2^{−60} max|ρ|`` are dropped (:func:`z_cut`: below the sum's own round-off). :func:`spectrum_direct_points` is the plain version for scattered
  points in ``ℝ^m``.
- :func:`spectrum_numpy` — the same sum by NumPy broadcasting, one ``a`` row at a time (the baseline).
- :func:`spectrum_fast` — the convolution-in-``b`` structure (Fourier slice):
  ``R_h(a,b) = (1/2π) ∫ F_h(ωa) conj(ρ^♯(ω)) e^{iωb} dω`` with ``F_h(ξ) = Σ_n w_n f(x_n) e^{−iξ x_n}``.
  Per ``a``: ``F_h`` on the uniform frequency grid ``ω_l a`` by a chirp-z transform (Bluestein: three
  FFTs), a product with ``conj ρ^♯``, one inverse FFT to the uniform ``b`` grid: ``O(N_a (N + M) log)``.
  The ω-rule is the trapezoid rule on an entire, Gaussian-decaying integrand, truncated where
  ``|ρ^♯| < 10^{−18} max|ρ^♯|`` and with a ``b``-period beyond the support of ``R_h``: its error is below
  round-off, so the fast path has the direct path's accuracy (tested).

Accuracy order (of all three, i.e. of ``R_h``): the trapezoid rule. For a target that is smooth and
decays on the sampled line it is spectrally accurate; for a target on ``[x_0, x_1]`` with ``f`` or ``f′``
non-zero at the ends (e.g. ``1 − x²`` on ``[−1, 1]``) the Euler–Maclaurin formula gives exactly order 2,
``R_h − R = (h²/12) [∂_x(fρ)]_{x_0}^{x_1} + O(h⁴)`` (claim ``ridgelet.quadrature``).

:func:`integral_representation` computes ``S[γ](x)`` on an ``x`` grid from ``γ`` on a tensor ``(a, b)``
grid with quadrature weights (numba, ``prange`` over ``x``); its order is that of the weights given.

Activations are passed as ``(kind, order)`` codes (``theory.ridgelet.activations.Activation.spec``):
``"gaussian"``/``"gaussian_derivative"`` (``G^{(k)}``), ``"relu"``, ``"step"``, ``"tanh"``. Ridgelet
functions ρ: ``G^{(k)}`` everywhere; the fast path also takes ``("tanh_ridgelet", j)``, the function
``ρ_j = (d/dz)^{2j}[e^{−z²/2} sin(πz/2)]`` matched to tanh (:func:`tanh_ridgelet_numpy`). Inputs are validated in the Python wrappers,
which raise ``ValueError`` naming the argument before any kernel runs; fastmath is off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numba
import numpy as np
from numba import njit, prange
from scipy import fft as sfft

from numerics.common.checks import as_array, as_vector

GAUSSIAN_DERIVATIVE = 0
RELU = 1
STEP = 2
TANH = 3
_KINDS = {"gaussian": GAUSSIAN_DERIVATIVE, "gaussian_derivative": GAUSSIAN_DERIVATIVE, "relu": RELU,
          "step": STEP, "tanh": TANH}
#: |z| beyond which e^{-z^2/2} < 1e-297: terms dropped by the direct kernel (below any float64 sum)
Z_CUT = 37.0
#: the direct kernel's recurrence is restarted from exact exponentials every RESYNC nodes, so its relative
#: round-off stays ≲ RESYNC² ε / 2 ≈ 10^{-13} whatever N (it grows like n² ε without restarts)
RESYNC = 32


# ----------------------------------------------------------------------------------------------------
# activations (numba)
# ----------------------------------------------------------------------------------------------------
@njit(cache=True)
def _hermite_poly(z, order):
    """``(−1)^k He_k(z)`` (probabilists'), so that ``G^{(k)}(z) = _hermite_poly(z, k) e^{−z²/2}``."""
    h_prev = 0.0
    h = 1.0
    for n in range(order):
        h_prev, h = h, z * h - n * h_prev
    return -h if order % 2 == 1 else h


@njit(cache=True)
def act(z, kind, order):
    """σ(z) for an activation code (module docstring)."""
    if kind == GAUSSIAN_DERIVATIVE:
        return _hermite_poly(z, order) * math.exp(-0.5 * z * z)
    if kind == RELU:
        return z if z > 0.0 else 0.0
    if kind == STEP:
        return 1.0 if z > 0.0 else (0.5 if z == 0.0 else 0.0)
    return math.tanh(z)


@njit(cache=True)
def act_and_derivative(z, kind, order):
    """``(σ(z), σ′(z))``."""
    if kind == GAUSSIAN_DERIVATIVE:
        e = math.exp(-0.5 * z * z)
        p = _hermite_poly(z, order)
        q = _hermite_poly(z, order + 1)  # G^{(k+1)} = (−1)^{k+1} He_{k+1} e
        return p * e, q * e
    if kind == RELU:
        return (z, 1.0) if z > 0.0 else (0.0, 0.0)
    if kind == STEP:
        return (1.0 if z > 0.0 else (0.5 if z == 0.0 else 0.0)), 0.0
    t = math.tanh(z)
    return t, 1.0 - t * t


def activation_code(spec) -> tuple[int, int]:
    """``(kind code, order)`` from ``(name, order)``, a name, or an object with a ``spec`` attribute."""
    if hasattr(spec, "spec"):
        spec = spec.spec
    if isinstance(spec, str):
        spec = (spec, 0)
    try:
        name, order = spec
        code = _KINDS[name]
    except (TypeError, ValueError, KeyError):
        raise ValueError(f"sigma: expected one of {sorted(_KINDS)} (with an order for Gaussian derivatives), "
                         f"got {spec!r}") from None
    if isinstance(order, bool) or int(order) != order or order < 0:
        raise ValueError(f"sigma: the order must be a non-negative integer, got {order!r}")
    return code, int(order)


# ----------------------------------------------------------------------------------------------------
# validation helpers
# ----------------------------------------------------------------------------------------------------
def _uniform_step(name: str, x: np.ndarray) -> float:
    h = (x[-1] - x[0]) / (x.size - 1)
    if not h > 0 or np.max(np.abs(np.diff(x) - h)) > 1e-9 * max(abs(h), 1.0):
        raise ValueError(f"{name}: expected an increasing uniform grid")
    return float(h)


def trapezoid_weights(x) -> np.ndarray:
    """Trapezoid weights ``h·(½, 1, …, 1, ½)`` of a uniform grid ``x``."""
    x = as_vector("x", x, min_size=2)
    h = _uniform_step("x", x)
    w = np.full(x.size, h)
    w[0] = w[-1] = h / 2
    return w


@dataclass(frozen=True)
class Samples:
    """Samples ``f(x_n)`` on a uniform grid with quadrature weights: the input of every spectrum.

    ``domain="interval"``: ``f`` lives on ``[x_0, x_{N−1}]`` (zero outside). ``domain="line"``: the grid
    truncates ``ℝ``; then ``f`` must have decayed at both ends (below ``decay_tol`` times its maximum),
    otherwise the target is not integrable on the sampled line and a ``ValueError`` is raised.
    """

    x: np.ndarray
    f: np.ndarray
    w: np.ndarray
    h: float

    @classmethod
    def from_grid(cls, x, f, weights=None, domain: str = "interval", decay_tol: float = 1e-12) -> "Samples":
        x = as_vector("x", x, min_size=3)
        h = _uniform_step("x", x)
        f = as_vector("f", f, x.size, what="samples (one per grid point x)")
        if weights is None:
            w = trapezoid_weights(x)
        else:
            w = as_vector("weights", weights, x.size, what="quadrature weights")
        if domain not in ("interval", "line"):
            raise ValueError(f"domain: expected 'interval' or 'line', got {domain!r}")
        if domain == "line":
            scale = np.max(np.abs(f))
            if scale > 0 and max(abs(f[0]), abs(f[-1])) > decay_tol * scale:
                raise ValueError(
                    "f: the samples do not decay at the ends of the grid (|f(x_0)|, |f(x_N)| = "
                    f"{abs(f[0]):.3g}, {abs(f[-1]):.3g} vs max {scale:.3g}); f is not integrable on the sampled "
                    "line, or the grid is too short")
        return cls(x, f, w, h)


@lru_cache(maxsize=None)
def z_cut(order: int, rel: float = 2.0**-60) -> float:
    """Smallest ``z_c`` with ``|G^{(k)}(z)| ≤ rel · max|G^{(k)}|`` for ``|z| ≥ z_c`` (``rel = 2^{−60}``).

    The direct kernel drops the terms beyond it: together they are below ``rel · max|ρ| · Σ_n |w_n f_n|``,
    under the float64 round-off of the sum itself (``≳ ε Σ|terms|``, ``ε = 2^{−52}``).
    """
    z = np.linspace(0.0, Z_CUT, 370001)
    h_prev, hh = np.zeros_like(z), np.ones_like(z)
    for n in range(order):
        h_prev, hh = hh, z * hh - n * h_prev
    mag = np.abs(hh) * np.exp(-0.5 * z * z)
    above = np.nonzero(mag > rel * mag.max())[0]
    return float(min(Z_CUT, z[above[-1] + 1] + 1e-9))


def _ridgelet_order(rho) -> int:
    code, order = activation_code(rho)
    if code != GAUSSIAN_DERIVATIVE:
        raise ValueError(f"rho: expected a Gaussian-derivative ridgelet function G^(k), got {rho!r}")
    return order


# ----------------------------------------------------------------------------------------------------
# direct quadrature
# ----------------------------------------------------------------------------------------------------
@njit(cache=True)
def _sweep(x0, h, g, ai, bj, order, start, stop, step, zcut):
    """``Σ g[m] G^{(order)}(a x_m − b)`` for ``m = start, start + step, …`` (``step = ±1``) until ``stop`` or
    until ``|z| > zcut`` moving away from the peak.

    Blocks of :data:`RESYNC` nodes, each started from exact exponentials; inside a block
    ``e_m = e^{−z_m²/2}`` advances by the exact recurrence ``e_{m+1} = e_m q_m``, ``q_{m+1} = q_m e^{−d²}``
    (``d = ±a h``), split into four interleaved chains of stride 4 (``Q = q_m q_{m+1} q_{m+2} q_{m+3}``,
    ``Q ← Q e^{−16d²}``) so that the four products run in parallel: no ``exp`` and no branch in the loop."""
    d = step * ai * h
    r = math.exp(-d * d)
    r16 = r ** 16
    acc0 = 0.0
    acc1 = 0.0
    acc2 = 0.0
    acc3 = 0.0
    m = start
    while (m - stop) * step < 0:
        z = ai * (x0 + m * h) - bj
        if abs(z) > zcut and z * d > 0.0:
            break
        left = (stop - m) * step
        count = RESYNC if left > RESYNC else left
        e = math.exp(-0.5 * z * z)
        q = math.exp(-z * d - 0.5 * d * d)
        if count < 8:
            for _ in range(count):
                acc0 += g[m] * _hermite_poly(z, order) * e
                e *= q
                q *= r
                z += d
                m += step
            continue
        e0 = e
        q0 = q
        e1 = e0 * q0
        q1 = q0 * r
        e2 = e1 * q1
        q2 = q1 * r
        e3 = e2 * q2
        q3 = q2 * r
        q4 = q3 * r
        q5 = q4 * r
        q6 = q5 * r
        Q0 = q0 * q1 * q2 * q3
        Q1 = q1 * q2 * q3 * q4
        Q2 = q2 * q3 * q4 * q5
        Q3 = q3 * q4 * q5 * q6
        z0 = z
        z1 = z + d
        z2 = z + 2 * d
        z3 = z + 3 * d
        d4 = 4 * d
        quads = count // 4
        for _ in range(quads):
            acc0 += g[m] * _hermite_poly(z0, order) * e0
            acc1 += g[m + step] * _hermite_poly(z1, order) * e1
            acc2 += g[m + 2 * step] * _hermite_poly(z2, order) * e2
            acc3 += g[m + 3 * step] * _hermite_poly(z3, order) * e3
            e0 *= Q0
            e1 *= Q1
            e2 *= Q2
            e3 *= Q3
            Q0 *= r16
            Q1 *= r16
            Q2 *= r16
            Q3 *= r16
            z0 += d4
            z1 += d4
            z2 += d4
            z3 += d4
            m += 4 * step
        for _ in range(count - 4 * quads):
            acc0 += g[m] * _hermite_poly(z0, order) * e0
            e0 = math.exp(-0.5 * (z0 + d) * (z0 + d))
            z0 += d
            m += step
    return (acc0 + acc1) + (acc2 + acc3)


@njit(cache=True, parallel=True)
def _direct_uniform(x0, h, g, a, b, order, zcut, out):
    """``out[i, j] = Σ_n g[n] G^{(order)}(a_i x_n − b_j)`` for ``x_n = x0 + n h`` (recurrence; docstring)."""
    na, nb = out.shape
    n = g.shape[0]
    for idx in prange(na * nb):
        i = idx // nb
        j = idx % nb
        ai = a[i]
        bj = b[j]
        if ai == 0.0:
            acc = 0.0
            for m in range(n):
                acc += g[m]
            out[i, j] = acc * _hermite_poly(-bj, order) * math.exp(-0.5 * bj * bj)
            continue
        # start at the node nearest the peak z = 0 and sweep outwards
        s = (bj / ai - x0) / h
        n0 = int(math.floor(s + 0.5)) if abs(s) < 4 * n else (0 if s < 0 else n - 1)
        if n0 < 0:
            n0 = 0
        elif n0 > n - 1:
            n0 = n - 1
        out[i, j] = (_sweep(x0, h, g, ai, bj, order, n0, n, 1, zcut)
                     + _sweep(x0, h, g, ai, bj, order, n0 - 1, -1, -1, zcut))


@njit(cache=True, parallel=True)
def _direct_points(X, g, A, b, kind, order, out):
    """``out[i, j] = Σ_n g[n] σ(A_i · X_n − b_j)`` for scattered points ``X`` (N, m)."""
    na, nb = out.shape
    n, m = X.shape
    for idx in prange(na * nb):
        i = idx // nb
        j = idx % nb
        acc = 0.0
        for p in range(n):
            z = -b[j]
            for k in range(m):
                z += A[i, k] * X[p, k]
            acc += g[p] * act(z, kind, order)
        out[i, j] = acc


def spectrum_direct(samples: Samples, a, b, rho=("gaussian_derivative", 2)) -> np.ndarray:
    """``R_h[f;ρ](a_i, b_j) = Σ_n w_n f(x_n) ρ(a_i x_n − b_j)`` on the grid ``a × b`` (m = 1, numba).

    Parameters
    ----------
    samples:
        :class:`Samples` (uniform grid, weights).
    a, b:
        1-D arrays of the grid.
    rho:
        ``("gaussian_derivative", k)`` (or an object with ``spec``): ``ρ = G^{(k)}``.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(a), len(b))``.
    """
    order = _ridgelet_order(rho)
    a = as_vector("a", a, min_size=1)
    b = as_vector("b", b, min_size=1)
    out = np.empty((a.size, b.size))
    _direct_uniform(float(samples.x[0]), samples.h, samples.w * samples.f, a, b, order, z_cut(order), out)
    return out


def spectrum_direct_points(X, g, A, b, rho=("gaussian_derivative", 2)) -> np.ndarray:
    """``Σ_n g_n ρ(A_i·X_n − b_j)`` for points ``X`` (N, m) with weighted samples ``g_n = w_n f(X_n)`` and
    directions ``A`` (N_a, m): the m-dimensional direct quadrature (plain ``exp``, numba)."""
    code, order = activation_code(rho)
    X = as_array("X", X, 2)
    A = as_array("A", A, 2)
    if A.shape[1] != X.shape[1]:
        raise ValueError(f"A: expected shape (N_a, {X.shape[1]}) (same dimension m as X), got {A.shape}")
    g = as_vector("g", g, X.shape[0], min_size=1, what="weighted samples (one per point)")
    b = as_vector("b", b, min_size=1)
    out = np.empty((A.shape[0], b.size))
    _direct_points(X, g, A, b, code, order, out)
    return out


def spectrum_numpy(samples: Samples, a, b, rho=("gaussian_derivative", 2)) -> np.ndarray:
    """The same sum as :func:`spectrum_direct` by NumPy broadcasting (one ``a`` row at a time, an
    ``N_b × N`` temporary per row): the baseline of the benchmark."""
    order = _ridgelet_order(rho)
    a = as_vector("a", a, min_size=1)
    b = as_vector("b", b, min_size=1)
    g = samples.w * samples.f
    out = np.empty((a.size, b.size))
    sign = -1.0 if order % 2 else 1.0
    for i, ai in enumerate(a):
        z = ai * samples.x[None, :] - b[:, None]
        h_prev, h = np.zeros_like(z), np.ones_like(z)
        for n in range(order):
            h_prev, h = h, z * h - n * h_prev
        out[i] = (sign * h * np.exp(-0.5 * z * z)) @ g
    return out


# ----------------------------------------------------------------------------------------------------
# fast path: chirp-z in x, FFT in b
# ----------------------------------------------------------------------------------------------------
def _rho_hat(order: int, w: np.ndarray) -> np.ndarray:
    return (1j * w) ** order * math.sqrt(2 * math.pi) * np.exp(-0.5 * w * w)


def _omega_cut(order: int, rel: float = 1e-18) -> float:
    """Smallest Ω with ``|ρ^♯(ω)| ≤ rel · max|ρ^♯|`` for ``|ω| ≥ Ω``."""
    w = np.linspace(0.0, 60.0, 60001)
    mag = np.abs(w) ** order * np.exp(-0.5 * w * w)
    peak = mag.max()
    above = np.nonzero(mag > rel * peak)[0]
    return float(w[above[-1] + 1])


# the ridgelet function matched to tanh (theory.ridgelet.activations.tanh_ridgelet):
# ρ_j(z) = (d/dz)^{2j}[e^{−z²/2} sin(πz/2)] = e^{−π²/8} Im[He_{2j}(z − iπ/2) e^{−(z − iπ/2)²/2}],
# ρ_j^♯(ω) = (−1)^{j+1} i √(2π) ω^{2j} · ½(e^{−(ω−π/2)²/2} − e^{−(ω+π/2)²/2})  (= … e^{−π²/8} sinh(πω/2) e^{−ω²/2})
def tanh_ridgelet_numpy(j: int, z) -> np.ndarray:
    """``ρ_j(z)`` of :func:`theory.ridgelet.activations.tanh_ridgelet` on a float array (complex Hermite recurrence)."""
    z = np.asarray(z, dtype=float)
    u = z - 0.5j * math.pi
    h_prev, h = np.zeros_like(u), np.ones_like(u)
    for n in range(2 * j):
        h_prev, h = h, u * h - n * h_prev
    return np.imag(h * np.exp(-0.5 * u * u)) * math.exp(-math.pi**2 / 8)


def _tanh_rho_hat(j: int, w: np.ndarray) -> np.ndarray:
    half = 0.5 * math.pi
    return ((-1) ** (j + 1) * 1j * math.sqrt(2 * math.pi) * w ** (2 * j)
            * 0.5 * (np.exp(-0.5 * (w - half) ** 2) - np.exp(-0.5 * (w + half) ** 2)))


@lru_cache(maxsize=None)
def _tanh_cuts(j: int, rel_w: float = 1e-18, rel_z: float = 2.0**-60) -> tuple[float, float]:
    """``(Ω, z_c)`` of ``ρ_j``: beyond them ``|ρ_j^♯| ≤ rel_w max|ρ_j^♯|`` and ``|ρ_j| ≤ rel_z max|ρ_j|``."""
    w = np.linspace(0.0, 60.0, 60001)
    mag = np.abs(_tanh_rho_hat(j, w))
    om = float(w[np.nonzero(mag > rel_w * mag.max())[0][-1] + 1])
    z = np.linspace(0.0, Z_CUT, 37001)
    u = z - 0.5j * math.pi
    h_prev, h = np.zeros_like(u), np.ones_like(u)
    for n in range(2 * j):
        h_prev, h = h, u * h - n * h_prev
    mz = np.abs(h) * np.exp(-0.5 * z * z)  # ≥ |ρ_j(z)| e^{π²/8}·e^{−π²/8}: an envelope of ρ_j
    zc = float(min(Z_CUT, z[np.nonzero(mz > rel_z * mz.max())[0][-1] + 1] + 1e-9))
    return om, zc


def _fast_ridgelet(rho) -> tuple[Callable, float, float]:
    """``(ρ^♯ as a function of ω, Ω, z_c)`` for the fast path: ``G^{(k)}`` or ``("tanh_ridgelet", j)``."""
    if isinstance(rho, tuple) and len(rho) == 2 and rho[0] == "tanh_ridgelet":
        j = rho[1]
        if isinstance(j, bool) or int(j) != j or j < 0:
            raise ValueError(f"rho: the order j of the tanh ridgelet function must be a non-negative integer, got {j!r}")
        om, zc = _tanh_cuts(int(j))
        return (lambda w: _tanh_rho_hat(int(j), w)), om, zc
    order = _ridgelet_order(rho)
    return (lambda w: _rho_hat(order, w)), _omega_cut(order), z_cut(order)


@njit(cache=True)
def _chirp_rows(c0, c1, c2, first, scale, out):
    """``out[r, n] = scale[n] · exp(i (c0[r] + c1[r] k + c2[r] k²))`` with ``k = first + n``, by the exact
    recurrence ``E_{k+1} = E_k W_k``, ``W_{k+1} = W_k e^{2 i c2}`` in blocks of :data:`RESYNC` entries, each
    started from ``cos``/``sin`` of the exact phase (round-off ``≲ RESYNC ε``). Serial: at ~2 ns an entry
    it costs less than the FFTs it feeds."""
    rows, n = out.shape
    for r in range(rows):
        a0 = c0[r]
        a1 = c1[r]
        a2 = c2[r]
        cs = math.cos(2.0 * a2)
        sn = math.sin(2.0 * a2)
        i0 = 0
        while i0 < n:
            k = float(first + i0)
            ph = a0 + a1 * k + a2 * k * k
            er = math.cos(ph)
            ei = math.sin(ph)
            ph = a1 + a2 * (2.0 * k + 1.0)
            wr = math.cos(ph)
            wi = math.sin(ph)
            stop = min(i0 + RESYNC, n)
            for idx in range(i0, stop):
                out[r, idx] = scale[idx] * complex(er, ei)
                er, ei = er * wr - ei * wi, er * wi + ei * wr
                wr, wi = wr * cs - wi * sn, wr * sn + wi * cs
            i0 = stop


def spectrum_fast(samples: Samples, a, b, rho=("gaussian_derivative", 2), chunk: int = 32,
                  workers: int | None = None) -> np.ndarray:
    """``R_h[f;ρ]`` on ``a × b`` through the Fourier slice (module docstring): per ``a`` a chirp-z transform
    of the weighted samples onto the frequencies ``ω_l a`` (Bluestein: the chirps by a numba recurrence,
    three FFTs), a product with ``conj ρ^♯(ω_l)`` and one inverse FFT onto the ``b`` grid. ``b`` must be a
    uniform grid; if it is coarser than the ω-range of ρ^♯ needs, the transform is taken on a grid
    refined by an integer factor and subsampled. ``workers``: FFT threads (default: numba's thread
    count, so that the two paths use the same cores).

    The ω grid has period ``P = max|b| + max|a| max|x| + z_c + 2`` in ``b`` (no alias of the support of
    ``R_h(a,·)`` reaches the output grid) and reaches ``|ω| = π/Δb`` beyond the cut of ρ^♯ (``10^{−18}``
    relative). Returns the same array as :func:`spectrum_direct` up to round-off (``≲ 10^{−12}``
    relative for ``N ≤ 10⁴``: the chirp phases ``α n²/2`` are float64).
    """
    rho_hat, omega_max, zc = _fast_ridgelet(rho)
    a = as_vector("a", a, min_size=1)
    b = as_vector("b", b, min_size=2)
    db = _uniform_step("b", b)
    if workers is None:
        workers = numba.get_num_threads()
    refine = max(1, math.ceil(db * omega_max / math.pi))
    dbf = db / refine
    nbf = (b.size - 1) * refine + 1
    x0, h, n = float(samples.x[0]), samples.h, samples.x.size
    g = np.ascontiguousarray(samples.w * samples.f, dtype=np.complex128)
    xmax = max(abs(samples.x[0]), abs(samples.x[-1]))
    bmax = max(abs(b[0]), abs(b[-1]))
    period = bmax + np.max(np.abs(a)) * xmax + zc + 2.0
    M = max(nbf, int(math.ceil(period / dbf)))
    M += M % 2
    M = sfft.next_fast_len(M)
    M += M % 2
    dw = 2 * math.pi / (M * dbf)
    w = (np.arange(M) - M // 2) * dw
    w0 = float(w[0])
    rho_weight = np.where(np.abs(w) <= omega_max, np.conj(rho_hat(w)), 0.0) * (dw / (2 * math.pi)) * M
    L = sfft.next_fast_len(n + M - 1)
    shift_b = np.exp(1j * w0 * (np.arange(nbf) * dbf))  # e^{i ω_0 q Δb}
    ones_v = np.ones(n + M - 1, dtype=np.complex128)
    rho_weight = np.ascontiguousarray(rho_weight, dtype=np.complex128)
    out = np.empty((a.size, b.size))
    for start in range(0, a.size, chunk):
        ac = a[start:start + chunk]
        rows = ac.size
        alpha = ac * dw * h
        zeros = np.zeros(rows)
        # u_n = g_n exp(−i(a ω_0 h n + α n²/2)), v_k = exp(i α k²/2), k = −(N−1) … M−1
        u = np.empty((rows, n), dtype=np.complex128)
        _chirp_rows(zeros, -ac * w0 * h, -0.5 * alpha, 0, g, u)
        v = np.empty((rows, n + M - 1), dtype=np.complex128)
        _chirp_rows(zeros, zeros, 0.5 * alpha, -(n - 1), ones_v, v)
        conv = sfft.ifft(sfft.fft(u, L, axis=1, workers=workers) * sfft.fft(v, L, axis=1, workers=workers),
                         axis=1, workers=workers)[:, n - 1:n - 1 + M]
        # F_h(ω_l a) e^{i ω_l b_0} = conv_l · exp(i(−α l²/2 − a x_0 ω_l + ω_l b_0)), ω_l = ω_0 + l Δω
        post = np.empty((rows, M), dtype=np.complex128)
        _chirp_rows(w0 * (b[0] - ac * x0), dw * (b[0] - ac * x0), -0.5 * alpha, 0, rho_weight, post)
        full = sfft.ifft(conv * post, axis=1, workers=workers)[:, :nbf] * shift_b[None, :]
        out[start:start + rows] = np.real(full[:, ::refine])
    return out


# ----------------------------------------------------------------------------------------------------
# integral representation S[γ](x)
# ----------------------------------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def _synthesis(x, a, wa, b, wb, gamma, kind, order, out):
    na, nb = gamma.shape
    for p in prange(x.shape[0]):
        acc = 0.0
        for i in range(na):
            row = 0.0
            for j in range(nb):
                row += wb[j] * gamma[i, j] * act(a[i] * x[p] - b[j], kind, order)
            acc += wa[i] * row
        out[p] = acc


def integral_representation(gamma, a, wa, b, wb, x, sigma) -> np.ndarray:
    """``S[γ](x_p) ≈ Σ_{i,j} w^a_i w^b_j γ(a_i, b_j) σ(a_i x_p − b_j)`` (m = 1, numba, ``prange`` over x).

    ``gamma`` has shape ``(len(a), len(b))``; ``wa``, ``wb`` are the quadrature weights of the two grids
    (e.g. Gauss–Legendre in ``a``, trapezoid in ``b``); ``sigma`` an activation spec.
    """
    code, order = activation_code(sigma)
    a = as_vector("a", a, min_size=1)
    wa = as_vector("wa", wa, a.size, what="weights (one per a node)")
    b = as_vector("b", b, min_size=1)
    wb = as_vector("wb", wb, b.size, what="weights (one per b node)")
    x = as_vector("x", x, min_size=1)
    gamma = as_array("gamma", gamma, 2)
    if gamma.shape != (a.size, b.size):
        raise ValueError(f"gamma: expected shape {(a.size, b.size)} (len(a), len(b)), got {gamma.shape}")
    out = np.empty(x.size)
    _synthesis(x, a, wa, b, wb, gamma, code, order, out)
    return out
