"""ReLU and the sigmoid, cell by cell: the maps before and after, and the function's curve with where this map's
values fall on it. At a position, that cell in every channel: its value in and out. Every value is the trace's; only
the drawn curve is the function's shape."""

import numpy as np

from .base import ROOM, SIZE, Canvas, State, abs_max, colour, diverging, map_label, outline, pending, short
from .words import text_height, text_width

GAP = 16
MAP = 220                # px of a map's side at most
BAR_ROOM = 80            # px between the maps and the curve, for the maps' colour bars
CURVE = 320              # px of the curve's side
SATURATED = 0.99         # sigmoid outputs this close to 0 or 1 are on its flat arms
CURVE_POINTS = 121
CURVE_MIN_HALF_WIDTH = 6          # the sigmoid's curve shows at least -6..6, where it bends
label = map_label


def positions(v):
    return v.line.output.shape[1:]                                # (H, W): every channel at once


def caption(v):
    return {"relu": "ReLU keeps positive values and turns every negative value into 0, one cell at a time.",
            "sigmoid": "The sigmoid squashes every value into the range between 0 and 1."}[v.kind]


def legends(v):
    return ["diverging"] if v.kind == "relu" else ["diverging", "sequential"]


def curve(v):
    """The function's drawn shape over this map's values: (xs, ys)."""
    m = abs_max(v.input)
    if v.kind == "relu":
        return [-m, 0, m], [0, 0, m]
    half = max(m, CURVE_MIN_HALF_WIDTH)
    xs = np.linspace(-half, half, CURVE_POINTS)
    return xs, 1 / (1 + np.exp(-xs))


def says(v, x, y):
    """What happened to one value, in words."""
    if v.kind == "relu":
        return f"{short(x)} → {'0' if y == 0 else short(y)} " + ("(kept)" if y == x else "(negative, clamped)")
    flat = " (saturated, near 1)" if y >= SATURATED else " (saturated, near 0)" if y <= 1 - SATURATED else ""
    return f"{short(x)} → σ = {short(y)}{flat}"


def curve_panel(canvas, panel, line, points, hover):
    """The function's drawn line, the map's values as points on it -> the index of the current cells' points."""
    canvas.add(dict(type="scatter", mode="lines", x=line[0], y=line[1], line={"color": colour("curve"), "width": 3},
                    hoverinfo="skip"), panel)
    canvas.add(dict(type="scatter", mode="markers", x=points[0].ravel(), y=points[1].ravel(), hovertemplate=hover,
                    marker={"color": colour("prediction"), "size": 6, "opacity": 0.35}), panel)
    return canvas.add(dict(type="scatter", mode="markers", x=[None], y=[None], hoverinfo="skip", marker={
        "color": colour("current"), "size": 14, "line": {"width": 2, "color": "white"}}), panel)


def cell_shapes(rows, i, j):
    """Cell (i, j) outlined in every map of both rows, the bottom row's maps building up."""
    h, w = rows[1][0][2:]
    shapes = []
    for top, bottom in zip(*rows):
        shapes += [outline(top[:2], i, j, i, j, "window"), *pending(bottom[:2], i, j, h, w),
                   outline(bottom[:2], i, j, i, j, "current")]
    return shapes


def cell_figure(title, mode, maps, words, positions, chart):
    """Two rows of maps (C, H, W), a map per channel, with a colour bar at each row's end, the curve's chart right of
    them and, for a position, its words under the maps. maps: [(data, (scale, range), what, hover name)] per row;
    words(i, j): a position's words, a line per channel; chart: (title, x axis title, y axis title).
    -> (canvas, rows: [[(x, y, H, W)] per channel] per row, the chart's panel, at_words(i, j): the words' note)."""
    c_count, h, w = maps[0][0].shape
    side = min(MAP, (ROOM - BAR_ROOM - CURVE) // c_count - GAP)
    maps_w = c_count * (side + GAP)
    named = max(text_width(f"{what}, channel {c_count}", SIZE - 1) for _, _, what, _ in maps) > side + GAP
    row_h = side + SIZE + 12 + (SIZE + 8 if named else 0)           # narrow maps: the row's name over it, once
    notes_y = 2 * row_h + 8
    beside = notes_y < CURVE + 80                                  # the words under the maps, beside the curve
    room = maps_w if beside else ROOM
    need = max(text_height(words(*p), room, SIZE) for p in positions) if mode else 0
    canvas = Canvas(maps_w + BAR_ROOM + CURVE, max(notes_y + need, CURVE + 80), title)
    rows = []
    for r, (data, (sc, rg), what, name) in enumerate(maps):
        top = r * row_h + SIZE + 4 + (SIZE + 8 if named else 0)
        if named:
            canvas.keep(canvas.note(0, top - 2 * SIZE - 12, f"<b>{what}</b>", size=SIZE - 1))
        panels = []
        for c in range(c_count):
            p = canvas.panel(c * (side + GAP), top, side, side, title=f"{'' if named else what + ', '}channel {c + 1}",
                             rows=h, cols=w)
            canvas.heatmap(p, data[c], scale_name=sc, zrange=rg, name=name,
                           bar=(maps_w - GAP + 6, top, side) if c == c_count - 1 else None)
            panels.append((*p, h, w))
        rows.append(panels)
    name, x_title, y_title = chart
    q = canvas.panel(maps_w + BAR_ROOM, SIZE + 20, CURVE, CURVE, title=name, xaxis={"title": {"text": x_title},
                     "zeroline": True}, yaxis={"title": {"text": y_title}})
    return canvas, rows, q, lambda i, j: canvas.note(0, notes_y, words(i, j), width=room)


def build(v, title, mode):
    """Before and after, a map per channel, and the curve -> (canvas, at(i, j))."""
    x, y = v.input, v.line.output                                  # (C, H, W) each
    before = diverging(x)
    after = before if v.kind == "relu" else ("sequential", (0, 1))

    def words(i, j):
        return "<br>".join(f"Channel {c + 1}, row {i}, column {j}: <b>{says(v, x[c, i, j], y[c, i, j])}</b>"
                           for c in range(len(x)))
    canvas, rows, q, note = cell_figure(
        title, mode, [(x, before, "before", "in"), (y, after, "after", "out")], words, np.ndindex(*positions(v)),
        (f"{'ReLU' if v.kind == 'relu' else 'sigmoid'} curve, the map's {y.size} values", "in", "out"))
    point = curve_panel(canvas, q, curve(v), (x, y), "in %{x:.7g}<br>out %{y:.7g}<extra></extra>")

    def at(i, j):
        return State({point: {"x": x[:, i, j], "y": y[:, i, j]}}, cell_shapes(rows, i, j), [note(i, j)])
    return canvas, at
