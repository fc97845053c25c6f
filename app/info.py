"""GET /api/model and /api/samples: everything the page would otherwise hard-code."""

import functools
import json
from pathlib import Path

import numpy as np
from flask import Blueprint, current_app

from cnn import config as C
from cnn.serialize import encode
from cnn.weights import model_card

from .compressed import Compressed
from .errors import BadRequest

bp = Blueprint("info", __name__, url_prefix="/api")
SAMPLES = Path(__file__).resolve().parent / "samples" / "mnist-samples.npz"
CREDIT = ("MNIST test digits, from the MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. "
          "Burges, available under the Creative Commons Attribution-Share Alike 3.0 licence.")


def model_json(model):
    """The architecture, stages, parameters, accuracy and labels as one JSON-ready dict."""
    card = model_card()
    layers = {}
    for key, value in model.params.items():
        layer, kind = key.split(".")
        layers.setdefault(layer, {})[kind] = encode(value)
    for layer in layers.values():
        layer["parameters"] = sum(int(np.prod(v["shape"])) for v in layer.values())
    return {
        "stages": [{"name": n, "kind": k, "shape": list(s)} for n, k, s in C.STAGES],
        "layers": layers,
        "parameters": C.PARAM_COUNT,
        "test_accuracy": card.get("test_accuracy"),
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


def cached(key, build):
    """A Compressed JSON body built once per app."""
    ext = current_app.extensions
    if key not in ext:
        ext[key] = Compressed(json.dumps(build(), separators=(",", ":")).encode(), "application/json")
    return ext[key]


@bp.get("/model")
def model():
    return cached("cnnviz.model_json", lambda: model_json(current_app.extensions["cnnviz.model"])).response()


def samples_list():
    rows = [{k: v for k, v in s.items() if k != "image"} | {"image": encode(s["image"])} for s in load_samples()]
    return {"credit": CREDIT, "licence": "CC BY-SA 3.0", "samples": rows}


@bp.get("/samples")
def samples():
    return cached("cnnviz.samples_json", samples_list).response()


@bp.get("/samples/<sample_id>")
def sample(sample_id):
    found = next((s for s in load_samples() if s["id"] == sample_id), None)
    if found is None:
        raise BadRequest(f"no sample with id '{sample_id}': GET /api/samples lists them", 404)
    pixels = (found["image"].astype(np.float32) / np.float32(C.BYTE_MAX)).tolist()   # exactly as cnn.mnist loads it
    return {k: v for k, v in found.items() if k != "image"} | {"pixels": pixels, "credit": CREDIT}
