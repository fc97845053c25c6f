"""How students find a class: its code, the join URL (with the laptop's LAN address when it serves the room)
and that URL's QR code; and the teacher's secret token."""

import hashlib
import hmac
import io
import secrets

import segno
from flask import current_app, request

from ..lan import default_route_address, is_loopback

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"    # no look-alikes: 0/O, 1/I/L
CODE_LENGTH = 6
EVERYWHERE = ("0.0.0.0", "::")


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code):
    """A code as typed (any case, spaces or dashes) -> its canonical form, or None if it cannot be a code."""
    code = code.upper().replace(" ", "").replace("-", "")
    return code if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code) else None


def new_token():
    return secrets.token_urlsafe(24)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def bearer():
    """The request's `Authorization: Bearer <token>` token, or "" for none."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def token_matches(token, expected_hash):
    return hmac.compare_digest(token_hash(token), expected_hash)


def join_url(code):
    """The URL students open, and whether their devices can reach it: on a server that listens on every
    interface, a page opened as localhost gets the address of the interface that carries the default route."""
    host, port = request.host.rsplit(":", 1) if request.host.count(":") == 1 else (request.host, None)
    if is_loopback(host) and current_app.config.get("SERVE_HOST") in EVERYWHERE:
        host = default_route_address() or host
    where = f"{host}:{port}" if port else host
    return f"{request.scheme}://{where}/c/{code}", not is_loopback(host)


def qr_svg(url):
    """The QR code of url as an SVG document (dark modules on white, which every phone camera reads)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, dark="#000", light="#fff",
                                    xmldecl=False, omitsize=True)
    return out.getvalue()
