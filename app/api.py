"""POST /api/trace: the traced forward pass, streamed as NDJSON one stage per line (gzipped if accepted), and
GET /api/samples/<id>/trace, a shipped sample's, made once;
POST /api/predict: only the prediction, for the page while the pen moves. All three take ?weights=<id> (models.py)."""

from flask import Blueprint, request

from ..cnn.preprocess import preview
from ..cnn.serialize import encode, ndjson_line, numbers, stage_json

from .body import read_body, read_input
from .compressed import Compressed
from .info import find_sample, sample_pixels
from .models import model_for
from .parts import parts
from .streamed import ndjson

bp = Blueprint("api", __name__, url_prefix="/api")


def trace_lines(model, x, steps):
    """The trace's NDJSON lines, each made when asked for: the preprocessing steps, then one line per stage."""
    yield ndjson_line({"name": "preprocess", "kind": "preprocess", "steps": [
        {"name": name, "caption": caption, "image": encode(img)} for name, caption, img in steps]})
    for stage in model.trace_stages(x):
        yield ndjson_line(stage_json(stage))


@bp.post("/trace")
def trace():
    """Stream one JSON line per stage (a preprocess line first), each as soon as it is computed."""
    model = model_for(request.args.get("weights"))                            # errors before streaming
    body = read_body()
    return ndjson(model, body, (), lambda: trace_lines(model, *read_input(request.mimetype, body)))


@bp.get("/samples/<sample_id>/trace")
def sample_trace(sample_id):
    """A shipped sample's trace, the very lines POST /api/trace gives for its pixels, with its label in
    X-Sample-Label. Made once per process and weights and gzipped hard (a first visit's trace 60 KB on the wire,
    not 68 KB, and no request for the pixels first); a class of students opening the page costs one trace."""
    model = model_for(request.args.get("weights"))
    found = find_sample(sample_id)
    samples, key = parts().sample_traces, (sample_id, id(model))
    kept = samples.get(key, model) or samples.put(key, model, Compressed(   # by the model, not its weights id:
        b"".join(trace_lines(model, sample_pixels(found), [])), "application/x-ndjson"))   # a run's move on
    r = kept.response("no-cache")                   # revalidated: another --weights is another trace
    r.headers["X-Sample-Label"] = str(found["label"])
    return r


@bp.post("/predict")
def predict():
    """The same bodies as /api/trace -> the prediction, the ten probabilities (the trace's own softmax numbers)
    and what the network sees as bytes: about 1.4 KB, where a whole trace is 250 KB."""
    model = model_for(request.args.get("weights"))
    x, _ = read_input(request.mimetype, read_body())
    softmax = model.trace(x).stages[-1]
    return {"prediction": softmax.details["prediction"], "probabilities": numbers(softmax.output),
            "input": encode(preview(x))}, {"Cache-Control": "no-store"}
