"""The conv figures' frame, forward and backward: the input maps on the left, a k x k grid per filter and input channel
in the middle (the kernels, or a position's products), a map per filter on the right, each filter's line under its
grids. Positions are (row, column) of the output maps, every filter at once."""

from dataclasses import dataclass

import numpy as np

from .base import MONO, ROOM, SIZE, Canvas, State, outline, pending

CELL = 70                # px of a grid's cell: room for "-0.024×0.62" (FACTORS) over its product and running sum
FACTORS = 10             # px of a cell's factors' line, as the page's (0.62 rem); its product's line: SIZE - 3
GAP = 24
LINE = 34                # px under a filter's grids for its line of arithmetic
MAP = 200                # px at most of a map's side, input or output
MIN_MAP = 140            # px at least of an input and an output map's side beside the grids (else the inputs go above)
BAR_ROOM = 60            # px right of an output map for its colour bar


@dataclass
class Frame:
    """The panels' trace indices and places, for a figure's positions to fill in."""
    canvas: Canvas
    inputs: list             # panels of the C input maps
    grids: list              # [f][c] trace index of each k x k grid
    outputs: list            # panels of the F output maps
    lines: list              # (x, y) px of each filter's line
    k: int
    out_shape: tuple         # (F, oh, ow)


def input_maps(v, one):
    """A conv's input maps with their look -> (x (C, H, W), (scale, range, hover name, title(c))); one: the title of
    a single channel."""
    x = v.input
    image = v.input_name == "input"
    look = ("image", (0, 1)) if image else ("sequential", (0, float(np.abs(x).max()) or 1.0))
    many = x.shape[0] > 1
    return x, (*look, "pixel" if image else "input", lambda c: f"{v.input_name}, channel {c + 1}" if many else one)


def conv_frame(title, inputs, grid, outputs):
    """inputs: (C, H, W) maps with their (scale, range, name, title(c)); grid: (F, C, k, k) with its (scale, range,
    name, text); outputs: (F, oh, ow) maps with their (scale, range per filter, name, title(f))."""
    x_in, (s_in, r_in, n_in, t_in) = inputs
    g, (s_g, r_g, n_g, text) = grid
    y_out, (s_out, r_out, n_out, t_out) = outputs
    f_count, c_count, k, _ = g.shape
    side = k * CELL
    grids_w = c_count * side + (c_count - 1) * GAP // 2
    row = side + LINE + GAP + SIZE
    free = (ROOM - grids_w - 2 * GAP - BAR_ROOM) // 2                 # px for an input and an output map beside them
    beside = free >= MIN_MAP                                        # the input maps left of the grids, or over them
    if beside:
        in_side = min(MAP, free, (f_count * row - GAP * (c_count - 1)) // c_count - SIZE - 8)
        mid_x, top0 = in_side + GAP, 0
    else:
        in_side = min(MAP, (ROOM - GAP * (c_count - 1)) // c_count)
        mid_x, top0 = 0, in_side + SIZE + GAP + 8
    out_x = mid_x + grids_w + GAP
    out_side = min(MAP, row - LINE - SIZE, ROOM - out_x - BAR_ROOM)
    canvas = Canvas(out_x + out_side + BAR_ROOM, top0 + f_count * row, title)
    ins = []
    for c in range(c_count):
        x, y = (0, c * (in_side + SIZE + GAP)) if beside else (c * (in_side + GAP), 0)
        p = canvas.panel(x, y + SIZE + 4, in_side, in_side, title=t_in(c), rows=x_in.shape[1], cols=x_in.shape[2])
        canvas.heatmap(p, x_in[c], scale_name=s_in, zrange=r_in, name=n_in)
        ins.append(p)
    grids, outs, lines = [], [], []
    for f in range(f_count):
        top = top0 + f * row + SIZE + 4
        grids.append([])
        for c in range(c_count):
            p = canvas.panel(mid_x + c * (side + GAP // 2), top, side, side, rows=k, cols=k,
                             title=(f"filter {f + 1}" + (f", channel {c + 1}" if c_count > 1 else "")))
            grids[f].append(canvas.heatmap(p, g[f, c], scale_name=s_g, zrange=r_g, name=n_g, text=text[f, c],
                                           gap=2, font={"size": SIZE - 3, "family": MONO}))
        lines.append((mid_x, top + side + 6))
        p = canvas.panel(out_x, top, out_side, out_side, title=t_out(f), rows=y_out.shape[1], cols=y_out.shape[2])
        canvas.heatmap(p, y_out[f], scale_name=s_out, zrange=r_out[f], name=n_out, bar=(out_x + out_side + 8, top,
                                                                                         out_side))
        outs.append(p)
    return Frame(canvas, ins, grids, outs, lines, k, y_out.shape)


def factors(a, b, *more):
    """A cell's words: its factors "a×b" in small type over more lines (its product in bold, a running sum)."""
    return "<br>".join([f"<span style='font-size:{FACTORS}px'>{a}×{b}</span>", *more])


def window_shapes(frame, i, j, building=True):
    """The window at output (i, j) on every input map, the output cell on every map (the maps building up)."""
    k, (_, oh, ow) = frame.k, frame.out_shape
    shapes = [outline(p, i, j, i + k - 1, j + k - 1, "window") for p in frame.inputs]
    for p in frame.outputs:
        shapes += (pending(p, i, j, oh, ow) if building else []) + [outline(p, i, j, i, j, "current")]
    return shapes


def state_at(frame, i, j, grid_props, line_texts, building=True):
    """A position's State: grid_props(f, c) -> the grid's new properties, line_texts[f] each filter's line."""
    traces = {frame.grids[f][c]: grid_props(f, c) for f in range(len(frame.grids)) for c in range(len(frame.grids[f]))}
    notes = [frame.canvas.note(x, y, text, size=SIZE) for (x, y), text in zip(frame.lines, line_texts)]
    return State(traces, window_shapes(frame, i, j, building), notes)
