"""Training shallow ReLU networks on 1-D data with weight decay, in numba (Park, Pelakh & Wojtowytsch,
"Minimum norm interpolation by perceptra: explicit regularization and implicit bias", NeurIPS 2023,
arXiv 2311.06138; docs/minnorm.md#setting).

Model: ``m`` neurons, a free output bias ``d`` and, optionally, a linear skip term ``e x``,

.. math:: f_\\theta(x) = \\sum_{i=1}^m c_i\\, \\mathrm{relu}(a_i x + b_i) + d + e\\,x .

Objective (``n`` data points, or a mini-batch ``I_t`` of them):

.. math:: J(\\theta) = \\frac{1}{2|I|} \\sum_{j \\in I} (f_\\theta(x_j) - y_j)^2
          + \\frac{\\lambda}{2} \\sum_i \\big(c_i^2 + a_i^2 + \\beta\\, b_i^2\\big),

with ``β = 1`` (weight decay on the inner biases too: "penalized bias") or ``β = 0`` ("free bias"); ``d``
and ``e`` are never penalised. At a minimiser every neuron is balanced (``|c_i| = ‖(a_i, β b_i)‖``) and the
penalty equals ``λ`` times the path norm ``Σ|c_i| ‖(a_i, b_i)‖₂`` (penalized) or ``Σ|c_i||a_i|`` (free);
see :func:`path_norm`. Which representational cost each corresponds to is in :mod:`theory.minnorm.cost`.

Optimizers (:func:`train`): full-batch gradient descent ``"gd"``, mini-batch SGD ``"sgd"``, Adam with the
penalty in the gradient (PyTorch's ``Adam(weight_decay=λ)``) ``"adam"``, and Adam with decoupled decay
(``AdamW``) ``"adamw"``, with PyTorch's update rules to round-off (``p −= lr·m̂/(√v̂ + ε)``, bias-corrected
moments; AdamW multiplies by ``1 − lr·λ`` first); ``lam = 0`` gives each without weight decay. Mini-batch
indices are drawn outside the kernel (:func:`minibatches`, epochs of random permutations) and passed in.
:func:`train_numpy` is a plain NumPy implementation of the same updates (the tests' reference).

Distances to a piecewise-linear target (:func:`w1inf_distance`, :func:`l2_distance`, :func:`pl_distance`)
are exact: a network is piecewise linear, so the difference is too, and its sup, derivative sup and
``L²`` norm follow from its values at the union of the break points.

Kernel: one fused forward/backward/update step, parallel over data points for the forward pass and over
neurons (``prange``) for the backward pass and the update; every sum has a fixed order (over neurons in
the forward pass, over the batch in the backward pass), so results do not depend on the thread count.
fastmath is off. Inputs are validated in the Python wrappers, which raise ``ValueError`` naming the
argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from numerics.common.checks import as_indices, as_interval, as_vector, integer, positive, real

GD = 0
ADAM = 1
ADAMW = 2
#: optimizer name -> (kernel code, uses mini-batches)
OPTIMIZERS = {"gd": (GD, False), "sgd": (GD, True), "adam": (ADAM, False), "adamw": (ADAMW, False)}
#: below this many neuron-sample products per step the serial kernel runs (thread start-up costs more than it
#: saves on small problems, and a spinning team hurts a busy machine)
SERIAL_WORK = 50_000


# ----------------------------------------------------------------------------------------------------
# kernels
# ----------------------------------------------------------------------------------------------------
def _train_impl(x, y, a, b, c, head, opt, lr, lam, decay_bias, train_skip, batches, beta1, beta2, eps,
                record, hist, grads):
    """``steps = batches.shape[0]`` steps (full batch when ``batches`` has one column of -1s) of
    optimizer ``opt`` on (a, b, c, head = [d, e]) in place.

    ``hist[k] = (step, data loss, penalty)`` at steps ``0, record, 2 record, …`` and at the last step;
    ``grads`` (m + 1, 3) receives the gradient of ``J`` at the final parameters: rows ``i < m`` are
    ``(∂a_i, ∂b_i, ∂c_i)``, row ``m`` is ``(∂d, ∂e, 0)``. Data loss and gradient at the final step are
    full-batch.
    """
    m = a.shape[0]
    n = x.shape[0]
    steps = batches.shape[0]
    full = batches.shape[1] == 1 and batches[0, 0] < 0 if steps > 0 else True
    bmax = n  # the last step is always full-batch (the final loss and gradient), so size n
    xb = np.empty(bmax)
    yb = np.empty(bmax)
    r = np.empty(bmax)
    mom = np.zeros((m, 3))
    vel = np.zeros((m, 3))
    hmom = np.zeros(2)
    hvel = np.zeros(2)
    dec_b = 1.0 if decay_bias else 0.0
    k_rec = 0
    for t in range(steps + 1):
        last = t == steps
        # -- the batch
        if full or last:
            nb = n
            for j in range(n):
                xb[j] = x[j]
                yb[j] = y[j]
        else:
            nb = batches.shape[1]
            for j in range(nb):
                xb[j] = x[batches[t, j]]
                yb[j] = y[batches[t, j]]
        # -- forward: residuals r_j = (f(x_j) - y_j) / |I|, parallel over points, fixed order over neurons
        for j in prange(nb):
            s = head[0] + head[1] * xb[j]
            for i in range(m):
                z = a[i] * xb[j] + b[i]
                if z > 0.0:
                    s += c[i] * z
            r[j] = (s - yb[j]) / nb
        loss = 0.0
        gd = 0.0
        ge = 0.0
        for j in range(nb):
            loss += 0.5 * nb * r[j] * r[j]
            gd += r[j]
            ge += r[j] * xb[j]
        pen = 0.0
        for i in range(m):
            pen += c[i] * c[i] + a[i] * a[i] + dec_b * b[i] * b[i]
        pen *= 0.5 * lam
        if t % record == 0 or last:
            hist[k_rec, 0] = t
            hist[k_rec, 1] = loss
            hist[k_rec, 2] = pen
            k_rec += 1
        if not train_skip:
            ge = 0.0
        # -- Adam bias corrections (PyTorch: p -= lr * m̂ / (√v̂ + eps), m̂ = m / c1, v̂ = v / c2)
        tt = t + 1
        c1 = 1.0 - beta1**tt
        c2 = 1.0 - beta2**tt
        # -- backward and update, parallel over neurons, fixed order over the batch
        for i in prange(m):
            ai = a[i]
            bi = b[i]
            ci = c[i]
            sa = 0.0
            sb = 0.0
            sc = 0.0
            for j in range(nb):
                z = ai * xb[j] + bi
                if z > 0.0:
                    sc += r[j] * z
                    sb += r[j]
                    sa += r[j] * xb[j]
            g0 = ci * sa
            g1 = ci * sb
            g2 = sc
            if last:
                grads[i, 0] = g0 + lam * ai
                grads[i, 1] = g1 + lam * dec_b * bi
                grads[i, 2] = g2 + lam * ci
                continue
            if opt != ADAMW:  # the penalty enters the gradient (GD, SGD, Adam)
                g0 += lam * ai
                g1 += lam * dec_b * bi
                g2 += lam * ci
            if opt == GD:
                a[i] = ai - lr * g0
                b[i] = bi - lr * g1
                c[i] = ci - lr * g2
            else:
                mom[i, 0] = beta1 * mom[i, 0] + (1.0 - beta1) * g0
                mom[i, 1] = beta1 * mom[i, 1] + (1.0 - beta1) * g1
                mom[i, 2] = beta1 * mom[i, 2] + (1.0 - beta1) * g2
                vel[i, 0] = beta2 * vel[i, 0] + (1.0 - beta2) * g0 * g0
                vel[i, 1] = beta2 * vel[i, 1] + (1.0 - beta2) * g1 * g1
                vel[i, 2] = beta2 * vel[i, 2] + (1.0 - beta2) * g2 * g2
                na = ai - lr * (mom[i, 0] / c1) / (math.sqrt(vel[i, 0] / c2) + eps)
                nb_ = bi - lr * (mom[i, 1] / c1) / (math.sqrt(vel[i, 1] / c2) + eps)
                nc = ci - lr * (mom[i, 2] / c1) / (math.sqrt(vel[i, 2] / c2) + eps)
                if opt == ADAMW:  # decoupled decay, applied to the old parameter (PyTorch AdamW)
                    na -= lr * lam * ai
                    nb_ -= lr * lam * dec_b * bi
                    nc -= lr * lam * ci
                a[i] = na
                b[i] = nb_
                c[i] = nc
        if last:
            grads[m, 0] = gd
            grads[m, 1] = ge
            grads[m, 2] = 0.0
            break
        # -- the unpenalised head (d, e)
        if opt == GD:
            head[0] -= lr * gd
            head[1] -= lr * ge
        else:
            for h in range(2):
                g = gd if h == 0 else ge
                hmom[h] = beta1 * hmom[h] + (1.0 - beta1) * g
                hvel[h] = beta2 * hvel[h] + (1.0 - beta2) * g * g
                head[h] -= lr * (hmom[h] / c1) / (math.sqrt(hvel[h] / c2) + eps)


def _eval_impl(xs, a, b, c, head, f_out, df_out):
    """``f(xs)`` and the right derivative ``f'(xs+)`` (relu'(0) = 0 at a kink), parallel over points."""
    m = a.shape[0]
    for j in prange(xs.shape[0]):
        s = head[0] + head[1] * xs[j]
        ds = head[1]
        for i in range(m):
            z = a[i] * xs[j] + b[i]
            if z > 0.0 or (z == 0.0 and a[i] > 0.0):
                s += c[i] * z
                ds += c[i] * a[i]
        f_out[j] = s
        df_out[j] = ds


#: the kernels, compiled twice: with a thread team (``prange`` parallel) for wide problems, and serially for
#: small ones, where starting the team costs more than a whole step (measured: 4.0 µs vs 0.7 µs per step
#: at n = 5, m = 32); a process compiles only the variants it uses
_train_kernel = njit(cache=True, parallel=True)(_train_impl)
_train_kernel_serial = njit(cache=True)(_train_impl)
_eval_kernel = njit(cache=True, parallel=True)(_eval_impl)
_eval_kernel_serial = njit(cache=True)(_eval_impl)


# ----------------------------------------------------------------------------------------------------
# the network
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ShallowNet:
    """Parameters of ``f(x) = Σ c_i relu(a_i x + b_i) + d + e x`` (``e = 0`` without a skip term).

    Raises ``ValueError`` naming the argument for an empty network, NaN/inf entries or mismatched sizes.
    """

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: float = 0.0
    e: float = 0.0

    def __post_init__(self) -> None:
        a = as_vector("a", self.a)
        if a.shape[0] == 0:
            raise ValueError("a: expected at least one neuron, got an empty network")
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", as_vector("b", self.b, a.shape[0]))
        object.__setattr__(self, "c", as_vector("c", self.c, a.shape[0]))
        for name in ("d", "e"):
            object.__setattr__(self, name, real(name, getattr(self, name)))

    @property
    def width(self) -> int:
        return self.a.shape[0]

    @property
    def head(self) -> np.ndarray:
        return np.array([self.d, self.e])

    def copy(self) -> "ShallowNet":
        return ShallowNet(self.a.copy(), self.b.copy(), self.c.copy(), self.d, self.e)

    def kinks(self) -> tuple[np.ndarray, np.ndarray]:
        """Kink positions ``t_i = −b_i/a_i`` and derivative jumps ``c_i |a_i|`` of the neurons with
        ``a_i ≠ 0`` (the realization is ``Σ J_i relu(±(x − t_i))`` + affine)."""
        ok = self.a != 0
        return -self.b[ok] / self.a[ok], self.c[ok] * np.abs(self.a[ok])


#: initialisation laws (:func:`init_from_block`)
INIT_LAWS = ("pytorch", "xavier_uniform", "xavier_normal")


def init_block(rng: np.random.Generator, k: int) -> np.ndarray:
    """``k`` i.i.d. rows of three uniforms on ``[−1, 1]`` — the raw draw of every initialisation law,
    transformed by :func:`init_from_block`. Use with :func:`proofs_check.crn.prefix_draw` so that the
    width-``m`` draw is a prefix of the width-``2m`` draw."""
    return rng.uniform(-1.0, 1.0, (k, 3))


def init_from_block(block: np.ndarray, scale_c: float = 1.0, scale_ab: float = 1.0, law: str = "pytorch") -> ShallowNet:
    """The network of an initialisation law applied to a raw block ``(u_a, u_b, u_c)`` of uniforms on
    ``[−1, 1]`` (the width is the number of rows ``m``):

    * ``"pytorch"`` — PyTorch's default for ``Linear(1, m)`` and ``Linear(m, 1)``: ``a, b ~ U[−1, 1]``
      (fan-in 1), ``c ~ U[−1/√m, 1/√m]``;
    * ``"xavier_uniform"`` — Glorot uniform weights ``a, c ~ U[−√(6/(m+1)), √(6/(m+1))]``, biases as PyTorch;
    * ``"xavier_normal"`` — Glorot normal weights ``a, c ~ N(0, 2/(m+1))`` (from the uniforms by the inverse
      normal CDF), biases as PyTorch.

    ``scale_c`` multiplies ``c``; ``scale_ab`` multiplies ``a`` and ``b`` (kinks unchanged). Output bias and
    skip start at 0."""
    block = np.asarray(block, dtype=np.float64)
    if block.ndim != 2 or block.shape[1] != 3 or block.shape[0] == 0:
        raise ValueError(f"block: expected an (m, 3) array with m >= 1, got shape {block.shape}")
    if law not in INIT_LAWS:
        raise ValueError(f"law: expected one of {INIT_LAWS}, got {law!r}")
    scale_c = positive("scale_c", scale_c)
    scale_ab = positive("scale_ab", scale_ab)
    m = block.shape[0]
    if law == "pytorch":
        a, c = block[:, 0], block[:, 2] / math.sqrt(m)
    elif law == "xavier_uniform":
        bound = math.sqrt(6.0 / (m + 1))
        a, c = bound * block[:, 0], bound * block[:, 2]
    else:
        from scipy.special import erfinv

        std = math.sqrt(2.0 / (m + 1))
        a = std * math.sqrt(2.0) * erfinv(np.clip(block[:, 0], -1 + 1e-16, 1 - 1e-16))
        c = std * math.sqrt(2.0) * erfinv(np.clip(block[:, 2], -1 + 1e-16, 1 - 1e-16))
    return ShallowNet(scale_ab * a, scale_ab * block[:, 1], scale_c * c)


def evaluate(net: ShallowNet, xs) -> tuple[np.ndarray, np.ndarray]:
    """``(f(xs), f'(xs+))`` (right derivative) in float64."""
    xs = as_vector("xs", xs)
    f = np.empty_like(xs)
    df = np.empty_like(xs)
    kernel = _eval_kernel if xs.shape[0] * net.width >= SERIAL_WORK else _eval_kernel_serial
    kernel(xs, net.a, net.b, net.c, net.head, f, df)
    return f, df


#: the weight ``β`` of the inner biases in the penalty, by bias mode (module docstring)
_BIAS_WEIGHT = {"penalized": 1.0, "free": 0.0}


def _bias_weight(bias) -> float:
    if not isinstance(bias, str) or bias not in _BIAS_WEIGHT:
        raise ValueError(f"bias: expected 'penalized' or 'free', got {bias!r}")
    return _BIAS_WEIGHT[bias]


def path_norm(net: ShallowNet, bias: str = "penalized") -> float:
    """Path norm ``Σ|c_i| ‖(a_i, b_i)‖₂`` (``bias="penalized"``) or ``Σ|c_i||a_i|`` (``"free"``).

    The weight-decay penalty ``½Σ(c² + a² + βb²)`` is at least the path norm, with equality for balanced
    neurons (AM-GM); the infimum over the rescalings ``(a, b, c) ↦ (ta, tb, c/t)`` is the path norm."""
    if _bias_weight(bias):
        return float(np.sum(np.abs(net.c) * np.hypot(net.a, net.b)))
    return float(np.sum(np.abs(net.c) * np.abs(net.a)))


def penalty(net: ShallowNet, bias: str = "penalized") -> float:
    """``½ Σ (c_i² + a_i² + β b_i²)`` (``β = 1`` penalized, ``0`` free)."""
    beta = _bias_weight(bias)
    return 0.5 * float(np.sum(net.c**2 + net.a**2 + beta * net.b**2))


def balance(net: ShallowNet, bias: str = "penalized") -> ShallowNet:
    """Rescale each neuron to ``|c_i| = ‖(a_i, β b_i)‖`` (same realization, penalty = path norm)."""
    beta = _bias_weight(bias)
    inner = np.sqrt(net.a**2 + beta * net.b**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where((inner > 0) & (net.c != 0), np.sqrt(np.abs(net.c) / np.where(inner > 0, inner, 1.0)), 1.0)
    return ShallowNet(net.a * t, net.b * t, net.c / t, net.d, net.e)


# ----------------------------------------------------------------------------------------------------
# training
# ----------------------------------------------------------------------------------------------------
@dataclass
class TrainResult:
    """The trained network and its history (``steps``, data loss, penalty ``(λ/2)Σ(…)`` at the recorded
    steps; intermediate SGD losses are mini-batch losses, the last one is full-batch)."""

    net: ShallowNet
    method: str
    lam: float
    bias: str
    steps: np.ndarray
    loss: np.ndarray
    penalty: np.ndarray
    grad: np.ndarray  # (m + 1, 3): gradient of J at the final parameters (see _train_kernel)

    @property
    def objective(self) -> np.ndarray:
        return self.loss + self.penalty

    @property
    def grad_norm(self) -> float:
        return float(np.sqrt(np.sum(self.grad**2)))


def minibatches(rng: np.random.Generator, n: int, steps: int, batch_size: int) -> np.ndarray:
    """``(steps, batch_size)`` int64 indices drawn here, outside the kernel, the way a shuffling data loader
    does: a stream of independent random permutations of ``range(n)`` (one per epoch) cut into consecutive
    batches (a batch may straddle two epochs). Memory ``O(steps · batch_size)``, the size of the result."""
    n = integer("n", n, 1)
    steps = integer("steps", steps, 0)
    batch_size = integer("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size: expected at most n = {n}, got {batch_size}")
    total = steps * batch_size
    out = np.empty(total, dtype=np.int64)
    filled = 0
    while filled < total:
        perm = rng.permutation(n)
        k = min(n, total - filled)
        out[filled:filled + k] = perm[:k]
        filled += k
    return out.reshape(steps, batch_size)


def train(x, y, net: ShallowNet, method: str = "gd", lr: float = 1e-2, steps: int = 1000, lam: float = 0.0,
          bias: str = "penalized", skip: bool = False, batches=None, beta1: float = 0.9, beta2: float = 0.999,
          eps: float = 1e-8, record: int = 1) -> TrainResult:
    """Train ``net`` (a copy) on ``(x, y)`` with weight decay ``lam`` (see the module docstring).

    Parameters
    ----------
    x, y : (n,) data.
    method : ``"gd"`` (full batch), ``"sgd"`` (needs ``batches``), ``"adam"``, ``"adamw"`` (full batch, or
        mini-batches if ``batches`` is given).
    lr : step size. steps : number of updates. lam : weight-decay coefficient ``λ ≥ 0``.
    bias : ``"penalized"`` (decay on ``b`` too) or ``"free"``. skip : train the linear term ``e x``.
    batches : ``(steps, B)`` integer indices in ``[0, n)`` (from :func:`minibatches`).
    record : record the history every ``record`` steps.
    """
    x = as_vector("x", x)
    if x.shape[0] == 0:
        raise ValueError("x: expected at least one data point")
    y = as_vector("y", y, x.shape[0])
    if not isinstance(net, ShallowNet):
        raise ValueError(f"net: expected a ShallowNet, got {type(net).__name__}")
    try:
        code, needs_batches = OPTIMIZERS[method]
    except (KeyError, TypeError):
        raise ValueError(f"method: expected one of {sorted(OPTIMIZERS)}, got {method!r}") from None
    lr = positive("lr", lr)
    steps = integer("steps", steps, 0)
    lam = positive("lam", lam, allow_zero=True)
    _bias_weight(bias)
    beta1 = positive("beta1", beta1, allow_zero=True)
    beta2 = positive("beta2", beta2, allow_zero=True)
    if not (beta1 < 1 and beta2 < 1):
        raise ValueError(f"beta1, beta2: expected values in [0, 1), got {beta1}, {beta2}")
    eps = positive("eps", eps)
    record = integer("record", record, 1)
    n = x.shape[0]
    if batches is None:
        if needs_batches:
            raise ValueError("batches: method 'sgd' needs mini-batch indices (see minibatches())")
        bt = np.full((steps, 1), -1, dtype=np.int64)
        if steps == 0:
            bt = np.full((0, 1), -1, dtype=np.int64)
        work = n * net.width
    else:
        bt = as_indices("batches", batches, n, 2)
        if bt.shape[0] != steps or bt.shape[1] == 0:
            raise ValueError(f"batches: expected an integer array of shape ({steps}, B), got shape {bt.shape}")
        work = bt.shape[1] * net.width
    out = net.copy()
    head = out.head
    n_rec = steps // record + 2
    hist = np.full((n_rec, 3), np.nan)
    grads = np.zeros((net.width + 1, 3))
    kernel = _train_kernel if work >= SERIAL_WORK else _train_kernel_serial
    with np.errstate(over="ignore", invalid="ignore"):
        kernel(x, y, out.a, out.b, out.c, head, code, lr, lam, bias == "penalized", bool(skip), bt,
               beta1, beta2, eps, record, hist, grads)
    hist = hist[np.isfinite(hist[:, 0])]
    if not np.all(np.isfinite(out.a)) or not np.all(np.isfinite(out.c)) or not np.all(np.isfinite(head)):
        raise FloatingPointError(f"train: {method} diverged (lr = {lr} too large?)")
    res = ShallowNet(out.a, out.b, out.c, float(head[0]), float(head[1]))
    return TrainResult(res, method, lam, bias, hist[:, 0].astype(int), hist[:, 1], hist[:, 2], grads)


# ----------------------------------------------------------------------------------------------------
# distances to a piecewise-linear function (exact: both functions are piecewise linear)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class W1InfDistance:
    """``sup_I|f − g|`` and ``sup_I|f' − g'|``; ``value`` = the larger (the ``W^{1,∞}(I)`` distance)."""

    sup: float
    sup_derivative: float

    @property
    def value(self) -> float:
        return max(self.sup, self.sup_derivative)


def _knots(knots_x, knots_y) -> tuple[np.ndarray, np.ndarray]:
    kx = as_vector("knots_x", knots_x)
    ky = as_vector("knots_y", knots_y, kx.shape[0])
    if kx.shape[0] == 0 or np.any(np.diff(kx) <= 0):
        raise ValueError("knots_x: expected a non-empty strictly increasing array")
    return kx, ky


def pl_values(knots_x, knots_y, left_slope: float, right_slope: float, xs) -> tuple[np.ndarray, np.ndarray]:
    """Value and right derivative at ``xs`` of the continuous piecewise-linear ``g`` through
    ``(knots_x, knots_y)`` (strictly increasing ``knots_x``), extended with slopes ``left_slope``/``right_slope``."""
    kx, ky = _knots(knots_x, knots_y)
    xs = as_vector("xs", xs)
    left_slope = real("left_slope", left_slope)
    right_slope = real("right_slope", right_slope)
    slopes = np.concatenate([[left_slope], np.diff(ky) / np.diff(kx), [right_slope]])
    k = np.searchsorted(kx, xs, side="right")  # piece index: xs in [kx[k-1], kx[k])
    base = np.clip(k - 1, 0, kx.shape[0] - 1)
    val = ky[base] + slopes[k] * (xs - kx[base])
    return val, slopes[k]


def _cells(lo: float, hi: float, *break_sets: np.ndarray) -> np.ndarray:
    pts = np.concatenate([[lo, hi]] + [b[(b > lo) & (b < hi)] for b in break_sets])
    return np.unique(pts)


def _cell_metrics(pts: np.ndarray, diff_at_pts: np.ndarray, dslope: np.ndarray) -> tuple[float, float, float]:
    """``sup|d|``, ``sup|d'|``, ``(∫ d²)^{1/2}`` for the piecewise-linear difference ``d`` with values
    ``diff_at_pts`` at the break points ``pts`` and slopes ``dslope`` on the cells (exact)."""
    h = np.diff(pts)
    d0, d1 = diff_at_pts[:-1], diff_at_pts[1:]
    l2 = math.sqrt(float(np.sum(h * (d0 * d0 + d0 * d1 + d1 * d1) / 3.0)))
    return float(np.max(np.abs(diff_at_pts))), float(np.max(np.abs(dslope))) if dslope.size else 0.0, l2


def net_breaks(net: "ShallowNet") -> np.ndarray:
    """Kink positions ``−b_i/a_i`` of the neurons with ``a_i ≠ 0``."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        t = -net.b / net.a
    return t[np.isfinite(t)]


def w1inf_distance(net: "ShallowNet", knots_x, knots_y, left_slope: float, right_slope: float,
                   interval: tuple[float, float]) -> W1InfDistance:
    """``‖f − g‖_{W^{1,∞}(I)}`` for the network ``f`` and the piecewise-linear ``g``, *exactly*: ``f − g`` is
    piecewise linear with breaks at the network's kinks and ``g``'s knots, so ``sup|f − g|`` is attained at
    a break (or an end of ``I``) and ``|f' − g'|`` is constant on each cell (evaluated at its midpoint).
    Cost ``O((m + K) m)`` for ``m`` neurons and ``K`` knots, no ``m × m`` temporaries."""
    lo, hi = as_interval("interval", interval)
    kx, ky = _knots(knots_x, knots_y)
    pts = _cells(lo, hi, net_breaks(net), kx)
    mids = 0.5 * (pts[1:] + pts[:-1])
    f, _ = evaluate(net, pts)
    g, _ = pl_values(kx, ky, left_slope, right_slope, pts)
    _, df = evaluate(net, mids)
    _, dg = pl_values(kx, ky, left_slope, right_slope, mids)
    sup, supd, _ = _cell_metrics(pts, f - g, df - dg)
    return W1InfDistance(sup, supd)


def sup_distance(net: "ShallowNet", knots_x, knots_y, left_slope: float, right_slope: float,
                 interval: tuple[float, float]) -> float:
    """``sup_I |f − g|`` (exact; see :func:`w1inf_distance`)."""
    return w1inf_distance(net, knots_x, knots_y, left_slope, right_slope, interval).sup


def l2_distance(net: "ShallowNet", knots_x, knots_y, left_slope: float, right_slope: float,
                interval: tuple[float, float]) -> float:
    """``(∫_I (f − g)²)^{1/2}`` exactly (the difference is piecewise linear; each cell integrates to
    ``h(d₀² + d₀d₁ + d₁²)/3``)."""
    lo, hi = as_interval("interval", interval)
    kx, ky = _knots(knots_x, knots_y)
    pts = _cells(lo, hi, net_breaks(net), kx)
    f, _ = evaluate(net, pts)
    g, _ = pl_values(kx, ky, left_slope, right_slope, pts)
    return _cell_metrics(pts, f - g, np.zeros(0))[2]


@dataclass(frozen=True)
class PLDistance:
    """Distances between two piecewise-linear functions on an interval (all exact)."""

    sup: float
    sup_derivative: float
    l2: float


def pl_distance(f_knots, f_values, f_slopes: tuple[float, float], g_knots, g_values, g_slopes: tuple[float, float],
                interval: tuple[float, float]) -> PLDistance:
    """``sup|f − g|``, ``sup|f' − g'|`` and ``‖f − g‖_{L²(I)}`` for two piecewise-linear functions given by
    knots, values and outer slopes ``(left, right)``."""
    lo, hi = as_interval("interval", interval)
    fx, fy = _knots(f_knots, f_values)
    gx, gy = _knots(g_knots, g_values)
    pts = _cells(lo, hi, fx, gx)
    mids = 0.5 * (pts[1:] + pts[:-1])
    f, _ = pl_values(fx, fy, f_slopes[0], f_slopes[1], pts)
    g, _ = pl_values(gx, gy, g_slopes[0], g_slopes[1], pts)
    _, df = pl_values(fx, fy, f_slopes[0], f_slopes[1], mids)
    _, dg = pl_values(gx, gy, g_slopes[0], g_slopes[1], mids)
    return PLDistance(*_cell_metrics(pts, f - g, df - dg))


def net_from_kinks(kinks, jumps, value0: float = 0.0, slope_left: float = 0.0) -> ShallowNet:
    """A cost-optimal free-bias network for ``value0 + slope_left·x + Σ_k J_k relu(x − t_k)``: one balanced
    right-pointing neuron per kink (``a = √|J|, b = −t a, c = sign(J)√|J|``) and the linear part as
    ``s(relu(x) − relu(−x))``, output bias ``d = value0``."""
    t = as_vector("kinks", kinks)
    J = as_vector("jumps", jumps, t.shape[0])
    s = real("slope_left", slope_left)
    a = np.sqrt(np.abs(J))
    extra_a = np.array([math.sqrt(abs(s)), -math.sqrt(abs(s))]) if s != 0 else np.zeros(0)
    extra_c = np.array([math.copysign(math.sqrt(abs(s)), s), -math.copysign(math.sqrt(abs(s)), s)]) if s != 0 else np.zeros(0)
    aa = np.concatenate([a, extra_a])
    bb = np.concatenate([-t * a, np.zeros(extra_a.shape[0])])
    cc = np.concatenate([np.sign(J) * a, extra_c])
    if aa.shape[0] == 0:
        aa, bb, cc = np.zeros(1), np.zeros(1), np.zeros(1)
    return ShallowNet(aa, bb, cc, real("value0", value0))


# ----------------------------------------------------------------------------------------------------
# NumPy reference: the benchmark's baseline and the tests' cross-check
# ----------------------------------------------------------------------------------------------------
def loss_grad_numpy(x, y, net: ShallowNet, lam: float = 0.0, bias: str = "penalized", skip: bool = False):
    """``(J, ∂J/∂(a, b, c), ∂J/∂(d, e))`` of the objective on all of ``(x, y)``, vectorised with NumPy
    (``n × m`` temporaries, BLAS for the products)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = x.shape[0]
    beta = 1.0 if bias == "penalized" else 0.0
    Z = np.outer(x, net.a) + net.b
    H = np.maximum(Z, 0.0)
    f = H @ net.c + net.d + net.e * x
    r = (f - y) / n
    mask = (Z > 0).astype(np.float64)
    gc = H.T @ r + lam * net.c
    ga = net.c * (mask.T @ (r * x)) + lam * net.a
    gb = net.c * (mask.T @ r) + lam * beta * net.b
    J = 0.5 * n * float(r @ r) + 0.5 * lam * float(np.sum(net.c**2 + net.a**2 + beta * net.b**2))
    return J, np.column_stack([ga, gb, gc]), np.array([r.sum(), (r * x).sum() if skip else 0.0])


def train_numpy(x, y, net: ShallowNet, method: str = "gd", lr: float = 1e-2, steps: int = 1000, lam: float = 0.0,
                bias: str = "penalized", skip: bool = False, batches=None, beta1: float = 0.9,
                beta2: float = 0.999, eps: float = 1e-8) -> ShallowNet:
    """The same optimizers as :func:`train`, written plainly with :func:`loss_grad_numpy` (the reference the
    kernel is tested against, and the benchmark's NumPy baseline). Adam and AdamW follow PyTorch's update
    rules (``torch.optim.Adam(weight_decay=λ)``: the decay in the gradient; ``AdamW``: decoupled)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    code, _ = OPTIMIZERS[method]
    P = np.column_stack([net.a, net.b, net.c]).astype(np.float64)
    head = np.array([net.d, net.e])
    mom, vel = np.zeros_like(P), np.zeros_like(P)
    hm, hv = np.zeros(2), np.zeros(2)
    beta = 1.0 if bias == "penalized" else 0.0
    decay = np.array([lam, lam * beta, lam])
    for t in range(steps):
        idx = slice(None) if batches is None else np.asarray(batches[t])
        cur = ShallowNet(P[:, 0], P[:, 1], P[:, 2], head[0], head[1])
        _, g, gh = loss_grad_numpy(x[idx], y[idx], cur, 0.0 if code == ADAMW else lam, bias, skip)
        if code == GD:
            P -= lr * g
            head -= lr * gh
            continue
        c1, c2 = 1 - beta1 ** (t + 1), 1 - beta2 ** (t + 1)
        mom = beta1 * mom + (1 - beta1) * g
        vel = beta2 * vel + (1 - beta2) * g * g
        upd = lr * (mom / c1) / (np.sqrt(vel / c2) + eps)
        if code == ADAMW:
            upd += lr * P * decay
        P -= upd
        hm = beta1 * hm + (1 - beta1) * gh
        hv = beta2 * hv + (1 - beta2) * gh * gh
        head -= lr * (hm / c1) / (np.sqrt(hv / c2) + eps)
    return ShallowNet(P[:, 0], P[:, 1], P[:, 2], float(head[0]), float(head[1]))


def gd_numpy(x, y, net: ShallowNet, lr: float, steps: int, lam: float = 0.0, bias: str = "penalized") -> ShallowNet:
    """Full-batch gradient descent with :func:`loss_grad_numpy` (the benchmark's NumPy baseline)."""
    return train_numpy(x, y, net, "gd", lr, steps, lam, bias)
