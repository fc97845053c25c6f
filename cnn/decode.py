"""Image bytes -> ink map, with the decoder's work bounded from the image's header before a pixel is decoded."""

import io
import math
import warnings

import numpy as np
from PIL import Image, ImageOps

from . import config as C
from . import containers

FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")   # what Pillow may decode
WORK_SIZE = 560                # images are reduced to at most this many pixels a side before anything else
WORD = 65535                   # 16-bit channel maximum
ALPHA_MODES = ("RGBA", "LA", "PA")   # modes with an alpha channel of their own
MB = 1024 * 1024

# Budgets: the worst image within them costs about 100 ms of CPU to decode here (benchmarks/decoding.py), so
# one upload never stalls the other connections of an event-loop worker for long.
SCREEN = (2560, 1600)          # the largest screen whose images are decoded whole
MAX_PIXELS = SCREEN[0] * SCREEN[1]   # decoded pixels of any image; a JPEG's after drafting
MAX_PNG_BITS = MAX_PIXELS * 32  # a PNG's decoded samples (as many as an 8-bit RGBA image of MAX_PIXELS)
MAX_JPEG_PIXELS = 8064 * 6048  # a baseline JPEG's own pixels (a 48-megapixel photo), drafted to <= 1/8 of them
MAX_SCANS = 32                 # JPEG scans: each pass of a progressive JPEG revisits every block (libjpeg: 10)
MAX_BLOCKS = 4096              # PNG chunks, JPEG markers or GIF blocks (an 8 MB libpng file has 1,024 chunks)
MAX_PACKED = 8                 # compressed PNG metadata chunks (each inflates to up to 1 MB)
MAX_RLE_PIXELS = 1024 * 1024   # an RLE BMP's pixels: Pillow decodes RLE in Python
MAX_BYTES = {                  # kind -> file size, where decoding costs by the byte more than by the pixel
    "PNG": 1 * MB, "WebP": 1 * MB, "progressive JPEG": 2 * MB, "RLE BMP": MB // 4,
}
BMP_RLE = (1, 2)               # BMP compression: RLE8, RLE4


class ImageError(ValueError):
    """An image that cannot become the network's input; the message says why and what would work."""


class UndecodableImage(ImageError):
    """Bytes that are not an image in one of FORMATS, or are damaged."""


class ImageTooLarge(ImageError):
    """An image that would cost more to decode than the budgets allow."""


def over(what, value, limit, unit=""):
    """ImageTooLarge naming the value, the limit and what would work."""
    return ImageTooLarge(f"{what} {value:,}{unit}: at most {limit:,}{unit} are accepted; send a smaller image "
                         f"(a PNG or JPEG of the digit, up to {SCREEN[0]}x{SCREEN[1]})")


def structure(problem):
    """ImageTooLarge for a file whose structure is the problem."""
    return ImageTooLarge(f"{problem}: save it again from an image editor, or send a PNG of the digit")


def check_structure(data):
    """Refuse a file whose structure alone would keep Pillow's Python parsers busy."""
    if data.startswith(containers.PNG_SIGNATURE):
        chunks, packed, _ = containers.png_walk(data, MAX_BLOCKS + 1)
        if chunks > MAX_BLOCKS:
            raise structure(f"the PNG has over {MAX_BLOCKS:,} chunks")
        if packed > MAX_PACKED:
            raise structure(f"the PNG has {packed} compressed metadata chunks (at most {MAX_PACKED})")
    elif data.startswith(containers.JPEG_SOI):
        steps, scans = containers.jpeg_walk(data, MAX_BLOCKS + 1)
        if steps > MAX_BLOCKS:
            raise structure(f"the JPEG has over {MAX_BLOCKS:,} markers or stray bytes before its image")
        if scans > MAX_SCANS:
            raise structure(f"the JPEG has {scans} scans (at most {MAX_SCANS})")
    elif data.startswith(containers.GIF_SIGNATURE) and containers.gif_walk(data, MAX_BLOCKS + 1) > MAX_BLOCKS:
        raise structure(f"the GIF has over {MAX_BLOCKS:,} blocks before its first image")


