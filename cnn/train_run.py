"""`cnnviz train`: trains, saves checkpoints, evaluates, and writes the weights with their model card."""

import datetime
import json
import time

from . import config as C
from . import mnist
from .evaluate import accuracy
from .model import Model
from .provenance import REPRODUCIBLE, provenance
from .train import Recipe, steps_per_epoch, train
from .weights import load_params, save_params

ACCURACY_DIGITS = 4    # as `cnnviz evaluate` prints it: 0.9791


def label(epochs):
    """A checkpoint's epochs as its name shows them: 0, 0.25, 20."""
    return f"{epochs:g}"


def checkpoint_step(epochs, per_epoch):
    """The Adam step after which a checkpoint at this many epochs is saved: round(epochs x steps per epoch)."""
    return round(epochs * per_epoch)


def run(data, out, epochs, batch_size, learning_rate, seed, checkpoints):
    """Train on the MNIST files in data, write the weights to out, the checkpoints (after these epochs, and the
    last) beside it, and its model card (.json); ValueError for epochs or a batch size below 1."""
    if epochs < 1 or batch_size < 1:
        raise ValueError("--epochs and --batch-size must be at least 1")
    sums = mnist.checksums(data)
    images, labels = mnist.load(data, "train")
    test_images, test_labels = mnist.load(data, "test")
    recipe = Recipe(epochs=epochs, batch_size=batch_size, max_lr=learning_rate, seed=seed)
    per_epoch = steps_per_epoch(len(images), recipe.batch_size)
    wanted = sorted({e for e in checkpoints if e <= epochs} | {epochs})
    at_step = {checkpoint_step(e, per_epoch): e for e in wanted}     # step -> epochs
    ckpt_dir = out.parent / f"{out.stem}-checkpoints"
    files = {e: ckpt_dir / f"epoch-{label(e)}.npz" for e in at_step.values()}
    for stale in set(ckpt_dir.glob("epoch-*.npz")) - set(files.values()):   # the folder holds what the card lists
        stale.unlink()
    history = []

    def on_epoch(epoch, model, stats):
        if epoch:
            stats["test_accuracy"] = accuracy(model, test_images, test_labels)
            history.append({"epoch": epoch, **stats})
            print(f"epoch {epoch}: loss {stats['loss']:.4f}, train {stats['train_accuracy']:.4f}, "
                  f"test {stats['test_accuracy']:.4f}", flush=True)
        elif 0 in at_step:
            save_params(files[at_step[0]], model.params)

    def on_step(s):
        if s.step in at_step:
            save_params(files[at_step[s.step]], s.model.params)

    start = time.perf_counter()
    model = train(images, labels, recipe, on_epoch=on_epoch, on_step=on_step)
    seconds = time.perf_counter() - start
    save_params(out, model.params)
    listed = []
    for step, e in at_step.items():     # each accuracy from its file, as `cnnviz evaluate --weights` gets it
        acc = accuracy(Model(load_params(files[e])), test_images, test_labels)
        listed.append({"id": f"epoch-{label(e)}", "epochs": e, "steps": step,
                            "accuracy": round(acc, ACCURACY_DIGITS), "file": f"{ckpt_dir.name}/{files[e].name}"})
    card = {
        "model": "cnnviz MNIST CNN (README.md, The network)",
        "architecture": [{"name": n, "kind": k, "shape": list(s)} for n, k, s in C.STAGES],
        "parameters": C.PARAM_COUNT,
        "parameter_shapes": {k: list(v) for k, v in C.PARAM_SHAPES.items()},
        "layout": "torch.nn: conv (out, in, kh, kw), dense (out, in); flatten in channel, row, column order",
        "test_accuracy": accuracy(model, test_images, test_labels),
        "test_images": len(test_labels),
        "recipe": {"optimizer": "Adam", "schedule": "one-cycle (cosine, torch OneCycleLR without momentum "
                   "cycling)", "init": "torch.nn default, uniform +-1/sqrt(fan_in)", "loss": "cross-entropy",
                   **{k: v for k, v in vars(recipe).items()}, "steps_per_epoch": per_epoch},
        "history": history,
        "checkpoints": listed,
        "training_seconds": round(seconds, 1),
        "made_with": provenance(),
        "reproducible": REPRODUCIBLE,
        "data_sha256": sums,
        "command": f"cnnviz train --epochs {epochs} --batch-size {batch_size} --learning-rate {learning_rate} "
                   f"--seed {seed} --checkpoints {','.join(label(e) for e in sorted(checkpoints))} --out {out}",
        "date": datetime.date.today().isoformat(),
    }
    out.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {out} (test accuracy {card['test_accuracy']:.4f}) and {len(listed)} checkpoints "
          f"in {ckpt_dir}")
