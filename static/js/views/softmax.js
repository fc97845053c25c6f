// Softmax: the ten logits become probabilities that add up to 1; the largest is the prediction.
import { h } from "../dom.js";
import { COLOURS } from "../config.js";
import { chart } from "../plots.js";
import { pct, fix } from "../format.js";

export function mount(el, stage, ctx) {
  const probs = stage.probabilities, logits = stage.logits, k = stage.prediction;
  const labels = probs.map((_, i) => ctx.labels?.[i] ?? String(i));
  const colours = labels.map((_, i) => (i === k ? COLOURS.prediction : COLOURS.bar));
  const bars = h("div.plot.softmax-bars"), scores = h("div.plot.softmax-logits");
  el.append(h("div.softmax", {}, h("div.softmax-plots", {}, scores, bars),
    h("p.verdict", {}, "Prediction: ", h("b#softmax-prediction", {}, labels[k]),
      ` with probability ${pct(probs[k])} (logit ${fix(logits[k], 2)}).`)));
  chart(scores, [{ type: "bar", x: labels, y: logits, marker: { color: colours },
    hovertemplate: "digit %{x}<br>logit %{y:.7g}<extra></extra>" }], {
    title: { text: `in: the ${labels.length} logits (any real number)`, font: { size: 13 } },
    margin: { l: 44, r: 8, t: 30, b: 40 }, xaxis: { type: "category", title: { text: "digit" } },
  });
  chart(bars, [{
    type: "bar", x: labels, y: probs, customdata: logits,
    text: probs.map(pct), textposition: "outside", cliponaxis: false, marker: { color: colours },
    hovertemplate: "digit %{x}<br>probability %{y:.7g}<br>logit %{customdata:.7g}<extra></extra>",
  }], {
    title: { text: "out: probabilities, adding up to 1", font: { size: 13 } },
    margin: { l: 48, r: 12, t: 30, b: 40 }, yaxis: { range: [0, 1.12], tickformat: ".0%" },
    xaxis: { type: "category", title: { text: "digit" } },
  });
  return {
    count: 1,
    show() { ctx.caption("Softmax turns the ten scores into probabilities that add up to 1; the largest one wins."); },
    legend: [],
  };
}
