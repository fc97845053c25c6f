// Convolution backwards, position by position in the forward view's order (filter by filter, row by row): the
// output cell's δ times the input window under the kernel gives each weight's share, and their running sums grow
// into ∂L/∂weights; the bias's is the running sum of δ. conv2 also passes a gradient back to its input (clickable).
import { h, picker } from "../../dom.js";
import { convFrame } from "../conv-frame.js";
import { convGrid } from "./conv-grid.js";
import { inputPanel } from "./conv-input.js";

export function mount(el, line, ctx) {
  const [, C, k] = line.grads.weight.shape;
  const [, oh, ow] = line.grad_output.shape, per = oh * ow;
  const isImage = ctx.inputKind === "input";
  const grid = convGrid(line, ctx.input);
  const back = line.input_products ? inputPanel(line, ctx.forward.params.weight, ctx.inputName) : null;
  // conv2 passes a gradient back to its input too: a second pane, in place of the walk's while shown
  const panes = back && picker("Gradient", ["of the weights", "of the input"], (n) => pane(n === 1));
  const view = convFrame(el, ctx, {
    out: line.grad_output, k, middle: grid.el,
    root: (filters, body) => h("div.conv.bconv", { "data-channels": C, style: `--channels: ${C}`, "data-pane": "weights" },
      h("div.conv-head", {}, filters, panes ? panes.el : h("p.note.bconv-note", {}, `∂L/∂${ctx.inputName}, the ` +
        "gradient on the pixels, is the next stage's map.")), body, back?.el),
    inTitle: (c) => (C > 1 ? `${ctx.inputName} ch ${c + 1}` : `the ${ctx.inputName}`), inName: isImage ? "pixel" : "input",
    outTitle: (f) => `δ, filter ${f + 1}`, outName: "δ = ∂L/∂output",
  });
  let drawn = false;
  function pane(input) {
    view.root.dataset.pane = input ? "input" : "weights";
    panes.set(input ? 1 : 0);
    if (input && !drawn) { drawn = true; back.draw(); }
  }
  if (panes) pane(false);

  function show(pos) {
    const [f, i, j] = view.show(pos);
    const words = grid.show(f, i, j, (pos % per) === per - 1);
    ctx.say(`Filter ${f + 1}, row ${i}, column ${j}: ${words}.`);
    ctx.caption(`Filter ${f + 1} at row ${i}, column ${j}: this output's δ times the window under each weight, ` +
      "added to that weight's running sum.");
  }
  return { count: view.count, show, legend: ["gradient", isImage ? "image" : "sequential"] };
}
