"""A streamed body gzipped as it goes: each piece flushed on its own, so the client can decode it on arrival."""

import zlib

# Level 1: a drawn 7's 255 KB trace becomes 63 KB for 2.3 ms of CPU, well under the 150 KB a drawn digit may
# cost; level 6 saves 10 KB more for 3.9 ms, level 9 12 KB for 18 ms (benchmarks/wire.py --levels). A trace
# itself takes about 7 ms, so level 1 keeps the server's traces per second closest to the plain stream's.
GZIP_LEVEL = 1
GZIP_WBITS = 16 + zlib.MAX_WBITS     # a gzip header and trailer around the deflate stream, not zlib's


def accepts_gzip(request):
    """Whether the client said it can read a gzip body (Accept-Encoding: gzip with a non-zero q)."""
    return request.accept_encodings["gzip"] > 0


def gzip_stream(pieces, level=GZIP_LEVEL):
    """Iterable of bytes -> gzip bytes, one output piece per input piece: Z_SYNC_FLUSH ends each on a byte
    boundary with everything so far decodable, so a browser reads each NDJSON line as soon as it is sent."""
    z = zlib.compressobj(level, zlib.DEFLATED, GZIP_WBITS)
    try:
        for piece in pieces:
            yield z.compress(piece) + z.flush(zlib.Z_SYNC_FLUSH)
        yield z.flush()                                     # the final empty block and the gzip trailer
    finally:
        getattr(pieces, "close", lambda: None)()           # a client that hung up stops the computation too
