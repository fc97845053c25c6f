// A digit as short, exact text for a link: bytes that compress well, deflated (CompressionStream), base64url.
// Pixels: a 28x28 input is mostly zeros, so float32 deflates well; one byte each when every value is exactly
// k/255 (an 8-bit image as given). Strokes: each point as its step from the one before (a pen moves a few
// pixels at a time), so the bytes repeat.
import { BYTE_MAX, fromBase64, toBase64, toValues, floats, bytesOf } from "./bytes.js";

const BYTE_RANGE = 256;        // stroke points are bytes: steps between them wrap around modulo this

export const b64url = (bytes) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
export const unb64url = (s) => fromBase64(s.replace(/-/g, "+").replace(/_/g, "/"));

async function through(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}
const deflate = (bytes) => through(bytes, new CompressionStream("deflate-raw"));
const inflate = (bytes) => through(bytes, new DecompressionStream("deflate-raw"));

/** Strokes of byte-sized [x, y] points -> bytes: per stroke a big-endian uint16 point count, then x, y pairs;
 *  with steps, every point after a stroke's first is its difference from the one before (modulo 256). */
export function strokeBytes(strokes, steps = false) {
  const out = new Uint8Array(strokes.reduce((t, s) => t + 2 + 2 * s.length, 0));
  let o = 0;
  for (const s of strokes) {
    out[o++] = s.length >> 8; out[o++] = s.length & 0xff;
    s.forEach(([x, y], i) => {
      const [px, py] = steps && i ? s[i - 1] : [0, 0];
      out[o++] = (x - px + BYTE_RANGE) % BYTE_RANGE; out[o++] = (y - py + BYTE_RANGE) % BYTE_RANGE;
    });
  }
  return out;
}

/** The inverse of strokeBytes. */
export function bytesStrokes(b, steps = false) {
  const strokes = [];
  for (let o = 0; o + 2 <= b.length;) {
    const len = (b[o] << 8) | b[o + 1];
    o += 2;
    const s = [];
    for (let i = 0; i < len && o + 1 < b.length; i++, o += 2) {
      const [px, py] = steps && s.length ? s[s.length - 1] : [0, 0];
      s.push([(px + b[o]) % BYTE_RANGE, (py + b[o + 1]) % BYTE_RANGE]);
    }
    if (s.length) strokes.push(s);
  }
  return strokes;
}

/** Float32 pixels -> one byte each if every value is exactly k/255 (so it reopens bit for bit), else null. */
function wholeBytes(pixels) {
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const k = Math.round(pixels[i] * BYTE_MAX);
    if (!(k >= 0 && k <= BYTE_MAX) || Math.fround(k / BYTE_MAX) !== pixels[i]) return null;
    out[i] = k;
  }
  return out;
}

/** Float32Array -> "q.<text>" (whole bytes) or "z.<text>" (float32), deflated. Rejects without CompressionStream. */
export async function packPixels(pixels) {
  const q = wholeBytes(pixels);
  if (q) return `q.${b64url(await deflate(q))}`;
  return `z.${b64url(await deflate(bytesOf(pixels)))}`;
}

export async function unpackPixels(text) {
  const [kind, body] = text.split(".");
  const bytes = await inflate(unb64url(body));
  if (kind === "q") return toValues(bytes);
  if (kind === "z") return floats(bytes);     // a RangeError if not whole floats
  throw new Error(`unknown pixel packing "${kind}"`);
}

/** Strokes -> "z.<text>": their steps, deflated. Rejects without CompressionStream. */
export const packStrokes = async (strokes) => `z.${b64url(await deflate(strokeBytes(strokes, true)))}`;

export async function unpackStrokes(text) {
  const [kind, body] = text.split(".");
  if (kind !== "z") throw new Error(`unknown stroke packing "${kind}"`);
  return bytesStrokes(await inflate(unb64url(body)), true);
}
