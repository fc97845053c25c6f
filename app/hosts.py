"""DNS rebinding: a page on a site whose name resolves to this machine can make a browser send it requests, with
that site's name in Host. A request that changes something (a class or a training: anything but GET, HEAD, OPTIONS
there) is served only under a name this server answers to: an IP address, localhost, this machine's own names, or
one `cnnviz serve --allowed-host` was given (behind a proxy). A cross-site page cannot send another name: its
requests carry its own. Reading a digit (trace, predict, backprop) changes nothing and is served under any name."""

import ipaddress
import socket

from flask import request

from .errors import Forbidden

SAFE = {"GET", "HEAD", "OPTIONS"}
CHANGING = {"classes", "questions", "training"}   # the blueprints whose other methods change what outlives a request
LOOPBACK = {"localhost", "localhost.localdomain"}


def own_names():
    """This machine's names as a browser on the network may use them (the mDNS .local name too)."""
    name = socket.gethostname().lower().rstrip(".")
    return {name, f"{name.split('.')[0]}.local", socket.getfqdn().lower().rstrip(".")}


def host_name(host):
    """A Host header -> its name or address, without port or IPv6 brackets, in lower case."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_address(name):
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def register(app):
    """Refuse changes under a Host this server does not answer to (403, saying how to allow it)."""
    given = [*app.config["ALLOWED_HOSTS"], app.config["SERVE_HOST"] or "localhost"]   # and the name it listens on
    allowed = LOOPBACK | own_names() | {n.lower() for n in given}

    @app.before_request
    def check_host():
        if request.method in SAFE or request.blueprint not in CHANGING:
            return
        name = host_name(request.headers.get("Host", ""))
        if not (is_address(name) or name in allowed or name.endswith(".localhost")):
            raise Forbidden(f"this server does not answer to the name '{name}' (Host): open it by its address or "
                             "a name `cnnviz serve --allowed-host NAME` was given")
