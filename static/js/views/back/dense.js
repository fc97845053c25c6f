// Dense backwards, one input at a time: input i's gradient is the sum over the 10 digits of weight[k, i] × δ[k]
// (the walk's products), filling ∂L/∂input folded back to the maps' shape; beside it the weights' gradient δ ⊗ x.
import { h } from "../../dom.js";
import { rows, at, absMax } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { heatmap, setShapes, box, pending } from "../../plots.js";
import { short } from "../../format.js";
import { diverging } from "../../colors.js";
import { num, setNum, gradient } from "./common.js";

export function mount(el, line, ctx) {
  const [K, N] = line.products.shape;
  const [C, H, W] = ctx.foldShape ?? [1, 1, N];
  const w = ctx.forward.params.weight, d = line.grad_output.data, x = ctx.input.data, gi = line.grad_input.data;
  const labels = Array.from({ length: K }, (_, k) => ctx.labels?.[k] ?? String(k));
  const m = absMax(line.products);
  const cells = labels.map(() => ({ w: num(0), p: num(0) }));
  const tds = cells.map((c) => h("td.num.bdense-p", {}, c.p));
  const trs = cells.map((c, k) => h("tr", { "data-k": k }, h("th", { scope: "row" }, labels[k]),
    h("td.num", {}, c.w), h("td.num", {}, num(d[k])), tds[k]));
  const total = num(0), sum = num(0, "b#bdense-sum"), which = h("span"), where = h("span.where");
  const table = h("table.softmax-table.bdense-table", { "aria-label": "weight × δ, one row per digit" },
    h("thead", {}, h("tr", {}, ...["digit k", "weight w[k, i]", "δ[k] = ∂L/∂z", "w × δ"]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, trs),
    h("tfoot", {}, h("tr", {}, h("th", { scope: "row" }, "Σ"), h("td"), h("td"), h("td.num", {}, total))));
  const maps = Array.from({ length: C }, () => h("div.plot.bdense-map"));
  const wgrad = h("div.plot.bdense-wgrad"), wline = h("p.note.bdense-wline");
  el.append(h("div.bdense", {},
    h("div.bdense-main", {},
      h("p.softmax-formula", {}, `Each of the ${N} inputs fed all ${K} logits, so its gradient sums what comes back ` +
        `from each of them: weight × δ over the ${K} digits.`),
      table,
      h("p.conv-sum.bdense-line", {}, "Σ ", String(K), " products = ∂L/∂input[", which, "] = ", sum, " ", where)),
    h("div.bdense-side", {},
      h("h3", {}, `∂L/∂input, folded back to the ${C} maps ${H}×${W}`), h("div.bdense-maps", {}, maps),
      h("h3", {}, "∂L/∂weights = δ ⊗ x: row k is δ[k] × every input"), wgrad, wline)));

  const opts = gradient(line.grad_input);
  maps.forEach((p, c) => heatmap(p, rows({ data: gi.subarray(c * H * W, (c + 1) * H * W), shape: [H, W] }),
    { ...opts, title: `channel ${c + 1}`, name: "∂L/∂input", gap: 1 }));
  heatmap(wgrad, rows(line.grads.weight), { ...gradient(line.grads.weight), name: "∂L/∂weight", free: true });

  function show(i) {
    const c = Math.floor(i / (H * W)), r = Math.floor((i % (H * W)) / W), col = i % W;
    cells.forEach((cell, k) => {
      const pv = at(line.products, k, i), col2 = diverging(pv, m);
      setNum(cell.w, at(w, k, i));
      setNum(cell.p, pv);
      tds[k].style.background = col2.bg;
      tds[k].style.color = col2.fg;
    });
    which.textContent = String(i);
    setNum(sum, gi[i]);
    setNum(total, gi[i]);
    where.textContent = C > 1 ? `(channel ${c + 1}, row ${r}, column ${col})` : "";
    maps.forEach((p, cc) => setShapes(p, cc < c ? [] : cc > c ? pending(-1, W - 1, H, W)
      : [...pending(r, col, H, W), box(r, col, r, col, COLOURS.current)]));
    setShapes(wgrad, [box(0, i, K - 1, i, COLOURS.window, 2)]);
    wline.replaceChildren(`Column ${i}: each δ[k] × its input x[${i}] = `, num(x[i]),
      ` (the weights' gradient; the bias's is δ itself). ${x[i] === 0 ? "An input of 0 gives its weights no gradient." : ""}`);
    ctx.caption(`Input ${i}'s gradient: the ${K} digits' δ, each times the weight that joins them, added up.`);
    ctx.say(`Input ${i}: sum of ${K} products weight times delta = ${short(gi[i])}.`);
  }
  return { count: N, show, legend: ["gradient"] };
}
