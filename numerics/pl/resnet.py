"""The linearly parametrised ResNet of Barboni, Peyré & Vialard (NeurIPS 2022, arXiv 2112.05531), in numba.

Model (docs/pl.md#setting; the authors' code ``rbarboni/FlowResNets``): the state ``x ∈ R^d`` flows by

.. math:: \\dot x_t = W(t)\\, \\varphi(x_t), \\qquad t \\in [0, 1],
          \\qquad \\varphi(x) = \\sqrt{2/q}\\,\\big(\\cos(\\langle \\omega_j, x\\rangle + u_j)\\big)_{j \\le q},

with frozen random Fourier features ``(ω_j, u_j)`` and trained ``W(t) ∈ R^{d×q}``, piecewise linear between
the ``L + 1`` matrices ``W_0, …, W_L`` (``W_k = W(k/L)``), initialised at 0. Depth ``L`` means ``L`` steps of
size ``h = 1/L``:

- Euler: ``x_{k+1} = x_k + h W_k φ(x_k)`` (``W_L`` is not used and gets no gradient);
- midpoint: ``z_k = x_k + (h/2) W_k φ(x_k)``, ``x_{k+1} = x_k + h W_{k+1/2} φ(z_k)``,
  ``W_{k+1/2} = (W_k + W_{k+1})/2`` (the piecewise-linear ``W`` at the half step; the authors' scheme).

Embeddings ``x_0 = A x`` (lifting) and the output ``B x_L`` are fixed; the loss is
``ℒ = ½ Σ_i ‖B x_L^i − y_i‖²`` (a sum over samples, as in the paper).

Backward pass: the discrete adjoint ``p_k = −∂ℒ/∂x_k``, ``p_L = Bᵀ(y − B x_L)``; Euler:
``p_k = (I + h W_k Dφ(x_k))ᵀ p_{k+1}`` and ``∂ℒ/∂W_k = −h Σ_i p_{k+1}^i φ(x_k^i)ᵀ``.

Metric: the trained object is the velocity field ``v ∈ L²([0,1], V)`` with ``‖v‖_V = ‖W‖_F``; we use its
discrete L² metric ``⟨U, W⟩ = h Σ_k ⟨U_k, W_k⟩_F``. Its gradient is ``(1/h) ∂ℒ/∂W`` and
``‖∇ℒ‖² = (1/h) Σ_k ‖∂ℒ/∂W_k‖²_F = h Σ_k p_{k+1}ᵀ (K_k ⊗ I) p_{k+1}`` (Euler), the Riemann sum of the
paper's ``∫ p_tᵀ K_t p_t dt``; gradient descent ``W ← W − η (1/h) ∂ℒ/∂W`` is GD on ``v`` in L², so depth
enters only through the discretisation. Gram matrix ``K_k = Φ(X_k) Φ(X_k)ᵀ`` with ``Φ`` the ``N × q``
feature matrix (the vector-valued kernel is ``K ⊗ I_d``).

Kernels are ``@njit(cache=True)``, fastmath off, parallel over samples (in a fixed number of chunks, so the
summation order, hence the result, does not depend on the number of threads); inputs are validated in the
Python wrappers, which raise ``ValueError`` naming the argument. Speed: with a small state dimension a step
is dominated by its ``2 N L q`` sines and cosines; they are computed by a branch-free routine (Cody–Waite
reduction, fdlibm's polynomials; within one ulp of libm, tested) that the feature loops vectorise, about
eight times faster than libm's, and the length-``q`` reductions use four interleaved partial sums in a
fixed order (``benchmarks/bench_pl.py`` prints the step against this transcendental floor).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, integer, positive
from numerics.common.parallel import threads_for

EULER = 0
MIDPOINT = 1
SCHEMES = {"euler": EULER, "midpoint": MIDPOINT}
#: samples are summed in this many chunks (fixed: the gradient does not depend on the thread count)
N_CHUNKS = 16
#: below this many feature evaluations per pass (N · L · q) a pass runs on one thread: launching threads
#: costs more than it saves, and on a busy machine a spinning thread team is far worse than serial work
SERIAL_WORK = 200_000


class StepSizeWarning(RuntimeWarning):
    """Gradient descent was asked for a step size above the linear stability limit."""


# ----------------------------------------------------------------------------------------------------
# kernels
# ----------------------------------------------------------------------------------------------------
# sin and cos by Cody-Waite reduction modulo π/2 and the minimax polynomials of fdlibm's __kernel_sin /
# __kernel_cos (Sun Microsystems 1993, freely redistributable; the FreeBSD msun form): branch-free, so the
# feature loops vectorise. π/2 is split in three 33-bit parts, exact products for |n| < 2^20; below
# SINCOS_LIMIT the error is ≤ 1 ulp of 1 (tests/test_pl_numerics.py), above it the kernels fall back to libm.
_PIO2_1, _PIO2_1T = 1.57079632673412561417e+00, 6.07710050650619224932e-11
_PIO2_2, _PIO2_2T = 6.07710050630396597660e-11, 2.02226624879595063154e-21
_PIO2_3, _PIO2_3T = 2.02226624871116645580e-21, 8.47842766036889956997e-32
_INVPIO2 = 6.36619772367581382433e-01
_S1, _S2, _S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
_S4, _S5, _S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
_C1, _C2, _C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
_C4, _C5, _C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
#: largest |θ| sent to :func:`_sincos` (|n| ≤ 2^17, far inside the exact range of the three-part reduction)
SINCOS_LIMIT = 2.0e5


@njit(cache=True, inline="always")
def _sincos(x):
    """(sin x, cos x) for |x| ≤ SINCOS_LIMIT: x = nπ/2 + (y + yl), polynomials on |y| ≤ π/4, quadrant by
    selects (no branches)."""
    fn = math.floor(x * _INVPIO2 + 0.5)
    r = x - fn * _PIO2_1  # exact: fn·_PIO2_1 has at most 53 bits
    t = r
    w = fn * _PIO2_2
    r = t - w
    t = r
    w = fn * _PIO2_3
    r = t - w
    w = fn * _PIO2_3T - ((t - r) - w)
    y = r - w
    yl = (r - y) - w
    z = y * y
    v = z * y
    rs = _S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))
    s = y - ((z * (0.5 * yl - v * rs) - yl) - v * _S1)
    hz = 0.5 * z
    ww = 1.0 - hz
    rc = z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))
    co = ww + (((1.0 - ww) - hz) + (z * rc - y * yl))
    n = int(fn)
    odd = (n & 1) == 1
    a = co if odd else s
    b = s if odd else co
    sgn_s = -1.0 if (n & 2) else 1.0
    sgn_c = -1.0 if ((n + 1) & 2) else 1.0
    return sgn_s * a, sgn_c * b


@njit(cache=True)
def _trig(x, OmT, u, c, want_sin, theta_bound, cos_out, sin_out):
    """cos_out = c cos(Ω x + u) and, if ``want_sin``, sin_out = −c sin(Ω x + u).

    ``OmT`` is Ωᵀ (d, q), contiguous over features; ``theta_bound = [max|u|, max_j|Ω_j1|, …]`` bounds
    ``|θ_j|`` for this ``x``, which selects :func:`_sincos` or libm."""
    d, q = OmT.shape
    b = theta_bound[0]
    for a in range(d):
        b += theta_bound[1 + a] * abs(x[a])
    for j in range(q):
        cos_out[j] = u[j]
    for a in range(d):
        xa = x[a]
        for j in range(q):
            cos_out[j] += OmT[a, j] * xa
    if b <= SINCOS_LIMIT:
        for j in range(q):
            sn, cs = _sincos(cos_out[j])
            if want_sin:
                sin_out[j] = -c * sn
            cos_out[j] = c * cs
    else:
        for j in range(q):
            th = cos_out[j]
            if want_sin:
                sin_out[j] = -c * math.sin(th)
            cos_out[j] = c * math.cos(th)


@njit(cache=True, inline="always")
def _dot(x, y):
    """``Σ_j x_j y_j`` in four interleaved partial sums: independent chains (no add-latency bound) in a
    fixed order, so the result does not depend on the thread count."""
    n = x.shape[0]
    m = n - n % 4
    s0 = 0.0
    s1 = 0.0
    s2 = 0.0
    s3 = 0.0
    for j in range(0, m, 4):
        s0 += x[j] * y[j]
        s1 += x[j + 1] * y[j + 1]
        s2 += x[j + 2] * y[j + 2]
        s3 += x[j + 3] * y[j + 3]
    for j in range(m, n):
        s0 += x[j] * y[j]
    return (s0 + s1) + (s2 + s3)


@njit(cache=True)
def _matvec(Wk, f, out):
    """out = W_k f (d)."""
    for a in range(Wk.shape[0]):
        out[a] = _dot(Wk[a], f)


@njit(cache=True)
def _vjp(Wk, p, sinv, OmT, buf, out):
    """out = Dφᵀ W_kᵀ p = Σ_j (W_kᵀ p)_j (−c sin θ_j) ω_j; ``buf`` (q) is scratch."""
    d, q = Wk.shape
    for j in range(q):
        buf[j] = Wk[0, j] * p[0]
    for a in range(1, d):
        pa = p[a]
        for j in range(q):
            buf[j] += Wk[a, j] * pa
    for j in range(q):
        buf[j] *= sinv[j]
    for a in range(d):
        out[a] = _dot(OmT[a], buf)


@njit(cache=True)
def _outer_sub(G, alpha, p, f):
    """G −= alpha p fᵀ."""
    d, q = G.shape
    for a in range(d):
        ap = alpha * p[a]
        for j in range(q):
            G[a, j] -= ap * f[j]


@njit(cache=True, parallel=True)
def _resnet_kernel(X0, Y, B, W, OmT, u, tb, scheme, want_grad, XS, losses, Gc):
    """Forward (and adjoint backward) pass of every sample.

    X0 (N, d), Y (N, m), B (m, d), W (L+1, d, q), OmT = Ωᵀ (d, q), u (q,), tb the
    angle bound of :func:`_trig`. Writes the trajectories into
    XS (N, L+1, d), the per-sample losses into ``losses`` and, if ``want_grad``, the per-chunk gradients
    ∂ℒ/∂W into Gc (n_chunks, L+1, d, q). The forward pass keeps ``c cos θ`` and ``−c sin θ`` of every
    layer (an (L, q) table per sample, reused across the samples of a chunk), so the backward pass
    evaluates no transcendental function.
    """
    N, d = X0.shape
    m = Y.shape[1]
    L = W.shape[0] - 1
    q = OmT.shape[1]
    h = 1.0 / L
    c = math.sqrt(2.0 / q)
    n_chunks = Gc.shape[0]
    for ch in prange(n_chunks):
        i0 = (ch * N) // n_chunks
        i1 = ((ch + 1) * N) // n_chunks
        G = Gc[ch]
        if want_grad:
            G[:] = 0.0
        Cx = np.empty((L, q))
        Sx = np.empty((L, q))
        Cz = np.empty((L, q)) if scheme == 1 else np.empty((1, 1))
        Sz = np.empty((L, q)) if scheme == 1 else np.empty((1, 1))
        Wm = np.empty((d, q))
        buf = np.empty(q)
        v = np.empty(d)
        z = np.empty(d)
        p = np.empty(d)
        gz = np.empty(d)
        acc = np.empty(d)
        for i in range(i0, i1):
            # ---- forward
            for a in range(d):
                XS[i, 0, a] = X0[i, a]
            for k in range(L):
                x = XS[i, k]
                _trig(x, OmT, u, c, want_grad, tb, Cx[k], Sx[k])
                _matvec(W[k], Cx[k], v)
                if scheme == 0:
                    for a in range(d):
                        XS[i, k + 1, a] = x[a] + h * v[a]
                else:
                    for a in range(d):
                        z[a] = x[a] + 0.5 * h * v[a]
                    _trig(z, OmT, u, c, want_grad, tb, Cz[k], Sz[k])
                    for a in range(d):
                        t = _dot(W[k, a], Cz[k]) + _dot(W[k + 1, a], Cz[k])
                        XS[i, k + 1, a] = x[a] + 0.5 * h * t
            # ---- loss and p_L = B^T (y - B x_L)
            ell = 0.0
            for a in range(d):
                p[a] = 0.0
            for b in range(m):
                r = Y[i, b]
                for a in range(d):
                    r -= B[b, a] * XS[i, L, a]
                ell += 0.5 * r * r
                for a in range(d):
                    p[a] += B[b, a] * r
            losses[i] = ell
            if not want_grad:
                continue
            # ---- backward (discrete adjoint)
            for k in range(L - 1, -1, -1):
                if scheme == 0:
                    # dL/dW_k -= h p_{k+1} phi(x_k)^T ; p_k = p_{k+1} + h Dphi(x_k)^T W_k^T p_{k+1}
                    _outer_sub(G[k], h, p, Cx[k])
                    _vjp(W[k], p, Sx[k], OmT, buf, acc)
                    for a in range(d):
                        p[a] += h * acc[a]
                else:
                    # x_{k+1} = x_k + h M_k phi(z_k), M_k = (W_k + W_{k+1})/2: half of the outer product each
                    _outer_sub(G[k], 0.5 * h, p, Cz[k])
                    _outer_sub(G[k + 1], 0.5 * h, p, Cz[k])
                    for a in range(d):
                        for j in range(q):
                            Wm[a, j] = 0.5 * (W[k, a, j] + W[k + 1, a, j])
                    # gz = -dL/dz_k = h Dphi(z_k)^T M_k^T p_{k+1}
                    _vjp(Wm, p, Sz[k], OmT, buf, gz)
                    for a in range(d):
                        gz[a] *= h
                    # z_k = x_k + (h/2) W_k phi(x_k)
                    _outer_sub(G[k], 0.5 * h, gz, Cx[k])
                    _vjp(W[k], gz, Sx[k], OmT, buf, acc)
                    for a in range(d):
                        p[a] += gz[a] + 0.5 * h * acc[a]


@njit(cache=True, parallel=True)
def _features_kernel(X, OmT, u, tb, out):
    """out[i] = φ(X[i]) = sqrt(2/q) cos(Ω X[i] + u)."""
    N = X.shape[0]
    q = OmT.shape[1]
    c = math.sqrt(2.0 / q)
    for i in prange(N):
        _trig(X[i], OmT, u, c, False, tb, out[i], out[i])


# ----------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------
def _scheme(scheme: str) -> int:
    try:
        return SCHEMES[scheme]
    except (KeyError, TypeError):
        raise ValueError(f"scheme: expected one of {sorted(SCHEMES)}, got {scheme!r}") from None


def check_depth(depth) -> int:
    """Depth ``L`` (number of residual steps): an integer >= 1."""
    return integer("depth", depth, 1)


@dataclass(frozen=True)
class RFF:
    """A draw of ``q`` random Fourier features: ``φ(x) = sqrt(2/q) cos(Ω x + u)``.

    ``omega`` has shape (q, d) (rows ω_j from the kernel's spectral density), ``u`` shape (q,), uniform on
    [0, 2π). For the Gaussian kernel ``exp(−‖x − x'‖²/(2σ²))`` the rows are N(0, σ⁻² I_d) (Bochner).
    """

    omega: np.ndarray
    u: np.ndarray

    def __post_init__(self) -> None:
        om = as_array("omega", self.omega, 2)
        uu = as_array("u", self.u, 1)
        if om.shape[0] < 1:
            raise ValueError(f"q: expected at least one random feature (q >= 1), got omega of shape {om.shape}")
        if uu.shape[0] != om.shape[0]:
            raise ValueError(f"u: expected shape ({om.shape[0]},) to match omega, got {uu.shape}")
        object.__setattr__(self, "omega", om)
        object.__setattr__(self, "u", uu)

    @property
    def q(self) -> int:
        return self.omega.shape[0]

    @cached_property
    def omega_t(self) -> np.ndarray:
        """Ωᵀ, contiguous (d, q): the layout of the feature loops."""
        return np.ascontiguousarray(self.omega.T)

    @cached_property
    def theta_bound(self) -> np.ndarray:
        """``[max_j |u_j|, max_j |Ω_j1|, …, max_j |Ω_jd|]``: ``|⟨ω_j, x⟩ + u_j| ≤ b₀ + Σ_a b_a |x_a|``."""
        return np.concatenate([[np.abs(self.u).max()], np.abs(self.omega).max(axis=0)])

    @property
    def d(self) -> int:
        return self.omega.shape[1]


def rff_block(d: int, sigma: float = 1.0, law: str = "gaussian", nu: float = 5.0):
    """A ``draw(rng, m)`` for :func:`proofs_check.crn.prefix_draw`: ``m`` rows ``[ω_j (d), u_j]``.

    ``law="gaussian"``: ω ~ N(0, σ⁻² I) (Gaussian kernel); ``law="student"``: multivariate Student t with
    ``nu`` degrees of freedom scaled by 1/σ (a Sobolev/Matérn-type kernel; the authors' code uses nu = 5).
    """
    if d < 1:
        raise ValueError(f"d: expected a state dimension >= 1, got {d}")
    if not (sigma > 0 and math.isfinite(sigma)):
        raise ValueError(f"sigma: expected a positive bandwidth, got {sigma}")
    if law not in ("gaussian", "student"):
        raise ValueError(f"law: expected 'gaussian' or 'student', got {law!r}")

    def draw(rng: np.random.Generator, m: int) -> np.ndarray:
        om = rng.standard_normal((m, d))
        if law == "student":
            om = om / np.sqrt(rng.chisquare(nu, size=(m, 1)) / nu)
        uu = rng.uniform(0.0, 2.0 * math.pi, size=(m, 1))
        return np.hstack([om / sigma, uu])

    return draw


def rff_from_block(block: np.ndarray) -> RFF:
    """Split rows ``[ω_j, u_j]`` (as drawn by :func:`rff_block`) into an :class:`RFF`."""
    block = np.asarray(block, dtype=np.float64)
    return RFF(block[:, :-1], block[:, -1])


# ----------------------------------------------------------------------------------------------------
# public functions
# ----------------------------------------------------------------------------------------------------
def features(X, rff: RFF) -> np.ndarray:
    """Feature matrix ``Φ`` (N, q), ``Φ[i] = φ(X[i])``."""
    X = as_array("X", X, 2)
    if X.shape[1] != rff.d:
        raise ValueError(f"X: expected {rff.d} columns (the state dimension of the features), got {X.shape[1]}")
    out = np.empty((X.shape[0], rff.q))
    with threads_for(X.shape[0] * rff.q, SERIAL_WORK):
        _features_kernel(X, rff.omega_t, rff.u, rff.theta_bound, out)
    return out


def gram(X, rff: RFF) -> np.ndarray:
    """Gram matrix ``K = (⟨φ(x_i), φ(x_j)⟩)_{ij}`` (N, N) of the points ``X`` (N, d)."""
    Phi = features(X, rff)
    return Phi @ Phi.T


def lambda_min(K) -> float:
    """Smallest eigenvalue of a symmetric matrix."""
    K = as_array("K", K, 2)
    return float(np.linalg.eigvalsh(0.5 * (K + K.T))[0])


def lambda_max(K) -> float:
    """Largest eigenvalue of a symmetric matrix."""
    K = as_array("K", K, 2)
    return float(np.linalg.eigvalsh(0.5 * (K + K.T))[-1])


def gaussian_gram(X, sigma: float) -> np.ndarray:
    """The exact (infinite-width) Gaussian kernel Gram ``exp(−‖x_i − x_j‖²/(2σ²))`` that the features
    approximate."""
    X = as_array("X", X, 2)
    d2 = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    return np.exp(-d2 / (2.0 * sigma**2))


def zero_weights(depth: int, d: int, q: int) -> np.ndarray:
    """The initialisation ``W_0 = … = W_L = 0``, shape (L+1, d, q)."""
    depth = check_depth(depth)
    return np.zeros((depth + 1, d, q))


@dataclass
class Pass:
    """Result of one forward (and backward) pass."""

    loss: float
    trajectory: np.ndarray  # (N, L+1, d)
    grad: np.ndarray | None = None  # dℒ/dW, (L+1, d, q), Euclidean

    @property
    def output_states(self) -> np.ndarray:
        return self.trajectory[:, -1, :]


def _validate_problem(X0, Y, B, W, rff: RFF):
    X0 = as_array("X0", X0, 2)
    Y = as_array("Y", Y, 2)
    W = as_array("W", W, 3)
    N, d = X0.shape
    if N < 1:
        raise ValueError("X0: expected at least one sample")
    if W.shape[0] < 2:
        raise ValueError(f"depth: expected an integer >= 1 (W has {W.shape[0]} matrices, so depth {W.shape[0] - 1})")
    if W.shape[1:] != (d, rff.q):
        raise ValueError(f"W: expected shape (L+1, {d}, {rff.q}) (state dimension d, q features), got {W.shape}")
    if rff.d != d:
        raise ValueError(f"omega: expected {d} columns (the state dimension of X0), got {rff.d}")
    if B is None:
        B = np.eye(d)
    B = as_array("B", B, 2)
    if B.shape[1] != d:
        raise ValueError(f"B: expected {d} columns (the state dimension), got shape {B.shape}")
    if Y.shape != (N, B.shape[0]):
        raise ValueError(f"Y: expected shape ({N}, {B.shape[0]}) (one target per sample, output dimension of B), got {Y.shape}")
    return X0, Y, B, W


def _pass(X0, Y, B, W, rff: RFF, sch: int, grad: bool) -> Pass:
    """The kernel call on validated, contiguous float64 arrays."""
    N, d = X0.shape
    L = W.shape[0] - 1
    XS = np.empty((N, L + 1, d))
    losses = np.empty(N)
    n_chunks = min(N_CHUNKS, N)
    Gc = np.empty((n_chunks, L + 1, d, rff.q)) if grad else np.empty((1, 1, 1, 1))
    with threads_for(N * L * rff.q, SERIAL_WORK):
        _resnet_kernel(X0, Y, B, W, rff.omega_t, rff.u, rff.theta_bound, sch, grad, XS, losses, Gc)
    G = Gc.sum(axis=0) if grad else None
    return Pass(float(losses.sum()), XS, G)


def resnet_pass(X0, Y, W, rff: RFF, B=None, scheme: str = "euler", grad: bool = True) -> Pass:
    """Forward pass of the depth-``L`` ResNet (``L = W.shape[0] − 1``), loss ``½Σ‖B x_L − y‖²`` and, if
    ``grad``, its Euclidean gradient ``∂ℒ/∂W`` by the discrete adjoint (module docstring)."""
    X0, Y, B, W = _validate_problem(X0, Y, B, W, rff)
    return _pass(X0, Y, B, W, rff, _scheme(scheme), grad)


def forward(X0, W, rff: RFF, scheme: str = "euler") -> np.ndarray:
    """The states ``x_0, …, x_L`` of every sample, shape (N, L+1, d)."""
    X0 = as_array("X0", X0, 2)
    return resnet_pass(X0, np.zeros_like(X0), W, rff, None, scheme, grad=False).trajectory


def embed(X, A) -> np.ndarray:
    """The lifting ``x_0 = A x`` of inputs ``X`` (N, d_in) into the state space: ``X Aᵀ`` (N, d)."""
    X = as_array("X", X, 2)
    A = as_array("A", A, 2)
    if A.shape[1] != X.shape[1]:
        raise ValueError(f"A: expected {X.shape[1]} columns (the input dimension), got shape {A.shape}")
    return np.ascontiguousarray(X @ A.T)


def l2_norm(W) -> float:
    """Discrete L² norm of the velocity field, ``(h Σ_k ‖W_k‖_F²)^{1/2}`` with ``h = 1/L`` (Euler: the
    exact L² norm of the piecewise-constant field, ``W_L`` being unused and 0; midpoint: a quadrature of
    ``∫‖W(t)‖²`` that weights the two end matrices by ``h`` instead of ``h/2``)."""
    W = np.asarray(W)
    L = W.shape[0] - 1
    return float(math.sqrt(np.sum(W * W) / L))


def tangent_gram(X0, W, rff: RFF, B=None, scheme: str = "euler") -> np.ndarray:
    """Gram matrix ``G = J Jᵀ`` of the output Jacobian ``J = ∂(B x_L)/∂v`` in the discrete L² metric,
    shape (N m, N m), rows ordered (sample, output coordinate).

    For any target ``y`` with residual ``ρ = y − B x_L``, ``‖∇ℒ‖² = ρᵀ G ρ`` and ``ℒ = ½‖ρ‖²``, so over
    all targets the PL ratio ``‖∇ℒ‖²/ℒ`` ranges exactly over ``[2λ_min(G), 2λ_max(G)]``: the worst case of
    the local PL pair at the weights ``W``. One adjoint pass per (sample, output coordinate), each with a
    unit residual (so ``∂ℒ/∂W = −∂(B x_L)_b/∂W``); at ``W = 0``, ``G = K(X₀) ⊗ BBᵀ``.
    """
    X0 = as_array("X0", X0, 2)
    m = X0.shape[1] if B is None else as_array("B", B, 2).shape[0]
    X0, _, B, W = _validate_problem(X0, np.zeros((X0.shape[0], m)), B, W, rff)
    sch = _scheme(scheme)
    N, m = X0.shape[0], B.shape[0]
    L = W.shape[0] - 1
    out = _pass(X0, np.zeros((N, m)), B, W, rff, sch, False).output_states @ B.T
    J = np.empty((N * m, W.size))
    for i in range(N):
        for b in range(m):
            Y = out[i:i + 1].copy()
            Y[0, b] += 1.0
            J[i * m + b] = -_pass(X0[i:i + 1], Y, B, W, rff, sch, True).grad.ravel()
    return (J @ J.T) * L  # (1/h) Σ_k ⟨∂_k ·, ∂_k ·⟩_F


@dataclass(frozen=True)
class PLFactors:
    """The numbers of the local PL chain at one velocity field ``v`` (Euler, ``B = I``), worst target.

    ``‖∇ℒ‖² = h Σ_{k<L} p_{k+1}ᵀ (K_k ⊗ I) p_{k+1}`` with ``p_{k+1} = P_{k+1} ρ`` (``ρ = y − x_L`` the
    residual, ``P_{k+1}`` the adjoint propagator, block diagonal over samples) gives the chain
    ``2 λ_min(G) ≥ 2 min_k λ_min(K_k) · min_k σ_min(P_{k+1})²`` and its upper twin. Fields: the extreme
    eigenvalues of the tangent Gram ``G`` (:func:`tangent_gram`), of the feature Grams ``K_k = K(X_k)``
    along the path (``k = 0 … L−1``, the states the gradient sees), and the extreme squared singular values
    of the propagators ``P_1 … P_L`` (``P_L = I``) over every sample.
    """

    gram_min: float
    gram_max: float
    path_min: float
    path_max: float
    adjoint_min: float
    adjoint_max: float


def pl_factors(X0, W, rff: RFF) -> PLFactors:
    """:class:`PLFactors` of the Euler network with weights ``W`` (L+1, d, q) on the data ``X0`` (N, d).

    The propagators follow the discrete adjoint ``p_j = (I + h W_j Dφ(x_j))ᵀ p_{j+1}`` with
    ``Dφ(x) = −√(2/q) diag(sin(Ωx + u)) Ω`` (NumPy, vectorised over samples).
    """
    X0 = as_array("X0", X0, 2)
    X0, _, _, W = _validate_problem(X0, X0, None, W, rff)
    N, d = X0.shape
    L = W.shape[0] - 1
    h = 1.0 / L
    c = math.sqrt(2.0 / rff.q)
    G = np.linalg.eigvalsh(tangent_gram(X0, W, rff))
    XS = _pass(X0, np.zeros_like(X0), np.eye(d), W, rff, EULER, False).trajectory
    path = np.array([np.linalg.eigvalsh(gram(XS[:, k, :], rff))[[0, -1]] for k in range(L)])
    P = np.broadcast_to(np.eye(d), (N, d, d)).copy()  # P_L = I
    lo, hi = 1.0, 1.0
    for j in range(L - 1, 0, -1):
        S = np.sin(XS[:, j, :] @ rff.omega.T + rff.u[None, :])  # (N, q)
        WD = -c * np.einsum("aq,iq,qb->iab", W[j], S, rff.omega)  # W_j Dφ(x_j^i), (N, d, d)
        A_T = np.eye(d)[None] + h * np.transpose(WD, (0, 2, 1))
        P = A_T @ P
        sv = np.linalg.svd(P, compute_uv=False)
        lo, hi = min(lo, float(sv[:, -1].min() ** 2)), max(hi, float(sv[:, 0].max() ** 2))
    return PLFactors(float(G[0]), float(G[-1]), float(path[:, 0].min()), float(path[:, 1].max()), lo, hi)


def stability_limit(X0, rff: RFF, B=None) -> float:
    """Linear stability limit ``2/λ_max(H)`` of GD in the L² metric at ``W = 0``.

    At ``W = 0`` the states do not move and the output Jacobian ``J`` satisfies ``J Jᵀ = K(X_0) ⊗ B Bᵀ`` in
    the L² metric for Euler (:func:`tangent_gram`); the Gauss-Newton Hessian ``Jᵀ J`` has the same top
    eigenvalue, so GD with ``η > 2/(λ_max(K(X_0)) λ_max(BBᵀ))`` diverges on the linearised problem. For
    midpoint ``J Jᵀ = (1 − 1/(2L)) K(X_0) ⊗ BBᵀ`` (the end matrices enter with weight ``h/2``), so the
    same limit is conservative by that factor.
    """
    X0 = as_array("X0", X0, 2)
    K = gram(X0, rff)
    bb = 1.0 if B is None else float(np.linalg.eigvalsh(np.asarray(B) @ np.asarray(B).T)[-1])
    return 2.0 / (lambda_max(K) * bb)


@dataclass
class GDResult:
    """A gradient-descent trajectory (quantities at iterates 0..T)."""

    eta: float
    depth: int
    scheme: str
    loss: np.ndarray  # ℒ(θ_t)
    grad_norm2: np.ndarray  # ‖∇ℒ(θ_t)‖² in the L² metric
    radius: np.ndarray  # ‖v_t‖ (discrete L² norm of W)
    W: np.ndarray  # final weights
    loss_star: float = 0.0
    lambda_min_traj: np.ndarray | None = None  # min over layers of λ_min(K_k) at each recorded iterate
    stopped: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> np.ndarray:
        """The measured PL ratio ``‖∇ℒ‖² / (ℒ − ℒ*)`` at each iterate."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.grad_norm2 / (self.loss - self.loss_star)


def gradient_descent(X0, Y, rff: RFF, depth: int, eta: float, steps: int, B=None, scheme: str = "euler",
                     W0=None, loss_star: float = 0.0, loss_floor: float = 0.0,
                     track_gram: bool = False) -> GDResult:
    """Gradient descent on ``v ∈ L²([0,1], V)``: ``W ← W − η (1/h) ∂ℒ/∂W`` from ``W0`` (default 0).

    Records ``ℒ``, ``‖∇ℒ‖²`` (L² metric) and the radius ``‖v‖`` at every iterate; stops after ``steps``
    steps or once ``ℒ − ℒ* ≤ loss_floor`` (the PL ratio is meaningless at round-off). ``loss_star`` is the
    infimum used in the ratio (0 for a reachable target). With ``track_gram`` also records
    ``min_k λ_min(K_k)`` along the trajectory (``N³`` per layer: small ``N`` only).

    A step size above :func:`stability_limit` raises a :class:`StepSizeWarning` naming ``eta``.
    """
    depth = check_depth(depth)
    eta = positive("eta", eta)
    steps = integer("steps", steps, 0)
    sch = _scheme(scheme)
    X0 = as_array("X0", X0, 2)
    d = X0.shape[1]
    W = zero_weights(depth, d, rff.q) if W0 is None else as_array("W0", W0, 3).copy()
    if W.shape != (depth + 1, d, rff.q):
        raise ValueError(f"W0: expected shape ({depth + 1}, {d}, {rff.q}), got {W.shape}")
    X0, Y, B, W = _validate_problem(X0, Y, B, W, rff)
    W = W.copy()
    limit = stability_limit(X0, rff, B)
    if eta > limit:
        warnings.warn(f"eta: step size {eta:.4g} is above the linear stability limit 2/λ_max(K(X0)) = "
                      f"{limit:.4g}; gradient descent may diverge", StepSizeWarning, stacklevel=2)
    h = 1.0 / depth
    losses, g2, radii, lmins = [], [], [], []
    stopped = "steps"
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            ps = _pass(X0, Y, B, W, rff, sch, True)
            gn2 = float(np.sum(ps.grad * ps.grad)) / h
            losses.append(ps.loss)
            g2.append(gn2)
            radii.append(l2_norm(W))
            if not (math.isfinite(ps.loss) and math.isfinite(gn2)):
                stopped = "diverged"
                if track_gram:
                    lmins.append(math.nan)
                break
            if track_gram:
                lmins.append(min(lambda_min(gram(ps.trajectory[:, k, :], rff)) for k in range(depth + 1)))
            if ps.loss - loss_star <= loss_floor:
                stopped = "loss floor"
                break
            if t == steps:
                break
            W -= (eta / h) * ps.grad
            if not np.all(np.isfinite(W)):
                stopped = "diverged"
                break
    return GDResult(eta=float(eta), depth=depth, scheme=scheme, loss=np.array(losses), grad_norm2=np.array(g2),
                    radius=np.array(radii), W=W, loss_star=float(loss_star),
                    lambda_min_traj=np.array(lmins) if track_gram else None, stopped=stopped,
                    extra={"stability_limit": limit})


# ----------------------------------------------------------------------------------------------------
# the ODE limit
# ----------------------------------------------------------------------------------------------------
def sample_weights(W_of_t, depth: int) -> np.ndarray:
    """``W_k = W(k/L)``, k = 0..L: the depth-``L`` network whose piecewise-linear ``W`` interpolates the
    continuous field ``W_of_t`` (a callable ``t -> (d, q) array``)."""
    depth = check_depth(depth)
    return np.ascontiguousarray(np.stack([np.asarray(W_of_t(k / depth), dtype=np.float64)
                                          for k in range(depth + 1)]))


def flow_reference(X0, W_of_t, rff: RFF, rtol: float = 1e-12, atol: float = 1e-12) -> np.ndarray:
    """``x(1)`` of the ODE ``ẋ = W(t) φ(x)`` for every sample (scipy ``solve_ivp``, DOP853, tight
    tolerances): the infinite-depth limit of the ResNet. Returns (N, d)."""
    from scipy.integrate import solve_ivp

    X0 = as_array("X0", X0, 2)
    N, d = X0.shape
    if rff.d != d:
        raise ValueError(f"omega: expected {d} columns (the state dimension of X0), got {rff.d}")
    c = math.sqrt(2.0 / rff.q)

    def rhs(t, y):
        X = y.reshape(N, d)
        Phi = c * np.cos(X @ rff.omega.T + rff.u[None, :])
        return (Phi @ np.asarray(W_of_t(t)).T).ravel()

    sol = solve_ivp(rhs, (0.0, 1.0), X0.ravel(), method="DOP853", rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"flow_reference: solve_ivp failed: {sol.message}")
    return sol.y[:, -1].reshape(N, d)


# ----------------------------------------------------------------------------------------------------
# NumPy reference (Euler): the baseline of the benchmark and a cross-check of the kernel in the tests
# ----------------------------------------------------------------------------------------------------
def resnet_pass_numpy(X0, Y, W, rff: RFF, B=None):
    """Euler forward/backward vectorised over samples with NumPy (BLAS for the ``N × q`` products).

    Returns ``(loss, grad, P)`` with ``grad = ∂ℒ/∂W`` (L+1, d, q) and the adjoint states
    ``P[k] = p_k`` (L+1, N, d). Same conventions as :func:`resnet_pass` with ``scheme="euler"``.
    """
    X0, Y, B, W = _validate_problem(X0, Y, B, W, rff)
    L = W.shape[0] - 1
    h = 1.0 / L
    c = math.sqrt(2.0 / rff.q)
    Om, u = rff.omega, rff.u
    X = np.empty((L + 1,) + X0.shape)
    X[0] = X0
    for k in range(L):
        Phi = c * np.cos(X[k] @ Om.T + u)
        X[k + 1] = X[k] + h * Phi @ W[k].T
    R = Y - X[L] @ B.T
    loss = 0.5 * float(np.sum(R * R))
    P = np.empty_like(X)
    P[L] = R @ B
    G = np.zeros_like(W)
    for k in range(L - 1, -1, -1):
        Th = X[k] @ Om.T + u
        G[k] = -h * P[k + 1].T @ (c * np.cos(Th))
        P[k] = P[k + 1] + h * (((P[k + 1] @ W[k]) * (-c * np.sin(Th))) @ Om)
    return loss, G, P
