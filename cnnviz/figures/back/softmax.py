"""Softmax backwards, digit by digit: the loss looks only at p[label] (∂L/∂p = −1/p there, 0 elsewhere), and through
the softmax each logit's gradient comes out as p − y, y the one-hot label."""

import numpy as np

from ...cnn import config as C
from ..base import SIZE, Canvas, State, colour, outline, short
from ..table import ROW, table
from ..words import text_height

TABLE = 400
BARS = (400, 320)
UNIT = "digit"


def positions(v):
    return v.line.grad_input.shape                                # (10,)


def caption(v):
    return "Backwards through softmax and the loss: each logit's gradient is its probability minus the label's one-hot."


def legends(v):
    return []


def label(v, k):
    return f"digit {C.CLASS_LABELS[k]}"


def build(v, title, mode):
    """The table p, y, p − y and the gradient's bars -> (canvas, at(k))."""
    d, g = v.line.details, v.line.grad_input
    L = C.CLASS_LABELS[d["label"]]
    values = np.stack([d["probabilities"], d["onehot"], g], axis=1)                     # (10, 3)
    width = TABLE + 48 + BARS[0]
    how = (f"The loss L = −log p[{L}] looks at one probability: ∂L/∂p[{L}] = −1/p[{L}] = "
           f"{short(v.line.grad_output[d['label']])}, 0 for every other digit.<br>Through the softmax, every logit's "
           f"gradient is simply p − y: y is 1 for {L} and 0 elsewhere.")
    top = text_height(how, width, SIZE - 1) + 50                  # the table's, under the words and its header
    canvas = Canvas(width, top + values.shape[0] * ROW + 60, title)
    canvas.keep(canvas.note(0, 0, how, size=SIZE - 1))
    cells, _ = table(canvas, 40, top, TABLE - 40, ["p", f"y ({L} is 1)", "p − y = ∂L/∂z"], values)
    q = canvas.panel(TABLE + 48, top, BARS[0], BARS[1], title="∂L/∂z = p − y, the logits' gradient",
                     xaxis={"type": "category", "title": {"text": "digit"}}, yaxis={"range": [-1.05, 1.05]})
    bars = canvas.add(dict(type="bar", x=list(C.CLASS_LABELS), y=g, hovertemplate="digit %{x}<br>p − y = %{y:.7g}"
                           "<extra></extra>", marker={"color": [colour("positive" if x >= 0 else "negative")
                                                             for x in g]}), q)
    bottom = top + g.size * ROW + 16

    def at(k):
        line = (f"Digit {C.CLASS_LABELS[k]}: p {short(d['probabilities'][k])} − y {int(d['onehot'][k])} = "
                f"<b>{short(g[k])}</b>")
        return State({bars: {"y": np.where(np.arange(g.size) <= k, g, np.nan)}},
                     [outline(cells, k, 0, k, values.shape[1] - 1, "current")],
                     [canvas.note(0, bottom, line)])
    return canvas, at
