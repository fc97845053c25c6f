"""Connection hygiene for the gevent servers: time limits on reading requests, and the server's own errors
(an oversized header or URL) as JSON like the rest of the API."""

import json
import socket
from http import HTTPStatus

import gevent
from gevent.pywsgi import WSGIHandler

HEADER_SECONDS = 10   # a request's line and headers must arrive within this, and an idle keep-alive ends
BODY_SECONDS = 20     # a request's body must arrive within this (8 MB at 3.2 Mbit/s, a poor phone link)
DRAIN_MAX = 32 * 1024 * 1024   # bytes of a refused body read and dropped before answering; beyond, just close
DRAIN_CHUNK = 64 * 1024
LINGER_SECONDS = 1    # how long a refused connection is read and dropped before it closes


REFUSED = {400: "the request line or headers are malformed or too large", 414: "the URL is too long"}


class TooSlow(BaseException):
    """A request body that did not arrive in time; BaseException so the app's handlers cannot swallow it."""


def with_body_deadline(app):
    """WSGI middleware: a request the app is still reading after BODY_SECONDS gets 408, and the unread rest of
    a refused body (413) is read and dropped, so the client can read the answer instead of a reset connection.

    Only the app call is timed (it reads the body before returning), not the streaming of its response."""
    def timed(environ, start_response):
        status = []
        # Wait until the worker has served every connection that is ready: a client that asks again at once would
        # otherwise keep its worker. With 32 connections on 2 workers, p99 was 1.3 s with no yield, and with
        # gevent.sleep(0) (which does not wait for other connections' input); 121 ms with this.
        gevent.idle()
        try:
            with gevent.Timeout(BODY_SECONDS, TooSlow):
                body = app(environ, lambda s, *a: status.append(s) or start_response(s, *a))
                if status and status[0].startswith("413") and drainable(environ):
                    while environ["wsgi.input"].read(DRAIN_CHUNK):
                        pass
                return body
        except TooSlow:
            if status:      # the answer has begun: nothing more to say on this connection
                raise
            start_response("408 Request Timeout", [("Content-Type", "application/json"), ("Connection", "close")])
            return [json_error(f"the request body did not arrive within {BODY_SECONDS} s")]
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
    """gevent.pywsgi's handler (the server on Windows) with a time limit on the request line and headers."""

    def read_requestline(self):
        with gevent.Timeout(HEADER_SECONDS, socket.timeout):
            return super().read_requestline()

    def read_request(self, raw_requestline):
        with gevent.Timeout(HEADER_SECONDS, socket.timeout):
            return super().read_request(raw_requestline)

    def handle_one_request(self):
        """As gevent's, but a request refused before the app saw it (400, 414) is answered in JSON."""
        result = super().handle_one_request()
        if isinstance(result, tuple):
            status = int(result[0])
            return result[0], raw_json_error(status, HTTPStatus(status).phrase, REFUSED.get(status, ""))
        return result
