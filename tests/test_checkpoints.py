"""The checkpoints of the shipped training run through the API: listed by /api/model, traced and predicted with
?weights=<id>, their parameters from /api/checkpoints/<id>; unknown ids are a 404 before anything streams."""

import numpy as np
import pytest

from cnnviz.cnn.weights import read_checkpoints
from cnnviz.cnn import config as C
from cnnviz.cnn import load_params
from cnnviz.cnn.serialize import decode
from cnnviz.cnn.weights import MODEL_CARD, WeightsError, model_card

from .test_api import canvas_png, stream

ONE = {"data": canvas_png(), "content_type": "image/png"}


@pytest.fixture(scope="module")
def listed(client):
    return client.get("/api/model").get_json()["checkpoints"]


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def files():
    """Checkpoint id -> its .npz, from the shipped model card."""
    return {c["id"]: MODEL_CARD.parent / c["file"] for c in model_card()["checkpoints"]}


def test_model_lists_the_checkpoints_untrained_first_final_last(client, listed):
    assert len(listed) >= 2
    for c in listed:
        assert set(c) == {"id", "epochs", "accuracy"}
        assert isinstance(c["id"], str) and c["id"]
        assert isinstance(c["epochs"], (int, float)) and 0 <= c["accuracy"] <= 1
    epochs = [c["epochs"] for c in listed]
    assert epochs[0] == 0 and epochs == sorted(epochs) and len(set(epochs)) == len(epochs)
    assert len({c["id"] for c in listed}) == len(listed)
    assert listed[0]["accuracy"] < 0.3 < 0.95 < listed[-1]["accuracy"]       # untrained: about chance
    assert listed[-1]["accuracy"] == client.get("/api/model").get_json()["test_accuracy"]


def test_the_last_checkpoint_is_the_shipped_weights(client, listed):
    final = client.get(f"/api/checkpoints/{listed[-1]['id']}").get_json()
    assert final["layers"] == client.get("/api/model").get_json()["layers"]


def test_checkpoint_parameters_are_its_files(client, listed):
    """GET /api/checkpoints/<id> has the listed epochs and accuracy and the file's every parameter."""
    for c in listed:
        doc = client.get(f"/api/checkpoints/{c['id']}").get_json()
        assert {k: doc[k] for k in ("id", "epochs", "accuracy")} == c
        params = load_params(files()[c["id"]])
        for key, value in params.items():
            layer, kind = key.split(".")
            np.testing.assert_array_equal(decode(doc["layers"][layer][kind]), value)
        assert sum(layer["parameters"] for layer in doc["layers"].values()) == C.PARAM_COUNT


def test_each_checkpoint_traces_with_its_own_weights(client, listed):
    """Every stage streams; the weights in the trace are the checkpoint's; the numbers differ from the final's."""
    final = stream(client.post("/api/trace", **ONE))
    for c in listed[:-1]:
        lines = stream(client.post(f"/api/trace?weights={c['id']}", **ONE))
        assert [line["name"] for line in lines] == ["preprocess", *C.STAGE_NAMES]
        np.testing.assert_array_equal(decode(lines[2]["params"]["weight"]), load_params(files()[c["id"]])["conv1.weight"])
        assert lines[1] == final[1]                                    # the same input...
        assert lines[-1]["probabilities"] != final[-1]["probabilities"]   # ... read with other weights
        assert lines[2]["output"] != final[2]["output"]
    last = stream(client.post(f"/api/trace?weights={listed[-1]['id']}", **ONE))
    assert last == final


@pytest.mark.parametrize("body", [ONE, {"json": {"pixels": np.random.default_rng(7).random((28, 28)).tolist()}}],
                         ids=["png", "pixels"])
def test_predict_with_a_checkpoint_is_its_traces_softmax(client, listed, body):
    for c in listed:
        p = client.post(f"/api/predict?weights={c['id']}", **body).get_json()
        softmax = stream(client.post(f"/api/trace?weights={c['id']}", **body))[-1]
        assert (p["prediction"], p["probabilities"]) == (softmax["prediction"], softmax["probabilities"])


@pytest.mark.parametrize("path", ["/api/trace?weights=epoch-999", "/api/predict?weights=epoch-999",
                                  "/api/trace?weights=", "/api/predict?weights=../mnist"])
def test_an_unknown_id_is_a_404_with_the_ids_that_exist(client, listed, path):
    r = client.post(path, headers={"Accept-Encoding": "gzip"}, **ONE)
    assert r.status_code == 404 and r.mimetype == "application/json" and "Content-Encoding" not in r.headers
    assert listed[0]["id"] in r.get_json()["error"] and "GET /api/model" in r.get_json()["error"]


def test_an_unknown_checkpoint_is_a_404(client):
    r = client.get("/api/checkpoints/epoch-999")
    assert r.status_code == 404 and "no weights with id 'epoch-999'" in r.get_json()["error"]


GOOD = {"id": "epoch-1", "epochs": 1, "accuracy": 0.9, "file": "mnist-checkpoints/epoch-1.npz"}


@pytest.fixture()
def card_path(tmp_path):
    """A model card's path beside the file GOOD names."""
    (tmp_path / GOOD["file"]).parent.mkdir()
    (tmp_path / GOOD["file"]).write_bytes(b"")
    return tmp_path / "mnist.json"


@pytest.mark.parametrize("entry, message", [
    ("mnist-checkpoints/epoch-00.npz", "must be an object with id, epochs, accuracy, file"),
    ({k: v for k, v in GOOD.items() if k != "accuracy"}, "must be an object with id, epochs, accuracy, file"),
    (GOOD | {"id": ""}, "id and file must be non-empty strings"),
    (GOOD | {"epochs": -1}, "epochs must be a number >= 0, got -1"),
    (GOOD | {"epochs": "1"}, "epochs must be a number >= 0, got '1'"),
    (GOOD | {"accuracy": 97.9}, "accuracy must be a fraction in [0, 1], got 97.9"),
    (GOOD | {"accuracy": True}, "accuracy must be a fraction in [0, 1], got True"),
    (GOOD | {"file": "mnist-checkpoints/epoch-9.npz"}, "its weights file"),
])
def test_a_bad_card_entry_says_what_is_wrong(card_path, entry, message):
    with pytest.raises(WeightsError) as e:
        read_checkpoints({"checkpoints": [entry]}, card_path)
    assert str(e.value).startswith(f"{card_path}: checkpoints[0]") and message in str(e.value)


@pytest.mark.parametrize("second, message", [(GOOD | {"epochs": 2}, "ids must be unique"),
                                             (GOOD | {"id": "epoch-0", "epochs": 0}, "in training order")])
def test_checkpoints_are_unique_and_in_training_order(card_path, second, message):
    with pytest.raises(WeightsError, match=message):
        read_checkpoints({"checkpoints": [GOOD, second]}, card_path)
