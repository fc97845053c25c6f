// The server's API: model info, samples, the prediction alone (while drawing) and the streamed trace (NDJSON
// parsed as it arrives; the browser undoes the server's gzip).

/** {dtype, shape, b64} -> {data: Float32Array | Uint8Array, shape}. The one array decoder. */
export function decode(obj) {
  const bin = atob(obj.b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const data = obj.dtype === "float32" ? new Float32Array(bytes.buffer) : bytes;
  return { data, shape: obj.shape };
}

const isEncoded = (v) => v && typeof v === "object" && typeof v.b64 === "string" && Array.isArray(v.shape);

/** Decode every encoded array in a stage line (one level deep, plus params and preprocess steps). */
function decodeStage(line) {
  const out = {};
  for (const [k, v] of Object.entries(line)) {
    if (isEncoded(v)) out[k] = decode(v);
    else if (k === "params") out[k] = Object.fromEntries(Object.entries(v).map(([p, a]) => [p, decode(a)]));
    else if (k === "steps") out[k] = v.map((s) => ({ ...s, image: decode(s.image) }));
    else out[k] = v;
  }
  return out;
}

/** An error the user caused (e.g. an empty drawing), with the server's message. */
export class InputError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function getJSON(url, signal) {
  const r = await fetch(url, { signal });
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

export const model = () => getJSON("/api/model");
export const samples = (signal) => getJSON("/api/samples", signal);
export const sample = (id, signal) => getJSON(`/api/samples/${encodeURIComponent(id)}`, signal);

/** POST body to url; the response if it is 2xx, else an InputError with the server's message. */
async function post(url, body, type, signal) {
  const payload = type === "application/json" ? JSON.stringify(body) : body;
  const r = await fetch(url, { method: "POST", body: payload, headers: { "Content-Type": type }, signal });
  if (!r.ok) {
    const msg = await r.json().then((j) => j.error, () => r.statusText);
    throw new InputError(msg, r.status);
  }
  return r;
}

/** POST body (as for trace) to /api/predict: {prediction, probabilities, input: {data: Uint8Array, shape}}. */
export async function predict(body, type, signal) {
  const p = await (await post("/api/predict", body, type, signal)).json();
  return { ...p, input: decode(p.input) };
}

/**
 * POST body (a Blob/bytes with its type, or {pixels}) to /api/trace; calls onStage(stage) for each line
 * as it streams in. Resolves with the list of stages. Honours an AbortSignal.
 */
export async function trace(body, type, onStage, signal) {
  const r = await post("/api/trace", body, type, signal);
  const reader = r.body.getReader();
  const text = new TextDecoder();
  const stages = [];
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buf += text.decode(value, { stream: true });
    let nl;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line) continue;
      const stage = decodeStage(JSON.parse(line));
      stages.push(stage);
      onStage?.(stage);
    }
    if (done) break;
  }
  return stages;
}
