// The drawings students sent, as the teacher sees them: each one's 28x28 input as the network read it, its
// answer and confidence, and "Show to the class", which makes it the class's digit.
import { h } from "../dom.js";
import { imageCanvas } from "../views/preprocess.js";
import { pct } from "../format.js";

/** list: the element to fill; load() -> the drawings ([{id, pixels, prediction, confidence}]);
 *  onShow(pixels) when one is chosen. update() after each `drawings` event; returns how many there are. */
export function createDrawings(list, load, onShow) {
  const seen = new Map();                     // id -> its figure
  let loading = null, again = false;

  function figure(d) {
    const side = Math.round(Math.sqrt(d.pixels.length));
    const label = `Drawing ${d.id}: the network reads ${d.prediction}, ${pct(d.confidence)} sure`;
    const show = h("button.show-drawing", { type: "button", "aria-pressed": "false", "aria-label": `Show drawing ${d.id} to the class` },
      "Show to the class");
    const fig = h("figure.drawing", { "data-id": String(d.id) },
      imageCanvas({ shape: [side, side], data: d.pixels }, label),
      h("figcaption", {}, h("span.drawing-answer", {}, String(d.prediction)), ` ${pct(d.confidence)}`), show);
    show.addEventListener("click", () => {
      for (const f of seen.values()) f.querySelector(".show-drawing").setAttribute("aria-pressed", "false");
      show.setAttribute("aria-pressed", "true");
      onShow(d.pixels);
    });
    return fig;
  }

  async function update() {
    if (loading) { again = true; return loading; }
    loading = (async () => {
      try {
        for (const d of await load()) {
          if (!seen.has(d.id)) {
            seen.set(d.id, figure(d));
            list.prepend(seen.get(d.id));          // the newest first
          }
        }
      } finally {
        loading = null;
      }
      if (again) { again = false; await update(); }
      return seen.size;
    })();
    return loading;
  }
  return { update, get count() { return seen.size; } };
}
