"""Server load: `cnnviz serve --workers 2`, 32 connections posting a 280x280 canvas PNG for 10 s (wrk).

Run: python3 benchmarks/server.py [--connections 32] [--seconds 10] [--workers 2] [--runs 3]
                                  [--encoding plain|gzip|both]
Needs wrk (Debian: apt-get install wrk). For each encoding (plain NDJSON, and gzip as browsers ask for it with
Accept-Encoding: gzip) prints traces/s, p50/p99 latency (median and range of the runs: each run opens fresh
connections, which Linux deals out to the workers afresh), bytes per trace and errors; then the time to the
first plain NDJSON line and the server's memory before, during and after the runs.
"""

import argparse
import io
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, PngImagePlugin

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = 64    # the same drawing in this many PNG files, so that every trace is computed: the server keeps
                 # the last 16 traces it sent (app/tracecache.py), for a class asking for one digit's at once
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "image/png"
%s
local bodies, n = {}, 0
for i = 1, %d do local f = io.open(string.format("%s/body-%%d.png", i), "rb"); bodies[i] = f:read("*all"); f:close() end
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[n %% #bodies + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%f, "bytes": %%d, "p50": %%d, "p99": %%d, ' ..
    '"non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\\n', summary.requests,
    summary.duration / 1e6, summary.bytes, latency:percentile(50), latency:percentile(99), e.status,
    e.connect, e.read, e.write, e.timeout))
end
"""


def canvas_png(variant=None):
    """A 280x280 canvas PNG of a drawn 7: dark strokes on a transparent background, as the pad sends; a variant
    number goes into a text chunk, which changes the file and not the image."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(img).line([(70, 60), (200, 60), (110, 235)], fill=(17, 17, 17, 255), width=18, joint="curve")
    info = PngImagePlugin.PngInfo()
    if variant is not None:
        info.add_text("variant", str(variant))
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(workers=2, *options):
    """`cnnviz serve --workers N` (and options) on a free port, as a class would run it, with its classes in a
    temporary file (not the user's) unless the options give --redis, once every worker answers; returns (the
    process, its base URL). The caller terminates it."""
    port = free_port()
    store = [] if "--redis" in options else ["--store", str(Path(tempfile.mkdtemp(prefix="cnnviz-benchmark-")) /
                                                            "classes.sqlite3")]
    server = subprocess.Popen([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--workers", str(workers),
                               *store, *options], cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("cnnviz serve did not start")
            time.sleep(0.1)
    time.sleep(1)                                   # every worker up, not only the first
    return server, f"http://127.0.0.1:{port}"


def rss_mb(pid):
    """Resident memory of a process and all its children (the workers) in MB, from Linux /proc."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += rss_mb(int(child))
    return total


ENCODINGS = {"plain": "", "gzip": 'wrk.headers["Accept-Encoding"] = "gzip"'}   # encoding -> its wrk header


def trace_bytes(port, body, encoding):
    """The body bytes of one trace (chunk framing included) as the server sends it in this encoding."""
    accept = "Accept-Encoding: gzip\r\n" if encoding == "gzip" else ""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall((f"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n{accept}Content-Length: "
                   f"{len(body)}\r\nConnection: close\r\n\r\n").encode() + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return len(data.partition(b"\r\n\r\n")[2])


def first_line_ms(port, n=200):
    """Median and p99 ms from sending a request to receiving its first NDJSON line (a new drawing each time, so
    that nothing comes from the server's cache); and bytes per trace."""
    times, size = [], 0
    for i in range(n):
        body = canvas_png(VARIANTS + i)
        with socket.create_connection(("127.0.0.1", port)) as s:
            request = (f"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: "
                       f"{len(body)}\r\nConnection: close\r\n\r\n").encode() + body
            start = time.perf_counter()
            s.sendall(request)
            data = b""
            while b"\n" not in data.partition(b"\r\n\r\n")[2].partition(b"\r\n")[2]:
                chunk = s.recv(65536)
                if not chunk:
                    raise SystemExit(f"the server closed without a trace line: {data[:200]!r}")
                data += chunk
            times.append((time.perf_counter() - start) * 1000)
            while chunk := s.recv(65536):
                data += chunk
            size = len(data.partition(b"\r\n\r\n")[2])
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], size


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--encoding", choices=[*ENCODINGS, "both"], default="both")
    args = ap.parse_args()
    body = canvas_png()
    server, base = serve(args.workers)
    port = int(base.rsplit(":", 1)[1])
    try:
        first_p50, first_p99, _ = first_line_ms(port)
        mem_before = rss_mb(server.pid)
        encodings = list(ENCODINGS) if args.encoding == "both" else [args.encoding]
        results, samples = {}, []
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(1, VARIANTS + 1):
                (Path(tmp) / f"body-{i}.png").write_bytes(canvas_png(i))
            for encoding in encodings:
                script = Path(tmp) / f"post-{encoding}.lua"
                script.write_text(LUA % (ENCODINGS[encoding], VARIANTS, tmp))
                runs = results[encoding] = []
                for _ in range(args.runs):
                    wrk = subprocess.Popen(["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout",
                                            "5s", "-s", str(script), f"http://127.0.0.1:{port}/api/trace"],
                                           stdout=subprocess.PIPE, text=True)
                    while wrk.poll() is None:
                        samples.append(rss_mb(server.pid))
                        time.sleep(0.5)
                    runs.append(json.loads(wrk.stdout.read().split("RESULT ", 1)[1]))
        sizes = {encoding: trace_bytes(port, body, encoding) for encoding in encodings}
        mem_after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()

    def spread(values, unit="", digits=1):
        return f"{statistics.median(values):8.{digits}f}{unit} (runs {min(values):.{digits}f}-{max(values):.{digits}f})"

    print(f"cnnviz serve --workers {args.workers}; wrk, {args.connections} connections, {args.runs} runs of "
          f"{args.seconds} s, {len(body):,}-byte 280x280 canvas PNG; medians of the runs")
    for encoding, runs in results.items():
        errors = sum(r[k] for r in runs for k in ("non2xx", "connect", "read", "write", "timeout"))
        print(f"{encoding}:")
        print(f"  traces/s            {spread([r['requests'] / r['seconds'] for r in runs])}   target >= 300")
        print(f"  latency p50         {spread([r['p50'] / 1000 for r in runs], ' ms')}")
        print(f"  latency p99         {spread([r['p99'] / 1000 for r in runs], ' ms')}   target <= 150")
        print(f"  bytes per trace     {sizes[encoding]:8,d}   (chunked body)")
        print(f"  errors              {errors:8d}   ({sum(r['requests'] for r in runs):,} requests)")
    print(f"first NDJSON line   {first_p50:8.2f} ms (p99 {first_p99:.2f} ms, unloaded, plain)   target <= 10")
    print(f"server memory MB    {mem_before:8.1f} before, {max(samples, default=0):.1f} peak, {mem_after:.1f} after")


if __name__ == "__main__":
    main()
