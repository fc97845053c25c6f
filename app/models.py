"""Which weights a request traces with: the served model by default, one of the shipped checkpoints by its id, or a
training run's (training/weights.py).

The model card (weights/mnist.json) lists the checkpoints of the shipped training run as
{"id", "epochs", "accuracy", "file"}, the file relative to the card, the untrained one first and the shipped
weights last. They are read when the app starts; each checkpoint's weights load on first use and stay, per process.
"""

from pathlib import Path

from ..cnn import Model, load_params
from ..cnn.weights import MODEL_CARD, model_card, read_checkpoints

from .errors import NotFound
from .parts import parts
from .tracecache import TraceCache
from .training.weights import run_model

RUN_MODELS = 8                      # training runs' models kept per worker: a page reads with one at a time


class Weights:
    """The served model, the model card and its checkpoints (each loaded once, on first use: at most their number),
    and the training runs' models (the last RUN_MODELS, each as of its latest step)."""

    def __init__(self, model, card_path=MODEL_CARD):
        card_path = Path(card_path)
        self.model = model
        self.card = model_card(card_path)                       # {} when there is none
        self.checkpoints = read_checkpoints(self.card, card_path)
        self.loaded = {}                                        # checkpoint id -> Model
        self.runs = TraceCache(RUN_MODELS)                      # run id -> Model, as of the run's step

    def checkpoint(self, weights_id):
        """A shipped checkpoint's Model; None if no checkpoint has this id."""
        if weights_id not in self.loaded:
            found = next((c for c in self.checkpoints if c["id"] == weights_id), None)
            if found is None:
                return None
            self.loaded[weights_id] = Model(load_params(found["file"]))
        return self.loaded[weights_id]


def card():
    """The model card (architecture, accuracy, recipe, checkpoints) as a dict, {} if there is none."""
    return parts().weights.card


def checkpoints():
    """The checkpoints of the model card: [{"id", "epochs", "accuracy", "file"}, ...], in training order."""
    return parts().weights.checkpoints


def model_for(weights_id=None):
    """The Model to trace with: the served one for None, else the weights with this id; 404 for an unknown id."""
    weights = parts().weights
    if weights_id is None:
        return weights.model
    model = weights.checkpoint(weights_id) or run_model(weights_id)   # run_model: a training's, ids run-<hex>
    if model is not None:
        return model
    ids = ", ".join(c["id"] for c in weights.checkpoints) or "none"
    raise NotFound(f"no weights with id '{weights_id}': the checkpoints are {ids} (GET /api/model lists them); "
                   "leave out ?weights= for the final weights")
