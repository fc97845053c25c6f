// Max pooling: the window moves over one channel, its maximum (the trace's argmax) highlighted, and the
// smaller map building up cell by cell. Positions run channel by channel, row by row.
import { h, picker, fitFrame } from "../dom.js";
import { sub, rows, at, absMax } from "../nd.js";
import { COLOURS } from "../config.js";
import { fix, exact } from "../format.js";
import { heatmap, colorbar, setShapes, box, pending, onCellClick } from "../plots.js";

/** A k×k table of the window's cells (td.pool-cell, and cls if given): {tds (row by row), el}. */
export function windowTable(k, caption, { label = caption, cls = "" } = {}) {
  const tds = [];
  const trs = Array.from({ length: k }, (_, a) => h("tr", {}, Array.from({ length: k }, (_, b) => {
    const td = h(`td.pool-cell${cls ? `.${cls}` : ""}`, { "data-a": a, "data-b": b });
    tds.push(td);
    return td;
  })));
  return { tds, el: h("table.window", { "aria-label": label }, h("caption", {}, caption), h("tbody", {}, trs)) };
}

export function mount(el, stage, ctx) {
  const input = ctx.input;
  const [C, oh, ow] = stage.output.shape;
  const k = input.shape[1] / oh;                         // the pooling window (2 here), from the shapes
  const per = oh * ow;
  const signed = [...input.data].some((v) => v < 0);
  const m = absMax(input);
  const opts = signed ? { scale: "diverging", range: [-m, m] } : { scale: "sequential", range: [0, m] };

  const chans = picker("Channel", Array.from({ length: C }, (_, c) => `${c + 1}`), (c) => ctx.seek(c * per + (shown.pos % per)));
  const inPlot = h("div.plot.pool-in"), outPlot = h("div.plot.pool-out"), bar = h("div.plot.pool-bar");
  const win = windowTable(k, `${k}×${k} window`, { label: `the ${k}×${k} window` }), cells = win.tds;
  const maxEl = h("b#pool-max");
  const body = h("div.pool-body", {}, inPlot,
    h("div.pool-math", {}, win.el, h("p.conv-sum", {}, "largest: ", maxEl)), outPlot, bar);
  el.append(h("div.pool", {}, h("div.conv-head", {}, chans.el), body));
  fitFrame(body);
  colorbar(bar, { ...opts, titled: true });                 // input and output share one scale
  onCellClick(outPlot, (r, c) => ctx.seek(shown.c * per + r * ow + c));
  const shown = { c: -1, pos: 0 };

  function show(pos) {
    const c = Math.floor(pos / per), i = Math.floor((pos % per) / ow), j = pos % ow;
    if (c !== shown.c) {
      heatmap(inPlot, rows(sub(input, c)), { ...opts, title: `${ctx.inputName}, channel ${c + 1}`, name: "in" });
      heatmap(outPlot, rows(sub(stage.output, c)), { ...opts, title: `pooled, channel ${c + 1}`, name: "max" });
      chans.set(c);
    }
    shown.c = c; shown.pos = pos;
    const arg = at(stage.argmax, c, i, j), ma = Math.floor(arg / k), mb = arg % k;
    const r0 = i * k, c0 = j * k;
    setShapes(inPlot, [box(r0, c0, r0 + k - 1, c0 + k - 1, COLOURS.window),
      box(r0 + ma, c0 + mb, r0 + ma, c0 + mb, COLOURS.maximum)]);
    setShapes(outPlot, [...pending(i, j, oh, ow), box(i, j, i, j, COLOURS.current)]);
    cells.forEach((td, n) => {
      const a = Math.floor(n / k), b = n % k, v = at(input, c, r0 + a, c0 + b);
      td.textContent = fix(v);
      td.title = exact(v);
      td.classList.toggle("max", a === ma && b === mb);
    });
    const out = at(stage.output, c, i, j);
    maxEl.textContent = fix(out);
    maxEl.title = exact(out);
    ctx.say(`Channel ${c + 1}, window at row ${r0}, column ${c0}: ${cells.map((td) => td.textContent).join(", ")}; ` +
      `largest ${fix(out)}.`);
    ctx.caption(`Channel ${c + 1}, window at row ${r0}, column ${c0}: each ${k}×${k} window keeps only its largest value.`);
  }
  return { count: C * per, show, legend: [opts.scale] };
}
