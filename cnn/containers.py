"""Cheap walks over an image file's structure, before Pillow parses it: Pillow reads PNG chunks, JPEG segments
and GIF blocks in Python, so a file of a million tiny ones costs seconds. Each walk stops counting at `stop`."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}   # colour type -> samples per pixel (grey, RGB, palette, grey+A, RGBA)
PNG_PACKED = (b"zTXt", b"iTXt", b"iCCP")         # chunks Pillow decompresses on opening (up to 1 MB each)
JPEG_SOI = b"\xff\xd8"                           # start of image
JPEG_SCAN = b"\xff\xda"                          # start-of-scan marker: 0xFF in scan data is always followed by 0
JPEG_BARE = {0x01, *range(0xD0, 0xDA)}           # markers without a length (TEM, RSTn, SOI, EOI)
GIF_SIGNATURE = b"GIF"
GIF_FLAGS = 10                                   # offset of the screen's flags: after "GIF89a", width, height
GIF_SCREEN_END = 13                              # ...then a background colour and aspect ratio byte
GIF_PALETTE_FLAG, GIF_PALETTE_BITS = 0x80, 7     # flags: a global palette of 2^(bits + 1) colours follows


def png_walk(data, stop):
    """PNG bytes -> (chunks up to stop, compressed metadata chunks, bits per pixel of the decoded samples)."""
    pos, chunks, packed, bits = len(PNG_SIGNATURE), 0, 0, 0
    while pos + 8 <= len(data) and chunks < stop:
        length, kind = int.from_bytes(data[pos:pos + 4], "big"), data[pos + 4:pos + 8]
        if kind == b"IHDR" and pos + 18 <= len(data):   # width, height (4 bytes each), bit depth, colour type
            bits = data[pos + 16] * PNG_CHANNELS.get(data[pos + 17], max(PNG_CHANNELS.values()))
        packed += kind in PNG_PACKED
        chunks += 1
        if kind == b"IEND":
            break
        pos += 12 + length                      # length, type, data, CRC
    return chunks, packed, bits


def jpeg_walk(data, stop):
    """JPEG bytes -> (markers and stray bytes before the first scan, up to stop; scans in the whole file)."""
    pos, steps = len(JPEG_SOI), 0
    while pos + 1 < len(data) and steps < stop:
        steps += 1
        if data[pos] != 0xFF or data[pos + 1] in (0x00, 0xFF):
            pos += 1                            # stray or fill byte: Pillow steps over it one at a time
        elif data[pos + 1] == JPEG_SCAN[1]:
            break                               # libjpeg (C) reads on from here
        elif data[pos + 1] in JPEG_BARE:
            pos += 2
        else:
            pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return steps, data.count(JPEG_SCAN)


def gif_walk(data, stop):
    """GIF bytes -> blocks, sub-blocks and stray bytes before the first image, up to stop."""
    flags = data[GIF_FLAGS] if len(data) > GIF_FLAGS else 0
    palette = 3 << ((flags & GIF_PALETTE_BITS) + 1) if flags & GIF_PALETTE_FLAG else 0   # RGB triples
    pos, steps = GIF_SCREEN_END + palette, 0
    while pos < len(data) and steps < stop and data[pos] not in b",;":   # image descriptor, trailer
        steps += 1
        if data[pos] != ord("!"):
            pos += 1                            # stray byte
            continue
        pos += 2                                # extension introducer and label, then its sub-blocks
        while pos < len(data) and data[pos] and steps < stop:
            steps += 1
            pos += 1 + data[pos]
        pos += 1
    return steps
