"""Every bad request gets a 4xx with a JSON error that says what was wrong, and the server keeps serving."""

import io
import json
import struct
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from app import MAX_BODY


def png(size=(280, 280), mode="RGBA", color=(0, 0, 0, 0)):
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


def bomb_png(side=20_000):
    """A tiny PNG whose header claims side x side pixels (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (side + 1) * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def pixels(value=0.5, rows=28, cols=28):
    return json.dumps({"pixels": [[value] * cols for _ in range(rows)]})


RAGGED = json.dumps({"pixels": [[0.0] * 28 for _ in range(27)] + [[0.0] * 27]})
BAD = [  # (id, body, content type, status, words the error must contain)
    ("empty image", b"", "image/png", 400, "empty body"),
    ("undecodable image", b"not an image at all", "image/png", 400, "cannot decode"),
    ("truncated image", png(color=(9, 9, 9, 255))[:60], "image/png", 400, "cannot decode"),
    ("jpeg label, garbage", b"\xff\xd8\xff" + b"\0" * 50, "image/jpeg", 400, "cannot decode"),
    ("blank drawing", png(), "image/png", 422, "empty"),
    ("blank white paper", png(mode="RGB", color=(255, 255, 255)), "image/png", 422, "empty"),
    ("decompression bomb", bomb_png(), "image/png", 413, "pixels"),
    ("invalid json", b"{pixels: ", "application/json", 400, "invalid JSON"),
    ("json not an object", b"[1, 2, 3]", "application/json", 400, "object"),
    ("json without pixels", b'{"pix": []}', "application/json", 400, "'pixels'"),
    ("wrong shape", pixels(rows=27).encode(), "application/json", 400, "28 rows"),
    ("wrong width", pixels(cols=29).encode(), "application/json", 400, "28 rows"),
    ("ragged", RAGGED.encode(), "application/json", 400, "28 rows"),
    ("NaN", pixels().replace("0.5", "NaN", 1).encode(), "application/json", 400, "NaN"),
    ("huge integer", pixels().replace("0.5", "9" * 400, 1).encode(), "application/json", 400, "finite"),
    ("Infinity", pixels().replace("0.5", "Infinity", 1).encode(), "application/json", 400, "Infinity"),
    ("out of range", pixels(1.5).encode(), "application/json", 400, "[0, 1]"),
    ("negative", pixels(-0.1).encode(), "application/json", 400, "[0, 1]"),
    ("strings", pixels().replace("0.5", '"0.5"', 1).encode(), "application/json", 400, "numbers"),
    ("booleans", pixels().replace("0.5", "true", 1).encode(), "application/json", 400, "numbers"),
    ("null pixels", b'{"pixels": null}', "application/json", 400, "28 rows"),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested"),
    ("not utf-8", b'{"pixels": "\xff\xfe"}', "application/json", 400, "invalid JSON"),
    ("text/plain", b"hello", "text/plain", 415, "unsupported content type"),
    ("no content type", b"hello", None, 415, "unsupported content type"),
    ("svg", b"<svg/>", "image/svg+xml", 415, "unsupported content type"),
    ("too large", b"\0" * (MAX_BODY + 1), "image/png", 413, "too large"),
]


@pytest.mark.parametrize("body, content_type, status, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_trace_request(client, body, content_type, status, words):
    """A bad body gets its 4xx and a JSON error naming the problem; the next good request still works."""
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post("/api/trace", data=body, headers=headers)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/json"
    assert words in r.get_json()["error"]
    assert client.post("/api/trace", data=pixels(), content_type="application/json").status_code == 200


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/trace", 405), ("put", "/api/trace", 405), ("delete", "/api/model", 405),
    ("post", "/api/samples", 405), ("get", "/api/nothing", 404),
    ("get", "/static/../app/__init__.py", 404), ("get", "/static/%2e%2e/app/__init__.py", 404),
    ("get", "/static/..%2fweights/mnist.json", 404), ("get", "/vendor/../app/serve.py", 404),
    ("get", "/api/samples/..%2f..%2fweights", 404),
])
def test_bad_method_or_path(client, method, path, status):
    """Wrong methods are 405 and unknown or escaping paths 404, both with a JSON error."""
    r = getattr(client, method)(path)
    assert r.status_code == status
    assert r.get_json()["error"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=2048), st.text(max_size=512).map(str.encode),
                      st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
                                   lambda c: st.lists(c, max_size=30) | st.dictionaries(st.text(max_size=8), c),
                                   max_leaves=200).map(lambda d: json.dumps({"pixels": d}).encode())),
       content_type=st.sampled_from(["application/json", "image/png", "image/jpeg", "image/gif", "image/bmp",
                                     "image/webp", "text/plain", ""]))
def test_random_bodies_never_5xx(client, body, content_type):
    """Whatever the body, the answer is a 2xx stream or a 4xx JSON error, never a 5xx."""
    r = client.post("/api/trace", data=body, headers={"Content-Type": content_type} if content_type else {})
    assert r.status_code < 500
    if r.status_code >= 400:
        assert r.get_json()["error"]
