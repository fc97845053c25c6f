// The prediction beside the pad (an ARIA live region) and "what the network sees".
import { renderSteps, OPAQUE } from "./views/preprocess.js";
import { pct } from "./format.js";
import { $ } from "./dom.js";

/** Show a trace's prediction, confidence and preprocessing; labels come from the model. */
export function showAnswer(stages, labels) {
  const last = stages[stages.length - 1];
  const pre = stages.find((s) => s.kind === "preprocess");
  if (!stages.some((s) => s.kind === "input")) return;
  if (last?.prediction !== undefined) {
    $("prediction").textContent = labels[last.prediction] ?? String(last.prediction);
    $("confidence").textContent = `${pct(last.probabilities[last.prediction])} sure`;
  }
  if (pre) {
    const input = stages.find((s) => s.kind === "input");
    const [, hh, w] = input.output.shape;
    const asGiven = Uint8Array.from(input.output.data, (v) => Math.round(v * OPAQUE));     // for display only
    const steps = pre.steps.length ? pre.steps
      : [{ name: "as given", caption: `${hh}×${w} numbers, used as they are`, image: { shape: [hh, w], data: asGiven } }];
    renderSteps($("sees"), steps);
  }
}

/** Nothing to read: no prediction, nothing seen. */
export function clearAnswer() {
  $("prediction").textContent = "–";
  $("confidence").textContent = "";
  $("sees").replaceChildren();
}
