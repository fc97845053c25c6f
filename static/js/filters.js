// The filters panel: every weight of the network at the chosen checkpoint beside the final ones, each layer on one
// colour scale shared by both (how much the weights grew) or each on its own (the patterns forming).
import * as api from "./api.js";
import { absMax } from "./nd.js";
import { colorbar } from "./plots.js";
import { tiles } from "./tiles.js";
import { checkpointText } from "./checkpoints.js";
import { fix } from "./format.js";
import { h, picker, $ } from "./dom.js";

/** What each row of the panel shows: a layer's weights as (A, B, H, W) tiles, with names for hover and axes. */
function rows(model) {
  const flat = model.stages.findIndex((s) => s.kind === "flatten");
  const [C, H, W] = model.stages[flat - 1].shape;                   // the maps dense's inputs were flattened from
  const labels = model.class_labels;
  const bias = (l, a) => fix(l.bias.data[a], 3);
  const size = (w) => `${w.shape[2]}×${w.shape[3]}`;
  const convs = model.stages.filter((s) => s.kind === "conv").map(({ name }) => ({
    layer: name,
    note: (w) => (w.shape[1] > 1 ? `${w.shape[0]} filters × ${w.shape[1]} channels, ${size(w)}`
      : `${w.shape[0]} kernels ${size(w)}`),
    tiles: (w) => w, col: (a) => `filter ${a + 1}`, row: (b) => `ch ${b + 1}`,
    cell: (l) => (a, b, i, j) => `${name} filter ${a + 1} (bias ${bias(l, a)}), channel ${b + 1}<br>` +
      `row ${i}, column ${j}`,
  }));
  const dense = model.stages.filter((s) => s.kind === "dense").map(({ name }) => ({
    layer: name,
    note: () => `each digit's ${C * H * W} weights as ${C} maps ${H}×${W}`,
    tiles: (w) => ({ data: w.data, shape: [w.shape[0], C, H, W] }), col: (a) => labels[a], row: (b) => `ch ${b + 1}`,
    cell: (l) => (a, b, i, j) => `digit ${labels[a]} (bias ${bias(l, a)}) ← ${model.stages[flat - 1].name} channel ` +
      `${b + 1}<br>row ${i}, column ${j}`,
  }));
  return [...convs, ...dense];
}

/** model: /api/model; checkpoints: its list. Returns {set(id): show checkpoint id (null: the final one), draw()}. */
export function createFilters(model, checkpoints) {
  if (!checkpoints.length) return { set() {}, draw() {} };
  const panel = $("filters"), body = $("filters-body");
  const last = checkpoints[checkpoints.length - 1];                 // the final weights
  const loaded = new Map();                  // id -> promise of the checkpoint's weights, asked once
  const load = (cid) => {
    if (!loaded.has(cid)) loaded.set(cid, api.checkpoint(cid).catch((e) => { loaded.delete(cid); throw e; }));
    return loaded.get(cid);
  };
  const plan = rows(model);
  let id = null, drawn, own = false;         // own: each side on its own colour scale, not one shared by both

  const scale = picker("Colour scale", ["shared", "each its own"], (i) => { own = i === 1; scale.set(i); draw(); });
  scale.set(0);
  const head = [h("span"), h("h3.filters-now"), h("span"), h("h3", {}, `final: ${checkpointText(last)}`), h("span")];
  const cells = plan.map((r) => ({ label: h("div.filters-label", {}, h("b", {}, r.layer), h("span")),
    maps: ["at the chosen checkpoint", "final"].map((when) =>
      h("div.plot.filters-map", { "data-layer": r.layer, "aria-label": `${r.layer} weights, ${when}` })),
    bars: [0, 1].map(() => h("div.plot.filters-bar", { "data-layer": r.layer })) }));
  $("filters-scale").replaceChildren(scale.el);
  body.replaceChildren(h("div.filters-grid", {}, head,
    cells.flatMap((c) => [c.label, c.maps[0], c.bars[0], c.maps[1], c.bars[1]])));

  async function draw() {
    if (!panel.open || !window.Plotly) return;
    const want = id;
    let now, final;
    try {
      [now, final] = await Promise.all([load(want ?? last.id), load(last.id)]);
    } catch (e) {
      head[1].textContent = `The weights could not be loaded: ${e.message}`;
      return;
    }
    if (want !== id || !panel.open) return;                        // another checkpoint was picked meanwhile
    drawn = want;
    head[1].textContent = want === null ? `${checkpointText(now)}: the final one` : checkpointText(now);
    plan.forEach((r, k) => {
      const both = [now, final].map((c) => c.layers[r.layer]), c = cells[k];
      const shared = absMax(...both.map((l) => l.weight));            // compare sizes cell by cell; own: patterns
      c.label.lastChild.textContent = r.note(both[0].weight);
      both.forEach((l, j) => {
        const m = own ? absMax(l.weight) : shared;
        tiles(c.maps[j], r.tiles(l.weight), m, { col: r.col, row: r.row, cell: r.cell(l) });
        colorbar(c.bars[j], { scale: "diverging", range: [-m, m] });
      });
    });
  }

  panel.addEventListener("toggle", draw);
  panel.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !panel.open) return;
    panel.open = false;
    panel.querySelector("summary").focus();
  });
  return {
    set(newId) { id = newId; if (drawn !== id) draw(); },
    draw,
  };
}
