"""In a real browser: the page keeps the student's work. What the student does beats what the page started on its
own, Clear empties everything, a pasted link opens in an open tab, and links to pixels are short and exact."""

import base64
import json
import re
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter
from playwright.sync_api import expect

from .test_browser_support import ONE, api, draw, open_page, watched

OLD_PIXEL_LINK = 4182            # characters of the first link format: 28x28 float32 as base64url
PAD_SIZE = 256                   # the pad's drawing resolution (PAD.size in config.js): strokes are its pixels
SOURCE = re.compile(r"[#&][sdp]=")   # a digit in the link: a sample, a drawing or pixels
TRACE = re.compile(r"/api/trace$")


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def old_strokes_link(strokes):
    """The first drawing format: per stroke a big-endian uint16 point count, then x, y bytes."""
    out = b"".join(struct.pack(">H", len(s)) + bytes(v for p in s for v in p) for s in strokes)
    return b64url(out)


def pad_points(strokes):
    """Fractions of the pad -> integer pad pixels, as the pad records them."""
    return [[(round(fx * (PAD_SIZE - 1)), round(fy * (PAD_SIZE - 1))) for fx, fy in s] for s in strokes]


def settle(page, quiet_ms=400, limit_ms=15000):
    """Wait until the page has had no request in flight for quiet_ms."""
    pending = set()
    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    quiet = waited = 0
    while quiet < quiet_ms and waited < limit_ms:
        page.wait_for_timeout(50)
        waited += 50
        quiet = 0 if pending else quiet + 50
    assert not pending, f"still loading: {[r.url for r in pending]}"


def traced(page, action):
    """Run action (which makes the page ask for a trace) and return the trace it got: {stage: line}."""
    bodies = []

    def keep(route):
        response = route.fetch()
        bodies.append(response.text())
        route.fulfill(response=response)
    page.route(TRACE, keep)
    action()
    for _ in range(300):
        if bodies:
            break
        page.wait_for_timeout(50)
    page.unroute(TRACE, keep)
    assert len(bodies) == 1, f"{len(bodies)} traces"
    return {d["name"]: d for d in map(json.loads, bodies[0].splitlines())}


def same_numbers(a, b):
    """Every array of every stage from the input on is byte-for-byte the same in traces a and b."""
    assert a.keys() - {"preprocess"} == b.keys() - {"preprocess"}
    for name in a.keys() - {"preprocess"}:
        for key, value in a[name].items():
            if isinstance(value, dict) and "b64" in value:
                assert value["b64"] == b[name][key]["b64"], f"{name}.{key} differs"


def photo_of_a_seven(path):
    """A soft-edged dark seven on light paper: its 28x28 input is not whole bytes, as most photos are not."""
    img = Image.new("L", (300, 300), 235)
    d = ImageDraw.Draw(img)
    d.line([(60, 60), (240, 60), (120, 260)], fill=30, width=25, joint="curve")
    d.line([(100, 160), (200, 160)], fill=30, width=20)
    img.filter(ImageFilter.GaussianBlur(3)).save(path)


def test_a_drawing_made_while_the_first_sample_loads_is_kept(page, live_server):
    routes = []
    page.route(re.compile(r"/api/samples/[^/]+/trace$"), lambda r: routes.append(r))   # hold the page's first load ...
    page.goto(live_server + "/")
    for _ in range(200):
        if routes:
            break
        page.wait_for_timeout(50)
    assert routes, "the page did not start loading its first sample"
    draw(page, ONE)                                                # ... while the student draws
    expect(page.locator("#prediction")).to_have_text("1")
    for route in routes:                                           # then let it finish
        try:
            route.continue_()
        except Exception:                                          # noqa: BLE001  (the page gave up on it)
            pass
    settle(page)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#pad")).not_to_have_class(re.compile("empty"))
    expect(page).to_have_url(re.compile(r"#d="))


def test_clear_empties_the_pad_the_views_what_the_network_sees_and_the_link(page, live_server):
    open_page(page, live_server)
    page.locator("#timeline button", has_text="conv1").click()
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#sees figure")).to_have_count(5)
    expect(page).to_have_url(re.compile(r"#d="))
    expect(page.locator("#view .js-plotly-plot").first).to_be_visible()
    page.get_by_role("button", name="Clear").click()

    def empty():
        expect(page.locator("#pad")).to_have_class(re.compile("empty"))
        expect(page.locator("#prediction")).to_have_text("–")
        expect(page.locator("#sees")).to_be_empty()
        expect(page.locator("#view .js-plotly-plot")).to_have_count(0)
        expect(page.locator("#view .empty-view")).to_have_count(1)
        expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")   # the student stays where they were
        expect(page).not_to_have_url(SOURCE)
    empty()
    page.reload()
    page.wait_for_selector("body.ready")
    settle(page)
    empty()                                                        # no old digit, and not the first sample either
    draw(page, ONE)                                                # and the page works on from there
    expect(page.locator("#prediction")).to_have_text("1")


