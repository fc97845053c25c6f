"""Helpers for the browser tests: the API from Python, a watched page, drawing with the mouse. No tests here."""

import base64
import json
import re
import urllib.request

import numpy as np

EMPTY_DRAWING = "status of 422"   # the browser logs a refused empty drawing; the page shows a hint instead


def api(base, path, body=None):
    """GET (or POST JSON to) the API; NDJSON trace responses become {stage: dict}."""
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        text = r.read().decode()
    if path == "/api/trace":
        return {d["name"]: d for d in map(json.loads, text.splitlines())}
    return json.loads(text)


def decode(obj):
    dtype = {"float32": "<f4", "uint8": "u1"}[obj["dtype"]]
    return np.frombuffer(base64.b64decode(obj["b64"]), dtype).reshape(obj["shape"])


def watched(page, live_server):
    """Yield the page, then fail on any console error, uncaught exception, or request that left the origin.

    Each browser test module wraps this as its `page` fixture."""
    problems = []
    page.on("console", lambda m: m.type == "error" and EMPTY_DRAWING not in m.text and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    local = (live_server, "data:", "blob:")
    page.on("request", lambda r: r.url.startswith(local) or problems.append(f"left origin: {r.url}"))
    page.set_viewport_size({"width": 1280, "height": 720})
    yield page
    assert problems == []


def open_page(page, base, hash_=""):
    page.goto(base + "/" + hash_)
    page.wait_for_selector("body.ready")


def draw(page, strokes):
    """Draw strokes of (x, y) fractions of the pad with the mouse."""
    box = page.locator("#pad").bounding_box()
    for stroke in strokes:
        xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in stroke]
        page.mouse.move(*xy[0])
        page.mouse.down()
        for x, y in xy[1:]:
            page.mouse.move(x, y, steps=4)
        page.mouse.up()


ONE = [[(0.5, 0.15 + 0.05 * i) for i in range(15)]]


def shown_position(page):
    return int(re.search(r"position (\d+) of", page.locator("#position").inner_text()).group(1)) - 1


def sample_trace(base, sample_id):
    return api(base, "/api/trace", {"pixels": api(base, f"/api/samples/{sample_id}")["pixels"]})


def click_cell(page, plot, row, column):
    """Click a heatmap's cell (row, column) where Plotly drew it; plot is a JS expression for the plot's element."""
    where = f"""() => {{ const gd = {plot}, fl = gd._fullLayout; const r = gd.getBoundingClientRect();
        return [r.left + fl.xaxis._offset + fl.xaxis.l2p({column}),
                r.top + fl.yaxis._offset + fl.yaxis.l2p({row})]; }}"""
    xy, previous = page.evaluate(where), None
    while xy != previous:                                          # wait until the plot has its final size
        page.wait_for_timeout(100)
        previous, xy = xy, page.evaluate(where)
    page.mouse.click(*xy)
