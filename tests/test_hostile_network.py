"""A careless or hostile network against the real `cnnviz serve`: stalled, idle and slow connections beyond any
thread count leave everyone else answered, and are closed after their time limits."""

import json
import socket
import time
import urllib.request
from urllib.parse import urlsplit

from app.connections import BODY_SECONDS, HEADER_SECONDS

from .test_streaming import BODY

HALF_SENT, IDLE, POLITE = 150, 50, 40


def held(base, n, first_bytes):
    """n open connections to base that sent first_bytes (maybe nothing) and then stopped."""
    url = urlsplit(base)
    conns = [socket.create_connection((url.hostname, url.port), timeout=30) for _ in range(n)]
    for c in conns:
        if first_bytes:
            c.sendall(first_bytes)
    return conns


def polite_request(base, i):
    """/api/model or /api/trace in turn, on a fresh connection; the answer's JSON."""
    if i % 2:
        req = urllib.request.Request(base + "/api/trace", BODY, {"Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(req, timeout=5).read().splitlines()[-1])["prediction"]
    return json.loads(urllib.request.urlopen(base + "/api/model", timeout=5).read())["parameters"]


def test_hundreds_of_stalled_and_idle_connections_do_not_stop_the_others(any_server):
    """150 half-sent requests and 50 idle connections (10x the threads the old server had): 40 of 40 answered."""
    stalled = held(any_server, HALF_SENT, b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Ty")
    idle = held(any_server, IDLE, b"")
    try:
        answers = [polite_request(any_server, i) for i in range(POLITE)]     # each within 5 s or it raises
        assert answers == [1138, 1] * (POLITE // 2)
    finally:
        for c in stalled + idle:
            c.close()


def closed_within(conn, seconds):
    """The first bytes the server sent before closing conn (b"" if none), or None if still open after seconds."""
    conn.settimeout(seconds)
    try:
        data = b""
        while chunk := conn.recv(4096):
            data += chunk
        return data
    except TimeoutError:
        return None
    except ConnectionResetError:
        return b""


def test_stalled_requests_are_closed_after_their_time_limits(live_server):
    """Half-sent headers are dropped after HEADER_SECONDS; a body that stops arriving gets 408 after
    BODY_SECONDS; the connections no longer cost anything after that."""
    header, = held(live_server, 1, b"GET /api/model HTTP/1.1\r\nHost: x\r\n")
    body, = held(live_server, 1, b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                                  b"Content-Length: 1000\r\n\r\n\x89PNG")
    start = time.monotonic()
    try:
        assert closed_within(header, HEADER_SECONDS + 5) == b""
        answer = closed_within(body, BODY_SECONDS + 5 - (time.monotonic() - start))
        assert answer.startswith(b"HTTP/1.1 408") and b'"error"' in answer
        assert time.monotonic() - start >= BODY_SECONDS - 1
    finally:
        header.close()
        body.close()
