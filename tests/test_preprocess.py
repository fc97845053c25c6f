"""MNIST-style preprocessing: polarity, crop, scale to 20 px, centre of mass, on every kind of image."""

import io
import struct
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile, ImageFilter

from cnnviz import cnn
from cnnviz.cnn import config as C
from cnnviz.cnn import decode, mnist
from cnnviz.cnn.preprocess import EmptyImage, ImageTooLarge, preprocess


UPSCALE = 10           # digits are redrawn at 280x280, the size of the page's pad
N_DIGITS = 600         # test digits redrawn per variant (every 10th of the test set)


def encode(img, fmt="PNG"):
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def to_image(ink, scheme):
    """ink (H, W) in [0, 1] -> a Pillow image drawn in one colour scheme, with its file format."""
    a = ink[..., None]
    if scheme == "canvas":         # dark strokes on a transparent background, as a <canvas> exports
        rgba = np.concatenate([np.full(ink.shape + (3,), 25.0), a * 255], axis=-1)
        return Image.fromarray(rgba.astype(np.uint8), "RGBA"), "PNG"
    if scheme == "paper":          # blue ink on off-white paper, photographed: JPEG
        paper, pen = np.array([238, 233, 220]), np.array([30, 35, 90])
        return Image.fromarray((paper * (1 - a) + pen * a).astype(np.uint8), "RGB"), "JPEG"
    if scheme == "chalk":          # light on dark
        board, chalk = np.array([20, 45, 30]), np.array([245, 245, 240])
        return Image.fromarray((board * (1 - a) + chalk * a).astype(np.uint8), "RGB"), "WEBP"
    if scheme == "gray16":         # 16-bit grayscale, dark on light
        return Image.fromarray(((1 - ink) * 65535).astype(np.uint16)), "PNG"   # mode I;16
    if scheme == "palette":        # palette image, dark on white
        return Image.fromarray(((1 - ink) * 255).astype(np.uint8), "L").convert("P"), "GIF"
    if scheme == "bmp":            # plain grayscale BMP, light on dark
        return Image.fromarray((ink * 255).astype(np.uint8), "L"), "BMP"
    raise ValueError(scheme)


def redraw(digit, scale, stroke, offset, canvas=(400, 360)):
    """A 28x28 digit as a person draws it: larger, off-centre, thicker (stroke>0) or thinner (<0)."""
    side = round(C.IMAGE_SIZE * scale)
    img = Image.fromarray(digit.astype(np.float32), "F").resize((side, side), Image.Resampling.BILINEAR)
    if stroke:
        img = img.filter((ImageFilter.MaxFilter if stroke > 0 else ImageFilter.MinFilter)(abs(stroke)))
    out = np.zeros(canvas[::-1], np.float32)
    out[offset[1]:offset[1] + side, offset[0]:offset[0] + side] = np.clip(np.asarray(img), 0, 1)
    return out


VARIANTS = [  # (scheme, scale, stroke filter size, top-left offset on a 400x360 canvas)
    ("canvas", UPSCALE, 0, (20, 30)),
    ("canvas", 12, 9, (40, 10)),
    ("paper", UPSCALE, 5, (90, 60)),
    ("chalk", 8, 0, (150, 120)),
    ("gray16", UPSCALE, -3, (10, 70)),
    ("palette", 9, 7, (60, 50)),
    ("bmp", 11, 0, (30, 20)),
]


@pytest.fixture(scope="module")
def digits():
    images, labels = mnist.load(mnist.DEFAULT_DIR, "test")
    return images[::10][:N_DIGITS], labels[::10][:N_DIGITS]


