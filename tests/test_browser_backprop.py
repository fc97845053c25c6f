"""In a real browser: Learn from this digit. A link opens the backward walk of a digit towards a label; Next and the
keys walk it from the loss to the input, every number shown the API's; Take a step shows the loss falling and Reset
goes back; a drawing's label is the student's to choose, a sample's is chosen for it; on a phone every backward
stage fits. Saves docs/screenshots/backprop-conv.png, backprop-step.png and phone-backprop-conv.png."""

import json
import re
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from .test_browser_phone import THUMB, check_layout, settled
from .test_browser_support import ONE, api, click_cell, decode, draw, open_page, shown_position, watched

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SAMPLE, LABEL = "test-00000", 3           # a 7, walked back towards 3: a loss of 12.25
BACKWARD = ["loss", "softmax", "dense", "flatten", "pool2", "sigmoid2", "conv2", "pool1", "relu1", "conv1", "input"]
TOL = 6e-5                                # the page shows 4 decimals
LINK = f"#s={SAMPLE}&back={LABEL}"


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def backprop(base, pixels, label, **query):
    """POST the pixels to /api/backprop: {stage: line}."""
    q = "&".join(f"{k}={v}" for k, v in {"label": label, **query}.items())
    req = urllib.request.Request(f"{base}/api/backprop?{q}", data=json.dumps({"pixels": pixels}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return {d["name"]: d for d in map(json.loads, r.read().decode().splitlines())}


@pytest.fixture(scope="module")
def pixels(live_server):
    return api(live_server, f"/api/samples/{SAMPLE}")["pixels"]


@pytest.fixture(scope="module")
def walk(live_server, pixels):
    return backprop(live_server, pixels, LABEL)


def number(page, selector):
    """The number an element shows, and the exact value it carries (what hover shows)."""
    el = page.locator(selector)
    return float(el.inner_text()), float(el.get_attribute("data-value"))


def shows(page, selector, want):
    """The element shows want to its decimals and carries it exactly, once the page has drawn it (a step's answer
    arrives after the click)."""
    try:
        page.wait_for_function("([s, w, tol]) => Math.abs(parseFloat(document.querySelector(s)?.textContent) - w) "
                               "<= tol", arg=[selector, float(want), TOL], timeout=5000)
    except PlaywrightTimeout:
        pass                                           # the assertions below say what it shows instead
    text, exact = number(page, selector)
    assert text == pytest.approx(want, abs=TOL), selector
    assert exact == pytest.approx(want, rel=1e-6, abs=1e-9), selector


def first_nonzero(a):
    """The flat index of the first non-zero value (a walk's gradients are sparse after the pooling)."""
    return int(np.flatnonzero(a)[0])


def test_a_link_opens_the_walk_and_next_walks_it_to_the_input(page, live_server, walk):
    open_page(page, live_server, f"{LINK}&stage=softmax")
    stage = page.locator("#stage")
    expect(page.locator("#stage[data-direction=backward][data-stage=softmax]")).to_have_count(1)
    expect(page.locator("#loss")).to_have_text(re.compile(r"^12\.25"))
    assert float(page.locator("#loss").inner_text()) == pytest.approx(walk["loss"]["loss"], rel=1e-3)
    expect(page.locator("#timeline button")).to_have_count(len(BACKWARD))
    soft = walk["softmax"]
    shows(page, "#bsoft-grad", decode(soft["grad_input"])[0])               # digit 0: p − y
    shows(page, "#bsoft-dp", decode(soft["grad_output"])[LABEL])            # −1/p[3]
    for name in BACKWARD[2:]:
        page.get_by_role("button", name="Next", exact=True).click()
        expect(stage).to_have_attribute("data-stage", name)
        expect(stage).to_have_attribute("data-direction", "backward")
        expect(page.locator("#caption")).not_to_have_text(re.compile("Waiting|Walking back"))
        expect(page.locator("#loss")).to_be_visible()
        line = walk[name]
        if name == "dense":
            shows(page, "#bdense-sum", decode(line["grad_input"])[0])
        elif name == "flatten":
            shows(page, "#bflat-value", decode(line["grad_output"])[0])
        elif name.startswith("pool"):
            shows(page, "#bpool-delta", decode(line["grad_output"])[0, 0, 0])
            routed = page.locator("td.bpool-back.max [data-value]")
            assert float(routed.get_attribute("data-value")) == decode(line["grad_output"])[0, 0, 0]
        elif name in ("sigmoid2", "relu1"):
            shows(page, "#bcell-out", decode(line["grad_input"])[0, 0, 0])
        elif name.startswith("conv"):
            acc = decode(line["accumulated"])
            cell = page.locator('td.product[data-c="0"][data-k="0"][data-l="0"] .acc')
            assert float(cell.get_attribute("data-value")) == acc[0, 0, 0, 0, 0, 0]
            shows(page, "#bconv-bias", decode(line["bias_accumulated"])[0, 0, 0])
    expect(page.locator(".binput-grad.js-plotly-plot")).to_have_count(1)
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_disabled()
    page.keyboard.press("ArrowLeft")
    expect(stage).to_have_attribute("data-stage", "conv1")
    for name in reversed(BACKWARD[:-2]):
        page.keyboard.press("ArrowLeft")
        expect(stage).to_have_attribute("data-stage", name)
    expect(page).to_have_url(re.compile(rf"back={LABEL}&stage=loss"))
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"back={LABEL}&stage=softmax"))


