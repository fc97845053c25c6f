"""Large uploads at once: 16 concurrent 4096x4096 images against `cnnviz serve`, time per answer and memory.

Run: python3 benchmarks/uploads.py [--uploads 16] [--workers 2] [--rounds 3]
For each image (a 4096x4096 PNG of a few KB, refused from its header; the same as a JPEG, decoded at a quarter
of its size; the largest PNG the budget accepts), --uploads threads each post it at the same moment on a fresh
connection, --rounds times. Prints the statuses, the seconds to each full answer (min, median, max), and the
resident memory of the server's process tree (gunicorn and its workers, from /proc) before, at its peak
(sampled every 10 ms) and after.
"""

import argparse
import io
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.server import rss_mb, serve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SIDE = 4096
SAMPLE_SECONDS = 0.01


def drawn(size, mode, fmt):
    """A 7 drawn across an image of size, dark on white (or on transparent for RGBA), encoded as fmt."""
    w, h = size
    img = Image.new(mode, size, (0, 0, 0, 0) if mode == "RGBA" else "white")
    ImageDraw.Draw(img).line([(w // 4, h // 5), (3 * w // 4, h // 5), (2 * w // 5, 4 * h // 5)],
                             fill="black", width=max(3, w // 16))
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def post(port, body, content_type):
    """(status, seconds) of one POST /api/trace on a fresh connection, to the end of the answer."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall((f"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), time.perf_counter() - start


def at_once(port, body, content_type, n):
    """n posts started together; their (status, seconds)."""
    results, gate = [None] * n, threading.Barrier(n)

    def one(i):
        gate.wait()
        results[i] = post(port, body, content_type)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def sampled_peak(pid, work):
    """Run work() while sampling the RSS of pid's tree; (work's result, peak MB)."""
    peak, done = [rss_mb(pid)], threading.Event()

    def sample():
        while not done.is_set():
            peak.append(rss_mb(pid))
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        return work(), max(peak)
    finally:
        done.set()
        sampler.join()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    images = [(f"{SIDE}x{SIDE} PNG", drawn((SIDE, SIDE), "RGBA", "PNG"), "image/png"),
              (f"{SIDE}x{SIDE} JPEG", drawn((SIDE, SIDE), "RGB", "JPEG"), "image/jpeg"),
              ("2560x1600 PNG (the largest accepted)", drawn((2560, 1600), "RGBA", "PNG"), "image/png")]
    server, base = serve(args.workers)
    port = int(base.rsplit(":", 1)[1])
    try:
        print(f"cnnviz serve --workers {args.workers}; {args.uploads} uploads at once, {args.rounds} rounds each")
        for name, body, content_type in images:
            before = rss_mb(server.pid)
            results, peak = sampled_peak(server.pid, lambda: [r for _ in range(args.rounds) for r in
                                                              at_once(port, body, content_type, args.uploads)])
            time.sleep(1)
            after = rss_mb(server.pid)
            seconds = [s for _, s in results]
            statuses = sorted({s for s, _ in results})
            print(f"{name} ({len(body):,} bytes): status {statuses}; answer s min {min(seconds):.3f} median "
                  f"{statistics.median(seconds):.3f} max {max(seconds):.3f}; server MB {before:.0f} before, "
                  f"{peak:.0f} peak, {after:.0f} after", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
