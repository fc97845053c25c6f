// Shared by relu and sigmoid backwards: cell by cell (channel by channel, row by row), the gradient that came back
// times the function's slope at that cell's forward input, the chain rule's one product. The gradients in (∂L/∂ the
// output) and out (∂L/∂ the input) as maps, the slope curve with the cell's point. Every value is the walk's or the
// trace's; only the drawn curve is the slope's shape.
import { h } from "../../dom.js";
import { at } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { chart, setShapes } from "../../plots.js";
import { cellMaps, dot } from "../cell-maps.js";
import { gradient } from "./common.js";

/**
 * opts: {name, curve: [xs, ys] (the slope's shape), slope: {data, shape} (each cell's slope, the walk's),
 * line(c, i, j) -> the line's children for that cell, note (children)}. Returns {count, show(pos)}.
 */
export function cellwiseView(el, line, ctx, opts) {
  const C = line.grad_output.shape[0];
  const maps = cellMaps(ctx,     // each its own range
    { data: line.grad_output, label: "∂L/∂out", aria: "∂L/∂output", name: "∂L/∂output", scale: gradient(line.grad_output) },
    { data: line.grad_input, label: "∂L/∂in", aria: "∂L/∂input", name: "∂L/∂input", scale: gradient(line.grad_input) });
  const curve = h("div.plot.act-curve");
  const text = h("p.conv-sum.act-line.bcell-line");
  el.append(h("div.activation.bcell", { style: `--channels: ${C}` }, maps.frame,
    h("div.act-side", {}, text, curve, h("p.note.act-note", {}, opts.note))));
  maps.draw();
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

  function show(pos) {
    const [c, i, j] = maps.show(pos);
    const x = at(ctx.input, c, i, j), y = at(opts.slope, c, i, j);
    setShapes(curve, [dot(x, y)]);
    text.replaceChildren(h("span.act-where", {}, `Channel ${c + 1}, row ${i}, column ${j}: `), ...opts.line(c, i, j));
    ctx.say(text.textContent);
  }
  return { count: maps.count, show };
}
