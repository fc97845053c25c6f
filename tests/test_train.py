"""Training: deterministic for a seed, step by step, the loss goes down, the one-cycle schedule, checkpoints."""

import argparse
import json

import numpy as np
import pytest

from cnnviz.app.cli import epochs_list, main
from cnnviz.cnn import mnist
from cnnviz.cnn.train import Recipe, one_cycle_lr, steps, train
from cnnviz.cnn.weights import load_params

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


STEPS = 7   # a few Adam steps, across an epoch boundary of the 640-image subset at batch 64 (10 steps)


def params_after(run, n):
    """Copies of the parameters after n more steps of run."""
    for _ in range(n):
        last = next(run)
    return {k: v.copy() for k, v in last.model.params.items()}


def test_steps_are_deterministic_for_a_seed(subset):
    """Two step-wise runs with the same seed give identical parameters after N steps."""
    recipe = Recipe(epochs=2, seed=3)
    a, b = (params_after(steps(*subset, recipe), STEPS) for _ in range(2))
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


def test_interleaved_runs_match_runs_made_alone(subset):
    """Two runs stepped alternately end as each does alone: no state is shared between them."""
    recipes = [Recipe(epochs=2, seed=0), Recipe(epochs=2, seed=1, batch_size=32)]
    alone = [params_after(steps(*subset, r), 2 * STEPS) for r in recipes]
    runs = [steps(*subset, r) for r in recipes]
    for _ in range(2 * STEPS):
        together = [params_after(run, 1) for run in runs]
    for got, want in zip(together, alone):
        for k in want:
            np.testing.assert_array_equal(got[k], want[k], err_msg=k)


def test_steps_report_their_place_and_match_train(subset):
    """Each Step numbers its epoch and step from 1 and counts the epoch's images; the last equals train()."""
    recipe = Recipe(epochs=2, batch_size=64)
    run = steps(*subset, recipe)
    initial = {k: v.copy() for k, v in run.model.params.items()}
    log = list(run)
    assert [(s.epoch, s.step) for s in log] == [(1 + i // 10, 1 + i) for i in range(20)]
    assert all(s.steps_per_epoch == 10 and s.total_steps == 20 for s in log)
    assert [s.seen for s in log[:10]] == [64 * (i + 1) for i in range(10)] and log[10].seen == 64
    assert log[9].correct == sum(s.batch_correct for s in log[:10])
    assert all(np.isfinite(s.loss) and s.loss > 0 for s in log)
    assert not all(np.array_equal(initial[k], log[-1].model.params[k]) for k in initial)
    final = train(*subset, recipe, progress=False).params
    for k in final:
        np.testing.assert_array_equal(final[k], log[-1].model.params[k], err_msg=k)


@pytest.mark.parametrize("text, expected", [("0,1,2,5", {0, 1, 2, 5}), ("0, 0.25,0.5 ,1", {0, 0.25, 0.5, 1}),
                                            ("2.0,0.1", {2, 0.1})])
def test_checkpoints_option_takes_fractions(text, expected):
    """--checkpoints takes whole and fractional epochs; whole ones stay integers (epoch-2, not epoch-2.0)."""
    got = epochs_list(text)
    assert got == expected and all(isinstance(e, int) for e in got if e == int(e))


@pytest.mark.parametrize("text", ["", "x", "0,-1", "nan", "inf", "1;2"])
def test_checkpoints_option_refuses_what_is_not_epochs(text):
    with pytest.raises(argparse.ArgumentTypeError, match="comma-separated list of epochs"):
        epochs_list(text)


def test_cli_train_saves_a_fraction_of_an_epoch_after_its_steps(tmp_path, capsys):
    """`cnnviz train --checkpoints 0,0.5` saves the weights after round(0.5 x 938) = 469 steps, and lists it."""
    out = tmp_path / "mine.npz"
    main(["train", "--epochs", "1", "--checkpoints", "0,0.5", "--out", str(out)])
    card = json.loads(out.with_suffix(".json").read_text())
    assert [(c["id"], c["epochs"], c["steps"]) for c in card["checkpoints"]] == [
        ("epoch-0", 0, 0), ("epoch-0.5", 0.5, 469), ("epoch-1", 1, 938)]
    assert (tmp_path / card["checkpoints"][-1]["file"]).read_bytes() == out.read_bytes()
    run = steps(*mnist.load(DATA, "train"), Recipe(epochs=1))
    half = params_after(run, 469)
    saved = load_params(tmp_path / "mine-checkpoints" / "epoch-0.5.npz")
    for k in half:
        np.testing.assert_array_equal(saved[k], half[k], err_msg=k)
