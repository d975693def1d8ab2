"""The non-parametric (infinite-width) ResNet of Barboni, Peyré & Vialard (NeurIPS 2022, arXiv 2112.05531),
in numba: the velocity field lives in the Gaussian RKHS itself, and gradient descent is computed through
the kernel, without features.

Kernel. The random Fourier features of :mod:`numerics.pl.resnet`, ``φ(x) = √(2/q) cos(Ωx + u)`` with
``ω ~ N(0, σ⁻² I_d)`` and ``u ~ U[0, 2π)``, satisfy ``E φ(x)ᵀφ(y) = k(x − y)`` with the Gaussian kernel

.. math:: k(x, y) = \\exp\\big(-\\|x - y\\|^2 / (2\\sigma^2)\\big)

(Bochner: the characteristic function of ``N(0, σ⁻² I)`` at ``x − y``). The finite-``q`` model has the
kernel ``k̂_q(x, y) = φ(x)ᵀφ(y)`` (an average of ``q`` i.i.d. terms); the non-parametric model has ``k``.

Model (depth ``L``, Euler, ``h = 1/L``, output ``B = I``): ``x_{k+1} = x_k + h v_k(x_k)`` with ``v_k`` in the
vector-valued RKHS ``H`` of the matrix kernel ``k I_d``; loss ``ℒ = ½ Σ_i ‖x_L^i − y_i‖²``; the metric is the
discrete L² metric ``‖v‖² = h Σ_k ‖v_k‖²_H`` (as in :mod:`numerics.pl.resnet`). The adjoint is
``p_L = y − x_L``, ``p_k = (I + h Dv_k(x_k))ᵀ p_{k+1}``, and the gradient of ``ℒ`` in that metric is the field
``∇ℒ_k = −Σ_i k(·, x_k^i) p_{k+1}^i`` (layers ``k < L``), so that

.. math:: \\|\\nabla\\mathcal L\\|^2 = h \\sum_{k<L} \\sum_{i,j} k(x_k^i, x_k^j)\\, p_{k+1}^{i\\,T} p_{k+1}^j .

Gradient descent from ``v = 0`` with step ``η`` therefore keeps every ``v_k`` a finite kernel expansion
``v_k = Σ_c a_c k(·, c)``: each step appends the ``N`` centres ``x_k^i`` with coefficients ``η p_{k+1}^i``
(representer form). This is the finite-``q`` algorithm of :func:`numerics.pl.resnet.gradient_descent` with
``k̂_q`` replaced by ``k`` — from ``W = 0`` its iterates are ``W_k = Σ_c a_c φ(c)ᵀ``, i.e. ``v_k = Σ_c a_c
k̂_q(·, c)`` with the same recursion — so the two trajectories differ only through ``k̂_q − k``
(tested exactly in ``tests/test_pl_kernel.py`` by running this recursion with ``k̂_q``).

``Dv_k(x)ᵀ p = −Σ_c (a_c · p) k(x, c) (x − c)/σ²``. The radius is updated exactly from its expansion,
``‖v + ηg‖² = ‖v‖² + 2η h Σ_k Σ_i p_{k+1}^i · v_k(x_k^i) + η² ‖∇ℒ‖²`` (``⟨v_k, k(·, x)p⟩_H = p · v_k(x)``).

Cost: step ``t`` evaluates ``v_k`` at ``N`` points against ``tN`` centres per layer, so ``T`` steps cost
``O(L N² T² d)`` kernel evaluations. Kernels are ``@njit(cache=True)``, parallel over samples (forward and
backward passes of the samples are independent); every sum over samples is serial in a fixed order, so
results do not depend on the thread count. Inputs are validated in the Python wrappers (``ValueError``
naming the argument).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, as_vector, integer, positive
from numerics.common.parallel import threads_for

#: below this many kernel evaluations per step a GD run stays on one thread (launch costs dominate)
SERIAL_WORK = 200_000


# ----------------------------------------------------------------------------------------------------
# Gram matrices
# ----------------------------------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def _gram_kernel(X, inv2s2, out):
    N, d = X.shape
    for i in prange(N):
        for j in range(N):
            s = 0.0
            for a in range(d):
                z = X[i, a] - X[j, a]
                s += z * z
            out[i, j] = math.exp(-s * inv2s2)


@njit(cache=True)
def _rff_prefix_kernel(X, omega, u, counts, out):
    """out[m] = (2/counts[m]) Σ_{j < counts[m]} cos(θ_ij) cos(θ_kj): the Gram of every prefix of the draw."""
    N, d = X.shape
    S = np.zeros((N, N))
    c = np.empty(N)
    j = 0
    for m in range(counts.shape[0]):
        while j < counts[m]:
            for i in range(N):
                th = u[j]
                for a in range(d):
                    th += omega[j, a] * X[i, a]
                c[i] = math.cos(th)
            for i in range(N):  # upper triangle only; mirrored at each snapshot
                ci = c[i]
                for k in range(i, N):
                    S[i, k] += ci * c[k]
            j += 1
        f = 2.0 / counts[m]
        for i in range(N):
            for k in range(i, N):
                out[m, i, k] = f * S[i, k]
                out[m, k, i] = f * S[i, k]


def kernel_gram(X, sigma: float) -> np.ndarray:
    """The Gaussian-kernel Gram ``(exp(−‖x_i − x_j‖²/(2σ²)))_{ij}`` of the points ``X`` (N, d)."""
    X = as_array("X", X, 2)
    sigma = positive("sigma", sigma)
    out = np.empty((X.shape[0], X.shape[0]))
    with threads_for(X.shape[0] ** 2 * X.shape[1], SERIAL_WORK):
        _gram_kernel(X, 1.0 / (2.0 * sigma * sigma), out)
    return out


def rff_prefix_grams(X, omega, u, counts) -> np.ndarray:
    """The random-Fourier-feature Gram ``K̂_q = Φ_qΦ_qᵀ``, ``Φ_q`` the first ``q`` features of the draw
    ``(omega, u)``, for every ``q`` in ``counts`` (increasing, ``1 ≤ q ≤ len(u)``), in one pass over the
    features: shape ``(len(counts), N, N)``. Common random numbers: the ``q``-feature Gram is a prefix of
    the wider ones."""
    X = as_array("X", X, 2)
    omega = as_array("omega", omega, 2)
    u = as_vector("u", u, omega.shape[0], what="phases (one per row of omega)")
    if omega.shape[1] != X.shape[1]:
        raise ValueError(f"omega: expected {X.shape[1]} columns (the dimension of X), got {omega.shape[1]}")
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size < 1 or not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts: expected a non-empty 1-D array of integer feature counts, got {counts!r}")
    counts = np.ascontiguousarray(counts, dtype=np.int64)
    if counts[0] < 1 or np.any(np.diff(counts) <= 0) or counts[-1] > omega.shape[0]:
        raise ValueError(f"counts: expected increasing counts in 1 … {omega.shape[0]} (the features drawn), "
                         f"got {counts.tolist()}")
    out = np.empty((counts.size, X.shape[0], X.shape[0]))
    _rff_prefix_kernel(X, omega, u, counts, out)
    return out


# ----------------------------------------------------------------------------------------------------
# gradient descent in the RKHS model
# ----------------------------------------------------------------------------------------------------
@njit(cache=True, parallel=True)
def _pass(X0, Y, C, A, nc, inv2s2, inv_s2, h, XS, VS, P, KV):
    """Forward and backward pass of every sample for the expansions ``v_k = Σ_{c<nc} A[k, c] k(·, C[k, c])``.

    XS (N, L+1, d): states; VS (N, L, d): velocities ``v_k(x_k)``; P (N, L+1, d): adjoints; KV (N, L, nc):
    scratch for the kernel values. Returns nothing; the caller sums over samples in a fixed order."""
    N, d = X0.shape
    L = C.shape[0]
    for i in prange(N):
        for a in range(d):
            XS[i, 0, a] = X0[i, a]
        for k in range(L):
            for a in range(d):
                VS[i, k, a] = 0.0
            for c in range(nc):
                s = 0.0
                for a in range(d):
                    z = XS[i, k, a] - C[k, c, a]
                    s += z * z
                kv = math.exp(-s * inv2s2)
                KV[i, k, c] = kv
                for a in range(d):
                    VS[i, k, a] += A[k, c, a] * kv
            for a in range(d):
                XS[i, k + 1, a] = XS[i, k, a] + h * VS[i, k, a]
        for a in range(d):
            P[i, L, a] = Y[i, a] - XS[i, L, a]
        for k in range(L - 1, -1, -1):
            # p_k = p_{k+1} + h Dv_k(x_k)^T p_{k+1},  Dv^T p = -sum_c (a_c . p) k(x, c) (x - c) / s^2
            for a in range(d):
                P[i, k, a] = P[i, k + 1, a]
            for c in range(nc):
                ap = 0.0
                for a in range(d):
                    ap += A[k, c, a] * P[i, k + 1, a]
                w = -h * ap * KV[i, k, c] * inv_s2
                for a in range(d):
                    P[i, k, a] += w * (XS[i, k, a] - C[k, c, a])


@njit(cache=True)
def _gd_kernel(X0, Y, sigma, L, eta, steps, floor, loss, g2, rad2, XL):
    """Gradient descent from v = 0; returns the number of recorded iterates."""
    N, d = X0.shape
    h = 1.0 / L
    inv2s2 = 1.0 / (2.0 * sigma * sigma)
    inv_s2 = 1.0 / (sigma * sigma)
    cap = max(steps, 1) * N
    C = np.zeros((L, cap, d))
    A = np.zeros((L, cap, d))
    XS = np.empty((N, L + 1, d))
    VS = np.empty((N, L, d))
    P = np.empty((N, L + 1, d))
    KV = np.empty((N, L, cap))
    r2 = 0.0
    nc = 0
    for t in range(steps + 1):
        _pass(X0, Y, C, A, nc, inv2s2, inv_s2, h, XS, VS, P, KV)
        ell = 0.0
        for i in range(N):
            for a in range(d):
                ell += 0.5 * P[i, L, a] * P[i, L, a]
                XL[t, i, a] = XS[i, L, a]
        gn = 0.0
        vp = 0.0
        for k in range(L):
            for i in range(N):
                for a in range(d):
                    vp += P[i, k + 1, a] * VS[i, k, a]
                for j in range(N):
                    s = 0.0
                    pp = 0.0
                    for a in range(d):
                        z = XS[i, k, a] - XS[j, k, a]
                        s += z * z
                        pp += P[i, k + 1, a] * P[j, k + 1, a]
                    gn += math.exp(-s * inv2s2) * pp
        gn *= h
        vp *= h
        loss[t] = ell
        g2[t] = gn
        rad2[t] = r2
        if not (math.isfinite(ell) and math.isfinite(gn)):
            return t + 1
        if ell <= floor or t == steps:
            return t + 1
        for k in range(L):
            for i in range(N):
                for a in range(d):
                    C[k, nc + i, a] = XS[i, k, a]
                    A[k, nc + i, a] = eta * P[i, k + 1, a]
        nc += N
        r2 = r2 + 2.0 * eta * vp + eta * eta * gn
    return steps + 1


@dataclass
class KernelGDResult:
    """A gradient-descent trajectory of the RKHS model (quantities at the recorded iterates 0..T)."""

    eta: float
    depth: int
    sigma: float
    loss: np.ndarray  # ℒ(v_t)
    grad_norm2: np.ndarray  # ‖∇ℒ(v_t)‖² in the L² metric
    radius: np.ndarray  # ‖v_t‖ in the L² metric
    outputs: np.ndarray  # x_L at every recorded iterate, (T+1, N, d)
    stopped: str = "steps"

    @property
    def ratio(self) -> np.ndarray:
        """The PL ratio ``‖∇ℒ‖²/ℒ`` (``ℒ* = 0``) at each iterate."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.grad_norm2 / self.loss


