"""What every figure shares: the page's colours, numbers written as the page writes them, a canvas of panels placed
in pixels no wider than a laptop's notebook column, words wrapped to fit it, heatmaps with each exact value on hover,
outlines and masks, and a position's State."""

import re
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from ..colors import colors
from ..format import exact, fix, pct, short  # noqa: F401  (the figures' modules import them from here)
from ..frames.scales import PENDING
from .words import text_height, wrap

FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
MONO = "ui-monospace, 'DejaVu Sans Mono', monospace"
FG, MUTED, PANEL = "#1b1f24", "#5a6370", "#ffffff"        # the page's light theme (--fg, --muted, --panel)
SIZE = 15                # base font size in px: legible on a projector
MARGIN = {"l": 16, "r": 16, "t": 16, "b": 16}
WIDTH = 880              # px of a figure at most, margins included: JupyterLab's column, 1366 px screen, files open
ROOM = WIDTH - MARGIN["l"] - MARGIN["r"]      # px of a canvas's width at most
HEADING = 40             # px above the panels for a figure's title line, its padding and the gap under the caption
BAR = {"thickness": 12, "outlinewidth": 0, "xpad": 4, "ypad": 0}
CHART_LABELS = 52        # px left of a chart's axis for its tick labels


def colour(use):
    """A colour by its use ("window", "current", "maximum", ...), from colors.json."""
    return colors()["colours"][use]


def scale(name):
    """A colour scale by name ("diverging", "sequential", "image"), from colors.json."""
    return colors()["scales"][name]


def abs_max(*arrays):
    """The largest absolute value (1 if all are 0): a diverging scale's half-width, centred on zero."""
    m = max(float(np.abs(a).max()) for a in arrays)
    return m or 1.0


def diverging(*arrays):
    """A diverging scale centred on zero over the arrays' largest absolute value: (scale name, (zmin, zmax))."""
    m = abs_max(*arrays)
    return "diverging", (-m, m)


def unsigned(a):
    """The page's choice for a map: sequential from 0 if it has no negative value, else diverging."""
    return ("sequential", (0.0, float(a.max()) or 1.0)) if a.min() >= 0 else diverging(a)


@dataclass
class State:
    """What one position changes in a figure: traces by index, the outlines and masks, the lines of arithmetic."""
    traces: dict = field(default_factory=dict)     # trace index -> {property: value}
    shapes: list = field(default_factory=list)
    notes: list = field(default_factory=list)      # annotations


