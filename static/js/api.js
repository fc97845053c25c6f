// The server's API: model info, samples, checkpoints, the prediction alone (while drawing) and the streamed trace
// (NDJSON parsed as it arrives; the browser undoes the server's gzip).
import { fromBase64, floats } from "./bytes.js";
import { HttpError, request } from "./http.js";

/** {dtype, shape, b64} -> {data: Float32Array | Uint8Array, shape}. The one array decoder. */
export function decode(obj) {
  const bytes = fromBase64(obj.b64);
  return { data: obj.dtype === "float32" ? floats(bytes) : bytes, shape: obj.shape };
}

const isEncoded = (v) => v && typeof v === "object" && typeof v.b64 === "string" && Array.isArray(v.shape);

/** Decode every encoded array in a stage line (one level deep, plus params, grads and preprocess steps). */
function decodeStage(line) {
  const out = {};
  for (const [k, v] of Object.entries(line)) {
    if (isEncoded(v)) out[k] = decode(v);
    else if (k === "params" || k === "grads") {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, a]) => [p, decode(a)]));
    }
    else if (k === "steps" && Array.isArray(v)) out[k] = v.map((s) => ({ ...s, image: decode(s.image) }));
    else out[k] = v;
  }
  return out;
}

/** An error the user caused (e.g. an empty drawing), with the server's message. */
export class InputError extends HttpError {}
const refused = (message, status) => new InputError(message, status);

/** GET url's JSON; not 2xx: an Error "url: status". */
const getJSON = (url, signal) =>
  request(url, { signal }, { refused: (_, status) => new Error(`${url}: ${status}`) }).then((r) => r.json());

/** /api/model as the page carries it (no request of its own), with first_sample, the id of the sample a first
 *  visit opens. */
export const model = () => JSON.parse(document.getElementById("model").textContent);
export const samples = (signal) => getJSON("/api/samples", signal);
/** A checkpoint's {id, epochs, accuracy, layers: {conv1: {weight, bias}, ...}}, its arrays decoded. */
export async function checkpoint(id, signal) {
  const c = await getJSON(`/api/checkpoints/${encodeURIComponent(id)}`, signal);
  const layers = Object.fromEntries(Object.entries(c.layers).map(([name, l]) =>
    [name, { weight: decode(l.weight), bias: decode(l.bias) }]));
  return { ...c, layers };
}

/** path?weights=id, or path alone for the served (final) weights (weights null). */
const withWeights = (path, weights) => (weights ? `${path}?weights=${encodeURIComponent(weights)}` : path);

/** POST body to url; the response if it is 2xx, else an InputError with the server's message. */
async function post(url, body, type, signal) {
  const payload = type === "application/json" ? JSON.stringify(body) : body;
  return request(url, { method: "POST", body: payload, headers: { "Content-Type": type }, signal }, { refused });
}

/** POST body (as for trace) to /api/predict: {prediction, probabilities, input: {data: Uint8Array, shape}}. */
export async function predict(body, type, signal, weights = null) {
  const p = await (await post(withWeights("/api/predict", weights), body, type, signal)).json();
  return { ...p, input: decode(p.input) };
}

/**
 * POST body (a Blob/bytes with its type, or {pixels}) to /api/trace; calls onStage(stage) for each line
 * as it streams in. Resolves with the list of stages. Honours an AbortSignal. weights: a checkpoint's id, or null.
 */
export async function trace(body, type, onStage, signal, weights = null) {
  return readStages(await post(withWeights("/api/trace", weights), body, type, signal), onStage);
}

/** GET a shipped sample's trace (the lines /api/trace gives for its pixels, kept ready by the server):
 *  {stages, label}. */
export async function sampleTrace(id, signal, weights = null) {
  const r = await request(withWeights(`/api/samples/${encodeURIComponent(id)}/trace`, weights), { signal }, { refused });
  return { stages: await readStages(r), label: Number(r.headers.get("X-Sample-Label")) };
}

/**
 * POST body ({pixels}) to /api/backprop, the backward walk towards label: its lines (the loss, softmax ... input, the
 * step), decoded. opts: {weights (a checkpoint's id, or null), rate (the learning rate), steps}; unset: the server's.
 */
export async function backprop(body, label, opts = {}, signal) {
  const q = new URLSearchParams({ label: String(label) });
  if (opts.weights) q.set("weights", opts.weights);
  if (opts.rate !== undefined) q.set("learning_rate", String(opts.rate));
  if (opts.steps !== undefined) q.set("steps", String(opts.steps));
  return readStages(await post(`/api/backprop?${q}`, body, "application/json", signal));
}

/** A trace response's NDJSON lines, decoded as they stream in (onStage(stage) for each): the list of stages. */
async function readStages(r, onStage) {
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
