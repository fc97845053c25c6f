"""A 300-seat lecture hall on the teacher's 2-core laptop: the default `cnnviz serve`, 300 student pages following a
class over server-sent events; the teacher asks the class, each page answers as the question reaches it (one in ten
then changes its mind), the teacher's count reaches every page with each counted once, and the reveal reaches all.

Run: python3 benchmarks/lecture.py [--pages 300] [--rounds 5] [--redis]
Each round the teacher moves the class on (a new conv1 position of a sample digit) and asks about what comes next.
Prints, per round and as the median of the rounds: teacher's ask -> question received by each page (p50, p99, all
pages), answer POST latency, time until the teacher's count (read every 50 ms) reached every page, and the
teacher's reveal -> reveal received by each page; whether every count was exact and nothing was lost. --redis: two
`cnnviz serve --redis` instances sharing one real redis-server (Debian's redis-server), half the pages following
each, every answer posted to the other instance and the count read on the instance the teacher does not use. The
clients run here too, on the same cores, in one gevent process, as lean as they can be: each answer on a new
connection (the first answer's time includes connecting) written on a plain socket and kept until the reveal, as a
browser keeps it.
"""

from gevent import monkey

monkey.patch_all()

import argparse          # noqa: E402
import json              # noqa: E402
import socket            # noqa: E402
import statistics        # noqa: E402
import subprocess        # noqa: E402
import sys               # noqa: E402
import time              # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent            # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.classroom import call, percentile   # noqa: E402
from benchmarks.server import free_port, rss_mb, serve   # noqa: E402
from tests.eventstream import EventStream            # noqa: E402

SAMPLE = "test-00000"
CHANGES = 10              # one page in CHANGES answers a second time, changing its mind
WAIT_SECONDS = 30         # the longest a round waits for every answer, or every reveal


def post(conn, host, path, body, start):
    """(status, seconds since start) of one JSON POST on conn, a socket kept open as a browser keeps its connection
    (so a second answer reuses it): written and read plainly, so that the clients sharing these cores with the
    server cost it as little as they can. A 204 has no body: the answer ends with its headers."""
    data = json.dumps(body).encode()
    request = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(data)}\r\n\r\n").encode() + data
    conn.sendall(request)
    answer = b""
    while b"\r\n\r\n" not in answer and (chunk := conn.recv(4096)):
        answer += chunk
    return int(answer.split(b" ", 2)[1]), time.perf_counter() - start


class Page:
    """One student's page: follows the class on one server and answers each question, as it arrives, on another."""

    def __init__(self, n, follow_on, answer_on, code):
        self.n, self.follow_on, self.answer_on, self.code = n, follow_on, answer_on, code
        self.asked, self.revealed, self.chose, self.posts, self.error = {}, {}, {}, {}, None
        self.answered = set()           # the questions this page has finished answering (its POSTs answered)
        self.client = f"page-{n:05d}"

    def run(self):
        try:
            self.stream = EventStream(f"{self.follow_on}/api/classes/{self.code}/events", timeout=120)
            while True:
                event, _, data = self.stream.next()
                if event == "end":
                    return
                if event == "question":
                    self.asked[data["id"]] = time.perf_counter()
                    self.answer(data)
                elif event == "reveal":
                    self.revealed[data["id"]] = (time.perf_counter(), data)
        except Exception as e:        # a refused or dropped connection: counted, not hidden
            self.error = repr(e)

    def answer(self, question):
        """Answer on a new connection (a question comes minutes after the last: the browser's idle one is closed),
        kept open until the reveal as the browser keeps it."""
        n, path = len(question["choices"]), f"/api/classes/{self.code}/questions/{question['id']}/answers"
        where, start = urlsplit(self.answer_on), time.perf_counter()      # the first answer's time: connecting too
        with socket.create_connection((where.hostname, where.port), timeout=WAIT_SECONDS) as conn:
            for choice in [self.n % n] + ([(self.n + 1) % n] if self.n % CHANGES == 0 else []):
                status, seconds = post(conn, where.netloc, path, {"client": self.client, "choice": choice}, start)
                start = time.perf_counter()
                if status != 204:
                    raise RuntimeError(f"answer refused: {status}")
                self.posts.setdefault(question["id"], []).append(seconds)
                self.chose[question["id"]] = choice
            self.answered.add(question["id"])
            while question["id"] not in self.revealed:
                event, _, data = self.stream.next()
                if event == "reveal":
                    self.revealed[data["id"]] = (time.perf_counter(), data)
                elif event == "end":
                    return


def redis_server():
    """A real redis-server on a free port, saving nothing: (process, URL)."""
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, f"redis://127.0.0.1:{port}/0"
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)


def until(done, seconds=WAIT_SECONDS, every=0.05):
    deadline = time.perf_counter() + seconds
    while not done() and time.perf_counter() < deadline:
        gevent.sleep(every)
    return done()


