"""The page in a real browser (Debian's Chromium via Playwright), against the real server, used as a person would."""

import base64
import json
import re
import urllib.request

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

EMPTY_DRAWING = "status of 422"   # the browser logs a refused empty drawing; the page shows a hint instead


def api(base, path, body=None):
    """GET (or POST JSON to) the API; NDJSON trace responses become {stage: dict}."""
    req = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        text = r.read().decode()
    if path == "/api/trace":
        return {d["stage"]: d for d in map(json.loads, text.splitlines())}
    return json.loads(text)


def decode(obj):
    return np.frombuffer(base64.b64decode(obj["b64"]), {"float32": "<f4", "uint8": "u1"}[obj["dtype"]]).reshape(obj["shape"])


@pytest.fixture()
def page(page, live_server):
    """The page, failing the test on any console error, uncaught exception, or request leaving the origin."""
    problems = []
    page.on("console", lambda m: m.type == "error" and EMPTY_DRAWING not in m.text and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    page.on("request", lambda r: r.url.startswith((live_server, "data:", "blob:")) or problems.append(f"left origin: {r.url}"))
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


def test_drawing_a_one_is_read_as_one(page, live_server):
    open_page(page, live_server)
    expect(page.locator("#prediction")).to_have_text("7")        # the first sample, shown on a first visit
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#sees figure")).to_have_count(5)         # original ... centred: what the network sees
    expect(page).to_have_url(re.compile(r"#d="))                  # the drawing is kept in the link


def test_clear_shows_a_friendly_hint_and_undo_removes_a_stroke(page, live_server):
    open_page(page, live_server)
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#prediction")).to_have_text("–")
    expect(page.locator("#status")).to_contain_text("Draw a digit")
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("#prediction")).to_have_text("–")
    expect(page.get_by_role("alertdialog")).to_have_count(0)


def test_walk_every_stage_with_buttons_and_keys(page, live_server):
    names = [s["name"] for s in api(live_server, "/api/model")["stages"]]
    open_page(page, live_server)
    stage = page.locator("#stage")
    expect(stage).to_have_attribute("data-stage", names[0])
    for name in names[1:]:
        page.get_by_role("button", name="Next", exact=True).click()
        expect(stage).to_have_attribute("data-stage", name)
        expect(page.locator("#caption")).not_to_be_empty()
    for name in reversed(names[:-1]):
        page.get_by_role("button", name="Previous", exact=True).click()
        expect(stage).to_have_attribute("data-stage", name)
    for name in names[1:]:
        page.keyboard.press("ArrowRight")
        expect(stage).to_have_attribute("data-stage", name)
    page.keyboard.press("ArrowLeft")
    expect(stage).to_have_attribute("data-stage", names[-2])
    page.keyboard.press("PageUp")
    expect(stage).to_have_attribute("data-stage", names[-3])
    page.locator("#timeline button", has_text="conv1").click()
    expect(stage).to_have_attribute("data-stage", "conv1")


def shown_position(page):
    return int(re.search(r"position (\d+) of", page.locator("#position").inner_text()).group(1)) - 1


def check_conv_numbers(page, stage, pos, tol=6e-5):
    """The products, sum, bias and result on screen are the trace's at this position."""
    products, sums, out = (decode(stage[k]) for k in ("products", "sums", "output"))
    bias = decode(stage["params"]["bias"])
    F, H, W, C, K, _ = products.shape
    f, i, j = pos // (H * W), pos % (H * W) // W, pos % W
    cells = page.locator("td.product")
    expect(cells).to_have_count(C * K * K)
    for c in range(C):
        for k in range(K):
            for ll in range(K):
                text = page.locator(f'td.product[data-c="{c}"][data-k="{k}"][data-l="{ll}"] .p').inner_text()
                assert float(text) == pytest.approx(products[f, i, j, c, k, ll], abs=tol)
    assert float(page.locator("#conv-sum").inner_text()) == pytest.approx(sums[f, i, j], abs=tol)
    assert float(page.locator("#conv-bias").inner_text()) == pytest.approx(bias[f], abs=tol)
    assert float(page.locator("#conv-result").inner_text()) == pytest.approx(out[f, i, j], abs=tol)
    assert float(page.locator("#conv-result").get_attribute("data-value")) == pytest.approx(out[f, i, j], rel=1e-6, abs=1e-7)


def sample_trace(base, sample_id):
    return api(base, "/api/trace", {"pixels": api(base, f"/api/samples/{sample_id}")["pixels"]})


def test_conv1_play_and_step_show_the_traces_numbers(page, live_server):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    trace = sample_trace(live_server, sid)
    open_page(page, live_server, f"#s={sid}&stage=conv1")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")
    page.keyboard.press("Space")                                   # play ...
    page.wait_for_timeout(600)
    page.keyboard.press("Space")                                   # ... and pause somewhere along the way
    expect(page.get_by_role("button", name="Play (Space)")).to_be_visible()
    played = shown_position(page)
    assert played > 0
    for _ in range(3):
        page.keyboard.press(".")
    page.keyboard.press(",")
    assert shown_position(page) == played + 2
    check_conv_numbers(page, trace["conv1"], played + 2)
    page.keyboard.press("End")
    check_conv_numbers(page, trace["conv1"], shown_position(page))
    page.keyboard.press("Home")
    assert shown_position(page) == 0


