"""`cnnviz serve`: a production WSGI server. gunicorn (one process per worker) where it runs, on Linux and
macOS; waitress (one thread per worker) on Windows, where gunicorn cannot."""

import socket
import threading
import webbrowser

from . import create_app

TIMEOUT = 30   # seconds a request may take before its worker is recycled / its channel closed


def lan_addresses():
    """This machine's non-loopback IPv4 addresses, for students' devices (asks only the local resolver)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({i[4][0] for i in infos if not i[4][0].startswith("127.")})


def run_gunicorn(host, port, workers):
    """Serve with gunicorn's pre-fork workers; False if gunicorn is not available here."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:   # Windows: gunicorn needs fcntl
        return False

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "timeout": TIMEOUT,
                               "accesslog": None, "loglevel": "warning", "preload_app": True}.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app()

    Server().run()
    return True


def run_waitress(host, port, workers):
    from waitress import serve
    serve(create_app(), host=host, port=port, threads=workers, ident="cnnviz", channel_timeout=TIMEOUT)


def serve(host="127.0.0.1", port=5000, workers=2, open_browser=False):
    """Serve the app until interrupted, printing the URLs people should open."""
    local = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    print(f"cnnviz: open {local}", flush=True)
    if host in ("0.0.0.0", "::"):
        for lan in lan_addresses():
            print(f"cnnviz: students on this network open http://{lan}:{port}/", flush=True)
    if open_browser:
        threading.Timer(1.5, webbrowser.open, [local]).start()
    workers = max(1, workers)
    run_gunicorn(host, port, workers) or run_waitress(host, port, workers)
