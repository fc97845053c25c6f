// conv2 backwards, the other gradient: ∂L/∂ its input, passed back to pool1. A cell of the input was under up to
// F·k·k weights as the windows slid; its gradient is the sum of weight × δ over those (the walk's input_products).
// Click a cell of the maps to see its sum.
import { h } from "../../dom.js";
import { sub, rows, at } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { fix, exact, short } from "../../format.js";
import { heatmap, colorbar, setShapes, box, onCellClick } from "../../plots.js";
import { diverging } from "../../colors.js";
import { num, setNum, gradient } from "./common.js";

/** line: conv2's backward line; w: its forward weight (F, C, k, k); name: where the gradient goes. {el, draw()}. */
export function inputPanel(line, w, name) {
  const [C, H, W, F, k] = line.input_products.shape;
  const [, oh, ow] = line.grad_output.shape;
  const opts = gradient(line.grad_input);
  const maps = Array.from({ length: C }, () => h("div.plot.bconv-in-map"));
  const bar = h("div.plot.bconv-in-bar");
  const cells = [];
  const tables = Array.from({ length: F }, (_, f) => h("table.products.bconv-in-table", { "aria-label": `filter ${f + 1}` },
    h("caption", {}, `filter ${f + 1}`), h("tbody", {}, Array.from({ length: k }, (_, a) => h("tr", {},
      Array.from({ length: k }, (_, b) => {
        const td = h("td.product.bconv-in-cell", { "data-f": f, "data-a": a, "data-b": b });
        cells.push({ td, f, a, b });
        return td;
      }))))));
  const sum = num(0, "b#bconv-in-sum"), where = h("span");
  const el = h("div.bconv-in", {},
    h("h3", {}, `∂L/∂input, passed back to ${name}: each cell sums weight × δ over the windows that covered it. ` +
      "Click a cell for its sum."),
    h("div.bconv-in-body", {}, h("div.bconv-in-maps", {}, maps), bar,
      h("div.bconv-in-math", {}, h("div.bconv-in-tables", {}, tables),
        h("p.conv-sum", {}, where, " = Σ weight × δ = ", sum))));
  let m = 0;
  for (const v of line.input_products.data) m = Math.max(m, Math.abs(v));
  let chosen = null;

  function select(c, y, x) {
    chosen = [c, y, x];
    maps.forEach((p, cc) => setShapes(p, cc === c ? [box(y, x, y, x, COLOURS.current)] : []));
    for (const cell of cells) {
      const { f, a, b, td } = cell, i = y - a, j = x - b, under = i >= 0 && i < oh && j >= 0 && j < ow;
      const pv = at(line.input_products, c, y, x, f, a, b);
      td.textContent = under ? fix(pv) : "·";
      td.dataset.value = pv;
      td.title = under ? `weight ${exact(at(w, f, c, a, b))} × δ ${exact(at(line.grad_output, f, i, j))} (output row ${i}, ` +
        `column ${j}) = ${exact(pv)}` : `no window of filter ${f + 1} put this weight here`;
      const col = under ? diverging(pv, m) : { bg: "transparent", fg: "" };
      td.style.background = col.bg;
      td.style.color = col.fg;
    }
    where.textContent = `∂L/∂input (channel ${c + 1}, row ${y}, column ${x})`;
    setNum(sum, at(line.grad_input, c, y, x));
    return `channel ${c + 1}, row ${y}, column ${x}: ${short(at(line.grad_input, c, y, x))}`;
  }

  function draw() {
    maps.forEach((p, c) => {
      heatmap(p, rows(sub(line.grad_input, c)), { ...opts, title: `channel ${c + 1}`, name: "∂L/∂input" });
      onCellClick(p, (y, x) => select(c, y, x));
    });
    colorbar(bar, { ...opts, titled: true });
    if (chosen) { select(...chosen); return; }
    let best = 0;                                 // start on the cell of largest gradient: one worth reading
    line.grad_input.data.forEach((v, n) => { if (Math.abs(v) > Math.abs(line.grad_input.data[best])) best = n; });
    select(Math.floor(best / (H * W)), Math.floor((best % (H * W)) / W), best % W);
  }
  return { el, draw, select };
}