def kernel_gradient_descent(X0, Y, sigma: float, depth: int, eta: float, steps: int,
                            loss_floor: float = 0.0) -> KernelGDResult:
    """Gradient descent ``v ← v − η∇ℒ(v)`` in the Gaussian-RKHS ResNet (module docstring) from ``v = 0``:
    ``steps`` steps, or until ``ℒ ≤ loss_floor``. Records ``ℒ``, ``‖∇ℒ‖²``, ``‖v‖`` and the outputs
    ``x_L`` at every iterate. Memory and time grow with ``steps²`` (``steps · N`` centres per layer)."""
    X0 = as_array("X0", X0, 2)
    Y = as_array("Y", Y, 2)
    if Y.shape != X0.shape:
        raise ValueError(f"Y: expected shape {X0.shape} (one target per sample, output B = I), got {Y.shape}")
    sigma = positive("sigma", sigma)
    depth = integer("depth", depth, 1)
    eta = positive("eta", eta)
    steps = integer("steps", steps, 0)
    if not (math.isfinite(loss_floor) and loss_floor >= 0):
        raise ValueError(f"loss_floor: expected a finite number >= 0, got {loss_floor!r}")
    N, d = X0.shape
    loss = np.full(steps + 1, np.nan)
    g2 = np.full(steps + 1, np.nan)
    rad2 = np.full(steps + 1, np.nan)
    XL = np.full((steps + 1, N, d), np.nan)
    with np.errstate(all="ignore"), threads_for(N * N * depth * max(steps, 1), SERIAL_WORK):
        n = _gd_kernel(X0, Y, sigma, depth, eta, steps, float(loss_floor), loss, g2, rad2, XL)
    loss, g2, rad2, XL = loss[:n], g2[:n], rad2[:n], XL[:n]
    if not (np.isfinite(loss[-1]) and np.isfinite(g2[-1])):
        stopped = "diverged"
    elif loss[-1] <= loss_floor:
        stopped = "loss floor"
    else:
        stopped = "steps"
    return KernelGDResult(float(eta), depth, float(sigma), loss, g2, np.sqrt(np.maximum(rad2, 0.0)), XL,
                          stopped)


