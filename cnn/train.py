"""Training from scratch in NumPy: PyTorch-style init, Adam, a one-cycle learning-rate schedule."""

import math
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from . import config as C
from .model import Model


@dataclass
class Recipe:
    """How the shipped weights were trained; every field is written to the model card."""
    epochs: int = 20           # passes over the 60,000 training images
    batch_size: int = 64       # images per Adam step
    max_lr: float = 0.02       # peak learning rate of the one-cycle schedule
    pct_start: float = 0.3     # fraction of steps spent warming up to max_lr
    div_factor: float = 25.0   # starting lr = max_lr / div_factor
    final_div_factor: float = 1e4   # final lr = starting lr / final_div_factor
    betas: tuple = (0.9, 0.999)     # Adam moment decay rates
    eps: float = 1e-8          # Adam denominator guard
    seed: int = 0              # drives initialisation and shuffling


def init_params(rng):
    """torch.nn's default init: weights and biases uniform in +-1/sqrt(fan_in)."""
    params = {}
    for name, shape in C.PARAM_SHAPES.items():
        weight_shape = C.PARAM_SHAPES[name.replace(".bias", ".weight")]
        bound = 1 / math.sqrt(math.prod(weight_shape[1:]))
        params[name] = rng.uniform(-bound, bound, shape).astype(np.float32)
    return params


def one_cycle_lr(step, total, r):
    """Learning rate at a step: cosine warm-up to r.max_lr, then cosine annealing (torch OneCycleLR)."""
    start, end = r.max_lr / r.div_factor, r.max_lr / r.div_factor / r.final_div_factor
    warm = r.pct_start * total - 1
    if step <= warm:
        lo, hi, t = start, r.max_lr, step / warm
    else:
        lo, hi, t = r.max_lr, end, (step - warm) / (total - 1 - warm)
    return hi + (lo - hi) * (1 + math.cos(math.pi * t)) / 2


class Adam:
    """Adam over a dict of float32 arrays, updated in place."""

    def __init__(self, params, betas, eps):
        self.params, self.betas, self.eps, self.t = params, betas, eps, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def step(self, grads, lr):
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for k, g in grads.items():
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            self.params[k] -= (lr / c1 * self.m[k] / (np.sqrt(self.v[k] / c2) + self.eps)).astype(np.float32)


def train(images, labels, recipe, on_epoch=None, progress=True):
    """Train on images (N, 28, 28), labels (N,) -> Model; on_epoch(epoch, model, stats) after each epoch
    (and once with epoch 0 before training)."""
    rng = np.random.default_rng(recipe.seed)
    model = Model(init_params(rng))
    opt = Adam(model.params, recipe.betas, recipe.eps)
    steps_per_epoch = math.ceil(len(images) / recipe.batch_size)
    total = steps_per_epoch * recipe.epochs
    if on_epoch:
        on_epoch(0, model, {})
    for epoch in range(1, recipe.epochs + 1):
        order = rng.permutation(len(images))
        loss_sum = correct = seen = 0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch}/{recipe.epochs}", disable=not progress,
                   unit="batch", leave=True)
        for i in bar:
            idx = order[i * recipe.batch_size:(i + 1) * recipe.batch_size]
            loss, ok, grads = model.loss_and_grads(images[idx], labels[idx])
            opt.step(grads, one_cycle_lr(opt.t, total, recipe))
            loss_sum, correct, seen = loss_sum + loss * len(idx), correct + ok, seen + len(idx)
            if i % 50 == 0 or i == steps_per_epoch - 1:
                bar.set_postfix(loss=f"{loss_sum / seen:.4f}", acc=f"{correct / seen:.4f}")
        if on_epoch:
            on_epoch(epoch, model, {"loss": loss_sum / seen, "train_accuracy": correct / seen})
    return model
