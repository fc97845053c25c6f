"""ReLU and sigmoid, cell by cell in every channel at once: the map before and after, the current cell outlined in
both, the after map filling up. Backward: the gradient that came back times the function's slope at that cell."""

from ..draw import SMALL, TEXT, Canvas, short
from .layout import GAP, absmax, at, blocks, filled

SATURATED = 0.99     # a sigmoid output this close to 0 or 1 is on the curve's flat arms (the page's words)
WORDS = 480          # pixels the cell's arithmetic needs right of the maps (else it goes under them)
MAP = 300            # a map's largest side in pixels


def draw(s, pos):
    st, back = s.stage, s.line
    r, c = at(pos, st.output.shape)
    sigmoid = s.kind == "sigmoid"
    if back is None:
        m = absmax(st.input)
        maps = [(st.input, "before", "diverging", -m, m),
                (st.output, "after", "sequential", 0, 1) if sigmoid else (st.output, "after", "diverging", -m, m)]
        legends = ["diverging", "sequential"] if sigmoid else ["diverging"]
        said = ("The sigmoid squashes every value into (0, 1), one cell at a time." if sigmoid else
                "ReLU keeps positive values and turns every negative value into 0, one cell at a time.")
    else:
        go, gi = absmax(back.grad_output), absmax(back.grad_input)     # each its own scale, centred on zero
        maps = [(back.grad_output, "dL/d output", "diverging", -go, go),
                (back.grad_input, "dL/d input", "diverging", -gi, gi)]
        legends = ["gradient"]
        said = ("Each cell's gradient times the sigmoid's slope s(1 - s) there: 0.25 at most, so it shrinks." if sigmoid
                else "Each cell's gradient passes where the forward input was positive (slope 1), else 0.")
    title = f"{s.name}: {'sigmoid' if sigmoid else 'ReLU'}" + (" - backward" if back is not None else "")
    canvas = Canvas(title, s.about, said, legends)
    n, h, w = st.output.shape
    done = filled(st.output.shape, pos)
    for ch, (bx, by, bw, bh) in enumerate(blocks(n)):
        beside = bw - 2 * (bh - SMALL - 12) - 2 * GAP >= WORDS      # room for the words right of the maps
        side = min(bh - SMALL - 12 if beside else bh - 2 * SMALL - 3 * TEXT, (bw - GAP) // 2, MAP)
        cell = max(1, side // h)
        x = bx
        for k, (values, name, scale, lo, hi) in enumerate(maps):
            canvas.text(x, by, f"{name}, channel {ch + 1}", SMALL)
            m = canvas.heatmap(x, by + SMALL + 6, values[ch], scale, lo, hi, cell, done if k else None)
            canvas.outline(m.rect(r, c), "current")
            x = m.right + GAP
        words = line(s, ch, r, c) if back is None else back_line(s, ch, r, c)
        wx, wy = (x, m.y + (m.bottom - m.y) // 2 - SMALL) if beside else (bx, m.bottom + 10)
        canvas.text(wx, wy, f"row {r}, column {c}:", SMALL)
        canvas.text(wx, wy + SMALL + 4, words, TEXT)
    return canvas.img


def line(s, ch, r, c):
    """The forward arithmetic of one cell, every number the trace's."""
    x, y = s.stage.input[ch, r, c], s.stage.output[ch, r, c]
    if s.kind == "sigmoid":
        note = " (saturated, near 1)" if y >= SATURATED else " (saturated, near 0)" if y <= 1 - SATURATED else ""
        return f"x = {short(x)} -> sigma = {short(y)}{note}"
    return f"{short(x)} -> {short(y)}" + (" (kept)" if y == x else " (negative, clamped)")


def back_line(s, ch, r, c):
    """The chain rule at one cell: delta times the slope the walk recorded."""
    b = s.line
    delta, out = b.grad_output[ch, r, c], b.grad_input[ch, r, c]
    if s.kind == "sigmoid":
        return f"delta {short(delta)} x s(1-s) {short(b.details['slope'][ch, r, c])} = {short(out)}"
    word = "passed" if b.details["passed"][ch, r, c] else "clamped (the input was not positive)"
    return f"delta {short(delta)} {word} -> {short(out)}"
