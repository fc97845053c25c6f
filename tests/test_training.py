"""The training API: start, watch, pause, step, resume, stop; one at a time; who may train; bad parameters; the
same seed giving the same bits; the trace API answering meanwhile. Runs train on a small MNIST (trainingdata.py)."""

import time

import numpy as np
import pytest

from cnnviz.app import close, create_app
from cnnviz.cnn.serialize import decode
from cnnviz.cnn.weights import load_params

from .trainingdata import TEST, latest, sse_events, status, steps_by_hand, wait, wait_for, write_small_mnist

ELSEWHERE = {"REMOTE_ADDR": "10.1.2.3"}
SMALL = {"epochs": 2, "batch_size": 64, "learning_rate": 0.02, "seed": 0}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_small_mnist(tmp_path_factory.mktemp("mnist"))


@pytest.fixture(scope="module")
def app(data):
    made = create_app({"TESTING": True, "MNIST_DIR": str(data)})
    yield made
    close(made)


@pytest.fixture()
def client(app):
    c = app.test_client()
    yield c
    current = app.extensions["cnnviz"].store.get("training:current")
    if current:                                           # leave no run behind for the next test
        c.delete(f"/api/training/{current}")


def start(client, **body):
    r = client.post("/api/training", json={**SMALL, **body})
    assert r.status_code == 201, r.json
    assert r.json["id"].startswith("run-")
    return r.json["id"]


def finished(client, app, run_id):
    """Read the run's whole event stream (it ends after the last event): [(event, data)]."""
    wait_for(app, run_id, ("complete", "stopped"))
    return sse_events(client.get(f"/api/training/{run_id}/events"))


