"""What a run reports: progress events (the curves' numbers, the weights, the digit's probabilities), held-out
and final accuracies, the confusion matrix. Pure functions of a model and numbers; runner.py sends them."""

import numpy as np

from ...cnn import config as C
from ...cnn.evaluate import predictions
from ...cnn.serialize import encode, numbers

TRAIN_IMAGES = 60_000      # MNIST's training set, for the steps per epoch before it is loaded
HELD_OUT = 1000             # test images for the held-out accuracy a few times per epoch (the first ones)
HELD_OUT_PER_EPOCH = 4      # how often per epoch the held-out accuracy is measured


def weights_json(model):
    """The model's parameters as the trace encodes arrays: {"conv1.weight": {dtype, shape, b64}, ...}."""
    return {name: encode(model.params[name]) for name in C.PARAM_SHAPES}


def probabilities(model, digit):
    """The ten probabilities of digit (28, 28) under model, as plain numbers; None without a digit."""
    return None if digit is None else numbers(model.predict_proba(digit[None])[0])


def held_out_steps(steps_per_epoch):
    """The steps (within an epoch, 1-based) after which the held-out accuracy is measured: evenly, the last one
    the epoch's end."""
    every = steps_per_epoch / HELD_OUT_PER_EPOCH
    return {max(1, round(every * k)) for k in range(1, HELD_OUT_PER_EPOCH + 1)}


def confusion(model, images, labels):
    """(10, 10) counts: row the true digit, column the prediction; and the accuracy."""
    predicted = predictions(model, images)
    matrix = np.zeros((C.NUM_CLASSES, C.NUM_CLASSES), np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix.tolist(), float(np.trace(matrix) / len(labels))


def event(seq, status, model, digit, point, extra=None):
    """A progress event: seq (1, 2, ... per run), status, the curve point (epoch, step, loss, accuracy...), the
    weights and the digit's probabilities under them, plus extra fields (held_out, done, test_accuracy...)."""
    return {"seq": seq, "status": status, **point, "weights": weights_json(model),
            "probabilities": probabilities(model, digit), **(extra or {})}


def point(step, epoch, steps_per_epoch, total_steps, loss, accuracy_, lr):
    """One point of the training curves: loss and accuracy running over the current epoch's batches so far (the
    runner adds recent_loss and recent_accuracy, over the batches since its previous point: no jump at an epoch's
    start)."""
    return {"step": step, "epoch": epoch, "steps_per_epoch": steps_per_epoch, "total_steps": total_steps,
            "epochs_done": round(step / steps_per_epoch, 4), "loss": loss, "accuracy": accuracy_, "lr": lr}


def start_point(steps_per_epoch, total_steps):
    """The curves' point before the first step."""
    return point(0, 1, steps_per_epoch, total_steps, None, None, 0.0)


def curve_point(evt):
    """What the history log keeps of an event: the curves' numbers, not the weights."""
    keep = ("seq", "step", "epoch", "epochs_done", "loss", "accuracy", "recent_loss", "recent_accuracy", "held_out",
            "status")
    return {k: evt[k] for k in keep if k in evt}
