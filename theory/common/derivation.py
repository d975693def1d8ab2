"""Derivations a teacher can hand out: Markdown, a standalone LaTeX article, or a Jupyter notebook, every
equality checked by SymPy (or at ≥ 30 digits by mpmath).

A :class:`Derivation` is a list of :class:`Step`. A step states ``lhs = rhs`` with a sentence of
explanation; it is *checked* when SymPy proves ``simplify(lhs - rhs) == 0`` (or an equivalent check passed
in by the caller, e.g. a 30-digit mpmath comparison for an integral SymPy cannot close). Rendering refuses
to call an unchecked step checked. Each step also carries the Python code that checks it, which the
notebook format puts in one cell per step.

Expressions are printed as a person would write them: ``1 − erf(w)`` as ``erfc(w)`` (so Gaussian tails read
``e^{x²/2} erfc(…)``), symbols named ``lambda_tilde`` as ``\\tilde\\lambda``, and a long piecewise result as one
displayed case per line.
"""

from __future__ import annotations

import inspect
import json
import re
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp
from sympy.printing.latex import LatexPrinter


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


# -- printing as a person would write -----------------------------------------------------------------------
_ACCENTS = {"tilde": r"\tilde", "hat": r"\hat", "bar": r"\bar", "star": None}


class _Printer(LatexPrinter):
    """LaTeX with accents spelled as accents: ``lambda_tilde`` → ``\\tilde{\\lambda}``, ``u_star`` → ``u^{*}``."""

    def _print_Symbol(self, expr, style="plain"):
        name = expr.name
        for suffix, accent in _ACCENTS.items():
            if name.endswith("_" + suffix) and len(name) > len(suffix) + 1:
                base = super()._print_Symbol(sp.Symbol(name[: -len(suffix) - 1]))
                return f"{base}^{{*}}" if accent is None else f"{accent}{{{base}}}"
        return super()._print_Symbol(expr, style=style)


def erfc_form(expr):
    """Rewrite ``c − c·erf(w)`` as ``c·erfc(w)`` and ``c + c·erf(w)`` as ``c·erfc(−w)`` everywhere in ``expr``."""
    if not isinstance(expr, sp.Basic):
        return expr

    def query(e):
        return isinstance(e, sp.Add) and any(t.has(sp.erf) for t in e.args)

    def value(e):
        terms = list(e.args)
        for i, t in enumerate(terms):
            coeff, rest = t.as_coeff_Mul()
            if not isinstance(rest, sp.erf):
                continue
            others = terms[:i] + terms[i + 1:]
            const = sp.Add(*others)
            if sp.simplify(const + coeff) == 0:  # c - c erf(w)
                return const * sp.erfc(rest.args[0])
            if sp.simplify(const - coeff) == 0:  # c + c erf(w)
                return const * sp.erfc(-rest.args[0])
        return e

    try:
        return expr.replace(query, value)
    except Exception:  # pragma: no cover - a rewrite that SymPy refuses leaves the expression as it is
        return expr


def latex(expr) -> str:
    """The LaTeX a person would write for ``expr`` (see the module docstring); Unicode in symbol names
    (``g_±``) is spelled as LaTeX macros, so the result compiles with pdflatex."""
    out = _Printer().doprint(erfc_form(sp.sympify(expr)))
    if not out.isascii():
        out = "".join(f"{{{_TEX_UNICODE[ch]}}}" if ch in _TEX_UNICODE else ch for ch in out)
    return out


def _display_lines(lhs, rhs) -> list[str]:
    """Displayed equations of a step: one line, or one per case of a long piecewise right-hand side."""
    if isinstance(rhs, sp.Piecewise) and lhs is not None and len(latex(rhs)) > 160:
        out = []
        for expr, cond in rhs.args:
            when = r"\text{otherwise}" if cond is sp.true else r"\text{if } " + latex(cond)
            out.append(f"{latex(lhs)} = {latex(expr)} \\qquad {when}")
        return out
    if lhs is not None:
        return [f"{latex(lhs)} = {latex(rhs)}"]
    return [latex(rhs)]


