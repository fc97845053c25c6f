"""Responses for unchanging bodies: gzipped once when made, sent gzipped when accepted, one ETag each."""

import gzip
import hashlib

from flask import Response, request

from .gzipstream import accepts_gzip

GZIP_LEVEL = 9   # made once per process (the page, a sample's trace): the smallest, its cost paid once


class Compressed:
    """One body kept raw and gzipped, each representation with its own strong ETag."""

    def __init__(self, body, mimetype, gz=None):
        """gz: the body already gzipped (by a better compressor than zlib), checked to unpack to body."""
        if gz is not None and gzip.decompress(gz) != body:
            raise ValueError(f"the gzipped copy of a {mimetype} body does not unpack to it: make it again")
        self.raw, self.gz, self.mimetype = body, gz or gzip.compress(body, GZIP_LEVEL, mtime=0), mimetype
        self.etag = hashlib.sha256(body).hexdigest()[:32]

    def response(self, cache_control="public, max-age=3600"):
        """The body for this request: 304 if the client has it (weak comparison), gzipped if accepted."""
        gzipped = accepts_gzip(request)
        etag = f"{self.etag}-gz" if gzipped else self.etag
        if request.if_none_match.contains_weak(etag):
            r = Response(status=304)
        elif gzipped:
            r = Response(self.gz, mimetype=self.mimetype, headers={"Content-Encoding": "gzip"})
        else:
            r = Response(self.raw, mimetype=self.mimetype)
        r.set_etag(etag)
        r.headers["Cache-Control"] = cache_control
        r.vary.add("Accept-Encoding")
        return r
