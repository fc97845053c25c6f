"""MNIST-style preprocessing: polarity, crop, scale to 20 px, centre of mass, on every kind of image."""

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

import cnn
from cnn import config as C
from cnn import mnist
from cnn.preprocess import ImageError, preprocess


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
def test_empty_drawing_is_a_clear_422(image):
    """A blank image is a clear 'empty' answer, not a crash."""
    with pytest.raises(ImageError, match="empty") as e:
        preprocess(encode(image))
    assert e.value.status == 422


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
