"""In a real browser: the numbers each view shows for one position are exactly the trace's."""

import re

import pytest
from playwright.sync_api import expect

from .test_browser_support import api, click_cell, decode, open_page, sample_trace, shown_position, watched


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def check_conv_numbers(page, stage, pos, tol=6e-5):
    """The products, sum, bias and result on screen are the trace's at this position."""
    products, sums, out = (decode(stage[k]) for k in ("products", "sums", "output"))
    bias = decode(stage["params"]["bias"])
    _, H, W, C, K, _ = products.shape
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
    exact = float(page.locator("#conv-result").get_attribute("data-value"))     # what hover shows, unrounded
    assert exact == pytest.approx(out[f, i, j], rel=1e-6, abs=1e-7)


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
    click_cell(page, "document.querySelector('.conv-out')", 3, 4)           # filter 2's output map
    expect(page.locator("#position")).to_have_text(re.compile(r"position 135 of 400"))
    check_conv_numbers(page, trace["conv2"], 134)


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


def test_softmax_steps_through_its_arithmetic(page, live_server):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    soft = sample_trace(live_server, sid)["softmax"]
    open_page(page, live_server, f"#s={sid}&stage=softmax")
    expect(page.locator("#position")).to_have_text("position 1 of 10")
    assert float(page.locator("#softmax-sum [data-value]").get_attribute("data-value")) == soft["sum"]
    expect(page.locator(".softmax-formula")).to_contain_text(f"max z = {soft['largest']:.4f}")
    for k in range(len(soft["probabilities"])):
        row = page.locator(f'.softmax-table tbody tr[data-k="{k}"]')
        expect(row).to_have_class(re.compile("current"))
        shown = [float(v) for v in row.locator("[data-value]").evaluate_all("(els) => els.map((e) => e.dataset.value)")]
        assert shown == [soft[key][k] for key in ("logits", "shifted", "exponentials", "probabilities")]
        assert float(page.locator("#softmax-p").get_attribute("data-value")) == soft["probabilities"][k]
        for text, value in page.locator(".softmax-line [data-value]").evaluate_all(
                "(els) => els.map((e) => [e.textContent, Number(e.dataset.value)])"):
            assert float(text) == pytest.approx(value, rel=1e-3, abs=6e-5)       # what the student reads
        if k + 1 < len(soft["probabilities"]):
            expect(row.locator("xpath=following-sibling::tr[1]")).to_have_class(re.compile("pending"))
            page.keyboard.press(".")
    expect(page.locator(".softmax-table tr.pending")).to_have_count(0)            # the last step shows them all
