"""Activation functions σ and ridgelet functions ρ, with their (distributional) Fourier transforms.

Convention (Sonoda & Murata 2017; Sonoda, Ishikawa & Ikeda, AISTATS 2021, arXiv 2007.03441; the
``shosonoda/lean-ridgelet`` formalisation, ``LeanRidgelet/Fourier/Convention.lean``): the Fourier transform
carries no :math:`2\\pi`,

.. math:: \\sigma^\\sharp(\\omega) = \\int_{\\mathbb R} \\sigma(z)\\, e^{-i z \\omega}\\, dz .

For a tempered distribution σ (ReLU, step, tanh) the transform is a distribution; an :class:`Activation`
stores it as a *regular part* ``fourier_regular(ω)`` (a function for ω ≠ 0, read as a principal value or a
Hadamard finite part at ω = 0) plus a *singular part* supported at 0, a tuple of ``(c, n)`` meaning
``c · δ^{(n)}(ω)``:

=================  ==========================================  =====================
σ                  regular part of σ^♯                         singular part
=================  ==========================================  =====================
ReLU  max(z, 0)    −f.p. 1/ω²                                  π i δ′
step  1{z > 0}     −i p.v. 1/ω                                 π δ
tanh               −i π p.v. 1/sinh(πω/2)                      none
Gaussian  G        √(2π) e^{−ω²/2}                             none
G^{(k)}            (iω)^k √(2π) e^{−ω²/2}                      none
=================  ==========================================  =====================

with ``G(z) = exp(−z²/2)``. Against a test function φ:
``⟨f.p. 1/ω², φ⟩ = ∫_0^∞ (φ(ω) + φ(−ω) − 2φ(0)) / ω² dω`` and
``⟨p.v. 1/ω, φ⟩ = ∫_0^∞ (φ(ω) − φ(−ω)) / ω dω``. The tests check every row by Parseval,
``∫ σ^♯ φ dω = ∫ σ(z) φ^♯(z) dz``, at 30 digits.

Public, stable API: :func:`gaussian_derivative`, the activation objects :data:`relu`, :data:`step`,
:data:`tanh`, :data:`gaussian`, :func:`activation` (by name or object),
:func:`gaussian_derivative_activation`, and :func:`tanh_ridgelet` (a ridgelet function matched to tanh,
for which ((tanh, ρ)) is a Gamma function).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

#: the argument of activations and ridgelet functions
Z = sp.Symbol("z", real=True)
#: the frequency variable
OMEGA = sp.Symbol("omega", real=True)


@lru_cache(maxsize=None)
def gaussian_derivative(k: int) -> sp.Lambda:
    """The ridgelet function ``ρ = G^{(k)}``, the k-th derivative of ``G(z) = exp(−z²/2)``.

    .. math:: G^{(k)}(z) = (-1)^k \\mathrm{He}_k(z)\\, e^{-z^2/2}

    (``He_k`` the probabilists' Hermite polynomial), a SymPy ``Lambda`` of one real argument. Its
    Fourier transform is ``(iω)^k √(2π) e^{−ω²/2}`` (docs/ridgelet.md#conventions; Sonoda & Murata 2017, §6).

    Parameters
    ----------
    k:
        Order of the derivative, a non-negative integer.
    """
    k = _order(k, "k")
    body = sp.expand(sp.diff(sp.exp(-Z**2 / 2), Z, k))
    return sp.Lambda(Z, sp.factor_terms(body))


@lru_cache(maxsize=None)
def tanh_ridgelet(j: int) -> sp.Lambda:
    """A ridgelet function matched to ``σ = tanh``: ``ρ_j(z) = (d/dz)^{2j} [e^{−z²/2} sin(πz/2)]``.

    Its transform is ``ρ_j^♯(ω) = (−1)^{j+1} i √(2π) e^{−π²/8} ω^{2j} sinh(πω/2) e^{−ω²/2}`` (the sine
    shifts the Gaussian's transform by ``±π/2`` and the shifts combine into ``sinh``), so the ``1/sinh``
    of ``tanh^♯`` cancels in the admissibility integral:
    ``((tanh, ρ_j)) = (2π)^{m−1} (−1)^j π √(2π) e^{−π²/8} 2^{(2j−m+1)/2} Γ((2j−m+1)/2)`` for
    ``2j > m − 1`` (:func:`theory.ridgelet.transform.tanh_admissibility_closed_form`). With ``ρ = G^{(k)}`` instead
    the constant is a one-dimensional integral without a known closed form.
    """
    j = _order(j, "j")
    body = sp.diff(sp.exp(-Z**2 / 2) * sp.sin(sp.pi * Z / 2), Z, 2 * j)
    return sp.Lambda(Z, sp.factor_terms(sp.expand(body)))


def _order(k, name: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer, sp.Integer)) or int(k) < 0:
        raise ValueError(f"{name}: expected a non-negative integer derivative order, got {k!r}")
    return int(k)


@dataclass(frozen=True)
class Activation:
    """An activation function σ together with its (distributional) Fourier transform.

    Parameters
    ----------
    name:
        Name used by :func:`activation` (``"relu"``, ``"step"``, ``"tanh"``, ``"gaussian"``,
        ``"gaussian_derivative:k"``).
    expr:
        ``σ`` as a SymPy ``Lambda`` of one real argument.
    fourier_regular:
        Regular part of ``σ^♯`` as a ``Lambda`` of ω (valid for ω ≠ 0; principal value / finite part at 0).
    fourier_singular:
        Singular part at ω = 0: tuple of ``(coefficient, n)`` for ``coefficient · δ^{(n)}``.
    kind, order:
        Plain identifiers handed to the numba layer (``numerics`` never imports SymPy).
    schwartz:
        Whether σ is a Schwartz function (then it can serve as a ridgelet function ρ).
    """

    name: str
    expr: sp.Lambda
    fourier_regular: sp.Lambda
    fourier_singular: tuple[tuple[sp.Expr, int], ...] = ()
    kind: str = ""
    order: int = 0
    schwartz: bool = False
    _numpy: Callable[[np.ndarray], np.ndarray] | None = field(default=None, repr=False, compare=False)

    def __call__(self, z):
        return self.expr(z)

    @property
    def fourier(self) -> sp.Expr:
        """``σ^♯(ω)`` as one SymPy expression (regular part plus ``DiracDelta`` terms), for display."""
        out = self.fourier_regular(OMEGA)
        for coef, n in self.fourier_singular:
            out += coef * sp.DiracDelta(OMEGA, n) if n else coef * sp.DiracDelta(OMEGA)
        return out

    @property
    def spec(self) -> tuple[str, int]:
        """``(kind, order)``: the plain description the numba kernels take."""
        return (self.kind, self.order)

    def numpy(self, z) -> np.ndarray:
        """Evaluate σ on a float array (plain NumPy; for numerics and plots)."""
        z = np.asarray(z, dtype=float)
        if self._numpy is not None:
            return self._numpy(z)
        return np.asarray(sp.lambdify(Z, self.expr(Z), "numpy")(z), dtype=float) * np.ones_like(z)


def _gaussian_derivative_numpy(k: int) -> Callable[[np.ndarray], np.ndarray]:
    def ev(z: np.ndarray) -> np.ndarray:
        # (-1)^k He_k(z) e^{-z^2/2}, He_{n+1} = z He_n - n He_{n-1}
        h_prev, h = np.zeros_like(z), np.ones_like(z)
        for n in range(k):
            h_prev, h = h, z * h - n * h_prev
        return (-1) ** k * h * np.exp(-z * z / 2)

    return ev


relu = Activation(
    name="relu",
    expr=sp.Lambda(Z, sp.Max(Z, 0)),
    fourier_regular=sp.Lambda(OMEGA, -1 / OMEGA**2),
    fourier_singular=((sp.pi * sp.I, 1),),
    kind="relu",
    _numpy=lambda z: np.maximum(z, 0.0),
)
"""ReLU ``σ(z) = max(z, 0)``; ``σ^♯ = −f.p. 1/ω² + π i δ′`` (Sonoda & Murata 2017, Table 1)."""

step = Activation(
    name="step",
    expr=sp.Lambda(Z, sp.Heaviside(Z, sp.Rational(1, 2))),
    fourier_regular=sp.Lambda(OMEGA, -sp.I / OMEGA),
    fourier_singular=((sp.pi, 0),),
    kind="step",
    _numpy=lambda z: np.where(z > 0, 1.0, np.where(z < 0, 0.0, 0.5)),
)
"""Unit step ``σ(z) = 1{z > 0}``; ``σ^♯ = −i p.v. 1/ω + π δ``."""

tanh = Activation(
    name="tanh",
    expr=sp.Lambda(Z, sp.tanh(Z)),
    fourier_regular=sp.Lambda(OMEGA, -sp.I * sp.pi / sp.sinh(sp.pi * OMEGA / 2)),
    kind="tanh",
    _numpy=np.tanh,
)
"""``σ = tanh``; ``σ^♯ = −iπ p.v. 1/sinh(πω/2)`` (tanh′ = sech², ``(sech²)^♯(ω) = πω / sinh(πω/2)``)."""


@lru_cache(maxsize=None)
def gaussian_derivative_activation(k: int) -> Activation:
    """``σ = G^{(k)}`` as an :class:`Activation` (``k = 0`` is :data:`gaussian`); Schwartz, so it can
    also serve as a ridgelet function. ``σ^♯(ω) = (iω)^k √(2π) e^{−ω²/2}``."""
    k = _order(k, "k")
    return Activation(
        name="gaussian" if k == 0 else f"gaussian_derivative:{k}",
        expr=gaussian_derivative(k),
        fourier_regular=sp.Lambda(OMEGA, (sp.I * OMEGA) ** k * sp.sqrt(2 * sp.pi) * sp.exp(-OMEGA**2 / 2)),
        kind="gaussian" if k == 0 else "gaussian_derivative",
        order=k,
        schwartz=True,
        _numpy=_gaussian_derivative_numpy(k),
    )


gaussian = gaussian_derivative_activation(0)
"""Gaussian ``σ = G = exp(−z²/2)``; ``σ^♯ = √(2π) e^{−ω²/2}``."""

ACTIVATIONS: dict[str, Activation] = {"relu": relu, "step": step, "tanh": tanh, "gaussian": gaussian}


def activation(spec) -> Activation:
    """The activation named ``spec`` (``"relu"``, ``"step"``, ``"tanh"``, ``"gaussian"``,
    ``"gaussian_derivative:k"``), or ``spec`` itself if it is an :class:`Activation`.

    Raises
    ------
    ValueError
        Naming the argument ``sigma`` when the name is unknown.
    """
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = spec.strip().lower()
        if key in ACTIVATIONS:
            return ACTIVATIONS[key]
        if key.startswith("gaussian_derivative:"):
            try:
                k = int(key.split(":", 1)[1])
            except ValueError:
                k = -1
            if k >= 0:
                return gaussian_derivative_activation(k)
        raise ValueError(
            f"sigma: unknown activation {spec!r}; expected one of {sorted(ACTIVATIONS)} "
            "or 'gaussian_derivative:k'"
        )
    raise ValueError(f"sigma: expected an activation name or an Activation object, got {type(spec).__name__}")
