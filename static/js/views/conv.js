// Convolution: the kernel window slides over the input map(s); at each position the products, their sum,
// the bias and the result landing in its output cell. Positions run filter by filter, row by row.
import { h } from "../dom.js";
import { convFrame } from "./conv-frame.js";
import { convMath } from "./conv-math.js";

export function mount(el, stage, ctx) {
  const [, C, k] = stage.params.weight.shape;
  const math = convMath(stage, ctx.input);
  const view = convFrame(el, ctx, {
    out: stage.output, k, middle: math.el, pending: true,
    root: (filters, body) => h("div.conv", { "data-channels": C, style: `--channels: ${C}` }, h("div.conv-head", {}, filters), body),
    inTitle: (c) => (C > 1 ? `input channel ${c + 1}` : "input"), inName: "pixel",
    outTitle: (f) => `output of filter ${f + 1}`, outName: "output",
  });

  function show(pos) {
    const [f, i, j] = view.show(pos);
    ctx.say(`Filter ${f + 1}, row ${i}, column ${j}: ${math.show(f, i, j)}.`);
    const both = C > 1 ? `both channels' ${k}×${k} windows (${C * k * k} products)` : `the ${k}×${k} window`;
    ctx.caption(`Filter ${f + 1} at row ${i}, column ${j}: multiply ${both} by the kernel, add it all up with the bias.`);
  }

  return { count: view.count, show, legend: ["diverging", ctx.inputKind === "input" ? "image" : "sequential"] };
}
