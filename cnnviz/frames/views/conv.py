"""Convolution at one position, every filter at once: the kernel's window over the input maps, each filter's
products weight x input, their sum, the bias and the output cell, the output maps filling up row by row.
Backward: each weight's share delta x input added to its running sum, which ends at the weight's gradient."""

from ..draw import BOTTOM, SMALL, TEXT, Canvas, fix, lettering, short, signed
from .layout import GAP, MARGIN, absmax, at, column, filled, products_grid, right_of, window

CELL = (96, 52)          # a product's cell at most, in pixels: its two lines of text fit in it
INPUTS = 280             # the input maps' column, in pixels
SIZES = ((SMALL, TEXT), (SMALL - 2, SMALL + 2))   # a cell's two lines' font sizes: wide cells, narrow ones (conv2)


def draw(s, pos):
    st, back = s.stage, s.line
    w = st.params["weight"]                                            # (F, C, k, k)
    x_in = st.input                                                    # (C, H, W)
    f_n, c_n, k, _ = w.shape
    out = st.output if back is None else back.grad_output              # (F, oh, ow): the maps beside the products
    r, c = at(pos, out.shape)
    n = c_n * k * k
    image = s.before.kind == "input"
    size = f"{k}x{k}" + (f"x{c_n}" if c_n > 1 else "")
    if back is None:
        title = f"{s.name}: convolution, {f_n} filters {size}"
        said = (f"Row {r}, column {c}: multiply the window by each kernel, add the {n} products and the bias."
                if pos is not None else f"Every position done: each output is the sum of {n} products plus the bias.")
    else:
        title = f"{s.name}: backward, the kernels' gradients"
        said = (f"Row {r}, column {c}: delta times the input under each weight, added to that weight's running sum."
                if pos is not None else "Every position done: each running sum is now that weight's gradient.")
    canvas = Canvas(title, s.about, said, ["gradient" if back is not None else "diverging",
                                           "image" if image else "sequential"])
    titles = [s.before.name if c_n == 1 else f"{s.before.name}, channel {i + 1}" for i in range(c_n)]
    maps = column(canvas, MARGIN, x_in, titles, "image" if image else "sequential", 0, 1 if image else absmax(x_in),
                  INPUTS)                                              # as large as fits: 280 px, or less for two
    window(canvas, maps, r, c, k)
    x0 = maps[0].right + GAP
    col_w = right_of(x0) // f_n
    cell_w, cell_h = min(CELL[0], (col_w - 12) // k), CELL[1] - 8 * (c_n - 1)
    for f in range(f_n):
        x, y = x0 + f * col_w, maps[0].y - SMALL - 6
        heading = f"filter {f + 1}: " + ("weight x input" if back is None else "delta x input, summed so far")
        canvas.text(x, y, heading if lettering(heading, SMALL)[3] < col_w - 8 else f"filter {f + 1}", SMALL)
        y += SMALL + 10
        for ch in range(c_n):
            if c_n > 1:
                canvas.text(x, y, f"channel {ch + 1}", SMALL)
                y += SMALL + 4
            tops, values, m = cells(st, back, f, ch, r, c)
            _, y = products_grid(canvas, x, y, cell_w, cell_h, tops, values, m, SIZES[cell_w < CELL[0] - 8])
            y += 6
        y = lines(canvas, x, y + 4, col_w - 16, *sums(st, back, f, r, c))
        om = absmax(out[f])
        cell = max(1, min((col_w - 70) // out.shape[2], (BOTTOM - 8 - y - SMALL - 6) // out.shape[1]))
        canvas.text(x, y + 4, f"output of filter {f + 1}" if back is None else f"delta = dL/d output, filter {f + 1}",
                    SMALL)
        omap = canvas.heatmap(x, y + SMALL + 10, out[f], "diverging", -om, om, cell,
                              filled(out.shape, pos) if back is None else None)
        canvas.outline(omap.rect(r, c), "current")
        canvas.colorbar(omap.right + 6, omap.y, omap.bottom - omap.y, "diverging", -om, om)
    return canvas.img


def cells(st, back, f, ch, r, c):
    """Filter f's k x k cells for input channel ch at (r, c): their top lines, values and colour half-width.
    Forward "weight x input" over the product; backward "+ delta x input" over the running sum."""
    w, x_in = st.params["weight"], st.input
    k = w.shape[-1]
    if back is None:
        tops = [[f"{fix(w[f, ch, a, b], 2)}x{fix(x_in[ch, r + a, c + b], 2)}" for b in range(k)] for a in range(k)]
        return tops, st.details["products"][f, r, c, ch], absmax(st.details["products"])
    shares = back.details["weight_products"][f, r, c, ch]              # (k, k): delta x the input under each weight
    tops = [[signed(shares[a, b]) for b in range(k)] for a in range(k)]
    return tops, back.details["accumulated"][f, r, c, ch], absmax(back.details["accumulated"][f])


def sums(st, back, f, r, c):
    """The words under filter f's cells: forward the sum, the bias and the output; backward delta and the bias's
    running sum of delta."""
    if back is None:
        return (f"sum {fix(st.details['sums'][f, r, c])} + bias {fix(st.params['bias'][f])}",
                f"= {fix(st.output[f, r, c])}")
    return (f"delta {short(back.grad_output[f, r, c])};",
            f"bias: sum of delta {short(back.details['bias_accumulated'][f, r, c])}")


def lines(canvas, x, y, width, first, second):
    """first and second on one line if they fit in width, else on two; returns the y below them."""
    if lettering(f"{first} {second}", TEXT)[3] <= width:
        canvas.text(x, y, f"{first} {second}", TEXT, bold=True)
        return y + TEXT + 10
    canvas.text(x, y, first, SMALL)
    fits = lettering(second, TEXT, True)[3] < width
    canvas.text(x, y + SMALL + 4, second, TEXT if fits else SMALL, bold=fits)
    return y + SMALL + TEXT + 12
