// The classes API, as the page uses it: start, look up, drive (with the teacher's token), end, and students'
// drawings. Every call resolves with the JSON answer (or null for a 204) or rejects with a ClassError.
import { fromBase64, randomHex, toBase64 } from "../bytes.js";
import { HttpError, json } from "../http.js";

/** A refused call: status is the HTTP status (0: the server could not be reached), message the server's. */
export class ClassError extends HttpError {}

const path = (code, rest = "") => `/api/classes/${encodeURIComponent(code)}${rest}`;
const refused = (message, status) => new ClassError(message, status);
const call = (method, url, opts = {}) => json(method, url, { ...opts, refused, offline: true });

/** Start a class with this state -> {code, token, join_url, reachable, qr}. */
export const start = (state) => call("POST", "/api/classes", { body: { state } });
/** A running class -> {code, state, seq, following, exploring}; 404 once it has ended. */
export const show = (code) => call("GET", path(code));
export const drive = (code, token, state) => call("PUT", path(code), { body: state, token });
export const end = (code, token) => call("DELETE", path(code), { token });
/** Send the 28x28 network input (bytes) to the teacher -> {id, prediction}. */
export const sendDrawing = (code, bytes) => call("POST", path(code, "/drawings"), { body: { pixels: toBase64(bytes) } });
/** The drawings students sent (teacher only): [{id, pixels: Uint8Array, prediction, confidence, at}]. */
export async function drawings(code, token) {
  const { drawings: list } = await call("GET", path(code, "/drawings"), { token });
  return list.map((d) => ({ ...d, pixels: fromBase64(d.pixels) }));
}
/** Ask the class about what comes next where it is ({} or {pixels}: a drawn digit's input) -> {id, stage, pos,
 *  prompt, choices}; the right answer stays on the server until reveal(). */
export const ask = (code, token, body) => call("POST", path(code, "/questions"), { body, token });
/** How many answered, each choice's count (teacher only) -> {id, answers, counts, revealed}. */
export const tally = (code, token, id) => call("GET", path(code, `/questions/${id}`), { token });
export const reveal = (code, token, id) => call("POST", path(code, `/questions/${id}/reveal`), { body: {}, token });
/** This device's answer (device: its id, kept in the browser); a later one replaces it. */
export const answer = (code, id, device, choice) =>
  call("POST", path(code, `/questions/${id}/answers`), { body: { client: device, choice } });

/** This page's id for its streams: a new one (another mode, a reconnect) replaces its old one at once, so the
 *  teacher's counts stay true. */
const CLIENT = randomHex(12);
export const eventsUrl = (code, mode) => path(code, `/events?mode=${mode}&client=${CLIENT}`);

