// The "Train from scratch" dialog's elements and its status line: structure and words, no behaviour.
import { h } from "../dom.js";
import { pct } from "../format.js";

const BUTTONS = { run: "▶ Run", pause: "❚❚ Pause", step: "Step", reset: "↺ Reset" };

/** The dialog's elements (ids scratch-*), not yet in the page. */
export function layout() {
  const plot = (id, label) => h(`div.plot.scratch-plot#${id}`, { "aria-label": label, role: "img" });
  return h("dialog.scratch#scratch", { "aria-labelledby": "scratch-title" },
    h("header", {}, h("h2#scratch-title", {}, "Train from scratch"),
      h("button.close", { type: "button", "aria-label": "Close" }, "✕")),
    h("div.scratch-body", {},
      h("section.scratch-side", {},
        h("form#scratch-form.scratch-form"),
        h("div.scratch-buttons", { role: "toolbar", "aria-label": "Training" },
          ...Object.entries(BUTTONS).map(([id, text]) => h(`button#scratch-${id}`, { type: "button" }, text))),
        h("p#scratch-status.scratch-status", { role: "status", "aria-live": "polite" }),
        h("h3", {}, "Your digit under these weights"), plot("scratch-probabilities", "The digit's ten probabilities"),
        h("button#scratch-use.scratch-use", { type: "button", disabled: true }, "Use these weights")),
      h("section.scratch-main", {},
        h("div.scratch-curves", {}, plot("scratch-loss", "Loss curve"), plot("scratch-accuracy", "Accuracy curves")),
        h("div.scratch-lower", {},
          h("div.scratch-filters", {},
            h("h3", {}, "conv1's kernels, forming"), plot("scratch-conv1", "conv1's weights"),
            h("h3", {}, "conv2's filters, forming"), plot("scratch-conv2", "conv2's weights")),
          h("div.scratch-end", { hidden: true }, h("h3#scratch-final"),
            plot("scratch-confusion", "Confusion matrix on the test digits"))))));
}

/** A line of text for an event: where the run is and how it does. */
export function describe(e, recent) {
  if (e.status === "failed") return `Training failed: ${e.error ?? "see the server's log"}`;
  const epochs = Math.round(e.total_steps / e.steps_per_epoch);
  const where = `Epoch ${e.epoch} of ${epochs} · step ${e.step.toLocaleString()} of ${e.total_steps.toLocaleString()}`;
  const how = !recent ? ""                                 // the curves' numbers: the batches of their last point
    : ` · latest batches: loss ${recent.recent_loss.toFixed(3)}, accuracy ${pct(recent.recent_accuracy)}`;
  const what = { starting: "Starting…", paused: "Paused.", running: "Training…" }[e.status] ??
    (e.reason === "complete" ? "Done." : `Stopped (${e.reason}).`);
  return `${what} ${where}${how}`;
}
