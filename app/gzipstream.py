"""A streamed body gzipped as it goes: each piece flushed on its own, so the client can decode it on arrival."""

import zlib

# Run-length matches only (Z_RLE): a drawn digit's 255 KB trace becomes 63 KB for about 1 ms of CPU (the zeros the
# digit's black background leaves in every map and product are runs, and a product of a black pixel is +0.0, never
# -0.0). Full matching at level 1 gives 54 KB for 1.5 ms, level 6 51 KB for 2.7 ms (benchmarks/wire.py --levels). A drawn digit, 14 predictions and one trace, stays under 150 KB either
# way, so the cheapest compression wins: benchmarks/server.py gives the traces/s it leaves, gzipped and plain.
GZIP_LEVEL = 1                 # Z_RLE ignores the level's match settings; 1 is also the fastest full matching
GZIP_STRATEGY = zlib.Z_RLE
GZIP_MEMLEVEL = 8              # zlib's default
GZIP_WBITS = 16 + zlib.MAX_WBITS     # a gzip header and trailer around the deflate stream, not zlib's


def accepts_gzip(request):
    """Whether the client said it can read a gzip body (Accept-Encoding: gzip with a non-zero q)."""
    return request.accept_encodings["gzip"] > 0


def gzip_stream(pieces, level=GZIP_LEVEL, strategy=GZIP_STRATEGY):
    """Iterable of bytes -> gzip bytes, one output piece per input piece: Z_SYNC_FLUSH ends each on a byte
    boundary with everything so far decodable, so a browser reads each NDJSON line as soon as it is sent."""
    z = zlib.compressobj(level, zlib.DEFLATED, GZIP_WBITS, GZIP_MEMLEVEL, strategy)
    try:
        for piece in pieces:
            yield z.compress(piece) + z.flush(zlib.Z_SYNC_FLUSH)
        yield z.flush()                                     # the final empty block and the gzip trailer
    finally:
        getattr(pieces, "close", lambda: None)()           # a client that hung up stops the computation too