# -- steps and derivations ----------------------------------------------------------------------------------
_SYMBOLIC_CHECK = "assert symbolically_equal(lhs, rhs), 'the step does not simplify to 0'"


@dataclass
class Step:
    """One step ``lhs = rhs``; ``how`` names the check ("simplify", "mpmath 30 digits", "definition").
    ``check`` is the check that passed (re-run by the notebook); ``code`` is its Python source."""

    text: str
    lhs: sp.Expr | None = None
    rhs: sp.Expr | None = None
    checked: bool = False
    how: str = ""
    check: Callable | None = field(default=None, repr=False, compare=False)
    code: str = ""

    def to_markdown(self) -> str:
        mark = f" *(checked: {self.how})*" if self.checked else (" *(definition)*" if self.how == "definition" else "")
        out = self.text + mark
        if self.rhs is not None:
            out += "".join(f"\n\n$$ {line} $$" for line in _display_lines(self.lhs, self.rhs))
        return out

    def recheck(self) -> bool:
        """Run the step's check again (a definition has none and passes)."""
        if not self.checked:
            return True
        return bool((self.check or symbolically_equal)(self.lhs, self.rhs))


def _check_source(check: Callable | None) -> str:
    if check is None:
        return ""
    try:
        return textwrap.dedent(inspect.getsource(check)).strip()
    except (OSError, TypeError):  # pragma: no cover - built-in or dynamically made checks
        return getattr(check, "__name__", repr(check))


