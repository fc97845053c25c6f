"""POST /api/export: the bodies of /api/trace, a stage as a PNG or a GIF (or the walk-through as HTML) to download,
named after the digit and the stage; bad parameters refused before any work."""

import io

import numpy as np
import pytest
from PIL import Image

from cnnviz.app.export import WAITING

from .test_api import canvas_png

PIXELS = {"pixels": np.pad(np.ones((20, 4)), ((4, 4), (12, 12))).tolist()}   # a 1, as the network's input


@pytest.mark.parametrize("query, body, kind, name", [
    ("format=png", "image", "image/png", "cnnviz-1-conv1.png"),
    ("format=gif", "image", "image/gif", "cnnviz-1-conv1.gif"),
    ("format=png&stage=conv2&pos=3,4", "image", "image/png", "cnnviz-1-conv2-3-4.png"),
    ("format=png&stage=softmax&pos=7", "json", "image/png", "cnnviz-1-softmax-7.png"),
    ("format=gif&stage=pool2&weights=epoch-1", "json", "image/gif", "cnnviz-1-pool2.gif"),
    ("format=png&back=3&stage=loss", "image", "image/png", "cnnviz-1-towards-3-loss.png"),
    ("format=gif&back=3&stage=dense&pos=42", "json", "image/gif", "cnnviz-1-towards-3-dense-42.gif"),
])
def test_an_export_is_a_file_named_after_the_digit_and_the_stage(client, query, body, kind, name):
    sent = {"data": canvas_png(), "content_type": "image/png"} if body == "image" else {"json": PIXELS}
    r = client.post(f"/api/export?{query}", **sent, buffered=True)         # read whole, and closed, as servers do
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.mimetype == kind
    assert r.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    img = Image.open(io.BytesIO(r.data))
    assert img.format == kind.split("/")[1].upper() and img.size == (1280, 720)


def test_the_walkthrough_is_one_html_file(client):
    r = client.post("/api/export?format=html&back=3&stage=loss&pos=9", json=PIXELS, buffered=True)   # both unused
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Disposition"] == 'attachment; filename="cnnviz-1-towards-3-walkthrough.html"'
    assert r.data.lstrip().lower().startswith(b"<!doctype html")


@pytest.mark.parametrize("query, status, words", [
    ("", 400, "format must be one of gif, png, html"),
    ("format=jpeg", 400, "format must be one of gif, png, html"),
    ("format=png&stage=conv9", 400, "no stage 'conv9'"),
    ("format=png&stage=loss", 400, "no stage 'loss'"),
    ("format=png&pos=24,0", 400, "row from 0 to 23"),
    ("format=png&pos=3", 400, "a cell (row, col)"),
    ("format=png&pos=a,b", 400, "a position is ROW,COL (e.g. 3,4) or an INDEX"),
    ("format=png&pos=1,2,3", 400, "a position is ROW,COL"),
    ("format=png&stage=dense&pos=3,4", 400, "an index from 0 to 9"),
    ("format=png&back=10", 400, "label must be a digit 0 to 9"),
    ("format=png&back=three", 400, "label must be a digit"),
    ("format=png&back=3&stage=dense&pos=100", 400, "an index from 0 to 99"),
    ("format=png&weights=epoch-9", 404, "no weights with id 'epoch-9'"),
])
def test_bad_parameters_are_refused_before_the_body_is_read(client, query, status, words):
    """Each bad parameter gets its 4xx and a JSON error saying what to send, even with a body that is itself bad."""
    r = client.post(f"/api/export?{query}", data=b"not an image", content_type="image/png")
    assert r.status_code == status and r.mimetype == "application/json"
    assert words in r.get_json()["error"]


@pytest.mark.parametrize("body, content_type, status", [
    (b"\0" * (8 * 1024 * 1024 + 1), "image/png", 413),
    (b"hello", "text/plain", 415),
    (Image.new("L", (64, 64)).tobytes(), "image/png", 400),
])
def test_bad_bodies_as_for_a_trace(client, body, content_type, status):
    r = client.post("/api/export?format=gif", data=body, content_type=content_type)
    assert r.status_code == status and r.get_json()["error"]


def test_a_blank_drawing_is_422(client):
    buf = io.BytesIO()
    Image.new("RGBA", (280, 280)).save(buf, "PNG")
    r = client.post("/api/export?format=png", data=buf.getvalue(), content_type="image/png")
    assert r.status_code == 422 and "empty" in r.get_json()["error"]


def test_a_worker_holds_a_bounded_number_of_exports(app, client):
    """Past WAITING exports held at once (drawing or waiting to) the answer is 429; a drawn export, or one dropped
    before it was drawn, frees its place."""
    client.post("/api/export?format=png&stage=softmax", json=PIXELS, buffered=True)
    turns = app.extensions["cnnviz"].exports
    assert turns.count == 0
    held = [turns.enter() for _ in range(WAITING)]          # as many as a worker holds
    r = client.post("/api/export?format=png&stage=softmax", json=PIXELS, buffered=True)
    assert r.status_code == 429 and "try again" in r.get_json()["error"]
    for done in held:
        done()
        done()                                               # once only, however often called
    assert turns.count == 0
    asked = app.test_request_context("/api/export?format=gif&stage=softmax", method="POST", json=PIXELS)
    environ = asked.request.environ
    response = app(environ, lambda *a: None)                 # the answer's body never asked for: a client gone
    assert turns.count == 1
    response.close()
    assert turns.count == 0
    assert client.post("/api/export?format=png&stage=softmax", json=PIXELS, buffered=True).status_code == 200
