// Max pooling backwards, window by window: only the largest cell of each window (the forward trace's argmax) made the
// output, so the window's gradient δ goes to that cell and 0 to the other three. Positions run channel by channel.
import { h, picker, fitFrame } from "../../dom.js";
import { sub, rows, at } from "../../nd.js";
import { COLOURS } from "../../config.js";
import { fix, exact, short } from "../../format.js";
import { heatmap, colorbar, setShapes, box, onCellClick } from "../../plots.js";
import { num, setNum, gradient, pendingBlocks } from "./common.js";
import { windowTable } from "../pool.js";

export function mount(el, line, ctx) {
  const input = ctx.input;                                 // the forward pass's input of the pool
  const [C, oh, ow] = line.grad_output.shape, [, H, W] = line.grad_input.shape;
  const k = H / oh, per = oh * ow;
  const opts = gradient(line.grad_output, line.grad_input);  // one scale: the same numbers, moved
  const chans = picker("Channel", Array.from({ length: C }, (_, c) => `${c + 1}`), (c) => ctx.seek(c * per + (shown.pos % per)));
  const outPlot = h("div.plot.pool-in"), inPlot = h("div.plot.pool-out"), bar = h("div.plot.pool-bar");
  const fwd = windowTable(k, "forward: the window", { cls: "bpool-fwd" });
  const back = windowTable(k, "backward: the gradient", { cls: "bpool-back" });
  const delta = num(0, "b#bpool-delta");
  const body = h("div.pool-body", {}, outPlot,
    h("div.pool-math.bpool-math", {}, fwd.el, h("p.conv-sum", {}, "δ ", delta, " ↓ to the largest"), back.el),
    inPlot, bar);
  el.append(h("div.pool.bpool", {}, h("div.conv-head", {}, chans.el), body));
  fitFrame(body);
  colorbar(bar, { ...opts, titled: true });
  onCellClick(outPlot, (r, c) => ctx.seek(shown.c * per + r * ow + c));
  const shown = { c: -1, pos: 0 };

  function show(pos) {
    const c = Math.floor(pos / per), i = Math.floor((pos % per) / ow), j = pos % ow;
    if (c !== shown.c) {
      heatmap(outPlot, rows(sub(line.grad_output, c)), { ...opts, title: `∂L/∂pooled, channel ${c + 1}`, name: "δ" });
      heatmap(inPlot, rows(sub(line.grad_input, c)), { ...opts, title: `∂L/∂${ctx.inputName}, channel ${c + 1}`,
        name: "∂L/∂input" });
      chans.set(c);
    }
    shown.c = c; shown.pos = pos;
    const arg = at(line.argmax, c, i, j), ma = Math.floor(arg / k), mb = arg % k, r0 = i * k, c0 = j * k;
    setShapes(outPlot, [box(i, j, i, j, COLOURS.current)]);
    setShapes(inPlot, [...pendingBlocks(i, j, k, H, W), box(r0, c0, r0 + k - 1, c0 + k - 1, COLOURS.window),
      box(r0 + ma, c0 + mb, r0 + ma, c0 + mb, COLOURS.maximum)]);
    const values = [];
    fwd.tds.forEach((td, n) => {
      const a = Math.floor(n / k), b = n % k, v = at(input, c, r0 + a, c0 + b), g = at(line.grad_input, c, r0 + a, c0 + b);
      const max = a === ma && b === mb;
      td.textContent = fix(v); td.title = exact(v);
      td.classList.toggle("max", max);
      back.tds[n].replaceChildren(num(g));
      back.tds[n].classList.toggle("max", max);
      values.push(fix(v));
    });
    setNum(delta, at(line.grad_output, c, i, j));
    ctx.say(`Channel ${c + 1}, window at row ${r0}, column ${c0}: ${values.join(", ")}; the largest, at row ` +
      `${r0 + ma}, column ${c0 + mb}, gets the gradient ${short(at(line.grad_output, c, i, j))}, the others 0.`);
    ctx.caption(`Channel ${c + 1}, window at row ${r0}, column ${c0}: its gradient goes back to its largest cell only.`);
  }
  return { count: C * per, show, legend: ["gradient"] };
}
