"""The backward walk against the forward trace on the same image, side by side: the engine's time (the lines made,
as the API makes them), a request's time and gzipped bytes through the app, and torch's autograd where installed;
then what one SGD step at each learning rate does to wrong answers (how the default was chosen).

Run: python3 benchmarks/backprop.py [--repeat 7] [--calls 50]
Prints medians of --repeat runs, the walk and the trace alternating so that a busy machine slows both alike.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cnnviz import cnn  # noqa: E402  (before numpy: sets OpenBLAS to one thread)
import numpy as np  # noqa: E402
from cnnviz.app import create_app  # noqa: E402
from cnnviz.app.info import SAMPLES, load_samples  # noqa: E402
from cnnviz.cnn.model import LEARNING_RATE  # noqa: E402
from cnnviz.cnn.serialize import backprop_json, ndjson_line, stage_json  # noqa: E402

LABEL = 3                  # sample test-00000 is a 7: the walk towards a wrong answer, as in the README
RATES = (0.005, 0.01, 0.02, 0.05, 0.1)
SURE = 0.99                # "all-sure": the label's probability after one step above this


def per_call(fn, calls):
    """Wall time of one call of fn, over calls calls."""
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls


def torch_side(params, image, label):
    """(seconds for one forward + backward with torch's autograd, its gradients by our names), or None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 2, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(2, 4, 3),
        torch.nn.Sigmoid(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(100, 10))
    named = {"conv1": net[0], "conv2": net[3], "dense": net[7]}
    for name, module in named.items():
        module.weight.data = torch.from_numpy(params[f"{name}.weight"].copy())
        module.bias.data = torch.from_numpy(params[f"{name}.bias"].copy())
    x, y = torch.from_numpy(image[None, None].astype(np.float32)), torch.tensor([label])

    def once():
        net.zero_grad()
        torch.nn.functional.cross_entropy(net(x), y).backward()
    once()
    grads = {f"{n}.{p}": getattr(m, p).grad.numpy().copy() for n, m in named.items() for p in ("weight", "bias")}
    return once, grads, torch.__version__


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="timed runs of each measure (medians are printed)")
    ap.add_argument("--calls", type=int, default=50, help="calls per timed run")
    args = ap.parse_args()
    samples = load_samples(SAMPLES)
    image = samples[0]["image"].astype(np.float32) / 255
    model = cnn.load_model()
    engine = {
        "trace": lambda: b"".join(ndjson_line(stage_json(s)) for s in model.trace_stages(image)),
        "walk": lambda: b"".join(ndjson_line(backprop_json(i)) for i in model.backprop_stages(image, LABEL)),
    }
    client, body = create_app({"TESTING": True}).test_client(), json.dumps({"pixels": image.tolist()}).encode()
    sent = {"trace": 0, "walk": 0}

    def request(path):
        """One request with a body no earlier one had (trailing spaces), so the trace cache never answers it."""
        def call():
            sent[path] += 1
            r = client.post(f"/api/{'trace' if path == 'trace' else f'backprop?label={LABEL}'}",
                            data=body + b" " * sent[path], content_type="application/json",
                            headers={"Accept-Encoding": "gzip"})
            return r.get_data()
        return call
    api = {"trace": request("trace"), "walk": request("walk")}
    size = {k: len(f()) for k, f in api.items()}
    plain = {k: len(f()) for k, f in engine.items()}
    torch = torch_side(model.params, image, LABEL)
    times = {key: [] for key in ("engine trace", "engine walk", "api trace", "api walk", "torch")}
    for _ in range(args.repeat):
        for side in ("trace", "walk"):
            times[f"engine {side}"].append(per_call(engine[side], args.calls))
            times[f"api {side}"].append(per_call(api[side], args.calls))
        if torch:
            times["torch"].append(per_call(torch[0], args.calls))
    med = {k: statistics.median(v) * 1e3 for k, v in times.items() if v}
    print(f"numpy {np.__version__}, medians of {args.repeat} runs of {args.calls} calls; sample test-00000 towards "
          f"{LABEL}" + (f"; torch {torch[2]} (CPU, 1 thread)" if torch else "; torch not installed"))
    print(f"engine, lines made:  trace {med['engine trace']:.2f} ms   walk {med['engine walk']:.2f} ms   "
          f"ratio {med['engine walk'] / med['engine trace']:.2f}   (plain bytes {plain['trace']:,} / {plain['walk']:,})")
    print(f"API, gzipped:        trace {med['api trace']:.2f} ms   walk {med['api walk']:.2f} ms   "
          f"ratio {med['api walk'] / med['api trace']:.2f}   (goal <= 2)")
    print(f"bytes, gzipped:      trace {size['trace']:,}   walk {size['walk']:,}   "
          f"ratio {size['walk'] / size['trace']:.2f}   (goal <= 2)")
    if torch:
        walk = model.backprop(image, LABEL)
        diff = max(float(np.abs(walk[n.split('.')[0]].grads[n.split('.')[1]] - g).max()) for n, g in torch[1].items())
        print(f"torch autograd, forward + backward, no arithmetic recorded: {med['torch']:.2f} ms "
              f"(walk / torch {med['engine walk'] / med['torch']:.2f}); max |cnnviz - torch| gradient {diff:.2e}")
    print(f"\nOne SGD step on each of the first 40 samples towards a wrong label (default learning rate {LEARNING_RATE}):")
    rng = np.random.default_rng(0)
    images = [s["image"].astype(np.float32) / 255 for s in samples[:40]]
    wrong = [(s["label"] + 1 + int(rng.integers(C_WRONG))) % 10 for s in samples[:40]]
    for rate in RATES:
        steps = [model.backprop(x, w, rate).step for x, w in zip(images, wrong)]
        p = np.array([s.probabilities[w] for s, w in zip(steps, wrong)])
        print(f"  learning rate {rate:<6}: loss median {statistics.median(s.losses[0] for s in steps):.2f} -> "
              f"{statistics.median(s.loss for s in steps):.2f}, the label's probability median {np.median(p):.3f}, "
              f"answer moved to the label {sum(s.prediction == w for s, w in zip(steps, wrong))}/40, "
              f"all-sure (> {SURE}) {int((p > SURE).sum())}/40")
    walk = model.backprop(image, LABEL, 0.1)
    print(f"  test-00000 towards {LABEL} at 0.1: loss {walk.loss:.2f} -> {walk.step.loss:.5f}")


C_WRONG = 9                # a wrong label: the true one plus 1..9


if __name__ == "__main__":
    main()