def test_mid_walk_the_numbers_are_the_api_s(page, live_server, walk):
    """The sigmoid's chain-rule line, dense's sum, conv2's running sums (its last position: the weights' gradient)
    and a clicked input cell's sum of input_products, at positions where the gradient is not zero."""
    sig = walk["sigmoid2"]
    go, slope, gi = (decode(sig[k]) for k in ("grad_output", "slope", "grad_input"))
    pos = first_nonzero(go)
    open_page(page, live_server, f"{LINK}&stage=sigmoid2&pos={pos}")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "sigmoid2")
    assert shown_position(page) == pos
    idx = np.unravel_index(pos, go.shape)
    shows(page, "#bcell-delta", go[idx])
    shows(page, "#bcell-slope", slope[idx])
    shows(page, "#bcell-out", gi[idx])
    expect(page.locator(".bcell-line")).to_contain_text(f"× s(1−s) {slope[idx]:.4f} = {gi[idx]:.4f}")

    dense = decode(walk["dense"]["grad_input"])
    i = int(np.argmax(np.abs(dense)))
    page.locator("#timeline button", has_text="dense").click()
    expect(page.locator("#stage")).to_have_attribute("data-stage", "dense")
    page.keyboard.press("End")
    for _ in range(dense.size - 1 - i):
        page.keyboard.press(",")
    assert shown_position(page) == i
    shows(page, "#bdense-sum", dense[i])
    products = decode(walk["dense"]["products"])[:, i]
    cells = page.locator("td.bdense-p [data-value]")
    assert [float(v) for v in cells.evaluate_all("cs => cs.map((c) => c.dataset.value)")] == list(products)

    conv = walk["conv2"]
    acc, bias_acc, grads = decode(conv["accumulated"]), decode(conv["bias_accumulated"]), decode(conv["grads"]["weight"])
    F, oh, ow, C, K, _ = acc.shape
    page.goto(live_server + f"/{LINK}&stage=conv2&pos={oh * ow - 1}")              # filter 1's last position
    page.wait_for_selector("#stage[data-stage=conv2] .conv-out.js-plotly-plot")
    np.testing.assert_array_equal(acc[0, -1, -1], grads[0])
    for c in range(C):
        for k in range(K):
            for ll in range(K):
                cell = page.locator(f'td.product[data-c="{c}"][data-k="{k}"][data-l="{ll}"] .acc')
                assert float(cell.inner_text().removeprefix("Σ ")) == pytest.approx(grads[0, c, k, ll], abs=TOL)
                assert float(cell.get_attribute("data-value")) == grads[0, c, k, ll]
    shows(page, "#bconv-bias", bias_acc[0, -1, -1])
    expect(page.locator(".bconv-done")).to_contain_text("∂L/∂bias of filter 1")
    page.get_by_role("button", name="Gradient of the input").click()
    inputs = decode(conv["grad_input"])
    click_cell(page, "document.querySelectorAll('.bconv-in-map')[1]", 4, 7)
    expect(page.locator(".bconv-in .conv-sum")).to_contain_text("channel 2, row 4, column 7")
    shows(page, "#bconv-in-sum", inputs[1, 4, 7])
    products = decode(conv["input_products"])[1, 4, 7]
    shown = page.locator("td.bconv-in-cell").evaluate_all("cs => cs.map((c) => Number(c.dataset.value))")
    assert shown == list(products.ravel())


