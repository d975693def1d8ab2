"""Claims of the inverse-stability paper through the engine: each theory CONFIRMED and every mutant
REFUTED by the same test, plus what each claim's details must show."""

import math

import numpy as np
import pytest

from proofs_check.claim import Verdict
from proofs_check.claims import stability
from proofs_check.registry import registry
from proofs_check.testing import check_claim
from theory.stability import api as S



@pytest.mark.parametrize("claim", stability.CLAIMS, ids=lambda c: c.id)
def test_claim_confirmed_and_mutants_refuted(claim, results):
    res = results(claim)
    assert res.verdict is Verdict.CONFIRMED and all(o.verdict is Verdict.REFUTED for o in res.mutants)


PATHOLOGY_CLAIMS = [c for c in stability.CLAIMS if c.id.startswith("stability.pathology.")]


@pytest.mark.parametrize("claim", PATHOLOGY_CLAIMS, ids=lambda c: c.id)
def test_pathology_claims_are_deterministic_without_tolerance(claim, results):
    """Each family is a deterministic function of its instance: no sized tolerance, a derived correction
    order, and the Richardson interval is narrow (the old claims had a ±0.03 tolerance)."""
    assert claim.deterministic and claim.rate_tolerance == 0.0 and claim.correction_reason
    res = results(claim)
    th = res.theory
    assert th.summary["high"] - th.summary["low"] < 0.01
    fam = S.pathology_family(claim.family)
    expected = fam.amplification_rate if fam.realization_rate is not None else fam.parameter_rate
    assert th.predicted == expected


@pytest.mark.parametrize("claim", PATHOLOGY_CLAIMS, ids=lambda c: c.id)
def test_pathology_correction_order_bounds_the_local_slope_decay(claim):
    """On a longer ladder (k = 2^4 … 2^12) the local slopes' differences decay at least like 2^{−q} per
    doubling at the top, and the exact rate lies in the one-step Richardson interval of the quick ladder."""
    from proofs_check.engine import claim_seed
    from proofs_check.verdict import fit_rate

    inst = claim()
    ks = [2.0**j for j in range(4, 13)]
    target = inst.predictions(None)[0].target
    rate = inst.predictions(None)[0].value
    for s in range(2):
        seed = claim_seed(7, claim.id, s)
        v = np.array([inst.experiment(None, k, seed)[target] for k in ks])
        loc = np.diff(np.log(v)) / np.log(2.0)
        d = np.abs(np.diff(loc))
        if d[-2] > 1e-9:
            assert d[-1] <= 2.0 ** -claim.correction_order * d[-2] * 1.1
        q = claim.ladder("quick").values
        sel = [ks.index(k) for k in q]
        fit = fit_rate(q, v[sel][:, None], 0.0, 0.05, claim.correction_order, True)
        assert fit["low"] - 1e-9 <= rate <= fit["high"] + 1e-9


def test_every_paper_pathology_has_a_claim():
    ids = {c.id for c in stability.CLAIMS}
    assert {f"stability.pathology.{n}" for n in S.PATHOLOGIES} <= ids


def test_uniform_norm_sobolev_ratio_stays_bounded(results):
    res = results(stability.PathologyUniformNorm)
    w = res.table("sobolev-no-help")  # the W^{1,∞} amplification, per (k, seed)
    assert np.all(w.max(axis=0) / w.min(axis=0) < 1.1)  # bounded along k
    amp = res.table("theory")
    assert np.all(amp[-1] / amp[0] > 16)  # the L^∞ one grows like k (32× over the ladder)


def test_rescaling_balanced_distance_goes_to_zero(results):
    res = results(stability.PathologyRescaling)
    rows = res.details["rows"]
    bal = [r["dist_balanced"] for r in rows]
    assert bal[-1] < bal[0] / 4 and all(r["dist_param"] > r["k"] * 0.2 for r in rows)


