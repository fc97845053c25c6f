"""Plotly figures of a walk's stages, forward (a Trace) and backward (a Backprop): one module per kind of stage, as
the page's views/ and views/back/. Imported only when a figure is asked for: plotly never loads with cnnviz."""

from dataclasses import dataclass

import numpy as np

from ..cnn import config as C
from ..cnn.trace import Loss
from . import activation, conv, dense, flatten, input, pool, softmax
from .back import conv as back_conv, dense as back_dense, flatten as back_flatten, input as back_input
from .back import cellwise, loss, pool as back_pool, softmax as back_softmax, step
from ..frames.positions import sees_ink
from .play import frames

FORWARD = {"input": input, "conv": conv, "relu": activation, "sigmoid": activation, "pool": pool,
           "flatten": flatten, "dense": dense, "softmax": softmax}
BACKWARD = {"loss": loss, "softmax": back_softmax, "dense": back_dense, "flatten": back_flatten, "pool": back_pool,
            "sigmoid": cellwise, "relu": cellwise, "conv": back_conv, "input": back_input, "step": step}
BACKWARD_NAMES = (*C.BACKWARD_NAMES, "step")


@dataclass
class View:
    """One stage of a walk with what its figure reads: the stage's line, its forward stage and that stage's input."""
    name: str                # the stage's name: conv1, ... (and loss, step in a backward walk)
    kind: str
    line: object             # the forward Stage, the Backward, the Loss or the Step
    forward: object          # the forward Stage of the same name (softmax's for the loss; None for the step)
    input: np.ndarray        # the forward stage's input (the previous stage's output)
    input_name: str          # the previous stage's name
    walk: object             # the cnnviz Trace or Backprop
    number: int              # 1, 2, ... in the walk's order
    module: object           # the figure module of its kind

    @property
    def heading(self):
        """"2. conv1 → 2×24×24", "3. softmax ← ∂L/∂ 10", as the page's stage titles: numbered in its walk."""
        return f"{self.number}. {self.what()}"

    @property
    def title(self):
        """A figure's own title, alone in a notebook: no number; a backward stage says its label ("conv1 ← ∂L/∂
        2×24×24, towards 3")."""
        towards = hasattr(self.walk, "forward") and self.kind != "loss"
        return self.what() + (f", towards {C.CLASS_LABELS[self.walk.label]}" if towards else "")

    def what(self):
        """"conv1 → 2×24×24": the stage and what it makes."""
        if self.kind == "loss":
            return f"loss → L towards {C.CLASS_LABELS[self.walk.label]}"
        if self.kind == "step":
            return "step → the weights after it"
        backward = self.line is not self.forward
        shape = "×".join(map(str, np.shape(self.line.grad_output if backward else self.line.output)))
        return f"{self.name} {'← ∂L/∂' if backward else '→'} {shape}"

    @property
    def caption(self):
        return self.module.caption(self)

    @property
    def legends(self):
        """The colour scales the figure uses, by name (colors.json's "legends")."""
        return self.module.legends(self)


def names(walk):
    """The stages of a walk in its order: the forward ten, or loss, softmax ... input, step."""
    return BACKWARD_NAMES if hasattr(walk, "forward") else C.STAGE_NAMES


def view(walk, name):
    """The View of stage `name` of a walk; ValueError lists the stages there are."""
    allowed = names(walk)
    if name not in allowed:
        raise ValueError(f"no stage {name!r}: the stages are {', '.join(allowed)}")
    number = allowed.index(name) + 1
    if not hasattr(walk, "forward"):
        s = walk[name]
        prev = C.STAGE_NAMES[max(C.STAGE_NAMES.index(name) - 1, 0)]
        return View(name, s.kind, s, s, s.input, prev, walk, number, FORWARD[s.kind])
    if name in ("loss", "step"):
        line = Loss(walk.label, walk.loss, walk.probabilities) if name == "loss" else walk.step
        fwd = walk.forward["softmax"]
        return View(name, name, line, fwd, fwd.input, "dense", walk, number, BACKWARD[name])
    s, fwd = walk[name], walk.forward[name]
    prev = C.STAGE_NAMES[max(C.STAGE_NAMES.index(name) - 1, 0)]
    return View(name, s.kind, s, fwd, fwd.input, prev, walk, number, BACKWARD[s.kind])


def checked(v, position):
    """position as a tuple of the stage's position shape; ValueError says which positions there are."""
    shape = v.module.positions(v)
    if position is None:
        return None
    if not shape:
        raise ValueError(f"{v.name} has no positions: its figure is the whole stage; give position=None")
    pos = (position,) if np.ndim(position) == 0 else tuple(position)
    if len(shape) == 1:
        wanted = f"an index 0..{shape[0] - 1} (of its {shape[0]} {v.module.UNIT}s)"
    else:
        wanted = f"(row, column) with row in 0..{shape[0] - 1} and column in 0..{shape[1] - 1}"
    ok = len(pos) == len(shape) and all(isinstance(p, (int, np.integer)) and not isinstance(p, bool) and 0 <= p < n
                                        for p, n in zip(pos, shape))
    if not ok:
        raise ValueError(f"{v.name}'s positions are {wanted}: got {position!r}")
    return tuple(int(p) for p in pos)


def title(v):
    """A figure's title: the stage's own title (no number: a figure alone is no part of a numbered walk-through),
    and its caption in smaller type under it, as Canvas draws them."""
    return v.title, v.caption


def figure(walk, name, position=None, titled=True):
    """The stage's figure; at a position, that position's arithmetic (see the kind's module). titled=False: no title
    and caption in the figure (the walk-through writes them in its page)."""
    v = view(walk, name)
    pos = checked(v, position)
    canvas, at = v.module.build(v, title(v) if titled else None, mode=None if pos is None else "position")
    if pos is not None:
        canvas.apply(at(*pos))
    return canvas.fig


def animation(walk, name):
    """The stage's figure with a frame per position, a play button and a slider."""
    v = view(walk, name)
    canvas, at = v.module.build(v, title(v), mode="animation")
    if hasattr(v.module, "states"):
        states, labels = v.module.states(v, canvas)
    else:
        shape = v.module.positions(v)
        if not shape:
            raise ValueError(f"{v.name} is one picture with no positions to step through: use figure({name!r}); "
                             f"the stages that animate are {', '.join(n for n in names(walk) if animates(walk, n))}")
        every = list(np.ndindex(*shape))
        states, labels = [at(*p) for p in every], [v.module.label(v, *p) for p in every]
        digit = (walk.forward if hasattr(walk, "forward") else walk)["input"].output[0]
        start = next((n for n, p in enumerate(every) if len(p) == 1 or sees_ink(name, p, digit)), 0)
        return frames(canvas, states, labels, start)      # opens, as the GIFs do, on the first window on the ink
    return frames(canvas, states, labels)


def animates(walk, name):
    """Whether a stage has an animation: positions to step through, or frames of its own (the input, the step)."""
    v = view(walk, name)
    return bool(v.module.positions(v)) or hasattr(v.module, "states")
