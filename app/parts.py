"""What a worker keeps for its whole life: one object, made in create_app, each part named here and bounded."""

from dataclasses import dataclass

from flask import current_app


@dataclass
class Parts:
    weights: object         # models.Weights: the served model, the checkpoints (each loaded once), runs' (8 kept)
    documents: object       # info.Documents: /api/model, the page's inline JSON, /api/samples (on first use)
    traces: object          # tracecache.TraceCache: the last 16 traces and backward walks sent, by request
    sample_traces: object   # tracecache.TraceCache: the last 16 shipped samples' traces, gzipped hard
    store: object           # store: classes and runs, shared by the workers (embedded or Redis); store.url
    hub: object             # hub.Hub: this worker's open event streams, fed by the store's events
    guesses: object         # classes.guesses.Guesses: wrong class codes and tokens, by address (10,000 at most)
    exports: object         # export.Turns: exports drawing one at a time, 32 held at most
    assets: object          # assets.Assets: the page's static files, read and gzipped once


def parts():
    """The current app's Parts."""
    return current_app.extensions["cnnviz"]
