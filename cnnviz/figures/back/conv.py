"""Convolution backwards, position by position: the output cell's δ times the input window under the kernel gives
each weight's share, and their running sums (the walk's accumulated) grow into ∂L/∂weights; the bias's is the running
sum of δ. Positions are (row, column) of the δ maps, every filter at once; the stage figure shows the gradients."""

import numpy as np

from ..base import cells_text, diverging, exact, fix, map_label, short
from ..grids import conv_frame, factors, input_maps, state_at

SHARE = "δ {} × input %{{customdata[0]:.7g}}<br>= %{{z:.7g}}<br>running sum %{{customdata[1]:.7g}}<extra></extra>"
RUNNING = "input here %{customdata:.7g}<br>running sum %{z:.7g}<extra></extra>"
label = map_label


def positions(v):
    return v.line.grad_output.shape[1:]                           # (oh, ow)


def caption(v):
    return ("Each output's δ times the window under each weight, added to that weight's running sum: the sums end "
            "at ∂L/∂weights, and the bias's running sum of δ at ∂L/∂bias.")


def legends(v):
    return ["gradient", "image" if v.input_name == "input" else "sequential"]


def build(v, title, mode):
    """Inputs, ∂L/∂weights (mode: a position's products and running sums), the δ maps -> (canvas, at(i, j))."""
    s, x = v.line, v.input                                         # x (C, H, W): the forward input
    gw, gb, d = s.grads["weight"], s.grads["bias"], s.grad_output   # (F, C, k, k), (F,), (F, oh, ow)
    frame = conv_frame(
        title,
        input_maps(v, f"the {v.input_name}"),
        (gw, (*diverging(gw), "∂L/∂weight", cells_text(gw, fmt=lambda a: short(a)))),
        (d, ("diverging", [diverging(m)[1] for m in d], "δ = ∂L/∂output", lambda f: f"δ, filter {f + 1}")))
    canvas = frame.canvas
    for f in range(len(gb)):
        canvas.fig.add_annotation(canvas.note(*frame.lines[f], f"∂L/∂weights of filter {f + 1}; ∂L/∂bias "
                                              f"<b>{short(gb[f])}</b>"))
    products, acc, bias_acc = s.details["weight_products"], s.details["accumulated"], s.details["bias_accumulated"]
    m, m_acc = diverging(products)[1], diverging(acc)[1]
    k = frame.k

    def at(i, j):
        under = x[:, i:i + k, j:j + k]                             # (C, k, k)
        last = (i, j) == tuple(np.array(d.shape[1:]) - 1)

        def grid(f, c):
            if mode == "animation":                                # lean frames: the running sums, the rest on hover
                return {"z": acc[f, i, j, c], "zmin": m_acc[0], "zmax": m_acc[1], "customdata": under[c],
                        "texttemplate": "Σ %{z:.4f}", "hovertemplate": RUNNING}
            # δ to 3 decimals and the input to 2 as the page writes them, the share exact to 4: hover for every digit
            delta, sums = fix(d[f, i, j], 3), acc[f, i, j, c]
            text = cells_text(under[c], products[f, i, j, c], sums,
                              fmt=lambda u, q, a: factors(delta, fix(u, 2), f"<b>{fix(q)}</b>", f"Σ {fix(a)}"))
            return {"z": products[f, i, j, c], "zmin": m[0], "zmax": m[1], "text": text,
                    "customdata": np.stack([under[c], sums], -1), "hovertemplate": SHARE.format(exact(d[f, i, j]))}
        lines = [f"δ = ∂L/∂output here <b>{short(d[f, i, j])}</b>; bias: Σ δ so far <b>{short(bias_acc[f, i, j])}</b>"
                 + (" = ∂L/∂bias" if last else "") for f in range(d.shape[0])]
        return state_at(frame, i, j, grid, lines, building=False)
    return canvas, at
