// Shared by relu and sigmoid: the maps before and after, cell by cell (channel by channel, row by row, as the
// conv output): the current cell outlined in both, the after maps filling in, its point marked on the curve.
// Every value shown is read from the trace; only the drawn curve is the function's shape.
import { h } from "../dom.js";
import { at } from "../nd.js";
import { COLOURS } from "../config.js";
import { exact, short } from "../format.js";
import { chart, setShapes } from "../plots.js";
import { cellMaps, dot } from "./cell-maps.js";

const PAD = 0.05;         // room around the curve, as a fraction of each axis's span

/**
 * opts: {name, before: {scale, range}, after: {scale, range}, curve: [xs, ys], out(x, y) -> [before the
 * output, the output, after it]}, e.g. ["σ = ", "0.8668", ""]. Returns {count, show(pos), note}.
 */
export function activationView(el, stage, ctx, opts) {
  const input = ctx.input;                                 // (C, H, W): the previous stage's output
  const C = stage.output.shape[0];
  const maps = cellMaps(ctx,
    { data: input, label: "before", aria: `before ${opts.name}`, name: "in", scale: opts.before },
    { data: stage.output, label: "after", aria: `after ${opts.name}`, name: "out", scale: opts.after });
  const curve = h("div.plot.act-curve");
  const where = h("span.act-where"), xEl = h("b#act-in"), pre = h("span"), yEl = h("b#act-out"), post = h("span");
  const line = h("p.conv-sum.act-line", {}, where, xEl, " → ", pre, yEl, post);
  const note = h("p.note.act-note");
  el.append(h("div.activation", { style: `--channels: ${C}` }, maps.frame, h("div.act-side", {}, line, curve, note)));
  maps.draw();
  const [xs, ys] = opts.curve;
  chart(curve, [
    { type: "scatter", mode: "lines", x: xs, y: ys, line: { color: COLOURS.curve, width: 3 }, hoverinfo: "skip", name: opts.name },
    { type: "scatter", mode: "markers", x: Array.from(input.data), y: Array.from(stage.output.data),
      marker: { color: COLOURS.prediction, size: 6, opacity: 0.35 }, name: "this map",
      hovertemplate: "in %{x:.7g}<br>out %{y:.7g}<extra></extra>" },
  ], {
    title: { text: `${opts.name} curve, the map's ${stage.output.data.length} values`, font: { size: 13 } },
    showlegend: false, margin: { l: 44, r: 10, t: 30, b: 36 },
    xaxis: { title: { text: "in" }, zeroline: true, range: padded(xs) },
    yaxis: { title: { text: "out" }, zeroline: true, range: padded(ys) },
  });

  function show(pos) {
    const [c, i, j] = maps.show(pos);
    const x = at(input, c, i, j), y = at(stage.output, c, i, j);
    setShapes(curve, point(x, y));
    const [a, b, d] = opts.out(x, y);
    where.textContent = `Channel ${c + 1}, row ${i}, column ${j}: `;
    xEl.textContent = short(x); xEl.title = exact(x); xEl.dataset.value = x;
    pre.textContent = a; yEl.textContent = b; post.textContent = d;
    yEl.title = exact(y); yEl.dataset.value = y;
    ctx.say(line.textContent);
  }
  return { count: maps.count, show, note };
}

/** The curve's dotted guides from both axes to (x, y), and the point itself. */
function point(x, y) {
  const guide = { type: "line", xref: "x", yref: "y", line: { color: COLOURS.current, width: 2, dash: "dot" }, layer: "above" };
  return [
    { ...guide, x0: x, x1: x, y0: 0, y1: y },
    { ...guide, x0: 0, x1: x, y0: y, y1: y },
    dot(x, y),
  ];
}

function padded(v) {
  const lo = Math.min(...v), hi = Math.max(...v), p = PAD * (hi - lo || 1);
  return [lo - p, hi + p];
}
