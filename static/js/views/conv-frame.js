// Shared by conv and conv backwards: filter picker, inputs under the kernel's window, the products, the filter's map.
import { h, picker, fitFrame } from "../dom.js";
import { sub, rows, absMax } from "../nd.js";
import { COLOURS } from "../config.js";
import { heatmap, colorbar, setShapes, box, pending, onCellClick } from "../plots.js";

/** opts: {out (F, oh, ow), k, middle, root(picker, body), inTitle(c, C), inName, outTitle(f), outName, pending}. */
export function convFrame(el, ctx, opts) {
  const input = ctx.input;                                 // (C, H, W): the input of the conv
  const [F, oh, ow] = opts.out.shape, [C] = input.shape, k = opts.k;
  const per = oh * ow;
  const isImage = ctx.inputKind === "input";
  const inRange = isImage ? [0, 1] : [0, absMax(input)];

  const filters = picker("Filter", Array.from({ length: F }, (_, f) => `${f + 1}`), (f) => ctx.seek(f * per + (shown.pos % per)));
  const inPlots = Array.from({ length: C }, () => h("div.plot.conv-in"));
  const outPlot = h("div.plot.conv-out"), bar = h("div.plot.conv-bar");
  const body = h("div.conv-body", {}, h("div.conv-inputs", {}, inPlots), opts.middle, h("div.conv-output", {}, outPlot), bar);
  const root = opts.root(filters.el, body);
  el.append(root);
  fitFrame(body);

  for (let c = 0; c < C; c++) {
    heatmap(inPlots[c], rows(sub(input, c)), {
      scale: isImage ? "image" : "sequential", range: inRange, title: opts.inTitle(c, C), name: opts.inName,
    });
  }
  onCellClick(outPlot, (r, c) => ctx.seek(shown.f * per + r * ow + c));
  const shown = { f: -1, pos: -1 };

  function show(pos) {
    const f = Math.floor(pos / per), i = Math.floor((pos % per) / ow), j = pos % ow;
    if (f !== shown.f) {
      const map = sub(opts.out, f), m = absMax(map);         // each filter's own range, still centred on zero
      heatmap(outPlot, rows(map), { scale: "diverging", range: [-m, m], title: opts.outTitle(f), name: opts.outName });
      colorbar(bar, { scale: "diverging", range: [-m, m], titled: true });
      filters.set(f);
    }
    shown.f = f; shown.pos = pos;
    for (const p of inPlots) setShapes(p, [box(i, j, i + k - 1, j + k - 1, COLOURS.window)]);
    setShapes(outPlot, [...(opts.pending ? pending(i, j, oh, ow) : []), box(i, j, i, j, COLOURS.current)]);
    return [f, i, j];
  }
  return { count: F * per, root, show };
}
