"""POST /api/trace: the traced forward pass, streamed as NDJSON one stage per line."""

from flask import Blueprint, Response, current_app, request, stream_with_context

from cnn.serialize import encode, ndjson_line, stage_json

from .body import read_input

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.post("/trace")
def trace():
    """Stream one JSON line per stage (a preprocess line first), each as soon as it is computed."""
    x, steps = read_input(request.mimetype, request.get_data(cache=False))   # errors before streaming
    model = current_app.extensions["cnnviz.model"]

    def lines():
        yield ndjson_line({"stage": "preprocess", "kind": "preprocess", "steps": [
            {"name": name, "caption": caption, "image": encode(img)} for name, caption, img in steps]})
        for stage in model.trace_stages(x):
            yield ndjson_line(stage_json(stage))

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson",
                    headers={"Cache-Control": "no-store"})
