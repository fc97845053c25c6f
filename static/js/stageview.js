// Mounts the view for one stage of the walk shown into #stage, and keeps its title, caption and legend. A walk is the
// forward pass of the current trace (built here), or another given to setWalk (the backward pass, views/back).
import { VIEWS } from "./views/index.js";
import { LEGEND } from "./config.js";
import { shape } from "./format.js";
import { purge } from "./plots.js";
import { h } from "./dom.js";

/**
 * els: {root, title, caption, legend, view}; model: /api/model; seek(pos) moves the player.
 * A walk: {direction, stages: [{name, kind, shape}], views: {kind: module}, data(name) -> that stage's data or
 * undefined (not here yet), context(i, base) -> what stage i's view reads, with base's (seek, labels, caption, say);
 * optional title(i) -> the title's shape part, waiting (the caption while its data is on its way)}.
 */
export function createStageView(els, model, seek) {
  const stages = model.stages;
  let trace = null, current = null, line = "";
  // The current position's line (a view's ctx.say), spoken when the student steps or pauses, not during play.
  const spoken = h("p#say.visually-hidden", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
  els.root.append(spoken);

  const forward = {
    direction: "forward", stages, views: VIEWS,
    data: (name) => trace?.get(name),
    title: (i) => ` → ${shape(stages[i].shape)}`,
    context(i, base) {
      const prev = i > 0 ? stages[i - 1] : stages[i];
      return { ...base, input: trace.get(prev.name)?.output, inputKind: prev.kind, inputName: prev.name,
        preprocess: trace.get("preprocess"),
        foldShape: i >= 2 && prev.kind === "flatten" ? stages[i - 2].shape : null };
    },
  };
  let walk = forward;

  function clear() {
    for (const p of els.view.querySelectorAll(".js-plotly-plot")) purge(p);
    els.view.replaceChildren();
    current = null;
    line = "";
  }

  /** Mount stage i of the walk shown; returns its number of positions. */
  function mount(i) {
    const info = walk.stages[i];
    clear();
    els.root.dataset.stage = info.name;
    els.root.dataset.kind = info.kind;
    els.root.dataset.direction = walk.direction;
    els.title.textContent = `${i + 1}. ${info.name}`;
    els.title.append(h("span.shape", {}, walk.title(i)));
    const data = trace && walk.data(info.name);
    if (!data || !window.Plotly) {
      els.caption.textContent = trace ? (walk.waiting ?? "Waiting for this stage…")
        : "Draw a digit, upload an image or pick a sample to begin.";
      els.legend.textContent = "";
      els.view.append(h("div.empty-view", {}, h("p", {}, trace && walk.waiting ? walk.waiting
        : "✎ Draw a digit on the pad to see the network at work.")));
      return 1;
    }
    const ctx = walk.context(i, {
      seek, labels: model.class_labels,
      caption: (text) => { els.caption.textContent = text; },
      say: (text) => { line = text; },
    });
    current = walk.views[info.kind].mount(els.view, data, ctx);
    els.legend.textContent = (current.legend ?? []).map((k) => LEGEND[k]).join(" ");
    return current.count;
  }

  return {
    mount,
    show: (pos) => current?.show(pos),
    /** Put the current position's line in the live region (once: a screen reader speaks each change). */
    announce() { if (spoken.textContent !== line) spoken.textContent = line; },
    /** A new trace: Map of stage name -> decoded stage. */
    setTrace(t) { trace = t; },
    get trace() { return trace; },
    /** Show another walk (null: the forward pass again); the player then mounts one of its stages. */
    setWalk(w) { walk = w ?? forward; },
    get walk() { return walk; },
    /** The names of the walk's stages, in its order. */
    get names() { return walk.stages.map((s) => s.name); },
    /** Whether the stage can be drawn: a trace, and the walk's own data if it needs more (the backward lines). */
    get ready() { return !!trace && (walk.ready?.() ?? true); },
  };
}