@pytest.mark.parametrize("scheme, scale, stroke, offset", VARIANTS)
def test_redrawn_digits_classified_as_well_as_originals(digits, scheme, scale, stroke, offset):
    """Redrawn test digits lose at most 1.5 accuracy points against the same digits given directly."""
    images, labels = digits
    model = cnn.load_model()
    direct = (model.predict_proba(images).argmax(axis=1) == labels).mean()
    xs = [preprocess(encode(*to_image(redraw(d, scale, stroke, offset), scheme)))[0] for d in images]
    redrawn = (model.predict_proba(np.stack(xs)).argmax(axis=1) == labels).mean()
    assert redrawn >= direct - 0.015, f"{scheme}: redrawn {redrawn:.4f} vs direct {direct:.4f}"


@pytest.mark.parametrize("scheme", ["canvas", "paper", "chalk", "gray16", "palette", "bmp"])
def test_every_scheme_becomes_white_on_black_centred(scheme):
    """Any polarity and format gives a white digit on black, 20 px on its longer side, mass centred."""
    ink = np.zeros((300, 200), np.float32)
    ink[40:240, 120:150] = 1                    # a tall bar, off-centre: 200 x 30 px
    x, steps = preprocess(encode(*to_image(ink, scheme)))
    assert x.shape == (C.IMAGE_SIZE, C.IMAGE_SIZE) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() == pytest.approx(1, abs=0.05)
    rows = np.flatnonzero(x.max(axis=1) > 0.1)
    assert rows[-1] - rows[0] + 1 == C.DIGIT_BOX
    cy, cx = [(x.sum(axis=1 - a) * np.arange(C.IMAGE_SIZE)).sum() / x.sum() for a in (0, 1)]
    assert abs(cy - 14) <= 0.55 and abs(cx - 14) <= 0.55   # where MNIST puts it, to the whole pixel
    assert [s[0] for s in steps] == ["original", "normalised", "cropped", "scaled", "centred"]
    assert all(s[2].dtype == np.uint8 and max(s[2].shape) <= 64 for s in steps)


def test_animated_gif_uses_first_frame():
    """An animated GIF is read from its first frame."""
    frames = [Image.new("L", (100, 100), 255) for _ in range(2)]
    frames[0].paste(0, (45, 10, 55, 90))
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    x, _ = preprocess(buf.getvalue())
    assert x.max() > 0.9


@pytest.mark.parametrize("image", [
    Image.new("RGBA", (280, 280), (0, 0, 0, 0)),
    Image.new("RGB", (50, 50), (255, 255, 255)),
    Image.new("L", (50, 50), 0),
    Image.new("I;16", (50, 50), 30000),
])
def test_empty_drawing_is_a_clear_error(image):
    """A blank image is a clear 'empty' answer, not a crash."""
    with pytest.raises(EmptyImage, match="empty"):
        preprocess(encode(image))


def test_phone_photo_is_turned_the_way_it_was_taken():
    """A JPEG stored sideways with an EXIF orientation tag is read upright."""
    stored = np.full((100, 300), 255, np.uint8)
    stored[45:55, 50:250] = 0                       # a horizontal bar as stored...
    exif = Image.Exif()
    exif[0x0112] = 6                                # ...shown rotated 90 degrees: a vertical bar
    buf = io.BytesIO()
    Image.fromarray(stored, "L").save(buf, "JPEG", exif=exif.tobytes())
    x, _ = preprocess(buf.getvalue())
    rows, cols = np.flatnonzero(x.max(axis=1) > 0.1), np.flatnonzero(x.max(axis=0) > 0.1)
    assert rows[-1] - rows[0] + 1 == C.DIGIT_BOX and cols[-1] - cols[0] + 1 < 5


# Large images of every mode each accepted format decodes to: a result or an ImageError, never anything else.
BIG = (2560, 1600)         # the pixel budget's own shape, and a long side past 4x the working size
BAR = (1180, 300, 1380, 1300)   # a tall dark bar, as a digit "1", on a BIG image