def kernel_gradient_descent_numpy(X0, Y, kernel, grad_kernel, depth: int, eta: float, steps: int):
    """Slow reference of :func:`kernel_gradient_descent` for any kernel (plain NumPy loops):
    ``kernel(x, C) -> (n,)`` values ``k(x, c)``, ``grad_kernel(x, C) -> (n, d)`` rows ``∇_x k(x, c)``.
    Returns ``(loss, grad_norm2, radius, outputs)`` over iterates ``0..steps``, the radius from the
    expansion itself, ``‖v‖² = h Σ_k Σ_{c,c'} k(c, c') a_c · a_c'``. For tests."""
    X0 = np.asarray(X0, dtype=float)
    Y = np.asarray(Y, dtype=float)
    N, d = X0.shape
    L = int(depth)
    h = 1.0 / L
    C = [np.zeros((0, d)) for _ in range(L)]
    A = [np.zeros((0, d)) for _ in range(L)]
    losses, g2s, rads, outs = [], [], [], []
    for t in range(steps + 1):
        XS = np.zeros((N, L + 1, d))
        XS[:, 0] = X0
        for k in range(L):
            for i in range(N):
                XS[i, k + 1] = XS[i, k] + h * (kernel(XS[i, k], C[k]) @ A[k] if len(C[k]) else 0.0)
        P = np.zeros((N, L + 1, d))
        P[:, L] = Y - XS[:, L]
        for k in range(L - 1, -1, -1):
            for i in range(N):
                if len(C[k]):
                    Dv = A[k].T @ grad_kernel(XS[i, k], C[k])  # (d, d): Σ_c a_c ∇k(x, c)ᵀ
                    P[i, k] = P[i, k + 1] + h * Dv.T @ P[i, k + 1]
                else:
                    P[i, k] = P[i, k + 1]
        losses.append(0.5 * float(np.sum(P[:, L] ** 2)))
        outs.append(XS[:, L].copy())
        g = 0.0
        for k in range(L):
            Kk = np.array([kernel(XS[i, k], XS[:, k]) for i in range(N)])
            g += h * float(np.sum(Kk * (P[:, k + 1] @ P[:, k + 1].T)))
        g2s.append(g)
        r2 = 0.0
        for k in range(L):
            if len(C[k]):
                Kc = np.array([kernel(c, C[k]) for c in C[k]])
                r2 += h * float(np.sum(Kc * (A[k] @ A[k].T)))
        rads.append(np.sqrt(r2))
        if t == steps:
            break
        for k in range(L):
            C[k] = np.vstack([C[k], XS[:, k]])
            A[k] = np.vstack([A[k], eta * P[:, k + 1]])
    return np.array(losses), np.array(g2s), np.array(rads), np.array(outs)
