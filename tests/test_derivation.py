"""Derivations: checked steps render as checked, a wrong step is refused."""

import pytest
import sympy as sp

from theory.common.derivation import Derivation, symbolically_equal


def test_checked_and_refused_steps():
    x = sp.Symbol("x", real=True)
    d = Derivation("Gaussian integral", "textbook")
    d.define("Let G be the Gaussian.", sp.Function("G")(x), sp.exp(-x**2 / 2))
    d.equal("Its integral.", sp.integrate(sp.exp(-x**2 / 2), (x, -sp.oo, sp.oo)), sp.sqrt(2 * sp.pi))
    with pytest.raises(AssertionError, match="failed its check"):
        d.equal("A wrong constant.", sp.integrate(sp.exp(-x**2 / 2), (x, -sp.oo, sp.oo)), sp.sqrt(sp.pi))
    md = d.to_markdown()
    assert "checked: simplify" in md and r"\sqrt{2} \sqrt{\pi}" in md
    assert d.all_checked and len(d.steps) == 2


def test_symbolically_equal_needs_rewrites():
    x = sp.Symbol("x", real=True)
    assert symbolically_equal(sp.erf(x) + sp.erfc(x), 1)
    assert symbolically_equal(sp.cosh(x), (sp.exp(x) + sp.exp(-x)) / 2)
    assert not symbolically_equal(sp.cosh(x), sp.exp(x) / 2)
