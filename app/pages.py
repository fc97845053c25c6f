"""The page itself and its static files, plotly.js among them (vendored in static/vendor, never a CDN)."""

from flask import Blueprint, abort, render_template

from ..colors import colors
from .assets import Assets
from .compressed import Compressed
from .info import page_json
from .parts import parts

bp = Blueprint("pages", __name__)


def load_assets(app, folder):
    """The static files, read and gzipped once per process; templates get `asset(name)` for their URLs, and the
    page's inline JSON."""
    assets = Assets(folder)
    app.jinja_env.globals["asset"] = assets.url
    app.jinja_env.globals["page_json"] = page_json
    app.jinja_env.globals["colors"] = colors         # cnnviz/colors.json, which the Python figures read too
    return assets


def page():
    """The page, gzipped when accepted (5.9 KB -> 2.5 KB), revalidated on each visit (an unchanged one is a 304)."""
    return Compressed(render_template("index.html").encode(), "text/html").response("no-cache")


@bp.get("/")
def index():
    return page()


@bp.get("/static/<version>/<path:name>")
def static_file(version, name):
    return parts().assets.response(version, name) or abort(404)


@bp.get("/c/<code>")
def join_class(code):
    """A class's join URL: the page, which joins the class named in its path."""
    return page()
