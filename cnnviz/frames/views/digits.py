"""The views with a row per digit: softmax's arithmetic (each logit, minus the largest, its exponential, divided by
their sum), and backward the loss -log p[label] and softmax's gradient p - y."""

from ..draw import BOTTOM, SMALL, TEXT, TOP, Canvas, fix, pct, short
from ..scales import COLOURS
from .layout import GAP, MARGIN, absmax, right_of

ROW = 44             # a digit's row in pixels
BAR = 300            # the longest bar in pixels


def draw(s, pos):
    if s.kind == "loss":
        return loss(s, pos)
    return softmax_back(s, pos) if s.backward else softmax(s, pos)


def softmax(s, pos):
    d = s.stage.details                                               # the softmax's recorded arithmetic
    p, k = s.stage.output, d["prediction"] if pos is None else pos
    largest = fix(d["largest"])
    canvas = Canvas(f"{s.name}: the ten probabilities", s.about,
                    f"Digit {k}: e to the (logit - the largest, {largest}), divided by the sum of all ten: "
                    f"{pct(p[k])}.", [])
    rows = [[str(i), fix(d["logits"][i]), short(d["shifted"][i]), short(d["exponentials"][i]), short(p[i])]
            for i in range(len(p))]
    widths = (70, 150, 170, 190, 180)
    y = canvas.table(MARGIN, TOP, widths, ROW, ["digit", "logit z", f"z - {largest}", f"e^(z - {largest})",
                                                 "/ sum = p"], rows, k)
    canvas.text(MARGIN + sum(widths[:4]) - 10, y + 8, f"sum {short(d['sum'])}", TEXT, anchor="ra", bold=True)
    bars(canvas, MARGIN + sum(widths) + GAP, p, [pct(v) for v in p], k, "probability",
         lambda i, v: "prediction" if i == d["prediction"] else "bar")
    return canvas.img


def loss(s, pos):
    b, p = s.line, s.line.probabilities
    label, k = b.label, b.label if pos is None else pos
    canvas = Canvas(f"loss: how far the answer is from {label}", s.about,
                    f"The loss looks only at the label's probability: L = -log p[{label}]. The walk back starts here.",
                    [])
    widths = (70, 190, 150)
    canvas.table(MARGIN, TOP, widths, ROW, ["digit", "probability p", f"y ({label} is 1)"],
                 [[str(i), short(v), "1" if i == label else "0"] for i, v in enumerate(p)], k)
    bars(canvas, MARGIN + sum(widths) + GAP, p, [pct(v) for v in p], k, "probability",
         lambda i, v: "prediction" if i == label else "bar")
    canvas.text(MARGIN, BOTTOM - 2 * TEXT - 24, f"L = -log p[{label}] = -log {short(p[label])} = {fix(b.loss)}",
                TEXT + 8, bold=True)
    return canvas.img


def softmax_back(s, pos):
    b = s.line
    p, y, g = b.details["probabilities"], b.details["onehot"], b.grad_input          # (10,) each
    label, k = b.details["label"], b.details["label"] if pos is None else pos
    canvas = Canvas(f"{s.name}: backward, the gradient on the logits", s.about,
                    f"Digit {k}: p - y = {short(p[k])} - {int(y[k])} = {short(g[k])}. Only the label's is negative: "
                    "its logit should rise, the others fall.", ["gradient"])
    widths = (70, 170, 150, 190)
    rows = [[str(i), short(p[i]), str(int(y[i])), short(g[i])] for i in range(len(p))]
    end = canvas.table(MARGIN, TOP, widths, ROW, ["digit", "probability p", f"y ({label} is 1)", "p - y = dL/dz"],
                       rows, k)
    canvas.text(MARGIN, end + 10, f"dL/dp[{label}] = -1/p[{label}] = {short(b.grad_output[label])}", TEXT)
    m = absmax(g)
    bars(canvas, MARGIN + sum(widths) + GAP, g, [short(v) for v in g], k, "dL/dz",
         lambda i, v: "positive" if v >= 0 else "negative", (-m, m))
    return canvas.img


def bars(canvas, x, values, texts, current, title, colour_of, span=(0.0, 1.0)):
    """A horizontal bar per digit beside the table's rows (from zero, over span), its text at its end."""
    lo, hi = span
    width = min(BAR, right_of(x) - 120)
    zero = x + width * (0 - lo) / (hi - lo)
    canvas.text(x, TOP + (ROW - SMALL) / 2, title, SMALL)
    for i, v in enumerate(values):
        y = TOP + (i + 1) * ROW + 8
        end = zero + width * float(v) / (hi - lo)
        c = colour_of(i, v)
        canvas.draw.rectangle((min(zero, end), y, max(zero, end), y + ROW - 18), fill=COLOURS.get(c, c))
        if i == current:
            canvas.outline((x, y - 2, x + width, y + ROW - 16), "current", 2)
        canvas.text(x + width + 10, y + (ROW - 18 - SMALL) / 2, texts[i], SMALL)
    canvas.draw.line((zero, TOP + ROW, zero, TOP + (len(values) + 1) * ROW), fill="#5a6370")
