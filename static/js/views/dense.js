// Dense: each of the 10 outputs is 100 contributions (weight × input) plus a bias. Positions pick the
// output; its contributions, its strongest pushes, and its 100 weights folded back into the 4×5×5 shape.
import { h } from "../dom.js";
import { sub, rows, absMax } from "../nd.js";
import { COLOURS } from "../config.js";
import { fix, exact, signed } from "../format.js";
import { heatmap, chart } from "../plots.js";

const TOP = 3;   // how many strongest pushes up and down to name

export function mount(el, stage, ctx) {
  const [K, N] = stage.contributions.shape;
  const [C, H, W] = ctx.foldShape ?? [1, 1, N];        // the maps the vector was flattened from, if any
  const contrib = h("div.plot.dense-contrib"), logits = h("div.plot.dense-logits");
  const wmaps = Array.from({ length: C }, () => h("div.plot.dense-w"));
  const sumLine = h("p.conv-sum.dense-sum"), pushes = h("p.note.dense-push");
  el.append(h("div.dense", {},
    h("div.dense-main", {}, contrib, sumLine, pushes),
    h("div.dense-side", {}, logits, h("h3", {}, "its weights, folded back to the maps' shape"), h("div.dense-ws", {}, wmaps))));
  const cm = absMax(stage.contributions), wm = absMax(stage.params.weight);
  const labels = Array.from({ length: K }, (_, k) => ctx.labels?.[k] ?? String(k));
  const inputs = Array.from(ctx.input.data);
  const out = stage.output.data;

  function drawContributions(k, y) {
    chart(contrib, [{
      type: "bar", x: y.map((_, i) => i), y, customdata: inputs,
      marker: { color: y.map((v) => (v >= 0 ? COLOURS.positive : COLOURS.negative)) },
      hovertemplate: "input #%{x}<br>weight × input = %{y:.7g}<br>input %{customdata:.7g}<extra></extra>",
    }], {
      title: { text: `digit ${labels[k]}: the ${N} contributions weight × input`, font: { size: 13 } },
      margin: { l: 48, r: 8, t: 30, b: 30 }, bargap: 0.1,
      yaxis: { range: [-cm, cm], zeroline: true }, xaxis: { title: { text: "input position" } },
    });
  }

  function drawLogits(k) {
    chart(logits, [{
      type: "bar", x: labels, y: Array.from(out),
      marker: { color: labels.map((_, i) => (i === k ? COLOURS.prediction : COLOURS.bar)) },
      hovertemplate: "digit %{x}: logit %{y:.7g}<extra></extra>",
    }], {
      title: { text: `all ${K} logits (click one)`, font: { size: 13 } },
      margin: { l: 40, r: 8, t: 30, b: 24 }, xaxis: { type: "category" },
    });
    if (!logits.dataset.wired) {
      logits.dataset.wired = "1";
      logits.on("plotly_click", (ev) => ctx.seek(ev.points[0].pointIndex));
    }
  }

  function show(k) {
    const y = Array.from(sub(stage.contributions, k).data), w = sub(stage.params.weight, k);
    drawContributions(k, y);
    drawLogits(k);
    wmaps.forEach((p, ch) => heatmap(p, rows({ data: w.data.subarray(ch * H * W, (ch + 1) * H * W), shape: [H, W] }),
      { scale: "diverging", range: [-wm, wm], title: `channel ${ch + 1}`, name: "weight", gap: 1 }));
    const b = stage.params.bias.data[k], z = out[k];
    const sum = stage.sums ? `${fix(stage.sums.data[k])} ` : "";     // if the trace carries the sums
    sumLine.replaceChildren(`Σ ${N} contributions ${sum}+ bias `, h("b", { title: exact(b) }, fix(b)),
      " = logit ", h("b#dense-logit", { title: exact(z) }, fix(z)));
    ctx.say(`Digit ${labels[k]}: ${sumLine.textContent.replace("Σ", "sum of")}.`);
    const order = y.map((v, i) => [v, i]).sort((p, q) => q[0] - p[0]);
    const name = ([v, i]) => `#${i} (${signed(v, 3)})`;
    pushes.textContent = `Pushed ${labels[k]} up most: ${order.slice(0, TOP).map(name).join(", ")}. ` +
      `Down most: ${order.slice(-TOP).reverse().map(name).join(", ")}.`;
    ctx.caption(`Digit ${labels[k]}'s score (logit) is the sum of ${N} weight × input contributions plus its bias.`);
  }
  return { count: K, show, legend: ["diverging"] };
}
