"""Dense, one output at a time: its 100 contributions weight x input as bars, their sum plus the bias giving the
logit, the strongest pushes up and down, and its weights folded back into the maps' shape."""

import numpy as np

from ..draw import BOTTOM, MUTED, SMALL, TEXT, TOP, Canvas, fix, short
from .layout import GAP, MARGIN, absmax, right_of

TOP_PUSHES = 3       # how many strongest pushes up and down to name
TABLE = (70, 130)    # the logits table's columns in pixels


def draw(s, pos):
    st = s.stage
    contributions, sums, bias, logits = (st.details["contributions"], st.details["sums"], st.params["bias"],
                                         st.output)                    # (10, 100), (10,), (10,), (10,)
    k = int(np.argmax(logits)) if pos is None else pos                 # finished: the prediction's output
    fold = s.before.input.shape                                        # (C, h, w): the maps flatten unrolled
    canvas = Canvas(f"{s.name}: {contributions.shape[1]} inputs -> {contributions.shape[0]} logits", s.about,
                    f"Output {k}: each of the {contributions.shape[1]} inputs times its weight, all added up with the "
                    "bias: the logit.", ["diverging"])
    width = right_of(MARGIN) - sum(TABLE) - 2 * GAP
    m = absmax(contributions)
    canvas.text(MARGIN, TOP, f"the contributions weight x input to output {k}, input by input (red up, blue down)",
                SMALL)
    canvas.bars(MARGIN, TOP + SMALL + 8, width, 220, contributions[k], lo=-m, hi=m,
                colour_of=lambda i, v: "positive" if v >= 0 else "negative")
    per = int(np.prod(fold[1:]))
    for ch in range(1, fold[0]):
        canvas.text(MARGIN + ch * per * width / contributions.shape[1], TOP + SMALL + 232, str(ch * per), SMALL,
                    MUTED, anchor="ma")
    y = TOP + SMALL + 262
    canvas.text(MARGIN, y, f"sum {fix(sums[k])} + bias {fix(bias[k])} = logit {fix(logits[k])}", TEXT + 4, bold=True)
    order = np.argsort(contributions[k])
    ups, downs = order[::-1][:TOP_PUSHES], order[:TOP_PUSHES]
    y += TEXT + 20
    for words, picked in (("pushed up most by", ups), ("pushed down most by", downs)):
        named = ", ".join(f"#{i} {short(contributions[k, i])}" for i in picked)
        canvas.text(MARGIN, y, f"{words} {named}", TEXT)
        y += TEXT + 10
    weights = st.params["weight"][k].reshape(fold)                     # output k's weights in the maps' shape
    wm = absmax(st.params["weight"])
    canvas.text(MARGIN, y + 6, f"output {k}'s {weights.size} weights, folded back to the maps' shape", SMALL)
    cell = max(1, min((BOTTOM - y - SMALL - 20) // fold[1], 24))
    x = MARGIN
    for ch in range(fold[0]):
        x = canvas.heatmap(x, y + SMALL + 14, weights[ch], "diverging", -wm, wm, cell).right + GAP
    tx = MARGIN + width + 2 * GAP
    canvas.table(tx, TOP, TABLE, 48, ["digit", "logit"], [[str(d), fix(v)] for d, v in enumerate(logits)], k)
    return canvas.img
