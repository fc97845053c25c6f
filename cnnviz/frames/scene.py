"""What a picture is of: one stage of a forward trace or of a backward walk, with the numbers its view reads."""

from dataclasses import dataclass

from ..cnn import config as C
from ..cnn.trace import BackwardTrace, Trace

from .draw import fix

FORWARD = C.STAGE_NAMES                               # input ... softmax
BACKWARD = C.BACKWARD_NAMES                           # the backward walk's order: loss, softmax ... input
KINDS = {name: kind for name, kind, _ in C.STAGES} | {"loss": "loss"}


@dataclass
class Scene:
    """One stage as a view draws it; every number is read from stage or line, none computed again."""
    name: str                 # the stage's name (config.STAGES), or "loss"
    kind: str                 # its kind: conv, relu, ..., or loss
    stage: object             # the forward pass's Stage of this name (softmax's for the loss)
    before: object            # the forward Stage before it (its output is this stage's input); None for input
    line: object              # on a backward walk, its Backward (the loss: the walk itself, label and loss); None
    label: int | None         # the label a backward walk goes towards; None going forward
    about: str                # the picture's top right: the digit's reading and the weights
    steps: list               # how the image became the input: [(name, caption, uint8 picture)], or []

    @property
    def backward(self):
        return self.line is not None


def stage_names(backward):
    """The stages a picture can be of, in the walk's order."""
    return BACKWARD if backward else FORWARD


def of(trace, name):
    """The Scene of stage name in trace (a Trace, or a Backprop with its forward pass in .forward); ValueError
    names the stages there are."""
    backward = isinstance(trace, BackwardTrace)
    if not backward and not isinstance(trace, Trace):
        raise ValueError(f"cannot draw a {type(trace).__name__}: give a cnnviz Trace (net.trace) or Backprop "
                         "(net.backprop)")
    names = stage_names(backward)
    if name not in names:
        walk = "a backward walk" if backward else "a forward trace"
        raise ValueError(f"no stage '{name}' in {walk}: the stages are {', '.join(names)}")
    forward = trace.forward if backward else trace
    at = FORWARD.index("softmax" if name == "loss" else name)
    line = (trace if name == "loss" else trace[name]) if backward else None
    return Scene(name, KINDS[name], forward[at], forward[at - 1] if at else None, line,
                 trace.label if backward else None, about(forward, trace, backward),
                 getattr(forward, "preprocessing", []))


def about(forward, trace, backward):
    """"read as 7 (98.1%) · shipped weights", and on a backward walk "towards 3, loss 2.2700"."""
    p = forward.probabilities
    weights = getattr(getattr(forward, "net", None), "weights", None)
    text = f"cnnviz - read as {forward.prediction} ({100 * float(p[forward.prediction]):.1f}%)"
    if weights:
        text += f", weights {weights}"
    if backward:
        text += f"; backward towards {trace.label}, loss {fix(trace.loss)}"
    return text
