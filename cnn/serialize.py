"""The one place a trace becomes JSON: a dict per stage, arrays as base64 little-endian bytes."""

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
    d = {"stage": stage.name, "kind": stage.kind, "output": encode(stage.output)}
    if stage.params:
        d["params"] = {k: encode(v) for k, v in stage.params.items()}
    plain = stage.kind == "softmax"   # small, and read by people and scripts: plain numbers
    for key, value in stage.details.items():
        is_array = isinstance(value, (np.ndarray, np.generic))
        d[key] = (numbers(value) if plain else encode(value)) if is_array else value
    if plain:
        d["probabilities"] = numbers(stage.output)
    return d


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
