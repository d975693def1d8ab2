"""Exact self-checks of the minnorm theory: λ_c's sign-change certificate, the response's covariance,
region merging, several known regions, and the column generation's convergence."""

from fractions import Fraction

import pytest
import sympy as sp

from proofs_check.claims import minnorm as mn
from theory.minnorm import erm, lp
from theory.minnorm.cost import Piecewise1D


def _parts(x, y):
    xs = [sp.Rational(v) for v in x]
    N = len(xs)
    h = [xs[i + 1] - xs[i] for i in range(N - 1)]
    D = sp.zeros(N - 2, N)
    for k in range(1, N - 1):
        D[k - 1, k - 1], D[k - 1, k], D[k - 1, k + 1] = 1 / h[k - 1], -1 / h[k - 1] - 1 / h[k], 1 / h[k]
    return D, [sp.Rational(v) for v in y]


def test_lam_c_certificate_accepts_the_first_sign_change_and_refuses_others():
    # guards against a λ_c that is not the first sign change of an active slope jump
    x, y = mn.ALTERNATING_X, mn.ALTERNATING_Y
    r = erm.linear_response(x, y, skip=True)
    D, ys = _parts([Fraction(v) for v in x], y)
    Dy = D * sp.Matrix(ys)
    A = [k for k in range(D.rows) if Dy[k] != 0]
    erm._check_first_sign_change(D, ys, list(r.u), Dy, A, len(ys), r.lam_c)
    for wrong in (r.lam_c / 2, 2 * r.lam_c):
        with pytest.raises(RuntimeError):
            erm._check_first_sign_change(D, ys, list(r.u), Dy, A, len(ys), wrong)
    with pytest.raises(RuntimeError):
        erm._check_first_sign_change(D, ys, list(r.u), Dy, A, len(ys), None)


@pytest.mark.parametrize("s,a", [(10, -1), (Fraction(1, 3), 2), (7, Fraction(-1, 5))])
def test_response_covariance(s, a):
    mn.check_response_scaling(mn.ALTERNATING_X, mn.ALTERNATING_Y, s=s, a=a)
    mn.check_response_scaling((0, 1, 3, 4, 7, 8), (0, 2, 1, 3, 0, 1), s=s, a=a)


def test_three_regions_merge_in_order():
    # guards against comparing a new region with any but the last merged one
    g = Piecewise1D.from_kinks([Fraction(0)], [Fraction(1)], value0=Fraction(0), slope_left=Fraction(0))
    d = lp.interpolation_data(regions=[(-5, -3, g), (-3, -2, g), (1, 2, g), (Fraction(3, 2), 4, g)])
    assert [(r.lo, r.hi) for r in d.regions] == [(-5, -2), (1, 4)]


def test_two_known_regions_match_the_grid_network():
    grid = tuple(Fraction(i, 4) for i in range(-12, 13))
    f = Piecewise1D.from_kinks([Fraction(-2), Fraction(-1, 2), Fraction(1, 4), Fraction(2)],
                               [Fraction(3, 2), Fraction(-2), Fraction(-1), Fraction(5, 4)], value0=Fraction(1, 2),
                               slope_left=Fraction(3, 4))
    regs = mn.known_regions(grid)["thirds"]
    sol = lp.min_norm_interpolant(regions=[(a, b, f) for a, b in regs])
    mn.check_regions_minimiser(f, regs, sol)
    assert abs(lp.matching_min_path_norm(f, grid, "free", regions=regs) - float(sol.value)) <= 1e-8


@pytest.mark.parametrize("shift", [0, 3])
def test_penalized_column_generation_converges_away_from_zero(shift):
    # guards against gaps probed outside themselves: the columns between points must still be found
    x = tuple(v + shift for v in mn.BIAS_X)
    sol = lp.min_norm_interpolant(x, mn.BIAS_Y, bias="penalized")
    mn.check_min_norm_certificate(x, mn.BIAS_Y, sol)
    assert sol.iterations > 1
