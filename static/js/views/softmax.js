// Softmax, its arithmetic class by class: each logit z, z minus the largest logit, its exponential, and the
// probability as that exponential ÷ the sum of all ten. Every number is the trace's; the page computes none.
import { h } from "../dom.js";
import { COLOURS } from "../config.js";
import { chart } from "../plots.js";
import { pct, fix, short, exact } from "../format.js";

const CURRENT_LINE = 3;   // outline width of the current class's bar, in pixels

export function mount(el, stage, ctx) {
  const { probabilities: probs, logits, shifted, exponentials: exps, largest, sum, prediction: k } = stage;
  const labels = probs.map((_, i) => ctx.labels?.[i] ?? String(i));
  const m = fix(largest);
  const value = (v, text = short(v)) => h("span", { title: exact(v), "data-value": v }, text);
  const cell = (v, cls = "td.num") => h(cls, {}, value(v));
  const exp = (x) => h("span", {}, "e", h("sup", {}, x));
  const probCells = probs.map((p) => h("td.num.prob", {}, value(p), h("span.pct", {}, ` ${pct(p)}`)));
  const trs = labels.map((d, i) => h("tr", { "data-k": i }, h("th", { scope: "row" }, d),
    cell(logits[i]), cell(shifted[i]), cell(exps[i]), probCells[i]));
  const table = h("table.softmax-table", { "aria-label": "Softmax arithmetic, one row per digit" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "digit"), h("th", { scope: "col" }, "logit z"),
      h("th", { scope: "col" }, `z − ${m}`), h("th", { scope: "col" }, exp(`z − ${m}`)),
      h("th", { scope: "col" }, "÷ Σ = probability"))),
    h("tbody", {}, trs),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "Σ"), h("td"), h("td"),
      h("td.num#softmax-sum", {}, value(sum)), h("td"))));
  const line = h("p.conv-sum.softmax-line");
  const bars = h("div.plot.softmax-bars");
  el.append(h("div.softmax", {},
    h("p.softmax-formula", {}, "probability = ", exp("z − max z"), " ÷ Σ ", exp("z − max z"),
      `, where max z = ${m} is the largest logit (digit ${labels[k]}). Subtracting it changes no probability (it ` +
      "cancels in the division) but keeps every exponential ≤ 1, so none overflows: the formula every library uses."),
    h("div.softmax-body", {}, h("div.softmax-math", {}, table, line), bars),
    h("p.verdict", {}, "Prediction: ", h("b#softmax-prediction", {}, labels[k]),
      ` with probability ${pct(probs[k])} (logit ${fix(logits[k], 2)}).`)));

  function show(pos) {
    trs.forEach((tr, i) => {
      tr.classList.toggle("current", i === pos);
      tr.classList.toggle("pending", i > pos);              // its probability still to come
    });
    line.replaceChildren(`Digit ${labels[pos]}: logit `, value(logits[pos]), ` − ${m} = `, value(shifted[pos]), "; ",
      exp(short(shifted[pos])), " = ", value(exps[pos]), "; ", value(exps[pos]), " ÷ ", value(sum), " = ",
      h("b#softmax-p", { title: exact(probs[pos]), "data-value": probs[pos] }, short(probs[pos])), ` (${pct(probs[pos])})`);
    chart(bars, [{
      type: "bar", x: labels, y: probs.map((p, i) => (i <= pos ? p : null)), customdata: logits,
      text: probs.map((p, i) => (i <= pos ? pct(p) : "")), textposition: "outside", cliponaxis: false,
      marker: { color: labels.map((_, i) => (i === k ? COLOURS.prediction : COLOURS.bar)),
        line: { color: COLOURS.current, width: labels.map((_, i) => (i === pos ? CURRENT_LINE : 0)) } },
      hovertemplate: "digit %{x}<br>probability %{y:.7g}<br>logit %{customdata:.7g}<extra></extra>",
    }], {
      title: { text: "probabilities, adding up to 1", font: { size: 13 } },
      margin: { l: 48, r: 12, t: 30, b: 40 }, yaxis: { range: [0, 1.12], tickformat: ".0%" },
      xaxis: { type: "category", title: { text: "digit" } },
    });
    ctx.caption("Softmax turns the ten logits into probabilities that add up to 1.");
    ctx.say(`Digit ${labels[pos]}: logit ${short(logits[pos])} minus ${m} = ${short(shifted[pos])}; ` +
      `exp(${short(shifted[pos])}) = ${short(exps[pos])}; divided by the sum ${short(sum)} = ${short(probs[pos])}, ${pct(probs[pos])}.`);
  }
  return { count: probs.length, show, legend: [] };
}
