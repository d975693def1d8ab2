"""Every derivation renders as Markdown, as a standalone LaTeX article (compiled with pdflatex where it
exists) and as a notebook whose cells re-check every step (executed with nbclient)."""

import json
import re
import shutil
import subprocess

import pytest
import sympy as sp

from proofs_check.cli import main
from proofs_check.registry import registry
from theory.common.derivation import erfc_form, latex, tex_text

TOPICS = sorted(registry().derivations)


@pytest.fixture(scope="module")
def built():
    return {t: registry().derivations[t]() for t in TOPICS}


def test_expressions_as_a_person_writes_them():
    x = sp.Symbol("x")
    assert latex(sp.exp(x**2 / 2) * (1 - sp.erf(x))) == r"e^{\frac{x^{2}}{2}} \operatorname{erfc}{\left(x \right)}"
    assert erfc_form(1 + sp.erf(x)) == sp.erfc(-x)
    assert latex(sp.Symbol("lambda_tilde")) == r"\tilde{\lambda}"
    assert latex(sp.Symbol("u_star")) == "u^{*}"
    assert tex_text("ξ = −b/v, ‖f‖² ≤ 1 and `code_x`") == r"$\xi$ = $-$b/v, $\|$f$\|^{2}$ $\leq$ 1 and \texttt{code\_x}"


@pytest.mark.parametrize("topic", TOPICS)
def test_latex_article_structure_and_compilation(built, topic, tmp_path):
    tex = built[topic].to_latex()
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert tex.count(r"\begin{enumerate}") == tex.count(r"\end{enumerate}") == 1
    assert tex.count(r"\item ") == len(built[topic].steps)
    assert tex.count(r"\[") == tex.count(r"\]")
    body = tex.split(r"\begin{document}")[1]
    assert all(ord(ch) < 128 for ch in body), "pdflatex needs ASCII (or declared) characters in the body"
    assert "?" not in re.sub(r"\\texttt\{[^}]*\}", "", body), "an unmapped character was replaced by '?'"
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: structure checked only")
    (tmp_path / "d.tex").write_text(tex)
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                         capture_output=True, text=True, errors="replace", timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
    assert (tmp_path / "d.pdf").stat().st_size > 1000


#: topics whose notebooks are executed in the default run (a kernel re-runs every step: 4–11 s a topic); the
#: notebooks of every topic come from one code path, and every step of every topic is checked in-process by
#: tests/test_derivation.py; `pytest -m slow` executes the other notebooks too
NOTEBOOK_TOPICS = {"early-stopping", "representational-cost-d2", "sobolev-distance"}


@pytest.mark.parametrize("topic", [t if t in NOTEBOOK_TOPICS else pytest.param(t, marks=pytest.mark.slow)
                                   for t in TOPICS])
def test_notebook_cells_recheck_every_step(built, topic, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    d = built[topic]
    nb = nbformat.reads(d.to_ipynb(topic, {}), as_version=4)
    nbformat.validate(nb)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code_cells) == len(d.steps) + 1
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in code_cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_notebook_cell_fails_on_a_wrong_step(built):
    """The code of a symbolic step asserts the equality: a wrong right-hand side fails."""
    d = built["early-stopping"]
    step = next(s for s in d.steps if s.checked and s.code)
    scope = {}
    exec("from sympy import *\nfrom theory.common.derivation import symbolically_equal", scope)
    exec(f"lhs = {sp.srepr(step.lhs)}\nrhs = {sp.srepr(step.rhs)}\n" + step.code, scope)
    with pytest.raises(AssertionError):
        exec(f"lhs = {sp.srepr(step.lhs)}\nrhs = {sp.srepr(step.rhs + 1)}\n" + step.code, scope)


def test_cli_formats(tmp_path, capsys):
    for fmt in ("md", "tex", "ipynb"):
        out = tmp_path / f"d.{fmt}"
        assert main(["derive", "early-stopping", "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 500
    json.loads((tmp_path / "d.ipynb").read_text())
    with pytest.raises(SystemExit):
        main(["derive", "early-stopping", "--format", "pdf"])


def test_derivation_ends_with_the_claims_it_feeds(capsys):
    assert main(["derive", "kink-weight"]) == 0
    out = capsys.readouterr().out
    assert "Feeds the claims" in out and "`spline.rate`" in out and "nnlimits verify 'spline.*'" in out
