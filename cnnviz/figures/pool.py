"""Max pooling: each 2x2 window of every channel, its maximum (the trace's argmax) outlined, and the smaller map
building up. At a position, that window in every channel with its four values and the largest."""

import numpy as np

from .base import ROOM, SIZE, Canvas, State, cells_text, fix, map_label, outline, pending, unsigned

GAP = 16
WINDOW = 120             # px of a window's table
BAR_ROOM = 60            # px right of a row of maps for its colour bar
label = map_label


def positions(v):
    return v.line.output.shape[1:]                                # (oh, ow): every channel at once


def caption(v):
    k = v.input.shape[1] // v.line.output.shape[1]
    return f"Each {k}×{k} window keeps only its largest value: the map halves in each direction."


def legends(v):
    return [unsigned(v.input)[0]]


def window_rows(canvas, top, c_count, side, k, title):
    """A row of k x k tables, one per channel, under the maps -> their trace indices."""
    out = []
    for c in range(c_count):
        p = canvas.panel(c * (side + GAP) + (side - WINDOW) / 2, top, WINDOW, WINDOW, rows=k, cols=k,
                         title=title(c))
        out.append((p, canvas.heatmap(p, np.zeros((k, k)), scale_name="image", zrange=(0, 1), name="value", gap=3,
                                      text=np.full((k, k), ""), font={"size": SIZE - 1})))
    return out


def build(v, title, mode):
    """The input maps over the pooled maps, on one scale -> (canvas, at(i, j))."""
    x, y, arg = v.input, v.line.output, v.line.details["argmax"]    # (C, H, W), (C, oh, ow), (C, oh, ow)
    c_count, oh, ow = y.shape
    k = x.shape[1] // oh
    side = min(230, (ROOM - BAR_ROOM) // c_count - GAP)
    sc, rg = unsigned(x)
    width = c_count * (side + GAP) + BAR_ROOM
    tables_top = 2 * (side + SIZE + 12) + SIZE + 4
    canvas = Canvas(width, tables_top + (WINDOW + 2 * SIZE + 20 if mode else 0), title)
    maps = []
    for r, (data, what) in enumerate([(x, v.input_name), (y, "pooled")]):
        top = r * (side + SIZE + 12) + SIZE + 4
        maps.append([])
        for c in range(c_count):
            p = canvas.panel(c * (side + GAP), top, side, side, title=f"{what}, channel {c + 1}", rows=data.shape[1],
                             cols=data.shape[2])
            canvas.heatmap(p, data[c], scale_name=sc, zrange=rg, name="in" if r == 0 else "max",
                           bar=(width - BAR_ROOM + 4, top, side) if c == c_count - 1 else None)
            maps[r].append(p)
    tables = window_rows(canvas, tables_top, c_count, side, k, lambda c: f"window, channel {c + 1}") if mode else []

    def at(i, j):
        r0, c0, shapes, traces, notes = i * k, j * k, [], {}, []
        for c in range(c_count):
            a, b = divmod(int(arg[c, i, j]), k)
            shapes += [outline(maps[0][c], r0, c0, r0 + k - 1, c0 + k - 1, "window"),
                       outline(maps[0][c], r0 + a, c0 + b, r0 + a, c0 + b, "maximum"),
                       *pending(maps[1][c], i, j, oh, ow), outline(maps[1][c], i, j, i, j, "current")]
            p, t = tables[c]
            win = x[c, r0:r0 + k, c0:c0 + k]
            traces[t] = {"z": np.full((k, k), 0.92), "text": cells_text(win, fmt=fix), "customdata": win,
                         "hovertemplate": "%{customdata:.7g}<extra></extra>"}
            shapes.append(outline(p, a, b, a, b, "maximum", 4))
            notes.append(canvas.note(c * (side + GAP) + side / 2, tables_top + WINDOW + 8,
                                     f"largest: <b>{fix(y[c, i, j])}</b>", anchor="center"))
        return State(traces, shapes, notes)
    return canvas, at
