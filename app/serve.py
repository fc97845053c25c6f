"""`cnnviz serve`: the app on waitress, a production WSGI server that runs on Windows, macOS and Linux."""

import socket
import threading
import webbrowser

from waitress import serve as waitress_serve

from . import create_app


def lan_addresses():
    """This machine's non-loopback IPv4 addresses, for students' devices (asks only the local resolver)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({i[4][0] for i in infos if not i[4][0].startswith("127.")})


def serve(host="127.0.0.1", port=5000, workers=2, open_browser=False):
    """Serve the app until interrupted, printing the URL people should open."""
    app = create_app()
    local = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    print(f"cnnviz: open {local}", flush=True)
    if host in ("0.0.0.0", "::"):
        for lan in lan_addresses():
            print(f"cnnviz: students on this network open http://{lan}:{port}/", flush=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [local]).start()
    waitress_serve(app, host=host, port=port, threads=max(1, workers), ident="cnnviz",
                   channel_timeout=30, clear_untrusted_proxy_headers=True)
