"""In a real browser on a phone's screen: every stage, still and mid-animation, fits the width with no box over another,
its numbers at a readable size, its plots drawn at their boxes' size and the player's buttons thumb-sized. Upright
(360x640), on its side (640x360) and on a tablet (768x1024). Saves docs/screenshots/phone-<stage>.png."""

from pathlib import Path

import pytest

from .test_browser_support import open_page, watched

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PHONE, LANDSCAPE, TABLET = (360, 640), (640, 360), (768, 1024)
STAGES = [   # (stage, a position in the middle of its animation)
    ("input", 0), ("conv1", 250), ("relu1", 830), ("pool1", 40), ("conv2", 134), ("sigmoid2", 157),
    ("pool2", 60), ("flatten", 37), ("dense", 7), ("softmax", 4),
]
SHOWN = {"conv1", "conv2", "sigmoid2", "dense", "softmax"}    # saved as screenshots, upright
UNSURE = "test-00078"        # a 9 the model gives 70%: the softmax has more than one number to show
THUMB = 40                   # px: the smallest button a thumb hits without a second try
SMALLEST_TEXT = 9            # px: the w×x lines of the products; every other number is larger
SLACK = 1                    # px of rounding allowed where two boxes meet

# The boxes of a view that must not lie over one another: plots, tables, lines of text, pickers, labels.
BOXES = """(sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length)
    .map((e) => { const r = e.getBoundingClientRect();
      return {name: e.tagName.toLowerCase() + '.' + [...e.classList].join('.'), x0: r.left, y0: r.top, x1: r.right,
              y1: r.bottom, el: e}; })
    .map((b, i, all) => ({...b, el: undefined,
      inside: all.filter((o) => o.el !== b.el && o.el.contains(b.el)).map((o) => all.indexOf(o))}))"""
BOXES_SHOWN = (".top, .side, #timeline, #stage-title, #caption, #legend, #view .plot, #view table, #view p, #view h3, "
               "#view .picker, #view .steps, #view .map-head, #view .row-label, #view .flat-arrow")


@pytest.fixture()
def device(browser, live_server, request):
    """A page on a touch screen of request.param's size."""
    width, height = request.param
    ctx = browser.new_context(viewport={"width": width, "height": height}, is_mobile=width < TABLET[0],
                              has_touch=True)
    page = ctx.new_page()
    for p in watched(page, live_server):
        page.set_viewport_size({"width": width, "height": height})     # watched() sets a desktop size
        yield page
    ctx.close()


def overlaps(boxes):
    """Pairs of boxes that lie over each other by more than SLACK px both ways (a box and one inside it aside)."""
    found = []
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if i in b["inside"] or j in a["inside"]:
                continue
            across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            down = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if across > SLACK and down > SLACK:
                found.append((a["name"], b["name"]))
    return found


def settled(page):
    """Wait until the plots have taken their boxes' sizes (they follow them on the next frames)."""
    page.wait_for_function("""() => [...document.querySelectorAll('#view .js-plotly-plot')].every((p) => p._fullLayout
        && Math.abs(p._fullLayout.width - p.clientWidth) <= 1 && Math.abs(p._fullLayout.height - p.clientHeight) <= 1)""")


def check_layout(page, width, where):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: the page scrolls sideways"
    boxes = page.evaluate(BOXES, BOXES_SHOWN)
    outside = [b["name"] for b in boxes if b["x0"] < -SLACK or b["x1"] > width + SLACK]
    assert outside == [], f"{where}: past the screen's edge: {outside}"
    assert overlaps(boxes) == [], f"{where}: boxes over each other"


@pytest.mark.parametrize("device", [PHONE, LANDSCAPE, TABLET], ids=["upright", "landscape", "tablet"], indirect=True)
@pytest.mark.parametrize(("stage", "pos"), STAGES, ids=[s for s, _ in STAGES])
def test_every_stage_fits_a_phone_and_a_tablet(device, live_server, stage, pos):
    page, width = device, device.viewport_size["width"]
    sample = UNSURE if stage == "softmax" else "test-00000"
    open_page(page, live_server, f"#s={sample}&stage={stage}&pos={pos}")
    settled(page)
    check_layout(page, width, f"{stage} at {width}px, position {pos}")
    if width == PHONE[0] and stage in SHOWN:
        controls = page.locator(".controls")        # held at the screen's bottom: in a whole page's picture, in place
        controls.evaluate("(c) => { c.style.position = 'static'; }")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"phone-{stage}.png", full_page=True)
        controls.evaluate("(c) => { c.style.position = ''; }")
    if stage != "input":                                     # mid-animation: the player running, then paused
        page.get_by_role("button", name="Play (Space)").click()
        page.wait_for_timeout(350)
        check_layout(page, width, f"{stage} at {width}px, playing")
        page.keyboard.press("Home")                          # stops it, if it has not reached its end
    buttons = page.evaluate("""() => [...document.querySelectorAll('.controls button')].map((b) => {
        const r = b.getBoundingClientRect(); return [b.getAttribute('aria-label'), r.width, r.height]; })""")
    small = [name for name, w, h in buttons if min(w, h) < THUMB - SLACK]
    assert small == [], f"{stage}: buttons too small for a thumb: {small}"
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
        '#view td, #view td.product .wx, #view .conv-sum b, #view .softmax-table th, #view .where')]
        .filter((e) => e.textContent.trim()).map((e) => parseFloat(getComputedStyle(e).fontSize)))""")
    assert smallest >= SMALLEST_TEXT or smallest == float("inf"), f"{stage}: numbers at {smallest}px"


@pytest.mark.parametrize("device", [PHONE], ids=["upright"], indirect=True)
def test_the_products_table_is_usable_on_a_phone(device, live_server):
    """conv1's input map lies beside its output, not over the table; each product cell shows weight × pixel and
    the product, wide enough for its text; a tap on an output cell moves the window there."""
    open_page(device, live_server, "#s=test-00000&stage=conv1&pos=250")
    settled(device)
    table = device.locator("table.products").bounding_box()
    for plot in ("conv-in", "conv-out"):
        box = device.locator(f".{plot}").bounding_box()
        assert box["y"] + box["height"] <= table["y"] + SLACK, f"{plot} lies over the products"
    cut = device.evaluate("""() => [...document.querySelectorAll('td.product span')]
        .filter((s) => s.scrollWidth > s.parentElement.clientWidth + 1).length""")
    assert cut == 0, f"{cut} product texts wider than their cells"
    device.evaluate("document.querySelector('.conv-out').scrollIntoView({block: 'center'})")
    box = device.locator(".conv-out").bounding_box()
    device.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] - 8)
    device.wait_for_function("() => !/position 251 of/.test(document.getElementById('position').textContent)")
