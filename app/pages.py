"""The page itself and its static files, plotly.js among them (from the installed plotly package, never a CDN)."""

from pathlib import Path

import plotly
from flask import Blueprint, abort, current_app, render_template

from .assets import Assets

bp = Blueprint("pages", __name__)
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def load_assets(app, folder):
    """Read and gzip the static files once per process, and give templates `asset(name)` for their URLs."""
    assets = Assets(folder, {"vendor/plotly.min.js": PLOTLY_JS})
    app.extensions["cnnviz.assets"] = assets
    app.jinja_env.globals["asset"] = assets.url


@bp.get("/")
def index():
    return render_template("index.html"), {"Cache-Control": "no-cache"}


@bp.get("/static/<version>/<path:name>")
def static_file(version, name):
    return current_app.extensions["cnnviz.assets"].response(version, name) or abort(404)
