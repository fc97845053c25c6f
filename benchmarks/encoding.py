"""Trace encoding: base64 float32 arrays (what the API sends) against plain JSON numbers, by size and parse time.

Run: python3 benchmarks/encoding.py
Plain JSON uses the shortest decimal that round-trips each float32 (its best case). Parse times are
measured in Node.js (the browser's JSON.parse and atob engine, V8) when node is installed.
"""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cnnviz import cnn  # noqa: E402
from benchmarks.server import canvas_png  # noqa: E402
from cnnviz.cnn.preprocess import preprocess  # noqa: E402
from cnnviz.cnn.serialize import ndjson_line, stage_json  # noqa: E402

NODE = r"""
const fs = require("fs");
const [b64File, plainFile] = process.argv.slice(1);
const b64 = fs.readFileSync(b64File, "utf8").trim().split("\n");
const plain = fs.readFileSync(plainFile, "utf8").trim().split("\n");
function decode(o) {
  if (o && typeof o === "object") {
    if (typeof o.b64 === "string") {
      const s = atob(o.b64), bytes = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      return o.dtype === "uint8" ? bytes : new Float32Array(bytes.buffer);
    }
    for (const k in o) o[k] = decode(o[k]);
  }
  return o;
}
function flat(o) {                       // plain nested lists -> Float32Array, as a view would need
  if (Array.isArray(o)) return Float32Array.from(o.flat(Infinity));
  if (o && typeof o === "object") for (const k in o) o[k] = flat(o[k]);
  return o;
}
function time(lines, fn) {
  const runs = [];
  for (let r = 0; r < 60; r++) {
    const t = process.hrtime.bigint();
    for (const l of lines) fn(JSON.parse(l));
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  runs.sort((a, b) => a - b);
  return runs[runs.length >> 1];
}
console.log(JSON.stringify({b64: time(b64, decode), plain: time(plain, flat)}));
"""


def number_text(a):
    """An ndarray as nested JSON lists, each float32 as its shortest round-trip decimal."""
    if a.ndim == 0:
        return np.format_float_positional(a, unique=True, trim="-")
    return "[" + ",".join(number_text(sub) for sub in a) + "]"


def plain_line(line):
    """One base64 NDJSON line rewritten with every encoded array as plain JSON numbers."""
    arrays = []

    def swap(obj):
        if isinstance(obj, dict) and "b64" in obj:
            arrays.append(number_text(cnn.serialize.decode(obj)))
            return f"@@{len(arrays) - 1}@@"
        return {k: swap(v) for k, v in obj.items()} if isinstance(obj, dict) else obj
    text = json.dumps(swap(json.loads(line)), separators=(",", ":"))
    for i, numbers in enumerate(arrays):
        text = text.replace(f'"@@{i}@@"', numbers)
    return (text + "\n").encode()


def main():
    model = cnn.load_model()
    x, _ = preprocess(canvas_png())
    b64_lines = [ndjson_line(stage_json(s)) for s in model.trace_stages(x)]
    plain_lines = [plain_line(line) for line in b64_lines]
    print("trace of a drawn 7 (10 stages, no preprocessing line)")
    print(f"base64 float32   {sum(map(len, b64_lines)):9,d} bytes")
    print(f"plain JSON       {sum(map(len, plain_lines)):9,d} bytes (shortest round-trip decimals)")
    if shutil.which("node"):
        with tempfile.TemporaryDirectory() as tmp:
            files = [Path(tmp) / "b64.ndjson", Path(tmp) / "plain.ndjson"]
            for path, lines in zip(files, (b64_lines, plain_lines)):
                path.write_bytes(b"".join(lines))
            out = subprocess.run(["node", "-e", NODE, *map(str, files)], capture_output=True, text=True)
            t = json.loads(out.stdout)
        print(f"parse + decode in V8 (node), median of 60: base64 {t['b64']:.2f} ms, plain {t['plain']:.2f} ms")


if __name__ == "__main__":
    main()
