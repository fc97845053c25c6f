"""In a real browser: the training time-line. Moving the slider reads the digit with that checkpoint's weights
(prediction, probabilities, every stage), the link keeps it, the keys still drive the player, and the filters
panel shows the checkpoint's kernels beside the final ones."""

import re

import numpy as np
import pytest
from playwright.sync_api import expect

from cnnviz.cnn import config as C

from .test_browser_support import ONE, api, decode, draw, open_page, watched

SLIDER = "Training checkpoint (epochs)"


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


@pytest.fixture(scope="module")
def checkpoints(live_server):
    return api(live_server, "/api/model")["checkpoints"]


def pct(p):
    """format.js pct(): the percentage the page shows."""
    return "<0.1%" if 0 < p < 0.001 else f"{100 * p:.1f}%"


def slide_to(page, index):
    """Move the slider as a person does with the keyboard: focus it, then the arrow keys."""
    slider = page.get_by_role("slider", name=SLIDER)
    slider.focus()
    for _ in range(abs(index - int(slider.input_value()))):
        page.keyboard.press("ArrowLeft" if index < int(slider.input_value()) else "ArrowRight")
    expect(slider).to_have_value(str(index))


def predicted(base, weights_id, pixels):
    return api(base, f"/api/predict?weights={weights_id}", {"pixels": pixels})


def expect_answer(page, p):
    k = p["prediction"]
    expect(page.locator("#prediction")).to_have_text(str(k))
    expect(page.locator("#confidence")).to_have_text(f"{pct(p['probabilities'][k])} sure")


def shown_probabilities(page):
    """The softmax stage's ten probabilities, as the trace gave them (each cell's data-value)."""
    expect(page.locator("#stage")).to_have_attribute("data-stage", "softmax")
    cells = page.locator(".softmax-table tbody td.prob > span[data-value]")
    expect(cells).to_have_count(10)
    return [float(v) for v in cells.evaluate_all("cs => cs.map((c) => c.dataset.value)")]


def test_the_slider_reads_the_digit_with_each_checkpoint_and_the_link_keeps_it(page, live_server, checkpoints):
    sample = api(live_server, "/api/samples")["samples"][0]["id"]
    pixels = api(live_server, f"/api/samples/{sample}")["pixels"]
    open_page(page, live_server, "#stage=softmax&s=" + sample)
    slider = page.get_by_role("slider", name=SLIDER)
    expect(slider).to_have_attribute("aria-valuetext", re.compile(r"^after .+ epochs?: [\d.]+% of the test digits"))
    final = predicted(live_server, checkpoints[-1]["id"], pixels)
    expect_answer(page, final)
    for i, c in reversed(list(enumerate(checkpoints[:-1]))):
        slide_to(page, i)
        p = predicted(live_server, c["id"], pixels)
        expect(page).to_have_url(re.compile(rf"[#&]w={re.escape(c['id'])}(&|$)"))
        expect(page.locator("#checkpoint-label")).to_contain_text(pct(c["accuracy"]))
        expect_answer(page, p)
        assert p["probabilities"] != final["probabilities"]
        assert shown_probabilities(page) == p["probabilities"]        # the stage view: this checkpoint's numbers
    expect(page.locator("#checkpoint-label")).to_contain_text("untrained")
    expect(page.locator("#weights-note")).to_have_text("with untrained weights")

    page.reload()                                                      # the link restores the checkpoint
    page.wait_for_selector("body.ready")
    expect(page.get_by_role("slider", name=SLIDER)).to_have_value("0")
    expect_answer(page, predicted(live_server, checkpoints[0]["id"], pixels))
    assert shown_probabilities(page) == predicted(live_server, checkpoints[0]["id"], pixels)["probabilities"]

    slide_to(page, len(checkpoints) - 1)                               # back to the final weights: no w= in the link
    expect_answer(page, final)
    expect(page).not_to_have_url(re.compile(r"[#&]w="))
    expect(page.locator("#weights-note")).to_be_hidden()