@dataclass
class Derivation:
    title: str
    reference: str = ""
    steps: list[Step] = field(default_factory=list)
    #: the claims this derivation feeds and the command that checks them (shown at its end)
    feeds: list[str] = field(default_factory=list)
    command: str = ""

    def define(self, text: str, lhs: sp.Expr | None = None, rhs: sp.Expr | None = None) -> Step:
        """A definition or an assumption: displayed, nothing to check."""
        step = Step(text, lhs, rhs, checked=False, how="definition")
        self.steps.append(step)
        return step

    def equal(self, text: str, lhs: sp.Expr, rhs: sp.Expr,
              check: Callable[[sp.Expr, sp.Expr], bool] | None = None, how: str = "simplify",
              code: str | None = None) -> Step:
        """A claimed equality, checked now; raises ``AssertionError`` if the check fails. ``code`` is the
        Python that re-checks it in a notebook (default: SymPy's ``simplify`` for a symbolic step, the
        step's own check re-run for a custom one)."""
        ok = (check or symbolically_equal)(lhs, rhs)
        if not ok:
            raise AssertionError(f"derivation step failed its check ({how}): {text}: {lhs} != {rhs}")
        if code is None:
            code = _SYMBOLIC_CHECK if check is None else ""
        step = Step(text, lhs, rhs, checked=True, how=how, check=check, code=code)
        self.steps.append(step)
        return step

    @property
    def all_checked(self) -> bool:
        return all(s.checked or s.how == "definition" for s in self.steps)

    def _footer(self) -> str:
        n_checked = sum(s.checked for s in self.steps)
        return f"{n_checked} of {len(self.steps)} steps checked by SymPy/mpmath; the rest are definitions."

    # -- Markdown ---------------------------------------------------------------------------------------
    def to_markdown(self) -> str:
        head = f"# {self.title}\n"
        if self.reference:
            head += f"\n*{self.reference}*\n"
        body = "\n\n".join(f"{i}. {s.to_markdown()}" for i, s in enumerate(self.steps, 1))
        foot = f"\n\n---\n{self._footer()}"
        if self.feeds:
            foot += "\n\nFeeds the claims " + ", ".join(f"`{c}`" for c in self.feeds) + "."
        if self.command:
            foot += f" Checked by:\n\n```bash\n{self.command}\n```"
        return head + "\n" + body + foot

    # -- LaTeX ------------------------------------------------------------------------------------------
    def to_latex(self) -> str:
        """A standalone article (``pdflatex`` compiles it): the steps as an enumerated list."""
        items = []
        for s in self.steps:
            mark = (rf" \emph{{(checked: {tex_text(s.how)})}}" if s.checked
                    else (r" \emph{(definition)}" if s.how == "definition" else ""))
            body = tex_text(s.text) + mark
            if s.rhs is not None:
                body += "".join(f"\n\\[ {line} \\]" for line in _display_lines(s.lhs, s.rhs))
            items.append(r"\item " + body)
        feeds = ""
        if self.feeds:
            feeds = r"\par Feeds the claims " + ", ".join(rf"\texttt{{{tex_text(c)}}}" for c in self.feeds) + "."
        if self.command:
            feeds += r" Checked by: \texttt{" + tex_text(self.command) + "}."
        return "\n".join([
            r"\documentclass[11pt]{article}",
            r"\usepackage[utf8]{inputenc}",
            r"\usepackage[T1]{fontenc}",
            r"\usepackage{amsmath,amssymb}",
            r"\usepackage[margin=2.5cm]{geometry}",
            r"\allowdisplaybreaks",
            rf"\title{{{tex_text(self.title)}}}",
            r"\date{}",
            r"\begin{document}",
            r"\maketitle",
            (rf"\noindent\emph{{{tex_text(self.reference)}}}" if self.reference else ""),
            r"\begin{enumerate}",
            *items,
            r"\end{enumerate}",
            r"\noindent\rule{\linewidth}{0.4pt}",
            tex_text(self._footer()) + feeds,
            r"\end{document}",
            "",
        ])

    # -- notebook ---------------------------------------------------------------------------------------
    def to_ipynb(self, topic: str, options: dict[str, str] | None = None) -> str:
        """A Jupyter notebook (nbformat 4): the derivation rebuilt from ``nnlimits derive TOPIC``, then one
        Markdown cell and one code cell per step; each code cell holds the SymPy/mpmath code that checks its
        step and asserts it."""
        options = dict(options or {})

        def md(src: str) -> dict:
            return {"cell_type": "markdown", "metadata": {}, "source": src}

        def code(src: str) -> dict:
            return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": src}

        cells = [md(f"# {self.title}\n\n*{self.reference}*" if self.reference else f"# {self.title}"),
                 code("from sympy import *\n"
                      "from theory.common.derivation import symbolically_equal\n"
                      "from proofs_check.registry import registry\n\n"
                      f"# the derivation as `nnlimits derive {topic}` builds it (every step is re-checked below)\n"
                      f"derivation = registry().derivations[{topic!r}](**{options!r})\n"
                      "steps = derivation.steps")]
        for i, s in enumerate(self.steps):
            cells.append(md(f"**Step {i + 1}.** " + s.to_markdown()))
            if not s.checked:
                cells.append(code(f"# step {i + 1}: a definition, nothing to check\nsteps[{i}].rhs"))
                continue
            src = [f"# step {i + 1}: {s.how}", f"lhs = {sp.srepr(s.lhs)}", f"rhs = {sp.srepr(s.rhs)}"]
            if s.code:
                src.append(s.code)
            else:
                check = _check_source(s.check)
                src += ["# the check that passed when the derivation was built:"]
                src += [f"#   {line}" for line in check.splitlines()]
                src += [f"assert steps[{i}].check(steps[{i}].lhs, steps[{i}].rhs), 'the step fails its check'"]
            cells.append(code("\n".join(src)))
        cells.append(md("---\n" + self._footer()))
        nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                         "name": "python3"},
                                          "language_info": {"name": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        for k, c in enumerate(nb["cells"]):
            c["id"] = f"cell-{k}"
        return json.dumps(nb, indent=1, ensure_ascii=False)


# -- text for pdflatex ------------------------------------------------------------------------------------
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon", "η": r"\eta",
    "θ": r"\theta", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi", "π": r"\pi",
    "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "φ": r"\varphi", "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega",
    "Ψ": r"\Psi", "ϱ": r"\varrho", "Θ": r"\Theta",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Λ": r"\Lambda", "Σ": r"\Sigma", "Φ": r"\Phi", "Ω": r"\Omega",
    "ℒ": r"\mathcal{L}", "ℝ": r"\mathbb{R}", "∇": r"\nabla", "∂": r"\partial", "∫": r"\int", "∑": r"\sum",
    "√": r"\surd", "∞": r"\infty", "±": r"\pm", "∓": r"\mp", "×": r"\times", "·": r"\cdot", "÷": r"\div",
    "≤": r"\leq", "≥": r"\geq", "≠": r"\neq", "≈": r"\approx", "≡": r"\equiv", "∈": r"\in", "∉": r"\notin",
    "⊂": r"\subset", "∪": r"\cup", "∩": r"\cap", "→": r"\to", "←": r"\leftarrow", "↦": r"\mapsto",
    "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "∀": r"\forall", "∃": r"\exists", "∘": r"\circ",
    "‖": r"\|", "⟨": r"\langle", "⟩": r"\rangle", "⌈": r"\lceil", "⌉": r"\rceil", "⌊": r"\lfloor",
    "⌋": r"\rfloor", "∝": r"\propto", "∼": r"\sim", "′": r"'", "ℓ": r"\ell", "†": r"\dagger", "♯": r"\sharp",
    "⊗": r"\otimes", "⊥": r"\perp", "∗": r"\ast", "−": "-", "↔": r"\leftrightarrow", "½": r"\tfrac{1}{2}",
    "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "∖": r"\setminus", "⋯": r"\cdots", "ᵏ": "^{k}",
    "⁰": "^{0}", "¹": "^{1}", "²": "^{2}", "³": "^{3}", "⁴": "^{4}", "⁵": "^{5}", "⁶": "^{6}", "⁷": "^{7}",
    "⁸": "^{8}", "⁹": "^{9}", "⁻": "^{-}", "⁺": "^{+}", "ⁿ": "^{n}", "ᵀ": "^{T}",
    "₀": "_{0}", "₁": "_{1}", "₂": "_{2}", "₃": "_{3}", "₊": "_{+}", "₋": "_{-}", "ₖ": "_{k}", "ᵢ": "_{i}",
    "ⱼ": "_{j}", "ₙ": "_{n}", "ₘ": "_{m}", "₄": "_{4}", "₅": "_{5}", "₆": "_{6}", "₇": "_{7}", "₈": "_{8}",
    "₉": "_{9}", "ₜ": "_{t}", "ₓ": "_{x}",
}
_TEX_COMBINING = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0307": r"\dot", "\u20d7": r"\vec"}
_TEX_PLAIN = {"§": r"\S{}", "–": "--", "—": "---", "…": r"\ldots{}", "‘": "`", "’": "'", "“": "``", "”": "''", "\u00a0": "~",
              "é": r"\'e", "è": r"\`e", "ö": r"\"o", "ü": r"\"u", "ä": r"\"a", "É": r"\'E"}


