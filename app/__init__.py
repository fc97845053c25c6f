"""cnnviz's Flask app: the page, the streaming trace API, the model and the sample digits."""

import dataclasses
import time
from pathlib import Path

from flask import Flask

from .. import cnn
from ..cnn.weights import MODEL_CARD

from .classes.guesses import Guesses
from .hub import Hub
from .parts import Parts
from .store import CLASS_HOURS, Limits, open_store, temporary_store
from .tracecache import TraceCache

HERE = Path(__file__).resolve().parent
ROOT = HERE if (HERE / "static").is_dir() else HERE.parent   # the page's folders: in the wheel, or a checkout
MAX_BODY = 8 * 1024 * 1024          # bytes; larger uploads get 413
SAMPLE_TRACES = 16                  # samples' traces kept per worker, gzipped (60 KB each, 240 KB with the plain body)
EXPIRY_CHECK_SECONDS = 60           # how often each worker looks for classes that went quiet for too long
REDIS_CONNECTIONS = 64              # a worker opens these at start (--redis): a lecture hall's answers, all at once,
                                    # find them open (opening them then made a first question's answer p99 300 ms)


def create_app(test_config=None):
    """The app factory: makes what a worker keeps for its life (parts.py) and registers the blueprints."""
    app = Flask(__name__, static_folder=None, template_folder=str(ROOT / "templates"))   # pages.py serves static/
    app.config.from_mapping(MAX_CONTENT_LENGTH=MAX_BODY, WEIGHTS=None, MODEL_CARD=None,   # None: the shipped ones
                            STORE_URL=None,        # None: an embedded store in a new temporary folder
                            SERVE_HOST=None,       # the address `cnnviz serve` listens on, for join URLs
                            CLASS_HOURS=CLASS_HOURS, CLASS_LIMITS=Limits(),
                            TRAINING="local",      # who may train: local, teachers or nobody (app/training/access.py)
                            MNIST_DIR=None,        # None: cnn.mnist's per-user folder
                            ALLOWED_HOSTS=(),      # names besides addresses and this machine's to serve changes
                                                   # under (app/hosts.py), e.g. a proxy's
                            SERVER_ID=None,        # the same in every worker of one `cnnviz serve` (hub.py)
                            CLOCK=time.time)       # the classes' time in seconds (a test passes its own)
    if test_config:
        app.config.from_mapping(test_config)
    from . import api, backprop, errors, export, hosts, info, models, pages
    from .classes import api as classes
    from .classes import ask
    from .training import api as training
    from .training import keys
    limits = dataclasses.replace(app.config["CLASS_LIMITS"], class_hours=app.config["CLASS_HOURS"])
    clock = app.config["CLOCK"]
    store = open_store(app.config["STORE_URL"] or temporary_store(), limits, clock, REDIS_CONNECTIONS)

    def catch_up(topic):        # what a topic's streams may have missed while the store's events could not flow
        if topic.startswith(classes.topic("")):
            return classes.catch_up(store, topic, clock())
        return training.catch_up(store, topic) if topic.startswith(keys.topic("")) else []

    weights = models.Weights(cnn.load_model(app.config["WEIGHTS"]), app.config["MODEL_CARD"] or MODEL_CARD)
    every = min(EXPIRY_CHECK_SECONDS, limits.class_hours * 3600 / 4)
    app.extensions["cnnviz"] = Parts(
        weights=weights, documents=info.Documents(weights), traces=TraceCache(),
        sample_traces=TraceCache(SAMPLE_TRACES), store=store,
        hub=Hub(store, jobs=[(every, classes.end_expired(store))], clock=clock, server=app.config["SERVER_ID"],
                catch_up=catch_up),
        guesses=Guesses(), exports=export.Turns(), assets=pages.load_assets(app, ROOT / "static"))
    app.register_blueprint(classes.bp)
    app.register_blueprint(ask.bp)
    app.register_blueprint(training.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(backprop.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(info.bp)
    app.register_blueprint(pages.bp)
    errors.register(app)
    hosts.register(app)
    return app


def close(app):
    """Stop what create_app started: the hub's threads and the store's connection (tests close every app)."""
    app.extensions["cnnviz"].hub.stop()
    app.extensions["cnnviz"].store.close()
