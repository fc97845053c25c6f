"""The runner in this process: it stops when nobody watches, frees its claim when it ends, reports a held-out
accuracy a few times per epoch, and a failure reaches the page."""

import json
import time
import uuid

import numpy as np
import pytest

from cnnviz.app.store import open_store
from cnnviz.app.training import keys, progress, runner
from cnnviz.cnn import mnist

from .trainingdata import write_small_mnist

PARAMS = {"epochs": 50, "batch_size": 64, "learning_rate": 0.02, "seed": 0}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return write_small_mnist(tmp_path_factory.mktemp("mnist"))


@pytest.fixture(params=["embedded", "redis"])
def store(request, tmp_path):
    """Each backend in turn: runs live where classes live."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}" if request.param == "embedded" else request.getfixturevalue(
        "redis_url")
    s = open_store(url)
    s.url = url
    yield s
    s.close()


def new_run(store, **params):
    run_id = f"run-{uuid.uuid4().hex[:16]}"
    assert store.claim(keys.CURRENT, run_id, keys.CLAIM_SECONDS)
    store.put(keys.meta(run_id), json.dumps({"id": run_id, "params": {**PARAMS, **params}, "class": None,
                                             "status": "starting", "pixels": None}), keys.KEEP_SECONDS)
    return run_id


def test_nobody_watching_stops_the_run_and_frees_the_claim(store, data, monkeypatch):
    monkeypatch.setattr(runner, "IDLE_SECONDS", 0.3)
    monkeypatch.setattr(runner, "HEARTBEAT_SECONDS", 0.05)
    run_id = new_run(store)
    r = runner.Runner(store, run_id, data)
    r.run()
    last = json.loads(store.get(keys.latest(run_id)))
    assert last["done"] and last["reason"] == "nobody watched" and last["step"] < 50 * 20
    assert store.get(keys.CURRENT) is None
    assert json.loads(store.get(keys.meta(run_id)))["status"] == "stopped"


def test_a_watcher_keeps_it_going(store, data, monkeypatch):
    monkeypatch.setattr(runner, "IDLE_SECONDS", 0.3)
    monkeypatch.setattr(runner, "HEARTBEAT_SECONDS", 0.05)
    run_id = new_run(store, epochs=3)
    store.set_presence(keys.topic(run_id), "a-worker", {keys.WATCHING: 1}, time.time())
    runner.Runner(store, run_id, data).run()
    last = json.loads(store.get(keys.latest(run_id)))
    assert last["reason"] == "complete" and last["step"] == 3 * 20


def test_held_out_accuracy_a_few_times_per_epoch(store, data):
    run_id = new_run(store, epochs=2)
    runner.Runner(store, run_id, data).run()
    points = [json.loads(p) for p in store.items(keys.history(run_id))]
    held = [p["step"] for p in points if "held_out" in p]
    assert held == [5, 10, 15, 20, 25, 30, 35, 40]          # 20 steps per epoch, 4 times per epoch
    assert progress.held_out_steps(938) == {234, 469, 704, 938}


def test_missing_mnist_fails_loudly_and_frees_the_claim(store, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "lower_priority", lambda: None)    # not this test process
    run_id = new_run(store)
    with pytest.raises(Exception, match="get-mnist"):
        runner.main(["--store", store.url, "--id", run_id, "--data", str(tmp_path)])
    assert store.get(keys.CURRENT) is None
    assert json.loads(store.get(keys.meta(run_id)))["status"] == "failed"
    last = json.loads(store.get(keys.latest(run_id)))               # what a page connecting later is told
    assert last["done"] and last["status"] == "failed" and "get-mnist" in last["error"]


def test_images_scaled_per_batch_are_the_bits_mnist_load_gives(data):
    scaled, labels = runner.load_bytes(data, "train")
    images, expected = mnist.load(data, "train")
    idx = np.array([3, 0, 1279, 17])
    assert scaled[idx].dtype == np.float32 and np.array_equal(scaled[idx], images[idx])
    assert len(scaled) == len(images) and np.array_equal(labels, expected)
