"""numerics.minnorm.shallow_relu: gradients against finite differences, every optimizer against a plain NumPy
reference (PyTorch's update rules), serial vs parallel kernels, exact distances, norms, bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from numerics.minnorm import shallow_relu as sr
from proofs_check.crn import claim_seed, prefix_draw


def _problem(seed=0, n=12, m=9):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    y = np.sin(2 * x)
    net = sr.ShallowNet(rng.uniform(-1, 1, m), rng.uniform(-1, 1, m), rng.uniform(-1, 1, m), 0.3, -0.2)
    return x, y, net


@pytest.mark.parametrize("bias", ["free", "penalized"])
@pytest.mark.parametrize("skip", [False, True])
def test_kernel_gradient_matches_central_differences(bias, skip):
    x, y, net = _problem()
    lam = 0.07
    res = sr.train(x, y, net, "gd", lr=0.1, steps=0, lam=lam, bias=bias, skip=skip)
    J0, g_ref, gh_ref = sr.loss_grad_numpy(x, y, net, lam, bias, skip)
    assert res.objective[-1] == pytest.approx(J0, rel=1e-13)
    assert np.allclose(res.grad[:-1], g_ref, atol=1e-14, rtol=1e-12)
    h = 1e-6
    P = np.column_stack([net.a, net.b, net.c])
    for i in range(net.width):
        for j in range(3):
            Pp, Pm = P.copy(), P.copy()
            Pp[i, j] += h
            Pm[i, j] -= h
            Jp = sr.loss_grad_numpy(x, y, sr.ShallowNet(*Pp.T, net.d, net.e), lam, bias, skip)[0]
            Jm = sr.loss_grad_numpy(x, y, sr.ShallowNet(*Pm.T, net.d, net.e), lam, bias, skip)[0]
            assert res.grad[i, j] == pytest.approx((Jp - Jm) / (2 * h), abs=1e-8)
    for j, name in enumerate(("d", "e")):
        if name == "e" and not skip:
            assert res.grad[-1, 1] == 0.0
            continue
        kw = {"d": net.d, "e": net.e}
        kw[name] += h
        Jp = sr.loss_grad_numpy(x, y, sr.ShallowNet(net.a, net.b, net.c, **kw), lam, bias, skip)[0]
        kw[name] -= 2 * h
        Jm = sr.loss_grad_numpy(x, y, sr.ShallowNet(net.a, net.b, net.c, **kw), lam, bias, skip)[0]
        assert res.grad[-1, j] == pytest.approx((Jp - Jm) / (2 * h), abs=1e-8)


@pytest.mark.parametrize("method", ["gd", "sgd", "adam", "adamw"])
@pytest.mark.parametrize("bias, skip", [("free", False), ("penalized", True)])
def test_every_optimizer_matches_the_numpy_reference(method, bias, skip):
    x, y, net = _problem(1)
    rng = np.random.default_rng(5)
    batches = sr.minibatches(rng, x.size, 300, 4) if method == "sgd" else None
    lr = 0.02 if method in ("gd", "sgd") else 3e-3
    got = sr.train(x, y, net, method, lr=lr, steps=300, lam=0.05, bias=bias, skip=skip, batches=batches).net
    ref = sr.train_numpy(x, y, net, method, lr=lr, steps=300, lam=0.05, bias=bias, skip=skip, batches=batches)
    for u, v in ((got.a, ref.a), (got.b, ref.b), (got.c, ref.c), (got.d, ref.d), (got.e, ref.e)):
        assert np.allclose(u, v, atol=1e-12, rtol=1e-10)


def test_adam_minibatches_and_a_last_full_batch_step():
    """Mini-batches smaller than the data set: the final full-batch loss and gradient are the reference's."""
    x, y, net = _problem(2, n=40, m=6)
    b = sr.minibatches(np.random.default_rng(0), 40, 50, 3)
    res = sr.train(x, y, net, "adam", lr=1e-2, steps=50, lam=0.01, batches=b)
    J, g, _ = sr.loss_grad_numpy(x, y, res.net, 0.01)
    assert res.objective[-1] == pytest.approx(J, rel=1e-12)
    assert np.allclose(res.grad[:-1], g, atol=1e-13)


