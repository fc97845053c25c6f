"""Softmax, its arithmetic digit by digit: each logit z, z minus the largest logit, its exponential, and the
probability as that exponential divided by the sum of all ten; the probabilities as bars, the prediction coloured."""

import numpy as np

from .. cnn import config as C
from .base import SIZE, Canvas, State, colour, fix, outline, pct, short
from .table import ROW, table
from .words import LINE, text_height

TABLE = 420              # px of the table's width
BARS = (380, 330)
UNIT = "digit"


def positions(v):
    return v.line.output.shape                                    # (10,)


def caption(v):
    return "Softmax turns the ten logits into probabilities that add up to 1."


def legends(v):
    return []


def label(v, k):
    return f"digit {C.CLASS_LABELS[k]}"


def build(v, title, mode):
    """The table of arithmetic, the bars -> (canvas, at(k))."""
    d, p = v.line.details, v.line.output
    pred, m = d["prediction"], fix(d["largest"])
    values = np.stack([d["logits"], d["shifted"], d["exponentials"], p], axis=1)        # (10, 4)
    width = TABLE + 48 + BARS[0]
    how = (f"probability = e<sup>z − max z</sup> ÷ Σ e<sup>z − max z</sup>, where max z = {m} is the largest logit "
           f"(digit {C.CLASS_LABELS[pred]}): subtracting it changes no probability but keeps every exponential ≤ 1, "
           "so none overflows.")
    top = text_height(how, width, SIZE - 1) + 60                  # the table's, under the words and its header
    bottom = top + p.size * ROW + 16
    verdict = (f"Prediction: <b>{C.CLASS_LABELS[pred]}</b> with probability {pct(p[pred])} (logit "
               f"{fix(d['logits'][pred], 2)}); Σ of the exponentials = {short(d['sum'])}.")
    canvas = Canvas(width, bottom + 2 * round(LINE * SIZE) + 8 + text_height(verdict, width, SIZE), title)
    canvas.keep(canvas.note(0, 0, how, size=SIZE - 1))
    cells, _ = table(canvas, 40, top, TABLE - 40, ["logit z", "z − max", "e^(z − max)", "÷ Σ = p"], values)
    q = canvas.panel(TABLE + 48, top - 30, BARS[0], BARS[1], title="probabilities, adding up to 1",
                     xaxis={"type": "category", "title": {"text": "digit"}},
                     yaxis={"range": [0, 1.12], "tickformat": ".0%"})
    colours = [colour("prediction") if i == pred else colour("bar") for i in range(p.size)]
    bars = canvas.add(dict(type="bar", x=list(C.CLASS_LABELS), y=p, text=[pct(x) for x in p], textposition="outside",
                           cliponaxis=False, customdata=d["logits"], marker={"color": colours},
                           hovertemplate="digit %{x}<br>probability %{y:.7g}<br>logit %{customdata:.7g}"
                           "<extra></extra>"), q)
    canvas.keep(canvas.note(0, bottom + 2 * round(LINE * SIZE) + 8, verdict))

    def at(k):
        shown = np.where(np.arange(p.size) <= k, p, np.nan)
        line = (f"Digit {C.CLASS_LABELS[k]}: logit {short(d['logits'][k])} − {m} = {short(d['shifted'][k])}; "
                f"e<sup>{short(d['shifted'][k])}</sup> = {short(d['exponentials'][k])}; "
                f"{short(d['exponentials'][k])} ÷ {short(d['sum'])} = <b>{short(p[k])}</b> ({pct(p[k])})")
        return State({bars: {"y": shown, "text": [pct(x) if i <= k else "" for i, x in enumerate(p)]}},
                     [outline(cells, k, 0, k, values.shape[1] - 1, "current")],
                     [canvas.note(0, bottom, line)])
    return canvas, at
