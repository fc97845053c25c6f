"""Shared fixtures: the app and its test client, the real server over a real socket, and Debian's Chromium
driven by Playwright (plain fixtures: no pytest plugin to break with the next pytest)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from cnnviz.app import close, create_app
from cnnviz.app.store import temporary_store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")   # Debian's; Playwright cannot download its own here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SERVERS = {   # what `cnnviz serve` runs: gunicorn's gevent workers here, gevent's own server on Windows;
              # each with a store in a temporary folder, never the user's data folder (`cnnviz serve`'s default)
    "gunicorn": lambda port: [sys.executable, "-m", "cnnviz", "serve", "--port", str(port),
                              "--store", temporary_store().removeprefix("sqlite:///")],
    "gevent": lambda port: [sys.executable, "-c",
                            f"from cnnviz.app.serve import run_gevent; run_gevent('127.0.0.1', {port})"],
}


@pytest.fixture(scope="session")
def app():
    made = create_app({"TESTING": True})
    yield made
    close(made)


@pytest.fixture()
def make_app():
    """create_app({"TESTING": True, **config}) for a test; each app it made is closed when the test ends."""
    made = []
    yield lambda **config: made.append(create_app({"TESTING": True, **config})) or made[-1]
    for a in made:
        close(a)


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started(command, port, cwd=ROOT, stderr=None):
    """Popen command (its stderr to stderr, if given) and wait until it accepts connections on port; the caller
    stops it."""
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                stop(server)
                raise RuntimeError(f"{' '.join(command)} did not start")
            time.sleep(0.1)


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    server.stdout.close()


@pytest.fixture(scope="session", params=list(SERVERS))
def any_server(request):
    """Each production server in turn, in a subprocess on a free port; yields its base URL."""
    port = free_port()
    server = started(SERVERS[request.param](port), port)
    yield f"http://127.0.0.1:{port}"
    stop(server)


@pytest.fixture(scope="session")
def live_server():
    """`cnnviz serve` itself in a subprocess on a free port; yields its base URL."""
    port = free_port()
    server = started(SERVERS["gunicorn"](port), port)
    yield f"http://127.0.0.1:{port}"
    stop(server)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context()
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context):
    return context.new_page()


def redis_server(port, *options):
    """Popen a real redis-server (Debian's package; ./scripts/test installs it) on port, saving nothing unless
    options say so; returns once it answers PING."""
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", *options], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return server
        except OSError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise RuntimeError("redis-server did not start")
        time.sleep(0.05)


@pytest.fixture(scope="session")
def redis_url():
    """A real redis-server on a free port, saving nothing."""
    port = free_port()
    server = redis_server(port)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)
