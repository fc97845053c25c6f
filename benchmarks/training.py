"""Training while serving: the default `cnnviz serve` (2 workers), a live training epoch (60,000 images, batch 64)
started through the API as the page starts it, while two clients trace a drawn digit back to back.

Run: python3 benchmarks/training.py [--runs 5] [--clients 2]
Prints, over the runs: trace latency p50/p99 while training (and without training, for comparison), the time from
the POST to the first progress event (the untrained weights, sent by the web worker) and to the first event from
the runner (its first batches), the longest gap between progress events, the epoch's wall time, and the test
accuracy after the epoch. Targets: trace p99 <= 300 ms, first progress event <= 1 s, accuracy >= 90%.
The clients run here too, on the same cores.
"""

import argparse
import http.client
import itertools
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import canvas_png, serve
from tests.eventstream import EventStream

RECIPE = {"epochs": 1, "batch_size": 64, "learning_rate": 0.02, "seed": 0}
BASELINE_SECONDS = 5
BODIES = [canvas_png(variant) for variant in range(256)]   # different files (one image): no worker's trace cache


def tracer(base, stop, latencies):
    """Trace canvas PNGs back to back (gzip accepted, as browsers do) until stop is set; (start, seconds) each."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        t = time.perf_counter()
        conn.request("POST", "/api/trace", BODIES[n % len(BODIES)],
                     {"Content-Type": "image/png", "Accept-Encoding": "gzip"})
        r = conn.getresponse()
        r.read()
        assert r.status == 200, r.status
        latencies.append((t, time.perf_counter() - t))
    conn.close()


def tracing(base, clients):
    """Start the clients: (stop event, threads, latencies)."""
    stop, latencies = threading.Event(), []
    threads = [threading.Thread(target=tracer, args=(base, stop, latencies)) for _ in range(clients)]
    for t in threads:
        t.start()
    return stop, threads, latencies


def post(base, path, body):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = conn.getresponse()
    data = json.loads(r.read())
    conn.close()
    return r.status, data


def one_epoch(base, clients):
    """One live epoch with the clients tracing: its figures."""
    stop, threads, latencies = tracing(base, clients)
    time.sleep(0.5)                                      # the clients under way before the click
    t0 = time.perf_counter()
    status, run = post(base, "/api/training", RECIPE)
    assert status == 201, run
    events = EventStream(f"{base}/api/training/{run['id']}/events", timeout=60)
    first = first_step = None
    arrivals, live_from = [], None
    while True:
        _, _, data = events.next(skip=("history",))
        now = time.perf_counter()
        first = first or now - t0
        if data.get("step", 0) > 0 and first_step is None:
            first_step, live_from = now - t0, now
        if live_from is not None:
            arrivals.append(now)
        if data.get("done"):
            break
    end = time.perf_counter()
    events.close()
    stop.set()
    for t in threads:
        t.join()
    during = [s for start, s in latencies if live_from <= start and start + s <= end]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    return {"first_event": first, "first_step_event": first_step, "epoch_seconds": end - live_from,
            "max_gap": max(gaps), "accuracy": data["test_accuracy"], "steps": data["step"], "traces": during}


def quantile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="live epochs, one after the other")
    p.add_argument("--clients", type=int, default=2, help="clients tracing back to back")
    args = p.parse_args()
    server, base = serve()
    try:
        stop, threads, latencies = tracing(base, args.clients)
        time.sleep(BASELINE_SECONDS)
        stop.set()
        for t in threads:
            t.join()
        idle = [s for _, s in latencies[10:]]
        runs = [one_epoch(base, args.clients) for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait()
    traces = [s for r in runs for s in r["traces"]]
    ms = lambda s: f"{1000 * s:.0f} ms"
    print(f"trace without training: p50 {ms(quantile(idle, 0.5))}, p99 {ms(quantile(idle, 0.99))} ({len(idle)} traces)")
    print(f"trace during a live epoch: p50 {ms(quantile(traces, 0.5))}, p99 {ms(quantile(traces, 0.99))} "
          f"({len(traces)} traces, {args.clients} clients, {args.runs} epochs; target p99 <= 300 ms)")
    for key, what in (("first_event", "POST -> first progress event (target <= 1 s)"),
                      ("first_step_event", "POST -> first event from the runner (its first batches)"),
                      ("max_gap", "longest gap between progress events"), ("epoch_seconds", "epoch, wall time")):
        values = [r[key] for r in runs]
        print(f"{what}: median {ms(statistics.median(values))} (max {ms(max(values))})")
    acc = [r["accuracy"] for r in runs]
    print(f"test accuracy after 1 epoch (batch 64, seed 0): {acc[0]:.2%} (every run: {sorted(set(acc))}; "
          "target >= 90%)")


if __name__ == "__main__":
    main()
