// The "Learn from this digit" button beside the answer, and its question "which digit is it?" with a button per
// class: a sample's own label is chosen for it (still changeable), a drawing's is the student's to give.
import { h, $ } from "./dom.js";

/** labels: the class labels; onPick(label) when the student chose one. Returns {traced(src, walked), empty()}. */
export function setupLearn(labels, onPick) {
  const box = $("learn"), open = $("learn-open"), choose = $("learn-choose"), hint = $("learn-hint");
  const digits = labels.map((d, i) => h("button.pick.learn-digit", { type: "button", "aria-pressed": "false",
    "data-label": i, onclick: () => pick(i) }, d));
  $("learn-digits").replaceChildren(...digits);
  let chosen = null;

  function set(i) {
    chosen = i;
    digits.forEach((b, j) => b.setAttribute("aria-pressed", String(i === j)));
  }
  function toggle(show) {
    choose.hidden = !show;
    open.setAttribute("aria-expanded", String(show));
    if (show) (digits[chosen] ?? digits[0]).focus();
  }
  function pick(i) {
    set(i);
    toggle(false);
    onPick(i);
  }
  open.addEventListener("click", () => toggle(choose.hidden));
  choose.addEventListener("keydown", (e) => {
    if (e.key !== "Escape") return;
    toggle(false);
    open.focus();
  });

  return {
    /** A digit's trace is shown (src: where it came from, with a sample's label); walked: the label a backward
     *  walk goes towards, if one does. */
    traced(src, walked = null) {
      box.hidden = false;
      const label = walked ?? (src?.sample ? src.label : null);
      set(Number.isInteger(label) ? label : null);
      hint.textContent = src?.sample && Number.isInteger(src.label)
        ? `MNIST labels it ${labels[src.label]}: chosen for you. Pick another to teach the network something else.`
        : "Pick the digit you meant: the network is shown how far its answer was from it.";
    },
    /** No digit: nothing to learn from. */
    empty() { box.hidden = true; toggle(false); },
  };
}
