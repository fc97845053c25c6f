"""The page itself and plotly.js, served from the installed plotly package (never a CDN)."""

from pathlib import Path

import plotly
from flask import Blueprint, current_app, render_template

from .compressed import Compressed

bp = Blueprint("pages", __name__)
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@bp.get("/")
def index():
    return render_template("index.html")


@bp.get("/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the plotly Python package, gzipped when accepted, cacheable for a day."""
    ext = current_app.extensions
    if "cnnviz.plotly" not in ext:
        ext["cnnviz.plotly"] = Compressed(PLOTLY_JS.read_bytes(), "text/javascript")
    return ext["cnnviz.plotly"].response(max_age=86400)