def test_take_a_step_see_the_loss_fall_reset_and_go_back(page, live_server, walk, pixels):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, live_server, f"{LINK}&stage=conv2&pos=134")
    expect(page.locator("#stage[data-direction=backward][data-stage=conv2]")).to_have_count(1)
    rate = page.get_by_label("Learning rate")
    expect(rate).to_have_value("0.02")
    page.get_by_role("button", name="Take a step").click()
    panel = page.locator("#step-panel")
    expect(panel).to_be_visible()
    one = walk["step"]
    shows(page, "#step-loss-before", walk["loss"]["loss"])
    assert float(page.locator("#step-loss").inner_text()) < 12.25
    shows(page, "#step-loss", one["loss"])
    expect(page.locator(".step-title")).to_contain_text("After 1 step")
    expect(panel.locator('[data-layer="conv1"] .step-map.js-plotly-plot')).to_have_count(3)   # before, after, change
    expect(page.locator(".step-losses.js-plotly-plot")).to_have_count(1)
    page.wait_for_function("() => document.querySelector('.step-losses')._fullLayout")
    assert page.evaluate("document.querySelector('.step-losses').data[0].y") == one["losses"]
    if SHOTS.is_dir():
        settled(page)
        page.screenshot(path=SHOTS / "backprop-step.png")

    page.get_by_label("Steps").fill("4")                       # four more: 5 from the weights the walk started at
    page.get_by_role("button", name="Take a step").click()
    expect(page.locator(".step-title")).to_contain_text("After 5 steps")
    five = backprop(live_server, pixels, LABEL, steps=5)["step"]
    shows(page, "#step-loss", five["loss"])
    assert page.evaluate("document.querySelector('.step-losses').data[0].y") == five["losses"]
    expect(page.locator("#step-prediction")).to_contain_text(str(five["prediction"]))

    rate.fill("0.1")                                           # another learning rate: the steps start again
    rate.dispatch_event("change")
    expect(panel).to_be_hidden()
    page.get_by_label("Steps").fill("1")
    page.get_by_role("button", name="Take a step").click()
    shows(page, "#step-loss", backprop(live_server, pixels, LABEL, learning_rate=0.1)["step"]["loss"])
    page.get_by_role("button", name="Reset").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_role("button", name="Reset")).to_be_disabled()

    page.get_by_role("button", name="Back to the forward pass").click()
    expect(page.locator("#stage[data-direction=forward][data-stage=conv2]")).to_have_count(1)
    expect(page.locator("#timeline button")).to_have_count(len(BACKWARD) - 1)
    expect(page.locator("#backbar")).to_be_hidden()
    expect(page).not_to_have_url(re.compile("back="))


def test_the_checkpoint_slider_chooses_the_weights_the_walk_starts_from(page, live_server, pixels):
    first = api(live_server, "/api/model")["checkpoints"][0]["id"]         # the untrained weights
    open_page(page, live_server, f"{LINK}&stage=loss")
    expect(page.locator("#stage[data-direction=backward]")).to_have_count(1)
    with page.expect_request(re.compile(rf"/api/backprop\?label={LABEL}&weights={first}")):
        slider = page.get_by_role("slider", name="Training checkpoint (epochs)")
        slider.focus()
        page.keyboard.press("Home")
    want = backprop(live_server, pixels, LABEL, weights=first)["loss"]["loss"]
    expect(page.locator("#loss")).to_have_text(f"{want:.4g}")
    expect(page.locator("#stage")).to_have_attribute("data-direction", "backward")
    expect(page).to_have_url(re.compile(rf"back={LABEL}&stage=loss&w={first}"))


