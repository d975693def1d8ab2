"""The claims' predicted numbers come from theory/, not from literals in proofs_check/claims: the early-stopping
correspondence λ̃ = 1/(2ηk) (theory.spline.early_stopping) and the exponents of the inverse-stability
pathologies and of Theorem 3.1 (theory.stability.families)."""

import inspect

import pytest
import sympy as sp

import proofs_check.claims.spline as spline_claims
import proofs_check.claims.stability as stability_claims
from theory.spline.early_stopping import (correspondence_constant, gd_step_for_time, ridge_equivalent_lambda,
                                          spline_lambda_at_time)
from theory.stability.api import PATHOLOGIES, inverse_stability_exponent, pathology_exponent, pathology_family

PATHOLOGY_CLAIMS = [c for c in stability_claims.CLAIMS if issubclass(c, stability_claims._Pathology)]


# -- early stopping ↔ ridge -------------------------------------------------------------------------------
def test_correspondence_constant_and_its_three_forms_agree():
    assert correspondence_constant() == 1
    eta, k, n, t, g0 = sp.symbols("eta k n t g0", positive=True)
    assert ridge_equivalent_lambda(eta, k) == 1 / (2 * eta * k)
    assert sp.simplify(gd_step_for_time(t, n, k) * 2 * n * k - t) == 0
    # λ̃ = 1/(2ηk) at the step for time t is n/t = λ(t) n g(0) (Theorem 3.8's λ̃ = λ n g(0))
    assert sp.simplify(ridge_equivalent_lambda(gd_step_for_time(t, n, k), k) - n / t) == 0
    assert sp.simplify(spline_lambda_at_time(t, g0) * n * g0 - n / t) == 0


def test_early_stopping_claim_takes_the_constant_from_theory(monkeypatch):
    claim = spline_claims.SplineEarlyStopping()
    by_name = {p.name: p.target for p in claim.predictions((None, 16, None))}
    assert by_name == {"theory": 1.0, "factor-two": 2.0, "per-neuron": 1.0 / 16}
    monkeypatch.setattr(spline_claims, "correspondence_constant", lambda: sp.Integer(3))
    by_name = {p.name: p.target for p in claim.predictions((None, 16, None))}
    assert by_name == {"theory": 3.0, "factor-two": 6.0, "per-neuron": 3.0 / 16}


def test_early_stopping_claim_has_no_step_formula_of_its_own():
    src = inspect.getsource(spline_claims.SplineEarlyStopping)
    assert "2 * n * self.STEPS" not in src and "target=1.0" not in src and "1.0 / (st.g0 * t)" not in src
    assert "gd_step_for_time(" in src and "spline_lambda_at_time(" in src


# -- stability exponents ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PATHOLOGIES)
def test_pathology_exponent_matches_the_family(name):
    fam = pathology_family(name)
    e = pathology_exponent(name)
    assert isinstance(e, sp.Rational)
    expected = fam.parameter_rate if fam.amplification_rate is None else fam.amplification_rate
    assert float(e) == expected


def test_pathology_exponents_are_the_published_values():
    assert {n: pathology_exponent(n) for n in PATHOLOGIES} == {
        "rescaling": sp.Rational(3, 2), "uniform_norm": 1, "inactive_affine": sp.Rational(3, 2),
        "same_direction": sp.Rational(3, 2), "opposite_directions": 2, "compensating_flip": sp.Rational(1, 2)}
    assert inverse_stability_exponent() == sp.Rational(1, 2)


def test_pathology_claims_take_their_exponent_from_theory(monkeypatch):
    assert {c.family for c in PATHOLOGY_CLAIMS} == set(PATHOLOGIES)
    for cls in PATHOLOGY_CLAIMS:
        theory = next(p for p in cls().predictions(None) if p.name == "theory")
        assert theory.value == float(pathology_exponent(cls.family))
    monkeypatch.setattr(stability_claims, "pathology_exponent", lambda name: sp.Rational(7, 3))
    for cls in PATHOLOGY_CLAIMS:
        theory = next(p for p in cls().predictions(None) if p.name == "theory")
        assert theory.value == 7 / 3


def test_inverse_exponent_claim_takes_its_exponent_from_theory(monkeypatch):
    claim = stability_claims.InverseStabilityExponent()
    assert next(p for p in claim.predictions(None) if p.name == "theory").value == 0.5
    monkeypatch.setattr(stability_claims, "inverse_stability_exponent", lambda: sp.Rational(2, 3))
    assert next(p for p in claim.predictions(None) if p.name == "theory").value == 2 / 3
