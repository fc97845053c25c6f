"""POST /api/trace: the traced forward pass, streamed as NDJSON one stage per line."""

import threading
from contextlib import contextmanager

from flask import Blueprint, Response, current_app, request

from cnn.serialize import encode, ndjson_line, stage_json

from .body import read_input
from .errors import BadRequest

bp = Blueprint("api", __name__, url_prefix="/api")
# One trace at a time in each process: the GIL runs one anyway, and taking turns finishes each trace in a few ms
# instead of all of them late (under the server benchmark's load, 8 threads a worker: p99 125-148 -> 107-116 ms).
TURN = threading.Lock()
PATIENCE = 0.25   # seconds to wait for the turn; a turn held longer is stuck writing to a client that stopped
                  # reading (normally the wait is under 60 ms: 7 traces ahead at most), so go ahead without it


@contextmanager
def turn():
    """This process's compute turn, for a trace to compute and write its lines without sharing the GIL."""
    held = TURN.acquire(timeout=PATIENCE)
    try:
        yield
    finally:
        if held:
            TURN.release()


def read_body():
    """The request body, or 413 past the app's cap, with a Content-Length or chunked (which Werkzeug would
    silently cut at the cap)."""
    if request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        return request.get_data(cache=False)                  # Werkzeug answers 413 past the cap
    cap = current_app.config["MAX_CONTENT_LENGTH"]
    data = request.environ["wsgi.input"].read(cap + 1)
    if len(data) > cap:
        raise BadRequest(f"request body too large: at most {cap // (1024 * 1024)} MB", 413)
    return data


@bp.post("/trace")
def trace():
    """Stream one JSON line per stage (a preprocess line first), each as soon as it is computed."""
    data = read_body()                              # outside the turn: a slow upload never holds it
    with turn():
        x, steps = read_input(request.mimetype, data)                        # errors before streaming
    model = current_app.extensions["cnnviz.model"]

    def lines():
        with turn():    # released however the stream ends; writes fit the socket buffer (serve.SEND_BUFFER)
            yield from trace_lines(model, x, steps)

    return Response(lines(), mimetype="application/x-ndjson", headers={"Cache-Control": "no-store"})


def trace_lines(model, x, steps):
    """The preprocessing line, then one line per stage, each as soon as it is computed."""
    yield ndjson_line({"stage": "preprocess", "kind": "preprocess", "steps": [
        {"name": name, "caption": caption, "image": encode(img)} for name, caption, img in steps]})
    for stage in model.trace_stages(x):
        yield ndjson_line(stage_json(stage))
