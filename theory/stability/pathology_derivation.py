"""``nnlimits derive pathology-exponents``: the exponents of ``k`` that the pathology claims predict (Berner,
Elbrächter & Grohs, NeurIPS 2019, arXiv 1905.09803, Section 2; docs/stability.md), family by family — the
realization distance's exponent ``ρ`` (its closed form checked in exact rational arithmetic), the parameter
distance's exponent ``p`` (exact distances at two rungs), and the predicted exponent ``p − ρ/2`` of the
amplification ``dist_param / dist_real^{1/2}`` (:func:`theory.stability.families.pathology_exponent`) — and the
exponent ½ of Theorem 3.1 (:func:`theory.stability.families.inverse_stability_exponent`).
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy as sp

from theory.common.derivation import Derivation
from theory.stability.distance import sobolev_distance
from theory.stability.families import (PATHOLOGIES, PATHOLOGY_RATES, inverse_stability_exponent, pathology_exponent,
                                       pathology_family)
from theory.stability.symmetry import orbit_distance, param_distance

#: the two rungs of the exact checks (the claims' quick ladder ends at 512)
_K1, _K2 = 256, 512

_TITLES = {
    "rescaling": "rescaling (λa, λb, c/λ): unbalanced (K u, 1/K²) against (−u, 1/K)",
    "uniform_norm": "the uniform norm: f_K = K[ρ(x − t) − ρ(x − t − K⁻²)], measured in L^∞",
    "inactive_affine": "an inactive neuron of radius K r and an affine one against a bump of size 1/K",
    "same_direction": "cancelling neurons of the same direction (radii ~K) against a bump of size 1/K",
    "opposite_directions": "opposite pairs K[ρ(K u·) − ρ(−K u·)] at the kinks ±t: the same realization",
    "compensating_flip": "two restricted neurons flipped together (c₁a₁ + c₂a₂ = O(1/K)): both in R1–R4",
}


def _rat(v) -> sp.Rational:
    v = Fraction(v)
    return sp.Rational(v.numerator, v.denominator)


def derive_pathology_exponents() -> Derivation:
    """Each pathology family's exponents, checked on the nominal family (``s = 1/4``, ``r = 1``, no base)."""
    d = Derivation("The exponents of the inverse-stability pathologies and of Theorem 3.1",
                   "Berner, Elbrächter & Grohs, NeurIPS 2019 (arXiv 1905.09803), Definition 1.1, Section 2, "
                   "Theorem 3.1; docs/stability.md")
    K = sp.Symbol("k", positive=True)
    rho_s, p_s = sp.symbols("varrho p", real=True)
    d.define("Along a family (Φ_k, Ψ_k), k = 1, 2, 4, …: dist_real(k) = ‖R(Ψ_k) − R(Φ_k)‖ ~ k^ϱ and "
             "dist_param(k) ~ k^p (modulo the symmetries; over Ψ_k's whole orbit where stated). Inverse stability "
             "with exponent ½ (Definition 1.1) bounds dist_param by C dist_real^{1/2}, so the amplification "
             "dist_param/dist_real^{1/2} ~ k^{p − ϱ/2} must stay bounded; a positive exponent is a pathology.",
             sp.Symbol("amplification"), K ** (p_s - rho_s / 2))
    for name in PATHOLOGIES:
        fam = pathology_family(name)
        rho, p = PATHOLOGY_RATES[name]
        nets = {k: (fam.phi(k), fam.psi(k)) for k in (_K1, _K2)}
        dist = {k: sobolev_distance(P, Q, fam.domain, k=fam.norm_k).value for k, (P, Q) in nets.items()}
        par = {k: (orbit_distance(P, Q) if fam.distance == "orbit" else param_distance(P, Q)).value
               for k, (P, Q) in nets.items()}
        norm = "L^∞" if fam.norm_k == 0 else "W^{1,∞}"
        if rho is None:
            d.equal(f"{_TITLES[name]}: the realizations agree exactly on D (dist_real = 0 at k = {_K1}, {_K2}, exact).",
                    sp.Add(_rat(dist[_K1]), _rat(dist[_K2])), sp.Integer(0))
        else:
            closed = {k: fam.realization_distance(k) for k in (_K1, _K2)}
            ratio = _rat(dist[_K2]) / _rat(dist[_K1])
            exact_inv = all(dist[k] == closed[k] for k in (_K1, _K2))

            def rho_check(lhs, rhs, exact_inv=exact_inv, ratio=ratio, name=name):
                if not exact_inv:
                    return False
                slope = math.log2(float(ratio))
                return abs(slope - float(rhs)) < (1e-12 if name != "compensating_flip" else 1e-3)
            d.equal(f"{_TITLES[name]}: the {norm} distance of the realizations equals its closed form at k = {_K1}, "
                    f"{_K2} (exact rationals) and its local exponent log₂(dist(2k)/dist(k)) is ϱ"
                    + (" (exactly: dist ∝ 1/k)." if name != "compensating_flip"
                       else " (to 10⁻³: δ_k = c₁a₁ + c₂a₂ is analytic in 1/k)."),
                    sp.log(ratio, 2), rho, check=rho_check,
                    how="exact distances" if name != "compensating_flip" else "exact distances, slope to 1e-3")
        slope_p = math.log2(par[_K2] / par[_K1])

        def p_check(lhs, rhs, slope_p=slope_p):
            return abs(slope_p - float(rhs)) < 1e-2
        what = "orbit distance (Definition 1.1's infimum: the orbit is complete)" if fam.distance == "orbit" \
            else "balanced distance (best permutation)"
        d.equal(f"… the {what} has the local exponent p = log₂(dist_param({_K2})/dist_param({_K1})) "
                f"= {slope_p:.4f} (to 10⁻²; the next term is O(1/k) relative).",
                sp.Symbol(f"p_{{{name.replace('_', ' ')}}}"), p, check=p_check, how="exact distances, slope to 1e-2")
        if rho is None:
            d.equal("… so the prediction is the parameter distance's exponent p itself (pathology_exponent).",
                    pathology_exponent(name), p)
        else:
            d.equal("… so the amplification exponent p − ϱ/2 is (pathology_exponent):",
                    p - rho / 2, pathology_exponent(name))
    J, t = sp.symbols("J t", positive=True)
    radius = sp.sqrt(J * sp.sqrt(1 + t**2))
    d.define("Theorem 3.1 on R1–R5: a balanced neuron (|c| = ‖(a, b)‖) with kink t and derivative jump J has radius",
             sp.Symbol("r"), radius)
    d.equal("A relocated neuron of jump J ~ ε moves the realization by ~ε and the parameters by r ~ ε^{1/2}: the "
            "exponent of the inverse's modulus of continuity is the elasticity of r in J (inverse_stability_exponent).",
            sp.simplify(J * sp.diff(radius, J) / radius), inverse_stability_exponent())
    d.feeds = [f"stability.pathology.{n}" for n in PATHOLOGIES] + ["stability.inverse"]
    d.command = "nnlimits verify 'stability.*'"
    return d
