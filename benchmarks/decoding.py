"""Decoding budgets: the CPU time of preprocessing the worst image each format's budget accepts.

Run: python3 benchmarks/decoding.py [--repeat 5]
For each format, images at the edges of its budget (pixels, decoded bytes, file bytes, JPEG scans) are generated,
from flat to noisy, interlaced or not; each is preprocessed --repeat times and timed in process CPU (the best
run, so other load on the machine does not count); the slowest one each format accepts is printed, then a phone
photo and a canvas export for scale. Generating the images takes a minute or two.
"""

import argparse
import io
import struct
import sys
import time
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cnnviz.app import MAX_BODY  # noqa: E402
from benchmarks.server import canvas_png  # noqa: E402
from cnnviz.cnn import decode as D  # noqa: E402
from cnnviz.cnn.containers import PNG_CHANNELS, PNG_SIGNATURE  # noqa: E402
from cnnviz.cnn.preprocess import ImageError, preprocess  # noqa: E402

SCREEN = D.SCREEN            # MAX_PIXELS's own shape
PHOTO = (4032, 3024)        # a 12-megapixel phone photo
NOISE = (0, 0.01, 0.02, 0.03, 0.05, 0.1, 0.3)   # fraction of samples made random: flat to noisy
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
rng = np.random.default_rng(0)


