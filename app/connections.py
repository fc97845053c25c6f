"""Connection hygiene for the gevent servers: time limits on reading requests, and the server's own errors
(an oversized header or URL) as JSON like the rest of the API."""

import json
import socket
import sys
from http.client import HTTPException
from http import HTTPStatus

import gevent
from gevent.pywsgi import WSGIHandler

HEADER_SECONDS = 10   # a request's line and headers must arrive within this, and an idle keep-alive ends
BODY_SECONDS = 20     # a request's body must arrive within this (8 MB at 3.2 Mbit/s, a poor phone link)
STALL_SECONDS = BODY_SECONDS + 10   # gevent's own server: the longest any read or write may wait (after the 408)
DRAIN_MAX = 32 * 1024 * 1024   # bytes of a refused body read and dropped before answering; beyond, just close
DRAIN_CHUNK = 64 * 1024
DRAIN_SECONDS = 5    # how long a refused body is read and dropped before the answer goes out
LINGER_SECONDS = 1    # how long a refused connection is read and dropped before it closes


REFUSED = {400: "the request line or headers are malformed, too large, or did not arrive in time",
           414: "the URL is too long"}


class TooSlow(BaseException):
    """A request body that did not arrive in time; BaseException so the app's handlers cannot swallow it."""


def with_body_deadline(app):
    """WSGI middleware: a request the app is still reading after BODY_SECONDS gets 408, and the unread rest of
    a refused body (413) is read and dropped, so the client can read the answer instead of a reset connection.

    Only the app call is timed (it reads the body before returning), not the streaming of its response."""
    def timed(environ, start_response):
        # Before work that costs CPU (a POST: a trace or a prediction), wait until the worker has served every
        # connection that is ready: a client that asks again at once would otherwise keep its worker. With 32
        # connections tracing on 2 workers, p99 was 1.3 s with no yield and 117 ms with it. Cheap GETs (the
        # page, its files, /api/model) are answered at once.
        if environ["REQUEST_METHOD"] == "POST":
            gevent.idle()
        status = []

        def start(line, headers, exc_info=None):
            status.append(line)
            return start_response(line, headers, exc_info)

        try:
            with gevent.Timeout(BODY_SECONDS, TooSlow):
                body = app(environ, start)
        except TooSlow:     # replaces an answer the app may have begun but not sent
            start_response("408 Request Timeout", [("Content-Type", "application/json")],
                           sys.exc_info() if status else None)
            return [json_error(f"the request body did not arrive within {BODY_SECONDS} s")]
        if status and status[-1].startswith("413") and drainable(environ):
            with gevent.Timeout(DRAIN_SECONDS, False):      # past it, the answer goes out all the same
                while environ["wsgi.input"].read(DRAIN_CHUNK):
                    pass
        return body
    return timed


def drainable(environ):
    """Whether a refused body is small enough to read and drop (chunked bodies are read up to the cap anyway)."""
    length = environ.get("CONTENT_LENGTH") or ""
    return length.isdigit() and int(length) <= DRAIN_MAX


def json_error(message):
    return json.dumps({"error": message}).encode()


def raw_json_error(status, reason, message):
    """A whole HTTP response, status line to body, with a JSON error."""
    body = json_error(message or reason)
    return (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1") + body


def write_json_error(sock, status, reason, message):
    """gunicorn's util.write_error, answering JSON instead of an HTML page, then closing gently: what the client
    is still sending is read and dropped for a moment, so its kernel does not reset the answer away."""
    sock.sendall(raw_json_error(status, reason, message))
    sock.shutdown(socket.SHUT_WR)
    with gevent.Timeout(LINGER_SECONDS, False):
        while sock.recv(DRAIN_CHUNK):
            pass


def gunicorn_worker():
    """gunicorn's gevent worker, answering its own errors (400, 414, 431) as JSON."""
    from gunicorn import util
    from gunicorn.workers.ggevent import GeventWorker

    class JsonErrorWorker(GeventWorker):
        def init_process(self):
            util.write_error = write_json_error       # in this worker process only, after the fork
            super().init_process()

    return JsonErrorWorker


class TimedHandler(WSGIHandler):
    """gevent.pywsgi's handler (the server on Windows) with the same time limits: the request line and headers
    within HEADER_SECONDS, and no read or write waiting more than STALL_SECONDS (gevent's server reads and drops
    what is left of a body after the answer, with no limit of its own)."""

    def handle(self):
        self.socket.settimeout(STALL_SECONDS)
        return super().handle()

    def read_requestline(self):
        with gevent.Timeout(HEADER_SECONDS, socket.timeout):
            return super().read_requestline()

    def read_request(self, raw_requestline):
        """As gevent's; a timeout or too many headers is a plain 400 (gevent prints a traceback for those)."""
        try:
            with gevent.Timeout(HEADER_SECONDS, socket.timeout):
                return super().read_request(raw_requestline)
        except (OSError, HTTPException) as e:
            raise ValueError(str(e) or type(e).__name__) from None

    def handle_one_request(self):
        """As gevent's, but a request refused before the app saw it (400, 414) is answered in JSON."""
        result = super().handle_one_request()
        if isinstance(result, tuple):
            status = int(result[0])
            return result[0], raw_json_error(status, HTTPStatus(status).phrase, REFUSED.get(status, ""))
        return result
