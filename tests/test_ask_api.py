"""Ask the class through the app: the contract of the questions API, answers replaced and counted once, the
teacher's calls refused to others, answers closed once revealed, the limit per address, what the streams hear."""

import base64
import itertools
import zlib

import numpy as np
import pytest

from cnnviz.app.info import find_sample, sample_pixels

from .test_classes_api import events, next_event

SAMPLE = {"source": {"sample": "test-00000"}, "stage": "conv1", "pos": 300, "playing": False, "speed": 0}


TEACHERS = itertools.count(1)   # each class from an address of its own: a store allows 20 an hour from one


@pytest.fixture()
def cls(client):
    """A class on a sample digit at conv1: its code, the teacher's header, and the path of its questions."""
    made = client.post("/api/classes", json={"state": SAMPLE},
                       environ_base={"REMOTE_ADDR": f"198.51.100.{next(TEACHERS)}"}).get_json()
    return made["code"], {"Authorization": f"Bearer {made['token']}"}, f"/api/classes/{made['code']}/questions"


def ask(client, cls, **body):
    _, teacher, path = cls
    r = client.post(path, json=body, headers=teacher)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def answer(client, path, id_, client_id, choice, address="10.0.0.1"):
    return client.post(f"{path}/{id_}/answers", json={"client": client_id, "choice": choice},
                       environ_base={"REMOTE_ADDR": address}).status_code


def test_ask_answer_count_reveal(client, cls):
    code, teacher, path = cls
    follower = client.get(f"/api/classes/{code}/events", buffered=False)
    stream = events(follower)
    next_event(stream)                                                    # the state
    asked = ask(client, cls)
    assert set(asked) == {"id", "stage", "pos", "prompt", "choices"} and (asked["stage"], asked["pos"]) == ("conv1", 301)
    assert next_event(stream, "question")[2] == asked                    # every stream: the same, no right answer
    n = len(asked["choices"])
    for i in range(12):
        assert answer(client, path, asked["id"], f"phone-{i:04d}", i % n) == 204
    assert answer(client, path, asked["id"], "phone-0000", n - 1) == 204   # a change of mind replaces, not adds
    shown = client.get(f"{path}/{asked['id']}", headers=teacher).get_json()
    counts = [sum(1 for i in range(1, 12) if i % n == c) + (c == n - 1) for c in range(n)]
    assert shown == {"id": asked["id"], "answers": 12, "counts": counts, "revealed": False}
    r = client.post(f"{path}/{asked['id']}/reveal", json={}, headers=teacher)
    assert r.status_code == 200
    revealed = r.get_json()
    assert set(revealed) == {"right", "answers", "counts"} and (revealed["answers"], revealed["counts"]) == (12, counts)
    assert 0 <= revealed["right"] < n
    assert next_event(stream, "reveal")[2] == {"id": asked["id"], **revealed}
    assert answer(client, path, asked["id"], "phone-0099", 0) == 409                # answers are closed
    assert answer(client, path, asked["id"], "phone-0001", 0) == 409
    assert client.get(f"{path}/{asked['id']}", headers=teacher).get_json()["revealed"] is True
    assert client.post(f"{path}/{asked['id']}/reveal", json={}, headers=teacher).get_json() == revealed
    follower.close()


def test_a_stream_opened_later_hears_the_latest_question(client, cls):
    code, teacher, path = cls
    asked = ask(client, cls)
    late = client.get(f"/api/classes/{code}/events", buffered=False)
    assert [e for e, _, _ in (next(events(late)) for _ in range(3))] == ["message", "counts", "question"]
    late.close()
    revealed = client.post(f"{path}/{asked['id']}/reveal", json={}, headers=teacher).get_json()
    later = client.get(f"/api/classes/{code}/events", buffered=False)
    assert next_event(events(later), "reveal")[2] == {"id": asked["id"], **revealed}
    later.close()


def test_the_teacher_s_calls_need_the_token(client, cls):
    code, teacher, path = cls
    asked = ask(client, cls)
    wrong = {"Authorization": "Bearer not-the-token"}
    for method, url in (("POST", path), ("GET", f"{path}/{asked['id']}"), ("POST", f"{path}/{asked['id']}/reveal")):
        body = {} if method == "POST" else None
        assert client.open(url, method=method, json=body).status_code == 401, url
        assert client.open(url, method=method, json=body, headers=wrong).status_code == 403, url
    assert client.get(f"{path}/{asked['id']}", headers=teacher).get_json()["revealed"] is False   # not revealed
    assert client.post("/api/classes/ZZZZZZ/questions", json={}, headers=teacher).status_code == 404


def test_bad_answers(client, cls):
    _, _, path = cls
    asked = ask(client, cls)
    n, id_ = len(asked["choices"]), asked["id"]
    for body in ({"client": "phone-0001", "choice": n}, {"client": "phone-0001", "choice": -1},
                 {"client": "phone-0001", "choice": "1"}, {"client": "phone-0001", "choice": True},
                 {"client": "short", "choice": 0}, {"choice": 0}, {"client": "phone-0001", "choice": 0, "x": 1},
                 {"client": "<b>phone-0001</b>", "choice": 0}, [0]):
        r = client.post(f"{path}/{id_}/answers", json=body)
        assert r.status_code == 400 and "error" in r.get_json(), body
    assert answer(client, path, id_ + 1, "phone-0001", 0) == 404
    assert answer(client, path, 0, "phone-0001", 0) == 404
    huge = 10 ** 30                                         # past SQLite's integers: 404, never a 500
    assert answer(client, path, huge, "phone-0001", 0) == 404
    teacher = cls[1]
    assert client.get(f"{path}/{huge}", headers=teacher).status_code == 404
    assert client.post(f"{path}/{huge}/reveal", json={}, headers=teacher).status_code == 404


