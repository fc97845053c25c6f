"""The one place a trace, forward or backward, becomes JSON: a dict per stage, arrays as base64 little-endian bytes."""

import base64

import numpy as np
import orjson

DTYPES = {np.dtype(np.float32): "float32", np.dtype(np.uint8): "uint8"}


def encode(a):
    """ndarray -> {"dtype", "shape", "b64"}: raw little-endian bytes in C order, base64 encoded."""
    a = np.ascontiguousarray(a)
    if a.dtype not in DTYPES:
        a = a.astype(np.float32)
    return {"dtype": DTYPES[a.dtype], "shape": list(a.shape),
            "b64": base64.b64encode(a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()).decode()}


def decode(obj):
    """{"dtype", "shape", "b64"} -> ndarray (the inverse of encode)."""
    return np.frombuffer(base64.b64decode(obj["b64"]), "<" + {"float32": "f4", "uint8": "u1"}[obj["dtype"]]
                         ).reshape(obj["shape"])


def stage_json(stage):
    """A Stage -> JSON-ready dict: name, kind, output, params and the animation details.

    A stage's input is the previous stage's output (the input stage's is its own), so it is not repeated."""
    d = {"name": stage.name, "kind": stage.kind, "output": encode(stage.output)}
    if stage.params:
        d["params"] = {k: encode(v) for k, v in stage.params.items()}
    d.update(details_json(stage))
    if stage.kind == "softmax":
        d["probabilities"] = numbers(stage.output)
    return d


def details_json(stage):
    """What a stage's view needs: arrays encoded, a softmax's as plain numbers (small, and read by people and
    scripts), anything else as it is."""
    plain = stage.kind == "softmax"
    return {key: (numbers(value) if plain else encode(value)) if isinstance(value, (np.ndarray, np.generic))
            else value for key, value in stage.details.items()}


def loss_json(loss):
    """The backward walk's first line: the label, -log p[label] and the forward pass's probabilities."""
    return {"name": "loss", "kind": "loss", "label": loss.label, "loss": loss.loss,
            "probabilities": numbers(loss.probabilities)}


def backward_json(back):
    """A Backward -> JSON-ready dict: name, kind, grad_output, grad_input (not the input stage's), the parameters'
    grads and what the backward view needs."""
    d = {"name": back.name, "kind": back.kind, "grad_output": encode(back.grad_output)}
    if back.grad_input is not None:
        d["grad_input"] = encode(back.grad_input)
    if back.grads:
        d["grads"] = {k: encode(v) for k, v in back.grads.items()}
    d.update(details_json(back))
    return d


def step_json(step):
    """The backward walk's last line: the SGD step's losses, probabilities, prediction and new parameters."""
    return {"name": "step", "kind": "step", "learning_rate": step.learning_rate, "steps": step.steps,
            "losses": step.losses, "loss": step.loss, "probabilities": numbers(step.probabilities),
            "prediction": step.prediction, "params": {k: encode(v) for k, v in step.params.items()}}


def backprop_json(item):
    """Any line of a backward walk (Loss, Backward, Step) -> its JSON-ready dict."""
    return {"loss": loss_json, "step": step_json}.get(item.kind, backward_json)(item)


def numbers(a):
    """ndarray or NumPy scalar -> list of floats or a float for JSON, refusing NaN and infinity (which orjson
    would write as null). A float32 becomes the double of the very same value."""
    if not np.isfinite(a).all():
        raise ValueError(f"cannot write non-finite values as JSON numbers: {a}")
    return np.asarray(a).tolist()


def ndjson_line(obj):
    """One compact JSON line, newline-terminated, as bytes. orjson: json.dumps spent 0.46 ms scanning conv1's
    160 KB base64 string for characters to escape; orjson writes that line in 0.05 ms."""
    return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)


def trace_json(trace):
    """A Trace -> list of stage dicts in order (the whole trace's JSON form)."""
    return [stage_json(s) for s in trace.stages]
