"""The page in a real browser (Debian's Chromium via Playwright), against the real server, used as a person would."""

import base64
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .test_browser_support import ONE, api, draw, open_page, shown_position, watched


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


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
    """While the pen moves the page asks only for the prediction (throttled); the trace comes once, on pen-up."""
    open_page(page, live_server)
    asked = []                                                     # paths, in the order the page sent them
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    box = page.locator("#pad").bounding_box()
    x = box["x"] + box["width"] / 2
    throttle_ms = page.evaluate("import(new URL('config.js', document.querySelector('script[type=module]').src))"
                                ".then((m) => m.TIMING.drawThrottleMs)")
    page.mouse.move(x, box["y"] + 0.15 * box["height"])
    page.mouse.down()
    start = time.monotonic()
    for i in range(30):                                            # ~0.5 s of drawing, pen still down
        page.mouse.move(x, box["y"] + (0.15 + 0.023 * i) * box["height"])
        page.wait_for_timeout(16)
    expect(page.locator("#prediction")).to_have_text("1")          # read before the pen lifts
    expect(page.locator('#sees [data-step="centred"] canvas')).to_have_count(1)   # what it sees, live
    assert "/api/trace" not in asked                               # no whole trace while the pen moves
    page.mouse.up()
    drawing_ms = (time.monotonic() - start) * 1000
    expect(page.locator("#sees figure")).to_have_count(5)
    expect(page.locator("#sees")).not_to_have_class(re.compile("stale"))
    expect(page.locator("#prediction")).to_have_text("1")
    assert asked.count("/api/trace") == 1                          # the whole trace, once, on pen-up
    lifted = asked.index("/api/trace")
    predicts = asked[:lifted].count("/api/predict")
    assert 1 <= predicts <= drawing_ms / throttle_ms + 2            # at most one request per throttle period
    assert predicts < 30                                           # (fewer than the 30 moves, however slow)
    assert "/api/predict" not in asked[lifted:]                    # and none once the pen is up


def test_drop_an_image_on_the_pad(page, live_server, tmp_path):
    img = Image.new("L", (100, 100), 255)
    ImageDraw.Draw(img).line([(50, 10), (50, 90)], fill=0, width=10)
    path = tmp_path / "one.png"
    img.save(path)
    open_page(page, live_server)
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate("""(b64) => { const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
        const dt = new DataTransfer(); dt.items.add(new File([bytes], 'one.png', {type: 'image/png'}));
        const drop = new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true});
        document.getElementById('pad').dispatchEvent(drop); }""", data)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#sees figure")).to_have_count(5)
