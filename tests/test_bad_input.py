"""Every bad request gets a 4xx with a JSON error that says what was wrong, and the server keeps serving."""

import io
import json
import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from cnnviz.app import MAX_BODY
from cnnviz.app.body import JSON_MAX_BODY


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


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encoded(img, fmt="PNG", **options):
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


SMALL_PNG = encoded(Image.new("L", (64, 64), 255))
SMALL_JPEG = encoded(Image.new("L", (64, 64), 255), "JPEG")


def many_chunks_png(n=(MAX_BODY - len(SMALL_PNG)) // 12):
    """A 64x64 PNG with n empty chunks (12 bytes each) after its header: each costs Pillow ~3 us of Python."""
    return SMALL_PNG[:33] + chunk(b"abCd", b"") * n + SMALL_PNG[33:]


def packed_text_png(n=64):
    """A 70 KB PNG with n zTXt chunks that each inflate to 1 MB (0.2 s)."""
    text = b"".join(chunk(b"zTXt", b"k%d\0\0" % i + zlib.compress(b"a" * (1 << 20), 9)) for i in range(n))
    return SMALL_PNG[:33] + text + SMALL_PNG[33:]


def many_scans_jpeg(extra=40):
    """A progressive JPEG with its last scan repeated: each pass revisits every block (libjpeg only warns)."""
    data = encoded(Image.new("RGB", (512, 512), "white"), "JPEG", progressive=True)
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * extra + data[-2:]


def gif_with_blocks(n=4_000_000):
    """A 1x1 GIF with a comment of n one-byte sub-blocks before its image (Pillow reads each in Python: 1 s)."""
    screen = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return screen + b"!\xfe" + b"\x01a" * n + b"\0" + image + b";"


def rle_bmp(width, height, rle):
    """An 8-bit RLE BMP (Pillow decodes RLE in Python) with a grey palette."""
    palette = bytes(np.repeat(np.arange(256, dtype=np.uint8), 4))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(rle), 0, 0, 0, 0)
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(rle), 0, 0, offset) + info + palette + rle


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
    ("bomb under Pillow's error", bomb_png(10_000), "image/png", 413, "pixels"),
    ("4096x4096 png", encoded(Image.new("RGBA", (4096, 4096))), "image/png", 413, "4096x4096"),
    ("16-bit png past the budget", encoded(Image.new("I;16", (4000, 3000))), "image/png", 413, "4000x3000"),
    ("700,000 png chunks", many_chunks_png(), "image/png", 413, "chunks"),
    ("64 compressed png texts", packed_text_png(), "image/png", 413, "compressed"),
    ("2M jpeg markers", SMALL_JPEG[:2] + b"\xff\xfe\x00\x02" * 2_000_000 + SMALL_JPEG[2:], "image/jpeg", 413,
     "markers"),
    ("8 MB of jpeg fill bytes", SMALL_JPEG[:2] + b"\xff" * (MAX_BODY - 1000) + SMALL_JPEG[2:], "image/jpeg", 413,
     "stray"),
    ("progressive jpeg, 50 scans", many_scans_jpeg(), "image/jpeg", 413, "scans"),
    ("gif of 4M sub-blocks", gif_with_blocks(), "image/gif", 413, "blocks"),
    ("rle bmp of 4M line ends", rle_bmp(1, 1, b"\0\0" * 4_000_000), "image/bmp", 413, "bytes"),
    ("rle bmp past its pixels", rle_bmp(2048, 2048, b"\0\1"), "image/bmp", 413, "2048x2048"),
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
    ("deep nesting", b"[" * 30_000 + b"]" * 30_000, "application/json", 400, "nested"),
    ("json past its cap, else valid", pixels().encode() + b" " * JSON_MAX_BODY, "application/json", 413, "65,536"),
    ("8 MB of json", b"[" + b"0.5, " * (MAX_BODY // 6) + b"0]", "application/json", 413, "65,536"),
    ("not utf-8", b'{"pixels": "\xff\xfe"}', "application/json", 400, "invalid JSON"),
    ("text/plain", b"hello", "text/plain", 415, "unsupported content type"),
    ("no content type", b"hello", None, 415, "unsupported content type"),
    ("svg", b"<svg/>", "image/svg+xml", 415, "unsupported content type"),
    ("too large", b"\0" * (MAX_BODY + 1), "image/png", 413, "too large"),
]


@pytest.mark.parametrize("path", ["/api/trace", "/api/predict", "/api/export?format=png&stage=softmax"])
@pytest.mark.parametrize("body, content_type, status, words", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_request_body(client, path, body, content_type, status, words):
    """A bad body gets its 4xx and a JSON error naming the problem, from every endpoint that reads one; the
    next good request still works."""
    headers = {"Content-Type": content_type} if content_type else {}
    r = client.post(path, data=body, headers=headers)
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/json"
    assert words in r.get_json()["error"]
    assert client.post(path, data=pixels(), content_type="application/json").status_code == 200


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/trace", 405), ("put", "/api/trace", 405), ("get", "/api/predict", 405), ("delete", "/api/model", 405),
    ("get", "/api/export", 405),
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


MODES = {  # format -> modes Pillow writes in it (WebP and GIF convert the rest to these)
    "PNG": ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"], "JPEG": ["L", "RGB", "CMYK"], "WEBP": ["RGB", "RGBA"],
    "GIF": ["1", "L", "P"], "BMP": ["1", "L", "P", "RGB"],
}
SIDES = [1, 3, 28, 560, 561, 2239, 2240, 2560, 4096]    # around the working size, 4x it, the budget, beyond


@st.composite
def large_images(draw):
    """(bytes, content type): any format and mode, 1 to 4096 px a side, a filled box on a plain ground, maybe cut."""
    fmt = draw(st.sampled_from(sorted(MODES)))
    mode = draw(st.sampled_from(MODES[fmt]))
    w, h = draw(st.sampled_from(SIDES)), draw(st.sampled_from(SIDES))
    img = Image.new("L", (w, h), draw(st.integers(0, 255)))
    x0, y0 = draw(st.integers(0, w - 1)), draw(st.integers(0, h - 1))
    img.paste(draw(st.integers(0, 255)), (x0, y0, draw(st.integers(x0, w)), draw(st.integers(y0, h))))
    img = Image.fromarray(np.asarray(img).astype(np.uint16) * 257) if mode == "I;16" else img.convert(mode)
    data = encoded(img, fmt, **draw(st.sampled_from([{}, {"progressive": True}] if fmt == "JPEG" else [{}])))
    cut = draw(st.sampled_from([len(data), len(data) // 2, 100]))
    return data[:cut], f"image/{draw(st.sampled_from([fmt.lower(), 'png']))}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(upload=large_images())
def test_large_images_of_every_mode_never_5xx(client, upload):
    """Any format, mode and size up to 4096x4096, whole or cut short, is a trace or a 4xx JSON error."""
    body, content_type = upload
    r = client.post("/api/trace", data=body, headers={"Content-Type": content_type})
    assert r.status_code == 200 or 400 <= r.status_code < 500 and r.get_json()["error"]
