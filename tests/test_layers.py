"""Each operation of cnn/layers.py against a slow loop-based reference, and finite-difference gradients."""

import math

import numpy as np
import pytest

from cnnviz.cnn import config as C
from cnnviz.cnn import layers as L
from cnnviz.cnn.model import Model
from cnnviz.cnn.train import init_params

TOL = dict(rtol=1e-5, atol=1e-6)    # float32 vectorised result vs float64 loop reference
GRAD_TOL = dict(rtol=1e-5, atol=1e-8)   # float64 analytic vs central differences
EPS = 1e-6                          # finite-difference step (float64)

# (N, C, H, W, F, k) conv shapes, including the network's own two
CONV_SHAPES = [(1, 1, 28, 28, 2, 5), (2, 2, 12, 12, 4, 3), (3, 3, 7, 9, 2, 3), (1, 2, 5, 5, 3, 5)]
POOL_SHAPES = [(1, 2, 24, 24), (2, 4, 10, 10), (3, 1, 4, 6)]
SEEDS = [0, 1]


def rand(rng, *shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


# ---- slow, obvious references -------------------------------------------------------------------

def ref_conv(x, w, b):
    n, c, h, wd = x.shape
    f, _, k, _ = w.shape
    out = np.zeros((n, f, h - k + 1, wd - k + 1))
    for i in np.ndindex(out.shape):
        ni, fi, r, col = i
        out[i] = sum(float(x[ni, ci, r + a, col + d]) * float(w[fi, ci, a, d])
                     for ci in range(c) for a in range(k) for d in range(k)) + float(b[fi])
    return out


def ref_conv_backward(dout, x, w):
    k = w.shape[-1]
    dx, dw, db = np.zeros(x.shape), np.zeros(w.shape), np.zeros(w.shape[0])
    for ni, fi, r, col in np.ndindex(dout.shape):
        g = float(dout[ni, fi, r, col])
        dx[ni, :, r:r + k, col:col + k] += g * w[fi].astype(np.float64)
        dw[fi] += g * x[ni, :, r:r + k, col:col + k].astype(np.float64)
        db[fi] += g
    return dx, dw, db


def ref_pool(x, p):
    n, c, h, w = x.shape
    out, arg = np.zeros((n, c, h // p, w // p), x.dtype), np.zeros((n, c, h // p, w // p), int)
    for ni, ci, r, col in np.ndindex(out.shape):
        cells = [x[ni, ci, r * p + a, col * p + d] for a in range(p) for d in range(p)]   # row-major
        best = max(cells)
        out[ni, ci, r, col], arg[ni, ci, r, col] = best, cells.index(best)    # first maximum
    return out, arg


def ref_softmax(row):
    m = max(row)
    e = [math.exp(float(z) - m) for z in row]
    return [v / sum(e) for v in e]


def ref_sigmoid(v):
    v = float(v)
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)) if v > -745 else 0.0


def numeric_grad(f, a):
    """Central differences of the scalar f() with respect to every entry of a (changed in place)."""
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + EPS
        up = f()
        a[i] = old - EPS
        down = f()
        a[i] = old
        g[i] = (up - down) / (2 * EPS)
    return g


# ---- forward passes against the references ------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", CONV_SHAPES)
def test_conv_forward_matches_loops(shape, seed):
    """conv_forward equals the loop cross-correlation plus bias."""
    n, c, h, w, f, k = shape
    rng = np.random.default_rng(seed)
    x, wt, b = rand(rng, n, c, h, w), rand(rng, f, c, k, k), rand(rng, f)
    out = L.conv_forward(x, wt, b)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref_conv(x, wt, b), **TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", CONV_SHAPES)
def test_conv_backward_matches_loops(shape, seed):
    """conv_backward's dx, dw, db equal the loop scatter of dout."""
    n, c, h, w, f, k = shape
    rng = np.random.default_rng(seed)
    x, wt = rand(rng, n, c, h, w), rand(rng, f, c, k, k)
    dout = rand(rng, n, f, h - k + 1, w - k + 1)
    for got, want in zip(L.conv_backward(dout, x, wt), ref_conv_backward(dout, x, wt)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", CONV_SHAPES)
def test_conv_products_are_weight_times_window(shape, seed):
    """conv_products[f, i, j] is kernel f times the window at (i, j), exactly."""
    _, c, h, w, f, k = shape
    rng = np.random.default_rng(seed)
    x, wt = rand(rng, c, h, w), rand(rng, f, c, k, k)
    prod = L.conv_products(x, wt)
    assert prod.shape == (f, h - k + 1, w - k + 1, c, k, k)
    for fi, i, j in np.ndindex(prod.shape[:3]):
        np.testing.assert_array_equal(prod[fi, i, j], wt[fi] * x[:, i:i + k, j:j + k])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("op, scale", [("relu", 1.0), ("sigmoid", 1.0), ("sigmoid", 30.0)])
def test_activations_match_loops(op, scale, seed):
    """relu is max(x, 0) exactly; sigmoid is 1 / (1 + exp(-x)); both keep float32."""
    x = rand(np.random.default_rng(seed), 2, 4, 10, 10) * np.float32(scale)
    got = {"relu": L.relu_forward, "sigmoid": L.sigmoid_forward}[op](x)
    want = np.vectorize(lambda v: max(float(v), 0.0) if op == "relu" else ref_sigmoid(v))(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5 if op == "sigmoid" else 0, atol=1e-38)


def test_sigmoid_large_inputs_without_overflow():
    """Huge |x| saturate to exactly 0 or 1 without overflow warnings."""
    big = np.finfo(np.float32).max
    x = np.array([-np.inf, -big, -1e30, -1000, -100, -88, 0, 88, 100, 1000, 1e30, big, np.inf], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = L.sigmoid_forward(x)
    assert np.all((y >= 0) & (y <= 1))
    assert y[0] == y[1] == y[2] == 0 and y[-1] == y[-2] == y[-3] == 1 and y[6] == 0.5
    np.testing.assert_allclose(y, np.vectorize(ref_sigmoid)(x), rtol=1e-5, atol=1e-38)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", POOL_SHAPES)
def test_pool_forward_matches_loops(shape, seed):
    """pool_forward gives each window's maximum and its row-major index."""
    x = rand(np.random.default_rng(seed), *shape)
    out, arg = L.pool_forward(x, C.POOL)
    want_out, want_arg = ref_pool(x, C.POOL)
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_array_equal(arg, want_arg)


@pytest.mark.parametrize("window, expected", [
    ([[1, 2], [3, 4]], 3), ([[4, 3], [2, 1]], 0), ([[0, 9], [1, 2]], 1), ([[0, 1], [9, 2]], 2),
    ([[5, 5], [5, 5]], 0), ([[1, 7], [7, 0]], 1), ([[0, 0], [3, 3]], 2),   # ties: the first in row-major order
])
def test_pool_argmax_semantics(window, expected):
    """argmax is the row-major index (2*row + col) of the first maximum; backward routes there."""
    x = np.array(window, np.float32)[None, None]
    out, arg = L.pool_forward(x, C.POOL)
    assert arg.item() == expected and out.item() == max(max(r) for r in window)
    dx = L.pool_backward(np.ones((1, 1, 1, 1), np.float32), arg, C.POOL)
    want = np.zeros((2, 2), np.float32)
    want[divmod(expected, 2)] = 1
    np.testing.assert_array_equal(dx[0, 0], want)


@pytest.mark.parametrize("shape", POOL_SHAPES)
def test_pool_backward_matches_loops(shape):
    """pool_backward puts each window's gradient on its argmax cell and zero elsewhere."""
    rng = np.random.default_rng(3)
    x = rand(rng, *shape)
    _, arg = L.pool_forward(x, C.POOL)
    dout = rand(rng, *arg.shape)
    want = np.zeros_like(x)
    for ni, ci, r, col in np.ndindex(arg.shape):
        a, d = divmod(int(arg[ni, ci, r, col]), C.POOL)
        want[ni, ci, r * C.POOL + a, col * C.POOL + d] = dout[ni, ci, r, col]
    np.testing.assert_array_equal(L.pool_backward(dout, arg, C.POOL), want)


@pytest.mark.parametrize("shape", [(1, 4, 5, 5), (3, 2, 3, 4)])
def test_flatten_order_is_channel_row_column(shape):
    """flatten_forward lists channel 0 row by row, then channel 1, and so on."""
    x = rand(np.random.default_rng(0), *shape)
    want = [[x[n, c, r, col] for c in range(shape[1]) for r in range(shape[2]) for col in range(shape[3])]
            for n in range(shape[0])]
    np.testing.assert_array_equal(L.flatten_forward(x), np.array(want, np.float32))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n, d, k", [(1, C.FLAT, C.NUM_CLASSES), (4, 7, 3)])
def test_dense_matches_loops(n, d, k, seed):
    """dense_forward equals sum of weight * input plus bias for each output."""
    rng = np.random.default_rng(seed)
    x, w, b = rand(rng, n, d), rand(rng, k, d), rand(rng, k)
    want = [[sum(float(w[j, i]) * float(x[r, i]) for i in range(d)) + float(b[j]) for j in range(k)]
            for r in range(n)]
    np.testing.assert_allclose(L.dense_forward(x, w, b), want, **TOL)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_softmax_matches_loops(seed, scale):
    """softmax rows equal exp(z) / sum exp(z), sum to 1, and survive huge logits."""
    z = rand(np.random.default_rng(seed), 5, C.NUM_CLASSES) * np.float32(scale)
    p = L.softmax(z)
    np.testing.assert_allclose(p, [ref_softmax(row) for row in z], rtol=1e-5, atol=1e-30)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_cross_entropy_matches_loops(seed):
    """cross_entropy is the mean of -log p[label], and dz = (p - onehot) / N."""
    rng = np.random.default_rng(seed)
    z, y = rand(rng, 6, C.NUM_CLASSES), rng.integers(0, C.NUM_CLASSES, 6)
    probs = [ref_softmax(row) for row in z]
    loss, dz = L.cross_entropy(z, y)
    assert loss == pytest.approx(sum(-math.log(p[t]) for p, t in zip(probs, y)) / len(y), rel=1e-5)
    want = [[(p[j] - (j == t)) / len(y) for j in range(C.NUM_CLASSES)] for p, t in zip(probs, y)]
    np.testing.assert_allclose(dz, want, **TOL)


# ---- finite-difference gradient checks (float64) ------------------------------------------------

# op -> (forward(*args), backward(G, *args) -> gradient per arg, arg shapes)
GRAD_CASES = {
    "conv3": (L.conv_forward, lambda g, x, w, b: L.conv_backward(g, x, w), [(2, 2, 6, 6), (3, 2, 3, 3), (3,)]),
    "conv5": (L.conv_forward, lambda g, x, w, b: L.conv_backward(g, x, w), [(1, 1, 7, 6), (2, 1, 5, 5), (2,)]),
    "relu": (L.relu_forward, lambda g, x: (L.relu_backward(g, x),), [(2, 3, 4, 6)]),
    "sigmoid": (L.sigmoid_forward, lambda g, x: (L.sigmoid_backward(g, L.sigmoid_forward(x)),), [(2, 3, 4, 6)]),
    "pool": (lambda x: L.pool_forward(x, C.POOL)[0],
             lambda g, x: (L.pool_backward(g, L.pool_forward(x, C.POOL)[1], C.POOL),), [(2, 3, 4, 6)]),
    "dense": (L.dense_forward, lambda g, x, w, b: L.dense_backward(g, x, w), [(3, 8), (5, 8), (5,)]),
}


@pytest.mark.parametrize("op", GRAD_CASES)
def test_backward_matches_finite_differences(op):
    """Each backward pass matches central differences of sum(forward(*args) * G) for every argument."""
    forward, backward, shapes = GRAD_CASES[op]
    rng = np.random.default_rng(2)
    args = []
    for shape in shapes:    # |values| >= 0.1, so a small step never crosses relu's kink
        a = rand(rng, *shape, dtype=np.float64)
        args.append(np.where(a >= 0, a + 0.1, a - 0.1))
    g = rand(rng, *forward(*args).shape, dtype=np.float64)
    grads = backward(g, *args)
    assert len(grads) == len(args)
    for got, a in zip(grads, args):
        np.testing.assert_allclose(got, numeric_grad(lambda: float((forward(*args) * g).sum()), a), **GRAD_TOL)


def test_cross_entropy_gradient_finite_difference():
    """cross_entropy's dz matches central differences of its loss."""
    rng = np.random.default_rng(5)
    z, y = rand(rng, 4, C.NUM_CLASSES, dtype=np.float64), rng.integers(0, C.NUM_CLASSES, 4)
    _, dz = L.cross_entropy(z, y)
    np.testing.assert_allclose(dz, numeric_grad(lambda: L.cross_entropy(z, y)[0], z), **GRAD_TOL)


@pytest.mark.parametrize("seed", [0, 7])
def test_model_gradients_finite_difference(seed):
    """Model.loss_and_grads matches central differences for every one of the 1,138 parameters."""
    rng = np.random.default_rng(seed)
    model = Model(init_params(rng))
    model.params = {k: v.astype(np.float64) for k, v in model.params.items()}
    x = rng.uniform(0, 1, (2, C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32)
    y = rng.integers(0, C.NUM_CLASSES, 2)
    _, _, grads = model.loss_and_grads(x, y)
    assert sum(g.size for g in grads.values()) == C.PARAM_COUNT
    for name, p in model.params.items():
        assert grads[name].dtype == np.float64
        num = numeric_grad(lambda: model.loss_and_grads(x, y)[0], p)
        np.testing.assert_allclose(grads[name], num, rtol=1e-5, atol=1e-8, err_msg=name)


@pytest.mark.parametrize("act", ["relu", "sigmoid"])
def test_pooling_before_the_activation_is_pooling_after(act):
    """Model.forward pools before relu and sigmoid: the same outputs exactly and (barring ties) the same gradient."""
    forward, backward = {"relu": (L.relu_forward, lambda g, x, y: L.relu_backward(g, x)),
                         "sigmoid": (L.sigmoid_forward, lambda g, x, y: L.sigmoid_backward(g, y))}[act]
    rng = np.random.default_rng(4)
    x = rand(rng, 3, 2, 8, 8) * np.float32(4)
    after, arg_after = L.pool_forward(forward(x), C.POOL)
    top, arg_before = L.pool_forward(x, C.POOL)
    before = forward(top)
    np.testing.assert_array_equal(before, after)
    g = rand(rng, *after.shape)
    want = backward(L.pool_backward(g, arg_after, C.POOL), x, forward(x))
    got = L.pool_backward(backward(g, top, before), arg_before, C.POOL)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("shape", CONV_SHAPES)
def test_flat_columns_are_the_windows(shape):
    """im2col_flat's column y*W + x holds the window at (y, x); col2im_flat adds columns back (its adjoint)."""
    n, c, h, w, f, k = shape
    rng = np.random.default_rng(6)
    x = rand(rng, n, c, h, w)
    cols = L.im2col_flat(x, k)
    for y, col in np.ndindex(h - k + 1, w - k + 1):
        np.testing.assert_array_equal(cols[:, :, y * w + col].reshape(n, c, k, k), x[:, :, y:y + k, col:col + k])
    d = rand(rng, *cols.shape)
    lhs = float((cols.astype(np.float64) * d).sum())                  # <im2col(x), d> = <x, col2im(d)>
    rhs = float((x.astype(np.float64) * L.col2im_flat(d, x.shape, k)).sum())
    assert lhs == pytest.approx(rhs, rel=1e-5)
