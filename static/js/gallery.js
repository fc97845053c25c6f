// The gallery of shipped MNIST test digits: a few of each class, and every one the model gets wrong.
import * as api from "./api.js";
import { h } from "./dom.js";
import { imageCanvas } from "./views/preprocess.js";

/** Fill #gallery-body once opened; onPick(id) when a digit is chosen. */
export function setupGallery(onPick) {
  const body = document.getElementById("gallery-body");
  const dialog = document.getElementById("gallery");
  let loaded = false;

  function tile(s) {
    const label = `Test digit ${s.index}: labelled ${s.label}, the model says ${s.predicted}`;
    return h("button.sample", { type: "button", "data-id": s.id, "aria-label": label, title: label,
      onclick: () => { dialog.close(); onPick(s.id); } },
    imageCanvas(s.image, ""), h("span", {}, s.correct ? `${s.label}` : `${s.label}→${s.predicted}`));
  }

  async function load() {
    if (loaded) return;
    loaded = true;
    try {
      const data = await api.samples();
      const samples = data.samples.map((s) => ({ ...s, image: api.decode(s.image) }));
      const right = samples.filter((s) => s.correct), wrong = samples.filter((s) => !s.correct);
      body.replaceChildren(
        h("h3", {}, `By class (${right.length})`), h("div.tiles", {}, right.map(tile)),
        h("h3", {}, `The model gets these wrong (${wrong.length}): label → prediction`), h("div.tiles.wrong", {}, wrong.map(tile)));
      document.getElementById("credit").textContent = `${data.credit} (${data.licence})`;
    } catch (e) {
      loaded = false;
      body.replaceChildren(h("p", {}, `The samples could not be loaded (${e.message}).`));
    }
  }
  dialog.addEventListener("toggle", () => dialog.open && load());
  document.getElementById("open-gallery").addEventListener("click", load);
  return load;
}
