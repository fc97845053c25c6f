// Sigmoid: every value squashed into (0, 1), cell by cell, with the curve and where each value falls on it.
import { activationView } from "./activation.js";
import { absMax } from "../nd.js";
import { fix, short } from "../format.js";
import { h } from "../dom.js";

const CURVE_POINTS = 121;
const CURVE_MIN_HALF_WIDTH = 6;   // show at least -6..6, where the curve bends, even for a map of small values
const SATURATED = 0.99;           // outputs this close to 0 or 1 are on the curve's flat arms

/** The drawn curve over a map's values (and at least -6..6): [xs, σ(xs)], the function's shape only. */
export function sigmoidCurve(input) {
  const half = Math.max(absMax(input), CURVE_MIN_HALF_WIDTH);
  const xs = Array.from({ length: CURVE_POINTS }, (_, i) => -half + (2 * half * i) / (CURVE_POINTS - 1));
  return [xs, xs.map((x) => 1 / (1 + Math.exp(-x)))];
}

export function mount(el, stage, ctx) {
  const m = absMax(ctx.input), [xs, ys] = sigmoidCurve(ctx.input);
  const view = activationView(el, stage, ctx, {
    name: "sigmoid",
    before: { scale: "diverging", range: [-m, m] },
    after: { scale: "sequential", range: [0, 1] },
    curve: [xs, ys],
    out: (x, y) => ["σ = ", short(y), y >= SATURATED ? " (saturated, near 1)" : y <= 1 - SATURATED ? " (saturated, near 0)" : ""],
  });
  let lo = Infinity, hi = -Infinity;
  for (const v of stage.output.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const e = h("span", {}, "e", h("sup", {}, "−x"));
  view.note.replaceChildren(`Outputs here run from ${short(lo)} to ${fix(hi)}; an input of 0 would give 0.5. ` +
    "Large values saturate: for a large x, ", e, " is nearly 0, so σ(x) = 1 / (1 + ", e.cloneNode(true),
    ") is nearly 1 (and nearly 0 for a large negative x); the curve is flat there, and a bigger input barely " +
    "changes the output.");
  return {
    count: view.count,
    show(pos) {
      view.show(pos);
      ctx.caption("The sigmoid squashes every value into the range between 0 and 1.");
    },
    legend: ["diverging", "sequential"],
  };
}
