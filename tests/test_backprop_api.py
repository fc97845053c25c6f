"""POST /api/backprop through Flask's test client: the lines, their order and shapes, the step, determinism, errors."""

import gzip
import json

import numpy as np
import pytest

from cnnviz.cnn import config as C
from cnnviz.cnn.model import LEARNING_RATE, MAX_STEPS, Model
from cnnviz.cnn.serialize import decode

from .test_api import canvas_png, stream

BACKWARD = ["loss", *reversed(C.STAGE_NAMES), "step"]
SHAPES = {name: shape for name, _, shape in C.STAGES}


@pytest.fixture(scope="module")
def sample(app):
    """Sample test-00000 (a 7) as the page posts it: its 28x28 pixels, used as they are."""
    found = app.test_client().get("/api/samples/test-00000").get_json()
    return {"pixels": found["pixels"]}


def test_the_walk_streams_loss_every_stage_backwards_then_the_step(client, sample):
    lines = stream(client.post("/api/backprop?label=3", json=sample))
    assert [line["name"] for line in lines] == BACKWARD
    loss, *stages, step = lines
    assert loss["kind"] == "loss" and loss["label"] == 3 and loss["loss"] == pytest.approx(12.2548, abs=1e-3)
    assert len(loss["probabilities"]) == C.NUM_CLASSES
    kinds = dict((name, kind) for name, kind, _ in C.STAGES)
    for line in stages:
        assert line["kind"] == kinds[line["name"]]
        assert tuple(decode(line["grad_output"]).shape) == SHAPES[line["name"]]
        assert ("grad_input" in line) == (line["name"] != "input")
    by = {line["name"]: line for line in stages}
    for name in ("conv1", "conv2", "dense"):
        assert set(by[name]["grads"]) == {"weight", "bias"}
        assert decode(by[name]["grads"]["weight"]).shape == C.PARAM_SHAPES[f"{name}.weight"]
    assert decode(by["softmax"]["grad_input"]).shape == (C.NUM_CLASSES,)
    assert by["softmax"]["probabilities"] == loss["probabilities"]
    assert step["kind"] == "step" and step["learning_rate"] == LEARNING_RATE and step["steps"] == 1
    assert step["losses"][0] == loss["loss"] and step["loss"] == step["losses"][-1] < loss["loss"]
    assert set(step["params"]) == set(C.PARAM_SHAPES) and 0 <= step["prediction"] <= 9


def test_the_lines_are_the_engine_s_numbers(client, app, sample):
    """Every array of every line equals Model.backprop on the same pixels, bit for bit."""
    x = np.array(sample["pixels"], np.float32)
    walk = app.extensions["cnnviz"].weights.model.backprop(x, 5, 0.05, 2)
    lines = stream(client.post("/api/backprop?label=5&learning_rate=0.05&steps=2", json=sample))
    for line, back in zip(lines[1:-1], walk, strict=True):
        np.testing.assert_array_equal(decode(line["grad_output"]), back.grad_output)
        for key, value in {**back.grads, **back.details}.items():
            got = line["grads"][key] if key in back.grads else line[key]
            np.testing.assert_array_equal(decode(got) if isinstance(got, dict) else got, value, err_msg=key)
    assert lines[-1]["losses"] == walk.step.losses
    for name, value in walk.step.params.items():
        np.testing.assert_array_equal(decode(lines[-1]["params"][name]), value)


def test_the_step_is_p_minus_learning_rate_times_the_gradient(client, app, sample):
    lines = stream(client.post("/api/backprop?label=3&learning_rate=0.1", json=sample))
    by = {line["name"]: line for line in lines}
    for name, p in app.extensions["cnnviz"].weights.model.params.items():
        stage, part = name.split(".")
        want = p - np.float32(0.1) * decode(by[stage]["grads"][part])
        np.testing.assert_array_equal(decode(by["step"]["params"][name]), want)
    after = Model({k: decode(v) for k, v in by["step"]["params"].items()}).trace(np.array(sample["pixels"]))
    assert by["step"]["prediction"] == after.prediction


def test_several_steps_bring_the_loss_down(client, sample):
    step = stream(client.post("/api/backprop?label=3&steps=5", json=sample))[-1]
    assert len(step["losses"]) == 6 and step["losses"][-1] < step["losses"][0] / 100 and step["prediction"] == 3


