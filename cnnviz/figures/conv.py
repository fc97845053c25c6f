"""Convolution: the input maps, the kernels (or, at a position, each window's products weight x input), and the
output maps; under each filter its sum, its bias and the output value. Every number is the trace's."""

import numpy as np

from .base import cells_text, diverging, exact, fix, map_label
from .grids import conv_frame, factors, input_maps, state_at

label = map_label
PRODUCT = "weight %{customdata[0]:.7g} × input %{customdata[1]:.7g}<br>= %{z:.7g}<extra></extra>"
LEAN = "weight %{text} × input %{customdata:.7g}<br>= %{z:.7g}<extra></extra>"   # an animation's: the weight in text


def positions(v):
    return v.line.output.shape[1:]                                 # (oh, ow): every filter at once


def caption(v):
    f, c, k, _ = v.line.params["weight"].shape
    both = f"all {c} channels' {k}×{k} windows ({c * k * k} products)" if c > 1 else f"the {k}×{k} window"
    return (f"Each of the {f} filters slides over the input: at each position, multiply {both} by the kernel, add "
            "it all up with the bias, and the result lands in the output cell.")


def legends(v):
    return ["diverging", "image" if v.input_name == "input" else "sequential"]


def build(v, title, mode):
    """The frame, the kernels in the middle -> (canvas, at(i, j): a position's State, its products in the middle)."""
    s, x = v.line, v.input                                        # x (C, H, W)
    w, b = s.params["weight"], s.params["bias"]                   # (F, C, k, k), (F,)
    frame = conv_frame(
        title,
        input_maps(v, v.input_name),
        (w, (*diverging(w), "weight", cells_text(w, fmt=lambda a: f"{a:.3f}"))),
        (s.output, ("diverging", [diverging(m)[1] for m in s.output], "output",   # each filter its own range
                    lambda f: f"output of filter {f + 1}")))
    for f in range(len(b)):
        frame.canvas.fig.add_annotation(frame.canvas.note(*frame.lines[f], f"kernel of filter {f + 1}, bias "
                                                          f"{fix(b[f])}"))
    m = diverging(s.details["products"])[1]

    def at(i, j):
        p = s.details["products"][:, i, j]                        # (F, C, k, k)
        under = x[:, i:i + frame.k, j:j + frame.k]                 # (C, k, k) the window
        sums, out = s.details["sums"][:, i, j], s.output[:, i, j]

        def grid(f, c):
            cells = {"z": p[f, c], "zmin": m[0], "zmax": m[1]}
            if mode == "animation":             # lean frames: the products and the window; the weights, the same in
                return cells | {"texttemplate": "%{z:.4f}", "customdata": under[c], "hovertemplate": LEAN,   # every
                                "text": cells_text(w[f, c], fmt=exact)}                                  # frame, once
            # the factors to 2 decimals as the page writes them, the product exact to 4: hover for every digit
            return cells | {"customdata": np.stack([w[f, c], under[c]], -1), "hovertemplate": PRODUCT,
                            "text": cells_text(w[f, c], under[c], p[f, c], fmt=lambda a, u, q:
                                               factors(fix(a, 2), fix(u, 2), f"<b>{fix(q)}</b>"))}
        exactly = (lambda f: "") if mode == "animation" else (
            lambda f: f" <span style='font-size:12px'>(exactly {exact(out[f])})</span>")
        lines = [f"Σ {p[f].size} products <b>{fix(sums[f])}</b> + bias <b>{fix(b[f])}</b> = <b>{fix(out[f])}</b>"
                 + exactly(f) for f in range(len(b))]
        return state_at(frame, i, j, grid, lines)
    return frame.canvas, at
