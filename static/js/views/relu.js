// ReLU: negatives become 0, cell by cell. Before and after on the same diverging scale, so clamped cells turn white.
import { activationView } from "./activation.js";
import { absMax } from "../nd.js";
import { short, count } from "../format.js";

export function mount(el, stage, ctx) {
  const m = absMax(ctx.input);
  const scale = { scale: "diverging", range: [-m, m] };
  const view = activationView(el, stage, ctx, {
    name: "ReLU", before: scale, after: scale, curve: [[-m, 0, m], [0, 0, m]],
    out: (x, y) => ["", y === 0 ? "0" : short(y), y === x ? " (kept)" : " (negative, clamped)"],
  });
  const before = ctx.input.data, after = stage.output.data;
  let clamped = 0;
  for (let n = 0; n < after.length; n++) if (after[n] !== before[n]) clamped++;   // the trace's two maps compared
  view.note.textContent = `${count(clamped)} of ${count(after.length)} cells were negative (blue) and are now exactly 0 ` +
    `(white); the other ${count(after.length - clamped)} pass through unchanged.`;
  return {
    count: view.count,
    show(pos) {
      view.show(pos);
      ctx.caption("ReLU keeps positive values and turns every negative value into 0, one cell at a time.");
    },
    legend: ["diverging"],
  };
}
