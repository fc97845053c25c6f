// Shared by the backward views: a number as the page shows it (rounded, exact on hover, the value itself in
// data-value for the tests), the colour scale of a gradient, and the sentence for a network already right and sure.
import { h } from "../../dom.js";
import { absMax } from "../../nd.js";
import { theme, box } from "../../plots.js";
import { short, exact } from "../../format.js";
import { LEARN } from "../../config.js";

const SURE_DIGITS = 4;     // significant digits of a percentage near 100% ("99.99%")

/** A number in a span (tag: "b#id" for one the tests read): short() shown, exact on hover, the value in data-value. */
export function num(v, tag = "span", text = short(v)) {
  return h(tag, { title: exact(v), "data-value": v }, text);
}

/** Set a number element made by num() to v. */
export function setNum(el, v, text = short(v)) {
  el.textContent = text;
  el.title = exact(v);
  el.dataset.value = v;
}

/** The heatmap options of a gradient: diverging, centred on zero, over the arrays' largest absolute value. */
export const gradient = (...arrays) => {
  const m = absMax(...arrays);
  return { scale: "diverging", range: [-m, m] };
};

/** A percentage for a probability near 1, to the digits that tell 99.99% from 100%. */
export const surePct = (p) => `${(100 * p).toPrecision(SURE_DIGITS)}%`;

/** The loss line: when the network already gives the label more than LEARN.sure, why every gradient is nearly
 *  zero; else null. */
export function sureText(loss, labels) {
  const p = loss.probabilities[loss.label];
  if (!(p > LEARN.sure)) return null;
  return `The network already gives ${labels[loss.label]} ${surePct(p)}: the loss is ${short(loss.loss)}, so p − y is ` +
    "almost zero and every gradient with it. There is little left to learn from this digit.";
}

/** Masks over the cells not yet reached when k×k blocks are filled block by block, row by row: block (i, j) of
 *  an H×W map is the current one. A thin outline keeps the map's extent visible. */
export function pendingBlocks(i, j, k, H, W) {
  const t = theme(), m = [];
  const mask = (r0, c0, r1, c1) => m.push(box(r0, c0, r1, c1, "rgba(0,0,0,0)", 0, t.bg));
  if ((j + 1) * k < W) mask(i * k, (j + 1) * k, i * k + k - 1, W - 1);
  if ((i + 1) * k < H) mask((i + 1) * k, 0, H - 1, W - 1);
  m.push(box(0, 0, H - 1, W - 1, t.muted, 1));
  return m;
}
