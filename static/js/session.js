// Where the digit comes from (drawing, upload, sample, pixels) and the trace requests it causes:
// throttled while drawing, stale requests aborted, the last one settling on pen-up.
import * as api from "./api.js";
import { TIMING } from "./config.js";

/**
 * hooks.preview(stages) after a draft trace (while drawing); hooks.trace(stages, source) after a final one;
 * hooks.empty(message) when there is nothing to read; hooks.error(message); hooks.busy(bool).
 */
export function createSession(hooks) {
  let controller = null, lastSent = 0, timer = 0;

  async function run(body, type, source, final) {
    controller?.abort();
    const mine = (controller = new AbortController());
    hooks.busy(true);
    try {
      const stages = await api.trace(body, type, null, mine.signal);
      if (mine !== controller) return;
      (final ? hooks.trace : hooks.preview)(stages, source);
    } catch (e) {
      if (e.name === "AbortError" || mine !== controller) return;
      if (e instanceof api.InputError && e.status === 422) hooks.empty(e.message);
      else hooks.error(e.message);
    } finally {
      if (mine === controller) hooks.busy(false);
    }
  }

  return {
    /** The pad changed: reason is "move", "end", "undo" or "clear"; pad gives png() and strokes. */
    drawing(pad, reason) {
      clearTimeout(timer);
      if (pad.empty) { controller?.abort(); hooks.empty(); return; }
      const source = { strokes: pad.strokes };
      if (reason !== "move") { run(pad.png(), "image/png", source, true); return; }
      const wait = lastSent + TIMING.drawThrottleMs - performance.now();
      const send = () => { lastSent = performance.now(); run(pad.png(), "image/png", source, false); };
      if (wait <= 0) send(); else timer = setTimeout(send, wait);
    },
    file(file) {
      return run(file, file.type || "application/octet-stream", { file: file.name }, true);
    },
    pixels(pixels, source) {
      const rows = [];
      const n = Math.round(Math.sqrt(pixels.length));
      for (let r = 0; r < n; r++) rows.push(Array.from(pixels.subarray(r * n, (r + 1) * n)));
      return run({ pixels: rows }, "application/json", source, true);
    },
    async sample(id) {
      try {
        const s = await api.sample(id);
        return this.pixels(Float32Array.from(s.pixels.flat()), { sample: id, label: s.label });
      } catch (e) {
        hooks.error(`Could not load sample ${id}: ${e.message}`);
      }
    },
  };
}
