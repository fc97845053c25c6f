// ReLU backwards: where the forward input was positive the gradient passes unchanged (slope 1); where it was
// clamped to 0 the gradient is 0 too (slope 0): the walk's "passed" says which.
import { h } from "../../dom.js";
import { at, absMax } from "../../nd.js";
import { short, count } from "../../format.js";
import { num } from "./common.js";
import { cellwiseView } from "./cellwise.js";

export function mount(el, line, ctx) {
  const m = absMax(ctx.input);
  let passed = 0;
  for (const v of line.passed.data) passed += v;
  const view = cellwiseView(el, line, ctx, {
    name: "ReLU", curve: [[-m, 0, 0, m], [0, 0, 1, 1]], slope: line.passed,
    line: (c, i, j) => {
      const x = at(ctx.input, c, i, j), ok = at(line.passed, c, i, j) === 1;
      return ["δ ", num(at(line.grad_output, c, i, j), "b#bcell-delta"), ok ? " passed → " : " clamped → ",
        num(at(line.grad_input, c, i, j), "b#bcell-out"),
        h("span.where", {}, ok ? `the forward input ${short(x)} was positive: slope 1`
          : `the forward input ${short(x)} was not positive, the output was 0: slope 0`)];
    },
    note: `${count(passed)} of ${count(line.passed.data.length)} cells were positive going forward and pass their gradient ` +
      `back unchanged; the other ${count(line.passed.data.length - passed)} were clamped to 0, and so is their gradient: ` +
      "changing them a little would not have changed the output.",
  });
  return {
    count: view.count,
    show(pos) {
      view.show(pos);
      ctx.caption("Backwards through ReLU: the gradient passes where the input was positive, and stops where it was clamped.");
    },
    legend: ["gradient"],
  };
}
