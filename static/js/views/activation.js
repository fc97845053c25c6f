// Shared by relu and sigmoid: each channel before and after, and the function's curve with this map's
// values marked on it (x = value in, y = value out, both read from the trace).
import { h } from "../dom.js";
import { sub, rows } from "../nd.js";
import { heatmap, chart } from "../plots.js";
import { COLOURS } from "../config.js";

/**
 * opts: {before: {scale, range}, after: {scale, range}, curve: [xs, ys], name}.
 * Returns the plot elements so the caller can add a note.
 */
export function activationView(el, stage, input, opts) {
  const [C] = stage.output.shape;
  const before = [], after = [];
  for (let c = 0; c < C; c++) {
    const cls = c === C - 1 ? "div.plot.act-map.with-bar" : "div.plot.act-map";   // the last one carries the colour bar
    before.push(h(cls)); after.push(h(cls));
  }
  const curve = h("div.plot.act-curve");
  const note = h("p.note.act-note");
  el.append(h("div.activation", { "data-channels": C },
    h("div.act-maps", {},
      h("div.act-row", {}, h("span.row-label", {}, "before"), before),
      h("div.act-row", {}, h("span.row-label", {}, "after"), after)),
    h("div.act-side", {}, curve, note)));
  for (let c = 0; c < C; c++) {
    heatmap(before[c], rows(sub(input, c)), { ...opts.before, title: `channel ${c + 1}`, name: "in", colorbar: c === C - 1 });
    heatmap(after[c], rows(sub(stage.output, c)), { ...opts.after, name: "out", colorbar: c === C - 1 });
  }
  const [xs, ys] = opts.curve;
  chart(curve, [
    { type: "scatter", mode: "lines", x: xs, y: ys, line: { color: COLOURS.curve, width: 3 }, hoverinfo: "skip", name: opts.name },
    { type: "scatter", mode: "markers", x: Array.from(input.data), y: Array.from(stage.output.data),
      marker: { color: COLOURS.prediction, size: 6, opacity: 0.6 }, name: "this map",
      hovertemplate: "in %{x:.7g}<br>out %{y:.7g}<extra></extra>" },
  ], {
    title: { text: `${opts.name} curve, this map's ${stage.output.data.length} values`, font: { size: 13 } },
    showlegend: false, margin: { l: 44, r: 10, t: 30, b: 36 },
    xaxis: { title: { text: "in" }, zeroline: true }, yaxis: { title: { text: "out" }, zeroline: true },
  });
  return { note };
}