def tex_text(text: str) -> str:
    """Plain text (with Unicode mathematics and `code`) as pdflatex-safe LaTeX."""
    out = []
    in_code = False
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch in _TEX_COMBINING:
            continue  # applied to the character before it
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if nxt in _TEX_COMBINING and not in_code:
            base = _TEX_UNICODE.get(ch, ch if ch.isascii() and ch.isalnum() else None)
            if base is not None:
                out.append(f"${_TEX_COMBINING[nxt]}{{{base}}}$")
                continue
        if ch == "`":
            out.append("}" if in_code else r"\texttt{")
            in_code = not in_code
        elif ch in _TEX_SPECIAL:
            out.append(_TEX_SPECIAL[ch])
        elif ch in _TEX_UNICODE:
            out.append(f"${_TEX_UNICODE[ch]}$")
        elif ch in _TEX_PLAIN:
            out.append(_TEX_PLAIN[ch])
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    if in_code:
        out.append("}")
    joined = "".join(out).replace("$$", "")
    for pattern in (r"_\{([^{}]*)\}_\{", r"\^\{([^{}]*)\}\^\{"):  # runs of sub/superscript digits: one group
        prev = None
        while prev != joined:
            prev, joined = joined, re.sub(pattern, lambda m: m.group(0)[0] + "{" + m.group(1), joined)
    return joined
