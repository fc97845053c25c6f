"""Loading parameter files: the shipped weights, a round trip, and bad files that must say what is wrong."""

import gc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cnnviz import cnn
from cnnviz.cnn import config as C
from cnnviz.app.cli import main
from cnnviz.cnn.train import init_params
from cnnviz.cnn.weights import DEFAULT_WEIGHTS, MODEL_CARD, WeightsError, load_params, model_card, save_params


@pytest.fixture
def params():
    return init_params(np.random.default_rng(0))


@pytest.fixture
def good_file(tmp_path, params):
    path = tmp_path / "good.npz"
    save_params(path, params)
    return path


def test_shipped_weights_load():
    """cnn.load_model() reads weights/mnist.npz: every parameter, float32, finite, 1,138 in all."""
    model = cnn.load_model()
    assert {k: v.shape for k, v in model.params.items()} == C.PARAM_SHAPES
    assert all(v.dtype == np.float32 and np.isfinite(v).all() for v in model.params.values())
    assert sum(v.size for v in model.params.values()) == C.PARAM_COUNT == 1138


def test_save_and_load_round_trip(good_file, params):
    """save_params then load_params gives back the same float32 arrays."""
    loaded = load_params(good_file)
    assert loaded.keys() == C.PARAM_SHAPES.keys()
    for k in C.PARAM_SHAPES:
        assert loaded[k].dtype == np.float32
        np.testing.assert_array_equal(loaded[k], params[k])
    model = cnn.load_model(good_file)
    np.testing.assert_array_equal(model.params["dense.bias"], params["dense.bias"])


def save_raw(path, arrays):
    """Write arrays to an .npz exactly as given (no checks, no casting)."""
    np.savez(path, **arrays)


def missing_file(path, params):
    pass


def random_bytes(path, params):
    path.write_bytes(np.random.default_rng(0).bytes(5000))


def truncated_npz(path, params):
    save_params(path, params)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def empty_file(path, params):
    path.write_bytes(b"")


def zip_of_text(path, params):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("conv1.weight.npy", "not an array")


def missing_key(path, params):
    save_raw(path, {k: v for k, v in params.items() if k != "conv2.bias"})


def wrong_shape(path, params):
    save_raw(path, {**params, "conv1.weight": np.zeros((2, 1, 3, 3), np.float32)})


def extra_key(path, params):
    save_raw(path, {**params, "dense.extra": np.zeros(3, np.float32)})


def nan_values(path, params):
    bias = params["dense.bias"].copy()
    bias[3] = np.nan
    save_raw(path, {**params, "dense.bias": bias})


def inf_values(path, params):
    save_raw(path, {**params, "conv2.weight": np.full((4, 2, 3, 3), np.inf, np.float32)})


def integer_values(path, params):
    save_raw(path, {**params, "conv1.bias": np.array([1, 2])})


def pickled_objects(path, params):
    weight = np.empty((2, 1, 5, 5), object)
    weight[...] = 0.5
    save_raw(path, {**params, "conv1.weight": weight})


# (maker, substrings the message must contain besides the file's path)
BAD_FILES = [
    (missing_file, ["not found"]),
    (random_bytes, []),
    (truncated_npz, []),
    (empty_file, []),
    (zip_of_text, []),
    (missing_key, ["'conv2.bias'", "(4,)"]),
    (wrong_shape, ["'conv1.weight'", "(2, 1, 3, 3)", "(2, 1, 5, 5)"]),
    (extra_key, ["dense.extra"]),
    (nan_values, ["'dense.bias'", "finite"]),
    (inf_values, ["'conv2.weight'", "finite"]),
    (integer_values, ["'conv1.bias'", "float"]),
    (pickled_objects, []),
]


@pytest.mark.parametrize("make, expected", BAD_FILES, ids=[m.__name__ for m, _ in BAD_FILES])
def test_bad_weights_raise_weights_error(tmp_path, params, make, expected):
    """Each bad file raises WeightsError naming the file and, where relevant, the key and shape."""
    path = tmp_path / "bad.npz"
    make(path, params)
    with pytest.raises(WeightsError) as excinfo:
        cnn.load_model(path)
    message = str(excinfo.value)
    del excinfo
    gc.collect()    # a leaked file handle warns here, in this test, not in a later one
    assert str(path) in message
    for part in expected:
        assert part in message


def test_weights_error_is_a_value_error():
    """Callers catching ValueError also catch WeightsError."""
    assert issubclass(cnn.WeightsError, ValueError)


@pytest.mark.parametrize("make", [missing_file, random_bytes, wrong_shape, nan_values],
                         ids=lambda m: m.__name__)
def test_cli_evaluate_with_bad_weights_exits_with_message(tmp_path, params, make, capsys):
    """`cnnviz evaluate --weights BAD` exits with a one-line message naming the file, no traceback."""
    path = tmp_path / "bad.npz"
    make(path, params)
    with pytest.raises(SystemExit) as excinfo:
        main(["evaluate", "--weights", str(path)])
    message = str(excinfo.value)
    assert message.startswith("cnnviz: ") and str(path) in message
    assert "Traceback" not in capsys.readouterr().err


# ---- the checkpoints of the shipped training run -------------------------------------------------

def card_checkpoints():
    return model_card()["checkpoints"]


def test_card_lists_the_checkpoints_in_training_order():
    """Untrained first, then by epochs (fractions of the first among them), the shipped weights last."""
    listed = card_checkpoints()
    epochs = [c["epochs"] for c in listed]
    assert epochs[0] == 0 and epochs == sorted(set(epochs)) and any(0 < e < 1 for e in epochs)
    assert epochs[-1] == model_card()["recipe"]["epochs"]
    for c in listed:
        assert set(c) >= {"id", "epochs", "accuracy", "file"} and c["id"] == f"epoch-{c['epochs']:g}"
        assert c["file"] == f"mnist-checkpoints/{c['id']}.npz" and 0 <= c["accuracy"] <= 1
        assert c["steps"] == round(c["epochs"] * model_card()["recipe"]["steps_per_epoch"])
    final = MODEL_CARD.parent / listed[-1]["file"]
    assert final.read_bytes() == DEFAULT_WEIGHTS.read_bytes()
    assert listed[-1]["accuracy"] == model_card()["test_accuracy"]
    on_disk = {p.name for p in (MODEL_CARD.parent / "mnist-checkpoints").glob("*.npz")}
    assert on_disk == {Path(c["file"]).name for c in listed}


@pytest.mark.parametrize("entry", card_checkpoints(), ids=lambda c: c["id"])
def test_each_listed_accuracy_is_what_evaluate_prints(entry, capsys):
    """`cnnviz evaluate --weights <file>` prints exactly the accuracy the card lists for that checkpoint."""
    main(["evaluate", "--weights", str(MODEL_CARD.parent / entry["file"])])
    assert capsys.readouterr().out.startswith(f"accuracy {entry['accuracy']:.4f} on 10,000 ")


def test_card_says_what_the_weights_were_made_with():
    """The numpy and BLAS of the run, and what "reproducible" means, are in the card."""
    card = model_card()
    assert card["made_with"]["numpy"].count(".") == 2 and card["made_with"]["blas"]
    assert "bit for bit" in card["reproducible"].lower() and "rounding" in card["reproducible"]
