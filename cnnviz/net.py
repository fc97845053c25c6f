"""The Python API's verbs: load weights, trace a digit, walk its backward pass. The numbers are the engine's, the
very arrays the server sends the page; images are preprocessed as the server does."""

from pathlib import Path

import numpy as np
from PIL import Image

from .cnn import config as C
from .cnn.model import LEARNING_RATE, Model
from .cnn.preprocess import preprocess, preprocess_image
from .cnn import trace as engine
from .cnn.weights import DEFAULT_WEIGHTS, MODEL_CARD, load_params, model_card, read_checkpoints

IMAGES = "a path to an image file, its bytes, a PIL image, or a (28, 28) array of values in [0, 1]"
FORMATS = ("gif", "png", "html")   # what a walk exports: a stage's animation, a stage's picture, the walk-through


def checkpoints():
    """The shipped run's checkpoints, fewest epochs first: [{"id", "epochs", "accuracy", "file"}, ...]."""
    return read_checkpoints(model_card(MODEL_CARD), Path(MODEL_CARD))


def load(weights=None):
    """A Net with the shipped weights (None), a checkpoint of the shipped run by its id ("epoch-1"), or an .npz
    file; ValueError says which checkpoints there are."""
    if weights is None:
        return Net(Model(load_params(DEFAULT_WEIGHTS)), "shipped")
    found = next((c for c in checkpoints() if c["id"] == weights), None)
    if found is not None:
        return Net(Model(load_params(found["file"])), weights)
    path = Path(weights)
    if path.suffix == ".npz" or path.exists():
        return Net(Model(load_params(path)), path.stem)      # WeightsError (a ValueError) names what is wrong
    ids = ", ".join(c["id"] for c in checkpoints())
    raise ValueError(f"no weights '{weights}': the shipped run's checkpoints are {ids}; or the path of an .npz "
                     "file (none given: the shipped weights)")


def network_input(image):
    """Any image the API takes -> (x (28, 28) float32, preprocessing steps [(name, caption, uint8 preview)])."""
    if isinstance(image, (str, Path)):
        path = Path(image)
        if not path.is_file():
            raise ValueError(f"{path}: no such file; give {IMAGES}")
        return preprocess(path.read_bytes())                  # ImageError (a ValueError) says what is wrong
    if isinstance(image, (bytes, bytearray, memoryview)):
        return preprocess(bytes(image))
    if isinstance(image, Image.Image):
        return preprocess_image(image)
    if isinstance(image, np.ndarray):
        shape = (C.IMAGE_SIZE, C.IMAGE_SIZE)
        if image.shape != shape or not np.issubdtype(image.dtype, np.number):
            raise ValueError(f"an array must be {shape} numbers in [0, 1] (the network's input, used as it is), "
                             f"got {image.dtype} {image.shape}; give a PIL image to have it preprocessed")
        x = image.astype(np.float32)
        if not np.isfinite(x).all() or x.min() < 0 or x.max() > 1:
            raise ValueError("an array's values must be finite and in [0, 1], white digit on black")
        return x, []
    raise ValueError(f"cannot read a {type(image).__name__}: give {IMAGES}")


class Net:
    """The network with one set of weights: trace a digit forward, or walk its backward pass towards a label."""

    def __init__(self, model, weights):
        self.model = model           # the engine's Model
        self.weights = weights       # "shipped", a checkpoint's id, or a file's stem: what the figures say

    def __repr__(self):
        return f"<cnnviz.Net weights={self.weights!r}>"

    @property
    def params(self):
        """The six parameters by name (conv1.weight ... dense.bias), float32, the torch.nn layout."""
        return self.model.params

    def trace(self, image):
        """The forward pass of one image ({IMAGES}) -> a Trace of its ten stages, every product recorded."""
        x, steps = network_input(image)
        return Trace(self.model.trace(x), steps, self)

    def backprop(self, image, label, learning_rate=LEARNING_RATE, steps=1):
        """The backward pass of one image towards its true label (0-9) -> a Backprop: the loss, each stage's
        gradients from softmax back to the input, then `steps` plain SGD steps at learning_rate on this image."""
        x, preprocessing = network_input(image)
        back = self.model.backprop(x, label, learning_rate, steps)
        return Backprop(back, Trace(self.model.trace(x), preprocessing, self))


