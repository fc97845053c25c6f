"""What one traced forward pass records: a Stage per operation, in order."""

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
class Trace:
    """Every stage of one forward pass, in the order of config.STAGE_NAMES."""
    stages: list

    def __getitem__(self, name):
        return next(s for s in self.stages if s.name == name)

    @property
    def prediction(self):
        return int(self["softmax"].details["prediction"])

    @property
    def probabilities(self):
        return self["softmax"].output
