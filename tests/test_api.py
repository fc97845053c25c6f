"""The API through Flask's test client: the trace stream, the model, the samples, the headers."""

import io
import json
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

import cnn
from cnn import config as C
from app.info import SAMPLES
from cnn.serialize import decode


def canvas_png(stroke=(20, 20, 20, 255), background=(0, 0, 0, 0)):
    """A 280x280 canvas PNG with a vertical stroke: a '1' as a person draws it."""
    img = Image.new("RGBA", (280, 280), background)
    ImageDraw.Draw(img).line([(150, 40), (140, 240)], fill=stroke, width=18)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def stream(response):
    """The NDJSON body -> list of dicts, parsed line by line."""
    assert response.mimetype == "application/x-ndjson"
    return [json.loads(line) for line in response.get_data().decode().splitlines()]


def test_image_trace_streams_every_stage_in_order(client):
    """A canvas PNG gives a preprocess line, then the ten stages, and predicts the '1'."""
    lines = stream(client.post("/api/trace", data=canvas_png(), content_type="image/png"))
    assert [line["stage"] for line in lines] == ["preprocess", *C.STAGE_NAMES]
    assert [s["name"] for s in lines[0]["steps"]] == ["original", "normalised", "cropped", "scaled", "centred"]
    softmax = lines[-1]
    assert softmax["prediction"] == 1
    assert len(softmax["probabilities"]) == C.NUM_CLASSES
    assert sum(softmax["probabilities"]) == pytest.approx(1, abs=1e-5)


def test_pixels_trace_matches_model_trace(client, app):
    """JSON pixels are used as-is, and every streamed array equals model.trace to float32 precision."""
    x = np.random.default_rng(3).random((C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32)
    lines = stream(client.post("/api/trace", json={"pixels": x.tolist()}))
    assert lines[0] == {"stage": "preprocess", "kind": "preprocess", "steps": []}
    trace = app.extensions["cnnviz.model"].trace(x)
    for line, stage in zip(lines[1:], trace.stages, strict=True):
        assert (line["stage"], line["kind"]) == (stage.name, stage.kind)
        np.testing.assert_array_equal(decode(line["output"]), stage.output)
        for key, value in {**stage.params, **stage.details}.items():
            got = decode(line["params"][key]) if key in stage.params else line[key]
            np.testing.assert_array_equal(decode(got) if isinstance(got, dict) else got, value)
    assert lines[-1]["probabilities"] == [float(p) for p in trace.probabilities]


def test_trace_is_compact(client):
    """A whole trace of a drawing stays under 300 KB."""
    body = client.post("/api/trace", data=canvas_png(), content_type="image/png").get_data()
    assert len(body) <= 300_000


def test_model_describes_architecture_and_weights(client, app):
    """GET /api/model has the stages, every weight, the parameter count and the labels."""
    doc = client.get("/api/model").get_json()
    assert [(s["name"], s["kind"], tuple(s["shape"])) for s in doc["stages"]] == list(C.STAGES)
    assert doc["parameters"] == C.PARAM_COUNT == 1138
    assert sum(layer["parameters"] for layer in doc["layers"].values()) == 1138
    for key, value in app.extensions["cnnviz.model"].params.items():
        layer, kind = key.split(".")
        np.testing.assert_array_equal(decode(doc["layers"][layer][kind]), value)
    assert doc["class_labels"] == [str(d) for d in range(10)]
    assert doc["test_accuracy"] >= 0.975


def test_samples_cover_every_class_and_the_mistakes(client, app):
    """The shipped samples: 10+ per class, every misclassified test digit, credit, under 300 KB."""
    response = client.get("/api/samples", headers={"Accept-Encoding": "identity"})
    doc = response.get_json()
    assert "MNIST" in doc["credit"] and doc["licence"]
    labels = [s["label"] for s in doc["samples"]]
    assert all(labels.count(d) >= 10 for d in range(10))
    wrong = [s for s in doc["samples"] if not s["correct"]]
    assert len(wrong) == round((1 - cnn.weights.model_card()["test_accuracy"]) * 10_000)
    assert all(s["predicted"] != s["label"] for s in wrong)
    assert SAMPLES.stat().st_size <= 300_000


def test_one_sample_traces_to_its_recorded_prediction(client):
    """A sample's pixels, posted back as JSON, give the prediction its listing claims."""
    listing = client.get("/api/samples").get_json()["samples"]
    for sample in (listing[0], next(s for s in listing if not s["correct"])):
        one = client.get(f"/api/samples/{sample['id']}").get_json()
        assert one["label"] == sample["label"]
        lines = stream(client.post("/api/trace", json={"pixels": one["pixels"]}))
        assert lines[-1]["prediction"] == sample["predicted"]


def test_unknown_sample_is_404_json(client):
    """An unknown sample id is a 404 with a JSON error."""
    r = client.get("/api/samples/test-99999")
    assert r.status_code == 404 and "no sample" in r.get_json()["error"]


def test_page_and_plotly_are_served_locally(client):
    """The page loads plotly.js from this server, gzipped and cacheable."""
    page = client.get("/").get_data(as_text=True)
    assert 'src="/vendor/plotly.min.js"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page must not load anything from outside"
    r = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip, br"})
    assert r.headers["Content-Encoding"] == "gzip" and len(r.data) < 2_000_000
    assert "max-age" in r.headers["Cache-Control"] and r.headers["ETag"]
    again = client.get("/vendor/plotly.min.js", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert len(client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": ""}).data) > 4_000_000


@pytest.mark.parametrize("path", ["/", "/api/model", "/api/samples", "/nope"])
def test_security_headers_everywhere(client, path):
    """Every response carries the CSP (no inline scripts) and nosniff."""
    r = client.get(path)
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
