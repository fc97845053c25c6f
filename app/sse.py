"""Server-sent events: the wire format, and a response that relays one hub Stream to the browser."""

import socket

from flask import Response, request

HEARTBEAT_SECONDS = 15      # a comment line this often keeps idle streams open through proxies
RETRY_MS = 2000             # how soon a browser's EventSource reconnects after a drop
CLOSE = object()            # relay's answer for an event that ends this stream (the client opened another)
DEAD_PEER_SECONDS = 30      # a heartbeat unacknowledged this long ends the stream (Linux)


def message(data, event=None, id=None):
    """One event in the text/event-stream format; data is a JSON string (one line)."""
    head = (f"event: {event}\n" if event else "") + (f"id: {id}\n" if id is not None else "")
    return f"{head}data: {data}\n\n"


def response(hub, stream, first, relay):
    """A streaming response: `first` (messages), then relay(event, data) -> message, None or CLOSE for every
    event on the stream, a heartbeat when idle; it ends after an "end" event, on CLOSE, or when the client goes
    away."""
    drop_dead_peers(request.environ)

    def events():
        try:
            yield f"retry: {RETRY_MS}\n\n"
            yield from first
            while True:
                got = stream.get(HEARTBEAT_SECONDS)
                if got is None:
                    yield ": heartbeat\n\n"
                    continue
                text = relay(*got)
                if text is CLOSE:
                    return
                if text:
                    yield text
                if got[0] == "end":
                    return
        finally:
            hub.close(stream)

    r = Response(events(), mimetype="text/event-stream",
                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    r.call_on_close(lambda: hub.close(stream))     # also when the body is never read (HEAD): no phantom stream
    return r


def drop_dead_peers(environ):
    """A phone that vanished (Wi-Fi gone, no FIN) would keep its stream, and its place in the counts, until TCP
    gives up about 15 minutes later; on Linux, TCP_USER_TIMEOUT ends it once a heartbeat goes unacknowledged."""
    sock = environ.get("gunicorn.socket")
    if sock is not None and hasattr(socket, "TCP_USER_TIMEOUT"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, DEAD_PEER_SECONDS * 1000)
