"""Classes on the real servers over real sockets: streams held open on every worker, two processes sharing the
embedded store, and two `cnnviz serve` instances sharing one real redis-server."""

import json
import sys
import urllib.request

import pytest

from .conftest import free_port, started, stop
from .eventstream import EventStream


def call(method, url, body=None, token=None):
    """(status, parsed JSON or None) of one request."""
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            text = r.read()
            return r.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def start_class(base):
    status, body = call("POST", f"{base}/api/classes", {})
    assert status == 201
    return body["code"], body["token"]


def follow_everywhere(drive, watch, followers=8):
    """A class started and driven on `drive`, followed by streams on each of `watch`: every follower gets every
    change in order, and the counts add up over workers and servers."""
    code, token = start_class(drive)
    streams = [EventStream(f"{watch[i % len(watch)]}/api/classes/{code}/events") for i in range(followers)]
    explorer = EventStream(f"{watch[-1]}/api/classes/{code}/events?mode=explore")
    try:
        assert all(s.status == 200 and s.headers["Content-Type"].startswith("text/event-stream") for s in streams)
        firsts = [s.next() for s in streams]
        assert all(e == "message" and d["stage"] == "input" for e, _, d in firsts)
        for pos in (1, 2, 3):
            assert call("PUT", f"{drive}/api/classes/{code}", {"stage": "pool1", "pos": pos}, token)[0] == 204
        for s in streams:
            assert [s.next()[2]["pos"] for _ in range(3)] == [1, 2, 3]
        streams[0].until("counts", lambda d: d == {"following": followers, "exploring": 1})
        status, shown = call("GET", f"{drive}/api/classes/{code}")
        assert (shown["following"], shown["exploring"]) == (followers, 1)
        assert call("DELETE", f"{drive}/api/classes/{code}", token=token)[0] == 204
        for s in [*streams, explorer]:
            s.until("end")
    finally:
        for s in [*streams, explorer]:
            s.close()


def ask_everywhere(drive, watch, count_on, followers=40):
    """A class of followers on each of `watch` in turn: the teacher asks through `drive`; each follower answers, as
    the question reaches it, through the next server of `watch`; the count read on `count_on` reaches them all, each
    once; the reveal reaches every follower; before it, no stream holds the right answer."""
    code, token = start_class(drive)
    state = {"source": {"sample": "test-00000"}, "stage": "conv1", "pos": 300}
    assert call("PUT", f"{drive}/api/classes/{code}", state, token)[0] == 204
    streams = [EventStream(f"{watch[i % len(watch)]}/api/classes/{code}/events") for i in range(followers)]
    try:
        assert all(s.next()[2]["pos"] == 300 for s in streams)
        status, asked = call("POST", f"{drive}/api/classes/{code}/questions", {}, token)
        assert status == 201
        path, n = f"/api/classes/{code}/questions/{asked['id']}", len(asked["choices"])
        for i, s in enumerate(streams):
            assert s.next() == ("question", None, asked)                  # the same fields: no right answer
            body = {"client": f"phone-{i:04d}", "choice": i % n}
            assert call("POST", f"{watch[(i + 1) % len(watch)]}{path}/answers", body)[0] == 204
        assert call("POST", f"{drive}{path}/answers", {"client": "phone-0000", "choice": n - 1})[0] == 204
        expected = [sum(1 for i in range(1, followers) if i % n == c) + (c == n - 1) for c in range(n)]
        _, shown = call("GET", f"{count_on}{path}", token=token)
        assert (shown["answers"], shown["counts"], shown["revealed"]) == (followers, expected, False)
        status, revealed = call("POST", f"{drive}{path}/reveal", {}, token)
        assert status == 200 and (revealed["answers"], revealed["counts"]) == (followers, expected)
        for s in streams:
            assert s.next() == ("reveal", None, {"id": asked["id"], **revealed})
        assert call("DELETE", f"{drive}/api/classes/{code}", token=token)[0] == 204    # the streams end with it
    finally:
        for s in streams:
            s.close()


def test_forty_answer_a_question(live_server):
    ask_everywhere(live_server, [live_server], live_server)


def test_followers_on_every_worker(any_server):
    follow_everywhere(any_server, [any_server], followers=12)


def test_traces_keep_flowing_while_streams_are_held(live_server):
    code, _ = start_class(live_server)
    streams = [EventStream(f"{live_server}/api/classes/{code}/events") for _ in range(40)]
    try:
        pixels = [[0.0] * 28 for _ in range(28)]
        for r in range(6, 22):
            pixels[r][14] = 1.0
        for _ in range(5):
            request = urllib.request.Request(f"{live_server}/api/predict", data=json.dumps({"pixels": pixels}).encode(),
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as r:
                assert r.status == 200 and json.loads(r.read())["prediction"] in range(10)
    finally:
        for s in streams:
            s.close()


def test_a_dropped_stream_catches_up_with_last_event_id(live_server):
    code, token = start_class(live_server)
    s = EventStream(f"{live_server}/api/classes/{code}/events")
    _, seen, _ = s.next()
    s.close()                                                         # the phone went to sleep
    for pos in (5, 6):
        call("PUT", f"{live_server}/api/classes/{code}", {"stage": "conv1", "pos": pos}, token)
    again = EventStream(f"{live_server}/api/classes/{code}/events", headers={"Last-Event-ID": str(seen)})
    _, id_, data = again.next()
    assert (id_, data["stage"], data["pos"]) == (seen + 2, "conv1", 6)
    again.close()


def gevent_server(port, store_url):
    return [sys.executable, "-c",
            f"from cnnviz.app.serve import run_gevent; run_gevent('127.0.0.1', {port}, {{'STORE_URL': {store_url!r}}})"]


def test_two_processes_share_the_embedded_store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    ports = [free_port(), free_port()]
    servers = [started(gevent_server(p, url), p) for p in ports]
    try:
        a, b = (f"http://127.0.0.1:{p}" for p in ports)
        follow_everywhere(a, [a, b])
    finally:
        for s in servers:
            stop(s)


@pytest.fixture()
def two_instances(redis_url):
    """Two `cnnviz serve` instances (two workers each), as behind a load balancer, sharing one redis-server."""
    ports = [free_port(), free_port()]
    servers = [started([sys.executable, "-m", "cnnviz", "serve", "--port", str(p), "--redis", redis_url], p)
               for p in ports]
    yield [f"http://127.0.0.1:{p}" for p in ports]
    for s in servers:
        stop(s)


def test_two_instances_share_a_class_through_redis(two_instances):
    a, b = two_instances
    follow_everywhere(a, [a, b])
    code, token = start_class(b)
    assert call("PUT", f"{a}/api/classes/{code}", {"pos": 7}, token)[0] == 204     # driven through the other
    assert call("GET", f"{b}/api/classes/{code.lower()}")[1]["state"]["pos"] == 7
    ask_everywhere(a, [a, b], b)                     # answers to either, the count read on the other


def test_serve_refuses_an_unreachable_redis():
    import subprocess
    port = free_port()
    r = subprocess.run([sys.executable, "-m", "cnnviz", "serve", "--port", str(free_port()),
                        "--redis", f"redis://127.0.0.1:{port}/0"], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and f"cannot use Redis at redis://127.0.0.1:{port}/0" in r.stderr
    assert "Traceback" not in r.stderr
