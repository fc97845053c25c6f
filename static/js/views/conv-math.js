// The conv view's arithmetic panel: per input channel a k x k grid of weight x pixel = product, then
// sum + bias = result. Plain HTML, updated in place each frame; every number is read from the trace.
import { h } from "../dom.js";
import { at } from "../nd.js";
import { fix, exact } from "../format.js";
import { diverging } from "../colors.js";

/** Build the tables for C channels of k x k; returns {el, show(f, i, j) -> the sum in words}. */
export function convMath(stage, input) {
  const [F, , , C, k] = stage.products.shape;
  const w = stage.params.weight, b = stage.params.bias;
  let m = 0;
  for (const v of stage.products.data) m = Math.max(m, Math.abs(v));
  const cells = [];
  const tables = [];
  for (let c = 0; c < C; c++) {
    const rows = [];
    for (let r = 0; r < k; r++) {
      const tds = [];
      for (let l = 0; l < k; l++) {
        const wx = h("span.wx");
        const p = h("span.p");
        const td = h("td.product", { "data-c": c, "data-k": r, "data-l": l }, wx, p);
        cells.push({ td, wx, p, c, r, l });
        tds.push(td);
      }
      rows.push(h("tr", {}, tds));
    }
    const caption = C > 1 ? `channel ${c + 1}: weight × pixel` : "weight × pixel";
    tables.push(h("table.products", { "aria-label": `Products, ${caption}` }, h("caption", {}, caption), h("tbody", {}, rows)));
  }
  const sum = h("b#conv-sum"), bias = h("b#conv-bias"), result = h("b#conv-result"), where = h("span.where");
  const n = C * k * k;
  const line = h("p.conv-sum", {}, `Σ ${n} products `, sum, " + bias ", bias, " = ", result, " ", where);
  const el = h("div.conv-math", {}, h("div.conv-tables", {}, tables), line);

  function show(f, i, j) {
    for (const x of cells) {
      const wv = at(w, f, x.c, x.r, x.l), xv = at(input, x.c, i + x.r, j + x.l);
      const pv = at(stage.products, f, i, j, x.c, x.r, x.l);
      x.wx.textContent = `${fix(wv, 2)}×${fix(xv, 2)}`;
      x.p.textContent = fix(pv);
      x.td.title = `weight ${exact(wv)} × pixel ${exact(xv)} = ${exact(pv)}`;
      x.td.dataset.value = pv;
      const col = diverging(pv, m);
      x.td.style.background = col.bg;
      x.td.style.color = col.fg;
    }
    const s = at(stage.sums, f, i, j), bv = b.data[f], o = at(stage.output, f, i, j);
    sum.textContent = fix(s); sum.title = exact(s); sum.dataset.value = s;
    bias.textContent = fix(bv); bias.title = exact(bv); bias.dataset.value = bv;
    result.textContent = fix(o); result.title = exact(o); result.dataset.value = o;
    where.textContent = `→ output cell (row ${i}, column ${j})`;
    return `sum of ${n} products ${fix(s)} + bias ${fix(bv)} = ${fix(o)}`;
  }
  return { el, show };
}
