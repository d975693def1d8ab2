"""Claims of the ridgelet paper through the engine (theory CONFIRMED, every mutant REFUTED by the same test),
their measured values, the paper record and the derivation topic."""

import math

import numpy as np
import pytest

from proofs_check.claim import Verdict
from proofs_check.claims import ridgelet as rc
from proofs_check.registry import registry
from theory.ridgelet.derivation import derive_ridgelet

DEFAULT = [c for c in rc.CLAIMS if c.default]



@pytest.mark.parametrize("claim", DEFAULT, ids=lambda c: c.id)
def test_claim_confirmed_and_mutants_refuted(claim, results):
    res = results(claim)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


@pytest.mark.slow
def test_sgd_claim_confirmed_and_mutants_refuted(results):
    res = results(rc.RERMSGD)
    assert res.verdict is Verdict.CONFIRMED
    rows = res.details["rows"]
    assert all(r["hidden_drift_max"] < 0.05 for r in rows)  # lazy: the hidden cloud barely moves


def test_quadrature_paths_measure_the_same_errors(results):
    direct = results(rc.QuadratureDirect).table("theory")
    fast = results(rc.QuadratureFast).table("theory")
    assert np.allclose(direct, fast, rtol=1e-6)
    ratios = direct[:-1, 0] / direct[1:, 0]
    assert np.all(np.abs(ratios - 4.0) < 0.01)  # order 2, already asymptotic at N = 32


def test_reconstruction_error_is_the_truncation_error(results):
    """The measured max error equals the closed-form truncation error −2π[(1+2/A²)^{−1/2}e^{−x²/(2s²)} − e^{−x²/2}]
    (every quadrature error is far below it)."""
    res = results(rc.Reconstruction)
    x = np.array(rc.ReconstructionSetting().x_eval)
    for level, measured in zip(res.levels, res.table("theory")[:, 0]):
        s2 = 1 + 2 / level**2
        exact = np.max(np.abs(2 * np.pi * (s2**-0.5 * np.exp(-x * x / (2 * s2)) - np.exp(-x * x / 2))))
        assert measured == pytest.approx(exact, rel=1e-8)


def test_rerm_distances_fall_and_mutants_plateau(results):
    res = results(rc.RERMSpectrum)
    theory = res.table("theory").mean(axis=1)
    assert theory[-1] < theory[0] / 8  # 256 times more units
    for name in ("rho-G3", "beta-x2", "unbounded-formula", "beta-5pct"):
        assert res.table(name).mean(axis=1)[-1] > 2 * theory[-1]
    assert res.details["b_truncation_bound"] < 1e-25


# ---- power: every default claim resolves its knobs at the quick budget -------------------------------------
@pytest.mark.parametrize("claim", DEFAULT, ids=lambda c: c.id)
def test_power_targets_met(claim, results):
    res = results(claim)
    assert res.power, "no knobs"
    for k in res.power:
        assert k.meets_target(), (k.name, k.resolution, k.target)


def test_rerm_spectrum_resolves_its_constants(results):
    """β, the box half-width, the kernel's scale and the unit mass are knobs resolved at 5 %, and a β 5 % off is a
    refuted mutant (the plateau of the old design left β × 1.05, 1.1 and 1.2 unrefuted)."""
    res = results(rc.RERMSpectrum)
    knobs = {k.name: k for k in res.power}
    assert {"beta", "box-A", "kernel-scale", "unit-mass", "exponent"} <= set(knobs)
    assert all(knobs[n].target == 0.05 and knobs[n].meets_target() for n in ("beta", "box-A", "kernel-scale", "unit-mass"))
    assert knobs["exponent"].meets_target() and knobs["exponent"].target == 0.1
    assert next(o for o in res.mutants if o.name == "beta-5pct").verdict is Verdict.REFUTED
    assert rc.RERMSpectrum.rate_tolerance == 0.0


def test_rerm_measure_is_the_distance_at_the_units():
    """The moment form of the RMS distance equals the distance computed at the units."""
    from proofs_check.crn import claim_seed
    from numerics.ridgelet import two_layer as tl

    claim = rc.RERMSpectrum()
    ctx = claim.setup("quick")
    st = ctx["setting"]
    obs = claim.experiment(ctx, 512.0, claim_seed(3, claim.id, 0))
    a, b = rc._hidden_draw(claim_seed(3, claim.id, 0), 512, st)
    fit = tl.ridge_output_layer(ctx["x"], ctx["w"], ctx["y"], a, b, st.sigma, st.beta, st.volume)
    for pred in claim.predictions(ctx):
        if pred.target[0] != "dual":
            continue
        _, u, s = pred.target
        ref = s * tl.spectrum_from_dual(ctx["x"], ctx["w"], u, a, b, st.sigma)
        own = tl.spectrum_from_dual(ctx["x"], ctx["w"], ctx["dual"], a, b, st.sigma)
        direct = np.sqrt(np.mean((fit.gamma - ref) ** 2) / np.mean(own**2))
        assert claim.measure(ctx, obs, pred) == pytest.approx(direct, rel=1e-7)


