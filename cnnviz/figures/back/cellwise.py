"""ReLU and the sigmoid backwards, cell by cell: the gradient that came back times the function's slope at that
cell's forward input, the chain rule's one product; the slope's curve with each cell's point. Every value is the
walk's or the trace's; only the drawn curve is the slope's shape."""

import numpy as np

from ..activation import cell_figure, cell_shapes, curve, curve_panel
from ..base import State, diverging, map_label, short

label = map_label


def positions(v):
    return v.line.grad_output.shape[1:]                           # (H, W): every channel at once


def caption(v):
    return {"relu": "Backwards through ReLU: the gradient passes where the input was positive, and stops where it "
                    "was clamped.",
            "sigmoid": "Backwards through the sigmoid: each gradient times the sigmoid's slope s(1 − s) at that "
                       "cell."}[v.kind]


def legends(v):
    return ["gradient"]


def slope(v):
    """Each cell's slope, the walk's: 1 where ReLU passed, s(1 − s) for the sigmoid."""
    return v.line.details["passed"] if v.kind == "relu" else v.line.details["slope"]


def says(v, c, i, j):
    """One cell's product in words."""
    d, out, x = v.line.grad_output[c, i, j], v.line.grad_input[c, i, j], v.input[c, i, j]
    if v.kind == "relu":
        ok = slope(v)[c, i, j] == 1
        why = f"the input {short(x)} was positive: slope 1" if ok else f"the input {short(x)} was not positive: slope 0"
        return f"δ {short(d)} {'passed' if ok else 'clamped'} → <b>{short(out)}</b> ({why})"
    s = v.forward.output[c, i, j]
    return f"δ {short(d)} × s(1−s) {short(slope(v)[c, i, j])} = <b>{short(out)}</b> (s = {short(s)})"


def build(v, title, mode):
    """∂L/∂out over ∂L/∂in, a map per channel, and the slope's curve -> (canvas, at(i, j))."""
    d, g, x = v.line.grad_output, v.line.grad_input, v.input       # (C, H, W) each

    def words(i, j):
        return "<br>".join(f"Channel {c + 1}, row {i}, column {j}: {says(v, c, i, j)}" for c in range(len(d)))
    canvas, rows, q, note = cell_figure(                           # each row its own range, as the page
        title, mode, [(d, diverging(d), "∂L/∂output", "∂L/∂output"), (g, diverging(g), "∂L/∂input", "∂L/∂input")],
        words, np.ndindex(*positions(v)),
        (f"{'ReLU' if v.kind == 'relu' else 'sigmoid'} slope at each input", "forward input", "slope"))
    xs, ys = curve(v)
    if v.kind == "relu":
        xs, ys = [xs[0], 0, 0, xs[-1]], [0, 0, 1, 1]
    else:
        ys = np.asarray(ys) * (1 - np.asarray(ys))
    point = curve_panel(canvas, q, (xs, ys), (x, slope(v)), "input %{x:.7g}<br>slope %{y:.7g}<extra></extra>")

    def at(i, j):
        return State({point: {"x": x[:, i, j], "y": slope(v)[:, i, j]}}, cell_shapes(rows, i, j), [note(i, j)])
    return canvas, at
