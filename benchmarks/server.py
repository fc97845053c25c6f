"""Server load: `cnnviz serve --workers 2`, 32 connections posting a 280x280 canvas PNG for 10 s (wrk).

Run: python3 benchmarks/server.py [--connections 32] [--seconds 10] [--workers 2]
Needs wrk (Debian: apt-get install wrk). Prints traces/s, p50/p99 latency, time to the first NDJSON
line, bytes per trace, errors, and the server's memory before, during and after the run.
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

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "image/png"
local f = io.open("%s", "rb"); wrk.body = f:read("*all"); f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%f, "bytes": %%d, "p50": %%d, "p99": %%d, ' ..
    '"non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\\n', summary.requests,
    summary.duration / 1e6, summary.bytes, latency:percentile(50), latency:percentile(99), e.status,
    e.connect, e.read, e.write, e.timeout))
end
"""


def canvas_png():
    """A 280x280 canvas PNG of a drawn 7: dark strokes on a transparent background, as the pad sends."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    ImageDraw.Draw(img).line([(70, 60), (200, 60), (110, 235)], fill=(17, 17, 17, 255), width=18, joint="curve")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    """Resident memory of a process and all its children (the workers) in MB, from Linux /proc."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += rss_mb(int(child))
    return total


def first_line_ms(port, body, n=200):
    """Median and p99 ms from sending a request to receiving its first NDJSON line; and bytes per trace."""
    times, size = [], 0
    for _ in range(n):
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
    args = ap.parse_args()
    port, body = free_port(), canvas_png()
    server = subprocess.Popen([sys.executable, "-m", "cnn", "serve", "--port", str(port), "--workers",
                               str(args.workers)], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        first_p50, first_p99, size = first_line_ms(port, body)
        mem_before = rss_mb(server.pid)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "body.png").write_bytes(body)
            (Path(tmp) / "post.lua").write_text(LUA % (Path(tmp) / "body.png"))
            wrk = subprocess.Popen(["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s",
                                    "-s", str(Path(tmp) / "post.lua"), f"http://127.0.0.1:{port}/api/trace"],
                                   stdout=subprocess.PIPE, text=True)
            samples = []
            while wrk.poll() is None:
                samples.append(rss_mb(server.pid))
                time.sleep(0.5)
            out = wrk.stdout.read()
        mem_after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait()
    r = json.loads(out.split("RESULT ", 1)[1])
    errors = r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    print(f"cnnviz serve --workers {args.workers}; wrk, {args.connections} connections, {args.seconds} s, "
          f"{len(body):,}-byte 280x280 canvas PNG")
    print(f"traces/s            {r['requests'] / r['seconds']:8.1f}   (target >= 300)")
    print(f"latency p50         {r['p50'] / 1000:8.1f} ms (p99 {r['p99'] / 1000:.1f} ms, target <= 150)")
    print(f"first NDJSON line   {first_p50:8.2f} ms (p99 {first_p99:.2f} ms, unloaded, target <= 10)")
    print(f"bytes per trace     {size:8,d}   (chunked NDJSON body)")
    print(f"errors              {errors:8d}   ({r['requests']:,} requests)")
    print(f"server memory MB    {mem_before:8.1f} before, {max(samples, default=0):.1f} peak, {mem_after:.1f} after")


if __name__ == "__main__":
    main()
