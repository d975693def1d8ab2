"""Local Polyak–Łojasiewicz inequality for linearly parametrised ResNets and the random-Fourier-feature
recipe (Barboni, Peyré & Vialard, "On global convergence of ResNets: from finite to infinite width using
linear parameterization", NeurIPS 2022, arXiv 2112.05531).

Sources and numbering. Only the paper's abstract was available when this module was written, so no
theorem or equation number of the paper is cited: every docstring cites docs/pl.md, the project's
working statement of the paper, and the constants below are derived here (:func:`derive_pl_constant`)
along that statement. Where the paper's own constants differ (its admissibility constant κ, its
expressivity function λ(δ)), the forms used are named: ``κ`` is split into ``κ₀`` (sup-norm part) and
``κ₁`` (Lipschitz part), and ``λ(δ)`` is replaced for a concrete feature draw by the perturbation bound
``λ̃(r)`` below. The model follows the authors' code ``rbarboni/FlowResNets`` (``FlowResNets.py``: RFF
residuals ``cos(XΩᵀ)`` with Gaussian or Student-t(5) frequencies; ``synthetic.py``: ``W(t)`` piecewise
linear between ``L + 1`` matrices initialised at 0, midpoint steps); we add the random phases ``u`` of
Rahimi & Recht so that ``E φ(x)ᵀφ(x') = k(x − x')`` exactly. The model is in :mod:`theory.pl.model`.

Statements (continuous model, ``v ∈ L²([0,1], V)``, ``ℒ(v) = ½ Σ_i ‖x_1^i − y_i‖²``):

- adjoint gradient: ``∇ℒ(v)_t = −Σ_i K(·, x_t^i) p_t^i``, ``ṗ = −Dv_t(x_t)ᵀ p``, ``p_1 = y − x_1``, so
  ``‖∇ℒ(v)‖² = ∫₀¹ p_tᵀ K_t p_t dt``;
- local PL pair ``m(‖v‖) ℒ(v) ≤ ‖∇ℒ(v)‖² ≤ M(‖v‖) ℒ(v)`` with
  ``m(r) = 2 λ(δ₀ e^{−κr}) e^{−2κr}`` and ``M(r) = 2Λ e^{2κr}`` (:func:`m_paper`, :func:`M_paper`);
- ball: from ``v = 0`` with ``ℒ(0) ≤ R² m(R)/4`` gradient flow stays in ``‖v‖ ≤ R`` and
  ``ℒ(v_τ) ≤ e^{−m(R) τ} ℒ(0)`` (:func:`ball_condition`, :func:`gradient_flow_bound`);
- RFF count: ``λ_min(K̂) ≥ λ/2`` with probability ``1 − δ`` once
  ``q ≥ 16(d+2) N²/λ² log(2⁸ (2N σ_p diam M/λ)²/δ)`` (:func:`rff_count`; Rahimi–Recht's uniform bound
  with ``ε = λ/(2N)`` and Gershgorin).

For a *concrete* feature draw the separation-based ``λ(δ)`` of the paper is not computable (it is an
infimum over all δ-separated configurations); :func:`evaluate_pl` uses the same argument with the
expressivity step done by perturbation from the data, where ``λ₀ = λ_min(K̂(X₀))`` is computed
numerically: trajectories move by at most ``κ₀ r`` and ``φ`` is ``κ₁``-Lipschitz, so
``σ_min(Φ(X_t)) ≥ √λ₀ − √N κ₀ κ₁ r`` and ``λ_min(K_t) ≥ λ̃(r) = (√λ₀ − √N κ₀ κ₁ r)₊²``; likewise
``λ_max(K_t) ≤ Λ̃(r) = (√Λ₀ + √N κ₀ κ₁ r)²``. The depth-``L`` Euler network obeys the same chain with the
adjoint factor ``Π(1 − a_j) ≥ exp(−Σ a_j/(1 − a_j))``, ``a_j = h κ₁ ‖W_j‖ ≤ κ₁ r/√L``:

.. math:: m_L(r) = 2\\,\\tilde\\lambda(r)\\, \\exp\\!\\Big(-\\frac{2\\kappa_1 r}{1 - \\kappa_1 r/\\sqrt L}\\Big),
          \\qquad M_L(r) = 2\\,\\tilde\\Lambda(r)\\, e^{2\\kappa_1 r},

which tend to the paper's form as ``L → ∞`` (depth enters only through the discretisation); ``m_L`` is
positive below ``r_max`` (:func:`degeneracy_radius`). With gradient descent's factor ``c(R) = 1 − ηM(R)/4``
the initial-loss condition is ``ℒ₀ ≤ c(R)² R² m_L(R)/4`` (:func:`initial_loss_condition`); its smallest
root ``R*`` is the ball radius and ``μ = m_L(R*)`` the PL constant there (:func:`evaluate_pl`). Norms are the
discrete L² norm ``‖v‖ = (h Σ_k ‖W_k‖²_F)^{1/2}`` and gradients are taken in that metric
(:mod:`numerics.pl.resnet`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import mpmath as mp
import numpy as np
import sympy as sp

from theory.common.derivation import Derivation
from theory.pl.model import (
    feature_constants,
    feature_matrix,
    gaussian_kernel,
    gershgorin_lambda,
    feature_sup_norm,
    kappa0,
    kappa1,
    rff_feature,
)

DPS = 30

# ----------------------------------------------------------------------------------------------------
# symbols
# ----------------------------------------------------------------------------------------------------
r, R = sp.symbols("r R", nonnegative=True)
tau = sp.Symbol("tau", nonnegative=True)
kap = sp.Symbol("kappa", positive=True)
kap0, kap1 = sp.symbols("kappa_0 kappa_1", positive=True)
delta0 = sp.Symbol("delta_0", positive=True)
Lam = sp.Symbol("Lambda", positive=True)
lam0, Lam0 = sp.symbols("lambda_0 Lambda_0", positive=True)
lam_c = sp.Symbol("lambda", positive=True)
ell0 = sp.Symbol(r"\mathcal{L}_0", positive=True)
eta, beta = sp.symbols("eta beta", positive=True)
N, d, q = sp.symbols("N d q", positive=True)
depth = sp.Symbol("L", positive=True)
sigma_p_sym = sp.Symbol("sigma_p", positive=True)
diam = sp.Symbol(r"\operatorname{diam} M", positive=True)
delta_prob = sp.Symbol(r"\delta", positive=True)
eps = sp.Symbol("epsilon", positive=True)
lam_fn = sp.Function("lambda")


# ----------------------------------------------------------------------------------------------------
# the paper's constants (docs/pl.md#pl-pair)
# ----------------------------------------------------------------------------------------------------
def m_paper(radius: sp.Expr = r) -> sp.Expr:
    """Lower PL function ``m(r) = 2 λ(δ₀ e^{−κr}) e^{−2κr}`` (docs/pl.md#pl-pair)."""
    return 2 * lam_fn(delta0 * sp.exp(-kap * radius)) * sp.exp(-2 * kap * radius)


def M_paper(radius: sp.Expr = r) -> sp.Expr:
    """Upper PL function ``M(r) = 2 Λ e^{2κr}`` (docs/pl.md#pl-pair)."""
    return 2 * Lam * sp.exp(2 * kap * radius)


def ball_condition(m_of_R: sp.Expr, contraction: sp.Expr = sp.Integer(1)) -> sp.Expr:
    """Largest admissible initial loss for the ball of radius ``R``: ``c² R² m(R)/4`` (docs/pl.md#pl.linear_rate;
    ``c = 1`` for gradient flow, ``c = 1 − βη/2`` for gradient descent with an ``β``-smooth loss)."""
    return contraction**2 * R**2 * m_of_R / 4


def gradient_flow_bound(mu: sp.Expr = sp.Symbol("mu", positive=True)) -> sp.Expr:
    """``ℒ(v_τ) ≤ e^{−μτ} ℒ(0)`` with ``μ = m(R)`` (docs/pl.md#pl.linear_rate)."""
    return sp.exp(-mu * tau) * ell0


def gd_contraction(mu: sp.Expr = sp.Symbol("mu", positive=True), step: sp.Expr = eta,
                   smooth: sp.Expr = beta) -> sp.Expr:
    """Per-step factor of gradient descent under PL(μ) and ``β``-smoothness (descent lemma):
    ``ℒ_{t+1} ≤ (1 − ημ(1 − βη/2)) ℒ_t``; the claims use ``β = M(R)/2`` (the Gauss–Newton part)."""
    return 1 - step * mu * (1 - smooth * step / 2)


def rahimi_recht_tail(nfeat: sp.Expr = q) -> sp.Expr:
    """Rahimi & Recht (2007), Claim 1: ``P[sup_{M×M} |k̂ − k| ≥ ε] ≤ 2⁸ (σ_p diam M/ε)² e^{−qε²/(4(d+2))}``."""
    return 2**8 * (sigma_p_sym * diam / eps) ** 2 * sp.exp(-nfeat * eps**2 / (4 * (d + 2)))


def rff_count() -> sp.Expr:
    """Number of features for ``λ_min(K̂) ≥ λ/2`` with probability ``1 − δ`` (docs/pl.md#pl.rff_threshold):
    ``q ≥ 16(d+2) N²/λ² · log(2⁸ (2N σ_p diam M/λ)²/δ)``."""
    return 16 * (d + 2) * N**2 / lam_c**2 * sp.log(2**8 * (2 * N * sigma_p_sym * diam / lam_c) ** 2 / delta_prob)


# ----------------------------------------------------------------------------------------------------
# the same argument for a concrete feature draw (perturbation from the data)
# ----------------------------------------------------------------------------------------------------
def lambda_tilde(radius: sp.Expr = r) -> sp.Expr:
    """``λ̃(r) = (√λ₀ − √N κ₀ κ₁ r)²`` (valid while the bracket is ≥ 0): lower bound on ``λ_min(K_t)``."""
    return (sp.sqrt(lam0) - sp.sqrt(N) * kap0 * kap1 * radius) ** 2


def Lambda_tilde(radius: sp.Expr = r) -> sp.Expr:
    """``Λ̃(r) = (√Λ₀ + √N κ₀ κ₁ r)²``: upper bound on ``λ_max(K_t)``."""
    return (sp.sqrt(Lam0) + sp.sqrt(N) * kap0 * kap1 * radius) ** 2


def m_draw(radius: sp.Expr = r, layers: sp.Expr | None = depth) -> sp.Expr:
    """``m_L(r) = 2 λ̃(r) exp(−2κ₁r/(1 − κ₁r/√L))`` (depth ``L`` Euler); ``layers=None``: the ODE limit
    ``2 λ̃(r) e^{−2κ₁ r}``."""
    if layers is None:
        return 2 * lambda_tilde(radius) * sp.exp(-2 * kap1 * radius)
    return 2 * lambda_tilde(radius) * sp.exp(-2 * kap1 * radius / (1 - kap1 * radius / sp.sqrt(layers)))


def M_draw(radius: sp.Expr = r) -> sp.Expr:
    """``M(r) = 2 Λ̃(r) e^{2κ₁ r}`` (any depth: ``Π(1 + a_j) ≤ e^{Σ a_j}``)."""
    return 2 * Lambda_tilde(radius) * sp.exp(2 * kap1 * radius)


def degeneracy_radius(layers: sp.Expr | None = depth) -> sp.Expr:
    """``r_max = min(√λ₀/(√N κ₀κ₁), √L/κ₁)``: beyond it ``m_L`` gives nothing (``λ̃ = 0`` or the Euler
    adjoint factor breaks down); ``layers=None``: the ODE limit, ``√λ₀/(√N κ₀κ₁)``."""
    rad = sp.sqrt(lam0) / (sp.sqrt(N) * kap0 * kap1)
    return rad if layers is None else sp.Min(rad, sp.sqrt(layers) / kap1)


def initial_loss_condition(layers: sp.Expr | None = depth, step: sp.Expr | None = eta) -> sp.Expr:
    """The ball condition for a concrete draw, as a function of ``R`` (docs/pl.md#pl.linear_rate, ``ℒ(0) ≤ R² m(R)/4``,
    with gradient descent's factor): ``g(R) = c(R)² R² m_L(R)/4`` with ``c(R) = 1 − η M(R)/4``
    (``step=None``: gradient flow, ``c = 1``). From ``v = 0`` with ``ℒ₀ ≤ g(R)`` the iterates stay in
    ``‖v‖ ≤ R``; the ball radius ``R*`` is the smallest root of ``g(R) = ℒ₀`` and the PL constant there is
    ``μ = m_L(R*)`` (:func:`evaluate_pl` solves it at 30 digits)."""
    c = sp.Integer(1) if step is None else 1 - step * M_draw(R) / 4
    return ball_condition(m_draw(R, layers), c)


# ----------------------------------------------------------------------------------------------------
# evaluation for a data set and a feature draw (mpmath, 30 digits; closed forms written by hand and
# tested against the SymPy expressions above)
# ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DrawConstants:
    """The numbers ``m_L``, ``M`` depend on: ``λ₀, Λ₀`` (extreme eigenvalues of ``K̂(X₀)``), ``κ₀, κ₁``,
    ``N`` and the depth (``None``: the ODE limit)."""

    lambda0: mp.mpf
    Lambda0: mp.mpf
    kappa0: mp.mpf
    kappa1: mp.mpf
    n_samples: int
    depth: int | None

    @cached_property
    def spread(self) -> mp.mpf:
        """``√N κ₀ κ₁``: how fast ``√λ_min`` can move per unit of ``‖v‖``."""
        return mp.sqrt(self.n_samples) * self.kappa0 * self.kappa1

    @cached_property
    def _roots(self) -> tuple[mp.mpf, mp.mpf, mp.mpf | None]:
        return (mp.sqrt(self.lambda0), mp.sqrt(self.Lambda0),
                None if self.depth is None else mp.sqrt(self.depth))

    @cached_property
    def r_max(self) -> mp.mpf:
        """Radius where the bound degenerates: ``λ̃ = 0`` or ``κ₁ r = √L``."""
        out = self._roots[0] / self.spread
        if self.depth is not None:
            out = min(out, self._roots[2] / self.kappa1)
        return out

    def lambda_tilde(self, radius) -> mp.mpf:
        b = self._roots[0] - self.spread * radius
        return b * b if b > 0 else mp.mpf(0)

    def Lambda_tilde(self, radius) -> mp.mpf:
        b = self._roots[1] + self.spread * radius
        return b * b

    def adjoint_lower(self, radius, exp_scale=1) -> mp.mpf:
        """Adjoint factor of the lower function, ``min_t ‖p_t‖²/‖p_1‖² ≥ exp(−2κ₁r/(1 − κ₁r/√L))``
        (``e^{−2κ₁r}`` in the ODE limit); ``exp_scale`` multiplies the exponent (``1``: the theory; a
        power-analysis deformation otherwise). 0 where the Euler factor breaks down (``κ₁r ≥ √L``)."""
        radius = mp.mpf(radius)
        expo = 2 * mp.mpf(exp_scale) * self.kappa1 * radius
        if self.depth is not None:
            den = 1 - self.kappa1 * radius / self._roots[2]
            if den <= 0:
                return mp.mpf(0)
            expo = expo / den
        return mp.exp(-expo)

    def adjoint_upper(self, radius, exp_scale=1) -> mp.mpf:
        """Adjoint factor of the upper function, ``max_t ‖p_t‖²/‖p_1‖² ≤ e^{2κ₁r}`` (any depth:
        ``Π(1 + a_j) ≤ e^{Σ a_j}``); ``exp_scale`` multiplies the exponent."""
        return mp.exp(2 * mp.mpf(exp_scale) * self.kappa1 * mp.mpf(radius))

    def m(self, radius) -> mp.mpf:
        """``m_L(r) = 2 λ̃(r) · adjoint_lower(r)`` (0 beyond :attr:`r_max`)."""
        radius = mp.mpf(radius)
        if radius >= self.r_max:
            return mp.mpf(0)
        return 2 * self.lambda_tilde(radius) * self.adjoint_lower(radius)

    def M(self, radius) -> mp.mpf:
        """``M(r) = 2 Λ̃(r) e^{2κ₁ r}``."""
        radius = mp.mpf(radius)
        return 2 * self.Lambda_tilde(radius) * self.adjoint_upper(radius)


def draw_constants(X0, omega, u, depth: int | None = None) -> DrawConstants:
    """:class:`DrawConstants` of the data ``X0`` (N, d) and the features ``(omega, u)``; ``λ₀, Λ₀`` by a
    symmetric eigen-solver on ``K̂ = ΦΦᵀ`` (float64, then carried at 30 digits); ``κ₀, κ₁`` those of
    :func:`theory.pl.model.feature_constants` (one definition; checked against the statement by
    :func:`check_feature_constants`)."""
    X0 = np.asarray(X0, dtype=np.float64)
    if X0.ndim != 2 or not np.all(np.isfinite(X0)):
        raise ValueError("X0: expected a finite (N, d) array")
    if depth is not None and (isinstance(depth, bool) or int(depth) != depth or depth < 1):
        raise ValueError(f"depth: expected an integer >= 1 or None (the ODE limit), got {depth!r}")
    fc = feature_constants(omega)
    u = np.asarray(u, dtype=np.float64)
    if u.shape != (fc.q,) or not np.all(np.isfinite(u)):
        raise ValueError(f"u: expected {fc.q} finite phases (one per feature), got shape {u.shape}")
    if X0.shape[1] != np.asarray(omega).shape[1]:
        raise ValueError(f"X0: expected {np.asarray(omega).shape[1]} columns (the dimension of omega), got {X0.shape[1]}")
    Phi = feature_matrix(X0, omega, u)
    ev = np.linalg.eigvalsh(Phi @ Phi.T)
    with mp.workdps(DPS):
        return DrawConstants(mp.mpf(float(ev[0])), mp.mpf(float(ev[-1])), mp.mpf(fc.kappa0), mp.mpf(fc.kappa1),
                             X0.shape[0], None if depth is None else int(depth))


@dataclass(frozen=True)
class PLEvaluation:
    """The theory's numbers for one data set, feature draw, depth, initial loss and step size.

    ``R_star`` is the smallest ``R`` with ``ℒ₀ ≤ c(R)² R² m_L(R)/4`` (``c = 1 − η M(R)/4`` for gradient
    descent, 1 for gradient flow), ``None`` if the initial-loss condition fails for every ``R``;
    ``mu = m_L(R*)`` the PL constant in that ball, ``contraction = 1 − η μ (1 − η M(R*)/4)`` the guaranteed
    per-step factor of GD.
    """

    constants: DrawConstants
    ell0: float
    eta: float | None
    R_peak: float
    g_max: float
    R_star: float | None
    mu: float | None
    M_R: float | None
    contraction: float | None
    #: ``c = 1 − η M(R*)/4`` (descent-lemma factor with ``β = M(R*)/2``; 1 for gradient flow)
    descent: float | None = None

    @property
    def condition_holds(self) -> bool:
        return self.R_star is not None


def _descent_factor(c: DrawConstants, radius, step) -> mp.mpf:
    if step is None:
        return mp.mpf(1)
    return 1 - mp.mpf(step) * c.M(radius) / 4


def _g(c: DrawConstants, radius, step) -> mp.mpf:
    f = _descent_factor(c, radius, step)
    if f <= 0:
        return mp.mpf(0)
    return f * f * radius * radius * c.m(radius) / 4


def evaluate_pl(X0, omega, u, depth: int | None, ell0: float, eta: float | None = None) -> PLEvaluation:
    """The ball radius, PL constant and GD contraction for a concrete problem (see :class:`PLEvaluation`).

    ``depth=None`` evaluates the ODE limit; ``eta=None`` gradient flow (``c = 1``, no contraction).
    The output map ``B`` is assumed to have orthonormal rows (``‖p_L‖² = 2ℒ``), e.g. the identity.
    """
    if not (np.isfinite(ell0) and ell0 >= 0):
        raise ValueError(f"ell0: expected a finite initial loss >= 0, got {ell0!r}")
    if eta is not None and not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: expected a positive finite step size, got {eta!r}")
    return evaluate_constants(draw_constants(X0, omega, u, depth), ell0, eta)


def evaluate_constants(c: DrawConstants, ell0: float, eta: float | None) -> PLEvaluation:
    """Ball radius ``R*``, PL constant ``μ = m_L(R*)`` and GD contraction for given constants (a feature
    draw's, :func:`draw_constants`, or a kernel's, :func:`theory.pl.kernel.kernel_constants`), 30 digits."""
    if not (np.isfinite(ell0) and ell0 >= 0):
        raise ValueError(f"ell0: expected a finite initial loss >= 0, got {ell0!r}")
    if eta is not None and not (np.isfinite(eta) and eta > 0):
        raise ValueError(f"eta: expected a positive finite step size, got {eta!r}")
    with mp.workdps(DPS):
        # golden-section search for the maximum of g on (0, r_max) (g is unimodal there); 80 steps
        # shrink the bracket to 0.618^80 ~ 2e-17 of r_max, and g is flat at its maximum, so g_max is off
        # by O(bracket²) ~ 1e-34 relative: 30 digits (R_peak itself only to 17, it is not used further)
        gr = (mp.sqrt(5) - 1) / 2
        a, b = mp.mpf(0), c.r_max
        x1, x2 = b - gr * (b - a), a + gr * (b - a)
        g1, g2 = _g(c, x1, eta), _g(c, x2, eta)
        for _ in range(80):
            if g1 < g2:
                a, x1, g1 = x1, x2, g2
                x2 = a + gr * (b - a)
                g2 = _g(c, x2, eta)
            else:
                b, x2, g2 = x2, x1, g1
                x1 = b - gr * (b - a)
                g1 = _g(c, x1, eta)
        R_peak = (a + b) / 2
        g_max = _g(c, R_peak, eta)
        target = mp.mpf(ell0)
        if target > g_max:
            return PLEvaluation(c, float(ell0), eta, float(R_peak), float(g_max), None, None, None, None)
        a, b = mp.mpf(0), R_peak  # g increases on [0, R_peak]: bisection for g(R) = ell0
        for _ in range(112):  # 2^-112 ~ 2e-34
            mid = (a + b) / 2
            if _g(c, mid, eta) < target:
                a = mid
            else:
                b = mid
        R_star = b
        mu = c.m(R_star)
        M_R = c.M(R_star)
        contraction = None
        descent = _descent_factor(c, R_star, eta)
        if eta is not None:
            contraction = 1 - mp.mpf(eta) * mu * descent
        return PLEvaluation(c, float(ell0), eta, float(R_peak), float(g_max), float(R_star), float(mu),
                            float(M_R), None if contraction is None else float(contraction), float(descent))


def check_feature_constants(c: DrawConstants, omega, X0=None, rtol: float = 1e-12) -> None:
    """The draw's admissibility constants against the statement's definitions: ``κ₁ =`` :func:`kappa1` ``(q,
    ‖Ω‖_op)`` with the operator norm computed independently (``√λ_max(ΩᵀΩ)``, the ``d × d`` Gram, instead of
    an SVD of ``Ω``), and ``κ₀ = sup_x ‖φ(x)‖`` (:func:`theory.pl.model.feature_sup_norm`). A looser ``κ`` only
    weakens ``m_L`` and ``M`` — no gradient-descent measurement can refute it — so it is checked here.
    With the data ``X0``, also ``N`` (the draw's number of samples, which sets the spread ``√N κ₀κ₁``) against
    its rows. ``ValueError`` names the constant that disagrees (``rtol``: float64 round-off of the two norms)."""
    if X0 is not None and c.n_samples != np.asarray(X0).shape[0]:
        raise ValueError(f"n_samples: the draw gives N = {c.n_samples}, the data have {np.asarray(X0).shape[0]} points")
    omega = np.asarray(omega, dtype=np.float64)
    q = omega.shape[0]
    op = math.sqrt(max(float(np.linalg.eigvalsh(omega.T @ omega)[-1]), 0.0))
    want = {"kappa1": float(kappa1(sp.Integer(q), sp.Float(repr(op), 30))), "kappa0": float(feature_sup_norm())}
    for name, w in want.items():
        got = float(getattr(c, name))
        if not abs(got - w) <= rtol * max(abs(w), 1e-300):
            raise ValueError(f"{name}: the draw gives {got!r}, the statement's definition {w!r}")


def check_evaluation(ev: "PLEvaluation", rtol: float = 1e-10) -> None:
    """The 30-digit evaluator against the statement's own SymPy closed forms, at the draw's constants.

    :func:`evaluate_pl` solves the ball condition by golden-section search and bisection on hand-written
    ``mpmath`` forms; the statement is :func:`initial_loss_condition`, :func:`m_draw`, :func:`M_draw`,
    :func:`degeneracy_radius`. Checked, each relative: ``g(R*) = ℒ₀`` (``R*`` a root of the ball condition),
    ``g`` below ``ℒ₀`` just inside ``R*`` (the smallest root: ``g`` increases on ``[0, R_peak]``),
    ``μ = m_L(R*)``, ``M(R*)``, ``r_max``, ``contraction = 1 − ημc(R*)``, ``g_max = g(R_peak)`` with ``R_peak`` a
    maximiser (``g`` not larger at ``R_peak(1 ± 10⁻³)``). The draw's ``κ₀``, ``κ₁`` and ``N`` are checked by
    :func:`check_feature_constants`. ``R*`` is carried as a float
    (relative round-off 2⁻⁵³ ≈ 1e-16, moving ``g`` by ``≤ |R g'/g| 1e-16``, a few 1e-16 here), so ``rtol =
    1e-10`` is round-off with a wide margin, while any slip in a constant of the evaluator moves these
    numbers by ≥ 1e-3. ``ValueError`` names the number that disagrees."""
    c = ev.constants
    subs = {lam0: sp.Float(str(c.lambda0), 40), Lam0: sp.Float(str(c.Lambda0), 40),
            kap0: sp.Float(str(c.kappa0), 40), kap1: sp.Float(str(c.kappa1), 40), N: c.n_samples}
    layers = None if c.depth is None else sp.Integer(int(c.depth))
    step = None if ev.eta is None else sp.Float(repr(float(ev.eta)), 40)

    def val(expr, at=None) -> float:
        e = expr.subs(subs)
        if at is not None:
            e = e.subs(R, sp.Float(repr(float(at)), 40)).subs(r, sp.Float(repr(float(at)), 40))
        return float(sp.N(e, 30))

    def close(name, got, want):
        if got is None or not abs(got - want) <= rtol * max(abs(want), 1e-300):
            raise ValueError(f"{name}: the evaluator gives {got!r}, the statement's closed form {want!r}")

    close("r_max", float(c.r_max), val(degeneracy_radius(layers)))
    g = initial_loss_condition(layers, step)
    close("g_max = g(R_peak)", ev.g_max, val(g, ev.R_peak))
    for side in (1 - 1e-3, 1 + 1e-3):  # the largest initial loss the ball condition allows: R_peak maximises g
        if val(g, ev.R_peak * side) > ev.g_max * (1 + rtol):
            raise ValueError(f"R_peak: g is larger at {side:g}·R_peak than at R_peak; g_max is not its maximum")
    if ev.R_star is None:
        return
    close("g(R*) (the ball condition at R*)", val(g, ev.R_star), float(ev.ell0))
    if not val(g, ev.R_star * (1 - 1e-6)) < float(ev.ell0):
        raise ValueError("R*: the ball condition already holds just inside R*: R* is not its smallest root")
    close("mu = m_L(R*)", ev.mu, val(m_draw(r, layers), ev.R_star))
    M_R = val(M_draw(r), ev.R_star)
    close("M(R*)", ev.M_R, M_R)
    if ev.eta is not None:
        close("contraction = 1 − η μ (1 − η M(R*)/4)", ev.contraction,
              1 - float(ev.eta) * ev.mu * (1 - float(ev.eta) * M_R / 4))


def rff_count_value(n_samples: int, dim: int, lam: float, sigma_p: float, diameter: float, delta: float) -> float:
    """:func:`rff_count` at numbers (mpmath, 30 digits):
    ``16(d+2) N²/λ² · log(2⁸ (2N σ_p diam/λ)²/δ)``."""
    if n_samples < 1:
        raise ValueError(f"n_samples: expected N >= 1, got {n_samples}")
    if dim < 1:
        raise ValueError(f"dim: expected a state dimension d >= 1, got {dim}")
    if not (sigma_p > 0 and math.isfinite(sigma_p)):
        raise ValueError(f"sigma_p: expected a positive finite second moment of the spectral density, got {sigma_p}")
    if not (diameter > 0 and math.isfinite(diameter)):
        raise ValueError(f"diameter: expected a positive finite diameter of the set M, got {diameter}")
    if not lam > 0:
        raise ValueError(f"lam: expected a positive expressivity constant λ, got {lam}")
    if not 0 < delta < 1:
        raise ValueError(f"delta: expected a failure probability in (0, 1), got {delta}")
    with mp.workdps(DPS):
        N_, d_, l_ = mp.mpf(n_samples), mp.mpf(dim), mp.mpf(lam)
        arg = 2**8 * (2 * N_ * mp.mpf(sigma_p) * mp.mpf(diameter) / l_) ** 2 / mp.mpf(delta)
        return float(16 * (d_ + 2) * N_**2 / l_**2 * mp.log(arg))


# ----------------------------------------------------------------------------------------------------
# derivation: nnlimits derive pl-constant
# ----------------------------------------------------------------------------------------------------
def derive_pl_constant() -> Derivation:
    """From the adjoint gradient formula to ``m(r)``, the ball condition, the linear rate and the RFF
    count; every equality checked by SymPy."""
    D = Derivation(
        "Local PL inequality for linearly parametrised ResNets",
        "Barboni, Peyré, Vialard, NeurIPS 2022 (arXiv 2112.05531); working statement of docs/pl.md "
        "(no theorem numbers of the paper are cited)",
    )
    t = sp.Symbol("t", real=True)
    D.define("Model: the state flows by $\\dot x_t = v_t(x_t)$, $v_t = W(t)\\varphi$ in the RKHS $V$ with kernel "
             "$K(x,x') = \\langle\\varphi(x),\\varphi(x')\\rangle I_d$ and $\\|v\\|_V = \\|W\\|_F$; loss "
             "$\\mathcal L(v) = \\frac12\\sum_i\\|x_1^i - y_i\\|^2$. Adjoint: $\\dot p = -Dv_t(x_t)^T p$, "
             "$p_1 = y - x_1$, and $\\nabla\\mathcal L(v)_t = -\\sum_i K(\\cdot, x_t^i) p_t^i$.")
    # ||sum_i K(., x_i) p_i||_V^2 = p^T K p, with explicit features (N = 2, q = 3, d = 1)
    ph = sp.Matrix(2, 3, lambda i, j: sp.Symbol(f"phi_{i}{j}", real=True))
    p1, p2 = sp.symbols("p_1 p_2", real=True)
    P = sp.Matrix([p1, p2])
    grad_W = P.T * ph  # the gradient field is x -> (sum_i p_i phi(x_i))^T phi(x): W = sum_i p_i phi(x_i)^T
    K = ph * ph.T
    D.equal("The gradient at time $t$ is the field $x \\mapsto W_t\\varphi(x)$ with $W_t = -\\sum_i p_t^i "
            "\\varphi(x_t^i)^T$; its $V$-norm is $\\|W_t\\|_F^2 = p_t^T K_t p_t$ (shown for $N = 2$, $q = 3$).",
            (grad_W * grad_W.T)[0, 0], (P.T * K * P)[0, 0])
    # Rayleigh quotient with K = Q diag(mu1, mu2) Q^T
    th = sp.Symbol("theta", real=True)
    mu1, mu2 = sp.symbols("mu_1 mu_2", positive=True)
    Q = sp.Matrix([[sp.cos(th), -sp.sin(th)], [sp.sin(th), sp.cos(th)]])
    K2 = Q * sp.diag(mu1, mu2) * Q.T
    c = Q.T * P
    D.equal("Rayleigh: $p^T K p - \\mu_1\\|p\\|^2 = (\\mu_2 - \\mu_1)(q_2^T p)^2 \\ge 0$ when "
            "$\\mu_1 = \\lambda_{\\min}(K)$, hence $\\|\\nabla\\mathcal L\\|^2 \\ge \\int_0^1 "
            "\\lambda_{\\min}(K_t)\\|p_t\\|^2 dt$.",
            (P.T * K2 * P)[0, 0] - mu1 * (P.T * P)[0, 0], (mu2 - mu1) * c[1] ** 2)
    a = sp.Function("a")
    A = sp.Integral(a(sp.Symbol("s")), (sp.Symbol("s"), t, 1))
    y1 = sp.Symbol("y_1", positive=True)
    D.equal("Adjoint growth: $\\frac{d}{dt}\\|p_t\\|^2 = -2p^T Dv\\, p \\le 2\\|Dv_t\\|_\\infty \\|p_t\\|^2$; the "
            "comparison function $y(t) = e^{-2\\int_t^1 a}\\, \\|p_1\\|^2$ solves $y' = 2a y$, so with "
            "$a = \\|Dv_t\\|_\\infty \\le \\kappa\\|v_t\\|_V$: $\\|p_t\\|^2 \\ge e^{-2\\kappa\\|v\\|}\\|p_1\\|^2$.",
            sp.diff(sp.exp(-2 * A) * y1, t), 2 * a(t) * sp.exp(-2 * A) * y1)
    rr = sp.Matrix(sp.symbols("r_1 r_2", real=True))
    Bm = sp.Matrix([[1, 0, 0], [0, 1, 0]])
    D.equal("Output $B$ with orthonormal rows: $p_1 = B^T(y - Bx_1)$ has $\\|p_1\\|^2 = \\|y - Bx_1\\|^2 = "
            "2\\mathcal L$.", ((Bm.T * rr).T * (Bm.T * rr))[0, 0], (rr.T * rr)[0, 0])
    D.define("Expressivity: flows with $\\|v\\| \\le r$ are bi-Lipschitz with factor $e^{\\kappa r}$, so the "
             "separation $\\delta_0$ of the data becomes at least $\\delta_0 e^{-\\kappa r}$ and "
             "$\\lambda_{\\min}(K_t) \\ge \\lambda(\\delta_0 e^{-\\kappa r})$ ($\\lambda$ non-decreasing).")
    L_ = sp.Symbol(r"\mathcal{L}", positive=True)
    D.equal("Combining: $\\|\\nabla\\mathcal L\\|^2 \\ge \\lambda(\\delta_0e^{-\\kappa r})\\, e^{-2\\kappa r}\\, "
            "2\\mathcal L = m(r)\\,\\mathcal L$.",
            lam_fn(delta0 * sp.exp(-kap * r)) * sp.exp(-kap * r) ** 2 * 2 * L_, m_paper(r) * L_)
    D.equal("Upper function: $p^T K p \\le \\Lambda\\|p\\|^2$ and $\\|p_t\\| \\le e^{\\kappa r}\\|p_1\\|$ give "
            "$\\|\\nabla\\mathcal L\\|^2 \\le M(r)\\,\\mathcal L$.",
            Lam * sp.exp(kap * r) ** 2 * 2 * L_, M_paper(r) * L_)
    # random Fourier features: kappa
    x, om, uu = sp.symbols("x omega u", real=True)
    phi = rff_feature(x, om, uu)
    D.equal("Cos features: $2\\cos^2\\theta = 1 + \\cos 2\\theta$, so $\\|\\varphi(x)\\|^2 = 1 + \\frac1q\\sum_j "
            "\\cos 2\\theta_j \\le 2$: $\\|v\\|_\\infty \\le \\kappa_0\\|v\\|_V$ with $\\kappa_0 = \\sqrt 2$.",
            2 * sp.cos(th) ** 2, 1 + sp.cos(2 * th))
    D.equal("Their derivative: $\\partial_x \\varphi_j = -\\sqrt{2/q}\\,\\sin(\\omega_j x + u_j)\\,\\omega_j$, so "
            "$D\\varphi = -\\sqrt{2/q}\\,\\mathrm{diag}(\\sin\\theta_j)\\,\\Omega$ and $\\|Dv\\|_\\infty \\le "
            "\\kappa_1\\|v\\|_V$ with $\\kappa_1 = \\sqrt{2/q}\\,\\|\\Omega\\|_{op}$; admissibility "
            "$\\kappa = \\kappa_0 + \\kappa_1$.",
            sp.diff(phi, x), -sp.sqrt(2 / sp.Symbol("q", positive=True, integer=True)) * sp.sin(om * x + uu) * om)
    D.equal("Paper's admissibility constant for cos features.", kappa0() + kappa1(), sp.sqrt(2) + kappa1())
    # ball
    Lf = sp.Function(r"\mathcal{L}")
    D.equal("Along gradient flow $\\frac{d}{d\\tau}\\sqrt{\\mathcal L} = \\frac{\\mathcal L'}{2\\sqrt{\\mathcal L}} "
            "= -\\frac{\\|\\nabla\\mathcal L\\|^2}{2\\sqrt{\\mathcal L}} \\le -\\frac{\\sqrt{m}}{2}\\|\\nabla\\mathcal L\\|$ "
            "in the ball, so $\\|v_\\tau\\| \\le \\int\\|\\nabla\\mathcal L\\| \\le 2\\sqrt{\\mathcal L(0)/m(R)}$.",
            sp.diff(sp.sqrt(Lf(tau)), tau), sp.diff(Lf(tau), tau) / (2 * sp.sqrt(Lf(tau))))
    m_R = sp.Symbol("m_R", positive=True)
    sol = sp.solve(sp.Eq(2 * sp.sqrt(ell0 / m_R), R), ell0)
    D.equal("The path stays in $\\|v\\| \\le R$ when $2\\sqrt{\\mathcal L(0)/m(R)} \\le R$, i.e. the initial-loss "
            "condition $\\mathcal L(0) \\le R^2 m(R)/4$.", sol[0], ball_condition(m_R))
    mu = sp.Symbol("mu", positive=True)
    ode = sp.dsolve(sp.Eq(Lf(tau).diff(tau), -mu * Lf(tau)), Lf(tau), ics={Lf(0): ell0})
    D.equal("Linear rate: $\\mathcal L' = -\\|\\nabla\\mathcal L\\|^2 \\le -m(R)\\mathcal L$ and Grönwall give "
            "$\\mathcal L(v_\\tau) \\le e^{-m(R)\\tau}\\mathcal L(0)$.", ode.rhs, gradient_flow_bound(mu))
    D.equal("Gradient descent, $\\beta$-smooth loss: $\\mathcal L_{t+1} \\le \\mathcal L_t - \\eta(1 - \\beta\\eta/2)"
            "\\|\\nabla\\mathcal L_t\\|^2 \\le (1 - \\eta\\mu(1 - \\beta\\eta/2))\\mathcal L_t$; the same telescoping "
            "($\\sqrt a - \\sqrt b \\ge (a - b)/(2\\sqrt a)$) gives the ball condition with $c = 1 - \\beta\\eta/2$.",
            L_ - eta * (1 - beta * eta / 2) * mu * L_, gd_contraction(mu) * L_)
    # RFF count
    D.define("Rahimi–Recht uniform bound: $P[\\sup_{M\\times M}|\\hat k - k| \\ge \\varepsilon] \\le 2^8(\\sigma_p "
             "\\operatorname{diam}M/\\varepsilon)^2 e^{-q\\varepsilon^2/(4(d+2))}$.", None, rahimi_recht_tail())
    D.equal("Gershgorin: $\\lambda_{\\min}(\\hat K) \\ge \\lambda_{\\min}(K) - N\\sup|\\hat k - k| \\ge \\lambda - "
            "N\\varepsilon = \\lambda/2$ at $\\varepsilon = \\lambda/(2N)$.", lam_c - N * lam_c / (2 * N), lam_c / 2)
    qsol = sp.solve(sp.Eq(rahimi_recht_tail().subs(eps, lam_c / (2 * N)), delta_prob), q)
    D.equal("Setting the tail to $\\delta$ at $\\varepsilon = \\lambda/(2N)$ and solving for $q$ gives the count.",
            sp.expand_log(qsol[0], force=True), rff_count())
    D.equal("Expressivity of the Gaussian kernel (Gershgorin, any $N$ points $\\delta$-separated): "
            "$\\lambda(\\delta) = 1 - (N-1)e^{-\\delta^2/(2\\sigma^2)}$.",
            gershgorin_lambda(), 1 - (sp.Symbol("N", positive=True, integer=True) - 1) * gaussian_kernel(
                sp.Symbol("delta", positive=True)))
    # concrete draw
    D.define("For a concrete feature draw: points move by at most $\\kappa_0 r$ and $\\varphi$ is $\\kappa_1$-Lipschitz, "
             "so $\\sigma_{\\min}(\\Phi(X_t)) \\ge \\sqrt{\\lambda_0} - \\sqrt N\\kappa_0\\kappa_1 r$ and $\\lambda_{\\min}"
             "(K_t) \\ge \\tilde\\lambda(r)$, with $\\lambda_0 = \\lambda_{\\min}(\\hat K(X_0))$ computed numerically.",
             sp.Symbol(r"\tilde\lambda(r)"), lambda_tilde())
    w1, w2, w3 = sp.symbols("w_1 w_2 w_3", real=True)
    D.equal("Displacement and adjoint sums (depth $L$, $h = 1/L$, $w_k = \\|W_k\\|_F$): Lagrange's identity "
            "$L\\sum_k w_k^2 - (\\sum_k w_k)^2 = \\sum_{i<j}(w_i - w_j)^2 \\ge 0$ (shown for $L = 3$) gives "
            "$h\\sum_k w_k \\le (h\\sum_k w_k^2)^{1/2} = \\|v\\|$ (Cauchy-Schwarz), so points move by at most "
            "$\\kappa_0\\|v\\|$ and $\\sum_k a_k \\le \\kappa_1\\|v\\|$ for $a_k = h\\kappa_1 w_k$; also $w_k \\le "
            "\\|v\\|/\\sqrt h$, i.e. $a_k \\le \\kappa_1\\|v\\|/\\sqrt L$.",
            3 * (w1**2 + w2**2 + w3**2) - (w1 + w2 + w3) ** 2, (w1 - w2) ** 2 + (w1 - w3) ** 2 + (w2 - w3) ** 2)
    aa = sp.Symbol("a", nonnegative=True)
    D.equal("Euler adjoint $p_k = (I + hW_kD\\varphi(x_k))^T p_{k+1}$, so $\\|p_{k+1}\\| \\ge \\prod_{j>k}(1 - a_j)"
            "\\|p_L\\|$; and $\\log(1 - a) \\ge -a/(1 - a)$ on $[0, 1)$: both sides vanish at 0 and the difference "
            "has derivative $a/(1-a)^2 \\ge 0$.",
            sp.diff(sp.log(1 - aa) + aa / (1 - aa), aa), aa / (1 - aa) ** 2)
    D.equal("Depth-$L$ Euler: the adjoint factor $\\prod_j(1 - a_j) \\ge e^{-\\sum a_j/(1 - a_j)}$ with $a_j \\le "
            "\\kappa_1 r/\\sqrt L$ gives $m_L(r)$, which tends to the ODE limit $2\\tilde\\lambda(r)e^{-2\\kappa_1 r}$.",
            sp.limit(m_draw(r, depth), depth, sp.oo), m_draw(r, None))
    return D
