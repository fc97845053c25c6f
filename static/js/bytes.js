// Bytes as base64 text and as numbers: the network input's values as bytes (byte k is k/255), float32 data as bytes.

export const BYTE_MAX = 255;      // the network input as bytes: byte k is the value k/255

/** Base64 text -> its bytes. */
export function fromBase64(text) {
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Bytes -> base64 text. */
export function toBase64(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

/** The network input's values (0..1) -> bytes, each the nearest k/255, and back. */
export const toBytes = (values) => Uint8Array.from(values, (v) => Math.round(v * BYTE_MAX));
export const toValues = (bytes) => Float32Array.from(bytes, (b) => b / BYTE_MAX);

/** Bytes holding float32 values -> those values, sharing the bytes' memory (a RangeError if not whole floats). */
export function floats(bytes) {
  if (bytes.byteLength % Float32Array.BYTES_PER_ELEMENT) throw new RangeError("the bytes are not whole float32 values");
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / Float32Array.BYTES_PER_ELEMENT);
}

/** A typed array's own bytes, sharing its memory. */
export const bytesOf = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** n random bytes as hex: an id (getRandomValues works on plain http, where crypto.randomUUID is missing). */
export const randomHex = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)),
  (b) => b.toString(16).padStart(2, "0")).join("");
