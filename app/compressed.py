"""Responses for large, unchanging bodies: gzipped once at start-up, sent gzipped when accepted."""

import gzip
import hashlib

from flask import Response, request


class Compressed:
    """One body kept raw and gzipped, with a strong ETag."""

    def __init__(self, body, mimetype):
        self.raw, self.gz, self.mimetype = body, gzip.compress(body, 9, mtime=0), mimetype
        self.etag = hashlib.sha256(body).hexdigest()[:32]

    def response(self, max_age=3600):
        """The body for this request: 304 if unchanged, gzipped if the client accepts it."""
        if self.etag in request.if_none_match:
            r = Response(status=304)
        elif request.accept_encodings["gzip"] > 0:
            r = Response(self.gz, mimetype=self.mimetype, headers={"Content-Encoding": "gzip"})
        else:
            r = Response(self.raw, mimetype=self.mimetype)
        r.set_etag(self.etag)
        r.headers["Cache-Control"] = f"public, max-age={max_age}"
        r.vary.add("Accept-Encoding")
        return r
