"""Dense backwards, one input at a time: its gradient is the sum over the ten digits of weight x delta, filling
dL/d input folded back into the maps' shape. (The weights' own gradient is delta x input, the outer product.)"""

import numpy as np

from ..draw import SMALL, TEXT, TOP, Canvas, fix, short
from .layout import GAP, MARGIN, absmax

ROW = 44                 # a digit's row in pixels
WIDTHS = (70, 150, 150, 170)
CELL = 40                # a folded map's cell in pixels


def draw(s, pos):
    b, st = s.line, s.stage
    products, delta, grad = b.details["products"], b.grad_output, b.grad_input      # (10, 100), (10,), (100,)
    w = st.params["weight"]                                                          # (10, 100)
    n = grad.shape[0]
    i = n - 1 if pos is None else pos
    fold = s.before.input.shape                                        # (C, h, w): the maps flatten unrolled
    c, rest = divmod(i, fold[1] * fold[2])
    canvas = Canvas(f"{s.name}: backward, one input at a time", s.about,
                    f"Input #{i} (channel {c + 1}, row {rest // fold[2]}, column {rest % fold[2]}): its weight to each "
                    "digit times that digit's delta, summed.", ["gradient"])
    rows = [[str(k), fix(w[k, i]), short(delta[k]), short(products[k, i])] for k in range(len(delta))]
    y = canvas.table(MARGIN, TOP, WIDTHS, ROW, ["digit", f"weight to #{i}", "delta = dL/dz", "weight x delta"], rows,
                     int(np.argmax(np.abs(products[:, i]))))
    canvas.text(MARGIN, y + 12, f"sum = dL/d input #{i} = {short(grad[i])}", TEXT + 4, bold=True)
    maps = grad.reshape(fold)
    done = (np.arange(n) <= i).reshape(fold)
    m = absmax(grad)
    x0 = MARGIN + sum(WIDTHS) + 2 * GAP
    for ch in range(fold[0]):
        x = x0 + (ch % 2) * (fold[2] * CELL + GAP)
        top = TOP + (ch // 2) * (fold[1] * CELL + SMALL + 24)
        canvas.text(x, top, f"dL/d input, channel {ch + 1}", SMALL)
        drawn = canvas.heatmap(x, top + SMALL + 6, maps[ch], "diverging", -m, m, CELL, done[ch])
        if ch == c:
            canvas.outline(drawn.rect(rest // fold[2], rest % fold[2]), "current")
    return canvas.img
