"""POST /api/trace: the traced forward pass, streamed as NDJSON one stage per line."""

from flask import Blueprint, Response, current_app, request

from cnn.serialize import encode, ndjson_line, stage_json

from .body import body_cap, read_input, too_large

bp = Blueprint("api", __name__, url_prefix="/api")


def read_body():
    """The request body, or 413 past its cap (far smaller for JSON), before reading it when it has a
    Content-Length; a chunked body is read up to the cap (Werkzeug would silently cut it there)."""
    cap = body_cap(request.mimetype, current_app.config["MAX_CONTENT_LENGTH"])
    if request.content_length is not None and request.content_length > cap:
        raise too_large(request.mimetype, cap)
    if request.content_length is not None or not request.environ.get("wsgi.input_terminated"):
        return request.get_data(cache=False)
    data = request.environ["wsgi.input"].read(cap + 1)
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

    return Response(lines(), mimetype="application/x-ndjson", headers={"Cache-Control": "no-store"})
