"""Flatten: the maps unroll into one vector in channel, row, column order, the order the dense weights use; a
position is a place in the vector. Backward: the vector's gradients laid back into the maps, place by place."""

import numpy as np

from ..draw import PENDING, SMALL, TEXT, TOP, WIDTH, Canvas, fix, short
from ..scales import colours, rgb
from .layout import GAP, MARGIN, absmax

CELL = 46            # a map cell in pixels, its value inside to 2 decimals


def draw(s, pos):
    st, back = s.stage, s.line
    maps, vector = (st.input, st.output) if back is None else (back.grad_input, back.grad_output)   # (C, h, w), (n,)
    n, h, w = maps.shape
    i = vector.shape[0] - 1 if pos is None else pos
    ch, r, c = i // (h * w), i % (h * w) // w, i % w
    done = np.arange(vector.shape[0]) <= i                              # (n,): the places unrolled so far
    if back is None:
        scale, lo, hi = "sequential", 0.0, absmax(maps)
        said = "The maps unroll into one vector, channel by channel, row by row: the order the dense weights use."
    else:
        hi = absmax(vector)
        scale, lo = "diverging", -hi
        said = "Nothing to compute going back: each gradient goes back to the cell its value came from."
    title = f"{s.name}: {n} maps of {h}x{w} -> {n * h * w} values" + (" - backward" if back is not None else "")
    canvas = Canvas(title, s.about, said, ["gradient" if back is not None else "sequential"])
    map_y, strip_y = (TOP, TOP + h * CELL + 70) if back is None else (TOP + 110, TOP)
    tints = colours(maps, scale, lo, hi)
    for k in range(n):
        x = MARGIN + k * (w * CELL + GAP)
        canvas.text(x, map_y, f"{'dL/d ' if back is not None else ''}channel {k + 1}", SMALL)
        for a in range(h):
            for b in range(w):
                top = map_y + SMALL + 6 + a * CELL
                rect = (x + b * CELL, top, x + (b + 1) * CELL - 2, top + CELL - 2)
                shown = back is None or done[k * h * w + a * w + b]
                canvas.cell(rect, [fix(maps[k, a, b], 2) if shown else ""], tints[k, a, b] if shown else rgb(PENDING),
                            sizes=(SMALL,))
                if (k, a, b) == (ch, r, c):
                    canvas.outline(rect, "current")
    cell = (WIDTH - 2 * MARGIN) // vector.shape[0]
    canvas.text(MARGIN, strip_y, f"{'dL/d ' if back is not None else ''}the {vector.shape[0]}-vector", SMALL)
    strip = canvas.heatmap(MARGIN, strip_y + SMALL + 6, vector[None], scale, lo, hi, cell,
                           done[None] if back is None else None)
    canvas.outline(strip.rect(0, i), "current")
    for k in range(1, n):
        canvas.text(strip.x + k * h * w * cell, strip.bottom + 4, str(k * h * w), SMALL, anchor="ma")
    y = max(map_y + SMALL + 6 + h * CELL, strip.bottom) + 36
    canvas.text(MARGIN, y, f"channel {ch + 1}, row {r}, column {c} -> {ch}*{h * w} + {r}*{w} + {c} = place {i}: "
                f"{short(vector[i])}", TEXT + 4, bold=True)
    return canvas.img
