// The backward walk's views, one per kind of stage (as views/index.js for the forward one), and the walk the stage
// view shows them in: what each is given from the walk's lines and the forward trace.
import * as loss from "./loss.js";
import * as softmax from "./softmax.js";
import * as dense from "./dense.js";
import * as flatten from "./flatten.js";
import * as pool from "./pool.js";
import * as sigmoid from "./sigmoid.js";
import * as relu from "./relu.js";
import * as conv from "./conv.js";
import * as input from "./input.js";
import { shape } from "../../format.js";

export const VIEWS = { loss, softmax, dense, flatten, pool, sigmoid, relu, conv, input };

/**
 * The stage view's walk (stageview.js) for model, the backward stages (loss, softmax ... input), trace() -> the
 * forward trace (Map), and w: {label, lines (Map of stage -> line)}. A view's ctx: its line's label and the loss
 * line; forward, its stage's forward line (for the loss, softmax's); input, the forward input of its stage, with
 * inputName and inputKind; foldShape, for a dense after flatten, the maps' shape.
 */
export function walk(model, stages, trace, w) {
  const fwd = model.stages, where = (name) => fwd.findIndex((s) => s.name === name);
  return {
    direction: "backward", stages, views: VIEWS,
    data: (name) => w.lines.get(name),
    ready: () => true,
    title: (i) => (i === 0 ? ` → L towards ${model.class_labels[w.label]}` : ` ← ∂L/∂ ${shape(stages[i].shape)}`),
    context(i, base) {
      const t = trace(), k = where(stages[i].name), prev = k > 0 ? fwd[k - 1] : null;
      return { ...base, label: w.label, loss: w.lines.get("loss"),
        forward: t.get(k < 0 ? fwd[fwd.length - 1].name : stages[i].name),
        input: prev ? t.get(prev.name)?.output : undefined, inputName: prev?.name, inputKind: prev?.kind,
        foldShape: prev?.kind === "flatten" ? fwd[k - 2].shape : null };
    },
  };
}
