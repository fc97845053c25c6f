// The backward conv view's arithmetic: per input channel a k×k grid where each cell shows δ × the input under that
// weight, the product (the walk's weight_products) and the running sum over the positions so far (accumulated),
// which ends at ∂L/∂weight; then the bias's running sum of δ. Plain HTML, updated in place; every number the walk's.
import { h } from "../../dom.js";
import { at, absMax } from "../../nd.js";
import { fix, exact } from "../../format.js";
import { diverging } from "../../colors.js";
import { num, setNum } from "./common.js";

/** Build the grids for C channels of k×k; returns {el, show(f, i, j, last) -> the position in words}. */
export function convGrid(line, input) {
  const [, oh, ow, C, k] = line.weight_products.shape;
  const m = absMax(line.weight_products);
  const cells = [], tables = [];
  for (let c = 0; c < C; c++) {
    const trs = [];
    for (let r = 0; r < k; r++) {
      const tds = [];
      for (let l = 0; l < k; l++) {
        const x = { dx: h("span.wx"), p: h("span.p"), acc: h("span.acc"), c, r, l };
        x.td = h("td.product", { "data-c": c, "data-k": r, "data-l": l }, x.dx, x.p, x.acc);
        cells.push(x);
        tds.push(x.td);
      }
      trs.push(h("tr", {}, tds));
    }
    const caption = C > 1 ? `channel ${c + 1}: δ × input, Σ so far` : "δ × input, Σ so far";
    tables.push(h("table.products", { "aria-label": `Products and running sums, ${caption}` },
      h("caption", {}, caption), h("tbody", {}, trs)));
  }
  const delta = num(0, "b#bconv-delta"), bias = num(0, "b#bconv-bias"), done = h("span.bconv-done");
  const el = h("div.conv-math.bconv-math", {}, h("div.conv-tables", {}, tables),
    h("p.conv-sum", {}, "δ = ∂L/∂output here: ", delta),
    h("p.conv-sum", {}, "bias: Σ δ so far ", bias, " ", done));

  function show(f, i, j, last) {
    const d = at(line.grad_output, f, i, j);
    for (const x of cells) {
      const xv = at(input, x.c, i + x.r, j + x.l), pv = at(line.weight_products, f, i, j, x.c, x.r, x.l);
      const av = at(line.accumulated, f, i, j, x.c, x.r, x.l);
      x.dx.textContent = `${fix(d, 3)}×${fix(xv, 2)}`;
      x.p.textContent = fix(pv);
      x.acc.textContent = `Σ ${fix(av)}`;
      x.td.title = `δ ${exact(d)} × input ${exact(xv)} = ${exact(pv)}\nrunning sum over the positions so far ${exact(av)}`;
      x.td.dataset.value = pv;
      x.acc.dataset.value = av;
      const col = diverging(pv, m);
      x.td.style.background = col.bg;
      x.td.style.color = col.fg;
    }
    setNum(delta, d);
    setNum(bias, at(line.bias_accumulated, f, i, j));
    done.textContent = last ? `= ∂L/∂bias of filter ${f + 1}; the Σ above are its ∂L/∂weights` : "";
    return `delta ${fix(d)} times the ${C * k * k} inputs under the kernel; running sums updated`;
  }
  return { el, show };
}
