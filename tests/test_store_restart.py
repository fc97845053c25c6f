"""A class survives a restart of `cnnviz serve`: the store is a file (--store here, the user's data folder by
default) that keeps the code, the token, the state and the drawings; a damaged file or one of another schema
version is set aside; two servers on one file share it without harm; the housekeeping still ends and removes."""

import base64
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from cnnviz.app.store import Limits, Unusable, open_store, storefile
from cnnviz.app.store.embedded import ENDED_SECONDS, SCHEMA_VERSION, TABLES

from .conftest import ROOT, free_port
from .eventstream import EventStream
from .test_classes_servers import call, start_class

CNNVIZ = Path(sys.executable).with_name("cnnviz")      # .venv/bin/cnnviz, the installed command
DRAWING = base64.b64encode(bytes(range(0, 256, 8)) * 24 + bytes(16)).decode()   # 784 bytes, a 28x28 input
SET_ASIDE = r"(?P<aside>{store}\.{kind}-\d{{8}}-\d{{6}}(-\d+)?)"


@pytest.fixture(autouse=True)
def released():
    """The locks storefile.prepare took in this process, let go after each test (a server holds its own for life)."""
    yield
    while storefile.HELD:
        storefile.HELD.pop().close()


class Server:
    """`cnnviz serve --store store` on port, in its own process group as a terminal runs it, stderr in a file."""

    def __init__(self, store, port, tmp_path, *args):
        self.port, self.base = port, f"http://127.0.0.1:{port}"
        self.log = tmp_path / f"serve-{port}-{time.monotonic_ns()}.log"
        with open(self.log, "w") as err:
            self.proc = subprocess.Popen([str(CNNVIZ), "serve", "--port", str(port), "--store", str(store), *args],
                                         cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        deadline = time.monotonic() + 30
        while True:     # no event says "listening" but the port itself (as conftest.started)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"cnnviz serve did not start: {self.stderr()}") from None
                time.sleep(0.1)

    def stderr(self):
        return self.log.read_text()

    def stop(self, how="ctrl-c"):
        """Ctrl-C (SIGINT, as a terminal sends it) or SIGTERM (as systemd sends it), to the whole process group."""
        sig = signal.SIGINT if how == "ctrl-c" else signal.SIGTERM
        for wait in (10, 30):
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, sig)   # again after 10 s: a worker still booting loses the first
            try:                                # (it still has gunicorn's master's handler), and the master
                self.proc.wait(timeout=wait)    # would wait 30 s for it
                return
            except subprocess.TimeoutExpired:
                pass
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        raise RuntimeError(f"cnnviz serve did not stop on {sig.name}")


@pytest.fixture()
def servers():
    """Start Servers through this; each is stopped at the end (any left running)."""
    started = []
    yield lambda *args: started.append(Server(*args)) or started[-1]
    for s in started:
        if s.proc.poll() is None:
            s.stop()