def test_draw_a_digit_learn_from_it_and_choose_its_label(page, live_server):
    open_page(page, live_server)
    traces = []

    def keep(route):                                           # the trace the page got, to compare the pixels sent
        response = route.fetch()
        traces.append(response.text())
        route.fulfill(response=response)
    page.route(re.compile(r"/api/trace$"), keep)
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    expect(page.locator("#view .js-plotly-plot").first).to_be_visible()
    page.get_by_role("button", name="Learn from this digit").click()
    choose = page.get_by_role("group", name="Which digit is it?")
    expect(choose).to_be_visible()
    expect(choose.get_by_role("button")).to_have_count(10)
    expect(choose.locator("[aria-pressed=true]")).to_have_count(0)          # a drawing: the student says
    with page.expect_request(re.compile(r"/api/backprop\?label=7$")) as asked:
        choose.get_by_role("button", name="7", exact=True).click()
    expect(page.locator("#stage[data-direction=backward][data-stage=loss]")).to_have_count(1)
    expect(page.locator("#back-label")).to_have_text("7")
    trace = {d["name"]: d for d in map(json.loads, traces[-1].splitlines())}
    sent = np.array(asked.value.post_data_json["pixels"], np.float32)
    np.testing.assert_array_equal(sent, decode(trace["input"]["output"])[0])    # exactly the digit shown
    lines = backprop(live_server, sent.tolist(), 7)
    assert float(page.locator("#loss").inner_text()) == pytest.approx(lines["loss"]["loss"], rel=1e-3)
    expect(page).to_have_url(re.compile(r"#d=.*back=7&stage=loss"))


def test_a_sample_s_label_is_chosen_for_it_and_a_sure_network_says_why(page, live_server):
    open_page(page, live_server, f"#s={SAMPLE}")
    expect(page.locator("#status")).to_contain_text("labelled 7")
    page.get_by_role("button", name="Learn from this digit").click()
    choose = page.get_by_role("group", name="Which digit is it?")
    expect(choose.locator("[aria-pressed=true]")).to_have_text("7")           # preselected, still changeable
    choose.get_by_role("button", name="7", exact=True).click()
    expect(page.locator("#stage[data-direction=backward][data-stage=loss]")).to_have_count(1)
    expect(page.locator(".bloss-sure")).to_contain_text("already gives 7")
    expect(page.locator(".bloss-sure")).to_contain_text("p − y is almost zero")
    page.get_by_role("button", name="Learn from this digit").click()           # another label: walked again
    choose.get_by_role("button", name="3", exact=True).click()
    expect(page.locator("#back-label")).to_have_text("3")
    expect(page.locator(".bloss-sure")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"s={SAMPLE}&back=3&stage=loss"))


@pytest.fixture()
def phone(browser, live_server):
    ctx = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    for p in watched(page, live_server):
        page.set_viewport_size({"width": 360, "height": 640})
        yield page
    ctx.close()


MID = {"softmax": 3, "dense": 37, "flatten": 37, "pool2": 40, "sigmoid2": 157, "conv2": 134, "pool1": 40,
       "relu1": 300, "conv1": 250}


def test_every_backward_stage_fits_a_phone(phone, live_server):
    for name in BACKWARD:
        phone.goto(f"{live_server}/{LINK}&stage={name}&pos={MID.get(name, 0)}")
        phone.wait_for_selector(f"#stage[data-direction=backward][data-stage={name}] #view .js-plotly-plot")
        settled(phone)
        check_layout(phone, 360, f"backward {name}")
        small = phone.evaluate("""() => [...document.querySelectorAll('#backbar button, #backbar input, .controls button')]
            .filter((b) => { const r = b.getBoundingClientRect();
              return b.getClientRects().length && Math.min(r.width, r.height) < %d; })
            .map((b) => b.id || b.textContent)""" % (THUMB - 1))
        assert small == [], f"{name}: too small for a thumb: {small}"
        if name == "conv2" and SHOTS.is_dir():
            controls = phone.locator(".controls")
            controls.evaluate("(c) => { c.style.position = 'static'; }")
            phone.screenshot(path=SHOTS / "phone-backprop-conv.png", full_page=True)
            controls.evaluate("(c) => { c.style.position = ''; }")


def test_a_backward_conv_view_mid_walk(page, live_server):
    """The conv2 walk at 1280×800 (the screenshot), mid-animation: no box over another."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, live_server, f"{LINK}&stage=conv2&pos=134")
    page.wait_for_selector("#stage[data-stage=conv2] .conv-out.js-plotly-plot")
    settled(page)
    check_layout(page, 1280, "backward conv2")
    if SHOTS.is_dir():
        page.screenshot(path=SHOTS / "backprop-conv.png")
    page.get_by_role("button", name="Play (Space)").click()
    page.wait_for_timeout(350)
    check_layout(page, 1280, "backward conv2, playing")
