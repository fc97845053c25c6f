"""Reading request bodies (capped, JSON or an image) and turning them into the network's 28x28 input, validating
everything at the edge."""

import json

import numpy as np
from flask import current_app, request
from werkzeug.exceptions import HTTPException

from ..cnn import config as C
from ..cnn.preprocess import FORMATS, EmptyImage, ImageError, ImageTooLarge, preprocess

from .errors import BadRequest, TooLarge, Unprocessable, UnsupportedType

IMAGE_TYPES = tuple(f"image/{f.lower()}" for f in FORMATS)     # image/png, image/jpeg, ...
JSON_TYPE = "application/json"
JSON_HELP = f'expected {{"pixels": [[...{C.IMAGE_SIZE} numbers in [0, 1]...] x {C.IMAGE_SIZE}]}}'
JSON_MAX_BODY = 64 * 1024      # bytes: 784 numbers at full float precision, even pretty-printed, take ~30 KB
IMAGE_ERRORS = ((ImageTooLarge, TooLarge), (EmptyImage, Unprocessable))   # any other ImageError (undecodable): 400


def reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def body_cap(content_type, cap):
    """The most bytes a body of this content type may have: a JSON body never needs more than JSON_MAX_BODY."""
    return min(cap, JSON_MAX_BODY) if content_type == JSON_TYPE else cap


def too_large(content_type, cap):
    """BadRequest 413 for a body over cap bytes."""
    if content_type == JSON_TYPE:
        return TooLarge(f"JSON body too large: at most {cap:,} bytes are accepted ({C.IMAGE_SIZE}x{C.IMAGE_SIZE} "
                          f"numbers need far fewer); {JSON_HELP}")
    return TooLarge(f"request body too large: at most {cap // (1024 * 1024)} MB")


def parse_pixels(data):
    """JSON bytes (at most JSON_MAX_BODY: api.read_body refuses more unread) -> (28, 28) float32, used as-is;
    BadRequest says what was wrong."""
    try:
        doc = json.loads(data, parse_constant=reject_constant, parse_int=float)   # 1e400 -> inf, refused below
    except RecursionError:
        raise BadRequest(f"JSON is nested too deeply; {JSON_HELP}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise BadRequest(f"invalid JSON ({e}); {JSON_HELP}") from None
    if not isinstance(doc, dict) or "pixels" not in doc:
        raise BadRequest(f"JSON must be an object with a 'pixels' key; {JSON_HELP}")
    rows = doc["pixels"]
    n = C.IMAGE_SIZE
    if not isinstance(rows, list) or len(rows) != n or any(not isinstance(r, list) or len(r) != n for r in rows):
        raise BadRequest(f"'pixels' must be {n} rows of {n} numbers; {JSON_HELP}")
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for r in rows for v in r):
        raise BadRequest(f"'pixels' must hold only numbers; {JSON_HELP}")
    x = np.array(rows, np.float64)
    if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
        raise BadRequest(f"'pixels' values must be finite and in [0, 1]; {JSON_HELP}")
    return x.astype(np.float32)


def read_input(content_type, data):
    """(mimetype, body bytes) -> (x (28, 28) float32, preprocessing steps or [])."""
    if not data:
        raise BadRequest("empty body: send an image (PNG, JPEG, WebP, GIF, BMP) or JSON " + JSON_HELP)
    if content_type == JSON_TYPE:
        return parse_pixels(data), []
    if content_type in IMAGE_TYPES:
        try:
            return preprocess(data)
        except ImageError as e:
            raise next((err for kind, err in IMAGE_ERRORS if isinstance(e, kind)), BadRequest)(str(e)) from None
    raise UnsupportedType(f"unsupported content type '{content_type or 'none'}': send one of "
                     f"{', '.join(IMAGE_TYPES)} or {JSON_TYPE}")


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


def json_body():
    """The request's JSON body (at most 64 KB), {} when empty; 415 for another type, 400 for bad JSON."""
    if request.content_length and request.mimetype != JSON_TYPE:
        raise UnsupportedType(f"send the body as {JSON_TYPE}")
    data = read_body()
    if not data.strip():
        return {}
    try:
        return json.loads(data)
    except ValueError:
        raise BadRequest("the body must be JSON") from None
