"""GET /api/model, /api/checkpoints/<id> and /api/samples: everything the page would otherwise hard-code."""

import functools
import json
from pathlib import Path

import numpy as np
from flask import Blueprint

from ..cnn import config as C
from ..cnn.serialize import encode

from .compressed import Compressed
from .errors import NotFound
from .models import checkpoints, model_for
from .parts import parts

bp = Blueprint("info", __name__, url_prefix="/api")
SAMPLES = Path(__file__).resolve().parent / "samples" / "mnist-samples.npz"
CREDIT = ("MNIST test digits, from the MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. "
          "Burges, available under the Creative Commons Attribution-Share Alike 3.0 licence.")


def layers_json(params):
    """{"conv1.weight": array, ...} -> {"conv1": {"weight": encoded, "bias": encoded, "parameters": n}, ...}."""
    layers = {}
    for key, value in params.items():
        layer, kind = key.split(".")
        layers.setdefault(layer, {})[kind] = encode(value)
    for layer in layers.values():
        layer["parameters"] = sum(int(np.prod(v["shape"])) for v in layer.values())
    return layers


def checkpoint_info(c):
    """What the page shows of a checkpoint (not where its file is)."""
    return {"id": c["id"], "epochs": c["epochs"], "accuracy": c["accuracy"]}


def model_json(weights):
    """The served model's architecture, stages, parameters, accuracy, checkpoints and labels (a models.Weights) as
    one JSON-ready dict."""
    return {
        "stages": [{"name": n, "kind": k, "shape": list(s)} for n, k, s in C.STAGES],
        "layers": layers_json(weights.model.params),
        "parameters": C.PARAM_COUNT,
        "test_accuracy": weights.card.get("test_accuracy"),
        "checkpoints": [checkpoint_info(c) for c in weights.checkpoints],
        "class_labels": list(C.CLASS_LABELS),
        "image_size": C.IMAGE_SIZE,
        "digit_box": C.DIGIT_BOX,
        "pool": C.POOL,
    }


@functools.lru_cache(maxsize=1)
def load_samples(path=SAMPLES):
    """The shipped sample digits -> list of dicts with id, label, predicted and pixels (uint8 28x28)."""
    with np.load(path, allow_pickle=False) as f:
        images, labels, indices, predicted = f["images"], f["labels"], f["indices"], f["predicted"]
    return [{"id": f"test-{int(i):05d}", "index": int(i), "label": int(y), "predicted": int(p),
             "correct": bool(y == p), "image": img} for img, y, i, p in zip(images, labels, indices, predicted)]


class Documents:
    """The unchanging JSON, made once per app: /api/model, /api/samples, and what the page carries inline (/api/model
    and the sample a first visit opens, so that it costs no request)."""

    def __init__(self, weights):
        doc = model_json(weights)
        self.page = doc | {"first_sample": next((s["id"] for s in load_samples()), None)}
        self.model = compressed(doc)

    @functools.cached_property
    def samples(self):
        """/api/samples, gzipped on first use (54 ms at level 9: not on every worker's start, for the gallery)."""
        return compressed(samples_list())


def compressed(doc):
    return Compressed(json.dumps(doc, separators=(",", ":")).encode(), "application/json")


@bp.get("/model")
def model():
    return parts().documents.model.response()


@bp.get("/checkpoints/<weights_id>")
def checkpoint(weights_id):
    """One checkpoint's parameters, encoded as /api/model's "layers", with its epochs and accuracy."""
    model = model_for(weights_id)                                      # 404 for an unknown id
    info = next((checkpoint_info(c) for c in checkpoints() if c["id"] == weights_id), {"id": weights_id})
    return info | {"layers": layers_json(model.params)}


def samples_list():
    rows = [{k: v for k, v in s.items() if k != "image"} | {"image": encode(s["image"])} for s in load_samples()]
    return {"credit": CREDIT, "licence": "CC BY-SA 3.0", "samples": rows}


@bp.get("/samples")
def samples():
    return parts().documents.samples.response()


def find_sample(sample_id):
    """The shipped sample with this id, or a 404 that says where the ids are."""
    found = next((s for s in load_samples() if s["id"] == sample_id), None)
    if found is None:
        raise NotFound(f"no sample with id '{sample_id}': GET /api/samples lists them")
    return found


def sample_pixels(found):
    """A sample's 28x28 image as the network's float32 input, exactly as cnn.mnist loads it."""
    return found["image"].astype(np.float32) / np.float32(C.BYTE_MAX)


def page_json():
    """What the page needs before anything else, written into it: /api/model and the first visit's sample's id."""
    return parts().documents.page


@bp.get("/samples/<sample_id>")
def sample(sample_id):
    found = find_sample(sample_id)
    pixels = sample_pixels(found).tolist()
    return {k: v for k, v in found.items() if k != "image"} | {"pixels": pixels, "credit": CREDIT}