def bar_box(size):
    """BAR scaled to an image of size (w, h)."""
    return tuple(v * size[i % 2] // BIG[i % 2] for i, v in enumerate(BAR))


def bar_image(mode, size=BIG):
    """A dark bar on white in any Pillow mode."""
    img = Image.new("L", size, 255)
    img.paste(0, bar_box(size))
    if mode.startswith("I;16"):
        return Image.fromarray(np.asarray(img).astype(np.uint16) * 257)   # 16-bit, white = 65535
    return img.convert(mode)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(size, depth, colour, interlace=0, extra=b""):
    """A PNG written by hand, for the layouts Pillow cannot write: a dark bar on white, any depth and colour type."""
    w, h = size
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    levels = (1 << depth) - 1
    left, top, right, bottom = bar_box(size)
    ink = np.full((h, w), levels, np.uint32)
    ink[top:bottom, left:right] = 0
    samples = np.repeat(ink[..., None], channels, axis=2)
    if colour in (4, 6):
        samples[..., -1] = levels                        # opaque
    passes = ([(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
              if interlace else [(0, 0, 1, 1)])
    raw = b""
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.size:
            raw += raw_rows(sub, depth)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, interlace)
    greys = np.arange(levels + 1) * C.BYTE_MAX // levels               # palette index i is grey i / levels
    palette = chunk(b"PLTE", bytes(np.repeat(greys, 3).astype(np.uint8))) if colour == 3 else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + palette + extra + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def raw_rows(samples, depth):
    """(h, w, channels) samples -> PNG scanlines, each with filter byte 0."""
    h = samples.shape[0]
    if depth == 16:
        body = samples.astype(">u2").reshape(h, -1).view(np.uint8)
    else:
        bits = np.unpackbits(samples.astype(np.uint8).reshape(h, -1, 1), axis=2)[..., 8 - depth:]
        body = np.packbits(bits.reshape(h, -1), axis=1)
    return np.concatenate([np.zeros((h, 1), np.uint8), body], axis=1).tobytes()


PILLOW_WRITES = [  # (format, mode Pillow writes) -> each decodes to one of PNG 1, L, LA, P, RGB, RGBA, I;16;
    ("PNG", m) for m in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16")] + [   # JPEG L, RGB, CMYK; WebP RGB, RGBA;
    ("JPEG", m) for m in ("L", "RGB", "CMYK", "YCbCr")] + [                 # GIF L, P; BMP 1, L, P, RGB
    ("WEBP", m) for m in ("RGB", "RGBA", "LA")] + [("GIF", m) for m in ("1", "L", "P")] + [
    ("BMP", m) for m in ("1", "L", "P", "RGB", "RGBA")]
HAND_SIZE = (2400, 800)   # within the PNG budget of decoded bytes even at 16-bit RGBA
HAND_WRITTEN = [  # (bit depth, colour type, interlace): PNG layouts Pillow reads but does not write
    (2, 0, 0), (4, 0, 0), (16, 0, 1), (16, 2, 0), (16, 4, 0), (16, 6, 1), (8, 6, 1), (4, 3, 0), (16, 2, 1)]


def assert_bar(data):
    """data is read as the bar: 20 px tall, centred, white on black."""
    x, _ = preprocess(data)
    rows = np.flatnonzero(x.max(axis=1) > 0.5)
    assert x.max() > 0.9 and rows[-1] - rows[0] + 1 == C.DIGIT_BOX


@pytest.mark.parametrize("fmt, mode", PILLOW_WRITES, ids=[f"{f}-{m}" for f, m in PILLOW_WRITES])
@pytest.mark.parametrize("size", [(2240, 400), BIG], ids=["2240 wide", "2560x1600"])
def test_large_image_of_every_mode_is_read(fmt, mode, size):
    """Every mode each format decodes to, at 4x the working size and at the pixel budget, gives the digit (a
    16-bit PNG of 2,240 px or more was a ValueError from Image.reduce)."""
    assert_bar(encode(bar_image(mode, size), fmt))


@pytest.mark.parametrize("depth, colour, interlace", HAND_WRITTEN)
def test_large_png_of_every_layout_is_read(depth, colour, interlace):
    """PNG bit depths and colour types Pillow cannot write (2- and 4-bit grey, 16-bit colour, interlaced)."""
    assert_bar(raw_png(HAND_SIZE, depth, colour, interlace))


@pytest.mark.parametrize("key, colour", [(struct.pack(">H", 65535), 0), (struct.pack(">HHH", 255, 255, 255), 2)])
def test_transparent_colour_key_is_read(key, colour):
    """A grey or RGB PNG whose white is keyed transparent: the bar is read as ink."""
    depth = 16 if colour == 0 else 8
    assert_bar(raw_png(BIG, depth, colour, extra=chunk(b"tRNS", key)))


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "HSV",
                                  "I", "I;16", "I;16B", "I;16L", "F"])   # not Pillow's working modes La, RGBa, LAB
