"""Training from scratch in NumPy: PyTorch-style init, Adam, a one-cycle learning-rate schedule, one step at a time."""

import math
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from . import config as C
from .model import Model

PROGRESS_EVERY = 50   # steps between updates of the progress bar's loss and accuracy


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


@dataclass
class Step:
    """What one Adam step did; correct, seen and epoch_loss are running over the current epoch."""
    epoch: int                 # 1-based
    step: int                  # global, 1-based; the step-th of total_steps
    steps_per_epoch: int
    total_steps: int
    lr: float                  # the learning rate this step used
    loss: float                # mean cross-entropy of this batch
    batch_correct: int         # images of this batch classified right (before the step)
    batch_size: int            # images in this batch (the epoch's last may be smaller)
    correct: int               # images classified right so far this epoch
    seen: int                  # images seen so far this epoch
    epoch_loss: float          # mean loss per image so far this epoch
    model: Model               # the live model, updated in place by the next step: copy params to keep them


def steps_per_epoch(images, batch_size):
    """Adam steps in one pass over images training images, the last batch perhaps smaller."""
    return math.ceil(images / batch_size)


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


def start(seed):
    """(generator, Model) a run with this seed starts from: the untrained weights are the generator's first draws,
    its shuffles come after."""
    rng = np.random.default_rng(seed)
    return rng, Model(init_params(rng))


class Training:
    """A seeded training run driven one Adam step at a time: next() steps and returns a Step.

    .model holds the initial weights before the first step; each run keeps its own generator, model and
    optimiser, so runs interleaved in one process give the same bits as runs made one after the other."""

    def __init__(self, images, labels, recipe):
        self.images, self.labels, self.recipe = images, labels, recipe
        self.rng, self.model = start(recipe.seed)           # initialisation first, then one shuffle per epoch
        self.opt = Adam(self.model.params, recipe.betas, recipe.eps)
        self.steps_per_epoch = steps_per_epoch(len(images), recipe.batch_size)
        self.total_steps = self.steps_per_epoch * recipe.epochs
        self.order = None
        self.correct = self.seen = 0
        self.loss_sum = 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t, r = self.opt.t, self.recipe
        if t >= self.total_steps:
            raise StopIteration
        i = t % self.steps_per_epoch                          # step within the epoch, 0-based
        if i == 0:
            self.order = self.rng.permutation(len(self.images))
            self.correct = self.seen = 0
            self.loss_sum = 0.0
        idx = self.order[i * r.batch_size:(i + 1) * r.batch_size]
        loss, ok, grads = self.model.loss_and_grads(self.images[idx], self.labels[idx])
        lr = one_cycle_lr(t, self.total_steps, r)
        self.opt.step(grads, lr)
        self.loss_sum += loss * len(idx)
        self.correct, self.seen = self.correct + ok, self.seen + len(idx)
        return Step(epoch=t // self.steps_per_epoch + 1, step=t + 1, steps_per_epoch=self.steps_per_epoch,
                    total_steps=self.total_steps, lr=lr, loss=loss, batch_correct=ok, batch_size=len(idx),
                    correct=self.correct, seen=self.seen, epoch_loss=self.loss_sum / self.seen, model=self.model)


def steps(images, labels, recipe):
    """Train on images (N, 28, 28), labels (N,) step by step: an iterator of Step (see Training)."""
    return Training(images, labels, recipe)


def train(images, labels, recipe, on_epoch=None, progress=True, on_step=None):
    """Train on images (N, 28, 28), labels (N,) -> Model; on_epoch(epoch, model, stats) after each epoch
    (and once with epoch 0 before training), on_step(Step) after each Adam step."""
    run = Training(images, labels, recipe)
    if on_epoch:
        on_epoch(0, run.model, {})
    bar = None
    for s in run:
        if s.seen == s.batch_size:                        # an epoch's first step: its own progress bar
            bar = tqdm(total=s.steps_per_epoch, desc=f"epoch {s.epoch}/{recipe.epochs}", disable=not progress,
                       unit="batch", leave=True)
        bar.update()
        if on_step:
            on_step(s)
        last = s.step % s.steps_per_epoch == 0
        if s.step % PROGRESS_EVERY == 0 or last:
            bar.set_postfix(loss=f"{s.epoch_loss:.4f}", acc=f"{s.correct / s.seen:.4f}")
        if last:
            bar.close()
            if on_epoch:
                on_epoch(s.epoch, s.model, {"loss": s.epoch_loss, "train_accuracy": s.correct / s.seen})
    return run.model
