"""The walk-through as one HTML file opens from a folder in Chromium with the network off: no request but the file
itself, no console error, one plot per stage drawn, at most 5 MB; a heading over each walk, every figure within a
1024 px window with no word cut."""

import pytest

import cnnviz
from cnnviz import figures
from cnnviz.cnn import config as C

from .test_api import canvas_png
from .test_figures import OUTSIDE

MAX_BYTES = 5_000_000


@pytest.fixture(scope="module")
def net():
    return cnnviz.load()


def opened_offline(context, path):
    """Open the file with every other request refused -> (page, the refused URLs, the console's errors)."""
    refused, errors = [], []
    url = path.as_uri()

    def route(r):
        if r.request.url == url:
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()
    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                           "document.querySelectorAll('section').length")
    return page, refused, errors


@pytest.mark.parametrize("backward", [False, True], ids=["trace", "backprop"])
def test_the_walkthrough_opens_offline_with_one_plot_per_stage(context, tmp_path, net, backward):
    walk = net.backprop(canvas_png(), 3) if backward else net.trace(canvas_png())
    path = walk.write_html(tmp_path / "walk.html")
    assert path.stat().st_size <= MAX_BYTES
    page, refused, errors = opened_offline(context, path)
    assert refused == [] and errors == []
    stages = list(C.STAGE_NAMES) + (list(figures.BACKWARD_NAMES) if backward else [])
    assert page.eval_on_selector_all("section", "s => s.map(e => e.dataset.stage)") == stages
    drawn = page.eval_on_selector_all("section", "s => s.map(e => e.querySelectorAll('.js-plotly-plot').length)")
    assert drawn == [1] * len(stages)
    assert page.eval_on_selector_all("section .caption", "c => c.every(e => e.textContent.length > 20)")
    assert page.evaluate("Plotly.version") == "4.1.1"
    walks = ["Forward: reading the digit"] + (["Backward: learning towards 3"] if backward else [])
    assert page.eval_on_selector_all(".walk h2", "h => h.map(e => e.textContent)") == walks
    assert page.title() == "cnnviz walk-through: a 1" + (", towards 3" if backward else "")
    numbers = page.eval_on_selector_all("section h3", "h => h.map(e => parseInt(e.textContent))")
    assert numbers == [*range(1, len(C.STAGE_NAMES) + 1)] + ([*range(1, len(figures.BACKWARD_NAMES) + 1)] if backward
                                                             else [])        # each walk numbered under its heading
    page.set_viewport_size({"width": 1024, "height": 768})                  # a laptop's, or a projector's
    assert page.evaluate(OUTSIDE) == []
    assert page.eval_on_selector_all(".plot", "p => p.every(e => e.scrollWidth <= e.clientWidth)")

