// Softmax: the ten logits become probabilities that add up to 1; the largest is the prediction.
import { h } from "../dom.js";
import { COLOURS } from "../config.js";
import { chart } from "../plots.js";
import { pct } from "../format.js";

export function mount(el, stage, ctx) {
  const probs = stage.probabilities, logits = stage.logits, k = stage.prediction;
  const labels = probs.map((_, i) => ctx.labels?.[i] ?? String(i));
  const plot = h("div.plot.softmax-bars");
  el.append(h("div.softmax", {}, plot,
    h("p.conv-sum", {}, "Prediction: ", h("b#softmax-prediction", {}, labels[k]), ` with probability ${pct(probs[k])}.`)));
  chart(plot, [{
    type: "bar", x: labels, y: probs, customdata: logits,
    text: probs.map(pct), textposition: "outside", cliponaxis: false,
    marker: { color: labels.map((_, i) => (i === k ? COLOURS.prediction : COLOURS.bar)) },
    hovertemplate: "digit %{x}<br>probability %{y:.7g}<br>logit %{customdata:.7g}<extra></extra>",
  }], {
    margin: { l: 48, r: 12, t: 30, b: 40 }, yaxis: { range: [0, 1.1], title: { text: "probability" }, tickformat: ".0%" },
    xaxis: { type: "category", title: { text: "digit" } },
  });
  return {
    count: 1,
    show() { ctx.caption("Softmax turns the ten scores into probabilities that add up to 1; the largest one wins."); },
    legend: [],
  };
}
