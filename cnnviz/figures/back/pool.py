"""Max pooling backwards, window by window: only the largest cell of each window (the forward trace's argmax) made the
output, so the window's gradient δ goes to that cell and 0 to the other three."""

import numpy as np

from ..base import ROOM, SIZE, Canvas, State, cells_text, diverging, fix, map_label, outline, short
from ..pool import BAR_ROOM, WINDOW, window_rows

GAP = 16
label = map_label


def positions(v):
    return v.line.grad_output.shape[1:]                           # (oh, ow): every channel at once


def caption(v):
    return "Each window's gradient goes back to its largest cell only; the other cells of the window get 0."


def legends(v):
    return ["gradient"]


def build(v, title, mode):
    """∂L/∂pooled over ∂L/∂input, one scale (the same numbers, moved) -> (canvas, at(i, j))."""
    d, g, arg, x = v.line.grad_output, v.line.grad_input, v.line.details["argmax"], v.input   # (C, oh, ow) ...
    c_count, oh, ow = d.shape
    k = g.shape[1] // oh
    side = min(230, (ROOM - BAR_ROOM) // c_count - GAP)
    sc, rg = diverging(d, g)
    width = c_count * (side + GAP) + BAR_ROOM
    tables_top = 2 * (side + SIZE + 12) + SIZE + 4
    canvas = Canvas(width, tables_top + (2 * WINDOW + 3 * SIZE + 50 if mode else 0), title)
    maps = []
    for r, (data, what, name) in enumerate([(d, "∂L/∂pooled", "δ"), (g, f"∂L/∂{v.input_name}", "∂L/∂input")]):
        top = r * (side + SIZE + 12) + SIZE + 4
        maps.append([])
        for c in range(c_count):
            p = canvas.panel(c * (side + GAP), top, side, side, title=f"{what}, channel {c + 1}", rows=data.shape[1],
                             cols=data.shape[2])
            canvas.heatmap(p, data[c], scale_name=sc, zrange=rg, name=name,
                           bar=(width - BAR_ROOM + 4, top, side) if c == c_count - 1 else None)
            maps[r].append(p)
    if mode:
        forward = window_rows(canvas, tables_top, c_count, side, k, lambda c: f"forward: the window, ch {c + 1}")
        back = window_rows(canvas, tables_top + WINDOW + SIZE + 40, c_count, side, k,
                           lambda c: f"backward: the gradient, ch {c + 1}")

    def at(i, j):
        r0, c0, shapes, traces, notes = i * k, j * k, [], {}, []
        for c in range(c_count):
            a, b = divmod(int(arg[c, i, j]), k)
            shapes += [outline(maps[0][c], i, j, i, j, "current"),
                       outline(maps[1][c], r0, c0, r0 + k - 1, c0 + k - 1, "window"),
                       outline(maps[1][c], r0 + a, c0 + b, r0 + a, c0 + b, "maximum")]
            windows = [(forward[c], x[c, r0:r0 + k, c0:c0 + k], fix), (back[c], g[c, r0:r0 + k, c0:c0 + k], short)]
            for (p, t), win, fmt in windows:
                traces[t] = {"z": np.full((k, k), 0.92), "text": cells_text(win, fmt=fmt), "customdata": win,
                             "hovertemplate": "%{customdata:.7g}<extra></extra>"}
                shapes.append(outline(p, a, b, a, b, "maximum", 4))
            notes.append(canvas.note(c * (side + GAP) + side / 2, tables_top + WINDOW + 6,
                                     f"δ <b>{short(d[c, i, j])}</b> ↓ to the largest", anchor="center",
                                     size=SIZE - 1))
        return State(traces, shapes, notes)
    return canvas, at
