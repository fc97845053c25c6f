"""cnnviz's engine: the CNN of README.md ("The network") in NumPy, traced stage by stage."""

from .model import Model
from .weights import DEFAULT_WEIGHTS, WeightsError, load_params  # noqa: F401  (public API)
from .serialize import trace_json  # noqa: F401  (public API)


def load_model(path=None):
    """The model with the weights at path, or the shipped weights when path is None."""
    return Model(load_params(DEFAULT_WEIGHTS if path is None else path))
