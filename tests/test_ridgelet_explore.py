"""Exploring the ridgelet claims over their settings: admissible (σ, ρ) pairs and targets for the reconstruction
formula, β and targets for the ridge limit; planted theories wrong on part of the setting space are found and
shrunk to the boundary; inadmissible settings are refused with a clear message."""

import json

import pytest

from proofs_check.claims import ridgelet as rc
from proofs_check.cli import main
from proofs_check.engine import canonical_setting, instantiate
from proofs_check.explore import draw_settings, explore


class PlantedReconstruction(rc.Reconstruction):
    """A theory right for every σ but ReLU: there ``((ReLU, G^{(k)}))`` is taken as ``((step, G^{(k−1)}))``,
    the identity ``((σ′, ρ)) = ((σ, −ρ′))`` applied without its sign."""

    id = "ridgelet.planted_reconstruction"

    def constant(self, st):
        c = super().constant(st)
        return -c if st.sigma == "relu" else c


class PlantedRERM(rc.RERMSpectrum):
    """A ridge limit right for β ≤ 8 and wrong above: the penalty capped at 8 (β = min(β, 8))."""

    id = "ridgelet.planted_rerm"

    def setup(self, budget):
        ctx = super().setup(budget)
        st = ctx["setting"]
        if st.beta > 8.0:
            ctx["predictions"][0] = rc.replace(ctx["predictions"][0],
                                               target=("dual", rc._box_dual(ctx, 8.0), 1.0))
        return ctx


#: so that `nnlimits verify --claims tests/test_ridgelet_explore.py ridgelet.planted_* --explore N` runs them
CLAIMS = [PlantedReconstruction, PlantedRERM]
DEFAULT_TARGET = [["bump", 1.0, 0.0, 1.0]]


def test_default_settings_are_the_shrunk_examples_and_admissible():
    for claim in (rc.Reconstruction, rc.RERMSpectrum):
        inst = instantiate(claim, canonical_setting(claim.default_setting()))
        assert inst.setting == claim.default_setting()
    assert rc.reconstruction_setting(rc.Reconstruction.default_setting()) == rc.ReconstructionSetting()
    assert rc.rerm_setting(rc.RERMSpectrum.default_setting()) == rc.RERMSetting()
    drawn = [json.loads(s) for s in draw_settings(rc.Reconstruction, 40, 7)]
    assert {d["sigma"] for d in drawn} == {"gaussian", "relu", "step", "tanh"}
    for d in drawn:  # every drawn pair is admissible and computed by the check
        rc.check_reconstruction_setting(d)


def test_reconstruction_planted_relu_constant_found_and_shrunk(tmp_path):
    (ex,) = explore([PlantedReconstruction], 6, root_seed=100, directory=tmp_path)
    assert ex.refuted and all(json.loads(r.setting)["sigma"] == "relu" for r in ex.refuted)
    assert all(r.theory.verdict.value == "CONFIRMED" for r in ex.runs if json.loads(r.setting)["sigma"] != "relu")
    assert ex.shrunk
    # the boundary: the default target with ReLU σ and its lowest admissible order
    assert json.loads(ex.minimal.setting) == {"sigma": "relu", "rho": ["G", 4], "target": DEFAULT_TARGET}
    assert ex.reproduce().startswith("nnlimits verify ridgelet.planted_reconstruction --setting ")
    (ok,) = explore([rc.Reconstruction], 6, root_seed=100)
    assert not ok.refuted and all(r.verdict.value == "CONFIRMED" for r in ok.runs)


def test_rerm_planted_beta_cap_found_and_shrunk(tmp_path):
    (ex,) = explore([PlantedRERM], 5, root_seed=100, directory=tmp_path, max_shrink_runs=12)
    assert ex.refuted and all(json.loads(r.setting)["beta"] > 8 for r in ex.refuted)
    # the boundary: the first β above the cap, on the default target
    assert json.loads(ex.minimal.setting) == {"beta": 12.0, "target": DEFAULT_TARGET}
    (ok,) = explore([rc.RERMSpectrum], 5, root_seed=100)
    assert not ok.refuted and all(r.verdict.value == "CONFIRMED" for r in ok.runs)


@pytest.mark.parametrize("setting, message", [
    ({"sigma": "relu", "rho": ["G", 3], "target": DEFAULT_TARGET}, "by symmetry"),
    ({"sigma": "gaussian", "rho": ["G", 0], "target": DEFAULT_TARGET}, "diverges at ω = 0"),
    ({"sigma": "relu", "rho": ["G", 2], "target": DEFAULT_TARGET}, "does not pair"),
    ({"sigma": "gaussian", "rho": ["tanh_ridgelet", 1], "target": DEFAULT_TARGET}, "by symmetry"),
    ({"sigma": "step", "rho": ["G", 2], "target": DEFAULT_TARGET}, "by symmetry"),
])
def test_non_admissible_pair_is_refused(setting, message, capsys):
    assert main(["verify", "ridgelet.reconstruction", "--setting", json.dumps(setting), "--no-report"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "setting sigma, rho" in err and "is not an admissible pair" in err and message in err


@pytest.mark.parametrize("claim, setting, message", [
    ("ridgelet.reconstruction", {"sigma": "softplus", "rho": ["G", 2], "target": DEFAULT_TARGET}, "setting sigma"),
    ("ridgelet.reconstruction", {"sigma": "tanh", "rho": ["G", 3], "target": DEFAULT_TARGET}, "setting rho"),
    ("ridgelet.reconstruction", {"sigma": "gaussian", "rho": ["G", 2], "target": [["bump", 1.0, 0.0, 3.0]]},
     "setting target"),
    ("ridgelet.reconstruction", {"sigma": "gaussian", "rho": ["G", 2], "target": [["hat", 1.0, 0.1, 1.0]]},
     "setting target"),
    ("ridgelet.rerm_spectrum", {"beta": -1.0, "target": DEFAULT_TARGET}, "setting beta: expected a ridge penalty"),
    ("ridgelet.rerm_spectrum", {"beta": 8.0}, "setting: expected an object with keys"),
])
def test_settings_outside_the_check_are_refused(claim, setting, message, capsys):
    assert main(["verify", claim, "--setting", json.dumps(setting), "--no-report"]) == 2
    assert message in " ".join(capsys.readouterr().err.split())


def test_reconstruction_rate_depends_on_the_pair_and_the_target():
    for sigma, rho, q in (("gaussian", ["G", 4], 4), ("relu", ["G", 4], 2), ("step", ["G", 5], 4),
                          ("tanh", ["tanh_ridgelet", 1], 2)):
        st = rc.reconstruction_setting({"sigma": sigma, "rho": rho, "target": DEFAULT_TARGET})
        assert st.rate == -q
        hat = rc.reconstruction_setting({"sigma": sigma, "rho": rho, "target": [["hat", 1.0, 0.0, 1.0]]})
        assert hat.rate == -1.0
