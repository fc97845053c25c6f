// The prediction beside the pad (an ARIA live region) and "what the network sees".
import { renderSteps, imageCanvas } from "./views/preprocess.js";
import { toBytes } from "./bytes.js";
import { pct } from "./format.js";
import { $ } from "./dom.js";

const SEEN = "centred";                      // the preprocessing step that is the network's input

function showNumbers(prediction, probabilities, labels) {
  $("prediction").textContent = labels[prediction] ?? String(prediction);
  $("confidence").textContent = `${pct(probabilities[prediction])} sure`;
}

/** Show a trace's prediction, confidence and preprocessing; labels come from the model. */
export function showAnswer(stages, labels) {
  const last = stages[stages.length - 1];
  const pre = stages.find((s) => s.kind === "preprocess");
  if (!stages.some((s) => s.kind === "input")) return;
  if (last?.prediction !== undefined) showNumbers(last.prediction, last.probabilities, labels);
  if (pre) {
    const input = stages.find((s) => s.kind === "input");
    const [, hh, w] = input.output.shape;
    const asGiven = toBytes(input.output.data);     // for display only
    const steps = pre.steps.length ? pre.steps
      : [{ name: "as given", caption: `${hh}×${w} numbers, used as they are`, image: { shape: [hh, w], data: asGiven } }];
    renderSteps($("sees"), steps);
    $("sees").classList.remove("stale");
  }
}

/** A draft's prediction while the pen moves ({prediction, probabilities, input} from api.predict): the
 *  numbers, and its input in place of the centred step; the other steps, the last trace's, dim until pen-up. */
export function showPrediction(p, labels) {
  showNumbers(p.prediction, p.probabilities, labels);
  const sees = $("sees");
  const label = `${p.input.shape.join("×")} input: what the network sees`;
  const seen = sees.querySelector(`[data-step="${SEEN}"] canvas`);
  if (seen) seen.replaceWith(imageCanvas(p.input, label));
  else renderSteps(sees, [{ name: SEEN, caption: label, image: p.input }]);
  sees.classList.add("stale");
}

/** Nothing to read: no prediction, nothing seen. */
export function clearAnswer() {
  $("prediction").textContent = "–";
  $("confidence").textContent = "";
  $("sees").replaceChildren();
  $("sees").classList.remove("stale");
}
