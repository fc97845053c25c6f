// Sigmoid: every value squashed into (0, 1), with the curve and where this map's values fall on it.
import { activationView } from "./activation.js";
import { absMax } from "../nd.js";
import { fix } from "../format.js";

const CURVE_POINTS = 121;

export function mount(el, stage, ctx) {
  const m = Math.max(absMax(ctx.input), 6);
  const xs = Array.from({ length: CURVE_POINTS }, (_, i) => -m + (2 * m * i) / (CURVE_POINTS - 1));
  const ys = xs.map((x) => 1 / (1 + Math.exp(-x)));           // the function's shape, for the drawn curve only
  const { note } = activationView(el, stage, ctx.input, {
    name: "sigmoid",
    before: { scale: "diverging", range: [-absMax(ctx.input), absMax(ctx.input)] },
    after: { scale: "sequential", range: [0, 1] },
    curve: [xs, ys],
  });
  let lo = Infinity, hi = -Infinity;
  for (const v of stage.output.data) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  note.textContent = `Outputs here run from ${fix(lo)} to ${fix(hi)}: large negatives go near 0, large positives near 1, 0 goes to 0.5.`;
  return {
    count: 1,
    show() { ctx.caption("The sigmoid squashes every value into the range between 0 and 1."); },
    legend: ["diverging", "sequential"],
  };
}