def test_a_link_pasted_into_an_open_tab_opens_without_a_reload(page, live_server):
    wrong = next(s for s in api(live_server, "/api/samples")["samples"] if not s["correct"])
    open_page(page, live_server)
    expect(page.locator("#prediction")).to_have_text("7")
    page.evaluate("window.sameTab = true")                         # a reload would forget this
    page.evaluate("(h) => { location.hash = h; }", f"s={wrong['id']}&stage=pool1&pos=3")
    expect(page.locator("#prediction")).to_have_text(str(wrong["predicted"]))
    expect(page.locator("#stage")).to_have_attribute("data-stage", "pool1")
    expect(page.locator("#position")).to_have_text(re.compile(r"position 4 of"))
    expect(page.locator("#status")).to_contain_text(wrong["id"])
    page.evaluate("(h) => { location.hash = h; }", f"d={old_strokes_link(pad_points(ONE))}&stage=conv1")
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#pad")).not_to_have_class(re.compile("empty"))
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")
    page.evaluate("() => { location.hash = 'stage=relu1'; }")      # a link with no digit: an empty pad
    expect(page.locator("#pad")).to_have_class(re.compile("empty"))
    expect(page.locator("#prediction")).to_have_text("–")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "relu1")
    page.get_by_role("link", name="Skip to the network").focus()  # an in-page anchor is not a link to a state
    page.keyboard.press("Enter")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "relu1")
    assert page.evaluate("window.sameTab") is True


@pytest.mark.parametrize("make", [photo_of_a_seven, None], ids=["photo", "whole-bytes"])
def test_a_link_to_an_uploaded_image_is_short_and_reopens_with_the_same_numbers(page, live_server, tmp_path, make):
    path = tmp_path / "digit.png"
    if make:
        make(path)
    else:                                                          # a crisp line: every input value is k/255
        img = Image.new("RGB", (120, 160), "white")
        ImageDraw.Draw(img).line([(60, 20), (60, 140)], fill="black", width=12)
        img.save(path)
    open_page(page, live_server)
    first = traced(page, lambda: page.locator("#upload").set_input_files(str(path)))
    predicted = str(first["softmax"]["prediction"])
    expect(page.locator("#prediction")).to_have_text(predicted)
    expect(page).to_have_url(re.compile(r"#p="))
    link = page.url
    pixels = re.search(r"[#&]p=([^&]*)", link).group(1)
    assert len(pixels) < OLD_PIXEL_LINK / 4, f"the pixels take {len(pixels)} characters in the link"

    page.goto("about:blank")
    again = traced(page, lambda: page.goto(link))
    same_numbers(first, again)
    expect(page.locator("#prediction")).to_have_text(predicted)

    x = np.frombuffer(base64.b64decode(first["input"]["output"]["b64"]), "<f4")
    old = f"{live_server}/#p={b64url(x.tobytes())}&stage=conv1"  # the first format still opens, to the same numbers
    assert len(b64url(x.tobytes())) == OLD_PIXEL_LINK
    page.goto("about:blank")
    again = traced(page, lambda: page.goto(old))
    same_numbers(first, again)
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")


def test_a_link_to_a_drawing_is_shorter_and_an_old_one_still_opens(page, live_server):
    eight = [[(0.5 + 0.25 * np.sin(2 * t), 0.5 - 0.35 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 120)]]
    open_page(page, live_server)
    draw(page, eight)
    expect(page).to_have_url(re.compile(r"#d="))
    drawn = page.locator("#prediction").inner_text()
    link = page.url
    value = re.search(r"[#&]d=([^&]*)", link).group(1)
    kind, packed = value.split(".")                                # z.<deflate-raw of per-point steps>
    assert kind == "z"
    steps = zlib.decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)), -zlib.MAX_WBITS)
    n = struct.unpack(">H", steps[:2])[0]
    assert len(steps) == 2 + 2 * n                                 # one stroke of n points
    points = np.cumsum(np.frombuffer(steps[2:], np.uint8).reshape(n, 2).astype(int), axis=0) % PAD_SIZE
    old = old_strokes_link([points.tolist()])
    assert len(value) < len(old) / 2, f"{len(value)} characters, {len(old)} in the first format"

    page.goto("about:blank")
    open_page(page, live_server, f"#d={old}")
    expect(page.locator("#prediction")).to_have_text(drawn)
    assert re.search(r"[#&]d=([^&]*)", page.url).group(1) == value   # the same strokes, the same link


def test_a_damaged_link_opens_an_empty_pad(page, live_server):
    open_page(page, live_server, "#p=z.notdeflate&stage=conv1")
    expect(page.locator("#pad")).to_have_class(re.compile("empty"))
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")
    expect(page.locator("#prediction")).to_have_text("–")
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
