"""Flatten: the maps unroll into one vector in channel, row, column order, the order the dense weights use. At a
position, that value's place in its map and in the vector."""

import numpy as np

from .base import FG, ROOM, SIZE, Canvas, State, fix, outline, pending

GAP = 24
MAP = 160
VECTOR = 56              # px of the vector's height
UNIT = "value"


def positions(v):
    return v.line.output.shape                                    # (100,)


def caption(v):
    c, h, w = v.input.shape
    return f"The {c} maps of {h}×{w} are read channel by channel, row by row, into a line of {c * h * w} numbers."


def legends(v):
    return ["sequential"]


def label(v, n):
    return f"value {n}"


def separators(vec, shape):
    """Lines on the vector's map between the values of one channel and the next's; shape: the maps' (C, H, W)."""
    c_count, h, w = shape
    return [{"type": "line", "xref": vec[0], "yref": vec[1], "x0": (b + 1) * h * w - 0.5, "x1": (b + 1) * h * w - 0.5,
             "y0": -0.5, "y1": 0.5, "line": {"color": FG, "width": 2}} for b in range(c_count - 1)]


def build(v, title, mode):
    """The maps, the vector under them -> (canvas, at(n))."""
    x, y = v.input, v.line.output                                 # (C, H, W), (C*H*W,)
    c_count, h, w = x.shape
    rg = (0, float(x.max()) or 1.0)
    width = ROOM                                                  # the vector across the figure
    canvas = Canvas(width, MAP + VECTOR + 4 * SIZE + 60, title)
    maps = []
    for c in range(c_count):
        p = canvas.panel(c * (MAP + GAP), SIZE + 4, MAP, MAP, title=f"channel {c + 1}", rows=h, cols=w)
        canvas.heatmap(p, x[c], scale_name="sequential", zrange=rg, name="value", gap=1)
        maps.append(p)
    top = MAP + 2 * SIZE + 24
    vec = canvas.panel(0, top, width, VECTOR, title=f"the {y.size}-vector", rows=1, cols=y.size, free=True)
    canvas.heatmap(vec, y[None], scale_name="sequential", zrange=rg, name="value", gap=1,
                   hover="value %{z:.7g}<br>position %{x}<extra></extra>")
    edges = separators(vec, x.shape)
    canvas.fig.layout.shapes = edges

    def at(n):
        c, r, col = np.unravel_index(n, x.shape)
        shapes = [outline(maps[c], r, col, r, col, "current"), *pending(vec, 0, n, 1, y.size), *edges,
                  outline(vec, 0, n, 0, n, "current")]
        words = (f"map {c + 1} (c = {c}), row {r}, column {col} → position c·{h * w} + row·{w} + column = "
                 f"{c}·{h * w} + {r}·{w} + {col} = <b>{n}</b>; value <b>{fix(y[n])}</b>")
        return State({}, shapes, [canvas.note(0, top + VECTOR + 12, words)])
    return canvas, at
