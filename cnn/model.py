"""The network of README.md ("The network") with one set of weights: prediction, training gradients, the traced
forward pass and the traced backward pass with an SGD step, all walking network.NETWORK."""

import math

import numpy as np

from . import config as C
from . import layers as L
from . import network
from .trace import BackwardTrace, Loss, Step, Trace

PREDICT_CHUNK = 100   # images per forward pass in predict_proba: their columns (6.7 MB) stay in cache; fastest here
LEARNING_RATE = 0.02  # the backward walk's default SGD step: one step moves a wrong answer, not to all-sure (benchmarks/backprop.py)
MAX_LEARNING_RATE = 10.0   # past this one step throws the weights far from anything the network learnt
MAX_STEPS = 100       # SGD steps on one image in one request


class Model:
    """The ten stages with one set of parameters (a dict of float32 arrays, config.PARAM_SHAPES)."""

    def __init__(self, params):
        self.params = {k: np.asarray(params[k], np.float32) for k in C.PARAM_SHAPES}

    def logits(self, x):
        """x (N, 28, 28) -> (logits (N, 10), the tape backward needs)."""
        return network.forward(self.params, np.asarray(x, np.float32)[:, None])

    def predict_proba(self, x):
        """x (N, 28, 28) in [0, 1] -> (N, 10) probabilities, in chunks that stay in cache."""
        x = np.asarray(x, np.float32)
        return np.concatenate([L.softmax(self.logits(x[i:i + PREDICT_CHUNK])[0])
                               for i in range(0, len(x), PREDICT_CHUNK)] or [np.zeros((0, C.NUM_CLASSES))])

    def loss_and_grads(self, x, y):
        """Mean cross-entropy on a batch x (N, 28, 28), y (N,) -> (loss, correct count, grads dict)."""
        logits, tape = self.logits(x)
        loss, dz = L.cross_entropy(logits, y)
        correct = int((logits.argmax(axis=1) == y).sum())
        return loss, correct, network.backward(self.params, tape, dz)

    def trace(self, image):
        """One (28, 28) image -> Trace of the ten stages, with every product, argmax and contribution."""
        return Trace(self.trace_stages(image))

    def trace_stages(self, image):
        """Yield the ten Stages of one (28, 28) image in order, each as soon as it is computed."""
        return network.trace_stages(self.params, image)

    def backprop(self, image, label, learning_rate=LEARNING_RATE, steps=1):
        """One (28, 28) image and its true label -> BackwardTrace: the loss, every stage's gradients from softmax
        back to the input, and `steps` plain SGD steps on this image."""
        loss, *stages, step = self.backprop_stages(image, label, learning_rate, steps)
        return BackwardTrace(loss.label, loss.loss, loss.probabilities, stages, step)

    def backprop_stages(self, image, label, learning_rate=LEARNING_RATE, steps=1):
        """Yield the Loss, then each stage's Backward (softmax, dense, ... input), then the Step, each as soon as
        it is computed. ValueError, before anything is computed, for a label, learning rate or steps not allowed."""
        label, learning_rate, steps = check_backprop(label, learning_rate, steps)
        return self._backprop(image, label, learning_rate, steps)

    def _backprop(self, image, label, learning_rate, steps):
        trace = self.trace(image)
        loss = Loss(label, network.label_loss(trace["softmax"].details, label), trace["softmax"].output)
        yield loss
        grads = {}
        for back in network.backward_stages(self.params, trace, label):
            grads.update({f"{back.name}.{k}": g for k, g in back.grads.items()})
            yield back
        yield self.sgd(trace["input"].output, label, learning_rate, steps, grads, loss.loss)

    def sgd(self, image, label, learning_rate, steps, grads, loss):
        """Plain SGD on one image (as torch.optim.SGD): p - learning_rate * ∂L/∂p, steps times, the first with
        grads (the backward trace's, at loss), later ones with the batched gradients of the weights of the moment."""
        x, lr = image.reshape(1, C.IMAGE_SIZE, C.IMAGE_SIZE), np.float32(learning_rate)
        model, losses = self, [loss]
        for s in range(steps):
            if s:
                grads = model.loss_and_grads(x, np.array([label]))[2]
            model = Model({k: v - lr * grads[k] for k, v in model.params.items()})
            probabilities, softmax = network.NETWORK[-1].record(model.logits(x)[0][0], model.params)
            losses.append(network.label_loss(softmax, label))
        return Step(float(learning_rate), steps, losses, probabilities, softmax["prediction"], model.params)


def check_backprop(label, learning_rate, steps):
    """The backward walk's arguments as (int, float, int); ValueError saying what is allowed."""
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < C.NUM_CLASSES:
        raise ValueError(f"label must be a digit 0 to {C.NUM_CLASSES - 1}, got {label!r}")
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float, np.floating)) \
            or not math.isfinite(learning_rate) or not 0 < learning_rate <= MAX_LEARNING_RATE:
        raise ValueError(f"learning_rate must be a number above 0 and at most {MAX_LEARNING_RATE:g}, "
                         f"got {learning_rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be a whole number from 1 to {MAX_STEPS}, got {steps!r}")
    return int(label), float(learning_rate), int(steps)
