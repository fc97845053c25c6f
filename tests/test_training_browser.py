"""In a real browser: train from scratch as a teacher does. Step a few batches and see the filters and the
probabilities change, run to the end and see the curves, the held-out points, the test accuracy and the confusion
matrix; reset and step again gives the very same weights, and run to the end the same matrix; "Use these weights"
reads the digit with them, and the link keeps them."""

import re

import pytest
from playwright.sync_api import expect

from .test_browser_support import open_page, watched


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def plotted(page, plot_id):
    """The z or y values Plotly draws in a plot, as plain lists (what the student sees)."""
    return page.evaluate(f"""() => {{ const el = document.getElementById("{plot_id}");
        return el.data ? el.data.map((t) => Array.from(t.z ?? t.y).map((r) => (r?.length ? Array.from(r) : r)))
            : null; }}""")


def step_to(page, n):
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator("#scratch-status")).to_contain_text(re.compile(rf"step {n} of .* loss"), timeout=20_000)


def test_step_run_reset_and_use_the_weights(page, live_server):
    open_page(page, live_server)
    page.get_by_role("button", name="Train from scratch").click()
    dialog = page.get_by_role("dialog", name="Train from scratch")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Seed")).to_have_value("0")
    expect(dialog.get_by_label("Batch size")).to_have_value("64")
    dialog.get_by_label("Epochs").fill("1")

    step_to(page, 1)
    first = plotted(page, "scratch-conv1")
    probabilities = plotted(page, "scratch-probabilities")
    step_to(page, 2)
    step_to(page, 3)
    assert plotted(page, "scratch-conv1") != first, "the filters change with each step"
    assert plotted(page, "scratch-probabilities") != probabilities
    expect(page.get_by_role("button", name="Pause")).to_be_disabled()

    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#scratch-status")).to_contain_text("Done.", timeout=60_000)
    final = page.locator("#scratch-final")
    expect(final).to_contain_text("Test accuracy")
    accuracy = float(re.search(r"([\d.]+)%", final.text_content()).group(1))
    assert accuracy >= 90, "1 epoch at batch 64 reads at least 90% of the test digits"
    loss = plotted(page, "scratch-loss")[0]
    held_out = plotted(page, "scratch-accuracy")[1]
    assert len(loss) >= 4 and loss[-1] < loss[0], "the loss curve falls"
    assert len(held_out) == 4, "held-out accuracy 4 times per epoch"
    confusion = plotted(page, "scratch-confusion")[0]
    assert sum(map(sum, confusion)) == 10_000

    page.get_by_role("button", name="Reset").click()
    step_to(page, 1)
    assert plotted(page, "scratch-conv1") == first, "the same seed gives the same run, bit for bit"
    page.get_by_role("button", name="Resume").click()
    expect(page.locator("#scratch-status")).to_contain_text("Done.", timeout=60_000)
    assert plotted(page, "scratch-confusion")[0] == confusion, "and the same end"

    page.get_by_role("button", name="Use these weights").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#weights-note")).to_have_text("with the weights trained from scratch")
    assert re.search(r"w=run-[0-9a-f]+", page.url), "the link keeps the run's id"
    page.reload()
    page.wait_for_selector("body.ready")
    expect(page.locator("#weights-note")).to_have_text("with the weights trained from scratch")
    page.get_by_role("button", name="Train from scratch").click()
    expect(page.get_by_role("button", name="Reset")).to_be_disabled()        # nothing under way
