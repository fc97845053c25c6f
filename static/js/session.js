// Where the digit comes from (drawing, upload, sample, pixels, a link) and the requests it causes: the newest
// action wins and everything older is aborted, so the student's pen beats whatever the page was still loading.
// While the pen moves, throttled drafts ask only for the prediction; the whole trace comes once the drawing
// settles (pen-up, undo, upload, sample, a link).
import * as api from "./api.js";
import { TIMING } from "./config.js";

/** n x n numbers, row by row, as JSON pixels take them. */
function rowsOf(flat) {
  const n = Math.round(Math.sqrt(flat.length));
  return Array.from({ length: n }, (_, r) => Array.from(flat.subarray(r * n, (r + 1) * n)));
}

/**
 * hooks.preview(prediction) after a draft's api.predict (while drawing); hooks.trace(stages, source) after a final one;
 * hooks.empty(message) when there is nothing to read; hooks.error(message); hooks.busy(bool).
 */
export function createSession(hooks) {
  let controller = null, drafting = false, lastSent = 0, timer = 0;
  let weights = null, shown = null;        // a checkpoint's id (null: the final weights); the digit of the last trace

  /** A new piece of work: whatever was still loading is abandoned. drafting marks the pen's own. */
  function begin(draft = false) {
    controller?.abort();
    drafting = draft;
    shown = null;                            // until this work asks for a trace
    return (controller = new AbortController());
  }

  async function run(body, type, source, final, mine) {
    if (final) shown = { body, type, source };
    hooks.busy(true);
    try {
      let answer;
      if (!final) answer = await api.predict(body, type, mine.signal, weights);
      else if (source.sample) {
        ({ stages: answer, label: source.label } = await api.sampleTrace(source.sample, mine.signal, weights));
        const input = answer.find((s) => s.kind === "input")?.output.data;   // no body was sent: its pixels
        if (input) shown = { body: { pixels: rowsOf(input) }, type: "application/json", source };
      } else answer = await api.trace(body, type, null, mine.signal, weights);
      if (mine !== controller) return;
      (final ? hooks.trace : hooks.preview)(answer, source);
    } catch (e) {
      if (e.name === "AbortError" || mine !== controller) return;
      if (e instanceof api.InputError && e.status === 422) hooks.empty(e.message);
      else hooks.error(e.message);
    } finally {
      if (mine === controller) hooks.busy(false);
    }
  }

  return {
    /** The digit shown as it was sent to /api/trace, {body, type} (a sample: its pixels as JSON), or null. */
    get digit() { return shown?.body ? shown : null; },
    /** The weights the digit is read with: a checkpoint's or a run's id, null for the final weights. */
    get weights() { return weights; },
    /** The pad changed: reason is "start" (pen down), "move", "end", "undo" or "clear"; pad gives png() and strokes. */
    drawing(pad, reason) {
      clearTimeout(timer);
      if (!drafting) begin(true);            // the pen wins over anything still loading
      if (reason === "start") return;
      if (pad.empty) { begin(); hooks.empty(); return; }
      const source = { strokes: pad.strokes };
      if (reason !== "move") { run(pad.png(), "image/png", source, true, begin()); return; }
      const wait = lastSent + TIMING.drawThrottleMs - performance.now();
      const send = () => { lastSent = performance.now(); run(pad.png(), "image/png", source, false, begin(true)); };
      if (wait <= 0) send(); else timer = setTimeout(send, wait);
    },
    /** Read with other weights (a checkpoint's id, null: the final ones); again: trace the digit shown again. */
    setWeights(id, again = true) {
      weights = id;
      if (again && shown && !drafting) run(shown.body, shown.type, shown.source, true, begin());
    },
    file(file) {
      return run(file, file.type || "application/octet-stream", { file: file.name }, true, begin());
    },
    pixels(pixels, source, mine = begin()) {
      return run({ pixels: rowsOf(pixels) }, "application/json", source, true, mine);
    },
    /** A shipped sample, by its id: its trace comes ready-made from the server, no pixels sent. */
    sample(id, mine = begin()) {
      return run(null, null, { sample: id }, true, mine);
    },
    /**
     * Open a digit the page chose (a link's, or on a first visit the first shipped sample): digit is a
     * promise of {sample} | {strokes} | {pixels} | null (nothing: an empty pad). Given up if the student acts
     * first; otherwise the pad shows the link's strokes or nothing.
     */
    async open(digit, pad) {
      const mine = begin();
      const d = await digit;
      if (mine !== controller) return;
      pad.strokes = d?.strokes ?? [];
      if (d?.strokes) this.drawing(pad, "end");
      else if (d?.pixels) this.pixels(d.pixels, { pixels: d.pixels }, mine);
      else if (d?.sample) this.sample(d.sample, mine);
      else hooks.empty();
    },
  };
}
