// The step's panel, under the backward walk's bar: the loss before → after, the label's probability before and
// after, the answer, the losses step by step, and what the step did to every parameter. Every number the server's.
import { h } from "../dom.js";
import { COLOURS } from "../config.js";
import { chart, purge } from "../plots.js";
import { pct, exact, short } from "../format.js";
import { drawChanges } from "./params.js";

const LOSS_TICKS = 4;         // on the losses' log axis, few enough to read
const SMALL = 0.001;          // below 0.1%, a probability is written to 2 significant digits, not "<0.1%"

const prob = (p) => (p > 0 && p < SMALL ? `${(100 * p).toPrecision(2)}%` : pct(p));
const val = (tag, v, text) => h(tag, { title: exact(v), "data-value": v }, text);

/** el: the panel's box; page: {model, trace()}. Returns {show(walk, step line, from: the weights' words), hide()}. */
export function createStepPanel(el, page) {
  const labels = page.model.class_labels;
  const title = h("h3.step-title"), numbers = h("dl.step-numbers"), losses = h("div.plot.step-losses");
  const changes = h("div.step-params"), note = h("p.note.step-note");
  const close = h("button.close", { type: "button", "aria-label": "Close the step", onclick: () => hide() }, "✕");
  el.replaceChildren(h("header.step-head", {}, title, close),
    h("div.step-top", {}, numbers, losses), changes, note);
  el.addEventListener("keydown", (e) => { if (e.key === "Escape") hide(); });

  function hide() {
    for (const p of el.querySelectorAll(".js-plotly-plot")) purge(p);
    el.hidden = true;
  }

  function show(w, step, from) {
    const label = w.label, L = labels[label], trace = page.trace(), before = w.lines.get("loss");
    const n = step.steps, fwd = trace.get(page.model.stages.at(-1).name);
    el.hidden = false;
    title.textContent = `After ${n} step${n > 1 ? "s" : ""} of gradient descent towards ${L}, learning rate ` +
      `${step.learning_rate}, from ${from}`;
    const row = (name, a, b) => [h("dt", {}, name), h("dd", {}, a, " → ", b)];
    numbers.replaceChildren(
      ...row("loss", val("b#step-loss-before", step.losses[0], short(step.losses[0])),
        val("b#step-loss", step.loss, short(step.loss))),
      ...row(`p(${L})`, val("b#step-p-before", before.probabilities[label], prob(before.probabilities[label])),
        val("b#step-p", step.probabilities[label], prob(step.probabilities[label]))),
      ...row("the network says", h("b", {}, `${labels[fwd.prediction]} (${prob(fwd.probabilities[fwd.prediction])})`),
        h("b#step-prediction", {}, `${labels[step.prediction]} (${prob(step.probabilities[step.prediction])})`)));
    chart(losses, [{
      type: "scatter", mode: "lines+markers", x: step.losses.map((_, i) => i), y: step.losses,
      line: { color: COLOURS.prediction, width: 3 }, marker: { size: 6 },
      hovertemplate: "after %{x} steps<br>loss %{y:.7g}<extra></extra>",
    }], {
      title: { text: "the loss, step by step", font: { size: 13 } }, showlegend: false,
      margin: { l: 52, r: 10, t: 30, b: 36 }, xaxis: { title: { text: "steps" }, dtick: n > 10 ? undefined : 1 },
      yaxis: { type: "log", nticks: LOSS_TICKS, title: { text: "loss (log scale)" } },
    });
    drawChanges(changes, page.model, trace, step.params);
    note.textContent = `Each step moves every weight by −${step.learning_rate} × its gradient: the first step by the ` +
      "gradients this walk showed, each later one by the gradients at the weights the step before left (the server " +
      `takes all ${n} from ${from}; the page keeps those). A larger learning rate moves further: too far, and the ` +
      `network learns this one digit so well it forgets the others. Reset goes back to ${from}.`;
  }
  return { show, hide };
}
