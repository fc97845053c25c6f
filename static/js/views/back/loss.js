// The loss: how far the network's answer is from the label, L = −log p[label], read from the walk's first line;
// where the backward walk starts.
import { h } from "../../dom.js";
import { COLOURS } from "../../config.js";
import { chart } from "../../plots.js";
import { pct, short } from "../../format.js";
import { num, sureText } from "./common.js";

const LABEL_LINE = 3;     // outline width of the label's bar, in pixels

export function mount(el, line, ctx) {
  const { label, loss, probabilities: p } = line;
  const labels = ctx.labels, L = labels[label], k = ctx.forward.prediction;
  const sure = sureText(line, labels);
  const bars = h("div.plot.bloss-bars");
  el.append(h("div.bloss", {},
    h("div.bloss-main", {},
      h("p.conv-sum.bloss-line", {}, `L = −log p[${L}] = −log `, num(p[label], "b#bloss-p"), " = ",
        num(loss, "b#bloss-loss")),
      h("p.bloss-words", {}, `The network gives ${L} ${pct(p[label])}`,
        k === label ? " and reads it as that digit." : ` and reads the digit as ${labels[k]} (${pct(p[k])}).`),
      sure ? h("p.verdict.bloss-sure", {}, sure) : null,
      h("p.note", {}, `The loss is 0 when the network gives ${L} 100%, and grows without end as p[${L}] goes to 0: ` +
        "−log of a small probability is large. It is the number training makes smaller."),
      h("p.note", {}, "Walking back, from softmax to the input, each stage takes ∂L/∂(its output), the gradient the " +
        "stage after it passed back, and passes back ∂L/∂(its input) by the chain rule — with its own real numbers " +
        "on the way. Where a stage has weights, it also gets ∂L/∂(each weight): what one step of training uses.")),
    bars));

  chart(bars, [{
    type: "bar", x: labels, y: p, text: p.map((v) => pct(v)), textposition: "outside", cliponaxis: false,
    marker: { color: labels.map((_, i) => (i === k ? COLOURS.prediction : COLOURS.bar)),
      line: { color: COLOURS.current, width: labels.map((_, i) => (i === label ? LABEL_LINE : 0)) } },
    hovertemplate: "digit %{x}<br>probability %{y:.7g}<extra></extra>",
  }], {
    title: { text: `probabilities; the label ${L} outlined`, font: { size: 13 } },
    margin: { l: 48, r: 12, t: 30, b: 40 }, yaxis: { range: [0, 1.12], tickformat: ".0%" },
    xaxis: { type: "category", title: { text: "digit" } },
  });
  return {
    count: 1,
    show() {
      ctx.caption(`The loss of this digit towards ${L}: minus the log of the probability the network gives ${L}.`);
      ctx.say(`Loss towards ${L}: minus log of ${short(p[label])} = ${short(loss)}.`);
    },
    legend: [],
  };
}
