"""Dense: each of the 10 outputs (logits) is 100 contributions weight x input plus a bias. At a position (a digit):
its contributions, which pushed it up or down most, the sum, and its 100 weights folded back to the maps' shape."""

import numpy as np

from .. cnn import config as C
from .base import SIZE, Canvas, State, colour, diverging, fix, short
from .words import text_height

MAIN = (468, 280)        # px of the contributions chart
SIDE = 320               # px of the logits chart's width
WMAP = 70                # px of a folded weights map
LOGITS = 220             # px of the logits chart's height
UNDER = 50               # px under a chart for its tick labels
TOP = 3                  # how many strongest pushes up and down to name
UNIT = "output"
DIGIT_TICKS = {"showticklabels": True, "tickvals": list(range(C.NUM_CLASSES)), "ticktext": list(C.CLASS_LABELS)}


def positions(v):
    return v.line.output.shape                                    # (10,): one digit's logit at a time


def caption(v):
    k, n = v.line.details["contributions"].shape
    return f"Each digit's score (logit) is the sum of {n} weight × input contributions plus its bias."


def legends(v):
    return ["diverging"]


def label(v, k):
    return f"digit {C.CLASS_LABELS[k]}"


def logits_panel(canvas, v, x, y):
    """The 10 logits as bars, the prediction's coloured -> the trace's index."""
    z = v.line.output
    p = canvas.panel(x, y, SIDE, LOGITS, title=f"all {z.size} logits", xaxis={"type": "category"},
                     yaxis={"zeroline": True})
    return canvas.add(dict(type="bar", x=list(C.CLASS_LABELS), y=z, marker={"color": [colour("bar")] * z.size},
                           hovertemplate="digit %{x}: logit %{y:.7g}<extra></extra>"), p)


def build(v, title, mode):
    """Stage: every contribution as a 10 x 100 map, and the logits. Stepped: one digit's -> (canvas, at(k))."""
    s = v.line
    contrib, w, b, z = s.details["contributions"], s.params["weight"], s.params["bias"], s.output   # (10, 100) ...
    k_count, n = contrib.shape
    fold = v.walk[C.STAGE_NAMES[C.STAGE_NAMES.index("flatten") - 1]].output.shape     # (4, 5, 5): pool2's maps
    x0, under_logits = MAIN[0] + 60, SIZE + 4 + LOGITS + UNDER // 2      # the right column; the y under the logits
    pred = int(z.argmax())
    sums = "<br>".join(f"digit {C.CLASS_LABELS[k]}: Σ {fix(s.details['sums'][k])} + bias {fix(b[k])} = "
                       f"<b>{fix(z[k])}</b>" for k in range(k_count) if k == pred)
    weights = "digit 0: logit -0.0000<br>its weights, folded back to the maps' shape"     # the longest words there
    maps_y = under_logits + text_height(weights, SIDE, SIZE - 2) + SIZE + 8
    words_y = SIZE + 4 + MAIN[1] + UNDER

    def words(k):
        """Digit k's sum and its strongest pushes up and down."""
        y, digit = contrib[k], C.CLASS_LABELS[k]
        order = np.argsort(-y, kind="stable")
        name = lambda i: f"#{i} ({'+' if y[i] >= 0 else '−'}{fix(abs(y[i]), 3)})"       # noqa: E731
        return (f"Digit {digit}: Σ {n} contributions <b>{fix(s.details['sums'][k])}</b> + bias <b>{fix(b[k])}</b> = "
                f"logit <b>{fix(z[k])}</b><br><span style='font-size:{SIZE - 1}px'>Pushed {digit} up most: "
                f"{', '.join(map(name, order[:TOP]))}.<br>Down most: {', '.join(map(name, order[::-1][:TOP]))}.</span>")
    need = max(text_height(words(k), MAIN[0] + 40, SIZE) for k in range(k_count))
    height = (max(maps_y + WMAP, words_y + need) if mode else
              max(SIZE + 4 + MAIN[1], under_logits + text_height(f"The prediction's sum:<br>{sums}", SIDE, SIZE)))
    canvas = Canvas(x0 + SIDE, height, title)
    m = diverging(contrib)
    bars = logits_panel(canvas, v, x0, SIZE + 4)
    canvas.fig.data[bars].marker.color = [colour("prediction") if i == pred else colour("bar") for i in range(k_count)]
    if not mode:
        p = canvas.panel(0, SIZE + 4, MAIN[0], MAIN[1], title=f"the {k_count}×{n} contributions weight × input, a row "
                         "per digit", rows=k_count, cols=n, free=True, yaxis=DIGIT_TICKS)
        canvas.heatmap(p, contrib, scale_name=m[0], zrange=m[1], name="weight × input", bar=(MAIN[0] + 6, SIZE + 4,
                       MAIN[1]), hover="digit %{y}, input %{x}<br>weight × input %{z:.7g}<extra></extra>")
        canvas.fig.add_annotation(canvas.note(x0, under_logits, f"The prediction's sum:<br>{sums}"))
        return canvas, None
    p = canvas.panel(0, SIZE + 4, MAIN[0], MAIN[1], title=f"the {n} contributions weight × input, by input position",
                     yaxis={"range": list(m[1]), "zeroline": True})
    contributions = canvas.add(dict(type="bar", x=np.arange(n), y=contrib[0], customdata=v.input,
                                    hovertemplate="input #%{x}<br>weight × input = %{y:.7g}<br>input "
                                    "%{customdata:.7g}<extra></extra>"), p)
    wm = diverging(w)
    size = fold[1] * fold[2]
    maps = []
    for c in range(fold[0]):
        q = canvas.panel(x0 + c * (WMAP + 8), maps_y, WMAP, WMAP, title=f"ch {c + 1}", rows=fold[1],
                         cols=fold[2])
        maps.append(canvas.heatmap(q, w[0, c * size:(c + 1) * size].reshape(fold[1:]), scale_name=wm[0],
                                   zrange=wm[1], name="weight", gap=1))

    def at(k):
        y = contrib[k]
        signs = [colour("positive" if c >= 0 else "negative") for c in y]
        traces = {contributions: {"y": y, "marker": {"color": signs}},
                  bars: {"marker": {"color": [colour("prediction" if i == k else "bar") for i in range(k_count)]}}}
        traces |= {t: {"z": w[k, c * size:(c + 1) * size].reshape(fold[1:])} for c, t in enumerate(maps)}
        digit = C.CLASS_LABELS[k]
        notes = [canvas.note(0, words_y, words(k), width=MAIN[0] + 40),
                 canvas.note(x0, under_logits, f"digit {digit}: logit {short(z[k])}<br>its weights, folded back to "
                             "the maps' shape", size=SIZE - 2)]
        return State(traces, [], notes)
    return canvas, at
