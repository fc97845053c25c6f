#!/usr/bin/env python3
"""Measure the page in headless Chromium against the real server on a free port, and save screenshots.

Prints: pen-up -> prediction shown, first load -> interactive, frames per second while a convolution plays at
full speed, and the JS + CSS besides plotly.js that a first visit fetches (the rest loads when first used) beside
all of it on disk. Targets: <= 100 ms, <= 1.5 s, >= 50 fps, <= 150 KB fetched.
Usage: python3 benchmarks/page.py [--runs N] [--no-screenshots | --screenshots-only]
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.server import serve  # noqa: E402  (after the path is set)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1280, "height": 720}        # a projector
TABLET = {"width": 1024, "height": 768}
SHOTS = ROOT / "docs" / "screenshots"
ONE = [(0.5, 0.15 + 0.05 * i) for i in range(15)]
SEVEN = [(0.25, 0.2), (0.45, 0.2), (0.7, 0.2), (0.62, 0.4), (0.55, 0.6), (0.48, 0.82)]
SAMPLE = "s=test-00000"       # a 7 the model is sure of
UNSURE = "s=test-00078"       # a 9 it gives 70%: the softmax arithmetic has more than one number to show
SCREENS = [   # (file name, hash, extra keys): one per kind of view at 1280x720; relu and sigmoid mid-animation
    ("conv", "stage=conv1&pos=250", []), ("relu", "stage=relu1&pos=830", []), ("pool", "stage=pool1&pos=40", []),
    ("conv2", "stage=conv2&pos=134", []), ("sigmoid", "stage=sigmoid2&pos=157", []),
    ("flatten", "stage=pool2&pos=99", ["ArrowRight"] + ["."] * 37),
    ("dense", "stage=dense&pos=7", []), ("softmax", f"{UNSURE}&stage=softmax&pos=4", []),
    ("presenter", "stage=conv2&pos=57", ["f"]), ("dark", "stage=pool2&pos=60", ["theme"]),
]
CHECKPOINT = 1                # the training time-line's second checkpoint: the filters still forming


def ready(page, url):
    page.goto(url)
    page.wait_for_selector("body.ready")


def stroke(page, points):
    box = page.locator("#pad").bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"]) for fx, fy in points]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=5)
    page.evaluate("""() => { window.__up = new Promise(r => document.addEventListener('pointerup',
        () => r(performance.now()), {once: true, capture: true})); }""")
    page.mouse.up()
    return page.evaluate("""async () => { const up = await window.__up;
        for (;;) { const m = performance.getEntriesByName('cnnviz-prediction').find(e => e.startTime > up);
                   if (m) return m.startTime - up; await new Promise(r => setTimeout(r, 5)); } }""")


def pen_up(browser, base, runs):
    page = browser.new_page(viewport=VIEWPORT)
    ready(page, base + "/")
    times = []
    for i in range(runs):
        page.get_by_role("button", name="Clear").click()
        times.append(stroke(page, ONE if i % 2 else SEVEN))
    page.close()
    return statistics.median(times)


MARK = """async (name) => { for (;;) { const m = performance.getEntriesByName(name)[0];
    if (m) return m.startTime; await new Promise(r => setTimeout(r, 5)); } }"""


def first_load(browser, base, runs):
    """Navigation start -> the pad accepts drawing, and -> the first plots are drawn (plotly.js loads async).

    Returns medians in ms: (interactive, plots drawn) on a first visit (empty cache), and plots on a second."""
    interactive, plots, warm = [], [], []
    for _ in range(runs):
        ctx = browser.new_context(viewport=VIEWPORT)           # a fresh cache each time: a first visit
        page = ctx.new_page()
        page.goto(base + "/")
        interactive.append(page.evaluate(MARK, "cnnviz-interactive"))
        plots.append(page.evaluate(MARK, "cnnviz-plots"))
        page.goto("about:blank")
        page.goto(base + "/")                                  # a second visit: plotly.js cached
        warm.append(page.evaluate(MARK, "cnnviz-plots"))
        ctx.close()
    return statistics.median(interactive), statistics.median(plots), statistics.median(warm)


def conv_fps(browser, base, seconds=2.0):
    page = browser.new_page(viewport=VIEWPORT)
    ready(page, base + "/#s=test-00000&stage=conv1")
    page.evaluate("""() => { const s = document.getElementById('speed');     // the fastest speed short of instant
        s.value = String(Number(s.max) - 1); s.dispatchEvent(new Event('input')); }""")
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    frames, moved = page.evaluate("""async (ms) => {
        const pos = () => parseInt(document.getElementById('position').textContent.match(/\\d+/)[0]);
        const p0 = pos(); let n = 0; const t0 = performance.now();
        await new Promise(r => {
          const f = (t) => { n++; if (t - t0 < ms) requestAnimationFrame(f); else r(); };
          requestAnimationFrame(f); });
        return [n / ((performance.now() - t0) / 1000), pos() - p0]; }""", seconds * 1000)
    page.close()
    return frames, moved


def first_load_bytes(browser, base):
    """Bytes on the wire (headers included, as received) for a first visit, until the first plots are drawn."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    ready(page, base + "/")
    page.wait_for_timeout(1000)                               # anything still arriving
    ctx.close()
    return sum(sizes.values()), len(sizes)


