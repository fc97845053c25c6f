"""Flatten backwards: nothing to compute, the 100 gradients are laid back into the maps' shape, in the order the
forward pass unrolled them (channel, row, column)."""

import numpy as np

from ..base import ROOM, SIZE, Canvas, State, diverging, filling, outline, short
from ..flatten import separators

MAP = 160
GAP = 24
VECTOR = 56
UNIT = "value"


def positions(v):
    return v.line.grad_output.shape                               # (100,)


def caption(v):
    c, h, w = v.line.grad_input.shape
    n = v.line.grad_output.size
    return f"Flatten only moved numbers, so its gradient moves them back: {n} values into {c} maps {h}×{w}."


def legends(v):
    return ["gradient"]


def label(v, n):
    return f"value {n}"


def build(v, title, mode):
    """The vector's gradient over the maps' -> (canvas, at(n))."""
    g, maps_g = v.line.grad_output, v.line.grad_input             # (100,), (C, H, W)
    c_count, h, w = maps_g.shape
    sc, rg = diverging(g)
    width = ROOM                                                  # the vector across the figure
    canvas = Canvas(width, MAP + VECTOR + 4 * SIZE + 60, title)
    vec = canvas.panel(0, SIZE + 4, width, VECTOR, title=f"∂L/∂ the {g.size}-vector", rows=1, cols=g.size, free=True)
    canvas.heatmap(vec, g[None], scale_name=sc, zrange=rg, name="∂L/∂vector", gap=1,
                   hover="∂L/∂vector %{z:.7g}<br>position %{x}<extra></extra>")
    edges = separators(vec, maps_g.shape)
    canvas.fig.layout.shapes = edges
    top = VECTOR + 2 * SIZE + 24
    maps = []
    for c in range(c_count):
        p = canvas.panel(c * (MAP + GAP), top, MAP, MAP, title=f"channel {c + 1}", rows=h, cols=w)
        canvas.heatmap(p, maps_g[c], scale_name=sc, zrange=rg, name="∂L/∂input", gap=1)
        maps.append(p)

    def at(n):
        c, r, col = np.unravel_index(n, maps_g.shape)
        shapes = [*edges, outline(vec, 0, n, 0, n, "current"), *filling(maps, c, r, col, h, w)]
        words = (f"∂L/∂vector[{n}] = <b>{short(g[n])}</b> → map {c + 1}, row {r}, column {col}: position "
                 f"{c}·{h * w} + {r}·{w} + {col} = {n}, where the forward pass took it from.")
        return State({}, shapes, [canvas.note(0, top + MAP + 12, words)])
    return canvas, at
