// "What the network sees": the server's preprocessing steps (original, normalised, cropped, scaled,
// centred), each drawn pixel for pixel from the trace.
import { h } from "../dom.js";

export const OPAQUE = 255;   // the largest byte: an opaque alpha, a white pixel

/** A uint8 (h, w) grayscale array as a square <canvas>, centred on black so CSS scales it up with crisp
 *  pixels and its true aspect ratio (a cropped digit is taller than wide). */
export function imageCanvas(img, label) {
  const [hh, w] = img.shape;
  const side = Math.max(w, hh);
  const c = h("canvas.pixels", { width: side, height: side, role: "img", "aria-label": label });
  const ctx = c.getContext("2d");
  const d = ctx.createImageData(w, hh);
  for (let i = 0; i < w * hh; i++) {
    const v = img.data[i];
    d.data[4 * i] = d.data[4 * i + 1] = d.data[4 * i + 2] = v;
    d.data[4 * i + 3] = OPAQUE;
  }
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, side, side);
  ctx.putImageData(d, (side - w) >> 1, (side - hh) >> 1);
  return c;
}

/** Render the steps into el as figures; an empty list (JSON pixels input) gets a one-line note. */
export function renderSteps(el, steps, note) {
  el.replaceChildren(...(steps.length ? steps.map((s) =>
    h("figure.step", { "data-step": s.name }, imageCanvas(s.image, s.caption), h("figcaption", { title: s.caption }, s.name)))
    : [h("p.note", {}, note)]));
}
