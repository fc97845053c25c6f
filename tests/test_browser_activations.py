"""In a real browser: relu1 and sigmoid2 cell by cell, each position showing the trace's own values, and every
map of a stage drawn at one size."""

import numpy as np
import pytest
from playwright.sync_api import expect

from .test_browser_support import api, click_cell, decode, open_page, sample_trace, shown_position, watched

TOL = 6e-5   # the page shows 4 decimals


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


@pytest.fixture()
def sample(live_server):
    """(sample id, its trace): the first shipped sample."""
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    return sid, sample_trace(live_server, sid)


def check_cell(page, before, after, pos):
    """The line names the cell at pos (channel from 1, row and column from 0) and shows its trace values."""
    _, H, W = after.shape
    c, i, j = pos // (H * W), pos % (H * W) // W, pos % W
    expect(page.locator(".act-line")).to_contain_text(f"Channel {c + 1}, row {i}, column {j}: ")
    for sel, want in (("#act-in", before[c, i, j]), ("#act-out", after[c, i, j])):
        assert float(page.locator(sel).inner_text()) == pytest.approx(want, abs=TOL)
        assert float(page.locator(sel).get_attribute("data-value")) == pytest.approx(want, rel=1e-6, abs=1e-30)
    return after[c, i, j], before[c, i, j]


@pytest.mark.parametrize("name, before_stage, positions", [("relu1", "conv1", 1152), ("sigmoid2", "conv2", 400)])
def test_activation_steps_cell_by_cell_with_the_traces_values(page, live_server, sample, name, before_stage, positions):
    sid, trace = sample
    before, after = decode(trace[before_stage]["output"]), decode(trace[name]["output"])
    assert before.size == after.size == positions
    open_page(page, live_server, f"#s={sid}&stage={name}")
    expect(page.locator("#stage")).to_have_attribute("data-stage", name)
    expect(page.locator("#position")).to_have_text(f"position 1 of {positions}")
    expect(page.get_by_role("button", name="Play (Space)")).to_be_enabled()
    check_cell(page, before, after, 0)
    page.keyboard.press("Space")                                   # play ...
    page.wait_for_timeout(500)
    page.keyboard.press("Space")                                   # ... and pause
    played = shown_position(page)
    assert played > 0
    for _ in range(3):
        page.keyboard.press(".")
    check_cell(page, before, after, played + 3)
    # the after map fills in: its masks cover the cells still to come, a later channel entirely
    shapes = page.evaluate("() => [...document.querySelectorAll('.act-map')].map((p) => p.layout.shapes.length)")
    channels = after.shape[0]
    assert len(shapes) == 2 * channels and all(n > 0 for n in shapes[channels + 1:])
    page.keyboard.press("End")
    expect(page.locator("#position")).to_have_text(f"position {positions} of {positions}")
    check_cell(page, before, after, positions - 1)
    if name == "relu1":                                            # the summary stays: how many were clamped
        clamped = int((after != before).sum())
        expect(page.locator(".act-note")).to_contain_text(f"{clamped:,} of {positions:,} cells were negative")


def test_relu_says_clamped_or_kept(page, live_server, sample):
    sid, trace = sample
    before, after = decode(trace["conv1"]["output"]), decode(trace["relu1"]["output"])
    _, H, W = after.shape
    negative = int(np.flatnonzero(before < 0)[0])
    positive = int(np.flatnonzero(before > 0)[0])
    for pos, words in ((negative, "→ 0 (negative, clamped)"), (positive, "(kept)")):
        page.goto("about:blank")                                   # a new link, not a change of hash
        open_page(page, live_server, f"#s={sid}&stage=relu1&pos={pos}")
        expect(page.locator(".act-line")).to_contain_text(words)
        check_cell(page, before, after, pos)


def test_click_a_cell_to_see_it(page, live_server, sample):
    sid, trace = sample
    before, after = decode(trace["conv2"]["output"]), decode(trace["sigmoid2"]["output"])
    open_page(page, live_server, f"#s={sid}&stage=sigmoid2")
    click_cell(page, "document.querySelectorAll('.act-map')[5]", 3, 4)      # channel 2's after map
    expect(page.locator("#position")).to_have_text("position 135 of 400")      # 100 + 3 * 10 + 4, from 1
    check_cell(page, before, after, 134)


