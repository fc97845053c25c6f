// Mounts the view for one stage of the current trace into #stage, and keeps its title, caption and legend.
import { VIEWS } from "./views/index.js";
import { LEGEND } from "./colors.js";
import { shape } from "./format.js";
import { purge } from "./plots.js";
import { h } from "./dom.js";

/** els: {root, title, caption, legend, view}; model: /api/model; seek(pos) moves the player. */
export function createStageView(els, model, seek) {
  const stages = model.stages;
  let trace = null, current = null, line = "";
  // The current position's line (a view's ctx.say), spoken when the student steps or pauses, not during play.
  const spoken = h("p#say.visually-hidden", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
  els.root.append(spoken);

  function clear() {
    for (const p of els.view.querySelectorAll(".js-plotly-plot")) purge(p);
    els.view.replaceChildren();
    current = null;
    line = "";
  }

  /** Mount stage i; returns its number of positions. */
  function mount(i) {
    const info = stages[i];
    clear();
    els.root.dataset.stage = info.name;
    els.root.dataset.kind = info.kind;
    els.title.textContent = `${i + 1}. ${info.name}`;
    els.title.append(h("span.shape", {}, ` → ${shape(info.shape)}`));
    const data = trace?.get(info.name);
    if (!data || !window.Plotly) {
      els.caption.textContent = trace ? "Waiting for this stage…" : "Draw a digit, upload an image or pick a sample to begin.";
      els.legend.textContent = "";
      els.view.append(h("div.empty-view", {}, h("p", {}, "✎ Draw a digit on the pad to see the network at work.")));
      return 1;
    }
    const prev = i > 0 ? stages[i - 1] : info;
    const ctx = {
      input: trace.get(prev.name)?.output, inputKind: prev.kind, inputName: prev.name,
      preprocess: trace.get("preprocess"), seek, labels: model.class_labels,
      foldShape: i >= 2 && prev.kind === "flatten" ? stages[i - 2].shape : null,
      caption: (text) => { els.caption.textContent = text; },
      say: (text) => { line = text; },
    };
    current = VIEWS[info.kind].mount(els.view, data, ctx);
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
  };
}