for verb in (Net.trace, Net.backprop):
    verb.__doc__ = verb.__doc__.replace("{IMAGES}", IMAGES)


class Walk:
    """What a forward Trace and a Backprop both do: their stages' figures and animations, and their exports."""

    def figure(self, stage, position=None):
        """A plotly Figure of one stage (its name: "conv1", ...; for a Backprop also "loss" and "step"): its maps as
        heatmaps, hover for each exact value. position: (row, column) of a map stage's output, every channel at once,
        or an index for flatten, dense and softmax: that position's arithmetic (a conv's windows, products, sum, bias
        and output). ValueError for an unknown stage or a position outside the map, saying what is allowed."""
        from . import figures                  # plotly loads here, never with `import cnnviz`
        return figures.figure(self, stage, position)

    def animation(self, stage):
        """A plotly Figure of one stage with a frame per position, a play button and a slider: a conv's kernel
        sliding, a pool's windows, an activation cell by cell, a dense or softmax output by output; the input's
        preprocessing steps; a Backprop's step before and after."""
        from . import figures
        return figures.animation(self, stage)

    def export(self, fmt, stage=None, position=None, pause=None):
        """The bytes of one of FORMATS: the stage's animation as a looping GIF or its picture as a PNG (at position,
        if given; cnnviz.frames), or the whole walk-through as one offline HTML file (cnnviz.walkthrough; stage and
        position unused). pause(), if given, runs between two frames or two stages (the server's turns)."""
        if fmt == "html":
            from .walkthrough import html
            return html(self, pause).encode()
        from . import frames
        if fmt == "gif":
            return b"".join(frames.gif_chunks(self, stage, position, pause))
        if fmt == "png":
            return frames.png(self, stage, position)
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")

    def write_html(self, path):
        """Write the whole walk-through, every stage drawn with its caption, as one offline HTML file (plotly.js
        inside it, no outside script); returns the path."""
        Path(path).write_bytes(self.export("html"))
        return Path(path)

    def write_gif(self, path, stage, position=None):
        """Write the stage's animation as a looping GIF, with its numbers (cnnviz.frames.gif); returns the path."""
        Path(path).write_bytes(self.export("gif", stage, position))
        return Path(path)

    def write_png(self, path, stage, position=None):
        """Write the stage (at a position, if given) as one PNG picture (cnnviz.frames.png); returns the path."""
        Path(path).write_bytes(self.export("png", stage, position))
        return Path(path)


class Trace(Walk, engine.Trace):
    """One image's forward pass: t["conv1"].output, t.prediction, t.probabilities; its figures and exports."""

    def __init__(self, trace, preprocessing, net):
        super().__init__(trace.stages)
        self.preprocessing = preprocessing   # [(name, caption, uint8 preview)]: [] for an array used as it is
        self.net = net

    def __repr__(self):
        return f"<cnnviz.Trace prediction={self.prediction} weights={self.net.weights!r}>"


class Backprop(Walk, engine.BackwardTrace):
    """One image's backward pass towards a label: b.loss, b["conv1"].grads["weight"], b.step, and b.forward, the
    forward pass it started from; its figures."""

    def __init__(self, back, forward):
        super().__init__(back.label, back.loss, back.probabilities, back.stages, back.step)
        self.forward = forward           # the Trace of the same image with the same weights
        self.net = forward.net

    def __repr__(self):
        return f"<cnnviz.Backprop label={self.label} loss={self.loss:.4f} weights={self.net.weights!r}>"
