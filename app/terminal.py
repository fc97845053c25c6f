"""`cnnviz trace` and `cnnviz export`: a digit's numbers in a terminal and its stages as files, through the Python
API (cnnviz.load, net.trace, net.backprop) and cnnviz.frames. Whatever goes wrong is Refused: one line that names
the file (or the option) and the problem, and the exit status (1, or 2 for a usage error)."""

import json
from pathlib import Path

from .. import frames
from ..format import fix
from ..net import load

from . import stagenumbers


class Refused(Exception):
    """What the user must change, in one line; status 1 (the file, the weights) or 2 (the command's usage)."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def read(image, weights=None, label=None):
    """(the Net, the Trace or, towards label, the Backprop) of an image file."""
    try:
        net = load(weights)
    except ValueError as e:                         # WeightsError too
        raise Refused(f"--weights {weights}: {e}") from None
    path = Path(image)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise Refused(f"{image}: {e.strerror or e}") from None
    try:
        return net, (net.trace(data) if label is None else net.backprop(data, label))
    except ValueError as e:                         # ImageError: not an image, too large, blank
        raise Refused(f"{image}: {e}") from None


def check(stage, pos, backward=False):
    """pos for stage as the pictures take it; a usage error (2) saying what is allowed."""
    if pos is not None and stage is None:
        raise Refused("--pos needs --stage: the position is in that stage's maps", 2)
    if stage is None:
        return None
    try:
        return frames.check(stage, pos, backward)
    except ValueError as e:
        raise Refused(f"--stage {stage}: {e}" if pos is None else f"--pos: {e}", 2) from None


def trace(image, weights=None, stage=None, pos=None, as_json=False):
    """What `cnnviz trace` prints: the prediction and the ten probabilities; the stage's shape and summary; the
    position's numbers in every channel. As text, or as JSON with every number at full precision."""
    pos = check(stage, pos)
    net, t = read(image, weights)
    found = {"image": str(image), "weights": net.weights, "prediction": t.prediction,
             "probabilities": stagenumbers.floats(t.probabilities)}
    if stage is not None:
        found["stage"] = stagenumbers.summary(t[stage])
    if pos is not None:
        found["position"] = stagenumbers.at(t[stage], pos)
    return json.dumps(found) if as_json else "\n".join(text(found))


def export(image, fmt, out, stage=frames.DEFAULT_STAGE, pos=None, weights=None, back=None):
    """Write the stage's picture, its animation or the walk-through to out; returns what was written, in words."""
    pos = check(stage, pos, back is not None)
    _, shown = read(image, weights, back)
    data = shown.export(fmt, stage, pos)
    try:
        Path(out).write_bytes(data)
    except OSError as e:
        raise Refused(f"{out}: {e.strerror or e}") from None
    return f"{out}: {len(data):,} bytes"


def text(found):
    """found (as trace() makes it) as lines for a terminal, numbers to 4 decimals."""
    p = found["probabilities"]
    k = found["prediction"]
    lines = [f"{found['image']}: read as {k} ({100 * p[k]:.2f}%) with the {found['weights']} weights", "",
             "digit  probability"]
    lines += [f"{d:>5}  {fix(v)}  {100 * v:6.2f}%" + ("  <- the answer" if d == k else "") for d, v in enumerate(p)]
    if "stage" in found:
        s = found["stage"]
        shapes = "x".join(map(str, s["input_shape"])) + " -> " + "x".join(map(str, s["shape"]))
        params = "".join(f", {n} {'x'.join(map(str, shape))}" for n, shape in s["params"].items())
        lines += ["", f"{s['name']} ({s['kind']}): {shapes}{params}", "channel       min      mean       max"]
        lines += [f"{i + 1:>7}  {fix(c['min']):>8}  {fix(c['mean']):>8}  {fix(c['max']):>8}"
                  for i, c in enumerate(s["channels"])]
    if "position" in found:
        lines += [""] + position_text(found["stage"], found["position"])
    return lines


def position_text(stage, at):
    """A position's numbers as a table (or a few, for a conv's windows)."""
    kind, name = stage["kind"], stage["name"]
    if kind == "dense":
        rows = [" ".join(f"{fix(v):>8}" for v in at["contributions"][i:i + 10])
                for i in range(0, len(at["contributions"]), 10)]
        return [f"{name}, output {at['index']}: its contributions weight x input, inputs 0-9, 10-19, ..."] + rows + [
            f"sum {fix(at['sum'])} + bias {fix(at['bias'])} = logit {fix(at['logit'])}"]
    if kind == "flatten":
        return [f"{name}, place {at['index']}: channel {at['channel']}, row {at['row']}, column {at['col']} -> "
                f"value {fix(at['value'])}"]
    if kind == "softmax":
        return [f"{name}, digit {at['index']}: e^(logit {fix(at['logit'])} - largest {fix(at['largest'])} = "
                f"{fix(at['shifted'])}) = {fix(at['exponential'])}; / sum {fix(at['sum'])} = probability "
                f"{fix(at['probability'])}"]
    head = f"{name} at row {at['row']}, column {at['col']}"
    chans = at["channels"]
    if kind == "input":
        return [f"{head}: pixel {fix(chans[0]['pixel'])}"]
    if kind == "conv":
        return [head] + [line for ch in chans for line in conv_text(ch)]
    columns = {"pool": ("window", "max", "argmax"), "relu": ("input", "output"), "sigmoid": ("input", "output")}[kind]
    lines = [head, "channel" + "".join(f"{c:>{width(c)}}" for c in columns)]
    for ch in chans:
        cells = {**ch, "window": " ".join(fix(v) for row in ch.get("window", []) for v in row),
                 "max": ch.get("output"), "argmax": ",".join(map(str, ch.get("argmax", [])))}
        lines.append(f"{ch['channel']:>7}" + "".join(f"{show(cells[c]):>{width(c)}}" for c in columns))
    return lines


def width(column):
    return 30 if column == "window" else 10


def show(v):
    return fix(v) if isinstance(v, float) else str(v)


def conv_text(ch):
    """One filter at a position: per input channel its window, weights and products side by side, then the sum."""
    lines = [f"filter {ch['filter']}:"]
    for c, (window, weights, products) in enumerate(zip(ch["window"], ch["weights"], ch["products"])):
        k = len(window)
        titles = [f"input channel {c + 1}", "weights", "products"]
        lines.append("  " + "  ".join(f"{t:<{9 * k}}" for t in titles))
        for a in range(k):
            lines.append("  " + "  ".join("".join(f" {fix(v):>8}" for v in m[a]) for m in (window, weights, products)))
    lines.append(f"  sum {fix(ch['sum'])} + bias {fix(ch['bias'])} = output {fix(ch['output'])}")
    return lines
