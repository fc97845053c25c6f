"""POST /api/export?format=gif|png|html[&stage=<name>][&pos=ROW,COL][&weights=<id>][&back=<label>]: the digit's
stage as a picture (PNG) or an animation (GIF) for slides, or the whole walk-through as one offline HTML file, to
download. The same bodies and ?weights= as /api/trace; ?back=<label>: the backward walk towards that label.

Drawing is CPU work on a gevent worker's one event loop: a GIF takes 0.1 to 1 s, the walk-through 0.2 to 0.6 s. So
each worker draws one export at a time, and between two frames of a GIF (two stages of the walk-through) lets every
other ready request go first (gevent.idle): a trace waits for one frame at most (benchmarks/export.py measures it).
A slow download holds no turn: the file is drawn whole, then sent."""

import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, request

from .. import frames
from ..cnn.model import LEARNING_RATE, check_backprop
from ..net import Backprop, Net, Trace

from .backprop import whole
from .body import read_body, read_input
from .errors import BadRequest, TooMany
from .models import model_for
from .parts import parts

bp = Blueprint("export", __name__, url_prefix="/api")
TYPES = {"gif": "image/gif", "png": "image/png", "html": "text/html; charset=utf-8"}
HOW = ("send ?format=gif|png|html[&stage=<a stage's name>][&pos=ROW,COL (a cell) or INDEX (flatten, dense, "
       "softmax)][&back=<the label 0-9>][&weights=<id>]")
WAITING = 32          # exports a worker holds at once, drawing or waiting to (each keeps its trace): past it, 429


def export_args(args):
    """The query's format, stage, position and backward label, checked before any work; 400 saying what to send."""
    fmt = args.get("format")
    if fmt not in TYPES:
        raise BadRequest(f"format must be one of {', '.join(TYPES)}, got {fmt!r}: {HOW}")
    label = None
    if "back" in args:
        try:
            label = check_backprop(whole(args["back"]), LEARNING_RATE, 1)[0]
        except ValueError as e:
            raise BadRequest(f"back: {e}: {HOW}") from None
    if fmt == "html":                                  # the whole walk-through: no one stage, no position
        return fmt, None, None, label
    stage, pos = args.get("stage", frames.DEFAULT_STAGE), args.get("pos")
    try:
        return fmt, stage, frames.check(stage, None if pos is None else frames.parse(pos), label is not None), label
    except ValueError as e:
        raise BadRequest(f"{e}: {HOW}") from None


def filename(trace, label, fmt, stage, pos):
    """cnnviz-7-conv1.gif, cnnviz-7-towards-3-conv1-4-5.png, cnnviz-7-walkthrough.html: the digit as read, the
    label walked towards, the stage and the position."""
    parts = ["cnnviz", str(trace.prediction)] + ([f"towards-{label}"] if label is not None else [])
    if fmt == "html":
        parts.append("walkthrough")
    else:
        parts += [stage, *map(str, pos if isinstance(pos, tuple) else () if pos is None else (pos,))]
    return "-".join(parts) + "." + fmt


def weights_name():
    """What the pictures say the weights are: the checkpoint asked for, or the served weights' file."""
    asked = request.args.get("weights")
    served = current_app.config["WEIGHTS"]
    return asked or (Path(served).stem if served else "shipped")


@bp.post("/export")
def export():
    """The file, with the name to save it under; drawn when the server asks for the body, out of the time limit on
    reading the request."""
    model = model_for(request.args.get("weights"))                            # errors before any work
    fmt, stage, pos, label = export_args(request.args)
    x, steps = read_input(request.mimetype, read_body())
    trace = Trace(model.trace(x), steps, Net(model, weights_name()))
    shown = trace if label is None else Backprop(model.backprop(x, label), trace)
    turn = parts().exports
    done = turn.enter()                                                       # 429 past WAITING, before drawing

    def made():
        try:
            with turn:                        # one export draws at a time; the file is sent after, not while held
                data = shown.export(fmt, stage, pos, turn.pause)
        finally:
            done()
        yield data
    name = filename(trace, label, fmt, stage, pos)
    r = Response(made(), content_type=TYPES[fmt],
                 headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
    r.call_on_close(done)                     # a client gone before the drawing began: its place is freed too
    return r


class Turns:
    """A worker's exports take turns, one drawing at a time, at most WAITING held; pause() lets the event loop
    serve everything else that is ready (gevent's, when the gevent workers patched this process)."""

    def __init__(self):
        import gevent
        from gevent import monkey
        self.pause = gevent.idle if monkey.is_module_patched("threading") else None
        self.drawing = threading.BoundedSemaphore(1)      # gevent's own when patched: waiting costs a greenlet
        self.held, self.count = threading.Lock(), 0

    def enter(self):
        """Hold a place, or 429 past WAITING; returns done(), which gives the place back (once, however often
        it is called)."""
        with self.held:
            if self.count >= WAITING:
                raise TooMany(f"this server is making {WAITING} exports already: try again in a moment")
            self.count += 1
        given = []

        def done():
            with self.held:
                if not given:
                    given.append(True)
                    self.count -= 1
        return done

    def __enter__(self):
        self.drawing.acquire()

    def __exit__(self, *exc):
        self.drawing.release()
