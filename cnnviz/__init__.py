"""cnnviz: see a small convolutional neural network think, one operation at a time, on your own drawing."""

import os

# The arrays here are tiny: OpenBLAS threads cost more than they save (an epoch runs ~2x faster on one).
# Only takes effect when cnnviz is imported before numpy, as the command and the server do.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .net import Backprop, Net, Trace, checkpoints, load  # noqa: E402,F401  (the Python API)

__all__ = ["load", "checkpoints", "Net", "Trace", "Backprop"]
