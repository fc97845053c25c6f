"""What one traced pass records: a Stage per operation forward, a Backward per operation backward, in order."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Stage:
    """One operation of the network as it ran on one image."""
    name: str                      # input, conv1, relu1, ... softmax (config.STAGES)
    kind: str                      # input, conv, relu, pool, sigmoid, flatten, dense, softmax
    input: np.ndarray              # what the operation received
    output: np.ndarray             # what it produced, shape as in config.STAGES
    params: dict = field(default_factory=dict)    # weight/bias arrays it used
    details: dict = field(default_factory=dict)   # what its animation needs, computed here


@dataclass
class Backward:
    """One operation's backward pass on one image, towards a label."""
    name: str                      # the forward stage's name
    kind: str                      # and its kind
    grad_output: np.ndarray        # ∂L/∂(the stage's output), shaped as its output
    grad_input: np.ndarray | None  # ∂L/∂(its input); None for the input stage
    grads: dict = field(default_factory=dict)     # ∂L/∂ each parameter, shaped as its params
    details: dict = field(default_factory=dict)   # what its backward view needs, computed here


class UnknownStage(KeyError, ValueError):
    """A stage name a trace does not have: a KeyError to whoever indexes, a ValueError to the API's users."""

    def __str__(self):
        return self.args[0]


class Stages:
    """Stages or Backwards in order, indexed by position or by stage name."""

    def __init__(self, stages):
        self.stages = list(stages)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.stages[key]
        found = next((s for s in self.stages if s.name == key), None)
        if found is None:
            raise UnknownStage(f"no stage {key!r}: the stages are {', '.join(s.name for s in self.stages)}")
        return found

    def __iter__(self):
        return iter(self.stages)

    def __len__(self):
        return len(self.stages)


class Trace(Stages):
    """Every stage of one forward pass, in the order of config.STAGE_NAMES."""

    @property
    def prediction(self):
        return int(self["softmax"].details["prediction"])

    @property
    def probabilities(self):
        return self["softmax"].output


@dataclass
class Loss:
    """The cross-entropy of one image's forward pass against its true label."""
    name = kind = "loss"           # class attributes, not fields: the backward walk's first line
    label: int
    loss: float                    # -log p[label], finite for any logits
    probabilities: np.ndarray      # (10,) the forward pass's


@dataclass
class Step:
    """Plain SGD on one image: each parameter minus learning_rate times its gradient, steps times."""
    name = kind = "step"           # the backward walk's last line
    learning_rate: float
    steps: int
    losses: list                   # the loss before, then after each step
    probabilities: np.ndarray      # (10,) after the last step
    prediction: int
    params: dict                   # the parameters after the last step, by name (config.PARAM_SHAPES)

    @property
    def loss(self):
        return self.losses[-1]


class BackwardTrace(Stages):
    """One image's backward pass towards a label, softmax back to the input, then the SGD step it leads to."""

    def __init__(self, label, loss, probabilities, stages, step):
        super().__init__(stages)
        self.label, self.loss, self.probabilities, self.step = label, loss, probabilities, step
