"""The input: the 28x28 numbers the network receives, and the preprocessing steps that made them from the image given
(cropped, scaled to fit 20x20, centred by its centre of mass, as MNIST was made). Its animation walks the steps."""

from .base import MUTED, SIZE, Canvas, State, outline

MAP = 420                # px of the input map's side
STEP = 118               # px of a step's picture
GAP = 24
UNIT = "pixel"


def positions(v):
    return ()                                                     # one picture, as the page's input view


def caption(v):
    n = v.line.output.size
    return f"The network sees {n} numbers: white digit on black, cropped, scaled and centred like MNIST."


def legends(v):
    return ["image"]


def build(v, title, mode):
    """The input map, the preprocessing steps beside it -> (canvas, None)."""
    x = v.line.output[0]                                          # (28, 28) in [0, 1]
    steps = v.walk.preprocessing if hasattr(v.walk, "preprocessing") else []
    side_x = MAP + 90
    width = side_x + max(len(steps) * (STEP + GAP), 470)
    canvas = Canvas(width, MAP + SIZE + 8, title)
    p = canvas.panel(0, SIZE + 8, MAP, MAP, title=f"input {x.shape[0]}×{x.shape[1]}", rows=x.shape[0], cols=x.shape[1])
    canvas.heatmap(p, x, scale_name="image", zrange=(0, 1), name="pixel", bar=(MAP + 8, SIZE + 8, MAP))
    canvas.keep(canvas.note(side_x, 0, "<b>How your image became this</b>"))
    v.step_panels = []
    for n, (name, text, img) in enumerate(steps):                 # img: uint8 (h, w) preview
        q = canvas.panel(side_x + n * (STEP + GAP), 2 * SIZE + 26, STEP, STEP, title=name, rows=img.shape[0],
                         cols=img.shape[1])
        canvas.heatmap(q, img, scale_name="image", zrange=(0, 255), name=f"{name}: byte")
        v.step_panels.append((q, img.shape, text))
    words = ("<br>".join(f"{name}: {text}" for name, text, _ in steps) if steps else
             f"This image was given as {x.shape[0]}×{x.shape[1]} numbers, so there was nothing to preprocess.")
    canvas.keep(canvas.note(side_x, 2 * SIZE + 40 + STEP, words, size=SIZE - 2,
                                          font={"size": SIZE - 2, "color": MUTED}))
    canvas.keep(canvas.note(side_x, MAP - 40, f"Each of the {x.size} pixels is one number between 0 "
                                          "(black) and 1 (white).<br>Hover a pixel to see it.", size=SIZE - 1))
    return canvas, None


def states(v, canvas):
    """The animation: each preprocessing step outlined in turn, its words under the pictures, then the input."""
    out = []
    for q, (h, w), text in v.step_panels:
        out.append(State({}, [outline(q, 0, 0, h - 1, w - 1, "current")]))
    x = v.line.output[0]
    out.append(State({}, [outline(("x", "y"), 0, 0, x.shape[0] - 1, x.shape[1] - 1, "current")]))
    return out, [name for name, _, _ in getattr(v.walk, "preprocessing", [])] + ["the network's input"]
