"""A stage's numbers as plain data, for `cnnviz trace`: its shape and a summary per channel, and a position's
arithmetic in every channel (for a conv: the window, the weights, the products, their sum, the bias, the output).
Every number is the trace's own, as a Python float."""

import numpy as np

from ..cnn import config as C


def floats(a):
    """An array (or a number) as nested lists of Python floats."""
    return np.asarray(a, np.float64).tolist()


def summary(stage):
    """{name, kind, input_shape, shape, params: {name: shape}, channels: [{min, mean, max}] (one for a vector)}."""
    out = stage.output
    maps = out if out.ndim == 3 else out[None]
    return {"name": stage.name, "kind": stage.kind, "input_shape": list(stage.input.shape), "shape": list(out.shape),
            "params": {k: list(v.shape) for k, v in stage.params.items()},
            "channels": [{"min": float(m.min()), "mean": float(m.mean()), "max": float(m.max())} for m in maps]}


def at(stage, pos):
    """The numbers of stage at pos ((row, col) of a map, in every channel; an index for flatten, dense, softmax)."""
    kind, d, x, y = stage.kind, stage.details, stage.input, stage.output
    if kind == "flatten":
        h, w = x.shape[1:]
        return {"index": pos, "channel": pos // (h * w) + 1, "row": pos % (h * w) // w, "col": pos % w,
                "value": float(y[pos])}
    if kind == "dense":
        k = pos
        return {"index": k, "contributions": floats(d["contributions"][k]), "sum": float(d["sums"][k]),
                "bias": float(stage.params["bias"][k]), "logit": float(y[k])}
    if kind == "softmax":
        k = pos
        return {"index": k, "logit": float(d["logits"][k]), "largest": float(d["largest"]),
                "shifted": float(d["shifted"][k]), "exponential": float(d["exponentials"][k]), "sum": float(d["sum"]),
                "probability": float(y[k])}
    r, c = pos
    if kind == "input":
        return {"row": r, "col": c, "channels": [{"pixel": float(y[0, r, c])}]}
    if kind == "conv":
        w, b = stage.params["weight"], stage.params["bias"]
        k = w.shape[-1]
        window = x[:, r:r + k, c:c + k]
        return {"row": r, "col": c, "channels": [
            {"filter": f + 1, "window": floats(window), "weights": floats(w[f]),
             "products": floats(d["products"][f, r, c]), "sum": float(d["sums"][f, r, c]), "bias": float(b[f]),
             "output": float(y[f, r, c])}
            for f in range(w.shape[0])]}
    if kind == "pool":
        return {"row": r, "col": c, "channels": [
            {"channel": ch + 1, "window": floats(x[ch, r * C.POOL:(r + 1) * C.POOL, c * C.POOL:(c + 1) * C.POOL]),
             "argmax": list(divmod(int(d["argmax"][ch, r, c]), C.POOL)), "output": float(y[ch, r, c])}
            for ch in range(y.shape[0])]}
    return {"row": r, "col": c, "channels": [                           # relu, sigmoid: cell by cell
        {"channel": ch + 1, "input": float(x[ch, r, c]), "output": float(y[ch, r, c])} for ch in range(y.shape[0])]}
