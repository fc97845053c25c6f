"""A class on the teacher's 2-core laptop: the default `cnnviz serve`, 60 students following the teacher over
server-sent events while other students keep tracing digits of their own.

Run: python3 benchmarks/classroom.py [--followers 60] [--explorers 10] [--seconds 600] [--every 0.5]
The teacher changes the state every `every` seconds (a step; every 10th change a new drawn digit, which every
follower then traces, as their pages do); each explorer draws digits of their own without a pause: 10
predictions 100 ms apart while the pen moves, then the trace, each drawing a new one. Prints teacher -> follower
latency (every follower, every change), trace latency, whether every follower got every change, refused
connections, the bytes a follower receives per drawing, and the server's memory over time. The clients run here
too, on the same cores, in one gevent process.
"""

from gevent import monkey

monkey.patch_all()

import argparse          # noqa: E402
import json              # noqa: E402
import statistics        # noqa: E402
import sys               # noqa: E402
import time              # noqa: E402
import urllib.request    # noqa: E402
from pathlib import Path  # noqa: E402

import gevent            # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.server import canvas_png, rss_mb, serve   # noqa: E402
from tests.eventstream import EventStream                  # noqa: E402

PNG = canvas_png()
STROKES = "z." + "Ab3_" * 225           # a drawn digit's packed strokes are about 900 characters
DIGIT_EVERY = 10                        # every 10th change of the teacher's is a new digit
PREDICTS = 10                           # predictions while an explorer's pen moves, before the trace on pen-up


def call(method, url, body=None, token=None, accept_gzip=False, content_type="application/json"):
    """(status, body bytes)."""
    headers = {"Content-Type": content_type} | ({"Authorization": f"Bearer {token}"} if token else {})
    if accept_gzip:
        headers["Accept-Encoding"] = "gzip"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as r:
        return r.status, r.read()


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else float("nan")


class Follower:
    """One student's page following the class: records when each change arrived; traces each new digit."""

    def __init__(self, base, code, sent, traces):
        self.base, self.code, self.sent, self.traces = base, code, sent, traces
        self.got, self.bytes_per_digit, self.error = {}, [], None

    def run(self):
        try:
            stream = EventStream(f"{self.base}/api/classes/{self.code}/events", timeout=60)
            while True:
                event, _, state = stream.next()
                if event == "end":
                    return
                self.got[state["pos"]] = time.perf_counter()
                if state["source"] and state["pos"] in self.sent:
                    size = len(json.dumps(state)) + 20
                    start = time.perf_counter()
                    _, body = call("POST", f"{self.base}/api/trace", PNG, accept_gzip=True, content_type="image/png")
                    self.traces.append(time.perf_counter() - start)
                    self.bytes_per_digit.append(size + len(body))
        except Exception as e:        # a refused or dropped connection: counted, not hidden
            self.error = repr(e)


def explorer(base, n, traces, stop):
    """A student drawing digits of their own, again and again, as the page asks: a prediction every 100 ms while
    the pen moves (PREDICTS of them), then the trace on pen-up; every drawing is new, so none is cached."""
    drawing = 0
    while not stop():
        drawing += 1
        for i in range(PREDICTS):
            call("POST", f"{base}/api/predict", canvas_png(f"{n}-{drawing}-{i}"), content_type="image/png")
            gevent.sleep(0.1)
        start = time.perf_counter()
        call("POST", f"{base}/api/trace", canvas_png(f"{n}-{drawing}"), accept_gzip=True, content_type="image/png")
        traces.append(time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--followers", type=int, default=60)
    ap.add_argument("--explorers", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--every", type=float, default=0.5)
    args = ap.parse_args()
    server, base = serve()
    try:
        _, body = call("POST", f"{base}/api/classes", b"{}")
        created = json.loads(body)
        code, token = created["code"], created["token"]
        sent, follower_traces, explorer_traces, memory = {}, [], [], []
        followers = [Follower(base, code, sent, follower_traces) for _ in range(args.followers)]
        jobs = [gevent.spawn(f.run) for f in followers]
        gevent.sleep(2)
        done = False
        jobs += [gevent.spawn(explorer, base, n, explorer_traces, lambda: done) for n in range(args.explorers)]
        start = time.perf_counter()
        memory.append((0.0, rss_mb(server.pid)))
        i = 0
        while time.perf_counter() - start < args.seconds:
            i += 1
            state = {"stage": "conv1", "pos": i, "playing": False, "speed": 3,
                     "source": {"strokes": STROKES} if i % DIGIT_EVERY == 0 else None}
            t = time.perf_counter()
            call("PUT", f"{base}/api/classes/{code}", json.dumps(state).encode(), token)
            sent[i] = t
            if time.perf_counter() - start - memory[-1][0] >= 10:
                memory.append((time.perf_counter() - start, rss_mb(server.pid)))
            gevent.sleep(max(0.0, args.every - (time.perf_counter() - t)))
        gevent.sleep(2)                               # the last changes arrive
        memory.append((time.perf_counter() - start, rss_mb(server.pid)))
        done = True
        call("DELETE", f"{base}/api/classes/{code}", token=token)
        gevent.joinall(jobs, timeout=30)
    finally:
        server.terminate()
        server.wait()

    latencies = [(f.got[pos] - t) * 1000 for f in followers for pos, t in sent.items() if pos in f.got]
    missed = sum(1 for f in followers for pos in sent if pos not in f.got)
    errors = [f.error for f in followers if f.error]
    traces = [t * 1000 for t in follower_traces + explorer_traces]
    per_digit = statistics.median(b for f in followers for b in f.bytes_per_digit)
    print(f"cnnviz serve (default: 2 workers), {args.followers} followers, {args.explorers} students drawing digits "
          f"of their own (10 predictions, then a trace, again and again), the teacher changing the state every {args.every} s for {args.seconds:.0f} s ({len(sent)} "
          f"changes, every {DIGIT_EVERY}th a new digit that every follower then traces)")
    print(f"teacher -> follower  p50 {percentile(latencies, 0.5):6.1f} ms   p99 {percentile(latencies, 0.99):6.1f} ms"
          f"   max {max(latencies):.1f} ms   target p99 <= 250 ({len(latencies):,} deliveries)")
    print(f"changes missed       {missed} of {len(sent) * args.followers:,}   target 0")
    print(f"refused or dropped   {len(errors)} of {args.followers} followers   target 0 {errors[:3] if errors else ''}")
    print(f"traces               p50 {percentile(traces, 0.5):6.1f} ms   p99 {percentile(traces, 0.99):6.1f} ms   "
          f"target p99 <= 300 ({len(follower_traces):,} by followers on new digits, {len(explorer_traces):,} by "
          f"explorers)")
    print(f"bytes per drawing    {per_digit:,.0f} per follower (the state event and the gzipped trace it asks for); "
          f"{per_digit * args.followers / 1e6:.1f} MB for the class")
    print("server memory MB     " + ", ".join(f"{m:.0f} at {t:.0f} s" for t, m in memory[:: max(1, len(memory) // 8)])
          + f"; first {memory[0][1]:.1f}, last {memory[-1][1]:.1f}, peak {max(m for _, m in memory):.1f}")


if __name__ == "__main__":
    main()
