"""What several views share: where a position is, the maps of a stage in a column or a row, its window outlined."""

import numpy as np

from ..draw import BOTTOM, MARGIN, SMALL, TEXT, TOP, WIDTH, fix
from ..scales import colours

GAP = 28               # pixels between a view's parts


def last(shape):
    """The finished stage is its last position, as the page's End shows it: (rows - 1, cols - 1)."""
    return (shape[-2] - 1, shape[-1] - 1)


def at(pos, shape):
    """pos, or the last position of maps of shape (..., rows, cols) for the finished stage (None)."""
    return last(shape) if pos is None else pos


def filled(shape, pos):
    """bool (rows, cols): the cells computed by position pos, row by row (all of them when pos is None)."""
    h, w = shape[-2:]
    done = np.zeros((h, w), bool)
    if pos is None:
        done[:] = True
    else:
        done.flat[:pos[0] * w + pos[1] + 1] = True
    return done


def absmax(a):
    """The half-width of a diverging scale centred on zero for a (1 if a is all zero)."""
    return float(np.max(np.abs(a))) or 1.0


def column(canvas, x, maps, titles, scale, lo, hi, width, height=BOTTOM - TOP, done=None, gap=SMALL + 10):
    """Maps (C, h, w) stacked in a column at x, each as large as width and height allow, under its title;
    returns their Maps."""
    c, h, w = maps.shape
    cell = max(1, min(width // w, (height - c * gap - (c - 1) * 8) // (c * h)))
    y, drawn = TOP, []
    for k in range(c):
        canvas.text(x, y, titles[k], SMALL)
        drawn.append(canvas.heatmap(x, y + gap - 4, maps[k], scale, lo, hi, cell, done))
        y = drawn[-1].bottom + 12
    return drawn


def blocks(n):
    """n boxes (x, y, w, h) for one channel each: stacked rows for one or two, else two columns of rows."""
    cols = 1 if n <= 2 else 2
    rows = -(-n // cols)
    w, h = (WIDTH - 2 * MARGIN - (cols - 1) * GAP) // cols, (BOTTOM - TOP) // rows
    return [(MARGIN + (i % cols) * (w + GAP), TOP + (i // cols) * h, w, h) for i in range(n)]


def window(canvas, maps, r, c, k, colour="window"):
    """Outline the k x k window at (r, c) on each Map."""
    for m in maps:
        canvas.outline(m.rect(r, c, r + k - 1, c + k - 1), colour)


def products_grid(canvas, x, y, cell_w, cell_h, tops, values, m, sizes=(SMALL, TEXT)):
    """A table of cells at (x, y): each a small top line (e.g. "0.12 x 0.99") over its value to 4 decimals,
    coloured on the diverging scale of half-width m. tops, values: (k, k)."""
    back = colours(values, "diverging", -m, m)
    k, l = values.shape
    for a in range(k):
        for b in range(l):
            x0, y0 = x + b * cell_w, y + a * cell_h
            canvas.cell((x0, y0, x0 + cell_w - 2, y0 + cell_h - 2), [tops[a][b], fix(values[a, b])], back[a, b], sizes)
    return x + l * cell_w, y + k * cell_h


def right_of(x):
    """The width left from x to the right margin."""
    return WIDTH - MARGIN - x