def encoded(img, fmt, **options):
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size, depth, colour, interlace, noise):
    """A PNG written by hand: every row with the Paeth filter (the costliest to undo), noise of random bytes."""
    w, h = size
    bits = PNG_CHANNELS[colour] * depth
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = b""
    for x0, y0, dx, dy in passes:
        pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
        if pw and ph:
            rows = np.zeros((ph, 1 + (pw * bits + 7) // 8), np.uint8)
            random = rng.random(rows[:, 1:].shape) < noise
            rows[:, 1:][random] = rng.integers(0, 256, random.sum(), dtype=np.uint8)
            rows[:, 0] = 4
            raw += rows.tobytes()
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, interlace)
    palette = chunk(b"PLTE", bytes(range(256)) * 3) if colour == 3 else b""
    return PNG_SIGNATURE + chunk(b"IHDR", ihdr) + palette + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def noisy(size, amplitude, mode="RGB"):
    """A dark bar on a light ground, each sample shifted by up to +-amplitude at random."""
    w, h = size
    grey = np.full((h, w), 220, np.int16)
    grey[h // 4:3 * h // 4, w // 2 - w // 40:w // 2 + w // 40] = 30
    rgb = np.stack([grey, grey, grey * 4 // 5], axis=-1) + rng.integers(-amplitude, amplitude + 1, (h, w, 3))
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).convert(mode)


def more_scans(data, total):
    """A progressive JPEG with its last scan repeated up to total scans (libjpeg only warns)."""
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * (total - data.count(b"\xff\xda")) + data[-2:]


def rle_bmp(size, rle, depth):
    """An RLE8 or RLE4 BMP with a grey palette."""
    colours = 1 << depth
    palette = bytes(np.repeat(np.arange(0, 256, 256 // colours, dtype=np.uint8), 4))
    info = struct.pack("<IiiHHIIiiII", 40, *size, 1, depth, 1 if depth == 8 else 2, len(rle), 0, 0, 0, 0)
    offset = 14 + len(info) + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(rle), 0, 0, offset) + info + palette + rle


def png_candidates():
    for colour, depth in [(6, 8), (6, 16), (4, 16), (2, 8), (2, 16), (0, 16), (0, 8), (0, 1), (3, 8)]:
        pixels = min(D.MAX_PIXELS, D.MAX_PNG_BITS // (PNG_CHANNELS[colour] * depth))
        size = (SCREEN[0], pixels // SCREEN[0])
        for interlace in (0, 1):
            for noise in NOISE:
                yield f"{size[0]}x{size[1]} {depth}-bit colour type {colour}, interlaced {interlace}, noise {noise}", \
                    png(size, depth, colour, interlace, noise)


def jpeg_candidates():
    for size in (PHOTO, (8064, 6048)):
        for amplitude, quality in [(0, 75), (12, 90), (30, 95), (60, 95)]:
            yield f"{size[0]}x{size[1]} baseline, noise {amplitude}, q{quality}", \
                encoded(noisy(size, amplitude), "JPEG", quality=quality)
    for amplitude, quality in [(0, 75), (3, 90), (6, 90), (12, 90), (30, 75)]:
        data = encoded(noisy(SCREEN, amplitude), "JPEG", quality=quality, progressive=True)
        yield f"{SCREEN[0]}x{SCREEN[1]} progressive, noise {amplitude}, q{quality}, {D.MAX_SCANS} scans", \
            more_scans(data, D.MAX_SCANS)


def webp_candidates():
    for amplitude in (0, 5, 10, 20, 40):
        for options in ({"quality": 80}, {"quality": 100}, {"lossless": True}):
            yield f"{SCREEN[0]}x{SCREEN[1]} {options}, noise {amplitude}", \
                encoded(noisy(SCREEN, amplitude, "RGBA"), "WEBP", **options)


def gif_candidates():
    for amplitude in (0, 10, 40, 120):
        for mode in ("L", "P"):
            yield f"{SCREEN[0]}x{SCREEN[1]} {mode}, noise {amplitude}", encoded(noisy(SCREEN, amplitude, mode), "GIF")


def bmp_candidates():
    for mode in ("1", "L", "P", "RGB"):
        w = SCREEN[0]
        h = min(SCREEN[1], MAX_BODY // (w * {"1": 1, "L": 1, "P": 1, "RGB": 3}[mode]))
        yield f"{w}x{h} {mode}", encoded(noisy((w, h), 40, mode), "BMP")
    side = int(D.MAX_RLE_PIXELS ** 0.5)
    row4 = b"\xff\x12" * (side // 255) + bytes([side % 255, 0x12]) + b"\0\0"      # runs: a Python step a pixel
    yield f"{side}x{side} RLE4, full runs", rle_bmp((side, side), row4 * side, 4)
    rows = D.MAX_BYTES["RLE BMP"] // (2 * side + 2) - 1                             # one-pixel runs, then skip
    skips = b"".join(b"\0\2\0" + bytes([min(255, side - r)]) for r in range(rows, side, 255))   # to the end
    yield f"{side}x{side} RLE8, {rows} rows of one-pixel runs", \
        rle_bmp((side, side), (b"\x01\x80" * side + b"\0\0") * rows + skips + b"\0\1", 8)


def cpu_ms(data, repeat):
    """(best process CPU ms of preprocess(data), 'ok' or the error's class)."""
    best, outcome = float("inf"), "ok"
    for _ in range(repeat):
        start = time.process_time()
        try:
            preprocess(data)
        except ImageError as e:
            outcome = type(e).__name__
        best = min(best, time.process_time() - start)
    return best * 1000, outcome


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"budgets: {D.MAX_PIXELS:,} pixels; PNG {D.MAX_PNG_BITS // 8:,} decoded bytes; JPEG {D.MAX_JPEG_PIXELS:,} "
          f"pixels before drafting, {D.MAX_SCANS} scans; file bytes {D.MAX_BYTES}; body {MAX_BODY:,} bytes")
    print(f"{'format':6s} {'worst accepted':>14s}  image")
    for name, candidates in [("PNG", png_candidates), ("JPEG", jpeg_candidates), ("WebP", webp_candidates),
                             ("GIF", gif_candidates), ("BMP", bmp_candidates)]:
        worst = (0.0, "none accepted")
        for label, data in candidates():
            if len(data) > MAX_BODY:
                continue
            ms, outcome = cpu_ms(data, 1)
            if outcome in ("ok", "EmptyImage") and ms > worst[0]:
                worst = (cpu_ms(data, args.repeat)[0], f"{label} ({len(data):,} bytes)")
        print(f"{name:6s} {worst[0]:11.1f} ms  {worst[1]}", flush=True)
    photo = encoded(noisy(PHOTO, 12), "JPEG", quality=90)
    print(f"for scale: a {PHOTO[0]}x{PHOTO[1]} photo JPEG ({len(photo):,} bytes) "
          f"{cpu_ms(photo, args.repeat)[0]:.1f} ms; a 280x280 canvas PNG {cpu_ms(canvas_png(), args.repeat)[0]:.1f} ms")


if __name__ == "__main__":
    main()
