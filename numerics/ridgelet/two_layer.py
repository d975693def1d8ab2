"""Two-layer networks ``g(x) = Σ_j c_j σ(a_j x − b_j)`` trained by ridge-regularised square loss (RERM):
exact ridge on the output layer with random hidden parameters, and mini-batch SGD on all parameters, in
numba. Sonoda, Ishikawa & Ikeda, AISTATS 2021 (arXiv 2007.03441); docs/ridgelet.md#finite-model.

Data are a fixed grid ``x_i`` with quadrature weights ``w_i`` (the trapezoid rule of ``L²`` on an
interval: the "data set" of the function-space problem), targets ``y_i = f(x_i)``. Objective

.. math:: J(a, b, c) = \\sum_i w_i \\big(y_i - g(x_i)\\big)^2 + \\lambda_c \\sum_j c_j^2
          + \\lambda_h \\sum_j (a_j^2 + b_j^2).

Spectrum units. With ``(a_j, b_j)`` uniform on a box of volume ``V`` and ``λ_c = β p/V``, ``g`` is the
Monte-Carlo quadrature of ``S[γ]`` with ``γ_j = (p/V) c_j`` and the penalty that of ``β ‖γ‖²``
(:mod:`theory.ridgelet.rerm`). :func:`ridge_output_layer` returns both ``c`` and ``γ``.

Exact ridge (hidden parameters fixed): with ``Φ_{ij} = σ(a_j x_i − b_j)``, ``D = diag(w)`` and the
Monte-Carlo kernel ``K_p = (V/p) Φ Φᵀ`` (``n × n``), the minimiser is

.. math:: \\gamma_j = \\frac{p}{V} c_j = \\sum_i w_i\\, \\Phi_{ij}\\, u_i, \\qquad
          u = (\\beta I + K_p D)^{-1} y,

an ``n × n`` solve (no ``p × p`` system); as ``p → ∞``, ``K_p → K = ∫_B σ(θ·x)σ(θ·x′) dθ`` and ``γ`` tends to
the same formula with ``K`` (:func:`ridge_limit_dual`, :func:`spectrum_from_dual`): the exact limit of the
finite model on its box, at the Monte-Carlo rate ``p^{−1/2}``.

SGD (:func:`train_sgd`): mini-batches of data indices drawn outside the kernel (random reshuffling,
``numpy`` Generator), the data term estimated without bias by ``(n/|I|) Σ_{i∈I}``, separate learning
rates for ``c`` and for the hidden parameters, an optional per-step learning-rate factor. One fused
kernel per step: a forward pass parallel over fixed chunks of units (partial sums per chunk, reduced in a
fixed order, so results do not depend on the thread count) that keeps ``σ`` and ``σ′`` of the batch,
then a backward/update pass parallel over units. fastmath is off. The full parameter cloud
``(a_j, b_j, c_j)`` is returned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, as_indices, as_vector, integer, positive
from numerics.common.parallel import threads_for
from numerics.ridgelet.spectrum import GAUSSIAN_DERIVATIVE, Z_CUT, act, act_and_derivative, activation_code

#: units per chunk of the SGD forward pass (fixed, so sums do not depend on the thread count)
CHUNK = 256
#: below this many element operations a kernel runs on one thread: starting and joining a thread team
#: costs more than it saves on small problems (and far more on a machine whose cores are busy)
SERIAL_WORK = 4_000_000


# ----------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------
def _data(x, w, y):
    x = as_vector("x", x, min_size=1)
    w = as_vector("w", w, x.size)
    y = as_vector("y", y, x.size)
    if np.any(w < 0):
        raise ValueError("w: expected non-negative quadrature weights")
    return x, w, y


def _units(a, b, c=None):
    a = as_vector("a", a, min_size=1)
    b = as_vector("b", b, a.size)
    if c is None:
        return a, b
    return a, b, as_vector("c", c, a.size)


# ----------------------------------------------------------------------------------------------------
# features and the exact ridge solution
# ----------------------------------------------------------------------------------------------------
@njit(cache=True)
def _act_gd(z, order, sign):
    """``G^{(order)}(z)`` written out (``sign = (−1)^order``); 0 beyond ``|z| > 37``."""
    if z > Z_CUT or z < -Z_CUT:
        return 0.0
    hp = 0.0
    hh = 1.0
    for m in range(order):
        hp, hh = hh, z * hh - m * hp
    return sign * hh * math.exp(-0.5 * z * z)


@njit(cache=True, parallel=True)
def _features(x, a, b, kind, order, out):
    n, p = out.shape
    sign = -1.0 if order % 2 == 1 else 1.0
    for i in prange(n):
        xi = x[i]
        if kind == GAUSSIAN_DERIVATIVE:
            for j in range(p):
                out[i, j] = _act_gd(a[j] * xi - b[j], order, sign)
        else:
            for j in range(p):
                out[i, j] = act(a[j] * xi - b[j], kind, order)


@njit(cache=True, parallel=True)
def _project(x, v, a, b, kind, order, out):
    """``out[j] = Σ_i v_i σ(a_j x_i − b_j)`` without the ``n × p`` feature matrix (parallel over units)."""
    n = x.shape[0]
    sign = -1.0 if order % 2 == 1 else 1.0
    for j in prange(a.shape[0]):
        aj = a[j]
        bj = b[j]
        acc = 0.0
        if kind == GAUSSIAN_DERIVATIVE:
            for i in range(n):
                acc += v[i] * _act_gd(aj * x[i] - bj, order, sign)
        else:
            for i in range(n):
                acc += v[i] * act(aj * x[i] - bj, kind, order)
        out[j] = acc


def features(x, a, b, sigma) -> np.ndarray:
    """``Φ_{ij} = σ(a_j x_i − b_j)``, shape ``(n, p)`` (numba, parallel over data points)."""
    kind, order = activation_code(sigma)
    x = as_vector("x", x, min_size=1)
    a, b = _units(a, b)
    out = np.empty((x.size, a.size))
    with threads_for(out.size * (order + 8), SERIAL_WORK):
        _features(x, a, b, kind, order, out)
    return out


@njit(cache=True, parallel=True)
def _weighted_rows(v, Phi, out):
    """``out = vᵀ Φ`` (parallel over columns, fixed summation order)."""
    n, p = Phi.shape
    for j in prange(p):
        acc = 0.0
        for i in range(n):
            acc += v[i] * Phi[i, j]
        out[j] = acc


def project(v, Phi) -> np.ndarray:
    """``vᵀ Φ`` for a wide feature matrix (numba; see :func:`gram` for why not BLAS)."""
    Phi = as_array("Phi", Phi, 2, finite=False)
    v = as_vector("v", v, Phi.shape[0], min_size=1)
    out = np.empty(Phi.shape[1])
    with threads_for(Phi.size, SERIAL_WORK):
        _weighted_rows(v, Phi, out)
    return out


@njit(cache=True, parallel=True)
def _gram(Phi, out):
    """``out = Φ Φᵀ`` (``n × n`` from ``n × p``): row dot products with four partial sums (fixed order)."""
    n, p = Phi.shape
    for i in prange(n):
        for k in range(i + 1):
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            s3 = 0.0
            j = 0
            while j + 4 <= p:
                s0 += Phi[i, j] * Phi[k, j]
                s1 += Phi[i, j + 1] * Phi[k, j + 1]
                s2 += Phi[i, j + 2] * Phi[k, j + 2]
                s3 += Phi[i, j + 3] * Phi[k, j + 3]
                j += 4
            while j < p:
                s0 += Phi[i, j] * Phi[k, j]
                j += 1
            v = (s0 + s1) + (s2 + s3)
            out[i, k] = v
            out[k, i] = v


def gram(Phi) -> np.ndarray:
    """``Φ Φᵀ`` for a wide ``n × p`` feature matrix (numba; a BLAS ``gemm`` with several threads can be a
    hundred times slower on a loaded machine for this shape, so the kernel keeps the cost predictable)."""
    Phi = as_array("Phi", Phi, 2, finite=False)
    out = np.empty((Phi.shape[0], Phi.shape[0]))
    with threads_for(Phi.size * Phi.shape[0] // 2, SERIAL_WORK):
        _gram(Phi, out)
    return out


@dataclass(frozen=True)
class RidgeFit:
    """Exact ridge on the output layer: weights ``c``, spectrum units ``γ = (p/V) c``, dual ``u``."""

    c: np.ndarray
    gamma: np.ndarray
    u: np.ndarray
    volume: float


def ridge_limit_dual(K, w, y, beta) -> np.ndarray:
    """``u = (β I + K D)^{−1} y`` (``D = diag(w)``), solved in the symmetric form
    ``(β I + D^{½} K D^{½}) D^{½} u = D^{½} y`` when every weight is positive."""
    beta = positive("beta", beta)
    w = as_vector("w", w, min_size=1)
    y = as_vector("y", y, w.size)
    K = as_array("K", K, 2)
    if K.shape != (w.size, w.size):
        raise ValueError(f"K: expected a ({w.size}, {w.size}) kernel matrix on the data grid, got shape {K.shape}")
    if np.all(w > 0):
        s = np.sqrt(w)
        M = beta * np.eye(w.size) + s[:, None] * K * s[None, :]
        return np.linalg.solve(M, s * y) / s
    return np.linalg.solve(beta * np.eye(w.size) + K * w[None, :], y)


def spectrum_from_dual(x, w, u, a, b, sigma) -> np.ndarray:
    """``γ(a_j, b_j) = Σ_i w_i u_i σ(a_j x_i − b_j)`` (the representer form ``γ = S^* u`` on the grid)."""
    kind, order = activation_code(sigma)
    x = as_vector("x", x, min_size=1)
    w = as_vector("w", w, x.size)
    u = as_vector("u", u, x.size)
    a, b = _units(a, b)
    out = np.empty(a.size)
    with threads_for(a.size * x.size * (order + 8), SERIAL_WORK):
        _project(x, w * u, a, b, kind, order, out)
    return out


def ridge_output_layer(x, w, y, a, b, sigma, beta, volume, Phi=None, G=None) -> RidgeFit:
    """Exact minimiser over ``c`` of ``Σ w_i (y_i − g(x_i))² + β (p/V) Σ c_j²`` with the hidden
    parameters ``(a, b)`` fixed (module docstring): ``γ = Φᵀ D u``, ``u = (β I + (V/p) Φ Φᵀ D)^{−1} y``.
    ``Phi``: the features ``σ(a_j x_i − b_j)`` if already computed (:func:`features`); ``G``: their Gram
    matrix ``Φ Φᵀ`` if already computed (:func:`gram`).

    Raises ``ValueError`` for mismatched arrays, ``beta <= 0`` (naming ``beta``) or ``volume <= 0``.
    """
    x, w, y = _data(x, w, y)
    a, b = _units(a, b)
    beta = positive("beta", beta)
    volume = positive("volume", volume)
    if Phi is None:
        Phi = features(x, a, b, sigma)
    elif Phi.shape != (x.size, a.size):
        raise ValueError(f"Phi: expected features of shape {(x.size, a.size)}, got {Phi.shape}")
    p = a.size
    if G is None:
        G = gram(Phi)
    elif G.shape != (x.size, x.size):
        raise ValueError(f"G: expected the ({x.size}, {x.size}) Gram matrix of the features, got {G.shape}")
    Kp = (volume / p) * G
    u = ridge_limit_dual(Kp, w, y, beta)
    gamma = project(w * u, Phi)
    return RidgeFit(c=gamma * (volume / p), gamma=gamma, u=u, volume=volume)


# ----------------------------------------------------------------------------------------------------
# SGD on all parameters
# ----------------------------------------------------------------------------------------------------
@njit(cache=True)
def _forward_chunk(lo, hi, a, b, c, xb, kind, order, sbuf, dbuf, out):
    """σ, σ′ of units ``lo … hi−1`` at the batch points ``xb`` into ``sbuf``/``dbuf``, and
    ``out[k] = Σ_j c_j σ(a_j xb_k − b_j)``. The Gaussian-derivative case is written out (one ``exp`` per
    pair; ``σ = σ′ = 0`` beyond ``|z| > 37``, where ``e^{−z²/2} < 10^{−297}``)."""
    bsz = xb.shape[0]
    for k in range(bsz):
        out[k] = 0.0
    if kind == GAUSSIAN_DERIVATIVE:
        sign = -1.0 if order % 2 == 1 else 1.0
        for j in range(lo, hi):
            aj = a[j]
            bj = b[j]
            cj = c[j]
            for k in range(bsz):
                z = aj * xb[k] - bj
                if z > Z_CUT or z < -Z_CUT:
                    sbuf[j, k] = 0.0
                    dbuf[j, k] = 0.0
                    continue
                e = sign * math.exp(-0.5 * z * z)
                hp = 0.0
                hh = 1.0
                for m in range(order):
                    hp, hh = hh, z * hh - m * hp
                sv = hh * e
                sbuf[j, k] = sv
                dbuf[j, k] = -(z * hh - order * hp) * e
                out[k] += cj * sv
    else:
        for j in range(lo, hi):
            aj = a[j]
            bj = b[j]
            cj = c[j]
            for k in range(bsz):
                sv, dv = act_and_derivative(aj * xb[k] - bj, kind, order)
                sbuf[j, k] = sv
                dbuf[j, k] = dv
                out[k] += cj * sv


@njit(cache=True, parallel=True)
def _sgd_kernel(x, w, y, a, b, c, batches, lr_factor, lr_c, lr_h, lam_c, lam_h, kind, order,
                sbuf, dbuf, partial, resid):
    """Steps ``t = 0 … T−1`` of mini-batch SGD in place (module docstring). ``batches`` (T, B) holds data
    indices; ``sbuf``/``dbuf`` (p, B) keep σ and σ′ of the batch; ``partial`` (chunks, B)."""
    steps, bsz = batches.shape
    p = a.shape[0]
    n = x.shape[0]
    nchunks = partial.shape[0]
    scale = n / bsz
    xb = np.empty(bsz)
    for t in range(steps):
        for k in range(bsz):
            xb[k] = x[batches[t, k]]
        # forward: partial sums of g(x_i) per fixed chunk of units
        for ch in prange(nchunks):
            _forward_chunk(ch * CHUNK, min(ch * CHUNK + CHUNK, p), a, b, c, xb, kind, order, sbuf, dbuf,
                           partial[ch])
        for k in range(bsz):
            g = 0.0
            for ch in range(nchunks):
                g += partial[ch, k]
            i = batches[t, k]
            resid[k] = 2.0 * scale * w[i] * (y[i] - g)  # −∂J/∂g(x_i), unbiased over the batch
        fac = lr_factor[t]
        step_c = fac * lr_c
        step_h = fac * lr_h
        # backward and update, parallel over units
        for j in prange(p):
            gc = 0.0
            gh = 0.0
            gx = 0.0
            for k in range(bsz):
                rk = resid[k]
                gc += rk * sbuf[j, k]
                q = rk * dbuf[j, k]
                gx += q * xb[k]
                gh += q
            cj = c[j]
            c[j] = cj - step_c * (2.0 * lam_c * cj - gc)
            a[j] = a[j] - step_h * (2.0 * lam_h * a[j] - cj * gx)
            b[j] = b[j] - step_h * (2.0 * lam_h * b[j] + cj * gh)


@njit(cache=True, parallel=True)
def _objective(x, w, y, a, b, c, lam_c, lam_h, kind, order):
    n = x.shape[0]
    p = a.shape[0]
    res = np.empty(n)
    for i in prange(n):
        g = 0.0
        for j in range(p):
            g += c[j] * act(a[j] * x[i] - b[j], kind, order)
        res[i] = w[i] * (y[i] - g) ** 2
    data = 0.0
    for i in range(n):
        data += res[i]
    pen_c = 0.0
    pen_h = 0.0
    for j in range(p):
        pen_c += c[j] * c[j]
        pen_h += a[j] * a[j] + b[j] * b[j]
    return data, lam_c * pen_c + lam_h * pen_h


@dataclass
class SGDResult:
    """The trained parameter cloud and the objective recorded at the end of every ``record``-th epoch."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    epochs: np.ndarray
    data_loss: np.ndarray
    penalty: np.ndarray


