"""The page itself and its static files, plotly.js among them (vendored in static/vendor, never a CDN)."""

from flask import Blueprint, abort, current_app, render_template

from .assets import Assets

bp = Blueprint("pages", __name__)


def load_assets(app, folder):
    """Read and gzip the static files once per process, and give templates `asset(name)` for their URLs."""
    assets = Assets(folder)
    app.extensions["cnnviz.assets"] = assets
    app.jinja_env.globals["asset"] = assets.url


@bp.get("/")
def index():
    return render_template("index.html"), {"Cache-Control": "no-cache"}


@bp.get("/static/<version>/<path:name>")
def static_file(version, name):
    return current_app.extensions["cnnviz.assets"].response(version, name) or abort(404)


@bp.get("/c/<code>")
def join_class(code):
    """A class's join URL: the page, which joins the class named in its path."""
    return render_template("index.html"), {"Cache-Control": "no-cache"}
