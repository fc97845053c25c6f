"""Any drawing or photo -> the 28x28 input MNIST would have made, recording each step for the page."""

import numpy as np
from PIL import Image, ImageOps

from . import config as C
from .decode import FORMATS, ImageError, ImageTooLarge, UndecodableImage, border, decode, ink_of  # noqa: F401

PREVIEW = 64                   # recorded steps are shrunk to at most this many pixels a side
PEAK_PERCENTILE = 99          # full ink is this percentile of the pixels that stand out from the background
NOISE_FLOOR = 0.15             # after contrast stretching, fainter values are background (paper grain)
MIN_CONTRAST = 0.08            # ink must differ from the background by this much to count


class EmptyImage(ImageError):
    """An image with no ink that stands out from its background."""


def normalise(ink):
    """Stretch ink (H, W) so its background is 0 and its strokes reach 1; faint grain becomes 0."""
    bg = float(np.median(border(ink)))
    strokes = ink[ink > bg + MIN_CONTRAST]
    peak = float(np.percentile(strokes, PEAK_PERCENTILE)) if strokes.size else bg   # a few hot pixels don't count
    if peak - bg < MIN_CONTRAST:
        raise EmptyImage("the drawing is empty: no ink stands out from the background; draw a digit")
    out = np.subtract(ink, bg, dtype=np.float32)        # in place from here: this runs on every request
    np.divide(out, peak - bg, out=out)
    np.clip(out, 0, 1, out=out)
    out[out < NOISE_FLOOR] = 0
    return out


def crop(ink):
    """The bounding box of the non-zero pixels of ink (H, W)."""
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def scale(ink, box=C.DIGIT_BOX):
    """Resize ink (h, w) so its longer side is box pixels, keeping the aspect ratio, anti-aliased."""
    h, w = ink.shape
    f = box / max(h, w)
    size = (max(1, round(w * f)), max(1, round(h * f)))
    resample = Image.Resampling.BOX if f < 1 else Image.Resampling.BILINEAR   # area average when shrinking
    return np.clip(np.asarray(Image.fromarray(ink, "F").resize(size, resample)), 0, 1).astype(np.float32)


def centre(ink, size=C.IMAGE_SIZE):
    """Place ink (h, w) in a size x size black image with its centre of mass at the centre."""
    h, w = ink.shape
    total = float(ink.sum())
    cy = float((ink.sum(axis=1) * np.arange(h)).sum() / total)
    cx = float((ink.sum(axis=0) * np.arange(w)).sum() / total)
    # MNIST put the centre of mass at pixel index size/2 (14.0, not 13.5: the training set's mean is 14.00)
    top, left = round(size / 2 - cy), round(size / 2 - cx)
    top, left = min(max(top, 0), size - h), min(max(left, 0), size - w)   # keep the whole digit inside
    out = np.zeros((size, size), np.float32)
    out[top:top + h, left:left + w] = ink
    return out


def preview(ink):
    """ink (H, W) in [0, 1] -> uint8 (h, w) at most PREVIEW pixels a side, for the page to show."""
    if max(ink.shape) > PREVIEW:
        ink = scale(ink, PREVIEW)
    return np.round(np.clip(ink, 0, 1) * C.BYTE_MAX).astype(np.uint8)


def preprocess(data):
    """Image bytes -> (x (28, 28) float32 in [0, 1], steps: list of (name, caption, uint8 preview))."""
    return preprocess_ink(decode(data))


def preprocess_image(img):
    """A Pillow image -> (x, steps) as preprocess gives for its bytes (the way up its EXIF says), with no decoding
    budget: it is already decoded."""
    return preprocess_ink(ink_of(ImageOps.exif_transpose(img)))


def preprocess_ink(ink):
    """ink (H, W) in [0, 1], white on black -> (x (28, 28), steps) as MNIST was made."""
    steps = [("original", f"Your image ({ink.shape[1]}x{ink.shape[0]}) as ink: white digit on black",
              preview(ink))]
    ink = normalise(ink)
    steps.append(("normalised", "Background set to 0 and the strongest strokes to 1", preview(ink)))
    ink = crop(ink)
    steps.append(("cropped", f"Cropped to the ink ({ink.shape[1]}x{ink.shape[0]})", preview(ink)))
    ink = scale(ink)
    steps.append(("scaled", f"Scaled to fit {C.DIGIT_BOX}x{C.DIGIT_BOX} ({ink.shape[1]}x{ink.shape[0]})",
                  preview(ink)))
    x = centre(ink)
    steps.append(("centred", f"Centred by its centre of mass in {C.IMAGE_SIZE}x{C.IMAGE_SIZE}: "
                  "what the network sees", preview(x)))
    return x, steps