def test_inverse_modulus_is_a_deterministic_worst_case(results):
    """The modulus is the exact worst case of the instance's moves at distance exactly ε: no tolerance, the
    interval is narrow (the old finite-pool maximum needed ±0.05), and the worst move is a relocation."""
    claim = stability.InverseStabilityExponent
    assert claim.deterministic and claim.rate_tolerance == 0.0
    res = results(claim)
    s = res.theory.summary
    assert s["high"] - s["low"] < 0.01 and abs(s["slope"] - 0.5) < 0.005
    assert res.details["C estimated (max dist_param/dist_W^{1/2} over the instances)"] <= res.details["C derived"]
    assert all(r["worst_move"] == "relocate" for r in res.details["rows"])
    omega = res.table("theory")
    eps = np.array(res.levels)[:, None]
    assert np.all(omega <= S.inverse_stability_constant((-1, 1)) * np.sqrt(eps))  # the theorem's bound


def test_inverse_constant_is_sharp(results):
    res = results(stability.InverseStabilityConstant)
    C = res.details["C derived"]
    assert res.details["C measured (max ratio)"] <= C * (1 + 1e-12)
    assert res.details["max ratio, extremal configuration"] > 0.999 * C
    assert res.details["max ratio, random pairs only"] < 0.9 * C
    assert res.details["random pairs used"] > 200


@pytest.mark.parametrize("factor", [0.95, 1.05, 1.5])
def test_inverse_constant_refutes_a_wrong_constant_both_ways(results, factor):
    """A constant 5 % too large is not attained and is refuted (the old BOUND confirmed C × 1.5)."""
    from dataclasses import replace

    from proofs_check.claim import Kind
    from proofs_check.verdict import Criteria, decide

    claim = stability.InverseStabilityConstant
    inst = claim()
    ctx = inst.setup("quick")
    theory = inst.predictions(ctx)[0]
    wrong = replace(theory, value=theory.value * factor)
    ladder = claim.ladder("quick")
    table = np.array([[inst.measure(ctx, inst.experiment(ctx, k, __import__("proofs_check.engine", fromlist=["x"])
                                                         .claim_seed(0, claim.id, s)), wrong)
                       for s in range(ladder.seeds)] for k in ladder.values])
    verdict, _, _ = decide(ladder.values, table, wrong.value, Criteria(Kind.BOUND, rtol=claim.rtol))
    assert verdict is Verdict.REFUTED


def test_expressivity_details(results):
    """Trained restricted nets reach the trained unrestricted loss within the derived ripple allowance, the
    one-orientation set does not (it loses a factor > 1.3 at some width), and the allowance is small."""
    res = results(stability.Expressivity)
    rows = res.details["rows"]
    assert all(r["restricted"] <= 1.0 for r in rows)
    assert all(r["ripple_allowance"] < 1e-2 for r in rows)
    assert max(r["raw_one_orientation"] for r in rows) > 1.3
    assert max(r["raw_ratio"] for r in rows) < 1.01


def test_expressivity_trains_the_restricted_set_without_projection(monkeypatch):
    """The old claim projected the trained unrestricted net onto the restricted set (so it could not fail);
    the restricted networks are now trained from fresh starts and never see the unrestricted ones."""
    def forbidden(*args, **kwargs):
        raise AssertionError("the expressivity check must not project a trained network")

    for name in ("restrict", "absorb_slope"):
        if hasattr(stability, name):
            monkeypatch.setattr(stability, name, forbidden)
    from proofs_check.engine import claim_seed

    claim = stability.Expressivity()
    ctx = claim.setup("quick")
    obs = claim.experiment(ctx, 2.0, claim_seed(0, claim.id, 0))
    assert obs["L_restricted"] > 0 and obs["L_unrestricted"] > 0
    assert obs["trained_each"] == ctx["setting"].restarts * 4


def test_expressivity_refutes_a_restricted_set_that_loses_expressivity():
    """The check can fail: a 'restricted' training that loses a neuron (fewer orientations: σ ≡ +1 only) is
    refuted by the same bound, and so is a set that loses a fixed fraction."""
    from proofs_check.engine import run_claim

    res = run_claim(stability.Expressivity, budget="quick", decisions=16)
    verdicts = {o.name: o.verdict for o in res.outcomes}
    assert verdicts["theory"] is Verdict.CONFIRMED
    assert verdicts["one-orientation"] is Verdict.REFUTED and verdicts["fixed-fraction"] is Verdict.REFUTED
    assert np.any(res.table("one-orientation") > 1.3)


