// Flatten: the maps unroll into one vector in channel, row, column order — the order the dense weights use.
import { h } from "../dom.js";
import { sub, rows } from "../nd.js";
import { COLOURS } from "../config.js";
import { heatmap, setShapes, box, pending, theme } from "../plots.js";
import { fix } from "../format.js";

export function mount(el, stage, ctx) {
  const input = ctx.input;                             // (C, H, W)
  const [C, H, W] = input.shape;
  const n = stage.output.shape[0];
  let m = 0;
  for (const v of input.data) m = Math.max(m, v);
  const opts = { scale: "sequential", range: [0, m || 1] };
  const maps = Array.from({ length: C }, () => h("div.plot.flat-map"));
  const vec = h("div.plot.flat-vec");
  const where = h("p.conv-sum.flat-where");
  const arrow = h("div.flat-arrow", { "aria-hidden": "true" }, "↓ unroll ↓");
  el.append(h("div.flatten", {}, h("div.flat-maps", {}, maps), arrow, vec, where));
  maps.forEach((p, c) => heatmap(p, rows(sub(input, c)), { ...opts, title: `channel ${c + 1}`, name: "value", gap: 1 }));
  heatmap(vec, [Array.from(stage.output.data)], { ...opts, name: "value", title: `the ${n}-vector`, gap: 1, free: true });

  function show(pos) {
    const c = Math.floor(pos / (H * W)), r = Math.floor((pos % (H * W)) / W), col = pos % W;
    maps.forEach((p, cc) => setShapes(p, cc === c ? [box(r, col, r, col, COLOURS.current)] : []));
    const edge = (b) => (b + 1) * H * W - 0.5;             // between the last value of map b and the first of b + 1
    const bounds = Array.from({ length: C - 1 }, (_, b) => ({ type: "line", x0: edge(b), x1: edge(b),
      y0: -0.5, y1: 0.5, line: { color: theme().fg, width: 2 } }));
    setShapes(vec, [...pending(0, pos, 1, n), ...bounds, box(0, pos, 0, pos, COLOURS.current)]);
    where.textContent = `map ${c + 1} (c = ${c}), row ${r}, column ${col} → position c·${H * W} + row·${W} + column = ` +
      `${c}·${H * W} + ${r}·${W} + ${col} = ${pos}; value ${fix(stage.output.data[pos])}`;
    ctx.say(where.textContent);
    ctx.caption(`The ${C} maps of ${H}×${W} are read channel by channel, row by row, into a line of ${n} numbers.`);
  }
  return { count: n, show, legend: ["sequential"] };
}
