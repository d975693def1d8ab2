"""pytest plugin: the claims as test items, active only when asked (``pytest --nnlimits``).

Installed with nnlimits (entry point ``pytest11``); without ``--nnlimits`` it only adds its options.

    pytest --nnlimits                      # the default claims, one test item each
    pytest --nnlimits 'spline.*' -x        # a glob of claim ids; -k, -x and pytest-xdist (-n 2) work
    pytest --nnlimits 'mine.*' --nnlimits-claims mine/claims.py --nnlimits-budget full --nnlimits-seed 7

An item passes when its claim is CONFIRMED (or REPORTED); a failure shows the claim's verdict row and the
reason of the theory and of every mutant. The family-wise false-alarm rate ``--nnlimits-alpha`` is split
over the statistical decisions of the selected claims, as in ``nnlimits verify``.
"""

from __future__ import annotations

import pytest

from proofs_check.claim import Verdict
from proofs_check.verdict import ALPHA


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nnlimits", "nnlimits claims as tests")
    group.addoption("--nnlimits", nargs="?", const="", default=None, metavar="PATTERN",
                    help="collect nnlimits claims as test items (comma-separated glob patterns of claim ids; "
                         "none: the default claims)")
    group.addoption("--nnlimits-budget", choices=["quick", "full"], default="quick", help="ladder budget")
    group.addoption("--nnlimits-seed", type=int, default=0, help="root seed of every random draw")
    group.addoption("--nnlimits-alpha", type=float, default=ALPHA, help="family-wise false-alarm rate")
    group.addoption("--nnlimits-claims", action="append", default=[], metavar="PATH.py|MODULE",
                    help="also load this claims module (repeatable)")


class ClaimFailure(Exception):
    """A claim that did not come out CONFIRMED."""


class ClaimItem(pytest.Item):
    def __init__(self, *, claim, budget: str, seed: int, alpha: float, decisions: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.claim = claim
        self.budget, self.seed, self.alpha, self.decisions = budget, seed, alpha, decisions
        self.add_marker(pytest.mark.nnlimits)
        self.keywords[claim.paper] = True

    def runtest(self) -> None:
        from proofs_check.engine import run_claim

        res = run_claim(self.claim, budget=self.budget, seed=self.seed, alpha=self.alpha, decisions=self.decisions)
        self.user_properties.append(("verdict", res.verdict.value))
        if res.verdict not in (Verdict.CONFIRMED, Verdict.REPORTED):
            raise ClaimFailure(describe(res))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ClaimFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"nnlimits claim {self.claim.id} ({self.budget}, seed {self.seed})"


def describe(res) -> str:
    """The verdict row of a claim and the reason of the theory and of every mutant."""
    th = res.theory
    head = (f"{res.claim_id} [{res.kind}] {res.verdict.value}: {res.reason}\n"
            f"  measured {th.measured_text() if th else '—'} / predicted {th.predicted_text() if th else '—'}")
    lines = [head]
    for o in res.outcomes:
        lines.append(f"  {o.name}{' (mutant)' if o.mutant else ''}: {o.verdict.value}: {o.reason}")
    if res.error:
        lines.append(res.error.rstrip())
    return "\n".join(lines)


class ClaimsCollector(pytest.Collector):
    def collect(self):  # items are made in pytest_collection_modifyitems
        return []


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    pattern = config.getoption("--nnlimits")
    if pattern is None:
        return
    from proofs_check.engine import decision_count
    from proofs_check.registry import registry

    reg = registry(tuple(config.getoption("--nnlimits-claims")))
    patterns = [p.strip() for p in pattern.split(",") if p.strip()]
    claims = reg.select(patterns)
    budget = config.getoption("--nnlimits-budget")
    alpha = config.getoption("--nnlimits-alpha")
    k = decision_count(claims, budget)
    parent = ClaimsCollector.from_parent(session, name="nnlimits")
    for c in claims:
        items.append(ClaimItem.from_parent(parent, name=c.id, claim=c, budget=budget,
                                           seed=config.getoption("--nnlimits-seed"), alpha=alpha, decisions=k))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "nnlimits: an nnlimits claim collected by --nnlimits")
