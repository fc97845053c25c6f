"""A careless or hostile network against the real `cnnviz serve`: stalled, idle and slow connections beyond any
thread count leave everyone else answered, and are closed after their time limits."""

import json
import socket
import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from cnnviz.app.connections import BODY_SECONDS, DRAIN_SECONDS, HEADER_SECONDS

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
    """What the server sent on conn until it closed it or fell silent within seconds; None if it sent nothing
    and kept it open."""
    conn.settimeout(seconds)
    data = b""
    try:
        while chunk := conn.recv(4096):
            data += chunk
            conn.settimeout(1)
        return data
    except TimeoutError:
        return data or None
    except ConnectionResetError:
        return b""


def test_stalled_requests_are_closed_after_their_time_limits(any_server):
    """Half-sent headers are dropped after HEADER_SECONDS; a body that stops arriving gets 408 after
    BODY_SECONDS; the connections no longer cost anything after that."""
    header, = held(any_server, 1, b"GET /api/model HTTP/1.1\r\nHost: x\r\n")
    body, = held(any_server, 1, b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                                  b"Content-Length: 1000\r\n\r\n\x89PNG")
    start = time.monotonic()
    try:
        dropped = closed_within(header, HEADER_SECONDS + 5)        # closed quietly (gunicorn) or with a 400
        assert dropped == b"" or (dropped.startswith(b"HTTP/1.1 400") and b'"error"' in dropped), dropped
        answer = closed_within(body, BODY_SECONDS + 5 - (time.monotonic() - start))
        assert answer.startswith(b"HTTP/1.1 408") and b'"error"' in answer
        assert time.monotonic() - start >= BODY_SECONDS - 1
    finally:
        header.close()
        body.close()


def test_a_stalled_oversized_upload_gets_its_413(any_server):
    """An upload past the cap that stops arriving is answered 413 once the server stops waiting for the rest."""
    big, = held(any_server, 1, b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                               b"Content-Length: 9000000\r\n\r\n\x89PNG")
    try:
        answer = closed_within(big, DRAIN_SECONDS + 5)
        assert answer.startswith(b"HTTP/1.1 413") and b'"error"' in answer
    finally:
        big.close()


@pytest.mark.parametrize("chunks", [b"zz\r\nab\r\n0\r\n\r\n", b"400\r\nabc"], ids=["bad size", "cut short"])
def test_a_malformed_or_cut_chunked_body_is_a_400(any_server, chunks):
    """A chunked body with a bad chunk size is a 400; one cut short by a hang-up is a 400 or a quiet close."""
    conn, = held(any_server, 1, b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                                b"Transfer-Encoding: chunked\r\n\r\n" + chunks)
    try:
        if chunks.endswith(b"abc"):
            conn.shutdown(socket.SHUT_WR)                     # the client hangs up mid-body
        answer = closed_within(conn, 15)
        cut = chunks.endswith(b"abc")
        assert (cut and answer == b"") or (answer.startswith(b"HTTP/1.1 400") and b'"error"' in answer), answer
    finally:
        conn.close()
