"""The input: the 28 x 28 numbers the network receives, a pixel and its neighbours as numbers, and how a drawing
became them. Backward: dL/d pixels beside the digit, which pixels would move the answer towards the label."""

from PIL import Image

from ..draw import BOTTOM, MUTED, SMALL, TEXT, TOP, Canvas, fix, short
from ..scales import colours
from .layout import GAP, MARGIN, absmax

AROUND = 3               # the neighbours shown on each side of the pixel: a 7 x 7 table
CELL = (80, 46)          # a neighbour's cell in pixels
BESIDE = 280             # the side of each map in pixels when the digit and its gradient stand side by side
STEP = 112               # a preprocessing step's picture in pixels


def draw(s, pos):
    x, back = s.stage.output[0], s.line                                # (28, 28)
    h, w = x.shape
    if back is None:
        focus, scale, lo, hi, what = x, "image", 0.0, 1.0, "pixel"
        said = (f"The network sees {h * w} numbers: white digit on black, cropped, scaled and centred like MNIST."
                if pos is None else f"Row {pos[0]}, column {pos[1]}: one of the {h * w} numbers, between 0 (black) "
                "and 1 (white).")
        title, legends = f"input: {h}x{w} numbers", ["image"]
    else:
        focus = back.grad_output[0]                                    # dL/d pixels
        hi = absmax(focus)
        scale, lo, what = "diverging", -hi, "dL/d pixel"
        said = (f"Red: brighter would raise the loss (less like a {s.label}); blue: brighter would lower it "
                f"(more like a {s.label}).")
        title, legends = "input: dL/d pixels, the end of the walk", ["gradient", "image"]
    canvas = Canvas(title, s.about, said, legends)
    maps = [(x, "the input", "image", 0.0, 1.0)] + ([] if back is None else [(focus, "dL/d pixels", scale, lo, hi)])
    side = (BOTTOM - TOP - SMALL - 12) if back is None else BESIDE
    cell, left, drawn = side // h, MARGIN, []
    for values, name, sc, a, b in maps:
        canvas.text(left, TOP, name, SMALL)
        drawn.append(canvas.heatmap(left, TOP + SMALL + 6, values, sc, a, b, cell))
        left = drawn[-1].right + GAP
    if pos is None:
        if back is None:
            steps(canvas, left + GAP, TOP + SMALL + 6, s.steps)
        return canvas.img
    r, c = pos
    for m in drawn:
        canvas.outline(m.rect(r, c), "current")
        canvas.outline(m.rect(max(0, r - AROUND), max(0, c - AROUND), min(h - 1, r + AROUND), min(w - 1, c + AROUND)),
                       "window", 2)
    tx, ty = left, TOP
    canvas.text(tx, ty, f"{what} at row {r}, column {c} = {short(focus[r, c])}", TEXT + 4, bold=True)
    neighbours(canvas, tx, ty + TEXT + 20, focus, r, c, scale, lo, hi)
    return canvas.img


def neighbours(canvas, x, y, values, r, c, scale, lo, hi):
    """The cells around (r, c) as a table of numbers on their colours, (r, c) outlined."""
    h, w = values.shape
    rows = range(max(0, r - AROUND), min(h, r + AROUND + 1))
    cols = range(max(0, c - AROUND), min(w, c + AROUND + 1))
    tints = colours(values, scale, lo, hi)
    for i, a in enumerate(rows):
        for j, b in enumerate(cols):
            rect = (x + j * CELL[0], y + i * CELL[1], x + (j + 1) * CELL[0] - 2, y + (i + 1) * CELL[1] - 2)
            canvas.cell(rect, [short(values[a, b]) if scale != "image" else fix(values[a, b])], tints[a, b],
                        sizes=(SMALL,))
            if (a, b) == (r, c):
                canvas.outline(rect, "current")


def steps(canvas, x, y, shown):
    """The preprocessing steps (name, caption, uint8 picture) in a grid of small pictures, or a note."""
    canvas.text(x, y - SMALL - 6, "How the image became this", SMALL, MUTED)
    if not shown:
        canvas.text(x, y + 10, "It was given as these numbers: nothing to preprocess.", TEXT)
        return
    per_row = 3
    for i, (name, caption, img) in enumerate(shown):
        sx, sy = x + (i % per_row) * (STEP + GAP), y + (i // per_row) * (STEP + SMALL + 24)
        fit = [max(1, round(n * STEP / max(img.shape))) for n in img.shape[::-1]]      # (w, h) within STEP
        big = Image.fromarray(img).convert("RGB").resize(fit, Image.Resampling.NEAREST)
        canvas.img.paste(big, (sx + (STEP - big.width) // 2, sy + (STEP - big.height) // 2))
        canvas.draw.rectangle((sx - 1, sy - 1, sx + STEP, sy + STEP), outline="#d8dce2")
        canvas.text(sx + STEP // 2, sy + STEP + 6, name, SMALL, anchor="ma")
