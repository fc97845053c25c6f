#!/usr/bin/env python3
"""Bytes on the wire for one drawn digit, in headless Chromium against `cnnviz serve`; and what gzip costs.

Draws a 7 in 1.5 s of pen movement, lifts the pen, waits for the whole trace, and counts every /api/ response
from pen-down on (CDP Network.loadingFinished encodedDataLength: headers and body as received). Target: <= 150 KB.
--levels: the CPU and size of gzipping one drawing's trace at several levels and with Z_RLE (app/gzipstream.py).
Usage: python3 benchmarks/wire.py [--levels 1 6 9] [--repeat 50]
"""

import argparse
import io
import math
import os
import sys
import time
import zlib
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from cnnviz.app import create_app  # noqa: E402  (after the path is set)
from cnnviz.app.gzipstream import GZIP_LEVEL, GZIP_MEMLEVEL, GZIP_WBITS  # noqa: E402
from benchmarks.server import serve  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1280, "height": 720}
SEVEN = [(0.25, 0.2), (0.7, 0.2), (0.45, 0.85)]      # pad fractions: the bar, then the stem
PEN_SECONDS = 1.5                                    # how long the pen moves
MOVE_MS = 16                                         # one pointer move per frame at 60 Hz
TARGET = 150_000                                     # bytes for one drawn digit


def path_points(n):
    """n points evenly along the SEVEN polyline, in pad fractions."""
    legs = list(zip(SEVEN, SEVEN[1:]))
    lengths = [math.dist(a, b) for a, b in legs]
    points = []
    for i in range(n):
        d = sum(lengths) * i / (n - 1)
        for (a, b), length in zip(legs, lengths):
            if d <= length:
                break
            d -= length
        t = min(1.0, d / length)
        points.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return points


def drawn_digit(browser, base):
    """Draw the 7 on a loaded page; returns (list of (url, bytes) for /api/ responses, prediction shown)."""
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(base + "/")
    page.wait_for_selector("body.ready")
    page.wait_for_load_state("networkidle")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls, sizes = {}, []
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: "/api/" in urls.get(e["requestId"], "")
           and sizes.append((urls[e["requestId"]].split("/api/")[1], e["encodedDataLength"])))
    box = page.locator("#pad").bounding_box()
    xy = [(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
          for fx, fy in path_points(int(PEN_SECONDS * 1000 / MOVE_MS))]
    page.mouse.move(*xy[0])
    page.mouse.down()
    start = time.monotonic()
    for i, (x, y) in enumerate(xy[1:], 1):
        page.mouse.move(x, y)
        time.sleep(max(0.0, start + i * MOVE_MS / 1000 - time.monotonic()))
    page.mouse.up()
    page.wait_for_selector("#sees figure:nth-child(5)")      # the whole trace has arrived
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)                              # any last loadingFinished event
    shown = page.locator("#prediction").text_content()
    page.close()
    return sizes, shown


def levels(chosen, repeat):
    """Print ms of CPU and bytes for gzipping one drawing's trace line by line (Z_SYNC_FLUSH) at each level with
    full matching, and with run-length matching only (Z_RLE, what the server uses)."""
    from benchmarks.server import canvas_png
    body = create_app().test_client().post("/api/trace", data=canvas_png(), content_type="image/png").get_data()
    lines = io.BytesIO(body).readlines()
    print(f"one drawing's trace: {len(body):,} bytes plain in {len(lines)} lines")
    runs = [(f"level {level}", level, zlib.Z_DEFAULT_STRATEGY) for level in chosen]
    for name, level, strategy in runs + [(f"Z_RLE (level {GZIP_LEVEL})", GZIP_LEVEL, zlib.Z_RLE)]:
        start = time.process_time()
        for _ in range(repeat):
            z = zlib.compressobj(level, zlib.DEFLATED, GZIP_WBITS, GZIP_MEMLEVEL, strategy)
            size = sum(len(z.compress(line) + z.flush(zlib.Z_SYNC_FLUSH)) for line in lines) + len(z.flush())
        ms = (time.process_time() - start) / repeat * 1000
        print(f"gzip {name:16s} {size:8,d} bytes ({size / len(body):.0%}), {ms:5.2f} ms CPU per trace")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--levels", type=int, nargs="*",
                    help="only measure gzip: at these levels (e.g. 1 6 9) and with Z_RLE")
    ap.add_argument("--repeat", type=int, default=50, help="traces compressed per level")
    args = ap.parse_args()
    if args.levels:
        return levels(args.levels, args.repeat)
    server, base = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            sizes, shown = drawn_digit(browser, base)
            browser.close()
    finally:
        server.terminate()
        server.wait()
    total = sum(n for _, n in sizes)
    for kind in sorted({k for k, _ in sizes}):
        got = [n for k, n in sizes if k == kind]
        print(f"/api/{kind:8s} {len(got):3d} responses, {sum(got):9,d} bytes ({max(got):,} the largest)")
    print(f"one digit drawn in {PEN_SECONDS} s: {len(sizes)} responses, {total:,} bytes on the wire; "
          f"target <= {TARGET:,}; the page read it as {shown}")


if __name__ == "__main__":
    main()
