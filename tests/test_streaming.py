"""Over a real socket with the production server: the trace arrives chunked, a line at a time."""

import json
import socket
import subprocess
import sys
import time
import zlib
from urllib.parse import urlsplit

import pytest

from cnnviz.app import MAX_BODY
from cnnviz.cnn import config as C

from .conftest import ROOT

BODY = json.dumps({"pixels": [[0.0] * 14 + [1.0] * 2 + [0.0] * 12 for _ in range(C.IMAGE_SIZE)]}).encode()
TRACE_REQUEST = (f"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"   # kept alive
                 f"Content-Length: {len(BODY)}\r\n\r\n").encode() + BODY


def raw_post(base, path, body, content_type, chunked=False, extra=""):
    """POST over a plain socket (extra: more header lines, each ending in CRLF) -> (status line and headers as
    text, raw body bytes)."""
    url = urlsplit(base)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    if chunked:
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body[i:i + 65536] for i in range(0, len(body), 65536)))
        body += b"0\r\n\r\n"
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        try:
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: {content_type}\r\n"
                      f"{framing}\r\n{extra}Connection: close\r\n\r\n".encode() + body)
        except BrokenPipeError:
            pass        # the server answered (e.g. 413) and closed before reading the whole body
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode(), rest


def dechunk(raw):
    """A chunked body -> list of the chunks as the server wrote them."""
    chunks = []
    while True:
        size_line, _, raw = raw.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return chunks
        chunks.append(raw[:size])
        raw = raw[size + 2:]


def test_trace_is_streamed_in_chunks_one_stage_each(any_server):
    """No Content-Length, chunked transfer, and each stage written as its own chunk as it is ready."""
    head, raw = raw_post(any_server, "/api/trace", BODY, "application/json")
    assert head.startswith("HTTP/1.1 200")
    headers = head.lower()
    assert "transfer-encoding: chunked" in headers and "content-length" not in headers
    assert "content-type: application/x-ndjson" in headers
    chunks = dechunk(raw)
    stages = [json.loads(c)["name"] for c in chunks]
    assert stages == ["preprocess", *C.STAGE_NAMES]
    assert all(c.endswith(b"\n") and c.count(b"\n") == 1 for c in chunks)
    assert json.loads(chunks[-1])["prediction"] == 1


def test_gzipped_trace_is_streamed_one_decodable_stage_per_chunk(any_server):
    """Asked for gzip, the trace is still chunked a stage at a time: each chunk inflates on arrival, after the
    ones before it, to exactly one whole line, so the browser shows each stage without waiting for the next."""
    head, raw = raw_post(any_server, "/api/trace", BODY, "application/json", extra="Accept-Encoding: gzip\r\n")
    headers = head.lower()
    assert head.startswith("HTTP/1.1 200") and "transfer-encoding: chunked" in headers
    assert "content-encoding: gzip" in headers and "vary: accept-encoding" in headers
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    lines = [inflate.decompress(c) for c in dechunk(raw)]
    assert lines[-1] == b"" and inflate.eof                            # the gzip trailer comes last
    assert [json.loads(line)["name"] for line in lines[:-1]] == ["preprocess", *C.STAGE_NAMES]
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines[:-1])
    _, plain = raw_post(any_server, "/api/trace", BODY, "application/json")
    assert b"".join(lines) == b"".join(dechunk(plain))


def test_predict_over_socket(any_server):
    head, raw = raw_post(any_server, "/api/predict", BODY, "application/json")
    assert head.startswith("HTTP/1.1 200") and "content-type: application/json" in head.lower()
    assert json.loads(b"".join(dechunk(raw)) if "chunked" in head.lower() else raw)["prediction"] == 1


def test_bad_request_over_socket_is_json(any_server):
    """The production server passes a 4xx JSON error through unchanged."""
    head, raw = raw_post(any_server, "/api/trace", b"{", "application/json")
    assert head.startswith("HTTP/1.1 400")
    assert b"invalid JSON" in raw


