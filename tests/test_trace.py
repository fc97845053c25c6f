"""Model.trace: every recorded number checked against the input with slow loops, and its JSON form."""

import json

import numpy as np
import pytest

from cnnviz import cnn
from cnnviz.app.body import reject_constant
from cnnviz.cnn import config as C
from cnnviz.cnn import mnist, network
from cnnviz.cnn.model import Model
from cnnviz.cnn.serialize import decode, ndjson_line, stage_json
from cnnviz.cnn.trace import Stage
from cnnviz.cnn.train import init_params

DATA = mnist.DEFAULT_DIR
MAX_TRACE_BYTES = 300_000
TOL = dict(rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def test_images():
    return mnist.load(DATA, "test")


def make_image(which, test_images):
    """A (28, 28) float32 image: a real MNIST test digit, random noise, or blank."""
    rng = np.random.default_rng(0)
    return {"mnist0": test_images[0][0], "mnist1": test_images[0][1],
            "random": rng.uniform(0, 1, (C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32),
            "blank": np.zeros((C.IMAGE_SIZE, C.IMAGE_SIZE), np.float32)}[which]


def make_model(which):
    """The shipped model, or an untrained one ("init<seed>") whose maps look nothing like it."""
    return cnn.load_model() if which == "shipped" else Model(init_params(np.random.default_rng(int(which[4:]))))


CASES = [("shipped", "mnist0"), ("shipped", "mnist1"), ("shipped", "random"), ("shipped", "blank"),
         ("init1", "mnist0"), ("init2", "random"), ("init3", "blank")]


@pytest.fixture(params=CASES, ids=["-".join(c) for c in CASES])
def case(request, test_images):
    """(model, image, trace) for one model and one image."""
    model_name, image_name = request.param
    model, image = make_model(model_name), make_image(image_name, test_images)
    return model, image, model.trace(image)


def test_stage_names_kinds_and_shapes(case):
    """The ten stages come in config.STAGES order with their kinds and output shapes, each fed the last."""
    _, image, trace = case
    assert [(s.name, s.kind, s.output.shape) for s in trace.stages] == list(C.STAGES)
    assert tuple(s.name for s in trace.stages) == C.STAGE_NAMES
    np.testing.assert_array_equal(trace["input"].output[0], image)
    for prev, stage in zip(trace.stages, trace.stages[1:]):
        np.testing.assert_array_equal(stage.input, prev.output, err_msg=stage.name)


@pytest.mark.parametrize("name", ["conv1", "conv2"])
def test_conv_products_sums_and_output(case, name):
    """Products are weight x window at every position; they sum to 'sums'; sums + bias is the output."""
    model, _, trace = case
    stage = trace[name]
    x, w, b = stage.input, stage.params["weight"], stage.params["bias"]
    np.testing.assert_array_equal(w, model.params[f"{name}.weight"])
    np.testing.assert_array_equal(b, model.params[f"{name}.bias"])
    products, sums, k = stage.details["products"], stage.details["sums"], w.shape[-1]
    assert products.shape == stage.output.shape + (x.shape[0], k, k)
    for f, i, j in np.ndindex(stage.output.shape):
        np.testing.assert_array_equal(products[f, i, j], w[f] * x[:, i:i + k, j:j + k])
    np.testing.assert_allclose(sums, products.astype(np.float64).sum(axis=(3, 4, 5)), **TOL)
    np.testing.assert_array_equal(sums + b[:, None, None], stage.output)
    want = cnn.layers.conv_forward(x[None].astype(np.float64), w.astype(np.float64), b.astype(np.float64))[0]
    np.testing.assert_allclose(stage.output, want, **TOL)


@pytest.mark.parametrize("name", ["pool1", "pool2"])
def test_pool_argmax_points_at_each_window_maximum(case, name):
    """Each 2x2 window's argmax (row-major, first on ties) holds its maximum, and that is the output."""
    _, _, trace = case
    stage = trace[name]
    arg, p = stage.details["argmax"], C.POOL
    assert arg.dtype == np.uint8 and arg.shape == stage.output.shape
    for c, r, col in np.ndindex(stage.output.shape):
        window = stage.input[c, r * p:(r + 1) * p, col * p:(col + 1) * p]
        assert arg[c, r, col] == int(np.argmax(window))
        assert window.flat[arg[c, r, col]] == window.max() == stage.output[c, r, col]


def test_activations(case):
    """relu1 clamps negatives to zero; sigmoid2 is 1 / (1 + exp(-x)) in [0, 1]."""
    _, _, trace = case
    relu, sig = trace["relu1"], trace["sigmoid2"]
    np.testing.assert_array_equal(relu.output, np.where(relu.input > 0, relu.input, 0))
    assert np.all((sig.output >= 0) & (sig.output <= 1))
    np.testing.assert_allclose(sig.output, 1 / (1 + np.exp(-sig.input.astype(np.float64))), rtol=1e-5, atol=1e-38)


def test_flatten_order(case):
    """flatten lists pool2's channels, then rows, then columns."""
    _, _, trace = case
    pooled, flat = trace["pool2"].output, trace["flatten"].output
    c, h, w = pooled.shape
    for ch, r, col in np.ndindex(pooled.shape):
        assert flat[ch * h * w + r * w + col] == pooled[ch, r, col]


def test_dense_contributions_and_logits(case):
    """Contributions are weight x input, and each logit is its 100 contributions plus bias."""
    model, _, trace = case
    stage = trace["dense"]
    w, b, x = stage.params["weight"], stage.params["bias"], stage.input
    np.testing.assert_array_equal(w, model.params["dense.weight"])
    contrib = stage.details["contributions"]
    assert contrib.shape == (C.NUM_CLASSES, C.FLAT)
    for k, d in np.ndindex(contrib.shape):
        assert contrib[k, d] == w[k, d] * x[d]
    np.testing.assert_allclose(stage.output, contrib.astype(np.float64).sum(axis=1) + b, **TOL)
    np.testing.assert_allclose(stage.details["sums"], contrib.astype(np.float64).sum(axis=1), **TOL)
    np.testing.assert_array_equal(stage.details["sums"] + b, stage.output)     # the page's sum + bias = logit


def test_softmax_and_prediction(case):
    """Probabilities sum to 1, the prediction is their argmax, and they agree with predict_proba."""
    model, image, trace = case
    soft = trace["softmax"]
    np.testing.assert_array_equal(soft.details["logits"], trace["dense"].output)
    assert soft.output.sum() == pytest.approx(1, abs=1e-6)
    assert trace.prediction == soft.details["prediction"] == int(np.argmax(soft.output))
    np.testing.assert_array_equal(trace.probabilities, soft.output)
    np.testing.assert_allclose(soft.output, model.predict_proba(image[None])[0], **TOL)


def test_softmax_arithmetic_adds_up(case):
    """The recorded softmax steps: logit - largest, its exponential, their sum, exponential / sum = probability."""
    _, _, trace = case
    d = trace["softmax"].details
    logits = d["logits"]
    assert d["largest"] == logits.max()
    np.testing.assert_array_equal(d["shifted"], logits - d["largest"])
    assert d["shifted"].max() == 0 and d["exponentials"].max() == 1     # the largest logit's exponential is 1
    np.testing.assert_allclose(d["exponentials"], np.exp(d["shifted"].astype(np.float64)), rtol=1e-6, atol=1e-38)
    np.testing.assert_allclose(d["sum"], d["exponentials"].astype(np.float64).sum(), rtol=1e-6)
    np.testing.assert_array_equal(d["exponentials"] / d["sum"], trace.probabilities)   # float32, as on the page
    np.testing.assert_allclose(trace.probabilities, np.exp(logits.astype(np.float64)) /
                               np.exp(logits.astype(np.float64)).sum(), rtol=1e-5, atol=1e-30)
    np.testing.assert_array_equal(trace.probabilities, cnn.layers.softmax(logits))


def test_softmax_details_as_plain_json_numbers(case):
    """The softmax line carries its arithmetic as plain numbers that are the float32 values exactly."""
    _, _, trace = case
    d, line = trace["softmax"].details, cnn.trace_json(trace)[-1]
    for key in ("logits", "shifted", "exponentials"):
        assert np.array(line[key], np.float32).tobytes() == d[key].tobytes()
    assert np.float32(line["largest"]) == d["largest"] and np.float32(line["sum"]) == d["sum"]
    quotients = np.array(line["exponentials"], np.float32) / np.float32(line["sum"])
    np.testing.assert_array_equal(quotients, np.array(line["probabilities"], np.float32))


def test_softmax_of_huge_logits_does_not_overflow():
    """Subtracting the largest logit first keeps every exponential in (0, 1]: no overflow, no NaN."""
    output, details = network.NETWORK[-1].record(np.array([1000, 999, -1000], np.float32), {})
    assert np.isfinite(output).all() and output.sum() == pytest.approx(1)
    np.testing.assert_array_equal(details["exponentials"][:2], np.exp(np.float32([0, -1])))


def test_shipped_model_traces_real_digits(test_images):
    """On real test digits the trace predicts what predict_proba does, and almost always the label."""
    model, (images, labels) = cnn.load_model(), test_images
    predictions = [model.trace(image).prediction for image in images[:20]]
    assert predictions == list(model.predict_proba(images[:20]).argmax(axis=1))
    assert sum(p == t for p, t in zip(predictions, labels)) >= 18


def test_trace_json_round_trips_bit_for_bit(case):
    """trace_json decodes to the very same arrays, dtypes and numbers, and is strict JSON."""
    _, _, trace = case
    stages = cnn.trace_json(trace)
    lines = [ndjson_line(d) for d in stages]         # what the API writes
    assert [json.loads(line, parse_constant=reject_constant) for line in lines] == stages
    for d, stage in zip(stages, trace.stages):
        assert (d["name"], d["kind"]) == (stage.name, stage.kind)
        pairs = [(d["output"], stage.output)] + [(d["params"][k], v) for k, v in stage.params.items()]
        pairs += [(d[k], v) for k, v in stage.details.items() if isinstance(d[k], dict)]   # softmax's are plain
        if "input" in d:    # optional: a stage's input is the previous stage's output
            pairs.append((d["input"], stage.input))
        for encoded, original in pairs:
            decoded = decode(encoded)
            assert decoded.dtype == original.dtype and decoded.shape == original.shape
            assert decoded.tobytes() == np.ascontiguousarray(original).tobytes()
    soft = stages[-1]
    assert soft["prediction"] == trace.prediction
    assert np.array(soft["probabilities"], np.float32).tobytes() == trace.probabilities.tobytes()
    assert np.array(soft["logits"], np.float32).tobytes() == trace["softmax"].details["logits"].tobytes()


def test_trace_json_size(case):
    """The whole serialised trace stays under 300 KB."""
    _, _, trace = case
    assert sum(len(ndjson_line(d)) for d in cnn.trace_json(trace)) <= MAX_TRACE_BYTES


def test_non_finite_probabilities_are_refused_not_written_as_null(case):
    """A model gone wrong (overflowing logits) fails loudly instead of streaming null probabilities."""
    _, _, trace = case
    softmax = trace.stages[-1]
    broken = Stage(softmax.name, softmax.kind, softmax.input, np.full_like(softmax.output, np.nan), softmax.params,
                   softmax.details)
    with pytest.raises(ValueError, match="non-finite"):
        ndjson_line(stage_json(broken))
