// The training time-line: a slider over the shipped checkpoints, from the untrained weights to the final ones,
// each labelled with its epochs and test accuracy. Picking one reads the digit with that checkpoint's weights.
import { h, $ } from "./dom.js";
import { pct } from "./format.js";

const FRACTIONS = { 0.25: "¼", 0.5: "½", 0.75: "¾" };

/** 0.25 -> "¼", 2 -> "2": epochs as a person writes them. */
export const epochsText = (e) => FRACTIONS[e] ?? String(e);

/** A checkpoint {epochs} -> "untrained", "after ¼ epoch", "after 2 epochs". */
export const when = (c) => (c.epochs === 0 ? "untrained"
  : `after ${epochsText(c.epochs)} epoch${c.epochs > 1 ? "s" : ""}`);

/** "after ¼ epoch · 81.2%" */
export const checkpointText = (c) => `${when(c)} · ${pct(c.accuracy)}`;

/**
 * Wire the slider to checkpoints ([{id, epochs, accuracy}], untrained first, final last); onPick(id) when the
 * student moves it, id null for the final weights. Returns {set(id) -> whether id is a checkpoint, id}.
 */
export function createTimeline(checkpoints, onPick) {
  const slider = $("checkpoint"), label = $("checkpoint-label");
  const last = checkpoints.length - 1;
  $("training").hidden = last < 1;                        // nothing to move between
  const idAt = (i) => (i >= last ? null : checkpoints[i].id);
  const ticks = checkpoints.map((c, i) => h("span.tick", { style: `--at: ${i / Math.max(1, last)}`,
    title: checkpointText(c), onclick: () => pick(i) }, epochsText(c.epochs)));
  $("checkpoint-ticks").replaceChildren(...ticks);
  slider.max = String(Math.max(0, last));

  function show(i) {
    const c = checkpoints[i];
    if (!c) return;
    slider.value = String(i);
    slider.setAttribute("aria-valuetext", `${when(c)}: ${pct(c.accuracy)} of the test digits right`);
    label.replaceChildren(h("b", {}, when(c)), i === last ? " (final)" : "", ` · ${pct(c.accuracy)}`,
      h("span.long", {}, " of test digits right"));
    label.title = `${when(c)}, the network reads ${pct(c.accuracy)} of the MNIST test digits correctly`;
    ticks.forEach((t, j) => t.classList.toggle("current", j === i));
    document.body.classList.toggle("checkpoint", i < last);
    $("weights-note").textContent = i === last ? ""
      : c.epochs === 0 ? "with untrained weights" : `with the weights ${when(c)}`;
  }
  function pick(i) {
    show(i);
    onPick(idAt(i));
  }
  slider.addEventListener("input", () => pick(Number(slider.value)));
  show(last);

  return {
    set(id) {
      const i = id === null ? last : checkpoints.findIndex((c) => c.id === id);
      if (i >= 0) show(i);
      return i >= 0;
    },
    get id() { return idAt(Number(slider.value)); },
  };
}
