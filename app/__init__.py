"""cnnviz's Flask app: the page, the streaming trace API, the model and the sample digits."""

from pathlib import Path

from flask import Flask

import cnn

HERE = Path(__file__).resolve().parent
ROOT = HERE if (HERE / "static").is_dir() else HERE.parent   # the page's folders: in the wheel, or a checkout
MAX_BODY = 8 * 1024 * 1024          # bytes; larger uploads get 413


def create_app(test_config=None):
    """The app factory: loads the model once and registers the blueprints."""
    app = Flask(__name__, static_folder=None, template_folder=str(ROOT / "templates"))   # pages.py serves static/
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY, WEIGHTS=None)
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["cnnviz.model"] = cnn.load_model(app.config["WEIGHTS"])

    from . import api, errors, info, pages
    app.register_blueprint(api.bp)
    app.register_blueprint(info.bp)
    app.register_blueprint(pages.bp)
    pages.load_assets(app, ROOT / "static")
    errors.register(app)
    return app
