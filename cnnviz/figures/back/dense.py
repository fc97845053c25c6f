"""Dense backwards, one input at a time: input i's gradient is the sum over the 10 digits of weight[k, i] × δ[k] (the
walk's products), filling ∂L/∂input folded back to the maps' shape; beside it the weights' gradient δ ⊗ x."""

import numpy as np

from ...cnn import config as C
from ..dense import DIGIT_TICKS
from ..base import ROOM, SIZE, Canvas, State, cells_text, colour, diverging, filling, outline, short
from ..table import ROW, table
from ..words import LINE

LEFT = 380               # px of the δ chart or the table, left of the folded maps
FMAP = 80                # px of a folded map
WGRAD = 180              # px of ∂L/∂weights' height, under them all
TICKS = 24               # px left of ∂L/∂weights for its digits
UNIT = "input"


def positions(v):
    return v.line.grad_input.shape                                # (100,)


def caption(v):
    k, n = v.line.details["products"].shape
    return (f"Each of the {n} inputs fed all {k} logits, so its gradient sums what comes back from each of them: "
            "weight × δ over the ten digits. The weights' gradient is δ ⊗ x.")


def legends(v):
    return ["gradient"]


def label(v, i):
    return f"input {i}"


def build(v, title, mode):
    """δ (or, mode, the table of input i), ∂L/∂input folded, ∂L/∂weights -> (canvas, at(i))."""
    s = v.line
    prod, d, gi, gw = s.details["products"], s.grad_output, s.grad_input, s.grads["weight"]   # (10, 100) ...
    w, x = v.forward.params["weight"], v.input                                              # (10, 100), (100,)
    fold = v.walk.forward["flatten"].input.shape                                            # (4, 5, 5)
    k_count, n = prod.shape
    x0, top = LEFT + 32, k_count * ROW + 96                     # the folded maps' left; ∂L/∂weights' top
    canvas = Canvas(ROOM, top + WGRAD + (2 * round(LINE * SIZE) + 12 if mode else 0), title)
    if mode:
        cells, grid = table(canvas, 40, 40, LEFT - 40, ["weight w[k, i]", "δ[k] = ∂L/∂z", "w × δ"],
                            np.zeros((k_count, 3)), head="digit k")
    else:
        q = canvas.panel(0, 40, LEFT, 260, title="δ = ∂L/∂z, the logits' gradient arriving",
                         xaxis={"type": "category", "title": {"text": "digit"}})
        canvas.add(dict(type="bar", x=list(C.CLASS_LABELS), y=d, hovertemplate="digit %{x}<br>δ %{y:.7g}<extra>"
                        "</extra>", marker={"color": [colour("positive" if e >= 0 else "negative") for e in d]}), q)
    sc, rg = diverging(gi)
    size, maps = fold[1] * fold[2], []
    canvas.keep(canvas.note(x0, 0, f"∂L/∂input, folded back to the {fold[0]} maps {fold[1]}×{fold[2]}",
                            size=SIZE - 1))
    for c in range(fold[0]):
        p = canvas.panel(x0 + c * (FMAP + 12), 44, FMAP, FMAP, title=f"channel {c + 1}", rows=fold[1], cols=fold[2])
        canvas.heatmap(p, gi[c * size:(c + 1) * size].reshape(fold[1:]), scale_name=sc, zrange=rg, name="∂L/∂input",
                       gap=1, bar=(x0 + fold[0] * (FMAP + 12), 44, FMAP) if c == fold[0] - 1 else None)
        maps.append(p)
    wp = canvas.panel(TICKS, top, ROOM - TICKS, WGRAD, title="∂L/∂weights = δ ⊗ x: row k is δ[k] × every input",
                      rows=k_count, cols=n, free=True, yaxis=DIGIT_TICKS)
    canvas.heatmap(wp, gw, scale_name="diverging", zrange=diverging(gw)[1], name="∂L/∂weight",
                   hover="digit %{y}, input %{x}<br>∂L/∂weight %{z:.7g}<extra></extra>")

    def at(i):
        c, r, col = np.unravel_index(i, fold)
        values = np.stack([w[:, i], d, prod[:, i]], axis=1)
        shapes = [outline(wp, 0, i, k_count - 1, i, "window", 2), *filling(maps, c, r, col, *fold[1:])]
        notes = [
            canvas.note(x0, 44 + FMAP + 24, f"Σ {k_count} products = ∂L/∂input[{i}] = <b>{short(gi[i])}</b><br>"
                        f"(channel {c + 1}, row {r}, column {col})"),
            canvas.note(0, top + WGRAD + 8, f"Column {i}: each δ[k] × its input x[{i}] = {short(x[i])} "
                        "(the bias's gradient is δ itself)." + (" An input of 0 gives its weights no gradient."
                                                                 if x[i] == 0 else ""), size=SIZE - 1)]
        text = cells_text(values, fmt=short)
        return State({grid: {"text": text, "customdata": values}}, shapes, notes)
    return canvas, at