def test_stalled_clients_do_not_block_others(live_server):
    """Two clients that stop mid-request (flaky Wi-Fi) leave the server answering everyone else."""
    url = urlsplit(live_server)
    stalled = [socket.create_connection((url.hostname, url.port)) for _ in range(2)]
    try:
        stalled[0].sendall(b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Ty")          # half the headers
        stalled[1].sendall(b"POST /api/trace HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                           b"Content-Length: 1000\r\n\r\n" + b"\x89PNG")                   # a tenth of the body
        head, raw = raw_post(live_server, "/api/trace", BODY, "application/json")   # 10 s socket timeout
        assert head.startswith("HTTP/1.1 200")
    finally:
        for s in stalled:
            s.close()


def test_clients_hanging_up_mid_stream_leave_the_server_answering(any_server):
    """Phones that leave mid-trace (the page aborts stale requests too) leave every worker answering."""
    url = urlsplit(any_server)
    for _ in range(6):       # more than one per worker, on fresh connections
        with socket.create_connection((url.hostname, url.port), timeout=10) as s:
            s.sendall(TRACE_REQUEST)
            assert s.recv(64).startswith(b"HTTP/1.1 200")
    for _ in range(4):
        head, raw = raw_post(any_server, "/api/trace", BODY, "application/json")
        assert head.startswith("HTTP/1.1 200") and json.loads(dechunk(raw)[-1])["prediction"] == 1


def test_a_client_that_stops_reading_does_not_hold_up_the_others(live_server):
    """Traces piled up unread on one connection hold up only their own connection, not its worker."""
    url = urlsplit(live_server)
    with socket.socket() as stuck:
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect((url.hostname, url.port))
        stuck.sendall(TRACE_REQUEST * 24)   # 24 traces, 6 MB of answers: more than the buffers hold; never read
        time.sleep(1)                 # its thread now waits in a write
        for _ in range(12):           # fresh connections, so some land on the stuck worker
            start = time.monotonic()
            head, raw = raw_post(live_server, "/api/trace", BODY, "application/json")   # 10 s socket timeout
            assert head.startswith("HTTP/1.1 200") and json.loads(dechunk(raw)[-1])["prediction"] == 1
            assert time.monotonic() - start < 2


def test_a_busy_port_is_a_clear_message(live_server):
    """A second `cnnviz serve` on the same port says so and exits, instead of quietly sharing the port."""
    port = str(urlsplit(live_server).port)
    out = subprocess.run([sys.executable, "-m", "cnnviz", "serve", "--port", port], cwd=ROOT, capture_output=True,
                         text=True, timeout=30)
    assert out.returncode != 0
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in out.stderr
    assert "--port" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_upload_is_413_however_it_is_framed(any_server, chunked):
    """A body past the cap gets 413, whether it says its length up front or streams in chunks."""
    head, raw = raw_post(any_server, "/api/trace", b"\0" * (MAX_BODY + 1), "image/png", chunked)
    assert head.startswith("HTTP/1.1 413"), head
    assert b"too large" in raw


@pytest.mark.parametrize("request_head, status", [
    (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", (414, 400)),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"b" * 70000 + b"\r\n\r\n", (431, 400)),
    (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n", (431, 400)),
    (b"BLAH\r\n\r\n", (400,)),
], ids=["long-url", "long-header", "many-headers", "malformed"])
def test_the_servers_own_refusals_are_json(any_server, request_head, status):
    """What the server refuses before the app sees it gets a 4xx with {"error": ...} like the rest of the API."""
    url = urlsplit(any_server)
    with socket.create_connection((url.hostname, url.port), timeout=10) as s:
        s.sendall(request_head)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert int(head.split()[1]) in status, head
    assert b"content-type: application/json" in head.lower()
    assert json.loads(body)["error"]
