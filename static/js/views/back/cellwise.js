// Shared by relu and sigmoid backwards: cell by cell (channel by channel, row by row), the gradient that came back
// times the function's slope at that cell's forward input, the chain rule's one product. The gradients in (∂L/∂ the
// output) and out (∂L/∂ the input) as maps, the slope curve with the cell's point. Every value is the walk's or the
// trace's; only the drawn curve is the slope's shape.
import { h, fitFrame } from "../../dom.js";
import { sub, rows, at } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { heatmap, chart, colorbar, setShapes, box, pending, onCellClick } from "../../plots.js";
import { gradient } from "./common.js";

const POINT = 7;          // radius in pixels of the current cell's point on the curve

/**
 * opts: {name, curve: [xs, ys] (the slope's shape), slope: {data, shape} (each cell's slope, the walk's),
 * line(c, i, j) -> the line's children for that cell, note (children)}. Returns {count, show(pos)}.
 */
export function cellwiseView(el, line, ctx, opts) {
  const [C, H, W] = line.grad_output.shape;
  const per = H * W;
  const map = (row, c) => h("div.plot.act-map", { role: "img", "aria-label": `${row}, channel ${c + 1}` });
  const ins = Array.from({ length: C }, (_, c) => map("∂L/∂output", c));
  const outs = Array.from({ length: C }, (_, c) => map("∂L/∂input", c));
  const bars = [h("div.plot.act-bar"), h("div.plot.act-bar")];
  const curve = h("div.plot.act-curve");
  const text = h("p.conv-sum.act-line.bcell-line");
  const frame = h("div.act-frame", {}, h("div.act-maps", {},
    h("span"), ins.map((_, c) => h("span.map-head", {}, `channel ${c + 1}`)), h("span"),
    h("span.row-label", {}, "∂L/∂out"), ins, bars[0],
    h("span.row-label", {}, "∂L/∂in"), outs, bars[1]));
  el.append(h("div.activation.bcell", { style: `--channels: ${C}` }, frame,
    h("div.act-side", {}, text, curve, h("p.note.act-note", {}, opts.note))));
  fitFrame(frame);

  const before = gradient(line.grad_output), after = gradient(line.grad_input);   // each its own range
  for (let c = 0; c < C; c++) {
    heatmap(ins[c], rows(sub(line.grad_output, c)), { ...before, name: "∂L/∂output" });
    heatmap(outs[c], rows(sub(line.grad_input, c)), { ...after, name: "∂L/∂input" });
    for (const p of [ins[c], outs[c]]) onCellClick(p, (i, j) => ctx.seek(c * per + i * W + j));
  }
  colorbar(bars[0], before);
  colorbar(bars[1], after);
  const xs = Array.from(ctx.input.data), [cx, cy] = opts.curve;
  chart(curve, [
    { type: "scatter", mode: "lines", x: cx, y: cy, line: { color: COLOURS.curve, width: 3 }, hoverinfo: "skip" },
    { type: "scatter", mode: "markers", x: xs, y: Array.from(opts.slope.data), marker: { color: COLOURS.prediction,
      size: 6, opacity: 0.35 }, hovertemplate: "input %{x:.7g}<br>slope %{y:.7g}<extra></extra>" },
  ], {
    title: { text: `${opts.name} slope at each input`, font: { size: 13 } },
    showlegend: false, margin: { l: 44, r: 10, t: 30, b: 36 },
    xaxis: { title: { text: "forward input" }, zeroline: true }, yaxis: { title: { text: "slope" }, zeroline: true },
  });

  const shown = { c: -1 };
  function show(pos) {
    const c = Math.floor(pos / per), i = Math.floor((pos % per) / W), j = pos % W;
    for (let k = 0; k < C; k++) {                          // on a new channel every map, else only this one
      if (k !== c && c === shown.c) continue;
      setShapes(ins[k], k === c ? [box(i, j, i, j, COLOURS.window)] : []);
      setShapes(outs[k], k < c ? [] : k > c ? pending(-1, W - 1, H, W)
        : [...pending(i, j, H, W), box(i, j, i, j, COLOURS.current)]);
    }
    shown.c = c;
    const x = at(ctx.input, c, i, j), y = at(opts.slope, c, i, j);
    setShapes(curve, [{ type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel", xanchor: x,
      yanchor: y, x0: -POINT, x1: POINT, y0: -POINT, y1: POINT, line: { color: COLOURS.current, width: 2 },
      fillcolor: COLOURS.current }]);
    text.replaceChildren(h("span.act-where", {}, `Channel ${c + 1}, row ${i}, column ${j}: `), ...opts.line(c, i, j));
    ctx.say(text.textContent);
  }
  return { count: C * per, show };
}
