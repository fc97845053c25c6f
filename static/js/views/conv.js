// Convolution: the kernel window slides over the input map(s); at each position the products, their sum,
// the bias and the result landing in its output cell. Positions run filter by filter, row by row.
import { h, picker, fitFrame } from "../dom.js";
import { sub, rows, absMax } from "../nd.js";
import { COLOURS } from "../config.js";
import { heatmap, colorbar, setShapes, box, pending, onCellClick } from "../plots.js";
import { convMath } from "./conv-math.js";

export function mount(el, stage, ctx) {
  const input = ctx.input;                                 // (C, H, W): the previous stage's output
  const [F, oh, ow] = stage.output.shape;
  const [, C, k] = stage.params.weight.shape;
  const per = oh * ow;
  const isImage = ctx.inputKind === "input";
  const inRange = isImage ? [0, 1] : [0, absMax(input)];

  const filters = picker("Filter", Array.from({ length: F }, (_, f) => `${f + 1}`), (f) => ctx.seek(f * per + (shown.pos % per)));
  const inPlots = Array.from({ length: C }, () => h("div.plot.conv-in"));
  const outPlot = h("div.plot.conv-out"), bar = h("div.plot.conv-bar");
  const math = convMath(stage, input);
  const body = h("div.conv-body", {}, h("div.conv-inputs", {}, inPlots), math.el, h("div.conv-output", {}, outPlot), bar);
  el.append(h("div.conv", { "data-channels": C, style: `--channels: ${C}` }, h("div.conv-head", {}, filters.el), body));
  fitFrame(body);

  for (let c = 0; c < C; c++) {
    heatmap(inPlots[c], rows(sub(input, c)), {
      scale: isImage ? "image" : "sequential", range: inRange,
      title: C > 1 ? `input channel ${c + 1}` : "input", name: "pixel",
    });
  }
  onCellClick(outPlot, (r, c) => ctx.seek(shown.f * per + r * ow + c));
  const shown = { f: -1, pos: -1 };

  function show(pos) {
    const f = Math.floor(pos / per), i = Math.floor((pos % per) / ow), j = pos % ow;
    if (f !== shown.f) {
      const map = sub(stage.output, f), m = absMax(map);       // each filter's own range, still centred on zero
      heatmap(outPlot, rows(map), { scale: "diverging", range: [-m, m], title: `output of filter ${f + 1}`, name: "output" });
      colorbar(bar, { scale: "diverging", range: [-m, m], titled: true });
      filters.set(f);
    }
    shown.f = f; shown.pos = pos;
    for (const p of inPlots) setShapes(p, [box(i, j, i + k - 1, j + k - 1, COLOURS.window)]);
    setShapes(outPlot, [...pending(i, j, oh, ow), box(i, j, i, j, COLOURS.current)]);
    ctx.say(`Filter ${f + 1}, row ${i}, column ${j}: ${math.show(f, i, j)}.`);
    const both = C > 1 ? `both channels' ${k}×${k} windows (${C * k * k} products)` : `the ${k}×${k} window`;
    ctx.caption(`Filter ${f + 1} at row ${i}, column ${j}: multiply ${both} by the kernel, add it all up with the bias.`);
  }

  return { count: F * per, show, legend: ["diverging", isImage ? "image" : "sequential"] };
}