def test_vp_training_keeps_restricted_kinks_inside_the_domain():
    from numerics.stability.fit import train_vp

    x = np.linspace(-0.99, 0.99, 64)
    y = np.abs(x)
    f = train_vp(x, y, np.array([0.9, -0.9]), sigma=np.array([1.0, -1.0]))
    assert np.all((f.params > -1) & (f.params < 1)) and f.loss < 1e-3
    with pytest.raises(ValueError):
        train_vp(x, y, np.array([1.5]), sigma=np.array([1.0]))


def test_convexity_is_symbolic(results):
    """An algebraic identity is checked symbolically, and shown as such (it used to be a BOUND experiment
    measuring −1 in every run)."""
    from proofs_check.claim import Kind, Method

    claim = stability.Convexity
    assert claim.method is Method.SYMBOLIC and claim.kind is Kind.TIGHT
    res = results(claim)
    assert np.all(res.table("theory") == 0.25)
    assert np.all(res.table("convex-in-parameters") == 1 / 64)


def test_list_shows_convexity_as_symbolic(capsys):
    from proofs_check.cli import main

    main(["list"])
    out = capsys.readouterr().out
    line = [ln for ln in out.splitlines() if "stability.convexity" in ln]
    assert line and "symbolic" in " ".join(line)


@pytest.fixture(scope="module")
def powered():
    from proofs_check.engine import run_claim

    cache = {}

    def get(claim):
        if claim.id not in cache:
            cache[claim.id] = run_claim(claim, budget="quick", power=True, decisions=16)
        return cache[claim.id]

    return get


@pytest.mark.parametrize("claim", [c for c in stability.CLAIMS if c.default], ids=lambda c: c.id)
def test_power_targets_at_the_quick_budget(claim, powered):
    res = powered(claim)
    assert res.verdict is Verdict.CONFIRMED
    assert res.power, "a default claim must declare knobs"
    for k in res.power:
        assert k.meets_target(), (k.name, k.resolution)


def test_paper_statements_name_existing_claims():
    reg = registry()
    # the paper as its module states it, then the statements of its claim families in their own modules
    assert reg.papers["stability"].statements[:len(stability.PAPER.statements)] == stability.PAPER.statements
    ids = {c.id for c in stability.CLAIMS}
    named = {s.claim for s in stability.PAPER.statements if s.claim}
    assert named == ids
    assert all(s.note for s in stability.PAPER.statements if s.claim is None)
    assert reg.derivations["sobolev-distance"] is S.derive_sobolev_distance


def test_derive_sobolev_distance_cli(capsys):
    from proofs_check.cli import main

    code = main(["derive", "sobolev-distance"])
    out = capsys.readouterr().out
    assert code == 0 and "W^{1,∞}" in out and "checked" in out and "sharp" in out


def test_claims_are_reproducible():
    a = check_claim(stability.PathologyCompensatingFlip, seed=3)
    b = check_claim(stability.PathologyCompensatingFlip, seed=3)
    assert np.array_equal(a.table("theory"), b.table("theory"))


@pytest.mark.slow
@pytest.mark.parametrize("claim", stability.CLAIMS, ids=lambda c: c.id)
def test_claim_full_budget(claim):
    res = check_claim(claim, budget="full")
    if res.theory.summary.get("slope") is not None and claim.id.startswith("stability.pathology."):
        assert res.theory.summary["low"] <= res.theory.predicted <= res.theory.summary["high"]
    assert not math.isnan(res.seconds)


def test_compensating_flip_claim_checks_its_limit_pair(monkeypatch):
    """The family's limit pair has exactly one compensating flip, both neurons; a flip search that misses the full
    set (or finds another) stops the claim."""
    from proofs_check.claims import stability as sc

    sc._check_limit_flip("x")
    monkeypatch.setattr(sc, "compensating_flips", lambda net: [])
    with pytest.raises(AssertionError, match="one compensating flip"):
        sc._check_limit_flip("x")