def round_(r, drive, count_on, code, token, pages):
    """One question: the figures of this round, as a dict."""
    state = {"source": {"sample": SAMPLE}, "stage": "conv1", "pos": 300 + 7 * r, "playing": False, "speed": 0}
    call("PUT", f"{drive}/api/classes/{code}", json.dumps(state).encode(), token)
    gevent.sleep(0.5)
    asked_at = time.perf_counter()
    _, body = call("POST", f"{drive}/api/classes/{code}/questions", b"{}", token)
    asked = json.loads(body)
    path = f"/api/classes/{code}/questions/{asked['id']}"

    def tally():
        return json.loads(call("GET", f"{count_on}{path}", token=token)[1])

    counted = until(lambda: tally()["answers"] >= len(pages))
    counted_at = time.perf_counter()
    until(lambda: all(asked["id"] in p.answered for p in pages), every=0.02)    # the changes of mind too
    expected = [sum(1 for p in pages if p.chose.get(asked["id"]) == c) for c in range(len(asked["choices"]))]
    final = tally()
    revealed_at = time.perf_counter()
    _, body = call("POST", f"{drive}{path}/reveal", b"{}", token)
    revealed = json.loads(body)
    until(lambda: all(asked["id"] in p.revealed for p in pages), every=0.02)
    got = [p.revealed[asked["id"]] for p in pages if asked["id"] in p.revealed]
    return {
        "question": [(p.asked[asked["id"]] - asked_at) * 1000 for p in pages if asked["id"] in p.asked],
        "reveal": [(at - revealed_at) * 1000 for at, _ in got],
        "posts": [s * 1000 for p in pages for s in p.posts.get(asked["id"], [])],
        "count": (counted_at - asked_at) * 1000 if counted else float("nan"),
        "exact": counted and final["answers"] == len(pages) and final["counts"] == expected
        and revealed["counts"] == expected and all(data == {"id": asked["id"], **revealed} for _, data in got),
        "lost": len(pages) - len(got) + sum(1 for p in pages if asked["id"] not in p.asked),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--redis", action="store_true", help="two instances sharing one redis-server")
    args = ap.parse_args()
    redis, url = redis_server() if args.redis else (None, None)
    servers = []
    try:
        servers += [serve(2, "--redis", url) for _ in range(2)] if args.redis else [serve(2)]
        bases = [base for _, base in servers]
        drive, count_on = bases[0], bases[-1]
        created = json.loads(call("POST", f"{drive}/api/classes", b"{}")[1])
        code, token = created["code"], created["token"]
        pages = [Page(n, bases[n % len(bases)], bases[(n + 1) % len(bases)], code) for n in range(args.pages)]
        jobs = [gevent.spawn(p.run) for p in pages]
        until(lambda: json.loads(call("GET", f"{drive}/api/classes/{code}")[1])["following"] >= args.pages)
        memory = [sum(rss_mb(s.pid) for s, _ in servers)]
        rounds = []
        for r in range(args.rounds):
            rounds.append(round_(r, drive, count_on, code, token, pages))
            memory.append(sum(rss_mb(s.pid) for s, _ in servers))
            gevent.sleep(1)
        call("DELETE", f"{drive}/api/classes/{code}", token=token)
        gevent.joinall(jobs, timeout=30)
    finally:
        for s, _ in servers:
            s.terminate()
            s.wait()
        if redis:
            redis.terminate()
            redis.wait()

    where = (f"two `cnnviz serve --redis` instances (2 workers each) sharing one redis-server, {args.pages // 2} pages "
             "on each, answers posted to the other, the count read on the other") if args.redis \
        else "the default `cnnviz serve` (2 workers)"
    print(f"{where}; {args.pages} pages following, {args.rounds} questions; one page in {CHANGES} answers twice")
    print("round  question p50/p99/max ms   answer POST p50/p99 ms   count reached all   reveal p50/p99/max ms  exact lost")
    for i, r in enumerate(rounds, 1):
        q, v, a = r["question"], r["reveal"], r["posts"]
        print(f"{i:5d}  {percentile(q, .5):6.1f} {percentile(q, .99):6.1f} {max(q):6.1f}   "
              f"{percentile(a, .5):8.1f} {percentile(a, .99):8.1f}   {r['count']:10.0f} ms   "
              f"{percentile(v, .5):6.1f} {percentile(v, .99):6.1f} {max(v):6.1f}   {r['exact']!s:5} {r['lost']}")

    def median(key, q):
        return statistics.median(percentile(r[key], q) for r in rounds)

    print(f"median of rounds: question p50 {median('question', .5):.1f} ms, p99 {median('question', .99):.1f} ms; "
          f"answer POST p99 {median('posts', .99):.1f} ms; reveal p50 {median('reveal', .5):.1f} ms, p99 "
          f"{median('reveal', .99):.1f} ms; count reached all in {statistics.median(r['count'] for r in rounds):.0f} "
          f"ms; targets p99 <= 250")
    print(f"every count exact: {all(r['exact'] for r in rounds)}; lost: {sum(r['lost'] for r in rounds)}; pages "
          f"refused or dropped: {sum(1 for p in pages if p.error)} {[p.error for p in pages if p.error][:3]}")
    print("server memory MB: " + ", ".join(f"{m:.0f}" for m in memory))


if __name__ == "__main__":
    main()