def test_conv2_click_an_output_cell_and_pick_a_filter(page, live_server):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    trace = sample_trace(live_server, sid)
    open_page(page, live_server, f"#s={sid}&stage=conv2&pos=399")     # the finished map of the last filter
    page.get_by_role("group", name="Filter").get_by_role("button", name="Filter 2").click()
    assert shown_position(page) == 100 + 99
    # click output cell (row 3, column 4) of filter 2 where Plotly drew it
    where = """() => { const gd = document.querySelector('.conv-out'), fl = gd._fullLayout, r = gd.getBoundingClientRect();
        return [r.left + fl.xaxis._offset + fl.xaxis.l2p(4), r.top + fl.yaxis._offset + fl.yaxis.l2p(3)]; }"""
    xy, previous = page.evaluate(where), None
    while xy != previous:                                          # wait until the plot has its final size
        page.wait_for_timeout(100)
        previous, xy = xy, page.evaluate(where)
    page.mouse.click(*xy)
    expect(page.locator("#position")).to_have_text(re.compile(r"position 135 of 400"))
    check_conv_numbers(page, trace["conv2"], 134)


def test_upload_an_image_file(page, live_server, tmp_path):
    img = Image.new("RGB", (120, 160), "white")
    ImageDraw.Draw(img).line([(60, 20), (60, 140)], fill="black", width=12)
    path = tmp_path / "one.png"
    img.save(path)
    open_page(page, live_server)
    page.locator("#upload").set_input_files(str(path))
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#sees figure")).to_have_count(5)
    expect(page).to_have_url(re.compile(r"#p="))


def test_pick_a_sample_the_model_gets_wrong(page, live_server):
    data = api(live_server, "/api/samples")
    wrong = next(s for s in data["samples"] if not s["correct"])
    open_page(page, live_server)
    page.get_by_role("button", name="Samples").click()
    dialog = page.locator("#gallery")
    expect(dialog.locator(".tiles.wrong .sample").first).to_be_visible()
    expect(page.locator("#credit")).to_contain_text("MNIST")
    dialog.locator(f'.sample[data-id="{wrong["id"]}"]').click()
    expect(page.locator("#prediction")).to_have_text(str(wrong["predicted"]))
    expect(page).to_have_url(re.compile(f"s={wrong['id']}"))


def test_a_shared_link_returns_to_the_same_view(page, live_server):
    open_page(page, live_server)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "pool1")
    for _ in range(5):
        page.keyboard.press(".")
    expect(page).to_have_url(re.compile(r"stage=pool1&pos=5"))
    link = page.url
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_selector("body.ready")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "pool1")
    assert shown_position(page) == 5
    draw(page, ONE)                                                # a drawing survives a reload too
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page).to_have_url(re.compile(r"#d="))
    page.reload()
    page.wait_for_selector("body.ready")
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "pool1")
    expect(page.locator("#pad")).not_to_have_class(re.compile("empty"))


def test_help_presenter_and_theme(page, live_server):
    open_page(page, live_server)
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    page.keyboard.press("f")
    expect(page.locator("html")).to_have_class(re.compile("presenter"))
    page.keyboard.press("f")
    expect(page.locator("html")).not_to_have_class(re.compile("presenter"))
    before = page.locator("html").get_attribute("data-theme")
    page.get_by_role("button", name="Switch light or dark theme").click()
    assert page.locator("html").get_attribute("data-theme") != before
    for name in ("Previous", "Next", "Clear", "Undo", "Samples"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("img", name=re.compile("Drawing pad"))).to_have_count(1)


def test_the_prediction_follows_the_pen_while_drawing(page, live_server):
    open_page(page, live_server)
    posts = []
    page.on("request", lambda r: r.url.endswith("/api/trace") and posts.append(r.url))
    box = page.locator("#pad").bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + 0.15 * box["height"])
    page.mouse.down()
    for i in range(30):                                            # ~0.5 s of drawing, pen still down
        page.mouse.move(x, box["y"] + (0.15 + 0.023 * i) * box["height"])
        page.wait_for_timeout(16)
    expect(page.locator("#prediction")).to_have_text("1")          # read before the pen lifts ...
    assert 1 <= len(posts) < 15                                    # ... with throttled requests (30 moves)
    page.mouse.up()
    expect(page.locator("#prediction")).to_have_text("1")


def test_drop_an_image_on_the_pad(page, live_server, tmp_path):
    img = Image.new("L", (100, 100), 255)
    ImageDraw.Draw(img).line([(50, 10), (50, 90)], fill=0, width=10)
    path = tmp_path / "one.png"
    img.save(path)
    open_page(page, live_server)
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate("""(b64) => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const dt = new DataTransfer(); dt.items.add(new File([bytes], 'one.png', {type: 'image/png'}));
        document.getElementById('pad').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true})); }""", data)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#sees figure")).to_have_count(5)


def test_pool_dense_and_softmax_show_the_traces_numbers(page, live_server):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    trace = sample_trace(live_server, sid)
    pool, dense = decode(trace["pool1"]["output"]), decode(trace["dense"]["output"])
    open_page(page, live_server, f"#s={sid}&stage=pool1&pos=150")        # channel 2, row 0, column 6
    expect(page.locator("#stage")).to_have_attribute("data-stage", "pool1")
    assert float(page.locator("#pool-max").inner_text()) == pytest.approx(pool[1, 0, 6], abs=6e-5)
    winner = int(decode(trace["pool1"]["argmax"])[1, 0, 6])              # 0..3, row-major in the window
    cell = page.locator("td.pool-cell.max")
    expect(cell).to_have_count(1)
    k = api(live_server, "/api/model")["pool"]
    assert int(cell.get_attribute("data-a")) * k + int(cell.get_attribute("data-b")) == winner
    page.locator("#timeline button", has_text="dense").click()
    page.keyboard.press("Home")
    for k in range(3):
        assert float(page.locator("#dense-logit").inner_text()) == pytest.approx(dense[k], abs=6e-5)
        page.keyboard.press(".")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#softmax-prediction")).to_have_text(str(trace["softmax"]["prediction"]))
