"""The random-feature kernel of a randomised shallow ReLU network, straight from the law of ``(v, b)``
(docs/spline.md: "the exact infinite-width object, independent of any characterisation").

Ridge on ``n`` random features ``ρ(v_k x + b_k)`` with penalty ``λ̃`` is kernel ridge regression with the
empirical kernel ``k̂(x, x') = (1/n) Σ_k ρ(v_k x + b_k) ρ(v_k x' + b_k)`` and penalty ``λ̃/n``; as
``n → ∞`` with ``λ̃ = λ n g(0)``,

.. math:: f_\\infty = k(\\cdot, X)\\,(K + λ g(0) I)^{-1} y, \\qquad
          k(x, x') = \\mathbb E[\\rho(v x + b)\\, \\rho(v x' + b)] .

For fixed ``v`` the ``b``-integral of a product of two ramps is a combination of the partial moments
``M_p(t) = E[b^p 1{b > t}]`` (closed forms in :func:`theory.spline.rf_law.partial_moments`):

.. math:: k(x,x') = \\mathbb E_v\\big[M_2(t) + v (x + x') M_1(t) + v^2 x x' M_0(t)\\big],\\quad
          t = \\max(-v x, -v x'),

and ``∂_x k(x, x') = E_v[v (M_1(t) + v x' M_0(t))]``. The remaining ``v``-integral is done by composite
Gauss–Legendre (panels log-spaced in ``|v|`` and split where ``t`` crosses a breakpoint of ``p_b``).
This route never uses the kink weight ``g`` nor the kink variable ``ξ``: that the adapted spline of
:mod:`theory.spline.splines` equals ``f_∞`` is therefore a check of the characterisation (claim
``spline.kernel_limit``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from theory.spline.rf_law import RandomFeatureLaw, abs_support_end, breakpoints, numeric_density, partial_moments
from theory.spline.splines import KernelExpansion, check_data, check_lambda, kernel_ridge

_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(24)
_PANELS = 48


@dataclass(frozen=True)
class RandomFeatureKernel:
    """``k(x, x') = E[ρ(vx + b) ρ(vx' + b)]`` for a law with numeric parameters (no unpenalised part)."""

    law: RandomFeatureLaw
    null_degree: int = -1

    def matrix(self, xs, knots, order: int = 0) -> np.ndarray:
        if order not in (0, 1):
            raise ValueError(f"order: expected 0 or 1 (the kernel route gives k and ∂_x k), got {order}")
        xs, knots = np.asarray(xs, float), np.asarray(knots, float)
        X, Xp = np.broadcast_arrays(xs[:, None], knots[None, :])
        x, xp = X.ravel(), Xp.ravel()
        pv = numeric_density(self.law.v, "v")
        pm = partial_moments(self.law.b, "b")
        top = abs_support_end(self.law.v)
        base = np.concatenate([[0.0], np.geomspace(top * 1e-12, top, _PANELS)])
        bb = np.array(breakpoints(self.law.b), float)
        out = np.zeros(x.size)
        for sign in (1.0, -1.0):  # v = sign · s, s > 0
            z = np.minimum(x, xp) if sign > 0 else np.maximum(x, xp)  # t = −v z
            bv = np.array([abs(c) for c in breakpoints(self.law.v) if c * sign > 0 and abs(c) < top], float)
            with np.errstate(divide="ignore", invalid="ignore"):
                moved = bb[None, :] / (-sign * z[:, None]) if bb.size else np.empty((x.size, 0))
            moved = np.where((moved > 0) & (moved < top) & np.isfinite(moved), moved, 0.0)
            edges = np.sort(np.concatenate([np.broadcast_to(base, (x.size, base.size)),
                                            np.broadcast_to(bv, (x.size, bv.size)), moved], axis=1), axis=1)
            a, b = edges[:, :-1], edges[:, 1:]
            half, mid = (b - a) / 2, (b + a) / 2
            s = mid[..., None] + half[..., None] * _NODES  # (pairs, panels, nodes)
            v = sign * s
            t = -v * z[:, None, None]
            M0, M1, M2 = pm(t.ravel()).reshape((3,) + t.shape)
            xx, xxp = x[:, None, None], xp[:, None, None]
            if order == 0:
                f = M2 + v * (xx + xxp) * M1 + v * v * xx * xxp * M0
            else:
                f = v * (M1 + v * xxp * M0)
            f = f * pv(v)
            out += np.einsum("ijk,k,ij->i", f, _WEIGHTS, half)
        return out.reshape(X.shape)


def kernel_limit(x, y, lam, law: RandomFeatureLaw, g0: float) -> KernelExpansion:
    """``f_∞ = k(·, X)(K + λ g(0) I)^{-1} y`` with the kernel computed directly from the law (no ``g``);
    ``g0 = g(0) = p_b(0) E|v|³`` fixes the scaling ``λ̃ = λ n g(0)``."""
    xa, ya = check_data(x, y)
    lam = check_lambda(lam)
    return kernel_ridge(xa, ya, lam * float(g0), RandomFeatureKernel(law))


def g0_direct(law: RandomFeatureLaw) -> float:
    """``g(0) = p_b(0) E|v|³`` by quadrature of the law (independent of :mod:`theory.spline.kink_weight`)."""
    pv, pb = numeric_density(law.v, "v"), numeric_density(law.b, "b")
    top = abs_support_end(law.v)
    edges = np.concatenate([[-top], sorted(c for c in breakpoints(law.v) if abs(c) < top), [top]])
    edges = np.unique(np.concatenate([edges, [0.0], np.linspace(-top, top, 201)]))
    a, b = edges[:-1], edges[1:]
    half, mid = (b - a) / 2, (b + a) / 2
    s = mid[:, None] + half[:, None] * _NODES
    return float(pb(np.array([0.0]))[0] * np.sum(np.abs(s) ** 3 * pv(s) * _WEIGHTS * half[:, None]))
