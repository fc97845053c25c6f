"""The per-worker cache of recent traces: the same request gets the same bytes, computed once."""

import gzip
import io

from PIL import Image, ImageDraw

from cnnviz.app.tracecache import TraceCache


def png(width=18):
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(img).line([(70, 60), (200, 60), (110, 235)], fill=(17, 17, 17, 255), width=width)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_a_repeated_trace_is_the_same_bytes_made_once(client, app, monkeypatch):
    from cnnviz.app import api
    made = []
    real = api.trace_lines
    monkeypatch.setattr(api, "trace_lines", lambda *a: made.append(1) or real(*a))
    body = png()
    first = client.post("/api/trace", data=body, content_type="image/png").data
    again = client.post("/api/trace", data=body, content_type="image/png").data
    assert again == first and len(made) == 1
    zipped = client.post("/api/trace", data=body, content_type="image/png", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == first and len(made) == 2
    other = client.post("/api/trace", data=png(20), content_type="image/png").data
    assert other != first and len(made) == 3
    checkpoint = client.get("/api/model").json["checkpoints"][0]["id"]
    assert client.post(f"/api/trace?weights={checkpoint}", data=body, content_type="image/png").data != first
    assert len(made) == 4


def test_least_recently_used_entries_go_and_another_model_misses():
    cache, model, other = TraceCache(entries=2), object(), object()
    for name in ("a", "b"):
        assert list(cache.filling(name, model, iter([name.encode()]))) == [name.encode()]
    assert cache.get("a", model) == [b"a"]                # a is now the most recent
    list(cache.filling("c", model, iter([b"c"])))
    assert cache.get("b", model) is None and cache.get("a", model) == [b"a"] and cache.get("c", model) == [b"c"]
    assert cache.get("a", other) is None                  # made with other weights (a training run moved on)


def test_a_trace_cut_short_is_not_kept():
    cache, model = TraceCache(), object()
    stream = cache.filling("k", model, iter([b"1", b"2"]))
    next(stream)
    stream.close()                                        # the client went away after the first line
    assert cache.get("k", model) is None
