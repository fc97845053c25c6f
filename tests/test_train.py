"""Training: deterministic for a seed, the loss goes down, and the one-cycle learning-rate schedule."""


import numpy as np
import pytest

from cnn import mnist
from cnn.train import Recipe, one_cycle_lr, train

DATA = mnist.DEFAULT_DIR
SUBSET = 640    # ten batches of 64


@pytest.fixture(scope="module")
def subset():
    images, labels = mnist.load(DATA, "train")
    return images[:SUBSET], labels[:SUBSET]


def test_training_is_deterministic_for_a_seed(subset):
    """Two runs with the same seed give bit-identical parameters; another seed does not."""
    runs = [train(*subset, Recipe(epochs=1, seed=seed), progress=False).params for seed in (0, 0, 1)]
    for k in runs[0]:
        assert runs[0][k].dtype == np.float32
        np.testing.assert_array_equal(runs[0][k], runs[1][k], err_msg=k)
    assert any(not np.array_equal(runs[0][k], runs[2][k]) for k in runs[0])


def test_loss_decreases(subset):
    """Over a few epochs on a small subset the mean training loss falls and accuracy rises."""
    history = []
    train(*subset, Recipe(epochs=4, batch_size=16), on_epoch=lambda epoch, model, stats: history.append(stats),
          progress=False)
    assert history[0] == {} and len(history) == 5
    losses = [s["loss"] for s in history[1:]]
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert losses[-1] < 0.6 * losses[0]
    assert history[-1]["train_accuracy"] > history[1]["train_accuracy"]


SCHEDULES = [
    (1000, Recipe()),
    (938 * 12, Recipe()),
    (200, Recipe(max_lr=0.02, pct_start=0.25, div_factor=10, final_div_factor=100)),
    (57, Recipe(max_lr=0.003, pct_start=0.5)),
]


@pytest.mark.parametrize("total, r", SCHEDULES)
def test_one_cycle_lr(total, r):
    """Starts at max_lr/div_factor, rises to max_lr at pct_start, then falls to start/final_div_factor."""
    lrs = [one_cycle_lr(step, total, r) for step in range(total)]
    start = r.max_lr / r.div_factor
    assert lrs[0] == pytest.approx(start, rel=1e-9)
    peak = int(np.argmax(lrs))
    assert abs(peak - (r.pct_start * total - 1)) <= 1
    assert lrs[peak] == pytest.approx(r.max_lr, rel=1e-3)
    assert lrs[-1] == pytest.approx(start / r.final_div_factor, rel=1e-9)
    assert all(b >= a for a, b in zip(lrs[:peak], lrs[1:peak + 1]))
    assert all(b <= a for a, b in zip(lrs[peak:], lrs[peak + 1:]))
    assert all(start / r.final_div_factor * (1 - 1e-9) <= lr <= r.max_lr * (1 + 1e-12) for lr in lrs)
