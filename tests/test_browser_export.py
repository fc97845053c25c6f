"""In a real browser, as a person does it: draw a digit, open Export (with the mouse and with the keyboard), choose
each kind, and get a file named after the digit and the stage that is a PNG, a GIF or an HTML file."""

import importlib.util
import re

import pytest
from playwright.sync_api import expect

from .test_browser_support import ONE, draw, open_page, shown_position, watched

WALKTHROUGH = importlib.util.find_spec("cnnviz.walkthrough") is not None   # the HTML, from the Python API


@pytest.fixture()
def page(page, live_server):
    yield from watched(page, live_server)


def chosen(page, item, tmp_path):
    """Choose a menu item (a locator); the download's suggested name and its bytes."""
    with page.expect_download() as done:
        item.click() if not isinstance(item, str) else page.keyboard.press(item)
    d = done.value
    path = tmp_path / d.suggested_filename
    d.save_as(path)
    return d.suggested_filename, path.read_bytes()


def test_export_the_stage_shown_and_the_walkthrough(page, live_server, tmp_path):
    open_page(page, live_server)
    draw(page, ONE)
    expect(page.locator("#prediction")).to_have_text("1")
    page.keyboard.press("ArrowRight")                                   # conv1
    for _ in range(3):
        page.keyboard.press(".")                                        # the window, three positions on
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")
    assert shown_position(page) == 3
    menu = page.get_by_role("menu")
    export = page.get_by_role("button", name="Export")
    export.click()
    expect(menu).to_be_visible()
    name, data = chosen(page, menu.get_by_role("menuitem", name=re.compile("picture")), tmp_path)
    assert name == "cnnviz-1-conv1-0-3.png" and data.startswith(b"\x89PNG")
    expect(menu).to_be_hidden()
    expect(page.locator("#status")).to_have_text(f"Saved {name}.")

    export.focus()                                                      # the keyboard: Enter opens, arrows move
    page.keyboard.press("Enter")
    expect(menu.get_by_role("menuitem").first).to_be_focused()
    page.keyboard.press("ArrowLeft")                                    # not the stepper's while the menu is open
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name=re.compile("animation"))).to_be_focused()
    name, data = chosen(page, "Enter", tmp_path)
    assert name == "cnnviz-1-conv1.gif" and data.startswith(b"GIF89a")
    expect(page.locator("#stage")).to_have_attribute("data-stage", "conv1")

    export.focus()
    page.keyboard.press("Space")
    expect(menu.get_by_role("menuitem").first).to_be_focused()
    page.keyboard.press("Escape")                                       # closes, the focus back on Export
    expect(menu).to_be_hidden()
    expect(export).to_be_focused()
    if WALKTHROUGH:
        export.click()
        name, data = chosen(page, menu.get_by_role("menuitem", name=re.compile("walk-through")), tmp_path)
        assert name == "cnnviz-1-walkthrough.html" and data.lstrip().lower().startswith(b"<!doctype html")


def test_export_the_backward_walk_on_a_phone(browser, live_server, tmp_path):
    """Upright on a phone, the menu fits the screen; a backward stage's picture is named after the label."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, has_touch=True, accept_downloads=True)
    page = context.new_page()
    try:
        open_page(page, live_server, "#s=test-00000&back=3&stage=pool2&pos=6")
        expect(page.locator("#stage[data-direction=backward][data-stage=pool2]")).to_have_count(1)
        page.get_by_role("button", name="Export").click()
        menu = page.get_by_role("menu")
        box = menu.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        name, data = chosen(page, menu.get_by_role("menuitem", name=re.compile("picture")), tmp_path)
        assert name == "cnnviz-7-towards-3-pool2-1-1.png" and data.startswith(b"\x89PNG")
    finally:
        context.close()
