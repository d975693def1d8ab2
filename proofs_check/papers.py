"""Papers and their statements: what ``nnlimits list`` shows (the lean-ridgelet blueprint idea).

Each claims module defines ``PAPER = Paper(...)``; statements name the claim that checks them, or none
(``claim=None``) when not checked yet, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Statement:
    """One statement of a paper. ``claim`` is the id of the claim that checks it, ``None`` if unchecked."""

    text: str
    reference: str
    claim: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Paper:
    key: str
    title: str
    authors: str
    venue: str
    arxiv: str
    statements: tuple[Statement, ...] = field(default_factory=tuple)

    @property
    def citation(self) -> str:
        return f"{self.authors}, {self.title}, {self.venue} (arXiv {self.arxiv})"
