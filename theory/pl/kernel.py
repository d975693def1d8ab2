"""The non-parametric case of the local PL result (Barboni, Peyré & Vialard, NeurIPS 2022, arXiv 2112.05531:
the abstract's "both parametric and non-parametric cases"): the velocity field lives in the Gaussian RKHS
itself — the infinite-width limit of the random-Fourier-feature model of :mod:`theory.pl.model` — and its PL
constants come from the kernel Gram matrix. docs/pl.md#kernel (no theorem number of the paper is cited:
only its abstract was available, see docs/pl.md#sources).

Kernel. The features ``φ(x) = √(2/q) cos(Ωx + u)``, ``ω ~ N(0, σ⁻² I_d)``, ``u ~ U[0, 2π)`` give
``E φ(x)ᵀφ(y) = k(x − y) = exp(−‖x − y‖²/(2σ²))`` (:func:`bochner_mean`): the feature Gram
``K̂_q = (1/q) Σ_j ξ_j`` is an average of ``q`` i.i.d. matrices with mean the kernel Gram ``K``, so
``λ₀(q) = λ_min(K̂_q) → λ₀ = λ_min(K)`` and ``Λ₀(q) → Λ₀ = λ_max(K)`` with fluctuations of order ``q^{−1/2}``
(first order: ``λ₀(q) − λ₀ = v₀ᵀ(K̂_q − K)v₀ + O(‖K̂_q − K‖²)``, and ``v₀ᵀ(K̂_q − K)v₀`` has variance
``Var(v₀ᵀξv₀)/q``, :func:`entry_covariance`).

Admissibility of the RKHS ``H`` of ``k I_d`` (derived in :func:`kernel_kappas`): ``|v(x)| ≤ √k(x,x) ‖v‖_H``
and ``|Dv(x) w| ≤ (wᵀ∂_x∂_y k(x,x) w)^{1/2} ‖v‖_H |w|``, i.e. ``κ₀ = 1`` and ``κ₁ = 1/σ``. The canonical
feature map ``x ↦ k(·, x)`` is ``(1/σ)``-Lipschitz into ``H`` (``‖k(·,x) − k(·,y)‖² = 2 − 2k(x − y) ≤
‖x − y‖²/σ²``). So the argument of :mod:`theory.pl.constants` applies verbatim with ``(λ₀, Λ₀)`` of the kernel
Gram and ``(κ₀, κ₁) = (1, 1/σ)``:

.. math:: m_L(r) = 2\\,(\\sqrt{\\lambda_0} - \\sqrt N r/\\sigma)_+^2
          \\exp\\!\\Big(-\\frac{2 r/\\sigma}{1 - r/(\\sigma\\sqrt L)}\\Big),
          \\qquad M(r) = 2\\,(\\sqrt{\\Lambda_0} + \\sqrt N r/\\sigma)^2 e^{2r/\\sigma}.

Finding (a reconstruction's consequence, stated plainly): the finite-``q`` *bounds* do not tend to these.
The feature model's ``κ₀ = √2`` bounds ``‖φ(x)‖² = 1 + (1/q)Σ cos 2θ_j`` by its worst case, and
``κ₁ = √(2/q)‖Ω‖_op → √2/σ`` (``‖Ω‖²_op/q → 1/σ²``) bounds ``|sin| ≤ 1`` where the kernel averages ``sin²`` to
``½``: the finite-``q`` functions ``m_q, M_q`` converge (with ``λ₀(q), Λ₀(q)``) to the same formulas with
``κ₀κ₁ = 2/σ`` and ``κ₁ = √2/σ`` (:func:`rff_limit_kappas`), looser than the kernel's own ``1/σ, 1/σ``.
The Gram constants ``λ₀, Λ₀`` are what converges to the kernel's, and that is the claim checked.

Gradient descent in the RKHS model from ``v = 0`` with ``η`` and ``ℒ₀ ≤ c(R)²R²m_L(R)/4`` (``c = 1 −
ηM(R)/4``) stays in ``‖v‖ ≤ R*`` and ``ℒ_t ≤ (1 − η m_L(R*) c)^t ℒ₀`` (:func:`evaluate_kernel_pl`, the same
solver as :func:`theory.pl.constants.evaluate_pl`, at 30 digits).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import sympy as sp

from theory.common.derivation import Derivation
from theory.pl.constants import DPS, DrawConstants, PLEvaluation, evaluate_constants
from theory.pl.model import gaussian_kernel

x_s, y_s, z_s, w_s = sp.symbols("x y z omega", real=True)
u_s = sp.Symbol("u", real=True)
sig_s = sp.Symbol("sigma", positive=True)


# ----------------------------------------------------------------------------------------------------
# symbolic facts
# ----------------------------------------------------------------------------------------------------
def bochner_mean(sigma: sp.Expr = sig_s) -> sp.Expr:
    """``E_{ω, u}[2 cos(ωx + u) cos(ωy + u)]`` for ``ω ~ N(0, σ⁻²)``, ``u ~ U[0, 2π)`` (one dimension; the
    ``d``-dimensional mean factorises over coordinates): evaluated by SymPy, equal to ``k(x − y)``."""
    phase = sp.integrate(2 * sp.cos(w_s * x_s + u_s) * sp.cos(w_s * y_s + u_s), (u_s, 0, 2 * sp.pi)) / (2 * sp.pi)
    dens = sp.exp(-w_s**2 * sigma**2 / 2) * sigma / sp.sqrt(2 * sp.pi)
    return sp.simplify(sp.integrate(sp.simplify(phase) * dens, (w_s, -sp.oo, sp.oo)))


def kernel_kappas(sigma: sp.Expr = sig_s) -> tuple[sp.Expr, sp.Expr]:
    """``(κ₀, κ₁)`` of the Gaussian RKHS: ``κ₀ = sup_x √k(x, x) = 1``, ``κ₁ = sup_x (∂_x∂_y k(x, y)|_{y=x})^{1/2}
    = 1/σ`` (reproducing property: ``∂_w v(x) = ⟨v, ∂_{y,w} k(·, y)|_{y=x}⟩_H``; one coordinate direction,
    the kernel being isotropic)."""
    k = gaussian_kernel(x_s - y_s, sigma)
    k0 = sp.sqrt(sp.simplify(k.subs(y_s, x_s)))
    k1 = sp.sqrt(sp.simplify(sp.diff(k, x_s, y_s).subs(y_s, x_s)))
    return sp.simplify(k0), sp.simplify(k1)


def rff_limit_kappas(sigma: sp.Expr = sig_s) -> tuple[sp.Expr, sp.Expr]:
    """The ``q → ∞`` limits of the feature model's bounds: ``κ₀ = √2`` (it does not depend on ``q``) and
    ``κ₁ = √(2/q)‖Ω‖_op → √2/σ`` (``ΩᵀΩ/q → E ωωᵀ = σ⁻² I``)."""
    return sp.sqrt(2), sp.sqrt(2) / sigma


def entry_covariance(xi, xj, xk, xl, sigma: float) -> float:
    """``E[ξ_ij ξ_kl]`` for one feature, ``ξ_ij = 2 cos(θ_i) cos(θ_j)``, ``θ = ⟨ω, x⟩ + u``: averaging the
    four-cosine product over ``u`` keeps the phase-free combinations, so
    ``E ξ_ij ξ_kl = ½[k(x_i + x_j − x_k − x_l) + k(x_i − x_j + x_k − x_l) + k(x_i − x_j − x_k + x_l)]``
    (e.g. ``Var ξ_ii = 3/2 − 1 = ½``). mpmath, 30 digits."""
    with mp.workdps(DPS):
        s2 = 2 * mp.mpf(sigma) ** 2
        xi, xj, xk, xl = (mp.matrix([mp.mpf(float(a)) for a in np.ravel(v)]) for v in (xi, xj, xk, xl))

        def k(z):
            return mp.exp(-sum(c * c for c in z) / s2)

        return (k(xi + xj - xk - xl) + k(xi - xj + xk - xl) + k(xi - xj - xk + xl)) / 2


# ----------------------------------------------------------------------------------------------------
# numbers for a data set (mpmath, 30 digits)
# ----------------------------------------------------------------------------------------------------
def _check_points(X0) -> np.ndarray:
    X0 = np.asarray(X0, dtype=np.float64)
    if X0.ndim != 2 or X0.shape[0] < 1 or not np.all(np.isfinite(X0)):
        raise ValueError(f"X0: expected a finite (N, d) array of data points, got shape {X0.shape}")
    return X0


def _check_sigma(sigma) -> float:
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float, np.floating)) or not (
            np.isfinite(sigma) and sigma > 0):
        raise ValueError(f"sigma: expected a positive finite kernel bandwidth, got {sigma!r}")
    return float(sigma)


def kernel_gram_mp(X0, sigma: float) -> mp.matrix:
    """The Gaussian-kernel Gram ``K = (exp(−‖x_i − x_j‖²/(2σ²)))_{ij}`` at 30 digits."""
    X0 = _check_points(X0)
    sigma = _check_sigma(sigma)
    N = X0.shape[0]
    with mp.workdps(DPS):
        s2 = 2 * mp.mpf(sigma) ** 2
        P = [[mp.mpf(float(a)) for a in row] for row in X0]
        K = mp.matrix(N, N)
        for i in range(N):
            for j in range(N):
                K[i, j] = mp.exp(-sum((a - b) ** 2 for a, b in zip(P[i], P[j])) / s2)
        return K


def gram_extremes(X0, sigma: float) -> tuple[mp.mpf, mp.mpf, np.ndarray]:
    """``(λ₀, Λ₀, V)``: the extreme eigenvalues of the kernel Gram at 30 digits (mpmath's symmetric
    eigen-solver) and its eigenvectors (float64, columns, increasing eigenvalues)."""
    K = kernel_gram_mp(X0, sigma)
    with mp.workdps(DPS):
        E, Q = mp.eigsy(K)
        ev = [E[i] for i in range(K.rows)]
        order = sorted(range(K.rows), key=lambda i: ev[i])
        V = np.array([[float(Q[r, c]) for c in order] for r in range(K.rows)])
        return ev[order[0]], ev[order[-1]], V


def kernel_constants(X0, sigma: float, depth: int | None = None, sigma_scale: float = 1.0,
                     kappa_scale: float = 1.0) -> DrawConstants:
    """:class:`theory.pl.constants.DrawConstants` of the RKHS model: ``λ₀, Λ₀`` of the kernel Gram (bandwidth
    ``σ·sigma_scale``), ``κ₀ = 1``, ``κ₁ = kappa_scale/σ`` (``sigma_scale``, ``kappa_scale``: 1 for the
    theory; perturbations for a power analysis)."""
    if depth is not None and (isinstance(depth, bool) or int(depth) != depth or depth < 1):
        raise ValueError(f"depth: expected an integer >= 1 or None (the ODE limit), got {depth!r}")
    sigma = _check_sigma(sigma)
    lam, Lam, _ = gram_extremes(X0, sigma * sigma_scale)
    with mp.workdps(DPS):
        k0, k1 = (mp.mpf(1), mp.mpf(kappa_scale) / mp.mpf(sigma))
        return DrawConstants(lam, Lam, k0, k1, int(np.asarray(X0).shape[0]),
                             None if depth is None else int(depth))


def evaluate_kernel_pl(X0, sigma: float, depth: int | None, ell0: float, eta: float | None = None,
                       sigma_scale: float = 1.0, kappa_scale: float = 1.0) -> PLEvaluation:
    """:func:`evaluate_constants` for the RKHS model of the data ``X0`` (:func:`kernel_constants`)."""
    return evaluate_constants(kernel_constants(X0, sigma, depth, sigma_scale, kappa_scale), ell0, eta)


# ----------------------------------------------------------------------------------------------------
# derivation: nnlimits derive pl-kernel
# ----------------------------------------------------------------------------------------------------
def derive_kernel_pl() -> Derivation:
    """From the features to the kernel, its admissibility constants, the ``q^{−1/2}`` fluctuation of the
    Gram constants and the representer form of gradient descent; every equality checked by SymPy."""
    D = Derivation(
        "Local PL inequality in the Gaussian RKHS (the non-parametric case)",
        "Barboni, Peyré, Vialard, NeurIPS 2022 (arXiv 2112.05531); working statement of docs/pl.md "
        "(no theorem numbers of the paper are cited)",
    )
    D.equal("Bochner: with $\\omega \\sim N(0, \\sigma^{-2})$ and $u \\sim U[0, 2\\pi)$, $E[2\\cos(\\omega x + u)"
            "\\cos(\\omega y + u)] = k(x - y)$ (one coordinate; coordinates factorise).",
            bochner_mean(), gaussian_kernel(x_s - y_s))
    k0, k1 = kernel_kappas()
    D.equal("Sup-norm part: $|v(x)| = |\\langle v, k(\\cdot, x)\\rangle_H| \\le \\sqrt{k(x,x)}\\|v\\|_H$, "
            "so $\\kappa_0 = 1$ (the features' bound is $\\sqrt 2$).", k0, sp.Integer(1))
    D.equal("Lipschitz part: $|\\partial_w v(x)| \\le (\\partial_x\\partial_y k(x, x))^{1/2}\\|v\\|_H$, so "
            "$\\kappa_1 = 1/\\sigma$ (the features' bound tends to $\\sqrt 2/\\sigma$).", k1, 1 / sig_s)
    zz = sp.Symbol("z", nonnegative=True)
    D.equal("The canonical feature map is $(1/\\sigma)$-Lipschitz into $H$: $\\|k(\\cdot,x) - k(\\cdot,y)\\|_H^2 "
            "= 2 - 2k(x - y)$, and $|x-y|^2/\\sigma^2 - (2 - 2e^{-|x-y|^2/(2\\sigma^2)}) \\ge 0$ "
            "(its derivative in $z = |x - y|^2$ is $(1 - e^{-z/(2\\sigma^2)})/\\sigma^2 \\ge 0$, 0 at $z = 0$).",
            sp.diff(zz / sig_s**2 - (2 - 2 * sp.exp(-zz / (2 * sig_s**2))), zz),
            (1 - sp.exp(-zz / (2 * sig_s**2))) / sig_s**2)
    th = sp.Symbol("theta", real=True)
    D.equal("One feature's diagonal Gram entry: $\\xi_{ii} = 2\\cos^2\\theta = 1 + \\cos 2\\theta$, with "
            "$E\\xi_{ii}^2 = \\frac{1}{2\\pi}\\int_0^{2\\pi}(1 + \\cos 2\\theta)^2 = 3/2$: variance $1/2$, so "
            "$\\hat K_q - K$ has entries of standard deviation of order $q^{-1/2}$.",
            sp.integrate((1 + sp.cos(2 * th)) ** 2, (th, 0, 2 * sp.pi)) / (2 * sp.pi) - 1, sp.Rational(1, 2))
    eps_s = sp.Symbol("epsilon", real=True)
    lam_s, mu_s, b_s = sp.symbols("lambda_0 lambda_1 b", real=True)
    Kp = sp.Matrix([[lam_s, 0], [0, mu_s]]) + eps_s * sp.Matrix([[sp.Symbol("e_11"), b_s], [b_s, sp.Symbol("e_22")]])
    ev = min(Kp.eigenvals(), key=lambda e: sp.limit(e.subs({lam_s: 0, mu_s: 1}), eps_s, 0))
    D.equal("First order: $\\lambda_{\\min}(K + \\epsilon E) = \\lambda_0 + \\epsilon v_0^T E v_0 + O(\\epsilon^2)$ "
            "(shown for $N = 2$), so $\\lambda_0(q) - \\lambda_0 = O_P(q^{-1/2})$ with a bias of order $1/q$.",
            sp.series(ev.subs({lam_s: 0, mu_s: 1}), eps_s, 0, 2).removeO(), eps_s * sp.Symbol("e_11"))
    D.define("Representer form: from $v = 0$ every gradient $\\nabla\\mathcal L_k = -\\sum_i k(\\cdot, x_k^i)"
             "p_{k+1}^i$ is a kernel expansion, so gradient descent appends the centres $x_k^i$ with coefficients "
             "$\\eta p_{k+1}^i$; with features, $W_k = \\sum_c a_c\\varphi(c)^T$ gives the same recursion with "
             "$\\hat k_q$: the two trajectories differ only through $\\hat k_q - k$, a smooth dependence, hence "
             "also by $O_P(q^{-1/2})$ at a fixed number of steps.")
    D.define("PL pair of the kernel model: the chain of docs/pl.md#pl-pair with $(\\kappa_0, \\kappa_1) = (1, 1/\\sigma)$ "
             "and $\\lambda_0, \\Lambda_0$ of the kernel Gram gives $m_L(r) = 2(\\sqrt{\\lambda_0} - \\sqrt N r/\\sigma)_+^2 "
             "\\exp(-2(r/\\sigma)/(1 - r/(\\sigma\\sqrt L)))$ and $M(r) = 2(\\sqrt{\\Lambda_0} + \\sqrt N r/\\sigma)^2"
             "e^{2r/\\sigma}$.")
    return D
