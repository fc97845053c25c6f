// Sigmoid backwards: δ × s(1 − s), cell by cell, s the forward output there; the slope is at most 0.25, so the
// gradient shrinks on its way back, most where the sigmoid was saturated.
import { h } from "../../dom.js";
import { at } from "../../nd.js";
import { short } from "../../format.js";
import { num } from "./common.js";
import { cellwiseView } from "./cellwise.js";
import { sigmoidCurve } from "../sigmoid.js";

export function mount(el, line, ctx) {
  const [xs, sig] = sigmoidCurve(ctx.input);
  const ys = sig.map((s) => s * (1 - s));                     // the drawn curve only
  const s = ctx.forward.output;
  const view = cellwiseView(el, line, ctx, {
    name: "sigmoid", curve: [xs, ys], slope: line.slope,
    line: (c, i, j) => ["δ ", num(at(line.grad_output, c, i, j), "b#bcell-delta"), " × s(1−s) ",
      num(at(line.slope, c, i, j), "b#bcell-slope"), " = ", num(at(line.grad_input, c, i, j), "b#bcell-out"),
      h("span.where", {}, `s = ${short(at(s, c, i, j))}, the forward output; the slope s(1−s) is the walk's`)],
    note: "The sigmoid's slope is s(1 − s): 0.25 at most (at s = 0.5), nearly 0 where s is near 0 or 1. So every " +
      "gradient that passes back through it shrinks, by 4 at least — and almost vanishes at a saturated cell: a " +
      "reason deep networks of sigmoids learn slowly.",
  });
  return {
    count: view.count,
    show(pos) {
      view.show(pos);
      ctx.caption("Backwards through the sigmoid: each gradient times the sigmoid's slope s(1 − s) at that cell.");
    },
    legend: ["gradient"],
  };
}
