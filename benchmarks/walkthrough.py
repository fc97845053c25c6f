"""The walk-through as one HTML file (cnnviz.walkthrough.html): its size, the time to write it, and the time a
browser takes to open it from a folder until every stage is drawn (headless Chromium, the network refused), for a
Trace of sample test-00000 and for its Backprop towards 3; and the notebook figure the README shows.

Run: python3 benchmarks/walkthrough.py [--runs 7] [--screenshot]
Prints medians of --runs; --screenshot only renders t.figure("conv1", position=(5, 10)) of that sample in Chromium
to docs/screenshots/notebook-figure.png.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import cnnviz  # noqa: E402  (before numpy: sets OpenBLAS to one thread)
import numpy as np  # noqa: E402
from cnnviz.app.info import load_samples  # noqa: E402
from cnnviz.walkthrough import html, plotly_js, script_json  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "notebook-figure.png"
LABEL = 3                  # sample test-00000 is a 7: the walk towards a wrong answer, as in the README


def opened(browser, path):
    """Seconds from opening the file to every stage's plot drawn, no request but the file let through."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda r: r.continue_() if r.request.url == path.as_uri() else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                           "document.querySelectorAll('section').length")
    seconds = time.perf_counter() - start
    page.close()
    return seconds


def measure(browser, walk, runs, folder):
    """(bytes, median seconds to write, median seconds to open) of walk's document."""
    writes, opens = [], []
    path = folder / "walk.html"
    for _ in range(runs):
        start = time.perf_counter()
        doc = html(walk)
        path.write_text(doc, encoding="utf-8")
        writes.append(time.perf_counter() - start)
        opens.append(opened(browser, path))
    return path.stat().st_size, statistics.median(writes), statistics.median(opens)


def screenshot(browser, t):
    """t.figure("conv1", position=(5, 10)) drawn by plotly.js as a notebook draws it -> docs/screenshots."""
    fig = t.figure("conv1", position=(5, 10))
    page = browser.new_page(viewport={"width": int(fig.layout.width) + 16, "height": int(fig.layout.height) + 16},
                            device_scale_factor=1)
    page.set_content(f"<body style='margin:8px'><div id=f></div><script>{plotly_js()}</script><script>const f = "
                     f"{script_json(fig.to_json())}; Plotly.newPlot('f', f.data, f.layout, {{displayModeBar: false}})"
                     ".then(() => window.drawn = true)</script></body>")
    page.wait_for_function("window.drawn")
    page.locator("#f").screenshot(path=SHOT)
    page.close()
    print(f"wrote {SHOT}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--screenshot", action="store_true", help="only render the README's notebook figure")
    args = ap.parse_args()
    sample = load_samples()[0]
    net = cnnviz.load()
    x = sample["image"].astype(np.float32) / 255
    walks = {"trace": net.trace(x), f"backprop towards {LABEL}": net.backprop(x, LABEL)}
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        if args.screenshot:
            screenshot(browser, walks["trace"])
        else:
            print(f"{sample['id']}, medians of {args.runs} runs")
            for name, walk in walks.items():
                size, write, open_ = measure(browser, walk, args.runs, Path(tmp))
                print(f"{name:<22} {size / 1e6:.2f} MB  written in {write:.2f} s  opened and drawn in {open_:.2f} s")
        browser.close()


if __name__ == "__main__":
    main()