def test_pathology_domains_cover_the_thresholds():
    """The instances' domains contain the family's kinks and reach both sides of length 2, radius 1 and l + u = 0."""
    import numpy as np

    from proofs_check.claims import stability as sc

    rng = np.random.default_rng(0)
    doms = [sc.pathology_domain(rng, t) for t in np.linspace(0.25, 0.88, 200)]
    assert all(lo < -t and up > t for (lo, up), t in zip(doms, np.linspace(0.25, 0.88, 200)))
    lengths = [float(up - lo) for lo, up in doms]
    radii = [float(max(-lo, up)) for lo, up in doms]
    centres = [float(lo + up) for lo, up in doms]
    assert min(lengths) < 2 < max(lengths) and min(radii) < 1 < max(radii) and min(centres) < 0 < max(centres)


def test_restricted_report_matches_the_1d_criteria():
    """The pathology claims' cross-check of is_restricted: on random 1-D nets with unit, zero, parallel and
    antiparallel rows, in kink form and with R1's tolerance probed, the report equals the normalisation-free
    criteria (guards against direction keys or orientation tests that depend on which entry is 1 or 0)."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc

    rng = np.random.default_rng(3)
    dom = S.as_box((Fr(-1), Fr(3, 2)))
    for _ in range(40):
        rows = []
        for _ in range(int(rng.integers(1, 6))):
            a, b = (Fr(int(v), 2) for v in rng.integers(-3, 4, 2))
            rows.append((a, b, Fr(int(rng.integers(-3, 4)), 2)))
        if rng.random() < 0.5:  # an exactly balanced (Pythagorean) row, so the R1 probe runs
            rows.append(S.pythagorean_neuron(Fr(1, 3), Fr(2)))
        sc._check_restricted_report("x", S.net_from_rows(rows), dom)


def test_restricted_report_catches_a_normalisation_dependent_key(monkeypatch):
    """A direction key normalised by the first entry other than 1 misses the antipodal pair in kink form."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc
    from theory.stability import restricted

    net = S.net_from_rows([(Fr(2), Fr(1), Fr(1)), (Fr(-2), Fr(-1), Fr(1))])
    dom = S.as_box((Fr(-1), Fr(1)))
    sc._check_restricted_report("x", net, dom)
    monkeypatch.setattr(restricted, "_direction_key", lambda v: tuple(x / next(abs(y) for y in v if y != 1) for x in v))
    with pytest.raises(AssertionError, match="kink form"):
        sc._check_restricted_report("x", net, dom)


def test_rescaled_grid_check_is_two_sided(monkeypatch):
    """The grid rows agree with the search to 1e-9 on every seed tried; a value below the infimum (a limit taken
    where F is unbounded) or a missing vertex stops the claim."""
    from proofs_check.claims import stability as sc

    for e in range(6):
        sc._check_rescaled_grid("x", e, ())
    exact = sc.rescaled_neuron_distance
    monkeypatch.setattr(sc, "rescaled_neuron_distance", lambda g, p: 0.9 * exact(g, p))
    with pytest.raises(AssertionError, match="must agree"):
        sc._check_rescaled_grid("y", 0, ())


