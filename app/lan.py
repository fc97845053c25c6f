"""This machine's addresses on the local network, for students' devices."""

import socket

ROUTE_PROBE = ("192.0.2.1", 9)   # TEST-NET-1 (RFC 5737): never routed anywhere, only asked which way out


def default_route_address():
    """The IPv4 address of the interface that carries the default route, or None. Sends no packet: connect()
    on a UDP socket only picks a route."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(ROUTE_PROBE)
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def lan_addresses():
    """This machine's non-loopback IPv4 addresses: the resolver's and the default route's."""
    found = set()
    try:
        found |= {i[4][0] for i in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    except OSError:
        pass
    found.add(default_route_address())
    return sorted(a for a in found if a and not a.startswith("127.") and a != "0.0.0.0")


def is_loopback(host):
    """Whether a URL's host (no port) names this machine only."""
    return host in ("localhost", "::1", "[::1]") or host.startswith("127.")
