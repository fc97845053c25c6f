// "Learn from this digit": the backward walk of the digit shown towards the label the student chose (its lines from
// /api/backprop), and the switch of the stage view, the timeline and the player between the forward walk and this
// one. The player knows nothing of it: it is told the backward walk's number of stages. The backward views, the
// walk's bar and the step panel load with the first walk (learn/index.js, back.css).
import * as api from "./api.js";
import { later, style } from "./later.js";

/**
 * page: {model, player, views (the stage view), controls (the controls' update, with setStages), kept (the URL
 * keeper), weights() -> the weights' id the digit is read with, ready(pos) once a walk's lines are here (draw the
 * stage at pos; null: at the position a link asked for), status(text, kind)}. Returns {open(label),
 * opened(label), traced(src), empty(), label}.
 */
export function createBackward(page) {
  const { model, player, views, controls, kept } = page;
  const stages = [{ name: "loss", kind: "loss", shape: [] }, ...[...model.stages].reverse()];
  const parts = later(() => Promise.all([import("./learn/index.js"), style("back.css")])
    .then(([m]) => m.createParts({ model, trace: () => views.trace, weights: page.weights, status: page.status,
      pixels, forward: () => close() })));
  let walk = null;       // while walking backward: {label, src (null: a link's digit still loading), lines}
  let mine = null;       // the request in flight
  let shown = null;      // where the digit shown came from (null: none yet)

  /** The digit shown as the network read it, as JSON pixels: the walk is of exactly these numbers. */
  function pixels() {
    const x = views.trace.get("input").output, [, H, W] = x.shape;
    return Array.from({ length: H }, (_, r) => Array.from(x.data.subarray(r * W, (r + 1) * W)));
  }

  /** The stage view's walk now: the backward views once they and the lines are here, else a waiting one. */
  function show() {
    const p = parts.now;
    views.setWalk(p && walk.lines ? p.walk(walk, stages) : {
      direction: "backward", stages, data: () => undefined, ready: () => false, title: () => "",
      waiting: `Walking back from the loss towards ${model.class_labels[walk.label]}…`,
    });
  }

  function enter(label, src) {
    mine?.abort();
    walk = { label, src, lines: null };
    show();
    controls.setStages(stages);
    player.setStages(stages.length);
    kept.back(label);
    document.body.classList.add("backward");
  }

  /** Leave the backward walk for the forward one (the caller moves the player to one of its stages). */
  function leave() {
    mine?.abort();
    walk = null;
    views.setWalk(null);
    controls.setStages(model.stages);
    player.setStages(model.stages.length);
    kept.back(null);
    document.body.classList.remove("backward");
    parts.now?.bar.hide();
  }

  /** Back to the forward pass, at the stage the backward walk was on (the loss: the softmax it is made of). */
  function close() {
    if (!walk) return;
    const name = stages[player.state.stage]?.name;
    leave();
    player.goStage(Math.max(0, model.stages.findIndex((s) => s.name === (name === "loss" ? "softmax" : name))));
  }

  /** Ask for the walk of the digit shown; once it is here, draw the stage at pos. */
  async function load(pos) {
    const w = walk, c = (mine = new AbortController());
    w.lines = null;                                   // not the last lines with a new trace: wait for these
    show();
    try {
      const [lines, p] = await Promise.all([
        api.backprop({ pixels: pixels() }, w.label, { weights: page.weights() }, c.signal), parts.get()]);
      if (c !== mine) return;
      w.lines = new Map(lines.map((l) => [l.name, l]));
      show();
      p.bar.show(w);
      page.ready(pos);
    } catch (e) {
      if (e.name === "AbortError" || c !== mine) return;
      page.status(`The backward pass could not be loaded: ${e.message}`, "error");
    }
  }

  return {
    /** The student chose label for the digit shown: its backward walk, from the loss. */
    open(label) {
      if (!views.trace) return;
      enter(label, shown);
      player.goStage(0);
      load(0);
    },
    /** A link opens (label null: the forward walk); a backward one's walk comes once its digit's trace is here. */
    opened(label) {
      shown = null;
      if (label === null) { if (walk) leave(); return; }
      enter(label, null);
    },
    /** A trace is shown: the same digit again (other weights) is walked again; another digit ends the walk. */
    traced(src) {
      shown = src;
      if (!walk) return;
      if (walk.src !== null && walk.src !== src) { close(); return; }
      const linked = walk.src === null;
      walk.src = src;
      load(linked ? null : player.state.pos);         // a link's position waits in the page's (null: keep it)
    },
    /** No digit: nothing to walk. */
    empty() { shown = null; if (walk) close(); },
    /** The label walked towards, or null on the forward walk. */
    get label() { return walk?.label ?? null; },
  };
}