def first_visit_assets(browser, base):
    """JS + CSS a first visit fetches besides plotly.js, uncompressed, as Chromium received them: (bytes, files)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    got = []
    page.on("response", lambda r: r.url.split("?")[0].endswith((".js", ".css")) and "/vendor/" not in r.url
            and got.append(r))
    ready(page, base + "/")
    page.wait_for_timeout(1000)                               # anything still arriving
    sizes = [len(r.body()) for r in got]
    ctx.close()
    return sum(sizes), len(sizes)


def weight():
    """Every JS + CSS file under static/ besides the vendored plotly.js, on disk."""
    return sum(p.stat().st_size for p in (ROOT / "static").rglob("*")
               if p.suffix in (".js", ".css") and "vendor" not in p.parts)


def screenshots(browser, base):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=VIEWPORT)
    ready(page, base + "/#stage=input")
    stroke(page, SEVEN)                                      # the input view, with the preprocessing steps
    page.wait_for_timeout(400)
    page.screenshot(path=SHOTS / "input.png")
    for name, hash_, keys in SCREENS:
        page.goto("about:blank")
        ready(page, f"{base}/#{hash_ if hash_.startswith('s=') else f'{SAMPLE}&{hash_}'}")
        for k in keys:
            if k == "theme":
                page.get_by_role("button", name="Switch light or dark theme").click()
            else:
                page.keyboard.press(k)
        page.wait_for_timeout(500)
        page.screenshot(path=SHOTS / f"{name}.png")
    page.goto("about:blank")                                 # an early checkpoint, its filters beside the final ones
    ready(page, f"{base}/#{SAMPLE}&stage=softmax")
    page.get_by_role("slider", name="Training checkpoint (epochs)").fill(str(CHECKPOINT))
    page.locator("#filters summary").click()
    page.get_by_role("button", name="Colour scale each its own").click()
    page.wait_for_timeout(800)
    page.screenshot(path=SHOTS / "checkpoints.png")
    page.close()
    tablet = browser.new_page(viewport=TABLET, has_touch=True)   # a tablet in landscape, pad beside the network
    ready(tablet, f"{base}/#{SAMPLE}&stage=pool1&pos=40")
    tablet.wait_for_timeout(500)
    tablet.screenshot(path=SHOTS / "tablet.png")
    tablet.close()
    return sorted(p.name for p in SHOTS.glob("*.png"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-screenshots", action="store_true")
    ap.add_argument("--screenshots-only", action="store_true", help="refresh docs/screenshots, measure nothing")
    args = ap.parse_args()
    server, base = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            if args.screenshots_only:
                print("screenshots:", ", ".join(screenshots(browser, base)), "in", SHOTS.relative_to(ROOT))
                return
            up = pen_up(browser, base, args.runs)
            load = first_load(browser, base, args.runs)
            fps, moved = conv_fps(browser, base)
            fetched, files = first_visit_assets(browser, base)
            print(f"pen-up -> prediction shown  {up:7.1f} ms   (median of {args.runs}; target <= 100 ms)")
            print(f"first load -> interactive   {load[0]:7.1f} ms   "
                  f"(pad draws and predicts; median of {args.runs}, empty cache; target <= 1500 ms)")
            print(f"first load -> plots drawn   {load[1]:7.1f} ms   (plotly.js parsed, first stage drawn)")
            print(f"  a second visit            {load[2]:7.1f} ms   (plots drawn, plotly.js from the browser cache)")
            print(f"conv1 playing at full speed {fps:7.1f} fps  ({moved} positions in 2 s; target >= 50 fps)")
            print(f"JS + CSS a first visit gets {fetched / 1024:7.1f} KB   "
                  f"({files} files besides plotly.js, uncompressed; target <= 150 KB)")
            print(f"JS + CSS on disk            {weight() / 1024:7.1f} KB   (all of it: the rest loads when first used)")
            print("first load on the wire      {:7,d} bytes in {} responses".format(*first_load_bytes(browser, base)))
            if not args.no_screenshots:
                print("screenshots:", ", ".join(screenshots(browser, base)), "in", SHOTS.relative_to(ROOT))
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
