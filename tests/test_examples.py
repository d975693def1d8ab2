"""Every example script reproduces its paper's figures from a clean state: exit 0 and non-empty PNGs."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))
FIGURES = {
    "adapted_spline": ("widths", "weight", "rate", "early_stopping"),
    "inverse_stability": ("pathologies", "exponent", "functions"),
    "min_norm": ("regions", "implicit_bias", "schedule", "cost"),
    "resnet_pl": ("loss", "ratio", "pair"),
    "ridgelet_spectrum": ("",),
    "stability_d2": ("modulus", "pathologies"),
    "minnorm_d2": ("regions", "line"),
    "spline_loss": ("limits", "rate"),
    "pl_kernel": ("gram", "loss", "gap"),
    "ridgelet_md": ("",),
}


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_writes_its_figures(script, tmp_path):
    run = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    pngs = {p.name: p.stat().st_size for p in tmp_path.glob("*.png")}
    for name in FIGURES[script.stem]:
        stem = f"{script.stem}_{name}" if name else script.stem
        match = [n for n in pngs if n.startswith(stem)]
        assert match and all(pngs[n] > 10_000 for n in match), (stem, sorted(pngs))
