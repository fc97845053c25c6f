// The view's state in the URL hash, so a reload or a shared link returns to the same view:
//   s=<sample id> | d=<strokes> | p=<28x28 pixels>, then back=<label> on the backward walk towards that digit (its
//   stages: loss, softmax ... input), stage=<name>&pos=<position>, and w=<checkpoint id> when the digit is read with a
//   checkpoint's weights rather than the final ones.
// d and p are packed (pack.js): "z.<deflated>", or for pixels that are whole bytes "q.<deflated>". Links made
// before that, or by a browser without CompressionStream, hold the plain bytes in base64url (d: strokes,
// p: float32); they still open.
import * as pack from "./pack.js";
import { floats, bytesOf } from "./bytes.js";

const DIGIT = ["s", "d", "p"];           // the keys that say where the digit comes from
const packed = (value) => value.includes(".");      // base64url has no "."

/** The hash -> {link, stage, pos, weights, back, given}: link is the digit's part ("d=…", "" for none); weights a
 *  checkpoint's id or null; back the label (0-9) of a backward walk, else null; given is false when the hash holds
 *  no state at all (a first visit, or an in-page anchor such as #stage). */
export function read(hash = location.hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const key = DIGIT.find((k) => q.get(k));
  const link = key ? new URLSearchParams({ [key]: q.get(key) }).toString() : "";
  const pos = parseInt(q.get("pos") ?? "0", 10), stage = q.get("stage");
  const weights = q.get("w") || null;
  const back = /^[0-9]$/.test(q.get("back") ?? "") ? Number(q.get("back")) : null;
  return { link, stage, pos: Number.isFinite(pos) && pos >= 0 ? pos : 0, weights, back,
    given: !!(key || stage || weights || back !== null) };
}

/** A link's digit: {sample}, {strokes} or {pixels}; null for none, or for a damaged link (start fresh). */
export async function source(link) {
  const q = new URLSearchParams(link);
  const [s, d, p] = DIGIT.map((k) => q.get(k));
  try {
    if (s) return { sample: s };
    if (d) return { strokes: packed(d) ? await pack.unpackStrokes(d) : pack.bytesStrokes(pack.unb64url(d)) };
    if (p) return { pixels: packed(p) ? await pack.unpackPixels(p) : floats(pack.unb64url(p)) };
  } catch {
    return null;                       // a damaged link: start fresh rather than fail
  }
  return null;
}

/** A digit -> its link, packed where the browser can (CompressionStream), else its plain bytes. */
export async function link(digit) {
  const q = new URLSearchParams();
  if (digit?.sample) q.set("s", digit.sample);
  else if (digit?.strokes) {
    q.set("d", await pack.packStrokes(digit.strokes).catch(() => pack.b64url(pack.strokeBytes(digit.strokes))));
  } else if (digit?.pixels) {
    const px = digit.pixels, plain = () => pack.b64url(bytesOf(px));
    q.set("p", await pack.packPixels(px).catch(plain));
  }
  return q.toString();
}

/** {link, stage, pos, weights, back} -> hash string (back: a backward walk's label; null or left out: forward). */
export function format({ link, stage, pos, weights, back = null }) {
  const q = new URLSearchParams(link);
  if (back !== null) q.set("back", String(back));
  if (stage) q.set("stage", stage);
  if (pos) q.set("pos", String(pos));
  if (weights) q.set("w", weights);
  return "#" + q.toString();
}

/** Replace the hash without adding a history entry per step. */
export function write(state) {
  const h = format(state);
  if (h !== location.hash) history.replaceState(null, "", h);
}

/**
 * Keeps the URL in step with the page: view(stage, pos, delay) when the player moves, digit(d) when a new digit
 * is shown (null: none), weights(id) when another checkpoint is chosen (null: the final weights), back(label) when
 * a backward walk towards label starts (null: the forward walk again), opened(state) when a link starts loading
 * (kept in the URL meanwhile); current() is what it keeps. Nothing is written while a first visit has not shown
 * anything yet.
 */
export function keeper(initial) {
  let linked = null, stage = null, pos = 0, w = initial.weights, back = null, timer = 0, token = 0;
  const flush = (delay = 0) => {
    clearTimeout(timer);
    timer = setTimeout(() => linked !== null && write({ link: linked, stage, pos, weights: w, back }), delay);
  };
  const kept = {
    view(s, p, delay) { stage = s; pos = p; flush(delay); },
    weights(id) { w = id; flush(); },
    back(label) { back = label; flush(); },
    async digit(d) {
      const mine = ++token, l = d ? await link(d) : "";
      if (mine === token) { linked = l; flush(); }
    },
    opened(state) { token++; linked = state.given ? state.link : null; back = state.back ?? null; },
    /** What the page shows, as a link says it: {link, stage, pos, weights, back}. */
    current: () => ({ link: linked ?? "", stage, pos, weights: w, back }),
  };
  kept.opened(initial);
  return kept;
}
