"""A training request's parameters, checked at the edge: what was wrong and what is expected, or a Recipe."""

import dataclasses
import json
import math
import numbers

from ...cnn.train import Recipe

from ..body import parse_pixels
from ..errors import BadRequest

MAX_EPOCHS = 100            # 20 is the shipped recipe; an epoch takes a few seconds
MAX_BATCH = 1024            # a batch's im2col columns grow with it: 1024 images take ~60 MB
MAX_LEARNING_RATE = 1.0     # Adam diverges long before this
MAX_SEED = 2 ** 32 - 1
FIELDS = {   # name -> (Recipe field, type, lowest, highest)
    "epochs": ("epochs", int, 1, MAX_EPOCHS),
    "batch_size": ("batch_size", int, 1, MAX_BATCH),
    "learning_rate": ("max_lr", float, 0.0, MAX_LEARNING_RATE),
    "seed": ("seed", int, 0, MAX_SEED),
}
OTHER_KEYS = {"pixels", "class"}


def defaults(card):
    """{field: default}: the model card's recipe where it has one, else cnn.train.Recipe's."""
    recipe = {**dataclasses.asdict(Recipe()), **(card or {}).get("recipe", {})}
    return {name: recipe[field] for name, (field, *_) in FIELDS.items()}


def number(name, value, kind, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise BadRequest(f"'{name}' must be a number, got {json.dumps(value)}")
    if kind is int and value != int(value):
        raise BadRequest(f"'{name}' must be a whole number, got {value}")
    value = kind(value)
    if not (low < value if kind is float else low <= value) or value > high:
        above = f"above {low}" if kind is float else f"at least {low}"
        raise BadRequest(f"'{name}' must be {above} and at most {high}, got {value}")
    return value


def parse(body, card=None):
    """A POST /api/training body -> ({epochs, batch_size, learning_rate, seed}, pixels (28, 28) float32 or None)."""
    if not isinstance(body, dict):
        raise BadRequest('expected a JSON object like {"epochs": 1, "batch_size": 64, "learning_rate": 0.02, '
                         '"seed": 0}')
    unknown = set(body) - set(FIELDS) - OTHER_KEYS
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(sorted(unknown))}: expected "
                         f"{', '.join([*FIELDS, *sorted(OTHER_KEYS)])}")
    chosen = defaults(card)
    for name, (_, kind, low, high) in FIELDS.items():
        if name in body:
            chosen[name] = number(name, body[name], kind, low, high)
    pixels = None
    if body.get("pixels") is not None:          # the page's digit, as /api/trace takes it: 28 rows of 28 in [0, 1]
        pixels = parse_pixels(json.dumps({"pixels": body["pixels"]}).encode())
    return chosen, pixels


def recipe(chosen):
    """The Recipe for a run's checked parameters (the schedule's other settings as the shipped weights had)."""
    return Recipe(epochs=chosen["epochs"], batch_size=chosen["batch_size"], max_lr=chosen["learning_rate"],
                  seed=chosen["seed"])
