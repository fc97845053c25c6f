"""The page's static files at versioned URLs, /static/<version>/<path>, where the version is a hash of them all:
after an upgrade no browser runs old and new modules together, so they are cached for good."""

import hashlib
from pathlib import Path

from .compressed import Compressed

IMMUTABLE = "public, max-age=31536000, immutable"
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml",
         ".json": "application/json", ".txt": "text/plain"}   # not the OS's table: Windows may call .js text/plain
PRECOMPRESSED = ".gz"      # a file's gzip made beforehand (plotly.js's, by Zopfli: 19 KB smaller than zlib's level 9)
REVALIDATE = "no-cache"   # an old version's URL gets today's file, to be checked again each time


class Assets:
    """Every file under a folder, read and gzipped once, under one version."""

    def __init__(self, folder):
        digest = hashlib.sha256()
        self.files = {}
        paths = sorted(p for p in Path(folder).rglob("*") if p.is_file())
        for path in paths:
            gz = path.with_name(path.name + PRECOMPRESSED)
            if path.name.endswith(PRECOMPRESSED) and path.with_suffix("") in paths:
                continue                             # served as its file's gzip, not on its own
            name, body = path.relative_to(folder).as_posix(), path.read_bytes()
            digest.update(name.encode() + b"\0" + hashlib.sha256(body).digest())
            self.files[name] = Compressed(body, TYPES.get(path.suffix, "application/octet-stream"),
                                          gz.read_bytes() if gz in paths else None)
        self.version = digest.hexdigest()[:12]

    def url(self, name):
        """The versioned URL of one file, for templates."""
        return f"/static/{self.version}/{name}"

    def response(self, version, name):
        """The file, immutable if the version is today's; None if there is no such file."""
        found = self.files.get(name)
        return found and found.response(IMMUTABLE if version == self.version else REVALIDATE)
