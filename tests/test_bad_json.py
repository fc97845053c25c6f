"""Bad input on every endpoint that takes JSON (a class, its state, drawings, questions and answers, training, the
backward walk): malformed, huge, wrong types, NaN and 1e308, unknown fields, control characters, very long strings.
Each gets a 4xx with {"error": ...}, and the server keeps serving."""

import pytest


@pytest.fixture(scope="module")
def app():
    """An app of this file's own: its tests start many classes (a store allows 20 an hour from one address)."""
    from cnnviz.app import close, create_app
    made = create_app({"TESTING": True})
    yield made
    close(made)


BAD = {   # name -> the body as sent (bytes) or as JSON (anything else)
    "malformed": b'{"state": ',
    "not-utf8": b'{"state": "\xff\xfe"}',
    "10 MB": b'{"state": "' + b"a" * (10 << 20) + b'"}',
    "100 MB": b"[" * (100 << 20),
    "a list": [1, 2, 3],
    "a string": "state",
    "a number": 7,
    "null": b"null",
    "NaN": b'{"pos": NaN, "epochs": NaN, "pixels": NaN, "action": NaN}',
    "Infinity": b'{"pos": Infinity, "epochs": -Infinity, "pixels": Infinity, "action": Infinity}',
    "1e308": {"pos": 1e308, "epochs": 1e308, "learning_rate": 1e308, "pixels": 1e308, "action": 1e308, "speed": 1e308},
    "1e999": b'{"pos": 1e999, "epochs": 1e999, "pixels": 1e999, "action": 1e999}',
    "wrong types": {"stage": 3, "pos": "3", "playing": "yes", "epochs": "3", "batch_size": [64], "pixels": "AAAA",
                    "action": 1, "state": "conv1"},
    "unknown field": {"colour": "red", "epochs": 1, "stage": "conv1", "shutdown": True},
    "control characters": {"stage": "conv1\u0000", "source": {"sample": "test\u0007\u001b[31m"},
                           "pixels": "\u0000" * 10, "action": "pause\u0000", "class": "ABC\u0000"},
    "very long strings": {"stage": "c" * 60_000, "weights": "w" * 60_000, "pixels": "A" * 60_000, "action": "p" * 60_000},
    "deep nesting": b'{"state": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001,
}


@pytest.fixture()
def cls(client):
    """A class on a sample digit with a question asked: its code and the teacher's header."""
    made = client.post("/api/classes", json={"state": {"source": {"sample": "test-00000"}}}).get_json()
    teacher = {"Authorization": f"Bearer {made['token']}"}
    assert client.post(f"/api/classes/{made['code']}/questions", json={}, headers=teacher).get_json()["id"] == 1
    return made["code"], teacher


def endpoints(code):
    """(method, path, needs the teacher's token) for every endpoint that reads a JSON body."""
    return [("POST", "/api/classes", False), ("PUT", f"/api/classes/{code}", True),
            ("POST", f"/api/classes/{code}/drawings", False), ("POST", "/api/training", False),
            ("POST", "/api/training/run-0123456789abcdef", False), ("POST", "/api/backprop?label=3", False),
            ("POST", f"/api/classes/{code}/questions", True), ("POST", f"/api/classes/{code}/questions/1/answers", False),
            ("POST", f"/api/classes/{code}/questions/1/reveal", True)]


@pytest.mark.parametrize("bad", BAD)
def test_every_json_endpoint_refuses_it_with_a_4xx_and_keeps_serving(client, cls, bad):
    code, teacher = cls
    body = BAD[bad]
    for method, path, token in endpoints(code):
        sent = dict(data=body, content_type="application/json") if isinstance(body, bytes) else dict(json=body)
        r = client.open(path, method=method, headers=teacher if token else {}, **sent)
        assert 400 <= r.status_code < 500, (bad, path, r.status_code)
        error = r.get_json()["error"]
        assert isinstance(error, str) and error and len(error) < 2000, (bad, path)
    assert client.get("/api/model").status_code == 200
    assert client.get(f"/api/classes/{code}").get_json()["state"]["stage"] == "input"   # nothing was changed
    asked = client.get(f"/api/classes/{code}/questions/1", headers=teacher).get_json()
    assert (asked["answers"], asked["revealed"]) == (0, False)
    assert client.post(f"/api/classes/{code}/questions", json={}, headers=teacher).get_json()["id"] == 2   # none asked
    training = client.get("/api/training").get_json()
    assert training["current"] is None, "no training was started"
