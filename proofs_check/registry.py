"""Discovery of the papers, claims and derivation topics defined under :mod:`proofs_check.claims`."""

from __future__ import annotations

import fnmatch
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Callable

from proofs_check import claims as _claims_pkg
from proofs_check.claim import Claim
from proofs_check.papers import Paper


@dataclass(frozen=True)
class Registry:
    papers: dict[str, Paper]
    claims: dict[str, type[Claim]]
    derivations: dict[str, Callable]

    def select(self, patterns: list[str] | None) -> list[type[Claim]]:
        """Claims matching the glob patterns (``spline.*``), or the default claims if none is given."""
        if not patterns:
            return [c for c in self.claims.values() if c.default]
        chosen: list[type[Claim]] = []
        for pat in patterns:
            hits = [c for cid, c in self.claims.items() if fnmatch.fnmatchcase(cid, pat)]
            if not hits:
                raise ValueError(
                    f"claim: no claim matches {pat!r}; known claims: {', '.join(sorted(self.claims))}"
                )
            chosen.extend(h for h in hits if h not in chosen)
        return chosen


def _modules() -> list[ModuleType]:
    mods = []
    for info in sorted(pkgutil.iter_modules(_claims_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mods.append(importlib.import_module(f"{_claims_pkg.__name__}.{info.name}"))
    return mods


@cache
def registry() -> Registry:
    papers: dict[str, Paper] = {}
    claims: dict[str, type[Claim]] = {}
    derivations: dict[str, Callable] = {}
    for mod in _modules():
        paper = getattr(mod, "PAPER", None)
        if paper is not None:
            papers[paper.key] = paper
        for cls in getattr(mod, "CLAIMS", []):
            cls.check_definition()
            if cls.id in claims:
                raise TypeError(f"claim id {cls.id!r} defined twice")
            claims[cls.id] = cls
        for topic, fn in getattr(mod, "DERIVATIONS", {}).items():
            if topic in derivations:
                raise TypeError(f"derivation topic {topic!r} defined twice")
            derivations[topic] = fn
    return Registry(papers, claims, derivations)


def get_claim(claim_id: str) -> type[Claim]:
    try:
        return registry().claims[claim_id]
    except KeyError:
        raise ValueError(f"claim: unknown claim {claim_id!r}") from None
