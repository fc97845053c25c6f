"""The step: plain SGD on this one image, each parameter minus learning_rate times its gradient. The probabilities and
the loss before and after, conv1's kernels before, after and their change (after − before, the one subtraction made
to show it). Its animation: before, then after."""

import numpy as np

from ...cnn import config as C
from ..base import SIZE, Canvas, State, colour, diverging, pct, short

BARS = (400, 300)
KMAP = 88                # px of a kernel's map
BAR_ROOM = 60            # px right of a map for its colour bar
UNIT = "step"
SMALL = 0.001            # below 0.1%, a probability is written to 2 significant digits (as the page's step panel)


def prob(p):
    return f"{100 * float(p):.2g}%" if 0 < p < SMALL else pct(p)


def positions(v):
    return ()


def caption(v):
    st = v.line
    return (f"{st.steps} step{'s' if st.steps > 1 else ''} of gradient descent towards {C.CLASS_LABELS[v.walk.label]} "
            f"at learning rate {st.learning_rate}: every weight moves by −{st.learning_rate} × its gradient.")


def legends(v):
    return ["diverging"]


def build(v, title, mode):
    """Probabilities before and after, the losses, conv1's kernels before, after, change -> (canvas, None)."""
    st, label = v.line, v.walk.label
    before, after = v.walk.probabilities, st.probabilities
    w0, w1 = v.walk.forward["conv1"].params["weight"], st.params["conv1.weight"]          # (F, 1, k, k)
    f_count = w0.shape[0]
    x0 = BARS[0] + 48
    xs = [x0, x0 + KMAP + 12, x0 + 2 * KMAP + 12 + BAR_ROOM]     # before, after (one scale, its bar), change (its own)
    row = KMAP + 3 * SIZE + 16                                     # a kernel's row: its name, the maps' titles, maps
    canvas = Canvas(xs[2] + KMAP + BAR_ROOM, max(BARS[1] + 180, f_count * row + 20), title)
    q = canvas.panel(0, 30, BARS[0], BARS[1], title="probabilities, before and after",
                     xaxis={"type": "category", "title": {"text": "digit"}}, yaxis={"range": [0, 1.12],
                                                                                  "tickformat": ".0%"})
    for what, p, col in [("before", before, colour("bar")), ("after", after, colour("prediction"))]:
        canvas.add(dict(type="bar", name=what, x=list(C.CLASS_LABELS), y=p, marker={"color": col}, offsetgroup=what,
                        hovertemplate=f"digit %{{x}} {what}<br>probability %{{y:.7g}}<extra></extra>"), q)
    L = C.CLASS_LABELS[label]
    words = (f"loss {short(st.losses[0])} → <b>{short(st.loss)}</b>; p({L}) {prob(before[label])} → "
             f"<b>{prob(after[label])}</b>; the network says {C.CLASS_LABELS[int(before.argmax())]} → "
             f"<b>{C.CLASS_LABELS[st.prediction]}</b>")
    canvas.keep(canvas.note(0, BARS[1] + 110, f"{words}<br><span style='font-size:{SIZE - 2}px'>grey: before the "
                            "step; orange: after</span>"))
    m = diverging(w0, w1)
    change = w1 - w0
    for f in range(f_count):
        top = f * row + 2 * SIZE + 12
        canvas.keep(canvas.note(x0, top - 2 * SIZE - 12, f"<b>conv1's kernel {f + 1}</b>", size=SIZE - 1))
        for n, (what, w, rg) in enumerate([("before", w0, m), ("after", w1, m), ("change", change, diverging(change))]):
            p = canvas.panel(xs[n], top, KMAP, KMAP, title=what, rows=w.shape[2], cols=w.shape[3])
            canvas.heatmap(p, w[f, 0], scale_name=rg[0], zrange=rg[1], name=f"conv1 weight, {what}", gap=1,
                           bar=(xs[n] + KMAP + 8, top, KMAP) if n else None)
    return canvas, None


def states(v, canvas):
    """The animation: the bars before the step, then after."""
    before, after = v.walk.probabilities, v.line.probabilities
    nan = np.full(before.shape, np.nan)
    return ([State({0: {"y": before}, 1: {"y": nan}}), State({0: {"y": before}, 1: {"y": after}})],
            ["before the step", "after the step"])
