// Shared by relu and sigmoid: the maps before and after, cell by cell (channel by channel, row by row, as the
// conv output): the current cell outlined in both, the after maps filling in, its point marked on the curve.
// Every value shown is read from the trace; only the drawn curve is the function's shape.
import { h, fitFrame } from "../dom.js";
import { sub, rows, at } from "../nd.js";
import { COLOURS } from "../config.js";
import { exact, short } from "../format.js";
import { heatmap, chart, colorbar, setShapes, box, pending, onCellClick } from "../plots.js";

const POINT = 7;          // radius in pixels of the current value's point on the curve
const PAD = 0.05;         // room around the curve, as a fraction of each axis's span

/**
 * opts: {name, before: {scale, range}, after: {scale, range}, curve: [xs, ys], out(x, y) -> [before the
 * output, the output, after it]}, e.g. ["σ = ", "0.8668", ""]. Returns {count, show(pos), note}.
 */
export function activationView(el, stage, ctx, opts) {
  const input = ctx.input;                                 // (C, H, W): the previous stage's output
  const [C, H, W] = stage.output.shape;
  const per = H * W;
  const map = (row, c) => h("div.plot.act-map", { role: "img", "aria-label": `${row} ${opts.name}, channel ${c + 1}` });
  const before = Array.from({ length: C }, (_, c) => map("before", c));
  const after = Array.from({ length: C }, (_, c) => map("after", c));
  const bars = [h("div.plot.act-bar"), h("div.plot.act-bar")];
  const curve = h("div.plot.act-curve");
  const where = h("span.act-where"), xEl = h("b#act-in"), pre = h("span"), yEl = h("b#act-out"), post = h("span");
  const line = h("p.conv-sum.act-line", {}, where, xEl, " → ", pre, yEl, post);
  const note = h("p.note.act-note");
  const frame = h("div.act-frame", {}, h("div.act-maps", {},
    h("span"), before.map((_, c) => h("span.map-head", {}, `channel ${c + 1}`)), h("span"),
    h("span.row-label", {}, "before"), before, bars[0],
    h("span.row-label", {}, "after"), after, bars[1]));
  el.append(h("div.activation", { style: `--channels: ${C}` }, frame, h("div.act-side", {}, line, curve, note)));
  fitFrame(frame);

  for (let c = 0; c < C; c++) {
    heatmap(before[c], rows(sub(input, c)), { ...opts.before, name: "in" });
    heatmap(after[c], rows(sub(stage.output, c)), { ...opts.after, name: "out" });
    for (const p of [before[c], after[c]]) onCellClick(p, (i, j) => ctx.seek(c * per + i * W + j));   // that cell
  }
  colorbar(bars[0], opts.before);
  colorbar(bars[1], opts.after);
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

  const shown = { c: -1 };
  function show(pos) {
    const c = Math.floor(pos / per), i = Math.floor((pos % per) / W), j = pos % W;
    const x = at(input, c, i, j), y = at(stage.output, c, i, j);
    for (let k = 0; k < C; k++) {                          // on a new channel every map, else only this one
      if (k !== c && c === shown.c) continue;
      setShapes(before[k], k === c ? [box(i, j, i, j, COLOURS.window)] : []);
      setShapes(after[k], k < c ? [] : k > c ? pending(-1, W - 1, H, W)      // a later channel: still blank
        : [...pending(i, j, H, W), box(i, j, i, j, COLOURS.current)]);
    }
    shown.c = c;
    setShapes(curve, point(x, y));
    const [a, b, d] = opts.out(x, y);
    where.textContent = `Channel ${c + 1}, row ${i}, column ${j}: `;
    xEl.textContent = short(x); xEl.title = exact(x); xEl.dataset.value = x;
    pre.textContent = a; yEl.textContent = b; post.textContent = d;
    yEl.title = exact(y); yEl.dataset.value = y;
    ctx.say(line.textContent);
  }
  return { count: C * per, show, note };
}

/** The curve's dotted guides from both axes to (x, y), and the point itself. */
function point(x, y) {
  const guide = { type: "line", xref: "x", yref: "y", line: { color: COLOURS.current, width: 2, dash: "dot" }, layer: "above" };
  return [
    { ...guide, x0: x, x1: x, y0: 0, y1: y },
    { ...guide, x0: 0, x1: x, y0: y, y1: y },
    { type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel", xanchor: x, yanchor: y,
      x0: -POINT, x1: POINT, y0: -POINT, y1: POINT, line: { color: COLOURS.current, width: 2 }, fillcolor: COLOURS.current },
  ];
}

function padded(v) {
  const lo = Math.min(...v), hi = Math.max(...v), p = PAD * (hi - lo || 1);
  return [lo - p, hi + p];
}
