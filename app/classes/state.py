"""A class's state as the teacher's page sends it, validated field by field: nothing else gets through to the
students' pages, and every string is limited to characters that cannot carry markup or script."""

import base64
import binascii
import json
import re
import zlib

import numpy as np

from ...cnn import config as C

from ..errors import BadRequest

STAGES = C.STAGE_NAMES
BACKWARD = C.BACKWARD_NAMES
PACKED = re.compile(r"[A-Za-z0-9_.\-]{1,60000}")      # a link's packed strokes or pixels (base64url and ".")
SAMPLE = re.compile(r"[A-Za-z0-9_\-]{1,40}")          # a sample's id, e.g. test-00042
WEIGHTS = re.compile(r"[A-Za-z0-9_.\-]{1,64}")         # a checkpoint's or a training run's id
MAX_POS = 1_000_000      # positions within a stage (conv1 has 1,152)
MAX_SPEED = 31           # an index into the page's speeds
MAX_RECALL = 1_000_000   # "Bring everyone back" counts up
SOURCES = {"sample": SAMPLE, "strokes": PACKED, "pixels": PACKED}
DEFAULT = {"source": None, "stage": STAGES[0], "pos": 0, "playing": False, "speed": 0}
OPTIONAL = {"weights": "a checkpoint's or a training run's id",     # the weights the class's digit is read with
            "training": "a training run's id"}                      # a run the teacher trains, which followers watch
PACING = ("hold",        # true: every page follows, and "Explore on my own" waits until the teacher releases them
          "recall")      # +1 for each "Bring everyone back": a page exploring on its own follows again
FIELDS = (*DEFAULT, *OPTIONAL, "back", *PACING)
PIXELS = C.IMAGE_SIZE * C.IMAGE_SIZE
FLOAT32 = np.dtype("<f4")


def fail(message):
    raise BadRequest(f"bad class state: {message}")


def integer(value, name, top):
    if type(value) is not int or not 0 <= value <= top:
        fail(f"'{name}' must be a whole number from 0 to {top}")
    return value


def source(value):
    """null, or exactly one of {"sample": id}, {"strokes": packed}, {"pixels": packed}."""
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in SOURCES:
        fail("'source' must be null or one of {\"sample\": id}, {\"strokes\": packed}, {\"pixels\": packed}")
    (kind, text), = value.items()
    if not isinstance(text, str) or not SOURCES[kind].fullmatch(text):
        fail(f"'source.{kind}' must be a string of letters, digits, '-', '_' or '.'")
    return {kind: text}


def validate(body):
    """A parsed JSON body -> the state with every known field, or BadRequest naming what is wrong."""
    if not isinstance(body, dict):
        fail("expected a JSON object")
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        fail(f"unknown field '{unknown[0]}': the fields are {', '.join(FIELDS)}")
    state = {**DEFAULT, **body}
    if "back" in state:                 # the backward walk towards this label: its stages run from the loss back
        state["back"] = integer(state["back"], "back", C.NUM_CLASSES - 1)
    stages = BACKWARD if "back" in state else STAGES
    if state["stage"] not in stages:
        fail(f"'stage' must be one of {', '.join(stages)}")
    if type(state["playing"]) is not bool:
        fail("'playing' must be true or false")
    state["pos"] = integer(state["pos"], "pos", MAX_POS)
    state["speed"] = integer(state["speed"], "speed", MAX_SPEED)
    state["source"] = source(state["source"])
    for name, what in OPTIONAL.items():
        if name in state and not (isinstance(state[name], str) and WEIGHTS.fullmatch(state[name])):
            fail(f"'{name}' must be {what}")
    if "hold" in state and type(state["hold"]) is not bool:
        fail("'hold' must be true or false")
    if "recall" in state:
        state["recall"] = integer(state["recall"], "recall", MAX_RECALL)
    return state


def dumps(state):
    return json.dumps(state, separators=(",", ":"))


def unpack_pixels(text):
    """A digit's pixels packed as in the page's links (static/js/pack.js: "q.<deflated bytes>", each k/255;
    "z.<deflated float32>"; or, from older links, the float32 bytes themselves), base64url -> (28, 28) float32, or
    ValueError saying what is wrong."""
    kind, _, body = text.rpartition(".")
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if kind:
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)           # raw deflate, as CompressionStream writes
            data = inflate.decompress(data, PIXELS * FLOAT32.itemsize + 1)
    except (binascii.Error, zlib.error):
        raise ValueError("the pixels are not packed as the page packs them") from None
    if kind == "q" and len(data) == PIXELS:
        x = (np.frombuffer(data, np.uint8) / C.BYTE_MAX).astype(np.float32)     # as the page's toValues
    elif kind in ("z", "") and len(data) == PIXELS * FLOAT32.itemsize:
        x = np.frombuffer(data, FLOAT32).astype(np.float32)
    else:
        raise ValueError(f"the pixels must be {PIXELS} values, packed as the page packs them")
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise ValueError("the pixels must be numbers from 0 to 1")
    return x.reshape(C.IMAGE_SIZE, C.IMAGE_SIZE)
