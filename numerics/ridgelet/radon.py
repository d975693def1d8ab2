"""The ridgelet spectrum in m = 2 through the Radon transform, the direct 2-D sum, and 2-D synthesis/features.

With ``a = s u_θ`` (``u_θ = (cos θ, sin θ)``, ``θ ∈ [0, π)``, ``s ∈ ℝ``) the transform is the 1-D ridgelet
transform of the projection ``P_θ f(t) = ∫_{u_θ·x = t} f``: ``R[f;ρ](s u_θ, b) = ∫ P_θ f(t) ρ(s t − b) dt``
(``ρ`` real). The fast path (:func:`spectrum_radon`):

1. per direction, ``P_θ f(t_k)`` on a uniform ``t`` grid of ``[−r₀, r₀]`` (``f`` supported in the disc of
   radius ``r₀``, or decayed there) by a Gauss–Legendre rule on each chord ``|r| ≤ √(r₀² − t_k²)``
   (:func:`radon_projections`; ``f`` is a vectorised callable, evaluated once on all nodes);
2. per direction, the 1-D spectrum of the samples ``P_θ f(t_k)`` (trapezoid weights) by the chirp-z/FFT
   path :func:`numerics.ridgelet.spectrum.spectrum_fast` (convolution with ρ in ``b``).

In m = 3 (:func:`spectrum_radon_3d`) the projections are integrals over the planes ``u·x = t`` (a polar rule on
each plane's disc), then the same 1-D spectrum per direction.

The baseline (:func:`spectrum_direct_2d`, numba, ``prange`` over the ``a`` points) is the direct 2-D
trapezoid sum ``Σ_n w_n f(x_n) ρ(a·x_n − b)`` on a Cartesian grid: ``O(N²)`` per ``(a, b)`` point.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, as_vector, positive
from numerics.ridgelet import spectrum as rs
from numerics.ridgelet.spectrum import act, activation_code


def _check_callable(f) -> None:
    if not callable(f):
        raise ValueError(f"f: expected a vectorised callable f(x1, x2) on arrays, got {type(f).__name__}")


def _nodes(nodes) -> int:
    if isinstance(nodes, bool) or not isinstance(nodes, (int, np.integer)) or int(nodes) < 1:
        raise ValueError(f"nodes: expected a positive integer number of Gauss–Legendre nodes per chord, got {nodes!r}")
    return int(nodes)


def radon_projections(f, theta, t, radius: float, nodes: int = 64) -> np.ndarray:
    """``P_θ f(t_k) = ∫_{−c_k}^{c_k} f(t_k u_θ + r u_θ^⊥) dr``, ``c_k = √(radius² − t_k²)`` (zero for
    ``|t_k| ≥ radius``), by ``nodes``-point Gauss–Legendre on each chord; shape ``(len θ, len t)``.

    ``f`` is a vectorised callable ``f(x1, x2)`` supported in (or decayed outside) the disc ``|x| ≤ radius``.
    Exact for ``f`` polynomial of degree ``≤ 2·nodes − 1`` along lines inside the disc.
    """
    _check_callable(f)
    theta = as_vector("theta", theta, min_size=1)
    t = as_vector("t", t, min_size=1)
    radius = positive("radius", radius)
    nodes = _nodes(nodes)
    z, wz = np.polynomial.legendre.leggauss(nodes)
    c = np.sqrt(np.maximum(radius * radius - t * t, 0.0))
    r = c[:, None] * z[None, :]  # (t, nodes)
    cos, sin = np.cos(theta)[:, None, None], np.sin(theta)[:, None, None]
    x1 = t[None, :, None] * cos - r[None] * sin
    x2 = t[None, :, None] * sin + r[None] * cos
    vals = np.asarray(f(x1, x2), dtype=float)
    if vals.shape != x1.shape:
        raise ValueError(f"f: expected values of shape {x1.shape} on the chord nodes, got {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("f: non-finite values on the chord nodes")
    return (vals @ wz) * c[None, :]


def spectrum_radon(f, theta, s, b, rho=("gaussian_derivative", 2), radius: float = 1.0, intervals: int = 256,
                   nodes: int = 64) -> np.ndarray:
    """``R[f;ρ](s_i u_{θ_l}, b_j)`` on ``θ × s × b`` (shape ``(len θ, len s, len b)``) by the Radon route
    (module docstring): ``P_θ f`` on ``intervals + 1`` uniform nodes of ``[−radius, radius]``, then the 1-D
    fast spectrum of the projection (trapezoid rule in ``t``). ``b`` must be uniform."""
    theta = as_vector("theta", theta, min_size=1)
    s = as_vector("s", s, min_size=1)
    b = as_vector("b", b, min_size=2)
    radius = positive("radius", radius)
    if isinstance(intervals, bool) or not isinstance(intervals, (int, np.integer)) or intervals < 2:
        raise ValueError(f"intervals: expected an integer number of t intervals >= 2, got {intervals!r}")
    t = np.linspace(-radius, radius, int(intervals) + 1)
    P = radon_projections(f, theta, t, radius, nodes)
    out = np.empty((theta.size, s.size, b.size))
    for i in range(theta.size):
        samples = rs.Samples.from_grid(t, P[i], domain="interval")
        out[i] = rs.spectrum_fast(samples, s, b, rho)
    return out


def _plane_basis(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two unit vectors completing each unit row ``u`` of an ``(n, 3)`` array to an orthonormal basis."""
    helper = np.where(np.abs(u[:, :1]) < 0.9, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    e1 = helper - np.sum(helper * u, axis=1, keepdims=True) * u
    e1 /= np.linalg.norm(e1, axis=1, keepdims=True)
    return e1, np.cross(u, e1)


def radon_projections_3d(f, directions, t, radius: float, radial_nodes: int = 32, angular_nodes: int = 32) -> np.ndarray:
    """m = 3: ``P_u f(t_k) = ∫_{u·x = t_k, |x| ≤ radius} f`` on the plane's disc of radius ``c_k = √(radius² − t_k²)``,
    by Gauss–Legendre in the radius (weight ``r dr``) × the trapezoid rule in the angle; shape
    ``(len directions, len t)``. ``directions``: unit vectors, shape ``(n, 3)``; ``f(x1, x2, x3)`` vectorised."""
    _check_callable(f)
    u = as_array("directions", directions, 2)
    if u.shape[1] != 3 or not np.allclose(np.linalg.norm(u, axis=1), 1.0, atol=1e-12):
        raise ValueError(f"directions: expected unit vectors of shape (n, 3), got shape {u.shape}")
    t = as_vector("t", t, min_size=1)
    radius = positive("radius", radius)
    nr, nphi = _nodes(radial_nodes), _nodes(angular_nodes)
    z, wz = np.polynomial.legendre.leggauss(nr)
    rho, wrho = 0.5 * (z + 1.0), 0.25 * wz * (z + 1.0)  # ∫_0^1 g(ρ) ρ dρ
    phi = 2 * math.pi * np.arange(nphi) / nphi
    c = np.sqrt(np.maximum(radius * radius - t * t, 0.0))
    e1, e2 = _plane_basis(u)
    # offsets in the plane: (t, ρ, φ) → c ρ (cos φ e1 + sin φ e2)
    cr = c[:, None] * rho[None, :]
    dirs = np.cos(phi)[:, None] * e1[:, None, :] + np.sin(phi)[:, None] * e2[:, None, :]  # (n, φ, 3)
    pts = (t[None, :, None, None, None] * u[:, None, None, None, :]
           + cr[None, :, :, None, None] * dirs[:, None, None, :, :])  # (n, t, ρ, φ, 3)
    vals = np.asarray(f(pts[..., 0], pts[..., 1], pts[..., 2]), dtype=float)
    if vals.shape != pts.shape[:-1]:
        raise ValueError(f"f: expected values of shape {pts.shape[:-1]} on the plane nodes, got {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("f: non-finite values on the plane nodes")
    return np.einsum("ntrp,r->nt", vals, wrho) * (2 * math.pi / nphi) * (c * c)[None, :]


def spectrum_radon_3d(f, directions, s, b, rho=("gaussian_derivative", 2), radius: float = 1.0, intervals: int = 256,
                      radial_nodes: int = 32, angular_nodes: int = 32) -> np.ndarray:
    """m = 3: ``R[f;ρ](s_i u_l, b_j)`` (shape ``(len directions, len s, len b)``) by the Radon route: the plane
    projections of :func:`radon_projections_3d` on ``intervals + 1`` nodes of ``[−radius, radius]``, then the
    1-D fast spectrum per direction."""
    s = as_vector("s", s, min_size=1)
    b = as_vector("b", b, min_size=2)
    radius = positive("radius", radius)
    if isinstance(intervals, bool) or not isinstance(intervals, (int, np.integer)) or intervals < 2:
        raise ValueError(f"intervals: expected an integer number of t intervals >= 2, got {intervals!r}")
    t = np.linspace(-radius, radius, int(intervals) + 1)
    P = radon_projections_3d(f, directions, t, radius, radial_nodes, angular_nodes)
    out = np.empty((P.shape[0], s.size, b.size))
    for i in range(P.shape[0]):
        out[i] = rs.spectrum_fast(rs.Samples.from_grid(t, P[i], domain="interval"), s, b, rho)
    return out


@njit(cache=True, parallel=True)
def _direct_2d(X, g, A, b, kind, order, out):
    na = A.shape[0]
    nb = b.shape[0]
    n = X.shape[0]
    for i in prange(na):
        a1 = A[i, 0]
        a2 = A[i, 1]
        for j in range(nb):
            acc = 0.0
            bj = b[j]
            for q in range(n):
                acc += g[q] * act(a1 * X[q, 0] + a2 * X[q, 1] - bj, kind, order)
            out[i, j] = acc


def spectrum_direct_2d(X, g, A, b, rho=("gaussian_derivative", 2)) -> np.ndarray:
    """``Σ_n g_n ρ(a_i·x_n − b_j)`` (shape ``(len A, len b)``): the direct 2-D sum, with ``X`` the ``(n, 2)``
    nodes, ``g`` the weighted samples ``w_n f(x_n)`` and ``A`` the ``(n_a, 2)`` points ``a`` (numba)."""
    kind, order = activation_code(rho)
    X = as_array("X", X, 2)
    if X.shape[1] != 2:
        raise ValueError(f"X: expected nodes of shape (n, 2), got {X.shape}")
    g = as_vector("g", g, X.shape[0], what="weighted samples (one per node)")
    A = as_array("A", A, 2)
    if A.shape[1] != 2:
        raise ValueError(f"A: expected points a of shape (n_a, 2), got {A.shape}")
    b = as_vector("b", b, min_size=1)
    out = np.empty((A.shape[0], b.size))
    _direct_2d(X, g, A, b, kind, order, out)
    return out


@njit(cache=True, parallel=True)
def _synthesis_2d(x, cos, sin, wt, s, ws, b, wb, gamma, kind, order, zcut, out):
    nt, ns, nb = gamma.shape
    db = b[1] - b[0]
    for p in prange(x.shape[0]):
        acc = 0.0
        for l in range(nt):
            proj = cos[l] * x[p, 0] + sin[l] * x[p, 1]
            for i in range(ns):
                c = s[i] * proj
                # σ(c − b) negligible for |c − b| > zcut: only the b nodes within reach
                lo = int(math.floor((c - zcut - b[0]) / db))
                hi = int(math.ceil((c + zcut - b[0]) / db))
                if lo < 0:
                    lo = 0
                if hi > nb - 1:
                    hi = nb - 1
                row = 0.0
                for j in range(lo, hi + 1):
                    row += wb[j] * gamma[l, i, j] * act(c - b[j], kind, order)
                acc += wt[l] * ws[i] * row
        out[p] = acc


def synthesis_2d(gamma, theta, wtheta, s, ws, b, wb, x, sigma=("gaussian_derivative", 0), zcut: float = 40.0) -> np.ndarray:
    """``S[γ](x_p) ≈ Σ_{l,i,j} w^θ_l w^s_i w^b_j γ(θ_l, s_i, b_j) σ(s_i u_{θ_l}·x_p − b_j)`` in m = 2 with
    ``a = s u_θ`` (``da = |s| ds dθ``: put ``|s|`` into ``ws``). Terms with ``|s u·x − b| > zcut`` are skipped
    (``σ`` a Gaussian derivative, below ``e^{−800}`` there). ``b`` uniform. Numba, ``prange`` over ``x``."""
    kind, order = activation_code(sigma)
    theta = as_vector("theta", theta, min_size=1)
    wtheta = as_vector("wtheta", wtheta, theta.size, what="weights (one per θ node)")
    s = as_vector("s", s, min_size=1)
    ws = as_vector("ws", ws, s.size, what="weights (one per s node)")
    b = as_vector("b", b, min_size=2)
    wb = as_vector("wb", wb, b.size, what="weights (one per b node)")
    x = as_array("x", x, 2)
    if x.shape[1] != 2:
        raise ValueError(f"x: expected evaluation points of shape (n, 2), got {x.shape}")
    gamma = as_array("gamma", gamma, 3)
    if gamma.shape != (theta.size, s.size, b.size):
        raise ValueError(f"gamma: expected shape {(theta.size, s.size, b.size)} (θ, s, b), got {gamma.shape}")
    zcut = positive("zcut", zcut)
    out = np.empty(x.shape[0])
    _synthesis_2d(x, np.cos(theta), np.sin(theta), wtheta, s, ws, b, wb, gamma, kind, order, zcut, out)
    return out


@njit(cache=True, parallel=True)
def _features_2d(x, a, b, kind, order, out):
    n = x.shape[0]
    p = a.shape[0]
    for i in prange(n):
        for j in range(p):
            out[i, j] = act(a[j, 0] * x[i, 0] + a[j, 1] * x[i, 1] - b[j], kind, order)


def features_2d(x, a, b, sigma=("gaussian_derivative", 1)) -> np.ndarray:
    """``Φ_{ij} = σ(a_j·x_i − b_j)`` (shape ``(n, p)``) for data ``x`` of shape ``(n, 2)`` and units
    ``a`` ``(p, 2)``, ``b`` ``(p,)`` (numba)."""
    kind, order = activation_code(sigma)
    x = as_array("x", x, 2)
    if x.shape[1] != 2:
        raise ValueError(f"x: expected data of shape (n, 2), got {x.shape}")
    a = as_array("a", a, 2)
    if a.shape[1] != 2:
        raise ValueError(f"a: expected hidden weights of shape (p, 2), got {a.shape}")
    b = as_vector("b", b, a.shape[0], what="biases (one per unit)")
    out = np.empty((x.shape[0], a.shape[0]))
    _features_2d(x, a, b, kind, order, out)
    return out


__all__ = ["radon_projections", "spectrum_radon", "radon_projections_3d", "spectrum_radon_3d", "spectrum_direct_2d", "synthesis_2d", "features_2d"]
