// The view's state in the URL hash, so a reload or a shared link returns to the same view:
//   s=<sample id> | d=<strokes> | p=<28x28 float32 pixels>, then stage=<name>&pos=<position>.

const b64url = (bytes) => {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
const unb64url = (s) => {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

/** Strokes of byte-sized [x, y] points -> bytes: per stroke a 2-byte point count, then x, y pairs. */
export function encodeStrokes(strokes) {
  const n = strokes.reduce((t, s) => t + 2 + 2 * s.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const s of strokes) {
    out[o++] = s.length >> 8; out[o++] = s.length & 0xff;       // big-endian uint16
    for (const [x, y] of s) { out[o++] = x; out[o++] = y; }
  }
  return b64url(out);
}

export function decodeStrokes(text) {
  const b = unb64url(text);
  const strokes = [];
  for (let o = 0; o + 2 <= b.length;) {
    const len = (b[o] << 8) | b[o + 1];
    o += 2;
    const s = [];
    for (let i = 0; i < len && o + 1 < b.length; i++, o += 2) s.push([b[o], b[o + 1]]);
    if (s.length) strokes.push(s);
  }
  return strokes;
}

/** The hash -> {source, stage, pos}; source is {sample}, {strokes}, {pixels} or null. */
export function read(hash = location.hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  let source = null;
  try {
    if (q.get("s")) source = { sample: q.get("s") };
    else if (q.get("d")) source = { strokes: decodeStrokes(q.get("d")) };
    else if (q.get("p")) source = { pixels: new Float32Array(unb64url(q.get("p")).buffer) };
  } catch {
    source = null;                       // a damaged link: start fresh rather than fail
  }
  const pos = parseInt(q.get("pos") ?? "0", 10);
  return { source, stage: q.get("stage"), pos: Number.isFinite(pos) && pos >= 0 ? pos : 0 };
}

/** {source, stage, pos} -> hash string. */
export function format({ source, stage, pos }) {
  const q = new URLSearchParams();
  if (source?.sample) q.set("s", source.sample);
  else if (source?.strokes) q.set("d", encodeStrokes(source.strokes));
  else if (source?.pixels) q.set("p", b64url(new Uint8Array(source.pixels.buffer)));
  if (stage) q.set("stage", stage);
  if (pos) q.set("pos", String(pos));
  return "#" + q.toString();
}

/** Replace the hash without adding a history entry per step. */
export function write(state) {
  const h = format(state);
  if (h !== location.hash) history.replaceState(null, "", h);
}
