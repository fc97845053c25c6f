"""An NDJSON response streamed a line at a time (gzipped if the client accepts it), kept in the worker's trace cache:
a class asking for the same digit's trace or backward walk at once costs one computation per worker."""

from flask import Response, request

from .gzipstream import GZIP_LEVEL, GZIP_STRATEGY, accepts_gzip, gzip_stream
from .parts import parts


def ndjson(model, body, extra, lines, level=GZIP_LEVEL, strategy=GZIP_STRATEGY):
    """The response for this request body and extra (whatever else changes the answer): lines() is called, and
    its lines sent as they come, only when this worker has not just sent the same with the same model."""
    gzipped = accepts_gzip(request)
    cache = parts().traces
    key = cache.key(body, request.mimetype, gzipped, *extra)
    kept = cache.get(key, model)
    if kept is None:
        chunks = cache.filling(key, model, gzip_stream(lines(), level, strategy) if gzipped else lines())
    else:
        chunks = iter(kept)                  # an iterator, so that it goes out chunked as every trace does
    r = Response(chunks, mimetype="application/x-ndjson", headers={"Cache-Control": "no-store"})
    if gzipped:
        r.headers["Content-Encoding"] = "gzip"
    r.vary.add("Accept-Encoding")
    return r
