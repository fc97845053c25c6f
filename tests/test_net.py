"""The Python API against the server: the same image gives the very arrays /api/trace and /api/backprop send, bit for
bit; bad arguments raise ValueError saying what is allowed; `import cnnviz` loads neither plotly nor Flask."""

import re
import subprocess
import sys

import numpy as np
import pytest

import cnnviz
from cnnviz.cnn import config as C
from cnnviz.cnn.serialize import decode

from .test_api import canvas_png, stream

PNG = canvas_png()


@pytest.fixture(scope="module")
def net():
    return cnnviz.load()


def decoded(value):
    """A line's value as an array: encoded arrays decoded, plain numbers as they are."""
    return decode(value) if isinstance(value, dict) and "b64" in value else np.asarray(value)


def test_a_trace_is_the_servers_trace_bit_for_bit(client, net):
    lines = stream(client.post("/api/trace", data=PNG, content_type="image/png"))
    t = net.trace(PNG)
    assert [line["name"] for line in lines[1:]] == list(C.STAGE_NAMES)
    assert [s["name"] for s in lines[0]["steps"]] == [name for name, _, _ in t.preprocessing]
    for step, (_, _, preview) in zip(lines[0]["steps"], t.preprocessing, strict=True):
        np.testing.assert_array_equal(decode(step["image"]), preview)
    for line in lines[1:]:
        stage = t[line["name"]]
        np.testing.assert_array_equal(decode(line["output"]), stage.output)
        for key, value in stage.details.items():
            np.testing.assert_array_equal(decoded(line[key]), value)
        for key, value in stage.params.items():
            np.testing.assert_array_equal(decode(line["params"][key]), value)
    assert t.prediction == lines[-1]["prediction"]
    assert t.probabilities.tolist() == lines[-1]["probabilities"]


def test_a_backprop_is_the_servers_backward_walk_bit_for_bit(client, net):
    lines = stream(client.post("/api/backprop?label=3", data=PNG, content_type="image/png"))
    b = net.backprop(PNG, 3)
    assert lines[0]["loss"] == b.loss and lines[0]["label"] == b.label == 3
    for line in lines[1:-1]:
        back = b[line["name"]]
        np.testing.assert_array_equal(decode(line["grad_output"]), back.grad_output)
        if back.grad_input is not None:
            np.testing.assert_array_equal(decode(line["grad_input"]), back.grad_input)
        for key, value in back.grads.items():
            np.testing.assert_array_equal(decode(line["grads"][key]), value)
    assert lines[-1]["losses"] == b.step.losses
    for key, value in b.step.params.items():
        np.testing.assert_array_equal(decode(lines[-1]["params"][key]), value)
    np.testing.assert_array_equal(b.forward["conv1"].output, net.trace(PNG)["conv1"].output)


@pytest.mark.parametrize("image, message", [
    ("no-such-file.png", "no such file"),
    (np.zeros((28, 27)), "must be (28, 28)"),
    (np.full((28, 28), 2.0), "in [0, 1]"),
    (3, "cannot read a int"),
    (b"not an image", "cannot decode the image"),
])
def test_images_it_cannot_read_raise_value_error(net, image, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        net.trace(image)


def test_an_unknown_stage_raises_value_error_naming_the_stages(net):
    t, b = net.trace(np.zeros((28, 28))), net.backprop(np.zeros((28, 28)), 3)
    for walk in (t, b):
        with pytest.raises(ValueError, match="the stages are .*conv1"):
            walk["conv9"]
    with pytest.raises(KeyError):                   # and a KeyError, as indexing should
        t["conv9"]


def test_unknown_weights_raise_value_error_listing_the_checkpoints():
    with pytest.raises(ValueError, match="epoch-1"):
        cnnviz.load("epoch-99")


def test_import_cnnviz_loads_neither_plotly_nor_flask():
    code = "import sys, cnnviz; print(sorted(m for m in sys.modules if m.split('.')[0] in ('plotly', 'flask')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