def test_a_run_streams_progress_then_the_final_accuracy_and_confusion(client, app):
    run_id = start(client, epochs=2)
    events = finished(client, app, run_id)
    assert events[0][0] == "history" and events[0][1]["points"][0]["step"] == 0
    progress = [d for e, d in events if e == "message"]
    last = progress[-1]
    assert last["done"] is True and last["status"] == "complete" and last["step"] == 2 * 20
    assert 0 <= last["test_accuracy"] <= 1
    confusion = np.array(last["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == TEST
    assert np.trace(confusion) / TEST == pytest.approx(last["test_accuracy"])
    for key in ("epoch", "step", "loss", "accuracy", "weights", "probabilities"):
        assert key in last
    assert decode(last["weights"]["conv1.weight"]).shape == (2, 1, 5, 5)
    assert client.get(f"/api/training/{run_id}").json["status"] == "complete"
    history = sse_events(client.get(f"/api/training/{run_id}/events"))[0][1]["points"]
    assert any("held_out" in p for p in history), "held-out accuracy a few times per epoch"
    assert [p["step"] for p in history] == sorted(p["step"] for p in history)


def test_the_digit_gets_ten_probabilities_under_the_current_weights(client, app):
    digit = np.zeros((28, 28))
    digit[6:22, 13:15] = 1                                   # a 1
    run_id = start(client, epochs=1, pixels=digit.tolist())
    untrained = latest(app, run_id)["probabilities"]          # the first event, sent before the runner starts
    p = finished(client, app, run_id)[-1][1]["probabilities"]
    assert len(p) == 10 and sum(p) == pytest.approx(1, abs=1e-5)
    assert untrained != p


def test_pause_step_resume_stop(client, app):
    run_id = start(client, epochs=100)
    assert client.post(f"/api/training/{run_id}", json={"action": "pause"}).status_code == 202
    wait_for(app, run_id, ("paused",))
    at = latest(app, run_id)["step"]
    time.sleep(0.3)
    assert latest(app, run_id)["step"] == at, "a paused run takes no steps"
    client.post(f"/api/training/{run_id}", json={"action": "step"})
    wait(lambda: latest(app, run_id)["step"] == at + 1, what="one step")
    time.sleep(0.2)
    assert latest(app, run_id)["step"] == at + 1 and status(app, run_id) == "paused"
    client.post(f"/api/training/{run_id}", json={"action": "resume"})
    wait(lambda: latest(app, run_id)["step"] > at + 5, what="resumed")
    assert client.delete(f"/api/training/{run_id}").status_code == 204
    assert status(app, run_id) == "stopped"
    last = latest(app, run_id)
    assert last["done"] is True and last["reason"] == "stopped" and "test_accuracy" in last
    assert client.post(f"/api/training/{run_id}", json={"action": "resume"}).status_code == 409


def test_one_training_at_a_time_a_paused_one_counts(client, app):
    run_id = start(client, epochs=100)
    client.post(f"/api/training/{run_id}", json={"action": "pause"})
    wait_for(app, run_id, ("paused",))
    r = client.post("/api/training", json=SMALL)
    assert r.status_code == 409 and run_id in r.json["error"]
    client.delete(f"/api/training/{run_id}")
    client.delete(f"/api/training/{start(client)}")         # stopped: another may start


def test_same_seed_same_bits_through_the_api(client, app):
    def weights(seed):
        run_id = start(client, seed=seed)
        client.post(f"/api/training/{run_id}", json={"action": "pause"})
        wait_for(app, run_id, ("paused",))
        w = steps_by_hand(client, app, run_id, 3)
        client.delete(f"/api/training/{run_id}")
        return {k: decode(v) for k, v in w.items()}
    first, again, other = weights(7), weights(7), weights(8)
    for k in first:
        assert np.array_equal(first[k], again[k]), k
    assert not np.array_equal(first["conv1.weight"], other["conv1.weight"])


def test_the_recipes_run_starts_from_the_shipped_untrained_checkpoint(client, app):
    """With the model card's recipe the run is the shipped one: its first weights are the 0-epoch checkpoint's
    (run to its end on the real MNIST, it gives weights/mnist.npz bit for bit on the machine that made it)."""
    untrained = next(c for c in app.extensions["cnnviz"].weights.checkpoints if c["epochs"] == 0)
    run_id = start(client, epochs=20, seed=0)
    client.post(f"/api/training/{run_id}", json={"action": "pause"})     # before its first batch
    wait_for(app, run_id, ("paused",))
    assert latest(app, run_id)["step"] == 0
    first = {k: decode(v) for k, v in latest(app, run_id)["weights"].items()}
    shipped = load_params(untrained["file"])
    assert all(np.array_equal(first[k], shipped[k]) for k in shipped)


def test_whole_runs_with_one_seed_give_identical_curves(client, app):
    runs = []
    for _ in range(2):
        events = finished(client, app, start(client, epochs=1, seed=5))
        runs.append(events[-1][1])
    assert runs[0]["weights"] == runs[1]["weights"] and runs[0]["confusion"] == runs[1]["confusion"]
    assert runs[0]["loss"] == runs[1]["loss"]


def test_trace_and_predict_answer_during_training_and_with_its_weights(client, app):
    run_id = start(client, epochs=100)
    wait(lambda: latest(app, run_id)["step"] > 0, what="training")
    pixels = {"pixels": np.eye(28).tolist()}
    for url in ("/api/predict", f"/api/predict?weights={run_id}", f"/api/trace?weights={run_id}"):
        t = time.monotonic()
        r = client.post(url, json=pixels)
        assert r.status_code == 200 and time.monotonic() - t < 1, url
    assert status(app, run_id) == "running"
    assert client.post("/api/predict?weights=run-0123456789abcdef", json=pixels).status_code == 404


def test_a_samples_trace_follows_the_run_as_it_moves_on(client, app):
    run_id = start(client, epochs=100)
    client.post(f"/api/training/{run_id}", json={"action": "pause"})
    wait_for(app, run_id, ("paused",))
    sample = client.get("/api/samples").json["samples"][0]["id"]
    url = f"/api/samples/{sample}/trace?weights={run_id}"
    before = client.get(url).get_data()
    steps_by_hand(client, app, run_id, 1)
    assert client.get(url).get_data() != before


def test_use_the_weights_after_the_run(client, app):
    run_id = start(client, epochs=1, seed=2)
    final = finished(client, app, run_id)[-1][1]
    r = client.post(f"/api/predict?weights={run_id}", json={"pixels": np.eye(28).tolist()})
    assert r.status_code == 200 and len(r.json["probabilities"]) == 10
    assert final["weights"]                                   # the shipped weights are untouched:
    assert client.post("/api/predict", json={"pixels": np.eye(28).tolist()}).json != r.json


@pytest.mark.parametrize("body, says", [
    ({"epochs": -1}, "epochs"), ({"epochs": 0}, "epochs"), ({"epochs": 1e9}, "epochs"), ({"epochs": 1.5}, "whole"),
    ({"batch_size": 0}, "batch_size"), ({"batch_size": 10 ** 6}, "batch_size"), ({"batch_size": "64"}, "number"),
    ({"learning_rate": 0}, "learning_rate"), ({"learning_rate": -0.1}, "learning_rate"),
    ({"learning_rate": None}, "number"), ({"seed": -3}, "seed"), ({"seed": True}, "number"),
    ({"epochs": 1, "colour": "red"}, "unknown"), ({"pixels": [[0.5] * 28] * 27}, "pixels"),
    ({"pixels": [[2] * 28] * 28}, "[0, 1]"), ({"epochs": float("inf")}, "number"), ({"seed": float("nan")}, "number"),
])
def test_bad_parameters_are_a_400_saying_what(client, body, says):
    r = client.post("/api/training", json={**SMALL, **body})
    assert r.status_code == 400 and says in r.json["error"]
    assert client.post("/api/training", json=[1, 2]).status_code == 400


def test_the_page_gets_defaults_limits_and_whether_it_may_train(client, app):
    r = client.get("/api/training").json
    assert r["defaults"] == {"epochs": 20, "batch_size": 64, "learning_rate": 0.02, "seed": 0}   # the card's recipe
    assert r["allowed"] is True and r["current"] is None and r["limits"]["batch_size"]["min"] == 1
    run_id = start(client, epochs=100)
    assert client.get("/api/training").json["current"] == run_id
    other = app.test_client()
    other.environ_base.update(ELSEWHERE)
    r = other.get("/api/training").json
    assert r["allowed"] is False and "teacher" in r["why"]


def test_unknown_run_is_a_404(client):
    for r in (client.get("/api/training/run-00/events"), client.post("/api/training/run-00", json={"action": "pause"}),
              client.delete("/api/training/run-00"), client.get("/api/training/nope")):
        assert r.status_code == 404 and "error" in r.json


def test_bad_action_is_a_400(client, app):
    run_id = start(client, epochs=100)
    assert client.post(f"/api/training/{run_id}", json={"action": "faster"}).status_code == 400


def test_another_machine_gets_403_a_teacher_may_train(client, app):
    other = app.test_client()
    other.environ_base.update(ELSEWHERE)
    r = other.post("/api/training", json=SMALL)
    assert r.status_code == 403 and "teacher" in r.json["error"]
    assert other.post("/api/training", json=SMALL, headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 403
    own = other.post("/api/classes", json={}).json                 # anyone may start a class, but its teacher
    r = other.post("/api/training", json={**SMALL, "class": own["code"]},  # may not train: only a class started
                   headers={"Authorization": f"Bearer {own['token']}"})     # on this machine carries that right
    assert r.status_code == 403
    cls = client.post("/api/classes", json={}).json                # the teacher's class, started on the laptop
    bearer = {"Authorization": f"Bearer {cls['token']}"}
    assert other.post("/api/training", json={**SMALL, "class": cls["code"]}, headers={
        "Authorization": "Bearer wrong"}).status_code == 403
    r = other.post("/api/training", json={**SMALL, "epochs": 100, "class": cls["code"]}, headers=bearer)
    assert r.status_code == 201
    run_id = r.json["id"]
    assert other.post(f"/api/training/{run_id}", json={"action": "pause"}).status_code == 403
    assert other.post(f"/api/training/{run_id}", json={"action": "pause"}, headers=bearer).status_code == 202
    assert other.get(f"/api/training/{run_id}").status_code == 200     # anyone may watch
    assert other.delete(f"/api/training/{run_id}", headers=bearer).status_code == 204


def test_a_run_started_on_this_machine_is_not_driven_by_a_teacher_elsewhere(client, app):
    run_id = start(client, epochs=100)                                    # started here: its "class" is null
    other = app.test_client()
    other.environ_base.update(ELSEWHERE)
    cls = other.post("/api/classes", json={}).json                        # anyone may start a class
    bearer = {"Authorization": f"Bearer {cls['token']}"}
    assert other.post(f"/api/training/{run_id}", json={"action": "pause", "class": cls["code"]},
                      headers=bearer).status_code == 403
    assert client.delete(f"/api/training/{run_id}").status_code == 204


@pytest.mark.parametrize("mode, local, teacher", [("teachers", 403, 201), ("nobody", 403, 403)])
def test_the_serve_option_decides_behind_a_proxy(data, mode, local, teacher, make_app):
    a = make_app(MNIST_DIR=str(data), TRAINING=mode)
    c = a.test_client()
    cls = c.post("/api/classes", json={}).json
    assert c.post("/api/training", json=SMALL).status_code == local
    bearer = {"Authorization": f"Bearer {cls['token']}"}
    r = c.post("/api/training", json={**SMALL, "class": cls["code"]}, headers=bearer)
    assert r.status_code == teacher
    if r.status_code == 201:
        wait_for(a, r.json["id"], ("complete",))


def test_without_mnist_the_error_names_get_mnist(tmp_path, make_app):
    a = make_app(MNIST_DIR=str(tmp_path))
    r = a.test_client().post("/api/training", json=SMALL)
    assert r.status_code == 424 and "cnnviz get-mnist" in r.json["error"]
    assert a.extensions["cnnviz"].store.get("training:current") is None
