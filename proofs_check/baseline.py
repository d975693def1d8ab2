"""Regression baselines: compare a run with a saved ``results.json`` ("these numbers must not move").

- Same root seed, same budget and the same package versions: the run is deterministic, so every measured
  number must be identical, bit for bit.
- Otherwise (another seed, or other versions of numpy, numba, …): each claim's decision summary is
  compared within its stated uncertainty: a fitted slope within the sum of the two intervals' half-widths,
  a TIGHT error within the claim's tolerance; and the verdict must not change.

``nnlimits verify --baseline PATH`` exits 1 with a table of what moved; ``--update-baseline`` rewrites PATH.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Moved:
    """One number (or verdict) that differs from the baseline."""

    claim: str
    rung: str
    seed: str
    quantity: str
    old: str
    new: str
    allowed: str


def load(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise ValueError(f"--baseline {path}: no such file (write one with --update-baseline)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"--baseline {path}: cannot read a results.json: {exc}") from None
    if not isinstance(data, dict) or data.get("tool") != "nnlimits" or not isinstance(data.get("claims"), list):
        raise ValueError(f"--baseline {path}: not a results.json written by nnlimits verify")
    return data


def _num(x) -> float:
    return float(x)  # results.json writes non-finite floats as the strings 'nan', 'inf', '-inf'



def _fmt(x) -> str:
    return repr(x) if isinstance(x, float) else str(x)


def compare(new: dict, old: dict, path: str = "baseline") -> tuple[bool, list[Moved]]:
    """``(exact, moved)``: whether the comparison is bit-for-bit, and what moved. ``new`` and ``old`` are
    ``results.json`` records (:func:`proofs_check.report.results_to_json`)."""
    if old.get("budget") != new.get("budget"):
        raise ValueError(f"--baseline {path}: made with budget {old.get('budget')!r}, this run is "
                         f"{new.get('budget')!r}; compare runs of the same budget")
    exact = old.get("seed") == new.get("seed") and old.get("versions") == new.get("versions")
    before = {c["id"]: c for c in old["claims"]}
    moved: list[Moved] = []
    for c in new["claims"]:
        b = before.get(c["id"])
        if b is None:
            continue  # a claim not in the baseline: nothing to compare
        if b["verdict"] != c["verdict"]:
            moved.append(Moved(c["id"], "—", "—", "verdict", b["verdict"], c["verdict"], "same verdict"))
        if exact:
            old_m = {(m["level"], m["seed"]): m["values"] for m in b["measurements"]}
            for m in c["measurements"]:
                ov = old_m.get((m["level"], m["seed"]))
                for name, v in m["values"].items():
                    o = None if ov is None else ov.get(name)
                    if o != v:
                        moved.append(Moved(c["id"], f"{m['level']:g}", str(m["seed"]), name, _fmt(o), _fmt(v),
                                           "identical (same seed and versions)"))
            continue
        outs = {o["name"]: o for o in b["outcomes"]}
        for o in c["outcomes"]:
            ob = outs.get(o["name"])
            if ob is None:
                continue
            s, sb = o["summary"], ob["summary"]
            if "slope" in s and "slope" in sb:
                allow = (_num(s["high"]) - _num(s["low"])) / 2 + (_num(sb["high"]) - _num(sb["low"])) / 2
                if not abs(_num(s["slope"]) - _num(sb["slope"])) <= allow + 1e-12:
                    moved.append(Moved(c["id"], "fit", "all", f"{o['name']} slope", f"{_num(sb['slope']):+.4f}",
                                       f"{_num(s['slope']):+.4f}", f"± {allow:.3g}"))
            elif "max_error" in s and "max_error" in sb:
                tol = _num(s["tolerance"])
                if not abs(_num(s["max_error"]) - _num(sb["max_error"])) <= tol or math.isnan(_num(s["max_error"])):
                    moved.append(Moved(c["id"], "finest", "all", f"{o['name']} |error|",
                                       f"{_num(sb['max_error']):.4g}", f"{_num(s['max_error']):.4g}", f"± {tol:.3g}"))
    return exact, moved
