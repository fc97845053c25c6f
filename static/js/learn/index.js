// What the backward walk loads when first used: its views (views/back) and its bar with the step.
import { walk } from "../views/back/index.js";
import { createBar } from "./bar.js";

/** page: {model, trace(), weights(), status(text, kind), pixels(), forward()} (backward.js). */
export function createParts(page) {
  const bar = createBar(page);
  return { bar, walk: (w, stages) => walk(page.model, stages, page.trace, w) };
}
