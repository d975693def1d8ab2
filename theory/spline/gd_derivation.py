"""``nnlimits derive gd-filter``: gradient descent on the output weights of the random-feature network, from
``w = 0``, is the gradient-descent filter of the kernel, and at a fixed time ``t = hk`` its infinite-width limit is
the early-stopped adapted spline ``f_t = k(·, X) K^{-1}(I − (I − hK)^k) y`` (Heiss, Teichmann & Wutte, arXiv
1911.02903, early stopping, with Theorem 3.8's kernel; docs/spline.md). Every equality checked by SymPy (on a
2-point Gram matrix with symbolic entries) or, for the implementation, in floating point.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from theory.common.derivation import Derivation
from theory.spline.early_stopping import gd_step_for_time
from theory.spline.splines import gd_dual

#: steps of the symbolic iteration checks
_STEPS = 3


def _matrix_equal(lhs, rhs) -> bool:
    return lhs.shape == rhs.shape and all(sp.simplify(a - b) == 0 for a, b in zip(lhs, rhs))


def derive_gd_filter() -> Derivation:
    """The gradient-descent filter and its infinite-width limit (claim ``spline.early_stopping_limit``)."""
    d = Derivation("Gradient descent from w = 0 is the kernel's gradient-descent filter; its width limit is the "
                   "early-stopped adapted spline",
                   "Heiss, Teichmann & Wutte, arXiv 1911.02903 (early stopping), with Theorem 3.8's kernel; "
                   "docs/spline.md")
    eta, n, k, t = sp.symbols("eta n k t", positive=True)
    h = sp.Symbol("h", positive=True)
    d.define("The width-n network N_w(x) = Σ_j w_j φ_j(x), φ_j(x) = ρ(b_j + v_j x), trained by gradient descent on "
             "Σ_i (N_w(x_i) − y_i)² with step η from w = 0. With Φ_ij = φ_j(x_i) and the Gram matrix "
             "K̂ = ΦΦᵀ/n (→ K, Theorem 3.8's kernel on the data), the training outputs u = Φw move by",
             sp.Symbol("u_{j+1}"), sp.Symbol("u_j") - 2 * eta * n * sp.Symbol("Khat") * (sp.Symbol("u_j") - sp.Symbol("y")))
    d.equal("… so the step in function space is h = 2ηn, and the step that reaches the time t = hk in k steps is "
            "η = t/(2nk) (gd_step_for_time).", 2 * gd_step_for_time(t, n, k) * n * k, t)
    a11, a12, a22, y1, y2 = sp.symbols("k_11 k_12 k_22 y_1 y_2", real=True)
    Kh = sp.Matrix([[a11, a12], [a12, a22]])
    Y = sp.Matrix([y1, y2])
    eye = sp.eye(2)
    u = sp.zeros(2, 1)
    alpha = sp.zeros(2, 1)
    for _ in range(_STEPS):
        u = u - h * Kh * (u - Y)
        alpha = alpha - h * (Kh * alpha - Y)
    KM, YM, IM = (sp.Symbol(v, commutative=False) for v in ("Khat", "y", "I"))  # matrices, printed as such
    filt = (IM - (IM - h * KM) ** _STEPS) * YM
    d.equal(f"The residual contracts by I − hK̂ per step: from u₀ = 0, u_k = (I − (I − hK̂)^k) y (the {_STEPS}-step "
            "iterate compared entrywise with the closed form on a symbolic 2-point Gram matrix).",
            sp.Symbol(f"u_{_STEPS}", commutative=False), filt,
            check=lambda _l, _r: _matrix_equal(u, (eye - (eye - h * Kh) ** _STEPS) * Y), how="simplify, entrywise")
    d.equal("In dual form N_w = k̂(·, X) α with α ← α − h(K̂α − y) from 0 (w = Φᵀα/n), whose outputs K̂α_k are u_k: "
            "α_k = K̂^{−1}(I − (I − hK̂)^k) y (same check).", KM * sp.Symbol(f"alpha_{_STEPS}", commutative=False), filt,
            check=lambda _l, _r: _matrix_equal(Kh * alpha, u), how="simplify, entrywise")
    s = sp.Symbol("sigma", positive=True)
    d.equal("On an eigenvector of K̂ (eigenvalue σ) the filter (1 − (1 − hσ)^k)/σ tends, at the fixed time t = hk, to "
            "the gradient-flow filter (1 − e^{−tσ})/σ as k → ∞.",
            sp.limit((1 - (1 - t / k * s) ** k) / s, k, sp.oo), (1 - sp.exp(-t * s)) / s)
    uu = sp.Symbol("u", positive=True)
    d.equal("… which is not ridge's: at μ = 1/t (the correspondence of nnlimits derive early-stopping) the fitted "
            "fractions 1 − e^{−u} and u/(1 + u), u = tσ, agree to first order only: their difference is "
            "u²/2 + O(u³), so f_t is not an adapted spline at any λ (the claim's mutants).",
            sp.series((1 - sp.exp(-uu)) - uu / (1 + uu), uu, 0, 3).removeO(), uu**2 / 2)
    rng = np.random.default_rng(7)
    B = rng.standard_normal((4, 4))
    Kn = B @ B.T + 4 * np.eye(4)
    yn = rng.standard_normal(4)
    hn = 0.5 / float(np.linalg.eigvalsh(Kn)[-1])
    closed = np.linalg.solve(Kn, (np.eye(4) - np.linalg.matrix_power(np.eye(4) - hn * Kn, 64)) @ yn)
    iterated = gd_dual(Kn, yn, hn, 64)
    err = float(np.max(np.abs(iterated - closed)) / np.max(np.abs(closed)))
    d.equal("The implementation gd_dual (64 iterations, the claim's k) equals the closed form on a random 4-point SPD "
            "Gram matrix at h = 0.5/λ_max (floats, 12 digits).", sp.Float(err, 6), sp.Integer(0),
            check=lambda l, r: float(l) < 1e-12, how="float, 12 digits")
    d.define("As n → ∞ at fixed t, k̂ → k (the adapted-spline kernel of the law of (v, b), Theorem 3.8) at the "
             "Monte-Carlo rate, so N_w → f_t = k(·, X) K^{−1}(I − (I − hK)^k) y — a kernel expansion, f_t''/g± "
             "piecewise linear with knots at the data — with ‖N_w − f_t‖_{W^{1,∞}} = O(n^{−1/2}) "
             "(early_stopping_spline; claim spline.early_stopping_limit, h = 0.5/λ_max(K), k = 64).",
             sp.Symbol("f_t", commutative=False),
             sp.Symbol("k(x,X)", commutative=False) * sp.Symbol("K", commutative=False) ** -1
             * (IM - (IM - h * sp.Symbol("K", commutative=False)) ** k) * YM)
    d.feeds = ["spline.early_stopping_limit", "spline.early_stopping"]
    d.command = "nnlimits verify 'spline.early_stopping*'"
    return d
