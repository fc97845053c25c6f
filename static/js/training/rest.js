// The training API: what the page may do, start a run, drive it, stop it, and follow its events.
// A class's teacher (this browser runs a class: its token is kept) trains with the class's token, from any machine.
import { decode } from "../api.js";
import { saved } from "../classroom/token.js";
import { json } from "../http.js";

function send(method, url, body) {
  const cls = saved();
  if (cls?.code && body) body = { ...body, class: cls.code };
  return json(method, url, { body, token: cls?.token });
}
const runUrl = (id) => `/api/training/${encodeURIComponent(id)}`;

/** {defaults, limits, allowed, why, current}: the recipe's defaults and whether this page may train. */
export const overview = () => send("GET", "/api/training");
/** params: {epochs, batch_size, learning_rate, seed, pixels?} -> {id, ...params}. */
export const start = (params) => send("POST", "/api/training", params);
/** action: "pause" | "resume" | "step". */
export const act = (id, action) => send("POST", runUrl(id), { action });
export const stop = (id) => send("DELETE", runUrl(id));

/**
 * Follow a run's events: history(points) first (the curves so far; again after a reconnect), then
 * progress(event) with its weights decoded, until the one with done. Returns a function that stops following.
 */
export function follow(id, { history, progress }) {
  const source = new EventSource(`${runUrl(id)}/events`);
  source.addEventListener("history", (e) => history(JSON.parse(e.data).points));
  source.addEventListener("message", (e) => {
    const p = JSON.parse(e.data);
    if (p.weights) p.weights = Object.fromEntries(Object.entries(p.weights).map(([k, v]) => [k, decode(v)]));
    if (p.done) source.close();
    progress(p);
  });
  return () => source.close();
}
