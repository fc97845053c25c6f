"""The two answers to a drawing: the prediction alone (/api/predict, while the pen moves) and the whole trace
gzipped when the client accepts it, with the very numbers of the plain stream."""

import json
import zlib

import numpy as np
import pytest

from cnnviz.cnn import config as C
from cnnviz.cnn.serialize import decode

from .test_api import canvas_png, stream

PREDICT_MAX_BYTES = 2048
GZIP = {"Accept-Encoding": "gzip"}


def bodies():
    """(request kwargs) for a canvas PNG and for JSON pixels."""
    x = np.random.default_rng(5).random((C.IMAGE_SIZE, C.IMAGE_SIZE)).astype(np.float32)
    return [{"data": canvas_png(), "content_type": "image/png"}, {"json": {"pixels": x.tolist()}}]


@pytest.mark.parametrize("body", bodies(), ids=["png", "pixels"])
def test_predict_is_the_traces_softmax_in_under_2_kb(client, body):
    """The prediction and probabilities are the trace's own numbers, exactly; the input is its bytes."""
    r = client.post("/api/predict", **body)
    assert r.status_code == 200 and r.mimetype == "application/json"
    assert len(r.get_data()) <= PREDICT_MAX_BYTES
    p = r.get_json()
    lines = stream(client.post("/api/trace", **body))
    softmax = lines[-1]
    assert p["prediction"] == softmax["prediction"]
    assert p["probabilities"] == softmax["probabilities"]
    seen = decode(p["input"])
    assert seen.dtype == np.uint8 and seen.shape == (C.IMAGE_SIZE, C.IMAGE_SIZE)
    x = decode(lines[1]["output"])[0]                                   # the input stage: (1, 28, 28) floats
    np.testing.assert_array_equal(seen, np.round(x * C.BYTE_MAX).astype(np.uint8))
    if lines[0]["steps"]:
        np.testing.assert_array_equal(seen, decode(lines[0]["steps"][-1]["image"]))   # the centred step


def test_predict_reads_the_drawn_one(client):
    assert client.post("/api/predict", data=canvas_png(), content_type="image/png").get_json()["prediction"] == 1


@pytest.mark.parametrize("body", bodies(), ids=["png", "pixels"])
def test_gzipped_trace_decompresses_to_the_plain_lines(client, body):
    """Asked for gzip, the trace is gzip (one stream, each line flushed) and inflates to the plain bytes."""
    plain = client.post("/api/trace", **body)
    assert "Content-Encoding" not in plain.headers and plain.headers["Vary"] == "Accept-Encoding"
    gz = client.post("/api/trace", headers=GZIP, **body)
    assert gz.headers["Content-Encoding"] == "gzip" and gz.headers["Vary"] == "Accept-Encoding"
    assert gz.mimetype == "application/x-ndjson"
    data = gz.get_data()
    assert len(data) < len(plain.get_data()) / (3 if "data" in body else 1)   # random pixels hardly compress
    assert zlib.decompress(data, 16 + zlib.MAX_WBITS) == plain.get_data()


def test_gzip_pieces_each_hold_whole_lines(client):
    """Each piece the server writes inflates, on its own after the ones before, to exactly one whole line."""
    r = client.post("/api/trace", headers=GZIP, data=canvas_png(), content_type="image/png", buffered=False)
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pieces = list(r.response)
    lines = [inflate.decompress(p) for p in pieces]
    assert lines[-1] == b"" and inflate.eof                             # the last piece: the gzip trailer
    assert [json.loads(line)["name"] for line in lines[:-1]] == ["preprocess", *C.STAGE_NAMES]
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines[:-1])


@pytest.mark.parametrize("accept", ["identity", "gzip;q=0", "br", "*;q=0"])
def test_clients_that_do_not_ask_for_gzip_get_plain_ndjson(client, accept):
    r = client.post("/api/trace", headers={"Accept-Encoding": accept}, data=canvas_png(), content_type="image/png")
    assert "Content-Encoding" not in r.headers
    assert [line["name"] for line in stream(r)] == ["preprocess", *C.STAGE_NAMES]


def test_a_bad_body_is_a_plain_json_error_even_when_gzip_is_accepted(client):
    r = client.post("/api/trace", headers=GZIP, data=b"{", content_type="application/json")
    assert r.status_code == 400 and "Content-Encoding" not in r.headers and r.get_json()["error"]
