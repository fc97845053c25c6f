"""The loss: how far the network's answer is from the label, L = −log p[label], where the backward walk starts."""

from ...cnn import config as C
from ..base import ROOM, SIZE, Canvas, colour, pct, short

BARS = (440, 330)
SURE = 0.99              # p[label] above this: the network is right and sure, every gradient nearly zero


def positions(v):
    return ()


def caption(v):
    L = C.CLASS_LABELS[v.line.label]
    return f"The loss of this digit towards {L}: minus the log of the probability the network gives {L}."


def legends(v):
    return []


def build(v, title, mode):
    """The probabilities, the label's outlined, and the loss -> (canvas, None)."""
    label, loss, p = v.line.label, v.line.loss, v.line.probabilities
    L, k = C.CLASS_LABELS[label], int(p.argmax())
    canvas = Canvas(ROOM, BARS[1] + 80, title)
    q = canvas.panel(0, 30, BARS[0], BARS[1], title=f"probabilities; the label {L} outlined",
                     xaxis={"type": "category", "title": {"text": "digit"}}, yaxis={"range": [0, 1.12],
                                                                                  "tickformat": ".0%"})
    canvas.add(dict(type="bar", x=list(C.CLASS_LABELS), y=p, text=[pct(x) for x in p], textposition="outside",
                    cliponaxis=False, hovertemplate="digit %{x}<br>probability %{y:.7g}<extra></extra>",
                    marker={"color": [colour("prediction") if i == k else colour("bar") for i in range(p.size)],
                            "line": {"color": colour("current"), "width": [3 if i == label else 0
                                                                           for i in range(p.size)]}}), q)
    reads = (" and reads it as that digit." if k == label else
             f" and reads the digit as {C.CLASS_LABELS[k]} ({pct(p[k])}).")
    words = [f"<b>L = −log p[{L}] = −log {short(p[label])} = {short(loss)}</b>",
             f"The network gives {L} {pct(p[label])}{reads}"
             + (f" It already gives {L} more than {SURE:.0%}: p − y is almost zero, and every gradient with it."
                if p[label] > SURE else ""),
             f"The loss is 0 when the network gives {L} 100%, and grows without end as p[{L}] goes to 0. Training "
             "makes it smaller.",
             "Walking back, each stage takes ∂L/∂(its output) and passes back ∂L/∂(its input) by the chain rule; a "
             "stage with weights also gets ∂L/∂(each weight): what one step of training uses."]
    canvas.fig.add_annotation(canvas.note(BARS[0] + 40, 40, "<br><br>".join(words), size=SIZE))
    return canvas, None
