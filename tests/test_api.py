"""The API through Flask's test client: the trace stream, the model, the samples, the headers."""

import gzip
import hashlib
import io
import json
import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

from cnnviz import cnn
from cnnviz.app.compressed import Compressed
from cnnviz.app.info import SAMPLES
from cnnviz.cnn import config as C
from cnnviz.cnn.serialize import decode

from .conftest import ROOT

PLOTLY_SHA256 = "a68d41a3b4b17510ae72b47af54201870e483f0b99979e91ad8307c87bfd9de3"  # scripts/vendor-plotly


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
    assert [line["name"] for line in lines] == ["preprocess", *C.STAGE_NAMES]
    assert [s["name"] for s in lines[0]["steps"]] == ["original", "normalised", "cropped", "scaled", "centred"]
    softmax = lines[-1]
    assert softmax["prediction"] == 1
    assert len(softmax["probabilities"]) == C.NUM_CLASSES
    assert sum(softmax["probabilities"]) == pytest.approx(1, abs=1e-5)


def test_pixels_trace_matches_model_trace(client, app):
    """JSON pixels are used as-is, and every streamed array equals model.trace to float32 precision."""
    x = np.random.default_rng(3).random((C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32)
    lines = stream(client.post("/api/trace", json={"pixels": x.tolist()}))
    assert lines[0] == {"name": "preprocess", "kind": "preprocess", "steps": []}
    trace = app.extensions["cnnviz"].weights.model.trace(x)
    for line, stage in zip(lines[1:], trace.stages, strict=True):
        assert (line["name"], line["kind"]) == (stage.name, stage.kind)
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
    for key, value in app.extensions["cnnviz"].weights.model.params.items():
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


def asset_urls(client):
    """The page's CSS, plotly.js and main module URLs, as the page names them."""
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page must not load anything from outside"
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page)


def test_page_and_plotly_are_served_locally(client):
    """The page loads plotly.js's partial bundle from this server, gzipped, and it is the file we vendored."""
    plotly_js, = [u for u in asset_urls(client) if u.endswith("/vendor/plotly-cnnviz.min.js")]
    r = client.get(plotly_js, headers={"Accept-Encoding": "gzip, br"})
    assert r.headers["Content-Encoding"] == "gzip" and len(r.data) < 400_000          # the Zopfli gzip beside it
    plain = client.get(plotly_js, headers={"Accept-Encoding": ""}).data
    assert plain.startswith(b"/**\n* plotly.js (heatmap, bar and scatter - minified: cnnviz's partial bundle) v4.1.1\n")
    assert gzip.decompress(r.data) == plain
    recorded = (ROOT / "static" / "vendor" / "plotly-cnnviz.VERSION.txt").read_text().split()[-1]
    assert hashlib.sha256(plain).hexdigest() == recorded == PLOTLY_SHA256


def test_a_first_visit_is_light(client):
    """The page is gzipped and carries what it needs of /api/model and the first sample's id (no requests for them);
    scripts and stylesheets go without the CSP, which only documents use; a stale precompressed file is refused."""
    r = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip" and "script-src 'self'" in r.headers["Content-Security-Policy"]
    page = gzip.decompress(r.data).decode()
    doc = json.loads(re.search(r'<script type="application/json" id="model">(.*?)</script>', page).group(1))
    first = client.get("/api/samples").get_json()["samples"][0]["id"]
    assert doc == client.get("/api/model").get_json() | {"first_sample": first}
    for url in asset_urls(client):
        r = client.get(url)
        assert "Content-Security-Policy" not in r.headers and r.headers["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(ValueError, match="does not unpack"):
        Compressed(b"new", "text/javascript", gzip.compress(b"old"))


def test_a_samples_trace_is_its_pixels_trace(client):
    """GET /api/samples/<id>/trace: the very lines POST /api/trace gives for the sample's pixels, its label in a header,
    gzipped when asked (and then a 304 for the same ETag); 404 for an unknown sample or weights."""
    sample = client.get("/api/samples").get_json()["samples"][0]
    posted = client.post("/api/trace", json={"pixels": client.get(f"/api/samples/{sample['id']}").get_json()["pixels"]})
    r = client.get(f"/api/samples/{sample['id']}/trace", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.mimetype == "application/x-ndjson"
    assert gzip.decompress(r.data) == posted.data and r.headers["X-Sample-Label"] == str(sample["label"])
    again = client.get(f"/api/samples/{sample['id']}/trace",
                       headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/api/samples/test-99999/trace").status_code == 404
    assert client.get(f"/api/samples/{sample['id']}/trace?weights=nope").status_code == 404


def test_assets_are_versioned_and_immutable_and_the_page_is_not_kept(client):
    """Static URLs carry the version of the files, so they can be cached for good; the HTML is revalidated."""
    urls = asset_urls(client)
    assert {"style.css", "main.js"} <= {u.rsplit("/", 1)[1] for u in urls}      # and one stylesheet per feature
    assert len({u.split("/")[2] for u in urls}) == 1
    for url in urls:
        assert "immutable" in client.get(url).headers["Cache-Control"]
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    module = urls[-1].replace("main.js", "views/conv.js")            # relative imports keep the version
    assert "immutable" in client.get(module).headers["Cache-Control"]
    old = client.get(re.sub(r"/static/\w+/", "/static/0123456789ab/", urls[-1]))
    assert old.status_code == 200 and old.headers["Cache-Control"] == "no-cache"
    assert client.get(urls[-1].replace("main.js", "nope.js")).status_code == 404


@pytest.mark.parametrize("encoding", ["gzip", ""])
def test_one_etag_per_representation_and_weak_comparison(client, encoding):
    """gzip and plain bodies have different ETags; a weak If-None-Match of the same one gets 304."""
    url = asset_urls(client)[-1]
    r = client.get(url, headers={"Accept-Encoding": encoding})
    other = client.get(url, headers={"Accept-Encoding": "" if encoding else "gzip"})
    assert r.headers["ETag"] != other.headers["ETag"]
    for tag in (r.headers["ETag"], "W/" + r.headers["ETag"]):
        assert client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": tag}).status_code == 304
    assert client.get(url, headers={"Accept-Encoding": encoding,
                                    "If-None-Match": other.headers["ETag"]}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/model", "/api/samples", "/nope"])
def test_security_headers_everywhere(client, path):
    """Every response carries the CSP (no inline scripts) and nosniff."""
    r = client.get(path)
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
