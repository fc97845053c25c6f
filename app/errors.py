"""Every error as JSON {"error": ...} with its 4xx status (503 while the store does not answer), and the security
headers on every response (the CSP on all but scripts and stylesheets)."""

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from .store import Refused, Unreachable

# Scripts only from this server (no inline scripts). Plotly sets inline styles and draws heatmaps as data: images,
# hence style-src 'unsafe-inline' and img-src data: blob:; nothing is loaded from another origin.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
# A browser applies a CSP only to documents (and workers): on the page's 30-odd modules and its stylesheet it was
# 8 KB of a first visit's headers. They keep nosniff, which makes a browser refuse a script of the wrong type.
SUBRESOURCES = {"text/javascript", "text/css"}
MESSAGES = {   # what the client should do differently, by status
    404: "no such page or API endpoint",
    405: "method not allowed here",
    413: "request body too large: at most {limit} MB",
    415: "unsupported content type",
}


class ApiError(Exception):
    """A request the client must change: carries the message; its class names the 4xx status."""
    status = 400


class BadRequest(ApiError):
    """400: malformed, or a value that is not allowed."""


class Unauthorized(ApiError):
    """401: it needs a credential (the class's token) and has none."""
    status = 401


class Forbidden(ApiError):
    """403: this caller may not do this."""
    status = 403


class NotFound(ApiError):
    """404: no such class, training, sample or weights."""
    status = 404


class Conflict(ApiError):
    """409: not in this thing's present state (a training under way, or finished)."""
    status = 409


class TooLarge(ApiError):
    """413: a body or image past its budget."""
    status = 413


class UnsupportedType(ApiError):
    """415: a body of a type this endpoint does not take."""
    status = 415


class Unprocessable(ApiError):
    """422: well-formed, but nothing to read (a blank drawing)."""
    status = 422


class MissingData(ApiError):
    """424: the server lacks what this needs (MNIST)."""
    status = 424


class TooMany(ApiError):
    """429: a limit of this caller's reached: try later."""
    status = 429


def register(app):
    """Install the JSON error handlers and the header hook on app."""

    @app.errorhandler(ApiError)
    def api_error(e):
        return jsonify(error=str(e)), e.status

    @app.errorhandler(Refused)
    def refused(e):                     # a limit of the store's or the hub's: try later
        return jsonify(error=str(e)), 429

    @app.errorhandler(Unreachable)
    def unreachable(e):                 # the class store (Redis) is down for a moment: the server itself is fine
        return jsonify(error=str(e)), 503, {"Retry-After": "5"}

    @app.errorhandler(HTTPException)
    def http_error(e):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        message = MESSAGES.get(e.code, e.description or e.name).format(limit=limit)
        if e.code == 405:
            message += f": {request.path} accepts {', '.join(sorted(e.valid_methods or []))}"
        response = jsonify(error=message)
        response.status_code = e.code if e.code < 500 else 500
        if e.code == 405 and e.valid_methods:
            response.headers["Allow"] = ", ".join(e.valid_methods)
        return response

    @app.after_request
    def headers(response):
        if response.mimetype not in SUBRESOURCES:
            response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
