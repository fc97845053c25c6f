"""cnnviz's engine: the CNN of README.md ("The network") in NumPy, traced stage by stage."""

import os

# The arrays here are tiny: OpenBLAS threads cost more than they save (an epoch runs ~2x faster on one).
# Only takes effect when cnn is imported before numpy, as the CLI and server do.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .model import Model  # noqa: E402
from .weights import DEFAULT_WEIGHTS, WeightsError, load_params  # noqa: E402,F401  (public API)
from .serialize import trace_json  # noqa: E402,F401  (public API)


def load_model(path=None):
    """The model with the weights at path, or the shipped weights when path is None."""
    return Model(load_params(DEFAULT_WEIGHTS if path is None else path))
