// What a step did to the parameters: conv1's kernels before, after and their change as small heatmaps; the other
// weights' change; every bias before → after. Before: the forward trace's parameters (the weights the walk
// started from); after: the step's. The change is after − before, the one subtraction the page makes (to show it).
import { h } from "../dom.js";
import { absMax } from "../nd.js";
import { tiles } from "../tiles.js";
import { colorbar } from "../plots.js";
import { short, exact } from "../format.js";

const diff = (a, b) => ({ data: Float64Array.from(a.data, (v, i) => v - b.data[i]), shape: a.shape });
const scale = (m) => ({ scale: "diverging", range: [-m, m] });

/** Fill el with the changes of step params ({"conv1.weight": array, ...}) from the trace's. */
export function drawChanges(el, model, trace, params) {
  const layers = model.stages.filter((s) => s.kind === "conv" || s.kind === "dense");
  const flat = model.stages.findIndex((s) => s.kind === "flatten"), fold = model.stages[flat - 1]?.shape;
  const blocks = [], later = [];
  layers.forEach(({ name, kind }, n) => {
    const was = trace.get(name).params, w0 = was.weight, w1 = params[`${name}.weight`];
    const as4 = (w) => (kind === "dense" ? { data: w.data, shape: [w.shape[0], ...fold] } : w);
    const col = kind === "dense" ? (a) => model.class_labels[a] : (a) => `${kind === "conv" && n === 0 ? "kernel" : "filter"} ${a + 1}`;
    const cell = (what) => (a, b, i, j) => `${name} ${col(a)}, channel ${b + 1}, row ${i}, column ${j}<br>${what}`;
    const maps = [];
    if (n === 0) {                                  // the first layer's kernels: before and after, on one scale
      const m = absMax(w0, w1);
      for (const [what, w] of [["before", w0], ["after", w1]]) maps.push({ what, w: as4(w), m, cell: cell(what) });
    }
    const d = diff(w1, w0);
    maps.push({ what: "change", w: as4(d), m: absMax(d), cell: cell("change, after − before") });
    const plots = maps.map((p) => ({ ...p, el: h("div.plot.step-map", { "aria-label": `${name} weights, ${p.what}` }),
      bar: h("div.plot.step-bar") }));
    blocks.push(h("div.step-layer", { "data-layer": name },
      h("h4", {}, `${name}.weight`, h("span.shape", {}, ` ${w0.shape.join("×")}`)),
      h("div.step-maps", {}, plots.map((p) => h("figure.step-fig", {}, h("figcaption", {}, p.what),
        h("div.step-pair", {}, p.el, p.bar)))),
      biasTable(name, was.bias, params[`${name}.bias`])));
    later.push(() => plots.forEach((p) => {
      tiles(p.el, p.w, p.m, { col, row: (b) => `ch ${b + 1}`, cell: p.cell });
      colorbar(p.bar, scale(p.m));
    }));
  });
  el.replaceChildren(...blocks);
  later.forEach((draw) => draw());
}

/** A bias before, after and its change, one column per output. */
function biasTable(name, b0, b1) {
  const n = b0.data.length, cols = Array.from({ length: n }, (_, i) => i);
  const td = (v) => h("td.num", { title: exact(v), "data-value": v }, short(v));
  return h("div.step-bias", {}, h("table.step-bias-table", { "aria-label": `${name}.bias before and after` },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, `${name}.bias`), cols.map((i) => h("th", { scope: "col" }, String(i))))),
    h("tbody", {},
      h("tr", {}, h("th", { scope: "row" }, "before"), cols.map((i) => td(b0.data[i]))),
      h("tr", {}, h("th", { scope: "row" }, "after"), cols.map((i) => td(b1.data[i]))),
      h("tr", {}, h("th", { scope: "row" }, "change"), cols.map((i) => td(b1.data[i] - b0.data[i]))))));
}
