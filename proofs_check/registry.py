"""Discovery of the papers, claims and derivation topics: the built-in modules under
:mod:`proofs_check.claims`, the modules of installed packages (entry-point group ``nnlimits.claims``) and
the user's own modules (``--claims PATH.py`` or ``--claims dotted.module``).

A claims module exposes ``CLAIMS`` (a list of :class:`proofs_check.claim.Claim` subclasses), and optionally
``PAPER`` (a :class:`proofs_check.papers.Paper`) and ``DERIVATIONS`` (topic → function). A module that fails
to import, has no ``CLAIMS``, defines an incomplete claim, or repeats an id raises :class:`ClaimsError`,
whose message names the file (or entry point), the claim and what is wrong.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import inspect
import pkgutil
import sys
import traceback
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Callable

from proofs_check import claims as _claims_pkg
from proofs_check.claim import Claim
from proofs_check.papers import Paper

#: entry-point group of installed claim modules
ENTRY_POINT_GROUP = "nnlimits.claims"


class ClaimsError(ValueError):
    """A claims module that cannot be used, with a message naming the file, the claim and the problem.
    ``debug`` holds the traceback of the underlying error (shown by ``--debug``)."""

    def __init__(self, message: str, debug: str = "") -> None:
        super().__init__(message)
        self.debug = debug


@dataclass(frozen=True)
class Registry:
    papers: dict[str, Paper]
    claims: dict[str, type[Claim]]
    derivations: dict[str, Callable]
    #: claim id -> where it was defined (a module file or an entry point)
    sources: dict[str, str] = field(default_factory=dict)
    #: derivation topic -> the claims of the module that defines it (the claims it feeds)
    feeds: dict[str, list[str]] = field(default_factory=dict)

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


def _builtin_modules() -> list[tuple[str, ModuleType]]:
    mods = []
    for info in sorted(pkgutil.iter_modules(_claims_pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        name = f"{_claims_pkg.__name__}.{info.name}"
        mods.append((name, importlib.import_module(name)))
    return mods


def _entry_points() -> list[metadata.EntryPoint]:
    """Installed entry points of the group ``nnlimits.claims`` (a seam the tests replace)."""
    return list(metadata.entry_points(group=ENTRY_POINT_GROUP))


def _import_error(where: str, exc: BaseException) -> ClaimsError:
    tb = traceback.extract_tb(exc.__traceback__)
    frame = next((f for f in reversed(tb) if not f.filename.startswith(str(Path(importlib.__file__).parent))), None)
    at = f" ({Path(frame.filename).name}, line {frame.lineno})" if frame is not None else ""
    if isinstance(exc, SyntaxError) and exc.lineno:
        at = f" (line {exc.lineno})"
    return ClaimsError(f"{where}: cannot import the claims module: {type(exc).__name__}: {exc}{at}",
                       "".join(traceback.format_exception(exc)))


def load_module(spec: str) -> tuple[str, ModuleType]:
    """Import a user's claims module: a path to a ``.py`` file, or a dotted module name.

    A file is imported under its stem, with its folder put first on ``sys.path``, so that worker processes
    (which inherit ``sys.path``) can import its claims by reference.
    """
    if spec.endswith(".py") or "/" in spec or spec.startswith("."):
        path = Path(spec).expanduser().resolve()
        where = f"--claims {spec}"
        if not path.is_file():
            raise ClaimsError(f"{where}: no such file")
        name = path.stem
        if not name.isidentifier():
            raise ClaimsError(f"{where}: the file name {path.name!r} is not a Python module name")
        old = sys.modules.get(name)
        if old is not None and Path(getattr(old, "__file__", "") or "").resolve() != path:
            raise ClaimsError(f"{where}: a different module named {name!r} is already imported "
                              f"({getattr(old, '__file__', 'built-in')}); rename the file")
        folder = str(path.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        try:
            return str(path), importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any import failure is the user's module's
            sys.modules.pop(name, None)
            raise _import_error(where, exc) from None
    try:
        mod = importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name == spec or spec.startswith(f"{exc.name}."):
            raise ClaimsError(f"--claims {spec}: no module named {spec!r} (a .py path or an importable "
                              "dotted module name)") from None
        raise _import_error(f"--claims {spec}", exc) from None
    except Exception as exc:  # noqa: BLE001
        raise _import_error(f"--claims {spec}", exc) from None
    return getattr(mod, "__file__", None) or spec, mod


def _entry_point_modules() -> list[tuple[str, ModuleType]]:
    out = []
    for ep in _entry_points():
        where = f"entry point {ep.name} = {ep.value} ({ENTRY_POINT_GROUP})"
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001
            raise _import_error(where, exc) from None
        if not isinstance(obj, ModuleType):
            raise ClaimsError(f"{where}: expected a module exposing CLAIMS, got {type(obj).__name__}")
        out.append((where, obj))
    return out


def _check_claim(cls, where: str) -> None:
    if not (isinstance(cls, type) and issubclass(cls, Claim)):
        raise ClaimsError(f"{where}: CLAIMS holds {cls!r}, which is not a Claim subclass")
    try:
        cls.check_definition()
    except TypeError as exc:
        raise ClaimsError(f"{where}: {exc}") from None


def _add_module(where: str, mod: ModuleType, papers, claims, derivations, sources, *, user: bool,
                feeds: dict | None = None) -> None:
    if user and not hasattr(mod, "CLAIMS"):
        raise ClaimsError(f"{where}: defines no CLAIMS (a list of Claim subclasses)")
    paper = getattr(mod, "PAPER", None)
    if paper is not None:
        if not isinstance(paper, Paper):
            raise ClaimsError(f"{where}: PAPER must be a proofs_check.papers.Paper")
        known = papers.get(paper.key)
        if known is None:
            papers[paper.key] = paper
        elif known is not paper:
            # a second module of the same paper (a claim family in its own file, or a user's module)
            # adds its statements to the paper's list
            extra = tuple(s for s in paper.statements if s not in known.statements)
            papers[paper.key] = replace(known, statements=known.statements + extra)
    for cls in getattr(mod, "CLAIMS", []):
        cid = getattr(cls, "id", getattr(cls, "__name__", repr(cls)))
        _check_claim(cls, f"{where}: claim {cid}")
        if cls.id in claims:
            if claims[cls.id] is cls:
                continue
            raise ClaimsError(f"{where}: claim id {cls.id!r} is already defined in {sources[cls.id]}")
        claims[cls.id] = cls
        sources[cls.id] = where
    for topic, fn in getattr(mod, "DERIVATIONS", {}).items():
        if topic in derivations and derivations[topic] is not fn:
            raise ClaimsError(f"{where}: derivation topic {topic!r} is already defined")
        derivations[topic] = fn
        if feeds is not None:
            feeds[topic] = [c.id for c in getattr(mod, "CLAIMS", []) if getattr(c, "default", True)]


@lru_cache(maxsize=16)
def registry(extra: tuple[str, ...] = (), entry_points: bool = True) -> Registry:
    """Every known claim: built-in, then installed (entry points), then ``extra`` user modules."""
    papers: dict[str, Paper] = {}
    claims: dict[str, type[Claim]] = {}
    derivations: dict[str, Callable] = {}
    sources: dict[str, str] = {}
    feeds: dict[str, list[str]] = {}
    for name, mod in _builtin_modules():
        _add_module(name, mod, papers, claims, derivations, sources, user=False, feeds=feeds)
    if entry_points:
        for where, mod in _entry_point_modules():
            _add_module(where, mod, papers, claims, derivations, sources, user=True, feeds=feeds)
    for spec in extra:
        where, mod = load_module(spec)
        _add_module(where, mod, papers, claims, derivations, sources, user=True, feeds=feeds)
    return Registry(papers, claims, derivations, sources, feeds)


def get_claim(claim_id: str) -> type[Claim]:
    try:
        return registry().claims[claim_id]
    except KeyError:
        raise ValueError(f"claim: unknown claim {claim_id!r}") from None


def claim_source(claim: type[Claim]) -> str:
    """The file that defines ``claim`` (for error messages)."""
    try:
        return inspect.getsourcefile(claim) or claim.__module__
    except TypeError:
        return claim.__module__
