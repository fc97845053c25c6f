"""`cnnviz serve`: a production server on gevent, so a connection costs a greenlet, not a thread: phones that
stall mid-request, idle keep-alives and long-lived class streams never starve the traces, whose CPU work
is a few milliseconds. gunicorn forks the worker processes on Linux and macOS; on Windows, where gunicorn
cannot run, gevent's own server runs in one process."""

import errno
import os
import socket
import subprocess
import sys
import threading
import uuid
import webbrowser

from . import create_app
from .connections import HEADER_SECONDS, TimedHandler, gunicorn_worker, with_body_deadline
from .lan import lan_addresses
from .store import CLASS_HOURS, Unusable, storefile

HEARTBEAT = 30        # seconds a worker's event loop may stay busy before gunicorn restarts the worker
CONNECTIONS = 1000    # open connections per worker process (greenlets, a few KB each)
BALANCED = sys.platform.startswith("linux")   # SO_REUSEPORT spreads connections across workers only on Linux


class CannotServe(Exception):
    """The server cannot start: carries the one-line message the command prints (cli.py)."""


def url_host(host):
    """A host as it goes in a URL or a bind address: IPv6 in brackets."""
    return f"[{host}]" if ":" in host else host


def run_gunicorn(host, port, workers, config=None):
    """Serve with gunicorn's pre-fork workers, each with create_app(config); False if gunicorn is not available."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:   # Windows: gunicorn needs fcntl
        return False

    class Server(BaseApplication):
        def load_config(self):
            # reuse_port: each worker listens on its own socket and Linux deals the connections out evenly;
            # on one shared socket, one worker took up to 29 of 32 kept-alive connections (p99 168-179 ms, not 108-124)
            # keepalive: gunicorn's gevent worker allows this long for each request's line and headers
            for key, value in {"bind": f"{url_host(host)}:{port}", "workers": workers, "timeout": HEARTBEAT,
                               "worker_class": gunicorn_worker(), "worker_connections": CONNECTIONS,
                               "keepalive": HEADER_SECONDS, "reuse_port": BALANCED,
                               "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self):
            return with_body_deadline(create_app(config))

    Server().run()
    return True


def run_gevent(host, port, config=None):
    """Serve create_app(config) with gevent's own server in this one process (Windows; also tested on Linux)."""
    from gevent import monkey
    monkey.patch_all()
    from gevent.pywsgi import WSGIServer
    WSGIServer((host, port), with_body_deadline(create_app(config)), handler_class=TimedHandler,
               log=None, spawn=CONNECTIONS).serve_forever()


def check_free(host, port):
    """CannotServe with a clear message if host:port cannot be served, e.g. another cnnviz listens there (with
    reuse_port the workers would otherwise quietly share the port with it)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            if os.name != "nt":        # as gunicorn binds: dual-stack, and past connections in TIME_WAIT do not count
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if host == "::":
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind((host, port))
    except OSError as e:
        hint = (" Is cnnviz already running there? Stop it, or choose another port with --port."
                if e.errno == errno.EADDRINUSE else "")
        raise CannotServe(f"cannot serve on {url_host(host)}:{port}: {e.strerror or e}.{hint}") from None


def store_url(redis, store=None):
    """Where the workers keep classes and training runs: Redis if given (checked now), else the embedded store's
    file (store, or the user's data folder), made ready here, before the workers fork, so that they all share it."""
    if not redis:
        try:
            url, note = storefile.prepare(store or storefile.DEFAULT_PATH)
        except Unusable as e:
            raise CannotServe(str(e)) from None
        if note:
            print(f"cnnviz: {note}", file=sys.stderr, flush=True)
        return url
    # Asked in a child process: importing redis-py here would import ssl before the gevent workers patch it.
    check = subprocess.run([sys.executable, "-c", "import sys; from cnnviz.app.store import open_store\n"
                            "try: s = open_store(sys.argv[1]); s.ping(); s.close()\n"
                            "except Exception as e: sys.exit(str(e))", redis], capture_output=True, text=True)
    if check.returncode:
        raise CannotServe(f"cannot use Redis at {redis}: {check.stderr.strip()}")
    return redis


def serve(host="127.0.0.1", port=5000, workers=2, open_browser=False, redis=None, class_hours=CLASS_HOURS,
          training="local", store=None, allowed_hosts=()):
    """Serve the app until interrupted, printing the URLs people should open; store is the embedded store's file
    (None: the user's data folder), unless redis is given; allowed_hosts: names besides its addresses and this
    machine's under which classes and trainings may be changed (app/hosts.py)."""
    check_free(host, port)
    config = {"SERVE_HOST": host, "STORE_URL": store_url(redis, store), "CLASS_HOURS": class_hours,
              "TRAINING": training, "ALLOWED_HOSTS": list(allowed_hosts), "SERVER_ID": uuid.uuid4().hex[:8]}
    everywhere = host in ("0.0.0.0", "::")
    local = f"http://{'127.0.0.1' if everywhere else url_host(host)}:{port}/"
    print(f"cnnviz: open {local}", flush=True)
    if not redis:
        print(f"cnnviz: classes are kept in {config['STORE_URL'].removeprefix('sqlite:///')}", flush=True)
    if everywhere:
        for lan in lan_addresses():
            print(f"cnnviz: students on this network open http://{lan}:{port}/", flush=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [local]).start()
    workers = max(1, workers)
    run_gunicorn(host, port, workers, config) or run_gevent(host, port, config)
