"""Engine speed: trace() on one image, predict_proba on the 10,000 test images, one training epoch.

Run: python3 benchmarks/engine.py [--data DIR] [--repeat 7] [--batch 64]
Prints medians; if PyTorch is installed, the same three measured side by side with it, each run of cnnviz
followed by the same run of torch, so a busy machine slows both alike (torch is never a dependency of cnnviz).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cnnviz import cnn  # noqa: E402  (before numpy: sets OpenBLAS to one thread)
import numpy as np  # noqa: E402
from cnnviz.cnn import mnist  # noqa: E402
from cnnviz.cnn.train import Recipe, steps  # noqa: E402

TRACE_CALLS = 200    # trace() calls per timed run: one takes ~0.1 ms


def seconds(fn, number=1):
    """Wall time of number calls of fn, per call."""
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def numpy_epoch(images, labels, batch):
    """One epoch exactly as cnnviz train runs it: seeded init, a shuffle, Adam steps on a one-cycle schedule."""
    for _ in steps(images, labels, Recipe(epochs=1, batch_size=batch)):
        pass


def torch_side(params, image, test_images, train_images, train_labels, batch):
    """The same three measurements with torch.nn on the same weights, as functions, or None without torch."""
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
    x, y = torch.from_numpy(train_images[:, None]), torch.from_numpy(train_labels)
    r = Recipe(epochs=1, batch_size=batch)
    with torch.no_grad():
        probs = torch.softmax(net(test), 1).numpy()

    def trace():
        with torch.no_grad():
            net(one)

    def predict():
        with torch.no_grad():
            torch.softmax(net(test), 1)

    def epoch():
        """As numpy_epoch: a shuffle, Adam steps on torch's own one-cycle schedule."""
        opt = torch.optim.Adam(net.parameters(), lr=r.max_lr, betas=r.betas, eps=r.eps)
        total = -(-len(x) // batch)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, r.max_lr, total_steps=total, pct_start=r.pct_start,
                                                    div_factor=r.div_factor, final_div_factor=r.final_div_factor,
                                                    cycle_momentum=False)
        order = torch.from_numpy(np.random.default_rng(r.seed).permutation(len(x)))
        for i in range(total):
            idx = order[i * batch:(i + 1) * batch]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
            sched.step()
    return {"trace": lambda: seconds(trace, TRACE_CALLS), "predict": lambda: seconds(predict),
            "epoch": lambda: seconds(epoch), "probs": probs, "version": torch.__version__}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=mnist.DEFAULT_DIR, help="folder of the MNIST files")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs of each measure (medians are printed)")
    ap.add_argument("--batch", type=int, default=64, help="images per training step, both engines")
    args = ap.parse_args()
    train_images, train_labels = mnist.load(args.data, "train")
    test_images, _ = mnist.load(args.data, "test")
    model = cnn.load_model()
    image = test_images[0]
    ours = {"trace": lambda: seconds(lambda: model.trace(image), TRACE_CALLS),
            "predict": lambda: seconds(lambda: model.predict_proba(test_images)),
            "epoch": lambda: seconds(lambda: numpy_epoch(train_images, train_labels, args.batch))}
    theirs = torch_side(model.params, image, test_images, train_images, train_labels, args.batch)
    times = {(side, key): [] for side in ("ours", "theirs") for key in ours}
    for key, measure in ours.items():
        for _ in range(args.repeat):   # alternate, so both see the same load
            times["ours", key].append(measure())
            if theirs:
                times["theirs", key].append(theirs[key]())
    med = {k: statistics.median(v) for k, v in times.items() if v}
    rows = [("trace() one image", "trace", 1e6, "us", 150),
            ("predict_proba 10,000 images", "predict", 1, "s", 0.5),
            (f"training epoch (60,000, batch {args.batch})", "epoch", 1, "s", 6)]
    print(f"numpy {np.__version__}, median of {args.repeat} runs" +
          (f"; torch {theirs['version']} (CPU, 1 thread) on the same weights, runs alternating" if theirs
           else "; torch not installed"))
    for label, key, scale, unit, target in rows:
        line = f"{label:34s} cnnviz {med['ours', key] * scale:9.3f} {unit:2s} (target <= {target} {unit})"
        if theirs:
            line += (f"   torch {med['theirs', key] * scale:9.3f} {unit}   ratio cnnviz/torch "
                     f"{med['ours', key] / med['theirs', key]:.2f}")
        print(line)
    if theirs:
        diff = np.abs(theirs["probs"] - model.predict_proba(test_images)).max()
        print(f"max |cnnviz - torch| probability on the 10,000 test images: {diff:.2e}")


if __name__ == "__main__":
    main()
