"""The classes API through the app: its contract, its errors, who may drive a class, limits and expiry."""

import base64
import json
import time

import numpy as np
import pytest

from cnnviz.app import close, create_app
from cnnviz.app.classes.join import ALPHABET, CODE_LENGTH
from cnnviz.app.store import Limits
from cnnviz.cnn import config as C


@pytest.fixture()
def app():
    made = create_app({"TESTING": True, "CLASS_LIMITS": Limits(per_address_hour=3, at_once=4)})
    yield made
    close(made)


def start(client, **kw):
    r = client.post("/api/classes", json={}, **kw)
    assert r.status_code == 201, r.json
    return r.json["code"], {"Authorization": f"Bearer {r.json['token']}"}


def events(response):
    """The (event, id, data) of a streamed test-client response, one message per chunk."""
    for chunk in response.response:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        fields = dict(line.split(": ", 1) for line in text.strip().split("\n") if ": " in line and line[0] != ":")
        if "data" in fields:
            yield fields.get("event", "message"), int(fields["id"]) if "id" in fields else None, json.loads(fields["data"])


def next_event(stream, name="message"):
    return next(e for e in stream if e[0] == name)


def test_start_a_class(client):
    r = client.post("/api/classes", json={})
    assert r.status_code == 201
    body = r.json
    assert len(body["code"]) == CODE_LENGTH and set(body["code"]) <= set(ALPHABET)
    assert body["join_url"].endswith(f"/c/{body['code']}") and body["token"] not in body["join_url"]
    assert body["reachable"] is False                     # the test client is localhost: phones cannot reach it
    assert client.post("/api/classes").status_code == 201                # an empty body is valid too
    page = client.get(f"/c/{body['code']}")
    assert page.status_code == 200 and b'type="module"' in page.data


def test_join_url_names_the_lan_address_when_serving_the_room(monkeypatch, make_app):
    from cnnviz.app.classes import join
    monkeypatch.setattr(join, "default_route_address", lambda: "192.168.1.20")
    app = make_app(SERVE_HOST="0.0.0.0")
    body = app.test_client().post("/api/classes", json={}, base_url="http://127.0.0.1:5000").json
    assert body["join_url"] == f"http://192.168.1.20:5000/c/{body['code']}" and body["reachable"] is True
    body = app.test_client().post("/api/classes", json={}, base_url="http://10.0.0.7:5000").json
    assert body["join_url"] == f"http://10.0.0.7:5000/c/{body['code']}"    # opened by its LAN address already


