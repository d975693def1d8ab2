"""Imports flow one way: proofs_check → theory, numerics. theory has no numba; numerics has no SymPy."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "theory": {"numba", "numerics", "proofs_check"},
    "numerics": {"sympy", "theory", "proofs_check"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layering(package):
    bad = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        hit = _imports(path) & FORBIDDEN[package]
        if hit:
            bad[str(path.relative_to(ROOT))] = sorted(hit)
    assert not bad, f"{package}/ imports across the layering rule: {bad}"


PAPERS = ("spline", "ridgelet", "stability", "pl", "minnorm")


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_one_subpackage_per_paper_with_its_public_api(package):
    """theory/ and numerics/ mirror the claims: one subpackage per paper (plus ``common``), each stating its
    public API in ``__all__``, every listed name importable."""
    import importlib

    assert not [p.name for p in (ROOT / package).glob("*.py") if p.name != "__init__.py"], "modules outside a paper"
    for sub in PAPERS + ("common",):
        mod = importlib.import_module(f"{package}.{sub}")
        assert mod.__all__, f"{package}.{sub} states no public API"
        for name in mod.__all__:
            assert getattr(mod, name) is not None
