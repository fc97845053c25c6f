"""In a real browser: a focused slider keeps Home, End, PageUp and PageDown (the ARIA slider pattern) and the
stage stays; a focused button keeps Space; with nothing focused the same keys drive the stepper as before."""

import re

import pytest
from playwright.sync_api import expect

from .test_browser_support import api, open_page, shown_position, watched

CHECKPOINT = "Training checkpoint (epochs)"
SPEED = "Speed"
PAGE_FRACTION, PAGE_MIN_STEPS = 0.1, 2       # keys.js: a page is a tenth of the slider, at least two steps
START = "#stage=conv1&s=test-00000&pos=5"     # an animated stage, mid-way: Home and End would move it


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


@pytest.fixture(scope="module")
def checkpoints(live_server):
    return api(live_server, "/api/model")["checkpoints"]


def bounds(slider):
    """(min, max, page) of a slider with integer steps, as keys.js sizes its page."""
    lo, hi = (int(slider.get_attribute(a)) for a in ("min", "max"))
    return lo, hi, max(PAGE_MIN_STEPS, round((hi - lo) * PAGE_FRACTION))


def expect_kept(page, stage, position):
    """The stepper did not move: the same stage, the same position, not playing."""
    expect(page.locator("#stage")).to_have_attribute("data-stage", stage)
    assert shown_position(page) == position
    expect(page.get_by_role("button", name="Play (Space)")).to_be_visible()


def press(page, slider, key, value):
    page.keyboard.press(key)
    expect(slider).to_have_value(str(value))
    expect_kept(page, "conv1", 5)


def test_the_checkpoint_slider_keeps_home_end_and_page_keys(page, live_server, checkpoints):
    open_page(page, live_server, START)
    slider = page.get_by_role("slider", name=CHECKPOINT)
    lo, hi, step = bounds(slider)
    assert (lo, hi) == (0, len(checkpoints) - 1) and step < hi
    expect(slider).to_have_value(str(hi))
    slider.focus()
    press(page, slider, "Home", lo)
    expect(page.locator("#checkpoint-label")).to_contain_text("untrained")       # the weights follow the slider
    expect(page).to_have_url(re.compile(rf"[#&]w={re.escape(checkpoints[lo]['id'])}(&|$)"))
    press(page, slider, "PageUp", lo + step)
    expect(page).to_have_url(re.compile(rf"[#&]w={re.escape(checkpoints[lo + step]['id'])}(&|$)"))
    press(page, slider, "End", hi)
    expect(page.locator("#checkpoint-label")).to_contain_text("(final)")
    expect(page).not_to_have_url(re.compile(r"[#&]w="))
    press(page, slider, "PageDown", hi - step)
    expect(page).to_have_url(re.compile(rf"[#&]w={re.escape(checkpoints[hi - step]['id'])}(&|$)"))
    press(page, slider, "PageUp", hi)
    press(page, slider, "PageUp", hi)                                  # at its end: stays
    press(page, slider, "Space", hi)                                   # a slider's focus: no play either
    press(page, slider, "ArrowLeft", hi - 1)


def test_the_speed_slider_keeps_home_end_and_page_keys(page, live_server):
    open_page(page, live_server, START)
    slider = page.get_by_role("slider", name=SPEED)
    lo, hi, step = bounds(slider)
    slider.focus()
    press(page, slider, "Home", lo)
    expect(page.locator("#speed-label")).to_have_text("1/s")                     # the player's speed follows
    press(page, slider, "PageUp", lo + step)
    press(page, slider, "End", hi)
    expect(page.locator("#speed-label")).to_have_text("instant")
    press(page, slider, "PageDown", hi - step)
    expect(page.locator("#speed-label")).not_to_have_text("instant")
    press(page, slider, "PageDown", hi - 2 * step)


def test_the_stepper_keys_still_work_with_the_body_focused(page, live_server, checkpoints):
    open_page(page, live_server, START)
    page.get_by_role("slider", name=CHECKPOINT).focus()
    page.evaluate("() => document.activeElement.blur()")
    assert page.evaluate("() => document.activeElement === document.body")
    stage = page.locator("#stage")
    page.keyboard.press("End")
    count = int(re.search(r"of (\d+)", page.locator("#position").inner_text()).group(1))
    assert shown_position(page) == count - 1
    page.keyboard.press("Home")
    assert shown_position(page) == 0
    page.keyboard.press("PageDown")
    expect(stage).to_have_attribute("data-stage", "relu1")
    page.keyboard.press("PageUp")
    expect(stage).to_have_attribute("data-stage", "conv1")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Pause (Space)")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Play (Space)")).to_be_visible()
    expect(page.get_by_role("slider", name=CHECKPOINT)).to_have_value(str(len(checkpoints) - 1))    # untouched


def test_a_focused_button_keeps_space_and_enter_but_not_the_other_keys(page, live_server):
    open_page(page, live_server, START)
    stage = page.locator("#stage")
    page.get_by_role("button", name="Next", exact=True).focus()
    page.keyboard.press("Space")                                       # the button's own press, not play
    expect(stage).to_have_attribute("data-stage", "relu1")
    expect(page.get_by_role("button", name="Play (Space)")).to_be_visible()
    page.keyboard.press("Enter")
    expect(stage).to_have_attribute("data-stage", "pool1")
    page.keyboard.press("ArrowLeft")                                   # not a button's key: the stepper's
    expect(stage).to_have_attribute("data-stage", "relu1")
    page.keyboard.press("End")
    count = int(re.search(r"of (\d+)", page.locator("#position").inner_text()).group(1))
    assert shown_position(page) == count - 1
