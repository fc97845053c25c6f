"""The whole walk-through of one digit as ONE offline HTML file: every stage's figure with its heading, caption and
colour legend, and the page's own plotly.js inside it, so it opens from a USB stick or an e-mail with no server and
no network. html(trace) is what Trace.write_html, POST /api/export?format=html and `cnnviz export` all write."""

import gzip
import html as escape
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import figures
from .colors import colors
from .cnn import config as C
from .figures.base import FG, FONT, MUTED, WIDTH

HERE = Path(__file__).resolve().parent
STATIC = HERE / "app" / "static" if (HERE / "app" / "static").is_dir() else HERE.parent / "static"   # wheel, checkout
PLOTLY = STATIC / "vendor" / "plotly-cnnviz.min.js.gz"     # the page's partial bundle: scatter, bar, heatmap
CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False}
STYLE = f"""
body {{ font-family: {FONT}; color: {FG}; margin: 0 auto; padding: 1.5rem; max-width: {WIDTH}px; }}
header h1 {{ margin: 0 0 .3rem; font-size: 1.8rem; }} header h1 span {{ color: #0b63c5; }}
header p, footer, .walk p {{ color: {MUTED}; }}
.walk {{ margin: 3rem 0 0; border-top: 4px solid {FG}; padding-top: .6rem; }}
.walk h2 {{ margin: 0; font-size: 1.7rem; }}
section {{ margin: 2.2rem 0; border-top: 1px solid #d8dce2; padding-top: .8rem; }}
h3 {{ margin: .2rem 0; font-size: 1.45rem; }} .caption {{ font-size: 1.1rem; margin: .3rem 0 .6rem; }}
.legend {{ color: {MUTED}; margin: .3rem 0 0; }} .plot {{ overflow-x: auto; }}
"""


def made_by():
    """"cnnviz 0.2.0", the version that wrote a document (just "cnnviz" from a checkout never installed)."""
    try:
        return f"cnnviz {version('cnnviz')}"
    except PackageNotFoundError:
        return "cnnviz"


def plotly_js():
    """The page's vendored plotly.js, gunzipped."""
    return gzip.decompress(PLOTLY.read_bytes()).decode("utf-8")


def script_json(obj):
    """JSON safe inside a <script> element: no "</" can close it."""
    return obj.replace("</", "<\\/") if isinstance(obj, str) else script_json(json.dumps(obj))


def walks(trace):
    """The walks a document shows: a Trace's forward pass; a Backprop's forward pass, then its backward walk."""
    return [trace.forward, trace] if hasattr(trace, "forward") else [trace]


def headline(trace):
    """The document's first lines, in words."""
    forward = walks(trace)[0]
    p, k = forward.probabilities, forward.prediction
    said = (f"The network reads this digit as <b>{k}</b> ({100 * float(p[k]):.1f}%), with the {forward.net.weights} "
            "weights.")
    if hasattr(trace, "forward"):
        said += (f" Then it learns from it: the backward walk towards <b>{trace.label}</b> (loss {trace.loss:.4g}) and "
                 f"{trace.step.steps} step{'s' if trace.step.steps > 1 else ''} of gradient descent at learning rate "
                 f"{trace.step.learning_rate}.")
    return said


def title(trace):
    """The document's title: "a 7", "a 7, towards 3"."""
    forward = walks(trace)[0]
    towards = f", towards {C.CLASS_LABELS[trace.label]}" if hasattr(trace, "forward") else ""
    return f"cnnviz walk-through: a {C.CLASS_LABELS[forward.prediction]}{towards}"


def walk_heading(walk):
    """The heading over one walk's stages, numbered from 1 under it: the forward pass, or the backward walk."""
    if hasattr(walk, "forward"):
        steps = walk.step.steps
        return (f'<div class="walk" id="backward"><h2>Backward: learning towards {C.CLASS_LABELS[walk.label]}</h2>'
                f"<p>From the loss back to the pixels, each stage's gradient by the chain rule, then {steps} step"
                f"{'s' if steps > 1 else ''} of gradient descent.</p></div>")
    return ('<div class="walk" id="forward"><h2>Forward: reading the digit</h2><p>From the pixels to the '
            "probabilities, each stage's output from the one before.</p></div>")


def section(walk, name, n):
    """One stage: its heading, caption, figure and colour legend -> (HTML, the figure's JSON)."""
    v = figures.view(walk, name)
    fig = figures.figure(walk, name, titled=False)
    legend = " ".join(colors()["legends"][k] for k in v.legends)
    direction = "backward" if hasattr(walk, "forward") else "forward"
    body = (f'<section data-stage="{name}" data-direction="{direction}"><h3>{escape.escape(v.heading)}</h3>'
            f'<p class="caption">{escape.escape(v.caption)}</p><div class="plot" id="plot-{n}"></div>'
            f'<p class="legend">{escape.escape(legend)}</p></section>')
    return body, fig.to_json()


def html(trace, pause=None):
    """The walk-through of a cnnviz Trace (its ten stages) or Backprop (the forward ten, then the backward walk and
    its step) as one self-contained HTML document; pause() runs between stages (a server lets other requests run)."""
    parts, plots = [], []
    for walk in walks(trace):
        parts.append(walk_heading(walk))
        for name in figures.names(walk):
            body, fig = section(walk, name, len(plots))
            parts.append(body)
            plots.append(fig)
            if pause:
                pause()
    draw = ("const figures = [" + ",".join(script_json(f) for f in plots) + "];\n"
            f"figures.forEach((f, n) => Plotly.newPlot(document.getElementById('plot-' + n), f.data, f.layout, "
            f"{json.dumps(CONFIG)}));")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape.escape(title(trace))}</title><style>{STYLE}</style>
<script>{plotly_js()}</script></head>
<body><header><h1>cnn<span>viz</span> walk-through</h1><p>{headline(trace)} Every number is the one the network
computed; hover any cell or bar for its exact value.</p></header>
{"".join(parts)}
<footer>Made by {made_by()}. plotly.js 4.1.1 (a partial bundle), MIT licence.</footer>
<script>{draw}</script></body></html>
"""
