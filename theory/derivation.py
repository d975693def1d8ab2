"""Derivations a teacher can hand out: Markdown with LaTeX, every equality checked by SymPy.

A :class:`Derivation` is a list of :class:`Step`. A step states ``lhs = rhs`` with a sentence of
explanation; it is *checked* when SymPy proves ``simplify(lhs - rhs) == 0`` (or an equivalent check passed
in by the caller, e.g. a 30-digit mpmath comparison for an integral SymPy cannot close). Rendering refuses
to call an unchecked step checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp


def symbolically_equal(lhs: sp.Expr, rhs: sp.Expr) -> bool:
    """``simplify(lhs - rhs) == 0``, trying a few stronger normal forms before giving up."""
    diff = sp.sympify(lhs) - sp.sympify(rhs)
    for transform in (sp.simplify, lambda e: sp.simplify(sp.expand(sp.powsimp(e, force=True))),
                      lambda e: sp.simplify(e.rewrite(sp.erf)),  # erf + erfc, erfi: one function
                      lambda e: sp.simplify(e.rewrite(sp.exp))):
        try:
            if transform(diff) == 0:
                return True
        except Exception:  # pragma: no cover - SymPy may fail on some rewrites
            continue
    return False


@dataclass
class Step:
    """One step ``lhs = rhs``; ``how`` names the check ("simplify", "mpmath 30 digits", "definition")."""

    text: str
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    checked: bool = False
    how: str = ""

    def to_markdown(self) -> str:
        mark = f" *(checked: {self.how})*" if self.checked else (" *(definition)*" if self.how == "definition" else "")
        out = self.text + mark
        if self.lhs is not None and self.rhs is not None:
            out += f"\n\n$$ {sp.latex(self.lhs)} = {sp.latex(self.rhs)} $$"
        elif self.rhs is not None:
            out += f"\n\n$$ {sp.latex(self.rhs)} $$"
        return out


@dataclass
class Derivation:
    title: str
    reference: str = ""
    steps: list[Step] = field(default_factory=list)

    def define(self, text: str, lhs: sp.Expr | None = None, rhs: sp.Expr | None = None) -> Step:
        """A definition or an assumption: displayed, nothing to check."""
        step = Step(text, lhs, rhs, checked=False, how="definition")
        self.steps.append(step)
        return step

    def equal(self, text: str, lhs: sp.Expr, rhs: sp.Expr,
              check: Callable[[sp.Expr, sp.Expr], bool] | None = None, how: str = "simplify") -> Step:
        """A claimed equality, checked now; raises ``AssertionError`` if the check fails."""
        ok = (check or symbolically_equal)(lhs, rhs)
        if not ok:
            raise AssertionError(f"derivation step failed its check ({how}): {text}: {lhs} != {rhs}")
        step = Step(text, lhs, rhs, checked=True, how=how)
        self.steps.append(step)
        return step

    @property
    def all_checked(self) -> bool:
        return all(s.checked or s.how == "definition" for s in self.steps)

    def to_markdown(self) -> str:
        head = f"# {self.title}\n"
        if self.reference:
            head += f"\n*{self.reference}*\n"
        body = "\n\n".join(f"{i}. {s.to_markdown()}" for i, s in enumerate(self.steps, 1))
        n_checked = sum(s.checked for s in self.steps)
        foot = f"\n\n---\n{n_checked} of {len(self.steps)} steps checked by SymPy/mpmath; the rest are definitions."
        return head + "\n" + body + foot
