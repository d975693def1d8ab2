"""docs/: every claim has its section, every link into docs/ resolves, and the repository is self-contained."""

from __future__ import annotations

import html
import re
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SKIP_DIRS = {".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "build", "nnlimits-report"}

#: ``<a id="...">`` (or any element with an explicit id)
ANCHOR = re.compile(r"""<a\s+(?:[^>]*\s)?(?:id|name)\s*=\s*["']([^"']+)["']""")
#: ``docs/<page>.md#<anchor>`` anywhere in a source or documentation file
DOCS_REF = re.compile(r"docs/([A-Za-z0-9_\-]+)\.md#([A-Za-z0-9_.\-]+)")
#: relative Markdown links inside docs/: ``(page.md#anchor)`` or ``(#anchor)``
LOCAL_LINK = re.compile(r"\]\((?:([A-Za-z0-9_\-]+)\.md)?#([^)\s]+)\)")


def _files(suffixes: tuple[str, ...]) -> list[Path]:
    """Files of the repository with these suffixes: tracked and untracked-but-not-ignored files when git is
    at hand, else a walk that skips the environment, git's own files and caches."""
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split("\n")
        paths = [ROOT / p for p in out if p]
    except (OSError, subprocess.CalledProcessError):
        paths = [p for p in ROOT.rglob("*") if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts)]
    return sorted(p for p in paths if p.suffix in suffixes and p.is_file()
                  and not SKIP_DIRS.intersection(p.relative_to(ROOT).parts))


def _github_slug(heading: str) -> str:
    """The anchor GitHub generates for a Markdown heading."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@lru_cache(maxsize=None)
def anchors(page: str) -> frozenset[str]:
    """Explicit ``<a id>`` anchors and GitHub heading anchors of ``docs/<page>.md`` (empty if no page)."""
    path = DOCS / f"{page}.md"
    if not path.is_file():
        return frozenset()
    text = path.read_text(encoding="utf-8")
    found = {html.unescape(a) for a in ANCHOR.findall(text)}
    in_code = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(_github_slug(line.lstrip("#")))
    return frozenset(found)


def test_docs_pages_exist():
    for page in ("index", "spline", "ridgelet", "stability", "pl", "minnorm"):
        assert (DOCS / f"{page}.md").is_file(), f"docs/{page}.md is missing"


def test_every_claim_has_an_anchor_on_its_papers_page():
    from proofs_check.registry import registry

    missing = []
    for cid, cls in registry().claims.items():
        if cid not in anchors(cls.paper):
            missing.append(f'{cid}: no <a id="{cid}"> in docs/{cls.paper}.md')
    assert not missing, "\n".join(missing)


def test_every_paper_has_a_page():
    from proofs_check.registry import registry

    assert not [k for k in registry().papers if not (DOCS / f"{k}.md").is_file()]


def _references() -> list[tuple[Path, int, str, str]]:
    refs = []
    for path in _files((".py", ".md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for no, line in enumerate(text.splitlines(), 1):
            for page, anchor in DOCS_REF.findall(line):
                refs.append((path, no, page, anchor.rstrip(".")))
            if path.parent == DOCS:
                for page, anchor in LOCAL_LINK.findall(line):
                    refs.append((path, no, page or path.stem, anchor))
    return refs


def test_every_docs_reference_points_to_an_existing_page_and_anchor():
    refs = _references()
    assert refs, "expected at least the links between the docs pages"
    bad = []
    for path, no, page, anchor in refs:
        where = f"{path.relative_to(ROOT)}:{no}"
        if not (DOCS / f"{page}.md").is_file():
            bad.append(f"{where}: docs/{page}.md does not exist")
        elif anchor not in anchors(page):
            bad.append(f"{where}: docs/{page}.md has no anchor {anchor!r}")
    assert not bad, "\n".join(bad)


#: names of files that live outside the repository (built by concatenation so that this file does not
#: itself contain them)
OUTSIDE = ("CLAIMS" + ".md", "PAPER_NOTES" + ".md", "STYLE" + ".md", ".." + "/shared")


def test_no_file_references_a_path_outside_the_repository():
    bad = []
    for path in _files((".py", ".md", ".toml", ".txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for no, line in enumerate(text.splitlines(), 1):
            for name in OUTSIDE:
                if name in line:
                    bad.append(f"{path.relative_to(ROOT)}:{no}: {name}")
    assert not bad, f"{len(bad)} reference(s) to files outside the repository:\n" + "\n".join(bad[:50])


def test_docs_do_not_reference_paths_outside_the_repository():
    """The docs themselves are already self-contained (no xfail here)."""
    bad = [f"{p.relative_to(ROOT)}: {name}" for p in DOCS.glob("*.md") for name in OUTSIDE
           if name in p.read_text(encoding="utf-8")]
    assert not bad, "\n".join(bad)
