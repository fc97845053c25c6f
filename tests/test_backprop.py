"""The backward trace of one image against central differences of the engine's own forward, and the SGD step."""

import numpy as np
import pytest

from cnnviz import cnn
from cnnviz.cnn import config as C
from cnnviz.cnn import layers as L
from cnnviz.cnn import mnist, network
from cnnviz.cnn.model import Model
from cnnviz.cnn.train import init_params

from .test_layers import numeric_grad

GRAD_TOL = dict(rtol=1e-5, atol=1e-8)        # float64 analytic vs central differences (loss ~12: round-off ~1e-9)
F32_TOL = dict(rtol=2e-4, atol=1e-7)         # the float32 backward trace vs the same in float64
BACKWARD_NAMES = list(reversed(C.STAGE_NAMES))


@pytest.fixture(scope="module")
def digits():
    images, labels = mnist.load(mnist.DEFAULT_DIR, "test")
    return images[:2], labels[:2]


def weights(which):
    """The shipped weights, or untrained ones, whose gradients are large."""
    return cnn.load_model().params if which == "shipped" else init_params(np.random.default_rng(3))


def float64(params):
    return {k: v.astype(np.float64) for k, v in params.items()}


def loss_after(params, trace, name, value, label):
    """The loss as a function of one stage's output: the stages after it run on value (float64, no batch axis),
    each pool keeping the winners the forward pass chose, so that the function is smooth around the trace (at a
    tie, a tiny change would move the maximum; the gradient goes to the first cell, as the view shows)."""
    x = value
    for op in network.NETWORK[C.STAGE_NAMES.index(name) + 1:]:
        x, details = (winners(x, trace[op.name].details["argmax"]), None) if op.kind == "pool" else op.record(x, params)
    return network.label_loss(details, label)              # the softmax's, the last stage


def winners(x, argmax):
    """(C, H, W) -> (C, H/2, W/2): each window's cell at argmax (0..3, row-major)."""
    cells = np.stack([x[:, i::C.POOL, j::C.POOL] for i in range(C.POOL) for j in range(C.POOL)])
    return np.take_along_axis(cells, argmax[None].astype(int), 0)[0]


def backward64(params, image, label):
    """The backward trace with every parameter (and so every stage) in float64, and its forward trace."""
    trace = cnn.trace.Trace(network.trace_stages(params, image))
    return trace, cnn.trace.Stages(network.backward_stages(params, trace, label))


@pytest.mark.parametrize("which", ["shipped", "untrained"])
@pytest.mark.parametrize("digit", [0, 1])
def test_every_stage_gradient_matches_finite_differences(which, digit, digits):
    """∂L/∂(each stage's output), and ∂L/∂ every one of the 1,138 parameters, equal central differences of the
    engine's own forward pass (its pooling winners kept), towards a wrong label."""
    params = float64(weights(which))
    image, label = digits[0][digit], (int(digits[1][digit]) + 3) % C.NUM_CLASSES
    trace, back = backward64(params, image.astype(np.float64), label)
    assert [b.name for b in back] == BACKWARD_NAMES
    for b in back:
        if b.kind == "softmax":
            continue                          # ∂L/∂p is checked below: p is not free (it sums to 1)
        value = trace[b.name].output.astype(np.float64).copy()
        want = numeric_grad(lambda: loss_after(params, trace, b.name, value, label), value)
        np.testing.assert_allclose(b.grad_output, want, **GRAD_TOL, err_msg=b.name)
    for name, p in params.items():
        stage, part = name.split(".")
        want = numeric_grad(lambda: loss_after(params, trace, "input", image.astype(np.float64)[None], label), p)
        np.testing.assert_allclose(back[stage].grads[part], want, **GRAD_TOL, err_msg=name)


