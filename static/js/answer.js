// The prediction beside the pad (an ARIA live region) and "what the network sees".
import { renderSteps } from "./views/preprocess.js";
import { pct } from "./format.js";

const $ = (id) => document.getElementById(id);

/** Show a trace's prediction, confidence and preprocessing; labels come from the model. */
export function showAnswer(stages, labels) {
  const last = stages[stages.length - 1];
  const pre = stages.find((s) => s.kind === "preprocess");
  if (last?.prediction !== undefined) {
    $("prediction").textContent = labels[last.prediction] ?? String(last.prediction);
    $("confidence").textContent = `${pct(last.probabilities[last.prediction])} sure`;
  }
  if (pre) {
    const input = stages.find((s) => s.kind === "input");
    const size = input ? input.output.shape.slice(1).join("×") : "";
    renderSteps($("sees"), pre.steps, `Given as ${size} numbers: nothing to preprocess.`);
  }
}

/** Nothing to read: no prediction, a friendly hint. */
export function clearAnswer() {
  $("prediction").textContent = "–";
  $("confidence").textContent = "";
}
