"""Which weights a request traces with: the served model by default, or one of the shipped checkpoints by its id.

The model card (weights/mnist.json) lists the checkpoints of the shipped training run as
{"id", "epochs", "accuracy", "file"}, the file relative to the card, the untrained one first and the shipped
weights last. They are read when the app starts; each checkpoint's weights load on first use and stay, per process.
"""

from pathlib import Path

from flask import current_app

from ..cnn import Model, load_params
from ..cnn.weights import MODEL_CARD, model_card, read_checkpoints

from .errors import NotFound
from .training.weights import run_model

def init_app(app):
    """Read the app's model card (config MODEL_CARD, the shipped one by default) and its checkpoint list."""
    path = Path(app.config.get("MODEL_CARD") or MODEL_CARD)
    app.extensions["cnnviz.card"] = model_card(path)
    app.extensions["cnnviz.checkpoints"] = read_checkpoints(app.extensions["cnnviz.card"], path)
    app.extensions["cnnviz.models"] = {}       # id -> Model, filled on first use


def card():
    """The model card (architecture, accuracy, recipe, checkpoints) as a dict, {} if there is none."""
    return current_app.extensions["cnnviz.card"]


def checkpoints():
    """The checkpoints of the model card: [{"id", "epochs", "accuracy", "file"}, ...], in training order."""
    return current_app.extensions["cnnviz.checkpoints"]


def checkpoint_model(weights_id):
    """A shipped checkpoint's Model, loaded once per process; None if no checkpoint has this id."""
    loaded = current_app.extensions["cnnviz.models"]
    if weights_id not in loaded:
        found = next((c for c in checkpoints() if c["id"] == weights_id), None)
        if found is None:
            return None
        loaded[weights_id] = Model(load_params(found["file"]))
    return loaded[weights_id]


# Where weights come from besides the served model, asked in turn: id -> Model, or None when the id is not theirs.
SOURCES = (checkpoint_model, run_model)      # run_model: a live or finished training's, ids run-<hex>


def model_for(weights_id=None):
    """The Model to trace with: the served one for None, else the weights with this id; 404 for an unknown id."""
    if weights_id is None:
        return current_app.extensions["cnnviz.model"]
    for source in SOURCES:
        model = source(weights_id)
        if model is not None:
            return model
    ids = ", ".join(c["id"] for c in checkpoints()) or "none"
    raise NotFound(f"no weights with id '{weights_id}': the checkpoints are {ids} (GET /api/model lists them); "
                     "leave out ?weights= for the final weights")