def check_budget(img, data):
    """Refuse an opened (not decoded) image that would cost more than the budgets, and draft a JPEG."""
    kind = {"WEBP": "WebP"}.get(img.format, img.format)
    w, h = img.size
    if img.format == "JPEG":
        if img.info.get("progressive"):        # every coefficient is kept and revisited: drafting saves little
            kind, limit = "progressive JPEG", MAX_PIXELS
        else:
            limit = MAX_JPEG_PIXELS
        if w * h > limit:
            raise over(f"the {kind} ({w}x{h}) has", w * h, limit, " pixels")
        img.draft("L", (WORK_SIZE, WORK_SIZE))   # DCT scaling to the smallest size >= WORK_SIZE; colour as luma
    if img.format == "BMP" and img.info.get("compression") in BMP_RLE:
        kind = "RLE BMP"
        if w * h > MAX_RLE_PIXELS:
            raise over(f"the RLE BMP ({w}x{h}) has", w * h, MAX_RLE_PIXELS, " pixels")
    if img.format == "PNG":
        bits = containers.png_walk(data, 1)[2] * w * h
        if bits > MAX_PNG_BITS:
            raise over(f"the PNG ({w}x{h}) decodes to", bits // 8, MAX_PNG_BITS // 8, " bytes")
    if img.width * img.height > MAX_PIXELS:
        raise over(f"the image ({img.width}x{img.height}{' once drafted' if (w, h) != img.size else ''}) has",
                   img.width * img.height, MAX_PIXELS, " pixels")
    if len(data) > MAX_BYTES.get(kind, len(data)):
        raise over(f"the {kind} file has", len(data), MAX_BYTES[kind], " bytes")


def open_bounded(data):
    """Image bytes -> a Pillow image, opened and drafted but not decoded, within the budgets."""
    check_structure(data)
    with warnings.catch_warnings():      # here, not at import; not thread-safe, but a gevent worker has one thread
        warnings.simplefilter("error", Image.DecompressionBombWarning)   # a bomb is an error, never a log line
        try:
            img = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise ImageTooLarge(f"the image has far too many pixels: at most {MAX_PIXELS:,} are accepted; "
                                "send a smaller image") from None
    check_budget(img, data)
    return img


def decode(data):
    """Image bytes -> ink (H, W) float32 in [0, 1], white digit on black, at most WORK_SIZE a side."""
    try:
        img = open_bounded(data)
        img.seek(0)            # first frame of an animated GIF or WebP
        img.load()
        ImageOps.exif_transpose(img, in_place=True)   # a phone photo, the way up it was taken
    except ImageError:
        raise
    except Exception as e:     # Pillow raises many types for bad bytes: UnidentifiedImageError, OSError, ...
        raise UndecodableImage(f"cannot decode the image ({e}); send a PNG, JPEG, WebP, GIF or BMP") from None
    return ink_of(img)


def ink_of(img):
    """A decoded Pillow image -> ink (H, W) float32 in [0, 1], white digit on black, at most WORK_SIZE a side."""
    channel, white, is_opacity = ink_channel(img)
    factor = math.ceil(max(channel.size) / WORK_SIZE)
    if factor > 1:             # a big image: average factor x factor blocks, the digit ends up 20 px anyway
        channel = channel.reduce(factor)
    ink = np.divide(channel, white, dtype=np.float32)
    np.clip(ink, 0, 1, out=ink)
    if not is_opacity and np.median(border(ink)) > 0.5:    # dark on light -> light on dark
        np.subtract(1, ink, out=ink)
    return ink


def ink_channel(img):
    """A decoded image of any mode -> (one L, I or F channel, its white value, whether it is opacity): the
    opacity of strokes drawn on a transparent background, else the grey level (ITU-R 601 luma)."""
    if img.mode.startswith("I;16") or img.mode == "I":
        return img.convert("I"), WORD, False            # 16-bit grey as 32-bit, which Image.reduce averages
    if img.mode == "F":
        return img, max(1.0, float(img.getextrema()[1])), False
    if img.mode in ALPHA_MODES or "transparency" in img.info:
        alpha = (img if img.mode in ALPHA_MODES else img.convert("RGBA")).getchannel("A")
        if alpha.getextrema()[0] <= C.BYTE_MAX // 2:     # a transparent background: opacity is ink
            return alpha, C.BYTE_MAX, True
    return img.convert("L"), C.BYTE_MAX, False


def border(a):
    """The outermost pixels of a (H, W) map, as one vector."""
    return np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
