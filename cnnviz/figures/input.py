"""The input: the 28x28 numbers the network receives, and the preprocessing steps that made them from the image given
(cropped, scaled to fit 20x20, centred by its centre of mass, as MNIST was made). Its animation walks the steps."""

from .base import MUTED, ROOM, SIZE, Canvas, State, outline
from .words import text_height

MAP = 360                # px of the input map's side
SIDE_X = MAP + 80        # px from the left of the steps, right of the map and its colour bar
PER_ROW = 3              # steps' pictures in a row
GAP = 24
STEP = (ROOM - SIDE_X) // PER_ROW - GAP     # px of a step's picture
UNIT = "pixel"


def positions(v):
    return ()                                                     # one picture, as the page's input view


def caption(v):
    n = v.line.output.size
    return f"The network sees {n} numbers: white digit on black, cropped, scaled and centred like MNIST."


def legends(v):
    return ["image"]


def build(v, title, mode):
    """The input map, the preprocessing steps beside it, in rows, their words under them -> (canvas, None)."""
    x = v.line.output[0]                                          # (28, 28) in [0, 1]
    steps = v.walk.preprocessing if hasattr(v.walk, "preprocessing") else []
    side_x, room = SIDE_X, ROOM - SIDE_X
    step_row = STEP + SIZE + 16
    words_y = 2 * SIZE + 26 + -(-len(steps) // PER_ROW) * step_row
    words = ("<br>".join(f"{name}: {text}" for name, text, _ in steps) if steps else
             f"This image was given as {x.shape[0]}×{x.shape[1]} numbers, so there was nothing to preprocess.")
    pixels = f"Each of the {x.size} pixels is one number between 0 (black) and 1 (white).<br>Hover a pixel to see it."
    pixels_y = words_y + text_height(words, room, SIZE - 2) + 16
    canvas = Canvas(ROOM, max(MAP + SIZE + 8, pixels_y + text_height(pixels, room, SIZE - 1)), title)
    p = canvas.panel(0, SIZE + 8, MAP, MAP, title=f"input {x.shape[0]}×{x.shape[1]}", rows=x.shape[0], cols=x.shape[1])
    canvas.heatmap(p, x, scale_name="image", zrange=(0, 1), name="pixel", bar=(MAP + 8, SIZE + 8, MAP))
    canvas.keep(canvas.note(side_x, 0, "<b>How your image became this</b>"))
    v.step_panels = []
    for n, (name, text, img) in enumerate(steps):                 # img: uint8 (h, w) preview
        q = canvas.panel(side_x + n % PER_ROW * (STEP + GAP), 2 * SIZE + 26 + n // PER_ROW * step_row, STEP, STEP,
                         title=name, rows=img.shape[0], cols=img.shape[1])
        canvas.heatmap(q, img, scale_name="image", zrange=(0, 255), name=f"{name}: byte")
        v.step_panels.append((q, img.shape, text))
    canvas.keep(canvas.note(side_x, words_y, words, size=SIZE - 2, font={"size": SIZE - 2, "color": MUTED}))
    canvas.keep(canvas.note(side_x, pixels_y, pixels, size=SIZE - 1))
    return canvas, None


def states(v, canvas):
    """The animation: each preprocessing step outlined in turn, its words under the pictures, then the input."""
    out = []
    for q, (h, w), text in v.step_panels:
        out.append(State({}, [outline(q, 0, 0, h - 1, w - 1, "current")]))
    x = v.line.output[0]
    out.append(State({}, [outline(("x", "y"), 0, 0, x.shape[0] - 1, x.shape[1] - 1, "current")]))
    return out, [name for name, _, _ in getattr(v.walk, "preprocessing", [])] + ["the network's input"]