def test_the_keys_still_drive_the_player(page, live_server, checkpoints):
    """A focused slider keeps its keys, not the stage (as with the speed slider); elsewhere they step."""
    open_page(page, live_server, "#stage=conv1&s=test-00000")
    stage = page.locator("#stage")
    slide_to(page, 0)
    expect(stage).to_have_attribute("data-stage", "conv1")
    page.keyboard.press("PageDown")                                    # the slider's too (at its start: stays)
    expect(stage).to_have_attribute("data-stage", "conv1")
    page.locator("#stage-title").click()
    page.keyboard.press("ArrowRight")
    expect(stage).to_have_attribute("data-stage", "relu1")
    page.keyboard.press("PageDown")
    expect(stage).to_have_attribute("data-stage", "pool1")
    page.get_by_role("button", name="Previous", exact=True).click()
    expect(stage).to_have_attribute("data-stage", "relu1")
    expect(page).to_have_url(re.compile(rf"w={checkpoints[0]['id']}"))
    expect(page.get_by_role("slider", name=SLIDER)).to_have_value("0")


def test_drawing_asks_with_the_chosen_checkpoint(page, live_server, checkpoints):
    open_page(page, live_server, f"#w={checkpoints[0]['id']}")
    asked = []
    page.on("request", lambda r: "/api/" in r.url and r.method == "POST" and asked.append(r.url))
    draw(page, ONE)
    expect(page.locator("#prediction")).not_to_have_text("–")
    page.wait_for_timeout(300)
    assert asked and all(u.endswith(f"?weights={checkpoints[0]['id']}") for u in asked), asked
    assert any("/api/trace?" in u for u in asked) and any("/api/predict?" in u for u in asked)


def tiled(w):
    """An (A, B, H, W) array as tiles.js lays it out: B rows by A columns of H x W tiles, one empty cell apart."""
    a_, b_, h, w_ = w.shape
    z = np.full((b_ * (h + 1) - 1, a_ * (w_ + 1) - 1), np.nan)
    for a in range(a_):
        for b in range(b_):
            z[b * (h + 1):b * (h + 1) + h, a * (w_ + 1):a * (w_ + 1) + w_] = w[a, b]
    return z


def plotted(page, index):
    """The z of the index-th filters heatmap (row by row: conv1 now, conv1 final, conv2 now, ...)."""
    z = page.locator(".filters-map").nth(index).evaluate("el => el.data[0].z")
    return np.array([[np.nan if v is None else v for v in row] for row in z], np.float64)


def test_the_filters_panel_shows_the_checkpoints_kernels_beside_the_final_ones(page, live_server, checkpoints):
    open_page(page, live_server, "#s=test-00000")
    slide_to(page, 1)
    page.locator("summary", has_text="Filters").click()
    maps = page.locator(".filters-map .main-svg")
    expect(maps.first).to_be_visible()
    expect(page.locator(".filters-map")).to_have_count(6)
    expect(page.locator(".filters-now")).to_contain_text(pct(checkpoints[1]["accuracy"]))
    expect(page.locator(".filters-grid h3").nth(1)).to_contain_text(pct(checkpoints[-1]["accuracy"]))

    def check(now_id, own=False):
        """Each map holds the weights, on one colour scale per layer (own: per map)."""
        now, final = (api(live_server, f"/api/checkpoints/{i}")["layers"] for i in (now_id, checkpoints[-1]["id"]))
        dense = (C.NUM_CLASSES, C.CONV2_FILTERS, C.POOL2_SIZE, C.POOL2_SIZE)      # digit, channel, row, column
        for k, (layer, fold) in enumerate([("conv1", None), ("conv2", None), ("dense", dense)]):
            both = [decode(doc[layer]["weight"]) for doc in (now, final)]
            for j, w in enumerate(both):
                np.testing.assert_array_equal(plotted(page, 2 * k + j), tiled(w.reshape(fold or w.shape)))
                m = np.abs(w if own else np.concatenate([b.ravel() for b in both])).max()
                zmax = page.locator(".filters-map").nth(2 * k + j).evaluate("el => el.data[0].zmax")
                assert zmax == pytest.approx(m, rel=1e-6)

    page.wait_for_function("document.querySelectorAll('.filters-map.js-plotly-plot').length === 6")
    check(checkpoints[1]["id"])
    slide_to(page, 0)                                                  # the open panel follows the slider
    expect(page.locator(".filters-now")).to_contain_text("untrained")
    page.wait_for_timeout(300)
    check(checkpoints[0]["id"])
    page.get_by_role("button", name="Colour scale each its own").click()
    expect(page.get_by_role("button", name="Colour scale each its own")).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)
    check(checkpoints[0]["id"], own=True)
    page.locator("#filters summary").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#filters")).not_to_have_attribute("open", "")
    expect(page.locator(".filters-panel")).to_be_hidden()