def test_serial_and_parallel_kernels_agree_bitwise():
    x, y, net = _problem(3, n=30, m=20)
    outs = []
    for kernel in (sr._train_kernel_serial, sr._train_kernel):
        o = net.copy()
        head = o.head
        hist = np.full((3, 3), np.nan)
        grads = np.zeros((o.width + 1, 3))
        bt = np.full((200, 1), -1, dtype=np.int64)
        kernel(x, y, o.a, o.b, o.c, head, sr.ADAM, 1e-2, 0.01, True, True, bt, 0.9, 0.999, 1e-8, 1000, hist, grads)
        outs.append(np.concatenate([o.a, o.b, o.c, head, grads.ravel()]))
    assert np.array_equal(outs[0], outs[1])


def test_weight_decay_drives_balance_and_path_norm_bounds_the_penalty():
    x, y, net = _problem(4)
    res = sr.train(x, y, net, "gd", lr=0.05, steps=20000, lam=0.05, bias="free")
    n2 = res.net
    assert sr.penalty(n2, "free") >= sr.path_norm(n2, "free") - 1e-12
    assert sr.penalty(n2, "free") == pytest.approx(sr.path_norm(n2, "free"), rel=1e-3)
    bal = sr.balance(net, "penalized")
    assert sr.penalty(bal, "penalized") == pytest.approx(sr.path_norm(net, "penalized"), rel=1e-12)
    xs = np.linspace(-3, 3, 101)
    assert np.allclose(sr.evaluate(bal, xs)[0], sr.evaluate(net, xs)[0], atol=1e-12)


def test_net_from_kinks_realises_the_function_with_its_cost():
    net = sr.net_from_kinks([-1, 0, 1], [2, -2, 2], value0=0.5, slope_left=-1.0)
    xs = np.array([-3.0, -1, -0.5, 0, 0.5, 1, 3])
    expect = 0.5 - xs + 2 * np.maximum(xs + 1, 0) - 2 * np.maximum(xs, 0) + 2 * np.maximum(xs - 1, 0)
    assert np.allclose(sr.evaluate(net, xs)[0], expect)
    assert sr.path_norm(net, "free") == pytest.approx(6 + 2)  # TV 6 plus the linear part's 2|s|


@given(st.integers(0, 2**31), st.integers(1, 12), st.integers(1, 6))
@settings(max_examples=20)
def test_exact_distances_against_a_dense_grid(seed, m, k):
    rng = np.random.default_rng(seed)
    net = sr.ShallowNet(rng.standard_normal(m), rng.standard_normal(m), rng.standard_normal(m), rng.standard_normal())
    kx = np.sort(rng.uniform(-2, 2, k))
    kx = kx[np.concatenate([[True], np.diff(kx) > 1e-6])]
    ky = rng.standard_normal(kx.size)
    d = sr.w1inf_distance(net, kx, ky, 0.5, -0.5, (-2.5, 2.5))
    grid = np.linspace(-2.5, 2.5, 200001)
    f, _ = sr.evaluate(net, grid)
    g, _ = sr.pl_values(kx, ky, 0.5, -0.5, grid)
    assert d.sup >= np.max(np.abs(f - g)) - 1e-12
    assert d.sup == pytest.approx(np.max(np.abs(f - g)), abs=1e-3 * (1 + d.sup))
    l2 = sr.l2_distance(net, kx, ky, 0.5, -0.5, (-2.5, 2.5))
    assert l2 == pytest.approx(math.sqrt(np.trapezoid((f - g) ** 2, grid)), rel=1e-6, abs=1e-9)
    mids = 0.5 * (grid[1:] + grid[:-1])
    _, df = sr.evaluate(net, mids)
    _, dg = sr.pl_values(kx, ky, 0.5, -0.5, mids)
    assert d.sup_derivative >= np.max(np.abs(df - dg)) - 1e-9


def test_pl_distance_of_two_ramps():
    d = sr.pl_distance([-1, 1], [0, 1], (0, 0), [-1, 1], [0, 2], (0, 0), (-2, 2))
    assert d.sup == 1 and d.sup_derivative == 0.5
    # difference: 0 on [-2,-1], ramp to 1 on [-1,1], 1 on [1,2]: ∫ = 2/3 + 1
    assert d.l2 == pytest.approx(math.sqrt(2 / 3 + 1))


