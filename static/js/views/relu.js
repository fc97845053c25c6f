// ReLU: negatives become 0. Before and after on the same diverging scale, so clamped cells turn white.
import { activationView } from "./activation.js";
import { absMax } from "../nd.js";

export function mount(el, stage, ctx) {
  const m = absMax(ctx.input);
  let negative = 0;
  for (const v of ctx.input.data) if (v < 0) negative++;       // counted for the caption, not recomputed
  const { note } = activationView(el, stage, ctx.input, {
    name: "ReLU",
    before: { scale: "diverging", range: [-m, m] },
    after: { scale: "diverging", range: [-m, m] },
    curve: [[-m, 0, m], [0, 0, m]],
  });
  const n = ctx.input.data.length;
  note.textContent = `${negative} of ${n} cells were negative (blue) and are now exactly 0 (white); ` +
    `the other ${n - negative} pass through unchanged.`;
  return {
    count: 1,
    show() { ctx.caption("ReLU keeps positive values and turns every negative value into 0."); },
    legend: ["diverging"],
  };
}
