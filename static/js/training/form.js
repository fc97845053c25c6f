// The run's parameters: epochs, batch size, peak learning rate and seed, with the model card's recipe as defaults.
import { h } from "../dom.js";

const FIELDS = [
  { name: "epochs", label: "Epochs", step: "1", help: "passes over the 60,000 training images" },
  { name: "batch_size", label: "Batch size", step: "1", help: "images per step" },
  { name: "learning_rate", label: "Learning rate", step: "any", help: "the one-cycle schedule's peak" },
  { name: "seed", label: "Seed", step: "1", help: "the same seed gives the same run, bit for bit" },
];

/** The form's inputs in el, from {defaults, limits}; returns {values(), enable(on)}. */
export function createForm(el, { defaults, limits }) {
  const inputs = FIELDS.map((f) => h("input", { type: "number", id: `scratch-${f.name}`, name: f.name, step: f.step,
    min: limits[f.name].min, max: limits[f.name].max, value: defaults[f.name], required: true,
    "aria-describedby": `scratch-${f.name}-help` }));
  el.replaceChildren(...FIELDS.map((f, i) => h("div.scratch-field", {},
    h("label.scratch-label", { for: inputs[i].id }, f.label), inputs[i],
    h(`small#scratch-${f.name}-help`, {}, f.help))));
  return {
    values: () => Object.fromEntries(inputs.map((input) => [input.name, Number(input.value)])),
    enable(on) { inputs.forEach((input) => { input.disabled = !on; }); },
  };
}