class Canvas:
    """A figure of panels placed in pixels: (x, y) from the top left of the area under the title, w and h. title:
    (heading, caption), the caption wrapped to the figure's width under the heading, or None."""

    def __init__(self, width, height, title=None):
        assert width <= ROOM, f"a canvas {width} px wide: {ROOM} px at most, for a figure {WIDTH} px wide"
        self.w, self.h = width, height
        text, top = None, MARGIN["t"]
        if title:
            heading, caption = title
            lines = wrap(caption, width, SIZE)
            text = (f"<span style='font-size:{SIZE + 5}px'><b>{heading}</b></span><br>"
                    f"<span style='color:{MUTED}'>{lines}</span>")
            top += HEADING + text_height(lines, width, SIZE)
        self.fig = go.Figure(layout={
            "template": "none", "width": width + MARGIN["l"] + MARGIN["r"], "height": height + top + MARGIN["b"],
            "margin": {**MARGIN, "t": top}, "paper_bgcolor": PANEL, "plot_bgcolor": PANEL, "showlegend": False,
            "font": {"family": FONT, "size": SIZE, "color": FG}, "hoverlabel": {"font": {"family": MONO}},
            "title": {"text": text, "x": 0, "xref": "paper", "y": 1, "yref": "container", "yanchor": "top",
                      "pad": {"t": 24}, "font": {"size": SIZE}} if title else None})   # 24: plotly lifts many lines
        self.axes = 0
        self.kept = []           # annotations every position shows: charts' titles, fixed notes

    def fx(self, x):
        return x / self.w

    def fy(self, y):
        return 1 - y / self.h

    def panel(self, x, y, w, h, *, title=None, rows=None, cols=None, free=False, xaxis=None, yaxis=None):
        """A panel's axes -> ("x3", "y3"). rows and cols: a map, row 0 at the top, no ticks, square cells unless
        free; else a chart. xaxis, yaxis: more of the axes' settings."""
        if rows is None:                     # a chart: its tick labels inside its box, left of its axis
            x, w = x + CHART_LABELS, w - CHART_LABELS
        self.axes += 1
        n = "" if self.axes == 1 else str(self.axes)
        xa = {"domain": [self.fx(x), self.fx(x + w)], "anchor": f"y{n}", "fixedrange": True, "automargin": False}
        ya = {"domain": [self.fy(y + h), self.fy(y)], "anchor": f"x{n}", "fixedrange": True, "automargin": False}
        if rows is not None:
            hidden = {"showgrid": False, "zeroline": False, "ticks": "", "showticklabels": False, "showline": False}
            xa |= hidden | {"range": [-0.5, cols - 0.5]}
            ya |= hidden | {"range": [rows - 0.5, -0.5]}
            if not free:
                xa |= {"constrain": "domain"}
                ya |= {"scaleanchor": f"x{n}", "constrain": "domain", "constraintoward": "top"}
        top = {"side": "top", "title": {"text": title, "standoff": 4, "font": {"size": SIZE - 1}}}
        if title and rows is not None:
            xa |= top
        self.fig.layout[f"xaxis{n}"] = xa | (xaxis or {})
        self.fig.layout[f"yaxis{n}"] = ya | (yaxis or {})
        if title and rows is None:           # a chart's title over it, kept in every position's notes
            self.keep({"xref": "paper", "yref": "paper", "x": self.fx(x + w / 2), "y": self.fy(y), "text": title,
                       "showarrow": False, "xanchor": "center", "yanchor": "bottom", "yshift": 4,
                       "font": {"size": SIZE - 1}})
        return f"x{n}", f"y{n}"

    def add(self, trace, panel):
        """Add a trace to a panel -> its index."""
        trace.update(xaxis=panel[0], yaxis=panel[1])
        self.fig.add_trace(trace)
        return len(self.fig.data) - 1

    def heatmap(self, panel, z, *, scale_name, zrange, name, bar=None, gap=0, text=None, customdata=None,
                hover=None, font=None):
        """A heatmap of z (rows x cols) -> its index; hover gives each exact value with its row and column. bar: the
        colour bar's (x, y, h) in px, if shown; text: the cells' own words, if any."""
        trace = go.Heatmap(z=z, zmin=zrange[0], zmax=zrange[1], colorscale=scale(scale_name), xgap=gap, ygap=gap,
                           hoverongaps=False, showscale=bar is not None,
                           hovertemplate=hover or f"{name} %{{z:.7g}}<br>row %{{y}}, column %{{x}}<extra></extra>")
        if bar is not None:
            x, y, h = bar
            trace.colorbar = {**BAR, "x": self.fx(x), "xanchor": "left", "y": self.fy(y), "yanchor": "top",
                              "len": h / self.h, "lenmode": "fraction"}
        if text is not None:
            trace.update(text=text, texttemplate="%{text}", textfont=font or {"size": SIZE - 3, "family": MONO})
        if customdata is not None:
            trace.customdata = customdata
        return self.add(trace, panel)

    def note(self, x, y, text, *, anchor="left", size=SIZE, width=None, **more):
        """An annotation at (x, y) px, its text's top left by default (HTML <b>, <br> and <span> allowed), wrapped
        to width px: by default, all the room there is to the figure's right edge (both edges, centred)."""
        room = {"left": self.w - x, "center": 2 * min(x, self.w - x), "right": x}[anchor]
        text = wrap(re.sub(r"<(?=[\d.])", "&lt;", text), min(width or room, room), size)     # "<0.1%": no tag
        return {"xref": "paper", "yref": "paper", "x": self.fx(x), "y": self.fy(y), "text": text, "showarrow": False,
                "xanchor": anchor, "yanchor": "top", "align": anchor, "font": {"size": size}, **more}

    def keep(self, note):
        """Add an annotation that every position shows too."""
        self.kept.append(note)
        self.fig.add_annotation(note)

    def notes(self, state):
        """All the annotations of a position: the kept ones, then its own."""
        return self.kept + state.notes

    def apply(self, state):
        """Show one position's state in the figure itself."""
        for i, props in state.traces.items():
            self.fig.data[i].update(props)
        self.fig.layout.shapes = state.shapes
        self.fig.layout.annotations = self.notes(state)


def map_label(v, i, j):
    """A map position's words, for an animation's slider."""
    return f"row {i}, column {j}"


def outline(panel, r0, c0, r1, c1, colour_name, width=3):
    """A rectangle around cells [r0..r1] x [c0..c1] (inclusive) of a map panel."""
    return {"type": "rect", "xref": panel[0], "yref": panel[1], "x0": c0 - 0.5, "x1": c1 + 0.5, "y0": r0 - 0.5,
            "y1": r1 + 0.5, "line": {"color": colour(colour_name), "width": width}}


def pending(panel, r, c, h, w):
    """The cells after (r, c) in row-major order of an h x w map, not computed yet, grey as in the GIFs (not white,
    0's colour on a diverging scale), in a thin frame: the map building up. Always these two shapes, whatever the
    position (none grey at the last, all at (-1, w - 1)), so an animation's frames carry only the mask's path."""
    mask = f"M{c + 0.5},{r - 0.5}H{w - 0.5}V{h - 0.5}H-0.5V{r + 0.5}H{c + 0.5}Z"     # the rest of row r, the rows under
    return [{"type": "path", "xref": panel[0], "yref": panel[1], "path": mask, "line": {"width": 0},
             "fillcolor": PENDING},
            {"type": "rect", "xref": panel[0], "yref": panel[1], "x0": -0.5, "x1": w - 0.5, "y0": -0.5, "y1": h - 0.5,
             "line": {"color": MUTED, "width": 1}}]


def filling(panels, c, r, col, h, w):
    """h x w maps filled channel by channel up to channel c's (r, col): each map's pending cells and frame, the
    current cell outlined in channel c (hidden in the others, so that every position has the same shapes)."""
    shapes = []
    for cc, p in enumerate(panels):
        upto = (r, col) if cc == c else (-1, w - 1) if cc > c else (h - 1, w - 1)
        shapes += [*pending(p, *upto, h, w), outline(p, r, col, r, col, "current") | {"visible": cc == c}]
    return shapes


def cells_text(*arrays, fmt):
    """Each cell's words, fmt(values...) of the arrays' elements in the same place -> an array of str of their shape."""
    flat = [np.asarray(a).ravel() for a in arrays]
    return np.array([fmt(*vs) for vs in zip(*flat)], dtype=object).reshape(np.shape(arrays[0]))
