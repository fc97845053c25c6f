// Convolution backwards, position by position in the forward view's order (filter by filter, row by row): the
// output cell's δ times the input window under the kernel gives each weight's share, and their running sums grow
// into ∂L/∂weights; the bias's is the running sum of δ. conv2 also passes a gradient back to its input (clickable).
import { h, picker, fitFrame } from "../../dom.js";
import { sub, rows, absMax } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { heatmap, colorbar, setShapes, box, onCellClick } from "../../plots.js";
import { convGrid } from "./conv-grid.js";
import { inputPanel } from "./conv-input.js";

export function mount(el, line, ctx) {
  const input = ctx.input;                                 // (C, H, W): the forward pass's input of the conv
  const [F, oh, ow] = line.grad_output.shape;
  const [, C, k] = line.grads.weight.shape;
  const per = oh * ow;
  const isImage = ctx.inputKind === "input";
  const inRange = isImage ? [0, 1] : [0, absMax(input)];

  const filters = picker("Filter", Array.from({ length: F }, (_, f) => `${f + 1}`), (f) => ctx.seek(f * per + (shown.pos % per)));
  const inPlots = Array.from({ length: C }, () => h("div.plot.conv-in"));
  const outPlot = h("div.plot.conv-out"), bar = h("div.plot.conv-bar");
  const grid = convGrid(line, input);
  const body = h("div.conv-body", {}, h("div.conv-inputs", {}, inPlots), grid.el, h("div.conv-output", {}, outPlot), bar);
  const back = line.input_products ? inputPanel(line, ctx.forward.params.weight, ctx.inputName) : null;
  // conv2 passes a gradient back to its input too: a second pane, in place of the walk's while shown
  const panes = back && picker("Gradient", ["of the weights", "of the input"], (n) => pane(n === 1));
  const root = h("div.conv.bconv", { "data-channels": C, style: `--channels: ${C}`, "data-pane": "weights" },
    h("div.conv-head", {}, filters.el, panes ? panes.el : h("p.note.bconv-note", {}, `∂L/∂${ctx.inputName}, the ` +
      "gradient on the pixels, is the next stage's map.")), body, back?.el);
  el.append(root);
  fitFrame(body);
  let drawn = false;
  function pane(input) {
    root.dataset.pane = input ? "input" : "weights";
    panes.set(input ? 1 : 0);
    if (input && !drawn) { drawn = true; back.draw(); }
  }
  if (panes) pane(false);

  for (let c = 0; c < C; c++) {
    heatmap(inPlots[c], rows(sub(input, c)), {
      scale: isImage ? "image" : "sequential", range: inRange,
      title: C > 1 ? `${ctx.inputName} ch ${c + 1}` : `the ${ctx.inputName}`, name: isImage ? "pixel" : "input",
    });
  }
  onCellClick(outPlot, (r, c) => ctx.seek(shown.f * per + r * ow + c));
  const shown = { f: -1, pos: -1 };

  function show(pos) {
    const f = Math.floor(pos / per), i = Math.floor((pos % per) / ow), j = pos % ow;
    if (f !== shown.f) {
      const map = sub(line.grad_output, f), m = absMax(map);
      heatmap(outPlot, rows(map), { scale: "diverging", range: [-m, m], title: `δ, filter ${f + 1}`, name: "δ = ∂L/∂output" });
      colorbar(bar, { scale: "diverging", range: [-m, m], titled: true });
      filters.set(f);
    }
    shown.f = f; shown.pos = pos;
    for (const p of inPlots) setShapes(p, [box(i, j, i + k - 1, j + k - 1, COLOURS.window)]);
    setShapes(outPlot, [box(i, j, i, j, COLOURS.current)]);
    const words = grid.show(f, i, j, (pos % per) === per - 1);
    ctx.say(`Filter ${f + 1}, row ${i}, column ${j}: ${words}.`);
    ctx.caption(`Filter ${f + 1} at row ${i}, column ${j}: this output's δ times the window under each weight, ` +
      "added to that weight's running sum.");
  }
  return { count: F * per, show, legend: ["gradient", isImage ? "image" : "sequential"] };
}
