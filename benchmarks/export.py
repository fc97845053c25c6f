"""Exports while serving: trace latency alone and while 4 GIFs are being made, then each format's size and time per
stage, through `cnnviz serve --workers 2` (the default).

Run: python3 benchmarks/export.py [--seconds 10] [--runs 3] [--clients 2] [--exporters 4] [--repeat 3]
     python3 benchmarks/export.py --screenshot    (only remakes docs/screenshots/export-conv1.png, a GIF's frame)
Two clients trace a drawn digit back to back (gzip accepted, as browsers do) for --seconds, first alone, then while
--exporters clients ask for conv2's GIF (the largest forward one) back to back, then the walk-through's HTML;
--runs times each, in turn.
Prints trace p50/p99 in both, the GIFs made meanwhile and their time, then per stage (forward, and backward towards
3) the median size and time of its PNG and its GIF over --repeat requests, and the walk-through's HTML if this
cnnviz has one. The clients run here, on the same cores as the server.
"""

import argparse
import http.client
import io
import importlib.util
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image

from benchmarks.server import canvas_png, serve
from benchmarks.training import quantile, tracing
from cnnviz.cnn.config import BACKWARD_NAMES as BACKWARD, STAGE_NAMES

DIGIT = canvas_png()
GIF, HTML = "format=gif&stage=conv2", "format=html"     # the largest forward GIF; the walk-through
SCREENSHOT = ROOT / "docs" / "screenshots" / "export-conv1.png"
SHOWN_FRAME = 0          # conv1's GIF opens on the window over the 7's stroke: what a printed slide shows


def export(base, query, body=DIGIT, keep=None):
    """POST /api/export?query -> (seconds to the last byte, bytes); keep(data) gets the file."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    t = time.perf_counter()
    conn.request("POST", f"/api/export?{query}", body, {"Content-Type": "image/png"})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    assert r.status == 200, (query, r.status, data[:200])
    if keep:
        keep(data)
    return time.perf_counter() - t, len(data)


def screenshot(base):
    """A frame of conv1's GIF as the server makes it, as a PNG for the README."""
    def save(data):
        img = Image.open(io.BytesIO(data))
        img.seek(SHOWN_FRAME)
        img.convert("RGB").save(SCREENSHOT, optimize=True)
    export(base, "format=gif&stage=conv1", keep=save)
    print(f"wrote {SCREENSHOT.relative_to(ROOT)}")


def exporting(base, n, stop, made, query):
    """n clients asking for an export back to back until stop is set; made gets each one's seconds."""
    def loop():
        while not stop.is_set():
            made.append(export(base, query)[0])
    threads = [threading.Thread(target=loop) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


def phase(base, seconds, clients, exporters, query=GIF):
    """Trace latencies (seconds) over a phase, with exporters making exports meanwhile; and the exports' times."""
    stop, made = threading.Event(), []
    makers = exporting(base, exporters, stop, made, query)
    time.sleep(0.5 if exporters else 0)                   # the GIFs under way before the traces are counted
    halt, tracers, latencies = tracing(base, clients)
    time.sleep(seconds)
    halt.set()
    stop.set()
    for t in tracers + makers:
        t.join()
    return [s for _, s in latencies], made


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10, help="each phase's length")
    p.add_argument("--runs", type=int, default=3, help="phases of each kind, alternating")
    p.add_argument("--clients", type=int, default=2, help="clients tracing back to back")
    p.add_argument("--exporters", type=int, default=4, help="clients making GIFs back to back")
    p.add_argument("--repeat", type=int, default=3, help="requests per stage and format for the sizes and times")
    p.add_argument("--screenshot", action="store_true", help=f"only write {SCREENSHOT.relative_to(ROOT)}")
    args = p.parse_args()
    server, base = serve()
    try:
        if args.screenshot:
            return screenshot(base)
        phase(base, 2, args.clients, 0)                   # warm the workers
        walkthrough = importlib.util.find_spec("cnnviz.walkthrough") is not None
        alone, during, gifs, during_html, htmls = [], [], [], [], []
        for _ in range(args.runs):
            alone += phase(base, args.seconds, args.clients, 0)[0]
            traced, made = phase(base, args.seconds, args.clients, args.exporters)
            during += traced
            gifs += made
            if walkthrough:
                traced, made = phase(base, args.seconds, args.clients, args.exporters, HTML)
                during_html += traced
                htmls += made
        sizes = {}
        for back, names in ((None, STAGE_NAMES), (3, BACKWARD)):
            for name in names:
                for fmt in ("png", "gif"):
                    query = f"format={fmt}&stage={name}" + (f"&back={back}" if back is not None else "")
                    runs = [export(base, query) for _ in range(args.repeat)]
                    sizes[back, name, fmt] = (statistics.median(t for t, _ in runs), runs[0][1])
        html = None
        if walkthrough:
            runs = [export(base, "format=html") for _ in range(args.repeat)]
            html = (statistics.median(t for t, _ in runs), runs[0][1])
    finally:
        server.terminate()
        server.wait()
    ms = lambda s: f"{1000 * s:.0f} ms"
    print(f"trace alone: p50 {ms(quantile(alone, 0.5))}, p99 {ms(quantile(alone, 0.99))} ({len(alone)} traces)")
    print(f"trace while {args.exporters} GIFs are made: p50 {ms(quantile(during, 0.5))}, p99 "
          f"{ms(quantile(during, 0.99))} ({len(during)} traces; {len(gifs)} conv2 GIFs made meanwhile, each "
          f"{ms(statistics.median(gifs))} median from request to last byte)")
    if htmls:
        print(f"trace while {args.exporters} walk-throughs are made: p50 {ms(quantile(during_html, 0.5))}, p99 "
              f"{ms(quantile(during_html, 0.99))} ({len(during_html)} traces; {len(htmls)} HTML files made "
              f"meanwhile, each {ms(statistics.median(htmls))} median)")
    print("\n| stage | PNG | GIF | backward PNG | backward GIF |\n|---|---|---|---|---|")
    cell = lambda key: (f"{sizes[key][1] / 1024:,.0f} KB, {ms(sizes[key][0])}" if key in sizes else "")
    for name in BACKWARD[:1] + STAGE_NAMES:
        print(f"| {name} | {cell((None, name, 'png'))} | {cell((None, name, 'gif'))} | {cell((3, name, 'png'))} | "
              f"{cell((3, name, 'gif'))} |")
    if html:
        print(f"\nthe walk-through (HTML): {html[1] / 1024:,.0f} KB, {ms(html[0])}")


if __name__ == "__main__":
    main()
