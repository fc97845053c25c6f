// The backward walk's bar above the timeline: the label it walks towards, the loss, the way back to the forward
// pass, and one step of gradient descent: a learning rate, a number of steps, Take a step and Reset.
// The API is stateless: each Take a step asks for all the steps taken so far (?steps=n) from the weights the walk
// started from, which is exactly where stepping on from the last step's weights would land.
import * as api from "../api.js";
import { h, $ } from "../dom.js";
import { LEARN } from "../config.js";
import { short } from "../format.js";
import { when } from "../checkpoints.js";
import { createStepPanel } from "./step.js";

const LOSS_DIGITS = 4;        // significant digits of the loss in the bar (12.25, 0.0001234)

/** page: {model, trace(), weights(), status(text, kind), pixels(), forward()}. Returns {show(walk), hide()}. */
export function createBar(page) {
  const box = $("backbar"), labels = page.model.class_labels;
  const towards = h("b#back-label"), loss = h("output#loss");
  const rate = h("input#learning-rate", { type: "number", "aria-label": "Learning rate", min: LEARN.minRate, max: LEARN.maxRate, step: "any",
    value: LEARN.rate, inputmode: "decimal" });
  const steps = h("input#steps", { type: "number", min: 1, max: LEARN.maxSteps, step: 1, value: 1, inputmode: "numeric" });
  const take = h("button#take-step", { type: "button" }, "Take a step");
  const reset = h("button#reset-step", { type: "button", disabled: true }, "Reset");
  const panelBox = h("div#step-panel.step-panel", { hidden: true, role: "region", "aria-label": "The step" });
  box.replaceChildren(
    h("span.back-towards", {}, h("span.long", {}, "Backward pass "), "towards ", towards),
    h("span.back-loss", {}, h("label", { for: "loss" }, "loss"), " ", loss),
    h("button#back-forward", { type: "button", "aria-label": "Back to the forward pass", onclick: () => page.forward() },
      h("span", { "aria-hidden": "true" }, "◀ "), "Forward pass"),
    h("span.back-step", { role: "group", "aria-label": "A step of gradient descent" },
      h("label.back-field", {}, h("span.long", {}, "Learning "), "rate ", rate), h("label.back-field", {}, "Steps ", steps),
      take, reset),
    panelBox);
  const panel = createStepPanel(panelBox, page);
  let walk = null, lines = null, taken = 0, mine = null;   // lines: the walk's, which the steps so far go with
  const asked = new Map();                   // "rate/steps" -> the step line, while the walk is the same

  function from() {
    const id = page.weights(), c = page.model.checkpoints.find((k) => k.id === id);
    return id === null ? "the final weights" : c ? `the weights ${when(c)}` : "the weights trained from scratch";
  }
  function restart(note) {
    mine?.abort();
    taken = 0;
    reset.disabled = true;
    panel.hide();
    if (note) page.status(note);
  }
  function readRate() {
    const r = Number(rate.value);
    return r > 0 && r <= LEARN.maxRate ? r : null;
  }

  async function step() {
    const r = readRate(), more = Math.max(1, Math.min(LEARN.maxSteps, Math.round(Number(steps.value)) || 1));
    if (r === null) { page.status(`The learning rate must be a number above 0 and at most ${LEARN.maxRate}.`, "error"); return; }
    const n = Math.min(LEARN.maxSteps, taken + more), key = `${r}/${n}`, w = walk, mineLines = lines;
    if (n === taken) { page.status(`${LEARN.maxSteps} steps is as far as a walk goes: Reset to start again.`); return; }
    const first = w.lines.get("step");
    if (!asked.has(key) && first.learning_rate === r && first.steps === n) asked.set(key, first);
    const c = (mine = new AbortController());
    take.disabled = true;
    try {
      const line = asked.get(key) ?? (await api.backprop({ pixels: page.pixels() }, w.label,
        { weights: page.weights(), rate: r, steps: n }, c.signal)).at(-1);
      if (c !== mine || mineLines !== lines) return;
      asked.set(key, line);
      taken = n;
      reset.disabled = false;
      panel.show(w, line, from());
      page.status(`${n} step${n > 1 ? "s" : ""} at learning rate ${r}: the loss went from ${short(line.losses[0])} ` +
        `to ${short(line.loss)}.`);
    } catch (e) {
      if (e.name !== "AbortError" && c === mine) page.status(`The step could not be taken: ${e.message}`, "error");
    } finally {
      if (c === mine) take.disabled = false;
    }
  }

  take.addEventListener("click", step);
  reset.addEventListener("click", () => restart(`Back to ${from()}, where the walk started.`));
  rate.addEventListener("change", () => {
    if (taken) restart("Another learning rate: the steps start again from the weights the walk started from.");
  });

  return {
    /** A walk's lines are here ({label, lines}): its label and loss; the steps start again. */
    show(w) {
      if (w.lines !== lines) { asked.clear(); restart(); }      // another walk, or the same with other weights
      walk = w;
      lines = w.lines;
      towards.textContent = labels[w.label];
      const l = w.lines.get("loss").loss;
      loss.textContent = Number(l).toPrecision(LOSS_DIGITS);
      loss.title = String(l);
      loss.dataset.value = l;
      box.hidden = false;
    },
    hide() { restart(); walk = lines = null; box.hidden = true; },
  };
}
