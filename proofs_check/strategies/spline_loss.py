"""Hypothesis strategies over the JSON settings of the general-loss spline claims
(:mod:`proofs_check.claims.spline_loss`): the law of ``(v, b)``, the data with their ±1 labels, ``λ``, Huber's
``δ`` and the loss.

The law and λ are those of :mod:`proofs_check.strategies.spline` (the pairs whose kink weights have
established closed forms; ``λ`` from :data:`~proofs_check.strategies.spline.LAMBDAS`); the data are its data
sets with at least three points, each carrying a label ``±1`` for the logistic loss.
"""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st

from proofs_check.strategies.spline import LAMBDAS, data_settings, law_settings

#: Huber's δ as a fraction of the largest residual of the least-squares adapted spline of the same data (a
#: fraction below 1 clips at least one residual, so the Huber spline is not the least-squares one); shrinks
#: towards the first
DELTA_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)
#: the losses of ``spline.loss.kernel_limit``; a setting without ``loss`` checks both
LOSSES = ("huber", "logistic")


@st.composite
def label_settings(draw, n: int) -> list[int]:
    """``n`` labels ±1 (in the order of the sorted abscissae) with at least two sign changes, so that no affine
    function separates them (the constant-weight mutant, whose affine part is unpenalised, needs it to have a
    minimiser). Shrinks towards ``+1`` first and the changes at the first two gaps."""
    changes = set(draw(st.lists(st.integers(0, n - 2), min_size=2, max_size=n - 1, unique=True)))
    sign = draw(st.sampled_from((1, -1)))
    out = []
    for i in range(n):
        out.append(sign)
        if i in changes:
            sign = -sign
    return out


@st.composite
def loss_data_settings(draw, max_size: int = 8) -> dict:
    """:func:`proofs_check.strategies.spline.data_settings` with 3 … ``max_size`` points, and their labels
    (:func:`label_settings`): ``{"x": [...], "y": [...], "labels": [...]}``."""
    data = draw(data_settings(max_size))
    assume(len(data["x"]) >= 3)
    return {**data, "labels": draw(label_settings(len(data["x"])))}


@st.composite
def loss_kernel_limit_settings(draw) -> dict:
    """A setting of ``spline.loss.kernel_limit``: each group — the law (``v``, ``b``), the data (``x``, ``y``,
    ``labels``), ``λ`` (``lam``), Huber's ``δ`` as a fraction of the largest least-squares residual
    (``delta``) — fixed (probability 3/4, what a failure shrinks to) or left out, to be drawn per seed from the
    claim's hand-picked family; ``loss`` fixed to one of the two losses (probability 2/3) or left out (both
    are checked). ``{}`` (everything drawn per seed, both losses) is the default setting."""
    out = {}
    if draw(st.integers(0, 3)) < 3:
        out.update(draw(law_settings()))
    if draw(st.integers(0, 3)) < 3:
        out.update(draw(loss_data_settings()))
    if draw(st.integers(0, 3)) < 3:
        out["lam"] = draw(st.sampled_from(LAMBDAS))
    if draw(st.integers(0, 3)) < 3:
        out["delta"] = draw(st.sampled_from(DELTA_FRACTIONS))
    loss = draw(st.sampled_from(LOSSES + (None,)))
    if loss is not None:
        out["loss"] = loss
    return out
