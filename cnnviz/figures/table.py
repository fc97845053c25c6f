"""A table of numbers drawn as a heatmap of text (the page's HTML tables; plotly.js's own table trace is not in the
page's bundle): one row per digit, a column per quantity, each exact value on hover."""

import numpy as np

from .. cnn import config as C
from .base import SIZE, cells_text, short

ROW = 30                 # px of a row
SHADE = 0.94             # the cells' grey, on the image scale (1 is white)


def table(canvas, x, y, width, columns, values, head="digit"):
    """columns: the headers; values (rows, columns) -> (panel, trace index). Row labels: the digits."""
    rows = values.shape[0]
    p = canvas.panel(x, y, width, rows * ROW, rows=rows, cols=len(columns), free=True,
                     xaxis={"side": "top", "showticklabels": True, "tickvals": list(range(len(columns))),
                            "ticktext": columns, "tickangle": 0},
                     yaxis={"showticklabels": True, "tickvals": list(range(rows)), "ticktext": list(C.CLASS_LABELS),
                            "title": {"text": head}})
    t = canvas.heatmap(p, np.full(values.shape, SHADE), scale_name="image", zrange=(0, 1), name="", gap=2,
                       text=cells_text(values, fmt=short), customdata=values, font={"size": SIZE - 1},
                       hover="%{customdata:.7g}<extra></extra>")
    return p, t
