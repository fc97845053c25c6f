// Flatten backwards: nothing to compute, the 100 gradients are laid back into the maps' shape, in the order the
// forward pass unrolled them (channel, row, column).
import { h } from "../../dom.js";
import { sub, rows } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { heatmap, setShapes, box, pending } from "../../plots.js";
import { short } from "../../format.js";
import { num, gradient } from "./common.js";

export function mount(el, line, ctx) {
  const [C, H, W] = line.grad_input.shape;
  const n = line.grad_output.shape[0];
  const opts = gradient(line.grad_output);
  const vec = h("div.plot.flat-vec"), maps = Array.from({ length: C }, () => h("div.plot.flat-map"));
  const where = h("p.conv-sum.flat-where");
  el.append(h("div.flatten.bflatten", {}, vec, h("div.flat-arrow", { "aria-hidden": "true" }, "↓ fold back ↓"),
    h("div.flat-maps", {}, maps), where));
  heatmap(vec, [Array.from(line.grad_output.data)], { ...opts, name: "∂L/∂vector", title: `∂L/∂ the ${n}-vector`,
    gap: 1, free: true });
  maps.forEach((p, c) => heatmap(p, rows(sub(line.grad_input, c)), { ...opts, title: `channel ${c + 1}`,
    name: "∂L/∂input", gap: 1 }));

  function show(pos) {
    const c = Math.floor(pos / (H * W)), r = Math.floor((pos % (H * W)) / W), col = pos % W;
    setShapes(vec, [box(0, pos, 0, pos, COLOURS.current)]);
    maps.forEach((p, cc) => setShapes(p, cc < c ? [] : cc > c ? pending(-1, W - 1, H, W)
      : [...pending(r, col, H, W), box(r, col, r, col, COLOURS.current)]));
    where.replaceChildren(`∂L/∂vector[${pos}] = `, num(line.grad_output.data[pos], "b#bflat-value"),
      ` → map ${c + 1}, row ${r}, column ${col}: position ${c}·${H * W} + ${r}·${W} + ${col} = ${pos}, where the ` +
      "forward pass took it from.");
    ctx.say(`Gradient ${pos}, ${short(line.grad_output.data[pos])}, goes back to map ${c + 1}, row ${r}, column ${col}.`);
    ctx.caption(`Flatten only moved numbers, so its gradient moves them back: ${n} values into ${C} maps ${H}×${W}.`);
  }
  return { count: n, show, legend: ["gradient"] };
}