def test_every_pillow_mode_becomes_an_ink_map(mode):
    """Every mode a Pillow decoder produces, even those no accepted format decodes to, becomes a reduced ink map."""
    img = Image.new("L", (1200, 700), 255)
    img.paste(0, (500, 100, 700, 600))
    words = np.asarray(img).astype(np.uint16) * 257                  # 16-bit, white = 65535
    if mode.startswith("I;16"):
        img = Image.frombytes(mode, img.size, words.astype(">u2" if mode == "I;16B" else "<u2").tobytes())
    elif mode == "I":
        img = Image.fromarray(words.astype(np.int32))
    else:
        img = img.convert(mode)
    channel, white, _ = decode.ink_channel(img)
    ink = np.divide(channel.reduce(3), white, dtype=np.float32)
    assert ink.shape == (234, 400) and 0 <= ink.min() and ink.max() <= 1 and ink.max() - ink.min() > 0.5


def decoded_sizes(monkeypatch):
    """The sizes Pillow decodes images at, recorded from here on."""
    sizes, load = [], ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: sizes.append(self.size) or load(self))
    return sizes


def test_4096_png_is_refused_before_decoding(monkeypatch):
    """A 4096x4096 PNG (a 75 KB file; 0.36 s and 64 MB to decode) is refused from its header, never decoded."""
    data = encode(bar_image("RGBA", (4096, 4096)))
    sizes = decoded_sizes(monkeypatch)
    with pytest.raises(ImageTooLarge, match="4096x4096.*at most"):
        preprocess(data)
    assert sizes == []


def test_4096_jpeg_is_decoded_drafted(monkeypatch):
    """A 4096x4096 JPEG is decoded at a quarter of its size (DCT scaling), not in full."""
    data = encode(bar_image("RGB", (4096, 4096)), "JPEG")
    sizes = decoded_sizes(monkeypatch)
    preprocess(data)
    assert sizes and max(max(s) for s in sizes) <= 4096 // 4


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "GIF", "BMP"])
def test_images_past_the_budget_are_refused_cheaply(fmt):
    """Past the pixel budget, every format that cannot be drafted is refused from its header, in milliseconds."""
    data = encode(bar_image("L" if fmt != "WEBP" else "RGB", (4096, 2048)), fmt)
    start = time.process_time()
    with pytest.raises(ImageTooLarge, match="4096x2048"):
        preprocess(data)
    assert time.process_time() - start < 0.05      # decoding it took 0.05-0.3 s


@pytest.mark.parametrize("side", [10_000, 20_000])
def test_decompression_bomb_is_refused_without_a_warning(side):
    """A PNG claiming side x side pixels (past Pillow's warning or error threshold) is refused, not logged."""
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with pytest.raises(ImageTooLarge, match="pixels"):
            preprocess(bomb + chunk(b"IDAT", zlib.compress(b"\0" * (side + 1))) + chunk(b"IEND", b""))
    assert seen == []
