"""POST /api/trace: the traced forward pass, streamed as NDJSON one stage per line (gzipped if accepted);
POST /api/predict: only the prediction, for the page while the pen moves."""

from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from cnn.preprocess import preview
from cnn.serialize import encode, ndjson_line, numbers, stage_json

from .body import body_cap, read_input, too_large
from .errors import BadRequest
from .gzipstream import accepts_gzip, gzip_stream

bp = Blueprint("api", __name__, url_prefix="/api")


def read_body():
    """The request body, or 413 past its cap (far smaller for JSON), before reading it when it has a
    Content-Length; a chunked body is read up to the cap (Werkzeug would silently cut it there)."""
    cap = body_cap(request.mimetype, current_app.config["MAX_CONTENT_LENGTH"])
    if request.content_length is not None and request.content_length > cap:
        raise too_large(request.mimetype, cap)
    try:
        if request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
            return request.get_data(cache=False)
        data = request.environ["wsgi.input"].read(cap + 1)
    except HTTPException:
        raise
    except Exception:          # the servers' own errors for a malformed or cut chunked body, or a hang-up
        raise BadRequest("the request body is malformed or incomplete") from None
    if len(data) > cap:
        raise too_large(request.mimetype, cap)
    return data


@bp.post("/trace")
def trace():
    """Stream one JSON line per stage (a preprocess line first), each as soon as it is computed."""
    x, steps = read_input(request.mimetype, read_body())                      # errors before streaming
    model = current_app.extensions["cnnviz.model"]

    def lines():
        yield ndjson_line({"stage": "preprocess", "kind": "preprocess", "steps": [
            {"name": name, "caption": caption, "image": encode(img)} for name, caption, img in steps]})
        for stage in model.trace_stages(x):
            yield ndjson_line(stage_json(stage))

    gzipped = accepts_gzip(request)
    r = Response(gzip_stream(lines()) if gzipped else lines(), mimetype="application/x-ndjson",
                 headers={"Cache-Control": "no-store"})
    if gzipped:
        r.headers["Content-Encoding"] = "gzip"
    r.vary.add("Accept-Encoding")
    return r


@bp.post("/predict")
def predict():
    """The same bodies as /api/trace -> the prediction, the ten probabilities (the trace's own softmax numbers)
    and what the network sees as bytes: about 1.4 KB, where a whole trace is 250 KB."""
    x, _ = read_input(request.mimetype, read_body())
    softmax = current_app.extensions["cnnviz.model"].trace(x).stages[-1]
    return {"prediction": softmax.details["prediction"], "probabilities": numbers(softmax.output),
            "input": encode(preview(x))}, {"Cache-Control": "no-store"}
