"""POST /api/backprop?label=<0-9>[&learning_rate=<x>][&steps=<n>]: the backward walk of one image towards its true
label, streamed as NDJSON one line per stage as it is computed (gzipped if accepted): the loss, softmax back to the
input, then the SGD step. The same bodies and ?weights= as /api/trace."""

import zlib

from flask import Blueprint, request

from ..cnn.model import LEARNING_RATE, check_backprop
from ..cnn.serialize import backprop_json, ndjson_line

from .body import read_body, read_input
from .errors import BadRequest
from .models import model_for
from .streamed import ndjson

bp = Blueprint("backprop", __name__, url_prefix="/api")
HOW = "send ?label=<the true digit 0-9>[&learning_rate=<a number>][&steps=<a count>]"
# Full matching, not the trace's run-length only: a walk's running sums repeat row after row (729 KB plain:
# 93 KB at level 1 against 193 KB run-length only), and a walk is asked once per label, not while the pen moves.
GZIP_LEVEL, GZIP_STRATEGY = 1, zlib.Z_DEFAULT_STRATEGY


def walk_args(args):
    """The query's label, learning_rate and steps, as the engine checks them; 400 saying what to send."""
    if "label" not in args:
        raise BadRequest(f"label is missing: {HOW}")
    try:
        return check_backprop(whole(args["label"]), number(args.get("learning_rate", str(LEARNING_RATE))),
                              whole(args.get("steps", "1")))
    except ValueError as e:
        raise BadRequest(f"{e}: {HOW}") from None


def number(text):
    """A query's number, or the text as it was (the engine's check then says what is allowed)."""
    try:
        return float(text)
    except ValueError:
        return text


def whole(text):
    """A query's whole number, or the text as it was (the engine's check then says what is allowed)."""
    return int(text) if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()) else text


@bp.post("/backprop")
def backprop():
    """Stream the loss, every stage's gradients from softmax back to the input, and the step, one line each."""
    model = model_for(request.args.get("weights"))                            # errors before streaming
    label, rate, steps = walk_args(request.args)
    body = read_body()
    return ndjson(model, body, ("backprop", label, rate, steps),
                  lambda: walk_lines(model, read_input(request.mimetype, body)[0], label, rate, steps),
                  GZIP_LEVEL, GZIP_STRATEGY)


def walk_lines(model, x, label, rate, steps):
    """The walk's NDJSON lines, each made when asked for."""
    for item in model.backprop_stages(x, label, rate, steps):
        yield ndjson_line(backprop_json(item))