def test_each_stage_passes_its_input_gradient_on():
    """A stage's grad_input is the grad_output of the stage before it, shaped as that stage's output."""
    model = cnn.load_model()
    b = model.backprop(np.random.default_rng(0).uniform(0, 1, (28, 28)), 4)
    for later, earlier in zip(list(b)[:-1], list(b)[1:]):
        np.testing.assert_array_equal(later.grad_input.reshape(earlier.grad_output.shape), earlier.grad_output)
    assert b["input"].grad_input is None
    for name, _, shape in C.STAGES:
        assert b[name].grad_output.shape == shape


def test_softmax_backward_is_p_minus_onehot_and_the_loss_its_log(digits):
    """∂L/∂logits is p - onehot class by class; ∂L/∂p is -1/p at the label; the loss -log p[label]."""
    model = cnn.load_model()
    image, label = digits[0][0], 3
    b, p = model.backprop(image, label), model.trace(image).probabilities
    np.testing.assert_array_equal(b["softmax"].grad_input, p - np.eye(10, dtype=np.float32)[label])
    assert b.loss == pytest.approx(-np.log(np.float64(p[label])), rel=1e-5)
    dp = b["softmax"].grad_output
    assert dp[label] == pytest.approx(-1 / np.float64(p[label]), rel=1e-5) and not dp[np.arange(10) != label].any()
    assert b.loss == pytest.approx(12.25, abs=0.01)      # test-00000, a 7, towards 3 (the README's example)


def test_no_line_holds_a_nan_or_an_infinity():
    """Logits far apart (p[label] rounds to 0 in float32): the loss, ∂L/∂p and every gradient stay finite."""
    params = dict(cnn.load_model().params)
    params["dense.bias"] = np.float32([0, 0, 0, 0, 0, 0, 0, 5000, 0, -5000])
    b = Model(params).backprop(np.zeros((28, 28)), 9)
    assert np.isfinite(b.loss) and b.loss > 5000
    for s in b:
        for a in (s.grad_output, s.grad_input, *s.grads.values(), *s.details.values()):
            assert a is None or np.isfinite(a).all(), s.name
    assert np.isfinite(b.step.losses).all()


@pytest.mark.parametrize("which", ["shipped", "untrained"])
def test_the_trace_gradients_are_the_training_gradients(which, digits):
    """In float32, the backward trace's parameter gradients are Model.loss_and_grads' on a batch of this one image."""
    model = Model(weights(which))
    image, label = digits[0][1], 5
    b = model.backprop(image, label)
    _, _, grads = model.loss_and_grads(image[None], np.array([label]))
    for name, g in grads.items():
        stage, part = name.split(".")
        np.testing.assert_allclose(b[stage].grads[part], g, **F32_TOL, err_msg=name)


def test_the_recorded_products_add_up_to_the_gradients(digits):
    """Conv: the running sums end at the weight gradient, each the sum of its products; the input products sum to
    grad_input. Dense: each input's 10 products sum to its gradient."""
    b = Model(weights("untrained")).backprop(digits[0][0], 2)
    for name in ("conv1", "conv2"):
        d = b[name].details
        f, oh, ow, c, k, _ = d["weight_products"].shape
        flat = d["weight_products"].reshape(f, oh * ow, -1)
        np.testing.assert_array_equal(d["accumulated"].reshape(f, oh * ow, -1), np.cumsum(flat, axis=1))
        np.testing.assert_array_equal(d["accumulated"][:, -1, -1], b[name].grads["weight"])
        np.testing.assert_array_equal(d["bias_accumulated"][:, -1, -1], b[name].grads["bias"])
        if name == "conv2":           # conv1's input gradient is shown as a map, without its products
            np.testing.assert_allclose(d["input_products"].sum(axis=(3, 4, 5)), b[name].grad_input, rtol=1e-6)
    d = b["dense"].details
    np.testing.assert_array_equal(d["products"].sum(axis=0), b["dense"].grad_input)


def ref_weight_products(x, dout, k):
    f, oh, ow = dout.shape
    out = np.zeros((f, oh, ow, x.shape[0], k, k))
    for fi, i, j in np.ndindex(dout.shape):
        out[fi, i, j] = dout[fi, i, j] * x[:, i:i + k, j:j + k]
    return out


