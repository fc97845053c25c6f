"""In a real browser, for a screen reader and a keyboard: the live region speaks a step or a pause but not a
playing animation, every control has a name, and Tab moves in the order the page reads."""

import re

import pytest
from playwright.sync_api import expect

from .test_browser_support import api, open_page, watched

ROW = 8   # pixels: controls whose middles differ by less are on one row


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def words(text):
    return " ".join(text.split())


@pytest.mark.parametrize("stage, line, first", [("relu1", ".act-line", "Channel 1, row 0, column 1: "),
                                                ("sigmoid2", ".act-line", "Channel 1, row 0, column 1: "),
                                                ("conv1", None, "Filter 1, row 0, column 1: sum of 25 products "),
                                                ("softmax", None, "Digit 1: logit ")])
def test_the_live_region_speaks_a_step_and_a_pause_not_play(page, live_server, stage, line, first):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    open_page(page, live_server, f"#s={sid}&stage={stage}")
    say = page.locator("#say")
    expect(say).to_have_attribute("aria-live", "polite")
    expect(say).to_have_attribute("role", "status")
    page.keyboard.press(".")
    expect(say).to_contain_text(first)
    if line:                                                       # it says what the page shows
        assert words(say.text_content()) == words(page.locator(line).inner_text())
    page.evaluate("""() => { const say = document.getElementById('say'); window.said = [];
        new MutationObserver(() => window.said.push(say.textContent))
            .observe(say, { childList: true, characterData: true, subtree: true }); }""")
    position = page.locator("#position").inner_text()
    page.keyboard.press("Space")                                   # play: many positions, nothing said
    expect(page.locator("#position")).not_to_have_text(position)
    page.wait_for_timeout(300)
    if page.get_by_role("button", name="Pause (Space)").count():
        assert page.evaluate("window.said") == []
        page.keyboard.press("Space")                               # pause: the current position is said
    expect(page.get_by_role("button", name="Play (Space)")).to_be_visible()
    expect(say).not_to_have_text(re.compile(re.escape(first)))
    assert len(page.evaluate("window.said")) >= 1
    if line:
        assert words(say.text_content()) == words(page.locator(line).inner_text())


def region(page):
    """Where the focused element is, in reading order: 0 the skip link, 1 header, 2 the pad's side, 3 the network."""
    return page.evaluate("""() => { const e = document.activeElement;
        return ['header.top', 'aside.side', 'section.stepper'].findIndex((s) => e.closest(s)) + 1; }""")


@pytest.mark.parametrize("stage", ["conv1", "relu1", "softmax"])
def test_every_control_has_a_name_and_tab_follows_the_visual_order(page, live_server, stage):
    sid = api(live_server, "/api/samples")["samples"][0]["id"]
    open_page(page, live_server, f"#s={sid}&stage={stage}")
    for control in page.locator("button:visible, input:visible, select:visible, [role=button]:visible").all():
        expect(control).to_have_accessible_name(re.compile(r"\w"))
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        focused = page.locator(":focus")
        expect(focused).to_have_accessible_name(re.compile(r"\w"))
        box = focused.bounding_box()
        name = focused.evaluate("(e) => e.id || e.textContent")
        seen.append((region(page), box["y"] + box["height"] / 2, box["x"], name))
    assert {"clear", "play", "speed"} <= {name for *_, name in seen}     # the pad's, the player's controls
    for (r0, y0, x0, a), (r1, y1, x1, b) in zip(seen, seen[1:]):
        assert r1 >= r0, (a, b)                                    # header, then the pad, then the network
        if r1 == r0:
            assert y1 > y0 + ROW or (abs(y1 - y0) <= ROW and x1 > x0), (a, b)   # down a row, or on along it
