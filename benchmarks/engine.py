"""Engine speed: trace() on one image, predict_proba on the 10,000 test images, one training epoch.

Run: python3 benchmarks/engine.py [--data DIR] [--repeat 7]
Prints medians; if PyTorch is installed, the same three measured side by side with it (torch is never
a dependency of cnnviz).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import cnn  # noqa: E402  (before numpy: sets OpenBLAS to one thread)
import numpy as np  # noqa: E402
from cnn import mnist  # noqa: E402
from cnn.train import Adam, Recipe, one_cycle_lr  # noqa: E402


def median_seconds(fn, repeat, number=1):
    """Median wall time of number calls of fn, over repeat runs, per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def numpy_epoch(model, images, labels, batch):
    """One epoch of Adam steps exactly as cnnviz train runs them."""
    opt, r = Adam(model.params, Recipe.betas, Recipe.eps), Recipe()
    order = np.random.default_rng(0).permutation(len(images))
    total = len(images) // batch
    for i in range(total):
        idx = order[i * batch:(i + 1) * batch]
        _, _, grads = model.loss_and_grads(images[idx], labels[idx])
        opt.step(grads, one_cycle_lr(opt.t, total, r))


def torch_side(params, image, test_images, train_images, train_labels, repeat, batch):
    """The same three measurements with torch.nn on the same weights, or None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)   # as cnnviz: one thread is fastest at this size
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(2, 4, 3),
        torch.nn.Sigmoid(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(100, 10))
    for module, name in ((net[0], "conv1"), (net[3], "conv2"), (net[7], "dense")):
        module.weight.data = torch.from_numpy(params[f"{name}.weight"].copy())
        module.bias.data = torch.from_numpy(params[f"{name}.bias"].copy())
    one = torch.from_numpy(image[None, None])
    test = torch.from_numpy(test_images[:, None])
    with torch.no_grad():
        probs = torch.softmax(net(test), 1).numpy()
        t_one = median_seconds(lambda: net(one), repeat, 200)
        t_all = median_seconds(lambda: torch.softmax(net(test), 1), repeat)
    x, y = torch.from_numpy(train_images[:, None]), torch.from_numpy(train_labels)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def epoch():
        for i in range(len(x) // batch):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x[i * batch:(i + 1) * batch]), y[i * batch:(i + 1) * batch]
                                              ).backward()
            opt.step()
    return {"trace": t_one, "predict": t_all, "epoch": median_seconds(epoch, 1), "probs": probs,
            "version": torch.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=mnist.DEFAULT_DIR)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()
    train_images, train_labels = mnist.load(args.data, "train")
    test_images, _ = mnist.load(args.data, "test")
    model = cnn.load_model()
    image = test_images[0]
    ours = {
        "trace": median_seconds(lambda: model.trace(image), args.repeat, 200),
        "predict": median_seconds(lambda: model.predict_proba(test_images), args.repeat),
        "epoch": median_seconds(lambda: numpy_epoch(cnn.load_model(), train_images, train_labels, args.batch),
                                max(1, args.repeat // 3)),
    }
    theirs = torch_side(model.params, image, test_images, train_images, train_labels, args.repeat, args.batch)
    rows = [("trace() one image", "trace", 1e6, "us", 150),
            ("predict_proba 10,000 images", "predict", 1, "s", 0.5),
            (f"training epoch (60,000, batch {args.batch})", "epoch", 1, "s", 6)]
    print(f"numpy {np.__version__}, median of {args.repeat} runs" +
          (f"; torch {theirs['version']} (CPU, 1 thread) on the same weights" if theirs else "; torch not installed"))
    for label, key, scale, unit, target in rows:
        line = f"{label:34s} cnnviz {ours[key] * scale:9.3f} {unit:2s} (target <= {target} {unit})"
        if theirs:
            line += f"   torch {theirs[key] * scale:9.3f} {unit}   ratio cnnviz/torch {ours[key] / theirs[key]:.2f}"
        print(line)
    if theirs:
        diff = np.abs(theirs["probs"] - model.predict_proba(test_images)).max()
        print(f"max |cnnviz - torch| probability on the 10,000 test images: {diff:.2e}")


if __name__ == "__main__":
    main()