def ref_input_products(dout, w):
    f, c, k, _ = w.shape
    oh, ow = dout.shape[1:]
    out = np.zeros((c, oh + k - 1, ow + k - 1, f, k, k))
    for ci, fi, i, j, a, d in np.ndindex(c, f, oh, ow, k, k):
        out[ci, i + a, j + d, fi, a, d] = w[fi, ci, a, d] * dout[fi, i, j]
    return out


@pytest.mark.parametrize("shape", [(1, 28, 2, 5), (2, 12, 4, 3), (3, 7, 2, 3)])
def test_conv_products_of_the_backward_match_loops(shape):
    """layers.conv_weight_products and conv_input_products against loops over every window."""
    c, h, f, k = shape
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((c, h, h)).astype(np.float32), rng.standard_normal((f, c, k, k)).astype(np.float32)
    dout = rng.standard_normal((f, h - k + 1, h - k + 1)).astype(np.float32)
    got = L.position_major(L.conv_weight_products(x, dout), c, k, h - k + 1, h - k + 1)
    np.testing.assert_allclose(got, ref_weight_products(x, dout, k), rtol=1e-6)
    np.testing.assert_allclose(L.conv_input_products(dout, w), ref_input_products(dout, w), rtol=1e-6)


def test_pool_gradient_goes_to_the_argmax_the_view_showed():
    """All-zero windows after ReLU are ties: the gradient goes to the first cell in row-major order."""
    b = cnn.load_model().backprop(np.zeros((28, 28)), 1)
    trace = cnn.load_model().trace(np.zeros((28, 28)))
    g, arg = b["pool1"].grad_input, trace["pool1"].details["argmax"]
    np.testing.assert_array_equal(b["pool1"].details["argmax"], arg)
    for ci, i, j in np.ndindex(arg.shape):
        window = g[ci, 2 * i:2 * i + 2, 2 * j:2 * j + 2].reshape(-1)
        assert (window[np.arange(4) != arg[ci, i, j]] == 0).all()
        assert window[arg[ci, i, j]] == b["pool1"].grad_output[ci, i, j]


@pytest.mark.parametrize("steps", [1, 3])
def test_the_step_is_plain_sgd(steps, digits):
    """Each parameter after one step is p - lr * g (float32, as torch.optim.SGD); the losses are those of the
    weights after each step, and fall on this image."""
    model, lr = cnn.load_model(), 0.02
    image = digits[0][0]
    b = model.backprop(image, 3, learning_rate=lr, steps=steps)
    s = b.step
    assert s.learning_rate == lr and s.steps == steps and len(s.losses) == steps + 1 and s.losses[0] == b.loss
    if steps == 1:
        for name, p in model.params.items():
            stage, part = name.split(".")
            np.testing.assert_array_equal(s.params[name], p - np.float32(lr) * b[stage].grads[part])
    after = Model(s.params).trace(image)
    np.testing.assert_allclose(s.probabilities, after.probabilities, rtol=1e-4, atol=1e-7)
    assert s.losses[-1] == pytest.approx(-np.log(np.float64(after.probabilities[3])), rel=1e-3)
    assert all(a > b for a, b in zip(s.losses, s.losses[1:]))


@pytest.mark.parametrize("args, message", [
    ((10, 0.1, 1), "label must be a digit 0 to 9"), ((-1, 0.1, 1), "label"), (("3", 0.1, 1), "label"),
    ((True, 0.1, 1), "label"), ((3, 0, 1), "learning_rate must be a number above 0"),
    ((3, float("nan"), 1), "learning_rate"), ((3, float("inf"), 1), "learning_rate"), ((3, 1e6, 1), "at most"),
    ((3, 0.1, 0), "steps must be a whole number from 1 to 100"), ((3, 0.1, 101), "steps"), ((3, 0.1, 1.5), "steps"),
])
def test_bad_arguments_say_what_is_allowed(args, message):
    with pytest.raises(ValueError, match=message):
        cnn.load_model().backprop_stages(np.zeros((28, 28)), *args)
