"""Flatten: the maps unroll into one vector in channel, row, column order, the order the dense weights use; a
position is a cell of the maps, in every channel at once. Backward: the vector's gradients laid back into the maps."""

import numpy as np

from ..draw import SMALL, TEXT, TOP, WIDTH, Canvas, fix, short
from ..scales import colours
from .layout import GAP, MARGIN, absmax, at, filled

CELL = 46            # a map cell in pixels, its value inside to 2 decimals


def draw(s, pos):
    st, back = s.stage, s.line
    maps, vector = (st.input, st.output) if back is None else (back.grad_input, back.grad_output)   # (C, h, w), (n,)
    n, h, w = maps.shape
    r, c = at(pos, maps.shape)
    done = filled(maps.shape, pos)                                      # (h, w), the same cells of every map
    if back is None:
        scale, lo, hi = "sequential", 0.0, absmax(maps)
        said = "The maps unroll into one vector, channel by channel, row by row: the order the dense weights use."
    else:
        hi = absmax(vector)
        scale, lo = "diverging", -hi
        said = "Nothing to compute going back: each gradient goes back to the cell its value came from."
    title = f"{s.name}: {n} maps of {h}x{w} -> {n * h * w} values" + (" - backward" if back is not None else "")
    canvas = Canvas(title, s.about, said, ["gradient" if back is not None else "sequential"])
    index = np.arange(n)[:, None] * h * w + r * w + c                     # (C, 1): where (r, c) goes in each map
    vector_done = np.tile(done.reshape(-1), n)
    map_y, strip_y = (TOP, TOP + h * CELL + 70) if back is None else (TOP + 110, TOP)
    tints = colours(maps, scale, lo, hi)
    for ch in range(n):
        x = MARGIN + ch * (w * CELL + GAP)
        canvas.text(x, map_y, f"{'dL/d ' if back is not None else ''}channel {ch + 1}", SMALL)
        for a in range(h):
            for b in range(w):
                rect = (x + b * CELL, map_y + SMALL + 6 + a * CELL, x + (b + 1) * CELL - 2, map_y + SMALL + 4 + (a + 1) * CELL)
                shown = back is None or done[a, b]
                canvas.cell(rect, [fix(maps[ch, a, b], 2) if shown else ""], tints[ch, a, b] if shown else (201, 206, 214),
                            sizes=(SMALL,))
        canvas.outline((x + c * CELL, map_y + SMALL + 6 + r * CELL, x + (c + 1) * CELL - 2, map_y + SMALL + 4 + (r + 1) * CELL),
                       "current")
    cell = (WIDTH - 2 * MARGIN) // vector.shape[0]
    canvas.text(MARGIN, strip_y, f"the {vector.shape[0]}-vector" if back is None else f"dL/d the {vector.shape[0]}-vector",
                SMALL)
    strip = canvas.heatmap(MARGIN, strip_y + SMALL + 6, vector[None], scale, lo, hi, cell,
                           vector_done[None] if back is None else None)
    for i in index[:, 0]:
        canvas.outline(strip.rect(0, int(i)), "current")
    for ch in range(1, n):
        canvas.text(strip.x + ch * h * w * cell, strip.bottom + 4, str(ch * h * w), SMALL, anchor="ma")
    y = max(map_y + SMALL + 6 + h * CELL, strip.bottom) + 36
    for ch in range(n):
        i = int(index[ch, 0])
        canvas.text(MARGIN, y, f"channel {ch + 1}, row {r}, column {c} -> {ch}*{h * w} + {r}*{w} + {c} = index {i}: "
                    f"{short(vector[i])}", TEXT if n <= 4 else SMALL)
        y += TEXT + 8
    return canvas.img
