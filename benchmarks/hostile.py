"""A careless network against the default `cnnviz serve`: 150 half-sent requests and 50 idle connections held
open, while a well-behaved client asks 40 times (/api/model and /api/trace in turn, a fresh connection each).

Run: python3 benchmarks/hostile.py [--half-sent 150] [--idle 50] [--requests 40]
Prints how many answers came within 1 s, and their median and slowest times.
"""

import argparse
import json
import socket
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import rss_mb, serve   # noqa: E402
from cnnviz.cnn import config as C   # noqa: E402



def pixels(i):
    """A stroke as JSON pixels, a little different each time, so that no trace comes from the server's cache."""
    row = [0.0] * 14 + [1.0, 0.5 + i / 1000] + [0.0] * 12
    return json.dumps({"pixels": [row] * C.IMAGE_SIZE}).encode()
TARGET_S = 1.0


def ask(base, i):
    """One request, /api/model or /api/trace in turn; seconds it took (inf if it failed)."""
    start = time.perf_counter()
    try:
        if i % 2:
            req = urllib.request.Request(base + "/api/trace", pixels(i), {"Content-Type": "application/json"})
            urllib.request.urlopen(req, timeout=5).read()
        else:
            urllib.request.urlopen(base + "/api/model", timeout=5).read()
    except OSError:
        return float("inf")
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half-sent", type=int, default=150)
    ap.add_argument("--idle", type=int, default=50)
    ap.add_argument("--requests", type=int, default=40)
    args = ap.parse_args()
    server, base = serve()
    port = int(base.rsplit(":", 1)[1])
    held = []
    try:
        ask(base, 0), ask(base, 1)                                     # warm both kinds once
        mem_before = rss_mb(server.pid)
        for i in range(args.half_sent + args.idle):
            s = socket.create_connection(("127.0.0.1", port))
            if i < args.half_sent:
                s.sendall(b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Ty")
            held.append(s)
        times = [ask(base, i) for i in range(args.requests)]
        mem_held = rss_mb(server.pid)
    finally:
        for s in held:
            s.close()
        server.terminate()
        server.wait()
    within = sum(t <= TARGET_S for t in times)
    print(f"cnnviz serve (defaults); {args.half_sent} half-sent + {args.idle} idle connections held open")
    print(f"answered within 1 s   {within} of {len(times)}   target {len(times)} of {len(times)}")
    print(f"answer time           median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms")
    print(f"server memory MB      {mem_before:.1f} before, {mem_held:.1f} with the connections held")


if __name__ == "__main__":
    main()
