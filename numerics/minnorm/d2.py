"""Weight-decay training of shallow ReLU networks on ℝ^d (d = 2 in the claims) with a free affine part, in numba
(Park, Pelakh & Wojtowytsch, NeurIPS 2023, arXiv 2311.06138; docs/minnorm.md, the d = 2 family).

Model: ``m`` neurons and a free affine part,

.. math:: f_\\theta(x) = \\sum_{j=1}^m a_j\\, \\mathrm{relu}(w_j\\cdot x + b_j) + v\\cdot x + c ,

objective (``n`` points or a mini-batch ``I_t`` of them)

.. math:: J(\\theta) = \\frac{1}{2|I|}\\sum_{i\\in I}(f_\\theta(x_i) - y_i)^2 + \\frac{\\lambda}{2}\\sum_j (a_j^2 + \\|w_j\\|^2),

inner biases ``b``, ``v`` and ``c`` unpenalised (the setting of :mod:`theory.minnorm.cost_md`, whose cost
``Σ_H|c_H|`` the penalty equals at a minimiser). Optimizers (:func:`train`): ``"gd"``, ``"sgd"`` (mini-batches
drawn outside the kernel, :func:`numerics.minnorm.shallow_relu.minibatches`), ``"adam"`` (penalty in the
gradient, PyTorch's ``Adam(weight_decay=λ)``) and ``"adamw"`` (decoupled), PyTorch's update rules.
:func:`train_numpy` is a plain NumPy implementation of the same updates (the tests' reference and the
benchmark's baseline). Initialisation (:func:`init_network`): PyTorch's default for ``Linear(d, m)`` and
``Linear(m, 1)`` (``w, b ~ U[−1/√d, 1/√d]``, ``a ~ U[−1/√m, 1/√m]``), affine part 0.

Kernels are serial (the experiments train many tiny networks; the parallelism is across seeds), sums in a
fixed order, fastmath off; :func:`evaluate` is parallel over points (``prange``). The Python wrappers check
every argument and raise ``ValueError`` naming it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_array, as_indices, as_vector, integer, positive, real

GD, ADAM, ADAMW = 0, 1, 2
#: optimizer name -> (kernel code, needs mini-batches)
OPTIMIZERS = {"gd": (GD, False), "sgd": (GD, True), "adam": (ADAM, False), "adamw": (ADAMW, False)}


@njit(cache=True)
def _forward(X, a, W, b, v, c, i):
    d = X.shape[1]
    f = c
    for k in range(d):
        f += v[k] * X[i, k]
    for j in range(a.shape[0]):
        z = b[j]
        for k in range(d):
            z += W[j, k] * X[i, k]
        if z > 0.0:
            f += a[j] * z
    return f


@njit(cache=True)
def _train_kernel(X, y, a, W, b, v, c_arr, opt, lr, lam, batches, beta1, beta2, eps, hist, record):
    n, d = X.shape
    m = a.shape[0]
    P = m * (d + 2) + d + 1  # a, W, b, v, c flattened
    g = np.zeros(P)
    mom = np.zeros(P)
    sec = np.zeros(P)
    res = np.zeros(n)
    steps = batches.shape[0]
    full = batches.shape[1] == 1 and batches[0, 0] < 0 if steps > 0 else True
    h = 0
    for t in range(steps + 1):
        if full:
            B = n
        else:
            B = batches.shape[1] if t < steps else n
        # residuals on the batch (the final pass: every point, for the record)
        for q in range(B):
            i = q if (full or t == steps) else batches[t, q]
            res[q] = _forward(X, a, W, b, v, c_arr[0], i) - y[i]
        if t % record == 0 or t == steps:
            loss = 0.0
            if full or t == steps:
                for q in range(n):
                    loss += res[q] * res[q]
                loss /= 2.0 * n
            else:
                loss = np.nan
            pen = 0.0
            for j in range(m):
                pen += a[j] * a[j]
                for k in range(d):
                    pen += W[j, k] * W[j, k]
            hist[h, 0] = t
            hist[h, 1] = loss
            hist[h, 2] = loss + 0.5 * lam * pen
            h += 1
        if t == steps:
            break
        for p in range(P):
            g[p] = 0.0
        for q in range(B):
            i = q if full else batches[t, q]
            r = res[q] / B
            for j in range(m):
                z = b[j]
                for k in range(d):
                    z += W[j, k] * X[i, k]
                if z > 0.0:
                    g[j] += r * z
                    for k in range(d):
                        g[m + j * d + k] += r * a[j] * X[i, k]
                    g[m + m * d + j] += r * a[j]
            for k in range(d):
                g[m * (d + 2) + k] += r * X[i, k]
            g[P - 1] += r
        if opt != ADAMW:  # the penalty in the gradient
            for j in range(m):
                g[j] += lam * a[j]
                for k in range(d):
                    g[m + j * d + k] += lam * W[j, k]
        if opt == GD:
            step = g
            for p in range(P):
                step[p] = lr * g[p]
        else:
            if opt == ADAMW:  # decoupled decay first, on the penalised weights
                for j in range(m):
                    a[j] *= 1.0 - lr * lam
                    for k in range(d):
                        W[j, k] *= 1.0 - lr * lam
            bc1 = 1.0 - beta1 ** (t + 1)
            bc2 = 1.0 - beta2 ** (t + 1)
            for p in range(P):
                mom[p] = beta1 * mom[p] + (1.0 - beta1) * g[p]
                sec[p] = beta2 * sec[p] + (1.0 - beta2) * g[p] * g[p]
                g[p] = lr * (mom[p] / bc1) / (math.sqrt(sec[p] / bc2) + eps)
            step = g
        for j in range(m):
            a[j] -= step[j]
            for k in range(d):
                W[j, k] -= step[m + j * d + k]
            b[j] -= step[m + m * d + j]
        for k in range(d):
            v[k] -= step[m * (d + 2) + k]
        c_arr[0] -= step[P - 1]
    return h


@njit(cache=True, parallel=True)
def _eval_kernel(Xs, a, W, b, v, c, out):
    for i in prange(Xs.shape[0]):
        out[i] = _forward(Xs, a, W, b, v, c, i)


@dataclass(frozen=True)
class Net:
    """Parameters of ``f(x) = Σ a_j relu(w_j·x + b_j) + v·x + c`` (``W``: ``(m, d)``)."""

    a: np.ndarray
    W: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float = 0.0

    def __post_init__(self) -> None:
        a = as_vector("a", self.a)
        if a.size == 0:
            raise ValueError("a: expected at least one neuron, got an empty network")
        W = as_array("W", self.W, 2)
        if W.shape[0] != a.size or W.shape[1] < 1:
            raise ValueError(f"W: expected shape ({a.size}, d) with d ≥ 1, got {W.shape}")
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "b", as_vector("b", self.b, a.size))
        object.__setattr__(self, "v", as_vector("v", self.v, W.shape[1]))
        object.__setattr__(self, "c", real("c", self.c))

    @property
    def width(self) -> int:
        return self.a.size

    @property
    def dim(self) -> int:
        return self.W.shape[1]

    def copy(self) -> "Net":
        return Net(self.a.copy(), self.W.copy(), self.b.copy(), self.v.copy(), self.c)


def init_network(rng: np.random.Generator, m: int, d: int = 2, scale: float = 1.0) -> Net:
    """PyTorch's default initialisation of ``Linear(d, m)``, ``Linear(m, 1)`` (inner ``U[−1/√d, 1/√d]``, outer
    ``U[−1/√m, 1/√m]``), every weight times ``scale``; affine part 0."""
    m = integer("m", m, 1)
    d = integer("d", d, 1)
    scale = positive("scale", scale)
    u = rng.uniform(-1.0, 1.0, (m, d + 2))
    return Net(scale * u[:, 0] / math.sqrt(m), scale * u[:, 1:d + 1] / math.sqrt(d), scale * u[:, d + 1] / math.sqrt(d),
               np.zeros(d), 0.0)


@dataclass(frozen=True)
class TrainResult:
    net: Net
    steps: np.ndarray
    loss: np.ndarray  # (1/2n)Σ(f − y)² at the recorded steps (NaN at mini-batch steps but the last)
    objective: np.ndarray  # loss + (λ/2)Σ(a² + ‖w‖²)


def _check_data(X, y) -> tuple[np.ndarray, np.ndarray]:
    X = as_array("X", X, 2)
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X: expected an (n, d) array with n, d ≥ 1, got shape {X.shape}")
    return X, as_vector("y", y, X.shape[0], what="values (one per row of X)")


def train(X, y, net: Net, method: str = "gd", lr: float = 1e-2, steps: int = 1000, lam: float = 0.0,
          batches=None, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, record: int = 1000) -> TrainResult:
    """Train a copy of ``net`` on ``(X, y)`` (module docstring). ``batches``: ``(steps, B)`` indices (``"sgd"``;
    optional for Adam/AdamW). ``record``: history every ``record`` steps (and the last)."""
    X, y = _check_data(X, y)
    if not isinstance(net, Net):
        raise ValueError(f"net: expected a numerics.minnorm.d2.Net, got {type(net).__name__}")
    if net.dim != X.shape[1]:
        raise ValueError(f"net: expected a network on ℝ^{X.shape[1]} (the columns of X), got dimension {net.dim}")
    try:
        code, needs = OPTIMIZERS[method]
    except (KeyError, TypeError):
        raise ValueError(f"method: expected one of {sorted(OPTIMIZERS)}, got {method!r}") from None
    lr = positive("lr", lr)
    steps = integer("steps", steps, 0)
    lam = positive("lam", lam, allow_zero=True)
    beta1 = positive("beta1", beta1, allow_zero=True)
    beta2 = positive("beta2", beta2, allow_zero=True)
    if not (beta1 < 1 and beta2 < 1):
        raise ValueError(f"beta1, beta2: expected values in [0, 1), got {beta1}, {beta2}")
    eps = positive("eps", eps)
    record = integer("record", record, 1)
    if batches is None:
        if needs:
            raise ValueError("batches: method 'sgd' needs mini-batch indices (numerics.minnorm.shallow_relu.minibatches)")
        bt = np.full((steps, 1), -1, dtype=np.int64)
    else:
        bt = as_indices("batches", batches, X.shape[0], 2)
        if bt.shape[0] != steps or bt.shape[1] == 0:
            raise ValueError(f"batches: expected an integer array of shape ({steps}, B), got shape {bt.shape}")
    out = net.copy()
    c_arr = np.array([out.c])
    hist = np.full((steps // record + 2, 3), np.nan)
    with np.errstate(over="ignore", invalid="ignore"):
        h = _train_kernel(X, y, out.a, out.W, out.b, out.v, c_arr, code, lr, lam, bt, beta1, beta2, eps, hist, record)
    if not (np.all(np.isfinite(out.a)) and np.all(np.isfinite(out.W)) and np.isfinite(c_arr[0])):
        raise FloatingPointError(f"train: {method} diverged (lr = {lr} too large?)")
    hist = hist[:h]
    return TrainResult(Net(out.a, out.W, out.b, out.v, float(c_arr[0])), hist[:, 0].astype(int), hist[:, 1], hist[:, 2])


def evaluate(net: Net, Xs) -> np.ndarray:
    """``f(x)`` at the rows of ``Xs`` (parallel over points)."""
    if not isinstance(net, Net):
        raise ValueError(f"net: expected a numerics.minnorm.d2.Net, got {type(net).__name__}")
    Xs = as_array("Xs", Xs, 2)
    if Xs.shape[1] != net.dim:
        raise ValueError(f"Xs: expected {net.dim} columns (the network's dimension), got {Xs.shape[1]}")
    out = np.empty(Xs.shape[0])
    _eval_kernel(Xs, net.a, net.W, net.b, net.v, net.c, out)
    return out


def path_norm(net: Net) -> float:
    """``Σ_j |a_j|‖w_j‖`` (the penalty at a balanced network; ≥ the merged cost of its realisation)."""
    if not isinstance(net, Net):
        raise ValueError(f"net: expected a numerics.minnorm.d2.Net, got {type(net).__name__}")
    return float(np.sum(np.abs(net.a) * np.sqrt(np.sum(net.W * net.W, axis=1))))


def penalty(net: Net) -> float:
    """``½Σ(a_j² + ‖w_j‖²)``."""
    if not isinstance(net, Net):
        raise ValueError(f"net: expected a numerics.minnorm.d2.Net, got {type(net).__name__}")
    return 0.5 * float(np.sum(net.a**2) + np.sum(net.W**2))


# ----------------------------------------------------------------------------------------------------
# reference: the same updates in plain NumPy
# ----------------------------------------------------------------------------------------------------
def train_numpy(X, y, net: Net, method: str = "gd", lr: float = 1e-2, steps: int = 1000, lam: float = 0.0,
                batches=None, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Net:
    """:func:`train` written with NumPy arrays (vectorised over points and neurons): the reference."""
    X, y = _check_data(X, y)
    code, _ = OPTIMIZERS[method]
    a, W, b, v, c = net.a.copy(), net.W.copy(), net.b.copy(), net.v.copy(), float(net.c)
    mom = [np.zeros_like(p) for p in (a, W, b, v)] + [0.0]
    sec = [np.zeros_like(p) for p in (a, W, b, v)] + [0.0]
    for t in range(steps):
        idx = np.arange(X.shape[0]) if batches is None else np.asarray(batches[t])
        Xb, yb = X[idx], y[idx]
        Z = Xb @ W.T + b
        act = Z > 0
        r = (np.maximum(Z, 0) @ a + Xb @ v + c - yb) / idx.size
        ga = np.maximum(Z, 0).T @ r
        gW = (act * r[:, None]).T @ Xb * a[:, None]
        gb = (act * r[:, None]).sum(axis=0) * a
        gv = Xb.T @ r
        gc = float(r.sum())
        if code != ADAMW:
            ga, gW = ga + lam * a, gW + lam * W
        grads = [ga, gW, gb, gv, gc]
        if code == GD:
            steps_ = [lr * gg for gg in grads]
        else:
            if code == ADAMW:
                a, W = a * (1 - lr * lam), W * (1 - lr * lam)
            steps_ = []
            for k, gg in enumerate(grads):
                mom[k] = beta1 * mom[k] + (1 - beta1) * gg
                sec[k] = beta2 * sec[k] + (1 - beta2) * gg * gg
                steps_.append(lr * (mom[k] / (1 - beta1 ** (t + 1))) / (np.sqrt(sec[k] / (1 - beta2 ** (t + 1))) + eps))
        a, W, b, v, c = a - steps_[0], W - steps_[1], b - steps_[2], v - steps_[3], c - steps_[4]
    return Net(a, W, b, v, float(c))
