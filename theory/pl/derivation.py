"""``nnlimits derive rff-count``: the number of random Fourier features that keeps ``λ_min(K̂) ≥ λ/2`` with
probability ``1 − δ`` (Barboni, Peyré & Vialard, NeurIPS 2022, arXiv 2112.05531, the RFF recipe of docs/pl.md;
Rahimi & Recht 2007, Claim 1), step by step, every equality checked by SymPy (or, for the implementation at
numbers, against it in floating point). The count is :func:`theory.pl.constants.rff_count` /
:func:`theory.pl.constants.rff_count_value`; claim ``pl.rff_threshold``.
"""

from __future__ import annotations

import sympy as sp

from theory.common.derivation import Derivation
from theory.pl.constants import (N, d, delta_prob, diam, eps, lam_c, q, rahimi_recht_tail, rff_count, rff_count_value,
                                 sigma_p_sym)
from theory.pl.model import gaussian_kernel, rff_feature, sigma_p

#: illustrative numbers for the check of the implementation (the claim's λ and diam M come from its data)
_AT = {"n_samples": 4, "dim": 2, "lam": 0.375, "sigma": 1.0, "diameter": 6.5, "delta": 0.1}


def _float_close(digits: int):
    def check(lhs, rhs) -> bool:
        l_, r_ = float(sp.N(lhs, 30)), float(sp.N(rhs, 30))
        return abs(l_ - r_) <= 10.0 ** -digits * max(1.0, abs(r_))
    return check


def derive_rff_count() -> Derivation:
    """From Bochner's features to the count ``q* = 16(d+2)N²/λ² log(2⁸(2Nσ_p diam M/λ)²/δ)`` and its growth."""
    D = Derivation("How many random Fourier features keep λ_min(K̂) ≥ λ/2: the count q*",
                   "Barboni, Peyré & Vialard, NeurIPS 2022 (arXiv 2112.05531), the RFF recipe of docs/pl.md; "
                   "Rahimi & Recht 2007, Claim 1")
    x, y, om, u, z = sp.symbols("x y omega u z", real=True)
    sig = sp.Symbol("sigma", positive=True)
    qq = sp.Symbol("q", positive=True, integer=True)
    D.define("Features φ_j(x) = √(2/q) cos(ω_j x + u_j), ω_j ~ N(0, σ⁻²) (per coordinate), u_j ~ U[0, 2π); the "
             "Gram matrix K̂ = ΦΦᵀ of the N data points estimates the Gaussian kernel's K.", sp.Function("phi_j")(x),
             rff_feature(x, om, u, qq))
    D.equal("Averaging the phase: E_u[2 cos(ωx + u) cos(ωy + u)] = cos(ω(x − y)).",
            sp.integrate(2 * sp.cos(om * x + u) * sp.cos(om * y + u), (u, 0, 2 * sp.pi)) / (2 * sp.pi),
            sp.cos(om * (x - y)))
    D.equal("Averaging the frequency (Bochner): E_ω cos(ωz) = e^(−z²/(2σ²)), the Gaussian kernel, so E K̂ = K.",
            sp.integrate(sp.cos(om * z) * sp.exp(-om**2 * sig**2 / 2) * sig / sp.sqrt(2 * sp.pi), (om, -sp.oo, sp.oo)),
            gaussian_kernel(z, sig))
    D.equal("The second moment of the spectral density per coordinate is E ω² = 1/σ², so σ_p² = E‖ω‖² = d/σ² "
            "(theory.pl.model.sigma_p: √d/σ).",
            sp.integrate(om**2 * sp.exp(-om**2 * sig**2 / 2) * sig / sp.sqrt(2 * sp.pi), (om, -sp.oo, sp.oo)),
            1 / sig**2)
    D.define("Rahimi–Recht's uniform bound over M × M (diam M the data's diameter):", sp.Symbol(r"P[\sup|\hat k - k| \geq \varepsilon]"),
             rahimi_recht_tail())
    D.equal("It decreases in q (its derivative is −ε²/(4(d+2)) times itself), so every q above a sufficient count "
            "is sufficient.", sp.diff(rahimi_recht_tail(), q), -eps**2 / (4 * (d + 2)) * rahimi_recht_tail())
    D.equal("Weyl and Gershgorin: λ_min(K̂) ≥ λ_min(K) − ‖K̂ − K‖₂ ≥ λ − N sup|k̂ − k|; at ε = λ/(2N) this is λ/2.",
            lam_c - N * (lam_c / (2 * N)), lam_c / 2)
    qsol = sp.solve(sp.Eq(rahimi_recht_tail().subs(eps, lam_c / (2 * N)), delta_prob), q)
    D.equal("Setting the tail at ε = λ/(2N) equal to δ and solving for q gives the count q* (theory.pl.constants.rff_count).",
            sp.expand_log(qsol[0], force=True), rff_count())
    at = _AT
    sp_v = sigma_p(at["dim"], at["sigma"])
    subs = {N: at["n_samples"], d: at["dim"], lam_c: sp.Float(at["lam"], 30), sigma_p_sym: sp.Float(sp_v, 30),
            diam: sp.Float(at["diameter"], 30), delta_prob: sp.Float(at["delta"], 30)}
    D.equal(f"The implementation rff_count_value (mpmath) at N = {at['n_samples']}, d = {at['dim']}, λ = {at['lam']}, "
            f"σ = {at['sigma']} (σ_p = √d/σ), diam M = {at['diameter']}, δ = {at['delta']} equals the formula "
            "(float, 14 digits).",
            sp.Float(rff_count_value(at["n_samples"], at["dim"], at["lam"], sp_v, at["diameter"], at["delta"]), 17),
            rff_count().subs(subs), check=_float_close(14), how="float, 14 digits")
    lam_fixed = sp.Symbol("lambda", positive=True)
    D.equal("Growth at a fixed λ: q*/(N² log N) → 32(d + 2)/λ² as N → ∞ — the count grows like N² log N, while "
            "the rank bound q ≥ N is only necessary (the finding of pl.rff_threshold: q* is conservative by a factor "
            "≈ 230 at N = 2 that grows with N).",
            sp.limit(rff_count().subs(lam_c, lam_fixed) / (N**2 * sp.log(N)), N, sp.oo), 32 * (d + 2) / lam_fixed**2)
    D.define("The claim sweeps q = 1, 2, 4, … for N = 2, 4 separated points in R² (σ = 1, δ = 0.1, λ = λ_min(K) "
             "computed on the data) and checks that the empirical probability of λ_min(K̂) ≥ λ/2 is ≥ 1 − δ from q* "
             "on: the measured ratio q_emp/q* ≤ 1. Its mutants, the counts N and N log(N/δ), are refuted.",
             sp.Symbol(r"\text{bound on } q_{emp}/q^{*}"), sp.Integer(1))
    D.feeds = ["pl.rff_threshold"]
    D.command = "nnlimits verify pl.rff_threshold"
    return D
