"""Nobody in through a browser: a cross-site page's simple POSTs are refused (JSON is required) and get no CORS
header, and a DNS-rebinding page (its own name in Host, resolving to this machine) changes nothing."""

import socket

import pytest

from .test_api import canvas_png


@pytest.fixture(scope="module")
def app():
    """An app of this file's own: its tests start many classes (a store allows 20 an hour from one address)."""
    from cnnviz.app import close, create_app
    made = create_app({"TESTING": True})
    yield made
    close(made)


@pytest.fixture()
def cls(client):
    """A class and its teacher's Authorization header."""
    made = client.post("/api/classes", json={}).get_json()
    return made["code"], {"Authorization": f"Bearer {made['token']}"}


def changes(code):
    """Every request that changes something, as (method, path)."""
    return [("POST", "/api/classes"), ("PUT", f"/api/classes/{code}"), ("DELETE", f"/api/classes/{code}"),
            ("POST", f"/api/classes/{code}/drawings"), ("POST", f"/api/classes/{code}/questions"),
            ("POST", f"/api/classes/{code}/questions/1/answers"), ("POST", f"/api/classes/{code}/questions/1/reveal"),
            ("POST", "/api/training"),
            ("POST", "/api/training/run-0123456789abcdef"), ("DELETE", "/api/training/run-0123456789abcdef")]


def posts(code):
    """Every POST, those that change something and those that cost the server work (a digit read)."""
    return [("POST", path) for method, path in changes(code) if method == "POST"] + [
        ("POST", "/api/trace"), ("POST", "/api/predict"), ("POST", "/api/backprop?label=3"),
        ("POST", "/api/export?format=gif")]


SIMPLE = [   # what a cross-site form or fetch may send without asking first (no CORS preflight)
    ("text/plain", b'{"state": {}}'),
    ("application/x-www-form-urlencoded", b"state=1"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n"),
]


@pytest.mark.parametrize("content_type, body", SIMPLE, ids=["text", "form", "multipart"])
def test_simple_cross_site_requests_are_refused_and_get_no_cors_header(client, cls, content_type, body):
    code, teacher = cls
    for method, path in posts(code):                    # PUT and DELETE always need a preflight, never granted
        r = client.open(path, method=method, data=body, content_type=content_type,
                        headers={**teacher, "Origin": "https://evil.example"})
        assert r.status_code in (401, 403, 404, 415), (path, r.status_code)
        assert "error" in r.get_json()
        assert "Access-Control-Allow-Origin" not in r.headers
    assert client.get(f"/api/classes/{code}").status_code == 200          # the class is still there


def test_a_preflight_grants_nothing(client, cls):
    code, _ = cls
    for method, path in changes(code):
        r = client.options(path, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": method})
        assert not any(h.startswith("Access-Control-Allow") for h in r.headers.keys()), path


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5000", "127.0.0.1.evil.example", "attacker.local"])
def test_dns_rebinding_changes_nothing(app, client, cls, host):
    """Under another site's name every change is a 403 saying how to allow a name; reading is still served."""
    code, teacher = cls
    rebound = app.test_client()
    for method, path in changes(code):
        r = rebound.open(path, method=method, json={}, headers=teacher, base_url=f"http://{host}")
        assert r.status_code == 403 and "--allowed-host" in r.get_json()["error"], (path, r.status_code)
    assert rebound.get("/api/model", base_url=f"http://{host}").status_code == 200
    assert client.get(f"/api/classes/{code}").status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1:5000", "localhost:5000", "[::1]:5000", "192.168.1.20:5000", "10.0.0.7",
                                  socket.gethostname(), "app.localhost"])
def test_the_server_s_own_names_and_addresses_are_served(app, host):
    r = app.test_client().post("/api/classes", json={}, base_url=f"http://{host}")
    assert r.status_code == 201


def test_reading_a_digit_is_served_under_any_name(app):
    r = app.test_client().post("/api/trace", data=canvas_png(), content_type="image/png", base_url="http://x")
    assert r.status_code == 200


def test_a_name_given_with_allowed_host_is_served(make_app):
    proxied = make_app(ALLOWED_HOSTS=["cnnviz.school.example"]).test_client()
    r = proxied.post("/api/classes", json={}, base_url="http://cnnviz.school.example")
    assert r.status_code == 201


def test_cnnviz_serve_allowed_host_reaches_the_app(tmp_path):
    """`cnnviz serve --allowed-host NAME`: a real server changes classes under that name, refuses another."""
    import json
    import sys
    import urllib.error
    import urllib.request

    from .conftest import ROOT, free_port, started, stop
    port = free_port()
    server = started([sys.executable, "-m", "cnnviz", "serve", "--port", str(port), "--store",
                      str(tmp_path / "store.sqlite3"), "--allowed-host", "cnnviz.school.example"], port, cwd=ROOT)
    try:
        def post(host):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/classes", data=b"{}", method="POST",
                                         headers={"Host": host, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                assert "error" in json.loads(e.read())
                return e.code
        assert post("cnnviz.school.example") == 201
        assert post(f"127.0.0.1:{port}") == 201
        assert post("evil.example") == 403
    finally:
        stop(server)
