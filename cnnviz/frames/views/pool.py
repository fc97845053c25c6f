"""Max pooling, window by window in every channel at once: the window over the input, its largest cell (the
trace's argmax) outlined, the smaller map filling up. Backward: the window's gradient goes to that cell, 0 to the
other three."""

import numpy as np

from ...cnn.config import POOL
from ..draw import MUTED, PLAIN_CELL, SMALL, TEXT, Canvas, fix, short
from ..scales import colours, rgb
from .layout import GAP, absmax, at, blocks, filled

CELL = (104, 54)         # a window cell in pixels: two lines of text


def draw(s, pos):
    st, back = s.stage, s.line
    x, out, arg = st.input, st.output, st.details["argmax"]            # (C, H, W), (C, oh, ow), (C, oh, ow) 0..3
    n, oh, ow = out.shape
    r, c = at(pos, out.shape)
    done = filled(out.shape, pos)                                      # (oh, ow): the windows done
    if back is None:
        maps, fills = (x, out), (None, done)                           # the window's map, the map it fills
        hi = absmax(x)
        scale, lo, names = "sequential", 0.0, ("input", "output")
        said = (f"Row {r}, column {c}: each channel's {POOL}x{POOL} window keeps its largest value, outlined."
                if pos is not None else f"Every window done: each map is {POOL} times smaller, its maxima kept.")
    else:
        maps = (back.grad_output, back.grad_input)                     # dL/d output, dL/d input: one scale
        fills = (None, np.kron(done, np.ones((POOL, POOL))).astype(bool))
        hi = max(absmax(maps[0]), absmax(maps[1]))
        scale, lo, names = "diverging", -hi, ("dL/d output", "dL/d input")
        said = (f"Row {r}, column {c}: the window's gradient goes to the cell that held its maximum, 0 to the other "
                f"{POOL * POOL - 1}." if pos is not None else "Every window done: each gradient went to its maximum.")
    title = f"{s.name}: max pooling {POOL}x{POOL}, stride {POOL}" + (" - backward" if back is not None else "")
    canvas = Canvas(title, s.about, said, ["gradient" if back is not None else "sequential"])
    for ch, (bx, by, bw, bh) in enumerate(blocks(n)):
        side = min(bh - SMALL - 12, (bw - POOL * CELL[0] - 3 * GAP) // 2)        # a map's side in pixels
        big = max(1, side // x.shape[1])                                          # the H x W map's cell
        sizes = (big, big * POOL) if back is None else (big * POOL, big)
        canvas.text(bx, by, f"{names[0]}, channel {ch + 1}", SMALL)
        left = canvas.heatmap(bx, by + SMALL + 6, maps[0][ch], scale, lo, hi, sizes[0], fills[0])
        tx = left.right + GAP
        ty = left.y + max(SMALL + 6, (left.bottom - left.y - POOL * CELL[1]) // 2)
        delta = None if back is None else float(back.grad_output[ch, r, c])
        window_cells(canvas, tx, ty, x[ch, r * POOL:(r + 1) * POOL, c * POOL:(c + 1) * POOL], int(arg[ch, r, c]), delta,
                     (scale, lo, hi))
        result = f"max = {short(out[ch, r, c])}" if back is None else f"delta = {short(delta)}"
        canvas.text(tx, ty + POOL * CELL[1] + 6, result, TEXT)
        rx = tx + POOL * CELL[0] + GAP
        canvas.text(rx, by, f"{names[1]}, channel {ch + 1}", SMALL)
        right = canvas.heatmap(rx, by + SMALL + 6, maps[1][ch], scale, lo, hi, sizes[1], fills[1])
        wide, narrow = (left, right) if back is None else (right, left)
        canvas.outline(wide.rect(r * POOL, c * POOL, r * POOL + POOL - 1, c * POOL + POOL - 1))
        canvas.outline(narrow.rect(r, c), "current")
    return canvas.img


def window_cells(canvas, x, y, values, winner, delta, look):
    """The window's cells at (x, y) under a heading, each its input value (and on a backward walk the gradient it
    gets: delta at the winner, 0 elsewhere), the winner (argmax, row-major) outlined. look: the input map's (scale,
    lo, hi), which shades the forward cells as that map shades them (as the legend says)."""
    canvas.text(x, y - SMALL - 4, "the window" if delta is None else "forward value -> gradient", SMALL, MUTED)
    tints = colours(values, *look)
    for i in range(POOL * POOL):
        a, b = divmod(i, POOL)
        rect = (x + b * CELL[0], y + a * CELL[1], x + (b + 1) * CELL[0] - 3, y + (a + 1) * CELL[1] - 3)
        if delta is None:
            canvas.cell(rect, [fix(values[a, b])], tints[a, b], sizes=(TEXT,))
        else:
            canvas.cell(rect, [f"was {fix(values[a, b])}", fix(delta if i == winner else 0)],
                        rgb(PLAIN_CELL))
        if i == winner:
            canvas.outline(rect, "maximum", 4)