def test_extremal_domains_keep_M_and_take_both_signs():
    """The extremal configuration's drawn domains [l', M] keep the right end and the constant, reach l' of both
    signs on [−1, 1], and admit the extremal pair at the coarsest η even on the shortest allowed domain."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc

    rng = np.random.default_rng(1)
    doms = [sc.extremal_domain(rng, (Fr(-1), Fr(1))) for _ in range(200)]
    assert all(up == 1 and -1 <= lo < 1 for lo, up in doms)
    assert min(lo for lo, _ in doms) < 0 < max(lo for lo, _ in doms)
    assert {S.inverse_stability_constant(d) for d in doms} == {S.inverse_stability_constant((Fr(-1), Fr(1)))}
    for _ in range(50):
        d = sc.extremal_domain(rng, (Fr(15, 16), Fr(1)))
        S.extremal_pair(Fr(1, 2**20), Fr(1, 2**8), d)


def test_bottleneck_check_against_brute_force(monkeypatch):
    """The brute-force check of the bottleneck assignment passes on the real one; a permutation that only
    minimises the sum of the entries at or above τ (not a bottleneck matching) stops the claim (guards against an
    inverted threshold mask)."""
    from scipy.optimize import linear_sum_assignment

    from proofs_check.claims import stability as sc

    for e in range(8):
        sc._check_bottleneck("x", e, ())
    real = sc.bottleneck_assignment

    def inverted(cost):
        tau, _ = real(cost)
        big = float(cost.max()) * (len(cost) + 1) + 1.0
        _, c = linear_sum_assignment(np.where(cost >= tau, cost, big))
        return tau, c

    monkeypatch.setattr(sc, "bottleneck_assignment", inverted)
    with pytest.raises(AssertionError, match="brute force"):
        for e in range(8):
            sc._check_bottleneck("inverted", e, ())


@pytest.mark.parametrize("s", ["1/4", "-5/16", "15/32", "-9/16"])
def test_uniform_norm_orbit_closed_form_on_both_sides_of_one(s):
    """√(k max(1, |t|, |t + k⁻²|)) is the orbit distance of the two zero neurons for kinks with |t| < 1 and
    |t| > 1; a padding neuron that is not zero (b = 1 or c = 1, realizing 0 all the same) changes it where
    |t| > 1 — b = 1 on both sides, c = 1 for t < −1, hence the claim's companions ±t' (guards against a non-zero
    padding the realizations cannot see)."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc

    s = Fr(s)
    fam = S.pathology_family("uniform_norm", s=s, domain=sc.UNIFORM_NORM_COMPANION_DOMAIN)
    t = -2 * s / (1 - s * s)
    for k in (16, 512):
        Psi = fam.psi(k)
        sc._check_uniform_norm_orbit("x", s, k, S.orbit_distance(fam.phi(k), Psi).value)
        if abs(t) > 1:
            for pad in ((0, 1, 0), (0, 0, 1)) if t < -1 else ((0, 1, 0),):
                Phi = S.net_from_rows([(0, 0, 0), pad])
                with pytest.raises(AssertionError, match="orbit distance"):
                    sc._check_uniform_norm_orbit("x", s, k, S.orbit_distance(Phi, Psi).value)


def test_inactive_affine_bound_is_valid_and_sharp():
    """The inactive_affine lower bound lies below the exact infimum over the neurons active on D and within the
    factor (1 + M)/(1 + u) of it; a bound looser by (1 + M)/(2 + M), or above the infimum, stops the claim."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc

    for dom in ((Fr(-1), Fr(3, 2)), (Fr(-5, 4), Fr(1, 2)), (Fr(-1, 2), Fr(1))):
        fam = S.pathology_family("inactive_affine", s=Fr(1, 8), r=Fr(3, 4), domain=dom)
        M = float(max(-dom[0], dom[1]))
        for k in (16, 256):
            lb = fam.lower_bound(k)
            sc._check_inactive_bound_sharp("x", fam.phi(k), dom, lb)
            with pytest.raises(AssertionError, match="factor"):
                sc._check_inactive_bound_sharp("x", fam.phi(k), dom, lb * (1 + M) / (2 + M))
            with pytest.raises(AssertionError, match="exceeds"):
                sc._check_inactive_bound_sharp("x", fam.phi(k), dom, lb * (1 + M) / (1 + float(dom[1])) * 1.001)


def test_flip_defect_matches_the_family_definition():
    """δ_k = r²(u_a(s) − u_a(−s + 2⁻⁵/k)) gives the compensating flip's realization distance exactly; the distance
    of a pair built with another offset (2^{−5} replaced by 1/33) does not match it."""
    from fractions import Fraction as Fr

    from proofs_check.claims import stability as sc

    s, r, dom = Fr(-5, 16), Fr(3, 2), (Fr(-1), Fr(13, 8))
    fam = S.pathology_family("compensating_flip", s=s, r=r, domain=dom)
    for k in (16, 128):
        d = S.sobolev_distance(fam.phi(k), fam.psi(k), fam.domain).value
        sc._check_flip_defect("x", s, r, k, dom, d)
        n1, n2 = S.pythagorean_neuron(s, r, sign_c=1), S.pythagorean_neuron(-s + Fr(1, 33) / k, r, sign_c=-1)
        other = abs(n1[2] * n1[0] + n2[2] * n2[0]) * max(Fr(1), max(-dom[0], dom[1]))
        with pytest.raises(AssertionError, match="δ_k"):
            sc._check_flip_defect("x", s, r, k, dom, other)
