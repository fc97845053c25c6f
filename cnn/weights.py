"""Reading and writing parameter files (.npz, the torch.nn layout), with errors that name the problem."""

import json
import math
import numbers
from pathlib import Path

import numpy as np

from . import config as C

HERE = Path(__file__).resolve().parent
WEIGHTS_DIR = HERE / "trained" if (HERE / "trained").is_dir() else HERE.parent / "weights"   # wheel, checkout
DEFAULT_WEIGHTS = WEIGHTS_DIR / "mnist.npz"
MODEL_CARD = WEIGHTS_DIR / "mnist.json"


class WeightsError(ValueError):
    """A weights file that is missing, unreadable, or has a wrong key or shape."""


def load_params(path=DEFAULT_WEIGHTS):
    """Path of an .npz -> dict of float32 arrays, checked against config.PARAM_SHAPES."""
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{path}: weights file not found")
    try:
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as f:   # fh closes even if np.load fails
            arrays = {k: read_key(f, k, path) for k in f.files}
    except WeightsError:
        raise
    except Exception as e:
        raise WeightsError(f"{path}: not a readable .npz weights file ({e})") from None
    params = {}
    for key, shape in C.PARAM_SHAPES.items():
        if key not in arrays:
            raise WeightsError(f"{path}: missing key '{key}' (expected shape {shape})")
        a = arrays[key]
        if not isinstance(a, np.ndarray):
            raise WeightsError(f"{path}: key '{key}' is not an array (expected shape {shape})")
        if a.shape != shape:
            raise WeightsError(f"{path}: key '{key}' has shape {a.shape}, expected {shape}")
        if not np.issubdtype(a.dtype, np.floating):
            raise WeightsError(f"{path}: key '{key}' must hold floats, got {a.dtype}")
        if not np.isfinite(a).all():
            raise WeightsError(f"{path}: key '{key}' holds NaN or infinite values")
        params[key] = a.astype(np.float32)
    extra = sorted(set(arrays) - set(C.PARAM_SHAPES))
    if extra:
        raise WeightsError(f"{path}: unexpected keys {extra}; expected {sorted(C.PARAM_SHAPES)}")
    return params


def read_key(npz, key, path):
    """One array of an open .npz, or a WeightsError naming the key (e.g. a pickled object array)."""
    try:
        return npz[key]
    except ValueError as e:
        raise WeightsError(f"{path}: key '{key}' cannot be read ({e})") from None


def save_params(path, params):
    """Write params as float32 arrays to an .npz (loadable with allow_pickle=False)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{k: np.asarray(params[k], np.float32) for k in C.PARAM_SHAPES})


def model_card(path=MODEL_CARD):
    """The shipped model card (architecture, accuracy, recipe) as a dict, or {} if absent."""
    path = Path(path)
    return json.loads(path.read_text()) if path.is_file() else {}


CHECKPOINT_FIELDS = ("id", "epochs", "accuracy", "file")


def read_checkpoints(card, card_path):
    """A model card's "checkpoints" -> list of dicts with CHECKPOINT_FIELDS, file an absolute Path; WeightsError
    says what is wrong with an entry."""
    entries = card.get("checkpoints", [])
    found = []
    for i, c in enumerate(entries):
        where = f"{card_path}: checkpoints[{i}]"
        if not isinstance(c, dict) or set(CHECKPOINT_FIELDS) - set(c):
            raise WeightsError(f"{where} must be an object with {', '.join(CHECKPOINT_FIELDS)}, got {c!r}")
        if not isinstance(c["id"], str) or not c["id"] or not isinstance(c["file"], str):
            raise WeightsError(f"{where}: id and file must be non-empty strings")
        for key, top, expected in (("epochs", math.inf, "a number >= 0"), ("accuracy", 1, "a fraction in [0, 1]")):
            if isinstance(c[key], bool) or not isinstance(c[key], numbers.Real) or not 0 <= c[key] <= top:
                raise WeightsError(f"{where}: {key} must be {expected}, got {c[key]!r}")
        file = card_path.parent / c["file"]
        if not file.is_file():
            raise WeightsError(f"{where}: its weights file {file} is missing")
        found.append({"id": c["id"], "epochs": c["epochs"], "accuracy": c["accuracy"], "file": file})
    if len({c["id"] for c in found}) < len(found):
        raise WeightsError(f"{card_path}: checkpoint ids must be unique")
    if any(a["epochs"] >= b["epochs"] for a, b in zip(found, found[1:])):
        raise WeightsError(f"{card_path}: checkpoints must be in training order, fewest epochs first")
    return found
