"""Representational cost of finite shallow ReLU networks on ℝ^d, d ≥ 2, exactly (Park, Pelakh & Wojtowytsch,
NeurIPS 2023, arXiv 2311.06138, the multivariate setting of its numerical study; docs/minnorm.md).

A finite network ``f(x) = Σ_j a_j relu(w_j·x + b_j) + v·x + c`` with free inner biases ``b_j`` and a free
affine part ``v·x + c`` pays, under weight decay, ``½ Σ_j (a_j² + ‖w_j‖²)``. Its *representational cost* is the
infimum of that penalty over all finite networks with the same realisation (same function on ℝ^d):

.. math:: R(f) = \\inf \\{\\tfrac12 \\textstyle\\sum_i (\\tilde a_i^2 + \\|\\tilde w_i\\|^2) :
          \\sum_i \\tilde a_i\\, \\mathrm{relu}(\\tilde w_i\\cdot x + \\tilde b_i) + \\tilde v\\cdot x + \\tilde c = f\\}.

Result implemented (the finite-width case of Ongie, Willett, Soudry & Srebro, "A function space view of bounded norm
infinite width ReLU nets: the multivariate case", ICLR 2020 — there ``R(f) = ‖R{(−Δ)^{(d+1)/2}f}‖`` with the
unregularised linear unit, evaluated for finite-width nets as ``Σ|a_k|`` over distinct unit ``(w_k, b_k)`` up to
sign; the section of that paper with the finite-width statement could not be consulted here, so the result is proved
here directly, elementary): group the neurons with ``w_j ≠ 0`` by their *unoriented* hyperplane ``H_j = {w_j·x + b_j
= 0}`` — ``(w, b)`` up to a non-zero scalar, so positive rescalings (collinear neurons) and antipodal neurons
(``relu(z) − relu(−z) = z``, an affine part) share a class — and let ``c_H = Σ_{j: H_j = H} a_j ‖w_j‖``, the jump of
the directional derivative of ``f`` across ``H`` along its unit normal. Then

.. math:: R(f) = \\sum_H |c_H|.

Proof. (≤) in each class write ``a_j relu(σλ z) = a_j λ relu(z) + [σ = −1] a_j λ z`` (``z = n_H·x − t_H``, unit
normal, ``λ = ‖w_j‖``), so ``f = Σ_H c_H relu(n_H·x − t_H) + affine``; one neuron per class, balanced
``|ã| = ‖w̃‖ = √|c_H|``, costs ``|c_H|``. (≥) ``½(a² + ‖w‖²) ≥ |a|‖w‖`` (AM–GM); at a point of ``H`` off every other
hyperplane of either network (a full-measure subset of ``H`` since the hyperplanes are finitely many and
distinct), the jump of ``∇f`` across ``H`` is ``c_H n_H`` for every realisation, so the neurons of any realising
network on ``H`` have ``Σ ã_i‖w̃_i‖ = c_H`` and pay at least ``|c_H|`` (triangle inequality); neurons on other
hyperplanes pay ≥ 0. In d = 1 this is ``∫|f''|`` (Savarese et al. 2019 with a skip term). Neurons with ``w_j = 0``
are constants (free). Without a free affine part the cost is not this formula in general (in d = 1 it is
Savarese's ``max(∫|f''|, |f'(−∞) + f'(+∞)|)``); that case is not implemented.

Exactness: for rational weights the class of a neuron is the canonical rational ``(w, b)/s`` (``s`` the first
non-zero entry of ``w``), ``a_j‖w_j‖ = a_j|s_j|·‖ŵ_H‖`` with ``ŵ_H`` the canonical normal, so ``c_H = ‖ŵ_H‖ Σ a_j|s_j|``:
one square root per class, every other step rational (:func:`network_cost`, SymPy). Floats (a trained network)
are merged by :func:`network_cost_float` (mpmath, hyperplanes within a stated tolerance).

Closed forms of known minimum-norm interpolants (:func:`line_data_min_norm`, :func:`ridge_ramp_min_norm`):
by restriction, a network on ℝ^d restricted to a line ``x = p + s e`` (``‖e‖ = 1``) is a univariate network
with jumps ``a_j (w_j·e)`` and cost ``Σ|a_j||w_j·e| ≤ Σ|a_j|‖w_j‖``; a ridge ``g(e·x)`` has cost ``∫|g''|``. So the
minimum cost of interpolating data on a line equals the univariate minimum with a free affine part, ``Σ_k |δ_{k+1} − δ_k|``
(slopes ``δ`` of the piecewise-linear interpolant), attained by the ridge of that interpolant; and known regions
``f = g_l`` on ``{e·x ≤ −h}``, ``f = g_r`` on ``{e·x ≥ h}`` (each containing a line parallel to ``e`` through both)
have minimum cost ``|g_r − g_l|/h``, attained by the ridge ramp.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp


# ----------------------------------------------------------------------------------------------------
# exact networks
# ----------------------------------------------------------------------------------------------------
def _frac(v, name: str) -> Fraction:
    if isinstance(v, bool):
        raise ValueError(f"{name}: expected a rational number, got {v!r}")
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, sp.Rational):
        return Fraction(int(v.p), int(v.q))
    if isinstance(v, (float, np.floating)) and math.isfinite(float(v)):
        return Fraction(float(v))  # the exact binary value
    if isinstance(v, str):
        try:
            return Fraction(v)
        except ValueError:
            pass
    raise ValueError(f"{name}: expected a rational number (int, Fraction, SymPy Rational, finite float), got {v!r}")


@dataclass(frozen=True)
class FiniteNetwork:
    """``f(x) = Σ_j a_j relu(w_j·x + b_j) + v·x + c`` on ℝ^d with rational weights (``Fraction``)."""

    a: tuple
    W: tuple  # one d-tuple per neuron
    b: tuple
    v: tuple
    c: Fraction

    @classmethod
    def of(cls, a, W, b, v=None, c=0) -> "FiniteNetwork":
        """Build from any rationals; ``ValueError`` naming the argument on bad input."""
        try:
            a_, b_ = list(a), list(b)
            W_ = [list(w) for w in W]
        except TypeError:
            raise ValueError("a, W, b: expected sequences (W: one d-vector per neuron)") from None
        if not (len(a_) == len(b_) == len(W_)):
            raise ValueError(f"W: expected one row per neuron ({len(a_)} outer weights, {len(b_)} biases), got {len(W_)}")
        if not W_ and v is None:
            raise ValueError("v: the dimension is unknown without neurons; pass the affine part v")
        d = len(W_[0]) if W_ else len(list(v))
        if d < 1 or any(len(w) != d for w in W_):
            raise ValueError(f"W: expected rows of one length d ≥ 1, got lengths {[len(w) for w in W_]}")
        v_ = [0] * d if v is None else list(v)
        if len(v_) != d:
            raise ValueError(f"v: expected {d} entries (the dimension), got {len(v_)}")
        return cls(tuple(_frac(t, "a") for t in a_), tuple(tuple(_frac(t, "W") for t in w) for w in W_),
                   tuple(_frac(t, "b") for t in b_), tuple(_frac(t, "v") for t in v_), _frac(c, "c"))

    @property
    def dim(self) -> int:
        return len(self.v)

    @property
    def width(self) -> int:
        return len(self.a)

    def __call__(self, x) -> Fraction:
        xs = [_frac(t, "x") for t in x]
        if len(xs) != self.dim:
            raise ValueError(f"x: expected {self.dim} coordinates, got {len(xs)}")
        out = self.c + sum((vi * xi for vi, xi in zip(self.v, xs)), Fraction(0))
        for aj, wj, bj in zip(self.a, self.W, self.b):
            z = bj + sum((wi * xi for wi, xi in zip(wj, xs)), Fraction(0))
            if z > 0:
                out += aj * z
        return out

    def penalty(self) -> Fraction:
        """``½ Σ (a_j² + ‖w_j‖²)`` (exact: squares only)."""
        return sum(((aj * aj + sum((t * t for t in wj), Fraction(0))) / 2 for aj, wj in zip(self.a, self.W)),
                   Fraction(0))


def hyperplane_key(w: Sequence[Fraction], b: Fraction) -> tuple[tuple, Fraction]:
    """The canonical unoriented hyperplane of ``w·x + b = 0`` and the scale: ``(w, b) = s·(ŵ, b̂)`` with the first
    non-zero entry of ``ŵ`` equal to 1 (``s`` of either sign). ``ValueError`` if ``w = 0`` (a constant)."""
    for t in w:
        if t != 0:
            s = t
            break
    else:
        raise ValueError("w: a neuron with w = 0 has no hyperplane (it is a constant)")
    return (tuple(t / s for t in w) + (b / s,)), s


@dataclass(frozen=True)
class MergedNetwork:
    """The canonical form ``Σ_H c_H relu(n_H·x − t_H) + v·x + c`` of a network: one class per hyperplane.

    ``keys[k]`` is the canonical ``(ŵ, b̂)``; ``mass[k] = Σ a_j s_j`` over the class in the scale of ``ŵ`` (so the
    class's neuron is ``mass[k]·relu(ŵ·x + b̂)``, exactly) and ``jumps[k] = mass[k]·‖ŵ‖`` (SymPy). ``v``, ``c``:
    the affine part after the antipodal neurons moved theirs into it."""

    keys: tuple
    mass: tuple
    jumps: tuple
    v: tuple
    c: Fraction

    def as_network(self) -> FiniteNetwork:
        """The canonical network (one neuron per class with a non-zero mass) realising the same function."""
        ks = [(k, m) for k, m in zip(self.keys, self.mass) if m != 0]
        return FiniteNetwork(tuple(m for _, m in ks), tuple(tuple(k[:-1]) for k, _ in ks),
                             tuple(k[-1] for k, _ in ks), self.v, self.c)

    def cost(self) -> sp.Expr:
        """``Σ_H |c_H|`` (exact)."""
        return sum((sp.Abs(j) for j in self.jumps), sp.Integer(0))


def _sqrt_rational(q: Fraction) -> sp.Expr:
    return sp.sqrt(sp.Rational(q.numerator, q.denominator))


def merge(net: FiniteNetwork, antipodal: bool = True) -> MergedNetwork:
    """Group the neurons of ``net`` by unoriented hyperplane (module docstring), exactly. ``antipodal=False`` keeps
    the two orientations apart (the wrong merge of a mutant: it then returns one class per *oriented* half-space)."""
    classes: dict = {}
    v = list(net.v)
    c = net.c
    for aj, wj, bj in zip(net.a, net.W, net.b):
        if all(t == 0 for t in wj):
            if bj > 0:
                c += aj * bj
            continue
        key, s = hyperplane_key(wj, bj)
        if s < 0 and antipodal:  # a relu(−|s| z) = a|s| relu(z) + a·(w·x + b)
            v = [vi + aj * wi for vi, wi in zip(v, wj)]
            c += aj * bj
            classes[key] = classes.get(key, Fraction(0)) + aj * (-s)
        else:
            k = key if s > 0 else key + ("−",)
            classes[k] = classes.get(k, Fraction(0)) + aj * abs(s)
    keys = tuple(sorted(classes, key=lambda k: tuple(map(str, k))))
    mass = tuple(classes[k] for k in keys)
    jumps = tuple(sp.Rational(m.numerator, m.denominator) * _sqrt_rational(sum((t * t for t in k[:len(net.v)]),
                                                                               Fraction(0)))
                  for k, m in zip(keys, mass))
    return MergedNetwork(keys, mass, jumps, tuple(v), c)


def network_cost(net: FiniteNetwork) -> sp.Expr:
    """The representational cost ``R(f) = Σ_H |c_H|`` of the network's realisation (module docstring), exact."""
    return merge(net).cost()


def path_norm(net: FiniteNetwork) -> sp.Expr:
    """``Σ_j |a_j|‖w_j‖`` without merging (≥ :func:`network_cost`; equal iff no class has cancelling neurons)."""
    return sum((sp.Abs(sp.Rational(a.numerator, a.denominator)) * _sqrt_rational(sum((t * t for t in w), Fraction(0)))
                for a, w in zip(net.a, net.W)), sp.Integer(0))


def oriented_cost(net: FiniteNetwork) -> sp.Expr:
    """``Σ |Σ a_j‖w_j‖|`` over *oriented* classes (antipodal neurons not combined): a wrong cost."""
    return merge(net, antipodal=False).cost()


def signed_cost(net: FiniteNetwork) -> sp.Expr:
    """``Σ_H |Σ_j σ_j a_j‖w_j‖|`` with ``σ_j = −1`` for a neuron oriented against the canonical normal: the wrong sign
    convention for antipodal neurons (``relu(−z)`` taken to bend the other way; a wrong cost)."""
    classes: dict = {}
    for aj, wj, bj in zip(net.a, net.W, net.b):
        if all(t == 0 for t in wj):
            continue
        key, s = hyperplane_key(wj, bj)
        classes[key] = classes.get(key, Fraction(0)) + aj * s
    return sum((abs(sp.Rational(m.numerator, m.denominator)) * _sqrt_rational(sum((t * t for t in k[:net.dim]), Fraction(0)))
                for k, m in classes.items()), sp.Integer(0))


def weighted_cost(net: FiniteNetwork, power: float = 1.0) -> float:
    """``Σ_H |c_H|·(1 + t_H²)^{power/2}`` (``t_H`` the distance of ``H`` from 0): ``power = 1`` is the cost with
    the bias penalised too (``Σ|a|‖(w, b)‖``), ``power = 0`` the free-bias cost; a one-parameter deformation."""
    m = merge(net)
    d = net.dim
    out = mpmath.mpf(0)
    with mpmath.workdps(40):
        for k, j in zip(m.keys, m.jumps):
            nw = sum((t * t for t in k[:d]), Fraction(0))
            t2 = mpmath.mpf(k[d].numerator) ** 2 / mpmath.mpf(k[d].denominator) ** 2 / (
                mpmath.mpf(nw.numerator) / nw.denominator)
            out += abs(mpmath.mpf(sp.N(j, 40))) * (1 + t2) ** (mpmath.mpf(power) / 2)
    return float(out)


# ----------------------------------------------------------------------------------------------------
# realisation-preserving rewrites (the merge-invariance check)
# ----------------------------------------------------------------------------------------------------
#: rational points on the unit circle ((1 − m²)/(1 + m²), 2m/(1 + m²)) give unit normals with ‖w‖ rational
def rational_unit(m: Fraction) -> tuple[Fraction, Fraction]:
    m = _frac(m, "m")
    return ((1 - m * m) / (1 + m * m), 2 * m / (1 + m * m))


def _draw_frac(rng: np.random.Generator, lo: int, hi: int, den: int) -> Fraction:
    return Fraction(int(rng.integers(lo, hi + 1)), den)


def random_network(rng: np.random.Generator, lines: int = 4, dim: int = 2) -> FiniteNetwork:
    """A random network with ``lines`` distinct hyperplanes, one neuron each: normals ``ŵ = (1, m)`` (``m`` a
    distinct rational in ``±4`` with denominator 4: ``‖ŵ‖`` irrational in general), offsets ``k/4``, outer
    weights ``±k/8`` (non-zero), affine part ``k/4``. Its cost is ``Σ|a_j|‖ŵ_j‖`` exactly (one neuron per class)."""
    if dim != 2:
        raise ValueError(f"dim: expected 2 (the family's setting), got {dim}")
    ms = rng.choice(np.arange(-16, 17), size=lines, replace=False)
    W = [(Fraction(1), Fraction(int(m), 4)) for m in ms]
    b = [_draw_frac(rng, -8, 8, 4) for _ in range(lines)]
    a = [Fraction(int(rng.choice([-1, 1])) * int(rng.integers(1, 17)), 8) for _ in range(lines)]
    v = [_draw_frac(rng, -4, 4, 4) for _ in range(dim)]
    return FiniteNetwork(tuple(a), tuple(tuple(w) for w in W), tuple(b), tuple(v), _draw_frac(rng, -4, 4, 4))


def random_splitting(net: FiniteNetwork, rng: np.random.Generator, pieces: int = 3, extra: int = 2) -> FiniteNetwork:
    """A different network with the same realisation: every neuron ``a relu(w·x + b)`` is split into ``pieces``
    collinear neurons ``a_i relu(λ_i (w·x + b))`` with ``Σ a_i λ_i = a`` (random positive scalings ``λ_i``, outer
    weights of both signs: cancellation inside a class), and each piece is, with probability ½, flipped to the
    antipodal neuron ``a_i relu(−λ_i(w·x + b))`` with ``a_i λ_i (w·x + b)`` added to the affine part; then ``extra``
    cancelling pairs on new hyperplanes (``s relu(z) − s relu(z)`` in random orientations with the affine
    correction) are appended, and the neurons shuffled. Exact (rational)."""
    a, W, b = [], [], []
    v, c = list(net.v), net.c
    d = net.dim

    def add(coef: Fraction, w, bias: Fraction, flip: bool):
        nonlocal c
        if flip:  # coef relu(z) = coef relu(−z) + coef z
            a.append(coef), W.append(tuple(-t for t in w)), b.append(-bias)
            for i in range(d):
                v[i] += coef * w[i]
            c += coef * bias
        else:
            a.append(coef), W.append(tuple(w)), b.append(bias)

    for aj, wj, bj in zip(net.a, net.W, net.b):
        lams = [Fraction(int(rng.integers(1, 9)), int(rng.integers(1, 5))) for _ in range(pieces)]
        coefs = [Fraction(int(rng.integers(-8, 9)), 8) for _ in range(pieces - 1)]
        last = (aj - sum((ci * li for ci, li in zip(coefs, lams[:-1])), Fraction(0))) / lams[-1]
        coefs.append(last)
        for ci, li in zip(coefs, lams):
            add(ci, [li * t for t in wj], li * bj, bool(rng.integers(0, 2)))
    for _ in range(extra):
        w = [Fraction(int(rng.integers(-8, 9)), 4) for _ in range(d)]
        if all(t == 0 for t in w):
            w[0] = Fraction(1)
        bias = _draw_frac(rng, -8, 8, 4)
        s = Fraction(int(rng.integers(1, 9)), 4)
        add(s, w, bias, bool(rng.integers(0, 2)))
        add(-s, w, bias, bool(rng.integers(0, 2)))
    order = rng.permutation(len(a))
    return FiniteNetwork(tuple(a[i] for i in order), tuple(W[i] for i in order), tuple(b[i] for i in order),
                         tuple(v), c)


def realisation_gap(f: FiniteNetwork, g: FiniteNetwork, points: Sequence) -> Fraction:
    """``max |f(x) − g(x)|`` over ``points`` (exact)."""
    return max((abs(f(p) - g(p)) for p in points), default=Fraction(0))


def probe_points(rng: np.random.Generator, count: int = 144) -> list:
    """``count`` random rational points of ``[−8, 8]²`` (step 1/8), at which rewritten networks are compared
    with the original (a check of the rewrites; the cost does not rely on it)."""
    return [(Fraction(int(rng.integers(-64, 65)), 8), Fraction(int(rng.integers(-64, 65)), 8)) for _ in range(count)]


# ----------------------------------------------------------------------------------------------------
# float networks (trained): merge within a tolerance
# ----------------------------------------------------------------------------------------------------
def network_cost_float(a, W, b, tol: float = 1e-6) -> float:
    """``Σ_H |c_H|`` for a float network: neurons whose unit ``(n, t)`` (sign fixed by the first coordinate of
    ``n``) agree within ``tol`` (max norm) are one class; mpmath sums. ``tol = 0`` gives the path norm of the
    distinct neurons (floats rarely coincide)."""
    a = np.asarray(a, dtype=float)
    W = np.atleast_2d(np.asarray(W, dtype=float))
    b = np.asarray(b, dtype=float)
    if W.shape[0] != a.size or b.size != a.size:
        raise ValueError(f"W: expected {a.size} rows (one per neuron) and b {a.size} entries, got {W.shape}, {b.size}")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
        raise ValueError("a, W, b: expected finite values")
    if not (math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol: expected a finite tolerance ≥ 0, got {tol!r}")
    classes: list[list] = []  # [key (n, t), mass]
    with mpmath.workdps(30):
        for aj, wj, bj in zip(a, W, b):
            nw = math.sqrt(float(wj @ wj))
            if nw == 0.0:
                continue
            n, t = wj / nw, -bj / nw
            first = n[np.nonzero(np.abs(n) > 1e-15)[0][0]]
            if first < 0:
                n, t = -n, -t
            key = np.concatenate([n, [t]])
            for cl in classes:
                if np.max(np.abs(cl[0] - key)) <= tol:
                    cl[1] += mpmath.mpf(float(aj)) * mpmath.mpf(nw)
                    break
            else:
                classes.append([key, mpmath.mpf(float(aj)) * mpmath.mpf(nw)])
        return float(sum((abs(cl[1]) for cl in classes), mpmath.mpf(0)))


# ----------------------------------------------------------------------------------------------------
# closed forms of known minimum-norm interpolants in d ≥ 2 (module docstring: restriction to a line)
# ----------------------------------------------------------------------------------------------------
def line_data_min_norm(s: Sequence, y: Sequence) -> Fraction:
    """Minimum cost of interpolating ``f(p + s_i e) = y_i`` on ℝ^d with a free affine part: ``Σ_k |δ_{k+1} − δ_k|``
    over the slopes of the sorted data (exact)."""
    pts = sorted(zip((_frac(t, "s") for t in s), (_frac(t, "y") for t in y)))
    if len(pts) != len(list(s)) or len(list(s)) != len(list(y)):
        raise ValueError("s, y: expected equally many positions and values")
    if len(pts) < 2 or any(p[0] == q[0] for p, q in zip(pts[:-1], pts[1:])):
        raise ValueError("s: expected at least two distinct positions")
    slopes = [(q[1] - p[1]) / (q[0] - p[0]) for p, q in zip(pts[:-1], pts[1:])]
    return sum((abs(q - p) for p, q in zip(slopes[:-1], slopes[1:])), Fraction(0))


def ridge_ramp_min_norm(jump, half_gap) -> Fraction:
    """Minimum cost of ``f = g_l`` on ``{e·x ≤ −h}``, ``f = g_r`` on ``{e·x ≥ h}``: ``|g_r − g_l|/h`` (the ridge ramp)."""
    J, h = _frac(jump, "jump"), _frac(half_gap, "half_gap")
    if h <= 0:
        raise ValueError(f"half_gap: expected a positive half-width, got {half_gap!r}")
    return abs(J) / h


def ridge_ramp(jump: float, half_gap: float, e: Sequence[float]):
    """The ridge ramp as a float network ``(a, W, b, v, c)``: ``(J/2h)(relu(e·x + h) − relu(e·x − h))``."""
    e = np.asarray(e, dtype=float)
    s = float(jump) / (2.0 * float(half_gap))
    return (np.array([s, -s]), np.vstack([e, e]), np.array([half_gap, -half_gap], dtype=float),
            np.zeros(e.size), 0.0)


# ----------------------------------------------------------------------------------------------------
# derivation: nnlimits derive representational-cost-d2
# ----------------------------------------------------------------------------------------------------
def derive_cost_d2():
    """The exact representational cost of a finite network on ℝ² with a free affine part, step by step."""
    from theory.common.derivation import Derivation

    a, r, lam = sp.Symbol("a", real=True), sp.Symbol("r", positive=True), sp.Symbol("lambda", positive=True)
    z = sp.Symbol("z", real=True)
    w1, w2, b, x1, x2 = sp.symbols("w_1 w_2 b x_1 x_2", real=True)
    e1 = sp.Rational(3, 5)
    e2 = sp.Rational(4, 5)
    relu = lambda t: sp.Max(t, 0, evaluate=False)  # noqa: E731
    pts = (-3, -1, 0, sp.Rational(1, 2), 2)
    d = Derivation("Representational cost of a finite ReLU network on ℝ² (free biases, free affine part)",
                   "Ongie–Willett–Soudry–Srebro 2020 (R-norm, unregularised linear unit); proved in theory/minnorm/cost_md.py")
    d.define("f(x) = Σ_j a_j relu(w_j·x + b_j) + v·x + c pays ½Σ(a_j² + ‖w_j‖²); R(f) is the least penalty over the "
             "networks with the same realisation.")
    d.equal("AM–GM: a neuron pays at least |a|‖w‖, with equality when balanced (|a| = ‖w‖ = r).",
            (a**2 + r**2) / 2 - sp.Abs(a) * r, (sp.Abs(a) - r) ** 2 / 2,
            check=lambda l, rr: all(sp.simplify((l - rr).subs(a, s)) == 0 for s in (-2 * r, -r / 3, 0, r, 5 * r)),
            how="simplify for a of either sign")
    d.equal("Collinear neurons: a relu(λz) = aλ relu(z) for λ > 0, so positive rescalings of (w, b) merge.",
            a * relu(lam * z), a * lam * relu(z),
            check=lambda l, rr: all(sp.simplify((l - rr).subs(z, s)) == 0 for s in pts), how="piecewise: z < 0, z = 0, z > 0")
    d.equal("Antipodal neurons: a relu(−z) = a relu(z) − a z, the difference an affine function (free).",
            a * relu(-z), a * relu(z) - a * z,
            check=lambda l, rr: all(sp.simplify((l - rr).subs(z, s)) == 0 for s in pts), how="piecewise: z < 0, z = 0, z > 0")
    nw = sp.sqrt(w1**2 + w2**2)
    g = sp.Matrix([sp.diff(a * (w1 * x1 + w2 * x2 + b), v) for v in (x1, x2)])
    d.equal("Across H = {w·x + b = 0} the gradient of a relu(w·x + b) jumps by a w = (a‖w‖) n_H: the jump "
            "c_H = Σ_{j∈H} a_j‖w_j‖ along the unit normal is shared by every realisation of f (at points of H off the "
            "other hyperplanes), so a realising network pays ≥ Σ_H |c_H| (triangle inequality), and one balanced "
            "neuron per H pays exactly that.", sp.sqrt(g.dot(g)), sp.Abs(a) * nw,
            check=lambda l, rr: sp.simplify(l**2 - rr**2) == 0, how="simplify (of the squares; both sides ≥ 0)")
    for net, v, text in ((FiniteNetwork.of([1, -1], [(1, 0), (-1, 0)], [0, 0]), 0, "relu(x₁) − relu(−x₁) = x₁: R = 0."),
                         (FiniteNetwork.of([1, 1], [(1, 0), (-1, 0)], [0, 0]), 2, "relu(x₁) + relu(−x₁) = |x₁|: R = 2."),
                         (FiniteNetwork.of([1, 2], [(3, 4), (-6, -8)], [1, -2]), 5 + 20,
                          "relu(3x₁ + 4x₂ + 1) + 2 relu(−6x₁ − 8x₂ − 2): one hyperplane, c_H = 5 + 2·10 = 25.")):
        d.equal(text, sp.Function("R")(sp.Symbol("f")), sp.Integer(v),
                check=lambda l, rr, net=net: network_cost(net) == rr, how="network_cost, exact")
    d.equal("Restriction to a line x = s e (‖e‖ = 1) turns a neuron into a univariate one of cost |a||w·e| ≤ |a|‖w‖ "
            "(Lagrange's identity, here e = (3/5, 4/5)); a ridge g(e·x) costs ∫|g''|. So data on a line have the 1-D "
            "minimum with a free affine part.", (w1**2 + w2**2) * (e1**2 + e2**2) - (w1 * e1 + w2 * e2) ** 2,
            (w1 * e2 - w2 * e1) ** 2)
    d.equal("y = 1, 0, 1, 0, 1 at s = −2, …, 2 on that line: slopes −1, 1, −1, 1, so R* = 2 + 2 + 2.",
            sp.Symbol("R^*"), sp.Integer(6),
            check=lambda l, rr: line_data_min_norm([-2, -1, 0, 1, 2], [1, 0, 1, 0, 1]) == rr, how="line_data_min_norm, exact")
    return d