def test_a_checkpoint_s_weights(client, sample):
    """?weights= walks from a checkpoint: the untrained network's gradients are large, its loss near log 10."""
    lines = stream(client.post("/api/backprop?label=7&weights=epoch-0", json=sample))
    assert lines[0]["loss"] == pytest.approx(np.log(10), abs=0.5)
    shipped = stream(client.post("/api/backprop?label=7", json=sample))
    assert shipped[0]["loss"] < 0.01
    conv2 = [np.abs(decode(next(x for x in walk if x["name"] == "conv2")["grads"]["weight"])).max()
             for walk in (lines, shipped)]
    assert conv2[0] > 100 * conv2[1]


def test_an_image_is_preprocessed_as_the_trace_does(client):
    """A canvas PNG: the walk's input gradient has the trace's input shape, and its forward is the trace's."""
    trace = stream(client.post("/api/trace", data=canvas_png(), content_type="image/png"))
    walk = stream(client.post("/api/backprop?label=1", data=canvas_png(), content_type="image/png"))
    assert walk[0]["probabilities"] == trace[-1]["probabilities"]


def test_the_same_request_gives_the_same_bytes(app, sample, make_app):
    """Stateless and deterministic, gzipped or not, from two apps (no shared cache)."""
    other = make_app()
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        a = app.test_client().post("/api/backprop?label=2", json=sample, headers=headers)
        b = other.test_client().post("/api/backprop?label=2", json=sample, headers=headers)
        assert a.get_data() == b.get_data()
    assert b.headers["Content-Encoding"] == "gzip"
    plain = app.test_client().post("/api/backprop?label=2", json=sample).get_data()
    assert gzip.decompress(b.get_data()) == plain
    assert [json.loads(line)["name"] for line in plain.splitlines()] == BACKWARD


def test_a_class_asking_at_once_costs_one_walk(app, sample, monkeypatch):
    """The second identical request is served from the worker's cache: the engine runs once."""
    model, calls = app.extensions["cnnviz"].weights.model, []
    original = model.backprop_stages
    monkeypatch.setattr(model, "backprop_stages", lambda *a: calls.append(a) or original(*a))
    bodies = [app.test_client().post("/api/backprop?label=8&steps=3", json=sample,
                                     headers={"Accept-Encoding": "gzip"}).get_data() for _ in range(3)]
    assert len(calls) == 1 and bodies[0] == bodies[1] == bodies[2]


@pytest.mark.parametrize("query, status, says", [
    ("", 400, "label is missing"),
    ("?label=", 400, "label must be a digit 0 to 9"),
    ("?label=x", 400, "label must be a digit"),
    ("?label=10", 400, "label must be a digit"),
    ("?label=-1", 400, "label must be a digit"),
    ("?label=3.0", 400, "label must be a digit"),
    ("?label=3&learning_rate=abc", 400, "learning_rate must be a number above 0"),
    ("?label=3&learning_rate=0", 400, "learning_rate must be"),
    ("?label=3&learning_rate=-0.1", 400, "learning_rate must be"),
    ("?label=3&learning_rate=nan", 400, "learning_rate must be"),
    ("?label=3&learning_rate=inf", 400, "learning_rate must be"),
    ("?label=3&learning_rate=1e308", 400, "at most 10"),
    ("?label=3&steps=0", 400, f"steps must be a whole number from 1 to {MAX_STEPS}"),
    ("?label=3&steps=101", 400, "steps must be"),
    ("?label=3&steps=two", 400, "steps must be"),
    ("?label=3&weights=nope", 404, "no weights with id 'nope'"),
])
def test_bad_parameters_get_a_4xx_saying_what_to_send(client, sample, query, status, says):
    r = client.post(f"/api/backprop{query}", json=sample)
    assert r.status_code == status and says in r.get_json()["error"]


@pytest.mark.parametrize("body, content_type, status", [
    (b"", "application/json", 400),
    (b"{", "application/json", 400),
    (json.dumps({"pixels": [[2.0] * 28] * 28}).encode(), "application/json", 400),
    (json.dumps({"pixels": [[0.5] * 27] * 28}).encode(), "application/json", 400),
    (b"not an image", "image/png", 400),
    (b"x", "text/plain", 415),
])
def test_bad_bodies_get_a_4xx(client, body, content_type, status):
    r = client.post("/api/backprop?label=3", data=body, content_type=content_type)
    assert r.status_code == status and r.get_json()["error"]