def reshuffled_batches(rng: np.random.Generator, n: int, batch: int, epochs: int) -> np.ndarray:
    """Random reshuffling: each epoch a permutation of ``0 … n−1`` cut into ``n // batch`` batches
    (shape ``(epochs · (n // batch), batch)``; the last ``n mod batch`` indices of each permutation are
    left out of that epoch)."""
    n = int(n)
    batch = int(batch)
    if batch < 1 or batch > n:
        raise ValueError(f"batch: expected 1 <= batch <= n = {n}, got {batch}")
    epochs = integer("epochs", epochs, 1)
    per = n // batch
    out = np.empty((epochs * per, batch), dtype=np.int64)
    for e in range(epochs):
        perm = rng.permutation(n)[: per * batch]
        out[e * per:(e + 1) * per] = perm.reshape(per, batch)
    return out


def train_sgd(x, w, y, a, b, c, sigma, batches, lr_c, lr_h, lam_c, lam_h=0.0, lr_factor=None,
              record: int = 0, steps_per_epoch: int | None = None) -> SGDResult:
    """Mini-batch SGD on all parameters ``(a, b, c)`` of ``g(x) = Σ c_j σ(a_j x − b_j)`` (copies; the inputs
    are not modified). ``batches`` (T, B) are data indices (e.g. :func:`reshuffled_batches`);
    ``lr_factor`` (T,) multiplies both learning rates at each step (a schedule; default 1). With
    ``record > 0`` the full objective is evaluated after every ``record``-th epoch
    (``steps_per_epoch`` steps each, default ``n // B``).

    Raises ``ValueError`` for mismatched arrays, indices out of range, negative penalties (naming
    ``lam_c``/``lam_h``) or non-positive learning rates.
    """
    kind, order = activation_code(sigma)
    x, w, y = _data(x, w, y)
    a, b, c = (v.copy() for v in _units(a, b, c))
    batches = as_indices("batches", batches, x.size, 2)
    if batches.shape[0] < 1 or batches.shape[1] < 1:
        raise ValueError(f"batches: expected a (steps, batch) array of data indices, got shape {batches.shape}")
    lr_c = positive("lr_c", lr_c)
    lr_h = positive("lr_h", lr_h, allow_zero=True)
    lam_c = positive("lam_c", lam_c, allow_zero=True)
    lam_h = positive("lam_h", lam_h, allow_zero=True)
    T, B = batches.shape
    lr_factor = np.ones(T) if lr_factor is None else as_vector("lr_factor", lr_factor, T)
    if np.any(lr_factor < 0):
        raise ValueError("lr_factor: expected non-negative factors")
    p = a.size
    nchunks = -(-p // CHUNK)
    sbuf = np.empty((p, B))
    dbuf = np.empty((p, B))
    partial = np.empty((nchunks, B))
    resid = np.empty(B)
    spe = steps_per_epoch or max(x.size // B, 1)
    epochs, data_hist, pen_hist = [], [], []
    block = spe * record if record > 0 else T
    done = 0
    while done < T:
        stop = min(done + block, T)
        _sgd_kernel(x, w, y, a, b, c, batches[done:stop], lr_factor[done:stop], lr_c, lr_h, lam_c, lam_h,
                    kind, order, sbuf, dbuf, partial, resid)
        done = stop
        if record > 0:
            d, pen = _objective(x, w, y, a, b, c, lam_c, lam_h, kind, order)
            epochs.append(done / spe)
            data_hist.append(d)
            pen_hist.append(pen)
    return SGDResult(a, b, c, np.array(epochs), np.array(data_hist), np.array(pen_hist))


def objective(x, w, y, a, b, c, sigma, lam_c, lam_h=0.0) -> tuple[float, float]:
    """``(Σ w_i (y_i − g(x_i))², λ_c Σ c² + λ_h Σ (a² + b²))`` (numba)."""
    kind, order = activation_code(sigma)
    x, w, y = _data(x, w, y)
    a, b, c = _units(a, b, c)
    lam_c = positive("lam_c", lam_c, allow_zero=True)
    lam_h = positive("lam_h", lam_h, allow_zero=True)
    return _objective(x, w, y, a, b, c, lam_c, lam_h, kind, order)