@pytest.mark.parametrize("law", sr.INIT_LAWS)
def test_initialisation_laws_and_prefix_property(law):
    seed = claim_seed(0, "minnorm.test", 0)
    small = sr.init_from_block(prefix_draw(seed, 64, sr.init_block), law=law)
    big = sr.init_from_block(prefix_draw(seed, 128, sr.init_block), law=law)
    assert np.array_equal(small.b, big.b[:64]) and np.all(np.abs(small.b) <= 1)
    if law == "pytorch":
        assert np.all(np.abs(small.a) <= 1) and np.all(np.abs(small.c) <= 1 / 8)
        assert np.array_equal(small.a, big.a[:64])
    elif law == "xavier_uniform":
        assert np.all(np.abs(small.a) <= math.sqrt(6 / 65)) and np.all(np.abs(small.c) <= math.sqrt(6 / 65))
    else:
        big_draw = sr.init_from_block(prefix_draw(seed, 4096, sr.init_block), law=law)
        assert np.std(big_draw.a) == pytest.approx(math.sqrt(2 / 4097), rel=0.05)


def test_minibatches_are_epochs_of_permutations():
    b = sr.minibatches(np.random.default_rng(1), 10, 15, 4)
    flat = b.ravel()
    assert b.shape == (15, 4)
    for e in range(6):
        assert sorted(flat[10 * e:10 * e + 10]) == list(range(10))


# ---- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, match", [
    ({"method": "rmsprop"}, "method"),
    ({"lr": 0.0}, "lr"),
    ({"lr": float("nan")}, "lr"),
    ({"steps": -1}, "steps"),
    ({"steps": 2.5}, "steps"),
    ({"lam": -0.1}, "lam"),
    ({"bias": "both"}, "bias"),
    ({"beta1": 1.0}, "beta1"),
    ({"eps": 0.0}, "eps"),
    ({"record": 0}, "record"),
    ({"method": "sgd"}, "batches"),
    ({"method": "sgd", "batches": np.zeros((5, 2), dtype=np.int64)}, "batches"),
    ({"method": "sgd", "batches": np.full((10, 2), 99, dtype=np.int64)}, "batches"),
    ({"method": "sgd", "batches": np.zeros((10, 2))}, "batches"),
])
def test_train_bad_input(kwargs, match):
    x, y, net = _problem()
    args = dict(method="gd", lr=0.1, steps=10)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        sr.train(x, y, net, **args)


@pytest.mark.parametrize("args, match", [
    (([0.0, 1.0], [0.0]), "y"),
    (([[0.0, 1.0]], [0.0, 1.0]), "x"),
    (([], []), "x"),
    (([0.0, np.inf], [0.0, 1.0]), "x"),
])
def test_train_bad_data(args, match):
    _, _, net = _problem()
    with pytest.raises(ValueError, match=match):
        sr.train(*args, net, steps=1)


@pytest.mark.parametrize("make, match", [
    (lambda: sr.ShallowNet([], [], []), "a"),
    (lambda: sr.ShallowNet([1.0], [1.0, 2.0], [1.0]), "b"),
    (lambda: sr.ShallowNet([1.0], [1.0], [np.nan]), "c"),
    (lambda: sr.ShallowNet([1.0], [1.0], [1.0], d=np.inf), "d"),
    (lambda: sr.init_from_block(np.zeros((4, 2))), "block"),
    (lambda: sr.init_from_block(np.zeros((4, 3)), law="he"), "law"),
    (lambda: sr.minibatches(np.random.default_rng(0), 3, 5, 4), "batch_size"),
    (lambda: sr.path_norm(_problem()[2], "l1"), "bias"),
    (lambda: sr.w1inf_distance(_problem()[2], [0, 0], [1, 2], 0, 0, (-1, 1)), "knots_x"),
    (lambda: sr.w1inf_distance(_problem()[2], [0, 1], [1, 2], 0, 0, (1, -1)), "interval"),
    (lambda: sr.pl_values([0, 1], [1, 2], float("nan"), 0, [0.5]), "left_slope"),
])
def test_other_bad_input(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_divergence_is_reported():
    x, y, net = _problem()
    with pytest.raises(FloatingPointError, match="diverged"):
        sr.train(x, y * 1e3, net, "gd", lr=50.0, steps=200)
