"""Shared fixtures: the app, its test client, a live production server on a free port, and Chromium."""

import os
import threading
from pathlib import Path

import pytest
from waitress.server import create_server

from app import create_app

ROOT = Path(__file__).resolve().parent.parent
MNIST_DIR = ROOT / "data" / "mnist"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")   # Debian's; override for another


@pytest.fixture(scope="session")
def app():
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    """The real app on waitress over a real socket, on a port the OS picks; yields its base URL."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}
