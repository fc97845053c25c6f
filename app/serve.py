"""`cnnviz serve`: a production WSGI server. gunicorn (one process per worker) where it runs, on Linux and
macOS; waitress (one thread per worker) on Windows, where gunicorn cannot."""

import errno
import os
import socket
import sys
import threading
import webbrowser

from . import MAX_BODY, create_app

THREADS = 8    # threads per worker process: a few stalled phones on the Wi-Fi do not block the rest
ROUTE_PROBE = ("192.0.2.1", 9)   # TEST-NET-1 (RFC 5737): never routed anywhere, only asked which way out
TIMEOUT = 30   # seconds a request may take before its worker is recycled / its channel closed
BALANCED = sys.platform.startswith("linux")   # SO_REUSEPORT spreads connections across workers only on Linux


def lan_addresses():
    """This machine's non-loopback IPv4 addresses, for students' devices. Sends no packet: the resolver, and
    the address a UDP socket would leave from (connect() on UDP only picks a route)."""
    found = set()
    try:
        found |= {i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(ROUTE_PROBE)
            found.add(s.getsockname()[0])
        except OSError:
            pass
    return sorted(a for a in found if not a.startswith("127.") and a != "0.0.0.0")


def url_host(host):
    """A host as it goes in a URL or a bind address: IPv6 in brackets."""
    return f"[{host}]" if ":" in host else host


def run_gunicorn(host, port, workers):
    """Serve with gunicorn's pre-fork workers; False if gunicorn is not available here."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:   # Windows: gunicorn needs fcntl
        return False

    class Server(BaseApplication):
        def load_config(self):
            # reuse_port: each worker listens on its own socket and Linux deals the connections out evenly;
            # on one shared socket, one worker took up to 29 of 32 kept-alive connections (p99 168-179 ms, not 108-124)
            for key, value in {"bind": f"{url_host(host)}:{port}", "workers": workers, "timeout": TIMEOUT,
                               "worker_class": "gthread", "threads": THREADS, "keepalive": 2,
                               "reuse_port": BALANCED,
                               "accesslog": None, "loglevel": "warning", "preload_app": True}.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app()

    Server().run()
    return True


def run_waitress(host, port, workers):
    from waitress import serve
    serve(create_app(), host=host, port=port, threads=workers, ident="cnnviz", channel_timeout=TIMEOUT,
          max_request_body_size=MAX_BODY)


def check_free(host, port):
    """Exit with a clear message if host:port cannot be served, e.g. another cnnviz listens there (with
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
        raise SystemExit(f"cnnviz: cannot serve on {url_host(host)}:{port}: {e.strerror or e}.{hint}") from None


def serve(host="127.0.0.1", port=5000, workers=2, open_browser=False):
    """Serve the app until interrupted, printing the URLs people should open."""
    check_free(host, port)
    everywhere = host in ("0.0.0.0", "::")
    local = f"http://{'127.0.0.1' if everywhere else url_host(host)}:{port}/"
    print(f"cnnviz: open {local}", flush=True)
    if everywhere:
        for lan in lan_addresses():
            print(f"cnnviz: students on this network open http://{lan}:{port}/", flush=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [local]).start()
    workers = max(1, workers)
    run_gunicorn(host, port, workers) or run_waitress(host, port, workers)