def test_rerm_draws_are_independent_across_widths():
    from proofs_check.crn import claim_seed

    seed = claim_seed(0, "ridgelet.rerm_spectrum", 0)
    a1, _ = rc._hidden_draw(seed, 128, rc.RERMSetting())
    a2, _ = rc._hidden_draw(seed, 256, rc.RERMSetting())
    assert not np.any(np.isin(a1, a2))


def test_sgd_claim_refutes_the_quarter_rate_without_a_stated_window():
    """The SGD claim has no sized tolerance, and the rate p^{-1/4} is one of its mutants."""
    assert rc.RERMSGD.rate_tolerance == 0.0
    claim = rc.RERMSGD()
    names = {p.name: p for p in claim.predictions(claim.setup("quick"))}
    assert names["rate-1/4"].mutant and names["rate-1/4"].value == -0.25


@pytest.mark.parametrize("claim", [rc.QuadratureDirect, rc.QuadratureFast, rc.Reconstruction, rc.RERMBoxLimit],
                         ids=lambda c: c.id)
def test_deterministic_claims_use_a_derived_correction_order(claim, results):
    """Decided by the top local slope with a Richardson bias bound of order 2 (Euler–Maclaurin / a series in
    A^{-2}); no sized tolerance (the quadrature claims keep only a round-off allowance)."""
    assert claim.deterministic and claim.correction_order == 2.0 and claim.correction_reason
    assert claim.rate_tolerance <= 0.003
    if claim.rate_tolerance:
        assert "round-off" in claim.rate_tolerance_reason
    res = results(claim)
    assert "deterministic" in res.theory.summary["interval"]
    assert res.theory.summary["high"] - res.theory.summary["low"] < 0.02


def test_constant_knobs_of_the_deterministic_claims(results):
    assert {k.name for k in results(rc.Reconstruction).power} == {"exponent", "admissibility"}
    assert {k.name for k in results(rc.RERMBoxLimit).power} == {"exponent", "beta", "admissibility"}


def test_box_limit_errors(results):
    res = results(rc.RERMBoxLimit)
    err = res.table("theory")[:, 0]
    assert np.all(np.abs(err[:-1] / err[1:] - 4.0) < 0.2)
    assert np.all(res.table("no-beta")[:, 0] > 0.2)


def test_mutant_rho_is_normalised_to_the_same_constant():
    assert rc._mutant_rho_scale(1) == pytest.approx(-1.0, rel=1e-15)  # ((G′,G′)) = 2π, ((G′,G‴)) = −2π


def test_graded_rule_integrates_the_a_integrand():
    a, w = rc.graded_gauss_legendre(32.0)
    assert w.sum() == pytest.approx(64.0, rel=1e-14)
    f = 1 / (1 + a * a) ** 1.5  # singularities at ±i, like the spectrum's
    assert np.dot(w, f) == pytest.approx(2 * 32 / math.sqrt(1 + 32**2), rel=1e-12)


def test_paper_statements_name_existing_claims():
    reg = registry()
    # the paper as its module states it, then the statements of its claim families in their own modules
    assert reg.papers["ridgelet"].statements[:len(rc.PAPER.statements)] == rc.PAPER.statements
    ids = {c.id for c in rc.CLAIMS}
    named = {s.claim for s in rc.PAPER.statements if s.claim}
    assert named == ids
    assert all(s.note for s in rc.PAPER.statements if s.claim is None)
    assert reg.derivations["ridgelet"] is derive_ridgelet
    assert [c.id for c in reg.select(None) if c.paper == "ridgelet"] == [c.id for c in DEFAULT]


def test_relu_reconstruction_reaches_the_other_gamma_branch():
    """((ReLU, G^{(6)})) = 4√(2π) exactly: the reduced integrand √(2π)|ω|³e^{−ω²/2} (exponent 3, Gaussian rate ½),
    where a wrong power of the rate or a wrong Gamma argument changes the number (the Gaussian pair's
    ω e^{−ω²} does not tell them apart)."""
    import sympy as sp

    st = rc.reconstruction_setting(rc.ReconstructionReLU.default_setting())
    assert (st.sigma, st.rho, st.k, st.order) == ("relu", "G", 6, 4)
    assert sp.simplify(rc._admissibility("relu", "G", 6) - 4 * sp.sqrt(2 * sp.pi)) == 0
    assert rc.ReconstructionReLU.default and rc.ReconstructionReLU.id != rc.Reconstruction.id


def test_rerm_order_setting():
    """``k`` (σ = G^{(k)}) is an optional key of the RERM setting, 1 or 2; the Mexican-hat claim runs k = 2 with the
    ρ = G^{(4)} mutant, and a bad order is refused naming the key."""
    target = [["bump", 1.0, 0.0, 1.0]]
    assert rc.rerm_setting({"beta": 8.0, "target": target}).k == 1
    assert rc.rerm_setting(rc.RERMSpectrumMexicanHat.default_setting()).k == 2
    for bad in (3, 0, True, 1.0):
        with pytest.raises(ValueError, match="setting k"):
            rc.check_rerm_setting({"beta": 8.0, "target": target, "k": bad})
    with pytest.raises(ValueError, match="optionally 'k'"):
        rc.check_rerm_setting({"beta": 8.0, "target": target, "order": 2})