def packed(x, kind):
    """x (28, 28) packed as the page packs a digit's pixels for a link (static/js/pack.js)."""
    raw = np.round(x * 255).astype(np.uint8).tobytes() if kind == "q" else x.astype("<f4").tobytes()
    deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return f"{kind}." + base64.urlsafe_b64encode(deflate.compress(raw) + deflate.flush()).decode().rstrip("=")


def test_a_drawn_digit_is_asked_about_with_the_input_the_teacher_s_page_read(client, cls):
    """The pixels the page sends for strokes (which only a browser draws) give the same question as the digit."""
    code, teacher, path = cls
    from_sample = ask(client, cls)
    x = sample_pixels(find_sample("test-00000"))
    client.put(f"/api/classes/{code}", json={**SAMPLE, "source": {"strokes": "z.AAAA"}}, headers=teacher)
    r = client.post(path, json={}, headers=teacher)
    assert r.status_code == 400 and '"pixels"' in r.get_json()["error"]
    for kind in ("q", "z"):
        drawn = ask(client, cls, pixels=packed(x, kind))
        assert {k: drawn[k] for k in ("stage", "pos", "prompt", "choices")} == \
            {k: from_sample[k] for k in ("stage", "pos", "prompt", "choices")}
    client.put(f"/api/classes/{code}", json={**SAMPLE, "source": {"pixels": packed(x, "z")}}, headers=teacher)
    assert ask(client, cls)["choices"] == from_sample["choices"]          # the state's own pixels, read by the server


@pytest.mark.parametrize("state, body, status, says", [
    ({"source": None}, {}, 409, "no digit yet"),
    ({"stage": "softmax", "pos": 9}, {}, 409, "end of the walk"),
    ({"stage": "conv1", "pos": 1151, "back": 3}, {}, 409, "input stage"),
    ({"source": {"sample": "test-99999"}}, {}, 409, "no sample"),
    ({"weights": "epoch-77"}, {}, 409, "no weights"),
    ({}, {"colour": "red"}, 400, "expected {}"),
    ({}, {"pixels": 7}, 400, "expected {}"),
    ({"source": {"strokes": "z.AAAA"}}, {"pixels": "z.AAAA"}, 400, "'pixels'"),
    ({"source": {"strokes": "z.AAAA"}}, {"pixels": "q." + "A" * 40}, 400, "'pixels'"),
], ids=["no digit", "walk over", "input map", "unknown sample", "unknown weights", "unknown field", "pixels type",
        "pixels undecodable", "pixels too few"])
def test_where_there_is_nothing_to_ask(client, cls, state, body, status, says):
    code, teacher, path = cls
    assert client.put(f"/api/classes/{code}", json={**SAMPLE, **state}, headers=teacher).status_code == 204
    r = client.post(path, json=body, headers=teacher)
    assert r.status_code == status and says in r.get_json()["error"], r.get_json()


def test_one_address_answers_for_at_most_so_many_devices(client, cls, monkeypatch):
    from cnnviz.app.classes import ask as asking
    monkeypatch.setattr(asking, "MAX_ANSWERS_EACH", 3)
    _, teacher, path = cls
    id_ = ask(client, cls)["id"]
    assert [answer(client, path, id_, f"phone-{i:04d}", 0, "203.0.113.9") for i in range(4)] == [204, 204, 204, 429]
    assert answer(client, path, id_, "phone-0001", 1, "203.0.113.9") == 204        # a counted device may change
    assert answer(client, path, id_, "phone-0003", 0, "203.0.113.10") == 204       # another address may answer
    assert client.get(f"{path}/{id_}", headers=teacher).get_json()["answers"] == 4


def test_a_question_lives_as_long_as_its_class(client, cls):
    code, teacher, path = cls
    id_ = ask(client, cls)["id"]
    assert client.delete(f"/api/classes/{code}", headers=teacher).status_code == 204
    assert client.get(f"{path}/{id_}", headers=teacher).status_code == 404
    assert answer(client, path, id_, "phone-0001", 0) == 404


def test_pacing_is_part_of_the_state(client, cls):
    """hold keeps every page following; recall counts the times the teacher brought everyone back."""
    code, teacher, _ = cls
    paced = {**SAMPLE, "hold": True, "recall": 3}
    assert client.put(f"/api/classes/{code}", json=paced, headers=teacher).status_code == 204
    assert client.get(f"/api/classes/{code}").get_json()["state"] == paced
    for bad, says in (({"hold": "yes"}, "'hold'"), ({"recall": -1}, "'recall'"), ({"recall": 1.5}, "'recall'")):
        r = client.put(f"/api/classes/{code}", json={**SAMPLE, **bad}, headers=teacher)
        assert r.status_code == 400 and says in r.get_json()["error"]