def refused(store):
    """`cnnviz serve --store store` that must exit at once: its CompletedProcess."""
    return subprocess.run([str(CNNVIZ), "serve", "--port", str(free_port()), "--store", str(store)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_a_class_survives_a_restart(tmp_path, servers, how):
    store, port = tmp_path / "classes.sqlite", free_port()
    first = servers(store, port, tmp_path)
    code, token = start_class(first.base)
    assert call("PUT", f"{first.base}/api/classes/{code}", {"stage": "conv1", "pos": 3}, token)[0] == 204
    status, sent = call("POST", f"{first.base}/api/classes/{code}/drawings", {"pixels": DRAWING})
    assert status == 201
    _, before = call("GET", f"{first.base}/api/classes/{code}")
    _, drawings = call("GET", f"{first.base}/api/classes/{code}/drawings", token=token)
    follower = EventStream(f"{first.base}/api/classes/{code}/events") if how == "ctrl-c" else None
    if follower:                                 # a student's page holds its stream open across the Ctrl-C
        _, seen, _ = follower.next()
        assert seen == before["seq"]
    first.stop(how)
    if follower:
        with pytest.raises((EOFError, OSError)):
            follower.until("end", seconds=30)    # the stream is cut (no "end": the class goes on)
        follower.close()

    again = servers(store, port, tmp_path)       # the same command: the same URL and code for the students
    status, after = call("GET", f"{again.base}/api/classes/{code.lower()}")
    assert status == 200 and (after["state"], after["seq"]) == (before["state"], before["seq"])
    assert call("GET", f"{again.base}/api/classes/{code}/drawings", token=token)[1] == drawings
    assert drawings["drawings"][0]["prediction"] == sent["prediction"]
    assert call("PUT", f"{again.base}/api/classes/{code}", {"stage": "conv1", "pos": 3}, "not-the-token")[0] == 403

    # The page's EventSource reconnects by itself, with the last id it saw, and follows the next change.
    resumed = EventStream(f"{again.base}/api/classes/{code}/events", headers={"Last-Event-ID": str(before["seq"])})
    try:
        _, id_, data = resumed.next()
        assert (id_, data["stage"], data["pos"]) == (before["seq"], "conv1", 3)
        assert call("PUT", f"{again.base}/api/classes/{code}", {"stage": "pool1", "pos": 4}, token)[0] == 204
        _, id_, data = resumed.next()
        assert (id_, data["stage"], data["pos"]) == (before["seq"] + 1, "pool1", 4)
    finally:
        resumed.close()
    assert call("DELETE", f"{again.base}/api/classes/{code}", token=token)[0] == 204
    assert "Traceback" not in again.stderr()     # (gevent's workers may print one on Ctrl-C, as before stores)


def test_an_open_question_survives_a_restart(tmp_path, servers):
    """Asked and partly answered before the restart: after it, a page hears the question, the answers go on being
    counted once each, and the reveal reaches the page."""
    store, port = tmp_path / "classes.sqlite", free_port()
    first = servers(store, port, tmp_path)
    code, token = start_class(first.base)
    state = {"source": {"sample": "test-00000"}, "stage": "conv1", "pos": 300}
    assert call("PUT", f"{first.base}/api/classes/{code}", state, token)[0] == 204
    status, asked = call("POST", f"{first.base}/api/classes/{code}/questions", {}, token)
    assert status == 201
    path = f"/api/classes/{code}/questions/{asked['id']}"
    assert call("POST", f"{first.base}{path}/answers", {"client": "phone-0001", "choice": 0})[0] == 204
    first.stop()

    again = servers(store, port, tmp_path)
    follower = EventStream(f"{again.base}/api/classes/{code}/events")
    try:
        assert follower.next()[0] == "message" and follower.next() == ("question", None, asked)
        for client, choice in (("phone-0002", 1), ("phone-0001", 1)):
            assert call("POST", f"{again.base}{path}/answers", {"client": client, "choice": choice})[0] == 204
        _, shown = call("GET", f"{again.base}{path}", token=token)
        assert (shown["answers"], shown["counts"][:2], shown["revealed"]) == (2, [0, 2], False)
        status, revealed = call("POST", f"{again.base}{path}/reveal", {}, token)
        assert status == 200 and follower.until("reveal") == {"id": asked["id"], **revealed}
    finally:
        follower.close()


def test_a_store_of_an_older_version_is_brought_up_to_date(tmp_path):
    """A file of an earlier schema that only lacks tables (before questions) keeps its classes: the tables are
    added and its version raised, nothing is set aside."""
    store = tmp_path / "classes.sqlite"
    with sqlite3.connect(store) as db:
        for table in TABLES:
            if "questions" not in table and "answers" not in table:
                db.execute(table)
        db.execute("INSERT INTO classes VALUES ('ABCDEF', 'h', '{}', 1, ?, ?, 'a', 0)", (time.time(), time.time()))
        db.execute("PRAGMA user_version = 2")
    db.close()
    url, note = storefile.prepare(store)
    assert note is None and list(tmp_path.glob("classes.sqlite.*-*")) == []
    s = open_store(url)
    assert s.get_class("ABCDEF", time.time()).code == "ABCDEF" and s.ask("ABCDEF", "{}", 3, 5) == 1
    assert s.read("PRAGMA user_version") == [(SCHEMA_VERSION,)]
    s.close()


def test_a_class_from_before_the_restart_still_ends_after_class_hours(tmp_path, servers):
    store, port, hours = tmp_path / "classes.sqlite", free_port(), "0.004"      # 14.4 s without a change
    first = servers(store, port, tmp_path, "--class-hours", hours)
    code, _ = start_class(first.base)
    first.stop()
    again = servers(store, port, tmp_path, "--class-hours", hours)
    follower = EventStream(f"{again.base}/api/classes/{code}/events", timeout=30)
    try:
        assert follower.status == 200
        follower.until("end", seconds=30)        # the sweeper of the new server ends it
    finally:
        follower.close()
    assert call("GET", f"{again.base}/api/classes/{code}")[0] == 404


def test_a_damaged_store_is_set_aside_and_the_server_starts(tmp_path, servers):
    store = tmp_path / "classes.sqlite"
    junk = random.Random(19).randbytes(8192)
    store.write_bytes(junk)
    server = servers(store, free_port(), tmp_path)
    line = re.escape(f"cnnviz: {store} is damaged (file is not a database): moved it to ")
    found = re.search(line + SET_ASIDE.format(store=re.escape(str(store)), kind="damaged")
                      + re.escape(" and started a new store") + "\n", server.stderr())
    assert found, server.stderr()
    assert Path(found["aside"]).read_bytes() == junk                      # kept as it was, for whoever wants it
    code, token = start_class(server.base)
    assert call("PUT", f"{server.base}/api/classes/{code}", {"pos": 1}, token)[0] == 204
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_store_of_another_schema_version_is_set_aside(tmp_path, servers):
    store = tmp_path / "classes.sqlite"
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE classes (code TEXT, everything_else TEXT)")
        db.execute("INSERT INTO classes VALUES ('ABCDEF', 'of a newer cnnviz')")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 6}")
    db.close()
    server = servers(store, free_port(), tmp_path)
    line = re.escape(f"cnnviz: {store} has schema version {SCHEMA_VERSION + 6}, and this cnnviz reads version "
                     f"{SCHEMA_VERSION}: moved it to ")
    found = re.search(line + SET_ASIDE.format(store=re.escape(str(store)), kind="other-version"), server.stderr())
    assert found, server.stderr()
    with sqlite3.connect(found["aside"]) as db:
        assert db.execute("SELECT everything_else FROM classes").fetchall() == [("of a newer cnnviz",)]
    db.close()
    assert call("GET", f"{server.base}/api/classes/ABCDEF")[0] == 404
    start_class(server.base)


def test_two_servers_share_one_file_without_harm(tmp_path, servers):
    store = tmp_path / "classes.sqlite"
    a = servers(store, free_port(), tmp_path)
    code, token = start_class(a.base)
    streams = [EventStream(f"{a.base}/api/classes/{code}/events") for _ in range(2)]
    try:
        for s in streams:
            s.next()
        streams[0].until("counts", lambda d: d["following"] == 2)
        b = servers(store, free_port(), tmp_path)     # not alone on the file: it keeps a's followers counted
        assert call("GET", f"{b.base}/api/classes/{code}")[1]["following"] == 2
        other, other_token = start_class(b.base)
        assert call("PUT", f"{b.base}/api/classes/{code}", {"pos": 5}, token)[0] == 204    # driven through b
        assert all(s.next()[2]["pos"] == 5 for s in streams)
        b.stop()
        assert call("PUT", f"{a.base}/api/classes/{code}", {"pos": 6}, token)[0] == 204    # a goes on
        assert all(s.next()[2]["pos"] == 6 for s in streams)
        assert call("PUT", f"{a.base}/api/classes/{other}", {"pos": 1}, other_token)[0] == 204   # b's class too

        # A server that finds a file it cannot use while another server uses it must not move it from under it.
        with sqlite3.connect(store) as db:
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.close()
        r = refused(store)
        assert r.returncode != 0 and "Traceback" not in r.stderr
        assert (f"cnnviz: {store} has schema version {SCHEMA_VERSION + 1}, and this cnnviz reads version "
                f"{SCHEMA_VERSION}; another cnnviz server uses it, so it stays where it is") in r.stderr
        assert [p.name for p in tmp_path.glob("classes.sqlite.*-*")] == []
        assert call("PUT", f"{a.base}/api/classes/{code}", {"pos": 7}, token)[0] == 204
        assert all(s.next()[2]["pos"] == 7 for s in streams)
    finally:
        for s in streams:
            s.close()
    assert "Traceback" not in a.stderr()


def test_a_server_alone_on_the_file_forgets_the_counts_a_stopped_one_left(tmp_path):
    store = tmp_path / "classes.sqlite"
    s = open_store(f"sqlite:///{store}")
    s.set_presence("class:ABCDEF", "gone:1:x", {"following": 30}, time.time())
    s.close()
    url, note = storefile.prepare(store)
    assert (url, note) == (f"sqlite:///{store}", None)
    assert open_store(url).presence("class:ABCDEF", time.time()) == {}


def test_a_malformed_store_is_set_aside(tmp_path):
    store = tmp_path / "classes.sqlite"
    s = open_store(f"sqlite:///{store}")
    for i in range(200):
        s.put(f"k{i}", "x" * 500, 3600)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.conn.close()
    data = bytearray(store.read_bytes())
    data[-4096 * 2:-4096] = random.Random(4).randbytes(4096)         # the header is fine, a page is not
    store.write_bytes(bytes(data))
    url, note = storefile.prepare(store)
    assert re.fullmatch(re.escape(f"{store} is damaged (") + r".+\): moved it to "
                        + SET_ASIDE.format(store=re.escape(str(store)), kind="damaged") + " and started a new store",
                        note), note
    assert open_store(url).get("k1") is None                             # a new store in its place


def test_a_worker_refuses_a_file_of_another_version_with_its_name(tmp_path):
    store = tmp_path / "classes.sqlite"
    with sqlite3.connect(store) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(Unusable, match=f"{re.escape(str(store))} has schema version {SCHEMA_VERSION + 1}"):
        open_store(f"sqlite:///{store}")
    store.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(Unusable, match=f"cannot use {re.escape(str(store))} as cnnviz's store: file is not a database"):
        open_store(f"sqlite:///{store}")


def test_a_file_that_cannot_be_opened_says_so(tmp_path):
    (tmp_path / "folder.sqlite").mkdir()
    r = refused(tmp_path / "folder.sqlite")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert f"cnnviz: cannot open {tmp_path / 'folder.sqlite'}" in r.stderr or \
           f"cnnviz: cannot read {tmp_path / 'folder.sqlite'}" in r.stderr, r.stderr


def test_the_sweeper_removes_what_outlived_its_lifetime(tmp_path):
    store = tmp_path / "classes.sqlite"
    s = open_store(f"sqlite:///{store}", Limits(class_hours=2))
    now = time.time()
    s.create_class("ABCDEF", "h", "{}", "a", now)
    s.create_class("GHJKLM", "h", "{}", "a", now)
    s.add_drawing("GHJKLM", "{}", "a", 10, 10)
    s.set_presence("class:ABCDEF", "gone:1:x", {"following": 3}, now)
    s.put("short", "v", 1)
    s.put("long", "v", 3 * 3600)
    assert s.end_class("ABCDEF")
    assert s.expired_classes(now + ENDED_SECONDS + 1) == []          # GHJKLM is open for 2 hours
    assert s.read("SELECT code FROM classes") == [("GHJKLM",)]       # ABCDEF ended over an hour ago: gone
    assert s.read("SELECT count(*) FROM presence") == [(0,)] and s.read("SELECT key FROM kv") == [("long",)]
    assert s.drawings("GHJKLM") == ["{}"]
    assert s.expired_classes(now + 2 * 3600) == ["GHJKLM"]           # its class hours: the sweeper ends it
    assert s.end_class("GHJKLM") and s.drawings("GHJKLM") == []
    s.expired_classes(now + 2 * 3600 + ENDED_SECONDS + 1)
    assert s.read("SELECT count(*) FROM classes") == [(0,)]


def test_the_app_alone_keeps_a_temporary_store(app):
    """create_app without STORE_URL (tests, `flask run`) never writes into the user's data folder."""
    path = Path(app.extensions["cnnviz"].store.url.removeprefix("sqlite:///"))
    assert path.is_relative_to(tempfile.gettempdir())
    assert not path.is_relative_to(storefile.DEFAULT_PATH.parent)
