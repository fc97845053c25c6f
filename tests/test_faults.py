"""Faults with real processes: what a teacher sees when part of cnnviz dies mid-lesson."""

import base64
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cnnviz.app.hub import FLUSH_SECONDS

from .conftest import free_port, redis_server, started, stop
from .eventstream import EventStream
from .test_classes_servers import call, start_class


def runner_pid(run_id):
    """The process id of the training runner of run_id."""
    out = subprocess.run(["pgrep", "-f", f"cnnviz.app.training.runner .*--id {run_id}"], capture_output=True, text=True)
    return int(out.stdout.split()[0])


def test_a_killed_training_runner_is_reported_failed_and_a_new_one_can_start(tmp_path):
    port, log_file = free_port(), tmp_path / "server.log"
    log = log_file.open("w")
    base = f"http://127.0.0.1:{port}"
    server = started([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--store",
                      str(tmp_path / "store.sqlite3")], port, stderr=log)
    try:
        status, run = call("POST", f"{base}/api/training", {"epochs": 3})
        assert status == 201
        events = EventStream(f"{base}/api/training/{run['id']}/events", timeout=30)
        events.until("message", lambda d: d["step"] > 0, seconds=30)
        os.kill(runner_pid(run["id"]), signal.SIGKILL)
        end = events.until("message", lambda d: d.get("done"), seconds=10)
        assert end["status"] == "failed" and "killed by SIGKILL" in end["error"]
        assert call("GET", f"{base}/api/training/{run['id']}")[1]["status"] == "failed"
        status, again = call("POST", f"{base}/api/training", {"epochs": 1})           # at once: never a 409
        assert status == 201
        assert call("DELETE", f"{base}/api/training/{again['id']}")[0] == 204
        events.close()
    finally:
        stop(server)
        log.close()
        print(log_file.read_text())                # the server's log, shown if the test fails
    assert f"the training process of {run['id']} killed by SIGKILL" in log_file.read_text()


# A worker killed mid-class

FOLLOWERS = 6


def workers(master):
    """The process ids of the gunicorn master's workers."""
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return {int(pid) for pid in out.stdout.split()}


def holders(master, port, streams):
    """Each worker of master -> the streams whose connection it holds (read from /proc: Linux, IPv4)."""
    server_side = {}                                         # the client's port -> the server side's socket inode
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, remote, inode = (lambda f: (f[1], f[2], f[9]))(line.split())
        if int(local.rsplit(":", 1)[1], 16) == port:
            server_side[int(remote.rsplit(":", 1)[1], 16)] = f"socket:[{inode}]"
    held = {}
    for pid in workers(master):
        fds = Path(f"/proc/{pid}/fd")
        sockets = {os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()}
        held[pid] = [s for s in streams if server_side.get(s.conn.sock.getsockname()[1]) in sockets]
    return held


def eventually(check, seconds, what):
    """Ask check() every 0.1 s until it is true; fail with what after seconds."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def steady(check, seconds, what):
    """check() stays true for seconds (asked every 0.1 s): the workers have written their counts by then."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert check(), what
        time.sleep(0.1)


