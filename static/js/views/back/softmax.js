// Softmax backwards, class by class: the loss looks only at p[label] (∂L/∂p = −1/p there, 0 elsewhere), and through
// the softmax each logit's gradient comes out as p − y, y the one-hot label. Every number is the walk's.
import { h } from "../../dom.js";
import { COLOURS } from "../../config.js";
import { chart } from "../../plots.js";
import { short, pct } from "../../format.js";
import { num, setNum, sureText } from "./common.js";

export function mount(el, line, ctx) {
  const { probabilities: p, onehot: y, label } = line;
  const g = Array.from(line.grad_input.data), dp = line.grad_output.data[label];
  const labels = ctx.labels, L = labels[label];
  const sure = sureText(ctx.loss, labels);
  const trs = labels.map((d, i) => h("tr", { "data-k": i }, h("th", { scope: "row" }, d),
    h("td.num", {}, num(p[i]), h("span.pct", {}, ` ${pct(p[i])}`)), h("td.num", {}, num(y[i], "span", String(y[i]))),
    h("td.num.grad", {}, num(g[i]))));
  const table = h("table.softmax-table.bsoft-table", { "aria-label": "p − y, one row per digit" },
    h("thead", {}, h("tr", {}, ...["digit", "probability p", `y (${L} is 1)`, "p − y = ∂L/∂z"]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, trs));
  const parts = [h("span"), num(0), num(0), num(0, "b#bsoft-grad")];
  const step = h("p.conv-sum.softmax-line.bsoft-line", {}, parts[0], ": p ", parts[1], " − y ", parts[2], " = ", parts[3]);
  const bars = h("div.plot.softmax-bars");
  el.append(h("div.softmax.bsoft", {},
    h("p.softmax-formula", {}, "The loss L = −log p[", L, "] looks at one probability: ∂L/∂p[", L, "] = −1/p[", L,
      "] = ", num(dp, "b#bsoft-dp"), ", and 0 for every other digit. Carried through the softmax (every p depends ",
      "on every logit z), that gives each logit's gradient simply p − y: y is 1 for ", L, " and 0 elsewhere."),
    h("div.softmax-body", {}, h("div.softmax-math", {}, table, step), bars),
    sure ? h("p.verdict.bloss-sure", {}, sure) : h("p.note", {}, `Positive: that logit was too high, and training ` +
      `lowers it; negative (only ${L}'s): too low, raised.`)));

  function show(pos) {
    trs.forEach((tr, i) => {
      tr.classList.toggle("current", i === pos);
      tr.classList.toggle("pending", i > pos);
    });
    parts[0].textContent = `Digit ${labels[pos]}`;
    setNum(parts[1], p[pos]);
    setNum(parts[2], y[pos], String(y[pos]));
    setNum(parts[3], g[pos]);
    chart(bars, [{
      type: "bar", x: labels, y: g.map((v, i) => (i <= pos ? v : null)),
      marker: { color: g.map((v) => (v >= 0 ? COLOURS.positive : COLOURS.negative)),
        line: { color: COLOURS.current, width: labels.map((_, i) => (i === pos ? 3 : 0)) } },
      hovertemplate: "digit %{x}<br>p − y = %{y:.7g}<extra></extra>",
    }], {
      title: { text: "∂L/∂z = p − y, the logits' gradient", font: { size: 13 } },
      margin: { l: 48, r: 12, t: 30, b: 40 }, yaxis: { range: [-1.05, 1.05], zeroline: true },
      xaxis: { type: "category", title: { text: "digit" } },
    });
    ctx.caption("Backwards through softmax and the loss: each logit's gradient is its probability minus the label's one-hot.");
    ctx.say(`Digit ${labels[pos]}: p ${short(p[pos])} minus y ${y[pos]} = ${short(g[pos])}.`);
  }
  return { count: p.length, show, legend: [] };
}
