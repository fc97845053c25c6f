"""`cnnviz train`: trains, saves checkpoints, evaluates, and writes the weights with their model card."""

import datetime
import json
import time

from . import config as C
from . import mnist
from .evaluate import accuracy
from .train import Recipe, train
from .weights import save_params


def run(args):
    """Train per args, write args.out, its checkpoints beside it, and its model card (.json)."""
    if args.epochs < 1 or args.batch_size < 1:
        raise SystemExit("cnnviz train: --epochs and --batch-size must be at least 1")
    sums = mnist.checksums(args.data)
    images, labels = mnist.load(args.data, "train")
    test_images, test_labels = mnist.load(args.data, "test")
    recipe = Recipe(epochs=args.epochs, batch_size=args.batch_size, max_lr=args.lr, seed=args.seed)
    keep = args.checkpoints
    ckpt_dir = args.out.parent / f"{args.out.stem}-checkpoints"
    history = []

    def on_epoch(epoch, model, stats):
        if epoch:
            stats["test_accuracy"] = accuracy(model, test_images, test_labels)
            history.append({"epoch": epoch, **stats})
            print(f"epoch {epoch}: loss {stats['loss']:.4f}, train {stats['train_accuracy']:.4f}, "
                  f"test {stats['test_accuracy']:.4f}", flush=True)
        if epoch in keep:
            save_params(ckpt_dir / f"epoch-{epoch:02d}.npz", model.params)

    start = time.perf_counter()
    model = train(images, labels, recipe, on_epoch=on_epoch)
    seconds = time.perf_counter() - start
    save_params(args.out, model.params)
    save_params(ckpt_dir / f"epoch-{args.epochs:02d}.npz", model.params)
    card = {
        "model": "cnnviz MNIST CNN (README.md, The network)",
        "architecture": [{"name": n, "kind": k, "output_shape": list(s)} for n, k, s in C.STAGES],
        "parameters": C.PARAM_COUNT,
        "parameter_shapes": {k: list(v) for k, v in C.PARAM_SHAPES.items()},
        "layout": "torch.nn: conv (out, in, kh, kw), dense (out, in); flatten in channel, row, column order",
        "test_accuracy": accuracy(model, test_images, test_labels),
        "test_images": len(test_labels),
        "recipe": {"optimizer": "Adam", "schedule": "one-cycle (cosine, torch OneCycleLR without momentum "
                   "cycling)", "init": "torch.nn default, uniform +-1/sqrt(fan_in)", "loss": "cross-entropy",
                   **{k: v for k, v in vars(recipe).items()}},
        "history": history,
        "checkpoints": sorted(f"{ckpt_dir.name}/epoch-{e:02d}.npz" for e in keep | {args.epochs}
                              if e <= args.epochs),
        "training_seconds": round(seconds, 1),
        "data_sha256": sums,
        "command": f"cnnviz train --epochs {args.epochs} --batch-size {args.batch_size} --lr {args.lr} "
                   f"--seed {args.seed} --out {args.out}",
        "date": datetime.date.today().isoformat(),
    }
    args.out.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")
    print(f"wrote {args.out} (test accuracy {card['test_accuracy']:.4f})")