def reconnected(url, last_id, seconds=10):
    """A stream opened again as a browser's EventSource does after a drop: with Last-Event-ID, trying again while
    the connection is refused."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            s = EventStream(url, headers={"Last-Event-ID": str(last_id)}, timeout=30)
            if s.status == 200:
                return s
            s.close()
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{url} did not open again within {seconds} s"
        time.sleep(0.2)


def following(base, code):
    return call("GET", f"{base}/api/classes/{code}")[1]["following"]


def digit():
    """A drawing's body: a vertical stroke, as the network's input bytes."""
    pixels = bytearray(28 * 28)
    for r in range(6, 22):
        pixels[r * 28 + 14] = 255
    return {"pixels": base64.b64encode(bytes(pixels)).decode()}


def test_a_killed_worker_is_replaced_and_its_students_follow_again_with_nothing_lost(tmp_path):
    port, log_file = free_port(), tmp_path / "server.log"
    log = log_file.open("w")
    base = f"http://127.0.0.1:{port}"
    server = started([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--store",
                      str(tmp_path / "store.sqlite3")], port, stderr=log)
    opened = []                                                     # closed at the end
    try:
        code, token = start_class(base)
        assert call("PUT", f"{base}/api/classes/{code}", {"stage": "conv1", "pos": 1}, token)[0] == 204
        status, sent = call("POST", f"{base}/api/classes/{code}/drawings", digit())
        assert status == 201
        url = f"{base}/api/classes/{code}/events"
        streams = [EventStream(url, timeout=30) for _ in range(FOLLOWERS)]
        opened += streams
        seen = {s: s.next()[1] for s in streams}
        eventually(lambda: following(base, code) == FOLLOWERS, 10, "every follower counted")
        held = holders(server.pid, port, streams)
        assert len(held) == 2 and sum(map(len, held.values())) == FOLLOWERS
        victim = max(held, key=lambda pid: len(held[pid]))          # the worker with most of the class

        os.kill(victim, signal.SIGKILL)
        for s in held[victim]:                                      # their connections end at once
            with pytest.raises((EOFError, ConnectionError)):
                while True:
                    s.next()
        eventually(lambda: len(workers(server.pid) - {victim}) == 2, 30, "gunicorn started another worker")
        survivors = [s for s in streams if s not in held[victim]]
        again = [reconnected(url, seen[s]) for s in held[victim]]
        opened += again
        streams = survivors + again
        assert all(s.next()[2]["pos"] == 1 for s in again)           # the class's state as it was
        eventually(lambda: following(base, code) == FOLLOWERS, 10, "the counts back to the followers")
        steady(lambda: following(base, code) == FOLLOWERS, 5 * FLUSH_SECONDS, "no one counted twice")

        assert call("PUT", f"{base}/api/classes/{code}", {"stage": "conv1", "pos": 2}, token)[0] == 204
        for s in streams:                                           # the teacher's next change reaches everyone
            assert s.until("message", lambda d: d["pos"] >= 2)["pos"] == 2
        shown = call("GET", f"{base}/api/classes/{code}")[1]
        assert (shown["state"]["stage"], shown["state"]["pos"], shown["following"]) == ("conv1", 2, FOLLOWERS)
        drawings = call("GET", f"{base}/api/classes/{code}/drawings", token=token)[1]["drawings"]
        assert [(d["id"], d["prediction"]) for d in drawings] == [(sent["id"], sent["prediction"])]
    finally:
        for s in opened:
            s.close()
        stop(server)
        log.close()
        print(log_file.read_text())                # the server's log, shown if the test fails
    text = log_file.read_text()
    assert f"Worker (pid:{victim}) was sent SIGKILL" in text and "Traceback" not in text


# Redis stops for 10 s mid-class

OUTAGE_SECONDS = 10
ANSWER_SECONDS = 4            # the longest a request may take to be refused while Redis does not answer (2 s)


class RedisServer:
    """A redis-server of the test's own on a free port, to stop mid-class: paused (SIGSTOP: its connections stay
    open and nothing answers) or shut down (SHUTDOWN SAVE: connections close and new ones are refused) and
    started again on the same port with the same file."""

    def __init__(self, folder):
        self.port, self.folder = free_port(), folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        self.process = redis_server(self.port, "--dir", str(self.folder), "--dbfilename", "dump.rdb")

    def stop(self, how):
        if how == "paused":
            self.process.send_signal(signal.SIGSTOP)
        else:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.sendall(b"SHUTDOWN SAVE\r\n")
            self.process.wait(timeout=10)

    def resume(self, how):
        if how == "paused":
            self.process.send_signal(signal.SIGCONT)
        else:
            self.start()

    def close(self):
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.mark.parametrize("how", ["paused", "restarted"])
def test_redis_stopping_for_10_s_is_a_503_then_the_class_goes_on_with_nothing_lost(tmp_path, how):
    redis = RedisServer(tmp_path)
    port, log_file = free_port(), tmp_path / "server.log"
    log = log_file.open("w")
    base = f"http://127.0.0.1:{port}"
    server = started([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--redis", redis.url], port,
                     stderr=log)
    follower = None
    try:
        code, token = start_class(base)
        klass = f"{base}/api/classes/{code}"
        assert call("PUT", klass, {"stage": "conv1", "pos": 4}, token)[0] == 204
        status, sent = call("POST", f"{klass}/drawings", digit())
        assert status == 201
        follower = EventStream(f"{klass}/events", timeout=30)
        assert follower.next()[2]["pos"] == 4

        stopped = time.monotonic()
        redis.stop(how)
        assert follower.until("store", seconds=ANSWER_SECONDS + 4) == {"ok": False}     # the page can say so
        asked = [("GET", klass, None, None), ("PUT", klass, {"stage": "conv1", "pos": 5}, token),
                 ("POST", f"{base}/api/classes", {}, None), ("GET", f"{klass}/drawings", None, token),
                 ("GET", f"{klass}/events", None, None)]

        def timed(method, url, body, token):
            began = time.monotonic()
            return call(method, url, body, token), time.monotonic() - began

        with ThreadPoolExecutor(len(asked)) as pool:                # students and teacher all at once
            answers = list(pool.map(lambda a: timed(*a), asked))
        for (method, url, *_), ((status, answer), took) in zip(asked, answers):
            assert status == 503 and answer["error"] == "the class store (Redis) is not answering: try again in a " \
                "moment", (method, url, status, answer)
            assert took < ANSWER_SECONDS, (method, url, took)
        assert call("GET", f"{base}/api/model")[0] == 200 and server.poll() is None     # the rest is served
        victim = next(pid for pid, held in holders(server.pid, port, [follower]).items() if not held)
        os.kill(victim, signal.SIGKILL)                             # its replacement starts while Redis is down ...
        eventually(lambda: "the store does not answer yet" in log_file.read_text(), 10, "a worker starting")
        assert server.poll() is None and len(workers(server.pid) - {victim}) == 2          # ... and serves
        time.sleep(max(0.0, stopped + OUTAGE_SECONDS - time.monotonic()))   # the outage itself: nothing to await

        redis.resume(how)
        assert follower.until("store", seconds=ANSWER_SECONDS + 4) == {"ok": True}
        assert call("PUT", klass, {"stage": "pool1", "pos": 6}, token)[0] == 204
        assert follower.until("message", lambda d: d["stage"] == "pool1")["pos"] == 6
        shown = call("GET", klass)[1]
        assert (shown["state"]["stage"], shown["state"]["pos"], shown["following"]) == ("pool1", 6, 1)
        drawings = call("GET", f"{klass}/drawings", token=token)[1]["drawings"]
        assert [(d["id"], d["prediction"]) for d in drawings] == [(sent["id"], sent["prediction"])]
    finally:
        if follower:
            follower.close()
        stop(server)
        log.close()
        print(log_file.read_text())                # the server's log, shown if the test fails
        redis.close()
    text = log_file.read_text()
    assert "the store does not answer" in text and "the store answers again" in text and "Traceback" not in text