def test_qr_code_is_an_svg_of_the_join_url(client):
    code, _ = start(client)
    r = client.get(f"/api/classes/{code}/qr.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert r.data.startswith(b"<svg") and b"<script" not in r.data


def test_the_teacher_drives_and_everyone_else_is_refused(client):
    code, teacher = start(client)
    state = {"source": {"sample": "test-00000"}, "stage": "conv1", "pos": 42, "playing": True, "speed": 3,
             "weights": "epoch-0.25", "training": "run-0123456789abcdef"}
    assert client.put(f"/api/classes/{code}", json=state, headers=teacher).status_code == 204
    assert client.get(f"/api/classes/{code.lower()}").json["state"] == state        # codes are case-insensitive
    assert client.put(f"/api/classes/{code}", json=state).status_code == 401
    r = client.put(f"/api/classes/{code}", json=state, headers={"Authorization": "Bearer not-the-token"})
    assert r.status_code == 403 and "error" in r.json
    _, other = start(client)
    assert client.put(f"/api/classes/{code}", json=state, headers=other).status_code == 403   # another class's
    assert client.delete(f"/api/classes/{code}", headers=other).status_code == 403
    assert client.put("/api/classes/ABCDEF", json=state, headers=teacher).status_code == 404
    assert client.put("/api/classes/nope", json=state, headers=teacher).status_code == 404


def test_a_backward_walk_is_part_of_the_state(client):
    """back: the label the teacher walks back towards; its stages run from the loss back to the input."""
    code, teacher = start(client)
    for stage in ("loss", "conv2", "input"):
        state = {"source": {"sample": "test-00000"}, "stage": stage, "pos": 7, "playing": False, "speed": 0, "back": 3}
        assert client.put(f"/api/classes/{code}", json=state, headers=teacher).status_code == 204
        assert client.get(f"/api/classes/{code}").json["state"] == state


@pytest.mark.parametrize("state, says", [
    ({"stage": "conv9"}, "'stage' must be one of"),
    ({"pos": -1}, "'pos'"),
    ({"pos": 1.5}, "'pos'"),
    ({"playing": "yes"}, "'playing'"),
    ({"speed": 99}, "'speed'"),
    ({"colour": "red"}, "unknown field 'colour'"),
    ({"source": {"sample": "<img src=x onerror=alert(1)>"}}, "'source.sample'"),
    ({"source": {"strokes": "z.abc</script>"}}, "'source.strokes'"),
    ({"source": {"sample": "test-00000", "pixels": "q.AAAA"}}, "'source' must be"),
    ({"source": "test-00000"}, "'source' must be"),
    ({"weights": "../../etc/passwd"}, "'weights'"),
    ({"training": "run-1<b>"}, "'training'"),
    ({"back": 10, "stage": "softmax"}, "'back' must be a whole number from 0 to 9"),
    ({"back": "3", "stage": "softmax"}, "'back'"),
    ({"back": 3, "stage": "step"}, "'stage' must be one of loss, softmax, dense"),
    ({"stage": "loss"}, "'stage' must be one of input, conv1"),
    ([1, 2], "expected a JSON object"),
])
def test_bad_states_are_refused_with_what_is_wrong(client, state, says):
    code, teacher = start(client)
    r = client.put(f"/api/classes/{code}", json=state, headers=teacher)
    assert r.status_code == 400 and says in r.json["error"]


def test_bodies_that_are_not_json_or_too_large(client):
    code, teacher = start(client)
    r = client.put(f"/api/classes/{code}", data="{", content_type="application/json", headers=teacher)
    assert r.status_code == 400 and "error" in r.json
    r = client.put(f"/api/classes/{code}", data="stage=conv1", content_type="text/plain", headers=teacher)
    assert r.status_code == 415
    huge = {"source": {"strokes": "z." + "A" * 70_000}}
    r = client.put(f"/api/classes/{code}", json=huge, headers=teacher)
    assert r.status_code == 413 and "error" in r.json


def test_followers_get_the_state_first_then_every_change_then_the_end(client):
    code, teacher = start(client)
    client.put(f"/api/classes/{code}", json={"stage": "relu1"}, headers=teacher)
    r = client.get(f"/api/classes/{code}/events", buffered=False)
    assert r.mimetype == "text/event-stream" and r.headers["X-Accel-Buffering"] == "no"
    assert r.headers["Cache-Control"] == "no-store"
    stream = events(r)
    _, first_id, first = next_event(stream)
    assert first["stage"] == "relu1" and first["age"] >= 0
    for pos in range(1, 21):                       # a burst: none is dropped for a follower that keeps up
        client.put(f"/api/classes/{code}", json={"stage": "conv1", "pos": pos}, headers=teacher)
    seen = [next_event(stream) for _ in range(20)]
    assert [d["pos"] for _, _, d in seen] == list(range(1, 21))
    assert [i for _, i, _ in seen] == list(range(first_id + 1, first_id + 21))
    assert client.delete(f"/api/classes/{code}", headers=teacher).status_code == 204
    assert next_event(stream, "end")[0] == "end"
    assert list(stream) == []                      # the stream ends with the class
    r.close()
    assert client.get(f"/api/classes/{code}").status_code == 404
    assert client.get(f"/api/classes/{code}/events").status_code == 404
    assert client.delete(f"/api/classes/{code}", headers=teacher).status_code == 404


def test_a_reconnect_gets_the_latest_state(client):
    code, teacher = start(client)
    for pos in (1, 2, 3):
        client.put(f"/api/classes/{code}", json={"pos": pos}, headers=teacher)
    r = client.get(f"/api/classes/{code}/events", headers={"Last-Event-ID": "2"}, buffered=False)
    _, id_, data = next_event(events(r))
    assert (id_, data["pos"]) == (4, 3)
    r.close()


def test_counts_of_followers_and_explorers(client):
    code, _ = start(client)
    streams = [client.get(f"/api/classes/{code}/events?mode={m}", buffered=False)
               for m in ("follow", "follow", "explore")]
    deadline = time.monotonic() + 5
    while client.get(f"/api/classes/{code}").json["following"] != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    body = client.get(f"/api/classes/{code}").json
    assert (body["following"], body["exploring"]) == (2, 1)
    counts = next(d for e, _, d in events(streams[0]) if e == "counts" and d["following"] == 2)
    assert counts == {"following": 2, "exploring": 1}
    assert client.get(f"/api/classes/{code}/events?mode=lurk").status_code == 400
    for s in streams:
        s.close()


def test_a_page_that_switches_mode_or_reconnects_is_counted_once(client, monkeypatch):
    from cnnviz.app import sse
    monkeypatch.setattr(sse, "HEARTBEAT_SECONDS", 0.2)
    code, _ = start(client)

    def counted(expected):
        deadline = time.monotonic() + 5
        while (now := client.get(f"/api/classes/{code}").json) and (now["following"], now["exploring"]) != expected:
            assert time.monotonic() < deadline, now
            time.sleep(0.05)

    page = "0123456789abcdef"
    old = client.get(f"/api/classes/{code}/events?mode=follow&client={page}", buffered=False)
    teacher = client.get(f"/api/classes/{code}/events?mode=watch", buffered=False)    # a teacher's window
    counted((1, 0))
    new = client.get(f"/api/classes/{code}/events?mode=explore&client={page}", buffered=False)
    chunks = [c for _, c in zip(range(100), old.response)]        # the old stream ends (heartbeats until then)
    assert len(chunks) < 100
    counted((0, 1))
    assert client.get(f"/api/classes/{code}/events?client=short").status_code == 400
    for s in (old, teacher, new):
        s.close()


def test_students_send_drawings_and_only_the_teacher_reads_them(client, app):
    code, teacher = start(client)
    x = np.zeros((C.IMAGE_SIZE, C.IMAGE_SIZE), np.uint8)
    x[6:22, 13:16] = 255                                           # a 1
    r = client.post(f"/api/classes/{code}/drawings", json={"pixels": base64.b64encode(x.tobytes()).decode()})
    assert r.status_code == 201
    expected = app.extensions["cnnviz"].weights.model.predict_proba(x[None].astype(np.float32) / 255).argmax()
    assert r.json == {"id": 1, "prediction": int(expected)}
    assert client.get(f"/api/classes/{code}/drawings").status_code == 401
    listed = client.get(f"/api/classes/{code}/drawings", headers=teacher).json["drawings"]
    assert [(d["id"], d["prediction"], base64.b64decode(d["pixels"]) == x.tobytes()) for d in listed] == \
        [(1, int(expected), True)]
    for bad in ({"pixels": "AAAA"}, {"pixels": 5}, {}, {"pixels": base64.b64encode(x.tobytes()).decode(), "x": 1}):
        r = client.post(f"/api/classes/{code}/drawings", json=bad)
        assert r.status_code == 400 and "784 bytes" in r.json["error"]


def test_limits_per_address_and_at_once(client):
    for _ in range(3):
        start(client)
    r = client.post("/api/classes", json={})
    assert r.status_code == 429 and "an hour" in r.json["error"]
    start(client, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    r = client.post("/api/classes", json={}, environ_base={"REMOTE_ADDR": "10.0.0.3"})
    assert r.status_code == 429 and "open on this server" in r.json["error"]


class Clock:
    """A clock a test moves by hand (config CLOCK): the class's hours pass without waiting for them."""

    def __init__(self, t=1_000_000.0):
        self.t = t

    def __call__(self):
        return self.t


def test_a_class_ends_after_its_hours_without_a_change(make_app):
    clock = Clock()
    app = make_app(CLASS_HOURS=1, CLOCK=clock)
    client = app.test_client()
    code, teacher = start(client)
    r = client.get(f"/api/classes/{code}/events", buffered=False)
    stream = events(r)
    next_event(stream)
    clock.t += 1800                                                        # half an hour
    assert client.put(f"/api/classes/{code}", json={"pos": 1}, headers=teacher).status_code == 204   # a change
    clock.t += 3000
    assert client.get(f"/api/classes/{code}").status_code == 200          # 80 minutes since the start, 50 idle
    clock.t += 700                                                         # 61 minutes idle: it lapses,
    assert next_event(stream, "end")[0] == "end"                           # and the streams hear it
    assert client.get(f"/api/classes/{code}").status_code == 404
    r.close()


def test_idle_streams_get_a_heartbeat(client, monkeypatch):
    from cnnviz.app import sse
    monkeypatch.setattr(sse, "HEARTBEAT_SECONDS", 0.2)
    code, _ = start(client)
    r = client.get(f"/api/classes/{code}/events", buffered=False)
    chunks = iter(r.response)
    assert next(chunks).startswith(b"retry: ")
    assert b": heartbeat\n\n" in [next(chunks) for _ in range(5)]     # after the state and the counts
    r.close()


def test_a_stream_whose_body_is_never_read_is_not_counted(app, client):
    code, _ = start(client)
    for _ in range(3):
        client.head(f"/api/classes/{code}/events").close()       # HEAD: the body is never iterated
    assert app.extensions["cnnviz"].hub.local_counts(f"class:{code}") == {}


def test_one_device_cannot_fill_a_class_with_drawings(client):
    from cnnviz.app.classes.api import MAX_DRAWINGS_EACH
    code, teacher = start(client)
    body = {"pixels": base64.b64encode(bytes(C.IMAGE_SIZE * C.IMAGE_SIZE)).decode()}
    for _ in range(MAX_DRAWINGS_EACH):
        assert client.post(f"/api/classes/{code}/drawings", json=body).status_code == 201
    r = client.post(f"/api/classes/{code}/drawings", json=body)
    assert r.status_code == 429 and "one device" in r.json["error"]
    other = client.post(f"/api/classes/{code}/drawings", json=body, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201                                         # another student still can
    listed = client.get(f"/api/classes/{code}/drawings", headers=teacher).json["drawings"]
    assert len(listed) == MAX_DRAWINGS_EACH + 1 and all("from" not in d for d in listed)   # no addresses shown


def test_one_address_may_hold_only_so_many_streams(client):
    from cnnviz.app.hub import STREAMS_PER_ADDRESS
    code, _ = start(client)
    far = {"REMOTE_ADDR": "10.0.0.5"}
    held = [client.get(f"/api/classes/{code}/events", environ_base=far, buffered=False)
            for _ in range(STREAMS_PER_ADDRESS)]
    assert all(r.status_code == 200 for r in held)
    r = client.get(f"/api/classes/{code}/events", environ_base=far)
    assert r.status_code == 429 and "close some pages" in r.json["error"]
    assert client.get(f"/api/classes/{code}/events", environ_base={"REMOTE_ADDR": "10.0.0.6"},
                      buffered=False).status_code == 200                   # another device is not held up
    held.pop().close()                                                     # a page closed frees its place
    again = client.get(f"/api/classes/{code}/events", environ_base=far, buffered=False)
    assert again.status_code == 200
    for r in [*held, again]:
        r.close()