def test_sigmoid_says_sigma_and_why_it_saturates(page, live_server, sample):
    sid, trace = sample
    before, after = decode(trace["conv2"]["output"]), decode(trace["sigmoid2"]["output"])
    pos = int(np.argmax(before))                                   # the largest input: σ is all but 1
    open_page(page, live_server, f"#s={sid}&stage=sigmoid2&pos={pos}")
    expect(page.locator(".act-line")).to_contain_text("→ σ = ")
    expect(page.locator(".act-line")).to_contain_text("saturated, near 1")
    check_cell(page, before, after, pos)
    expect(page.locator(".act-note")).to_contain_text("Large values saturate")


MAP_BOXES = """(sel) => [...document.querySelectorAll(sel)].map((p) => {
  const r = p.querySelector('.nsewdrag').getBoundingClientRect();     // the drawn cells, without margins
  return [r.left, r.top, r.width, r.height]; })"""
BAR_BOXES = """(sel) => [...document.querySelectorAll(sel)].map((p) => {
  const r = p.querySelector('.cbfills').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""
STAGE_MAPS = {   # the maps of a stage (inputs first, outputs last) and its colour bars
    "relu1": (".act-map", ".act-bar"), "sigmoid2": (".act-map", ".act-bar"),
    "conv1": (".conv-in, .conv-out", ".conv-bar"), "conv2": (".conv-in, .conv-out", ".conv-bar"),
    "pool1": (".pool-in, .pool-out", ".pool-bar"), "pool2": (".pool-in, .pool-out", ".pool-bar"),
}


def map_boxes(page, live_server, sid, name, viewport):
    """The drawn boxes [left, top, width, height] of a stage's maps and of its colour bars' fills."""
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_page(page, live_server, f"#s={sid}&stage={name}")
    maps, bars = STAGE_MAPS[name]
    expect(page.locator(maps).first).to_be_visible()
    page.wait_for_timeout(300)                                     # the plots follow their boxes' final sizes
    return page.evaluate(MAP_BOXES, maps), page.evaluate(BAR_BOXES, bars)


def equal_squares(maps):
    sizes = {(round(w), round(h)) for _, _, w, h in maps}
    assert len(sizes) == 1, sizes                                  # every map the same size ...
    w, h = sizes.pop()
    assert w == h and w > 80                                       # ... square, and not tiny


def beside(bar, row):
    """A colour bar just right of a row of maps, exactly as tall, top and bottom aligned."""
    left, top, _, height = bar
    assert left > row[-1][0] + row[-1][2]
    assert abs(top - row[-1][1]) < 2 and abs(height - row[-1][3]) < 2


VIEWPORTS = [(1280, 720), (1024, 768)]


@pytest.mark.parametrize("name", ["relu1", "sigmoid2"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_activation_maps_have_equal_sizes_and_line_up(page, live_server, sample, name, viewport):
    maps, bars = map_boxes(page, live_server, sample[0], name, viewport)
    equal_squares(maps)
    channels = len(maps) // 2
    rows = [maps[:channels], maps[channels:]]
    for row in rows:                                               # each row on one line
        assert max(t for _, t, _, _ in row) - min(t for _, t, _, _ in row) < 1
    for c in range(channels):                                      # each channel in one column
        assert abs(rows[0][c][0] - rows[1][c][0]) < 1
    for bar, row in zip(bars, rows, strict=True):
        beside(bar, row)


@pytest.mark.parametrize("name", ["conv1", "conv2", "pool1", "pool2"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_conv_and_pool_maps_have_equal_sizes(page, live_server, sample, name, viewport):
    maps, bars = map_boxes(page, live_server, sample[0], name, viewport)
    equal_squares(maps)                                            # input channels and output alike
    beside(bars[0], maps[-1:])                                     # the bar beside the output, not in it
