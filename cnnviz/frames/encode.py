"""Pictures to files: PNG, and a looping GIF written frame by frame (each frame only the part that changed), so
that whoever makes one can let other work run between frames."""

import io

import numpy as np
from PIL import GifImagePlugin, Image

from .draw import THEME
from .scales import COLOURS, colours, rgb

MAX_GIF_BYTES = 2 * 1024 * 1024      # a slide's animation: at most 2 MB
CLEAR = 255                          # the palette index of a GIF frame's transparent (unchanged) pixels
NEAR_WHITE = 249                     # colours lighter than this in every channel, white aside, are left out


def make_palette():
    """256 colours every frame is mapped to (the GIF's one table): each scale finely, greys for the digit and
    the text's edges, the highlights and the theme."""
    ramps = [colours(np.linspace(0, 1, n), scale, 0, 1)
             for scale, n in (("diverging", 80), ("sequential", 64), ("image", 64))]
    fixed = np.array([rgb(c) for c in list(COLOURS.values()) + list(THEME)], np.uint8)
    found = np.unique(np.concatenate(ramps + [fixed]), axis=0)
    # Pillow maps a colour through a cache of 4 x 4 x 4 blocks, each to the entry nearest the block's corner: the
    # near-whites closer to (252, 252, 252) than white is would stand in for the background.
    found = found[(found.min(axis=1) < NEAR_WHITE) | (found.min(axis=1) == 255)]
    assert len(found) <= CLEAR, "the colours must leave the transparent index free"
    table = np.zeros((256, 3), np.uint8)
    table[:len(found)] = found
    img = Image.new("P", (1, 1))
    img.putpalette(table.tobytes())
    return img


PALETTE = make_palette()


def png(img):
    """An RGB picture -> PNG bytes (its own colours, not the GIF's table)."""
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def indexed(img):
    """An RGB frame -> the same frame in the GIF's colour table, nearest colour, no dithering."""
    return img.quantize(palette=PALETTE, dither=Image.Dither.NONE)


LOOP_FOREVER = b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"   # the application extension: loop, count 0


def gif_chunks(frames, durations, pause=None):
    """Yield a looping GIF's bytes, frame by frame: frames are RGB pictures of one size, durations in ms. Each
    frame after the first is only the rectangle that changed, its unchanged pixels transparent (the frame before
    shows through): long runs of one index, which GIF's LZW packs well (conv2's animation 1.3 MB, not 2.7).
    pause() runs after each frame (a server lets its other requests run there)."""
    previous = None
    for img, ms in zip(frames, durations):
        frame = indexed(img)
        if previous is None:
            w, h = frame.size
            yield (b"GIF89a" + w.to_bytes(2, "little") + h.to_bytes(2, "little")
                   + bytes([0xF7, 0, 0])                      # a global table of 256 colours, background 0
                   + bytes(PALETTE.getpalette()[:768]) + LOOP_FOREVER)
            yield b"".join(GifImagePlugin.getdata(frame, duration=ms))
        else:
            box = changed(previous, frame)
            part = np.asarray(frame.crop(box)).copy()                      # (h, w) palette indices
            part[np.asarray(previous.crop(box)) == part] = CLEAR
            delta = Image.fromarray(part, "P")
            delta.putpalette(PALETTE.getpalette())
            yield b"".join(GifImagePlugin.getdata(delta, offset=box[:2], duration=ms, transparency=CLEAR,
                                                  disposal=1))          # 1: keep this frame under the next
        previous = frame
        if pause:
            pause()
    yield b";"


def changed(before, after):
    """The box (x0, y0, x1, y1) of the pixels that differ between two indexed frames (all of the first one)."""
    if before is None:
        return (0, 0, *after.size)
    differ = np.asarray(before) != np.asarray(after)                                 # (h, w)
    rows, cols = np.flatnonzero(differ.any(axis=1)), np.flatnonzero(differ.any(axis=0))
    if not len(rows):
        return (0, 0, 1, 1)                                  # nothing changed: one pixel carries the frame's time
    return (int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1)
