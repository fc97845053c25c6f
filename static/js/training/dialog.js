// "Train from scratch": a dialog in which the class trains the network live, controls like TensorFlow
// Playground's (run, pause, one step, reset): the curves, the filters forming, the digit's probabilities under the
// weights of the moment, at the end the confusion matrix; "Use these weights" reads every view with them. A class's
// follower watches the teacher's run in it, without controls.
import * as rest from "./rest.js";
import { createCurves } from "./curves.js";
import { createForm } from "./form.js";
import { drawConfusion, drawFilters, drawProbabilities } from "./panels.js";
import { layout, describe } from "./layout.js";
import { $ } from "../dom.js";
import { saved } from "../classroom/token.js";
import { pct } from "../format.js";

const LIVE = ["starting", "running", "paused"];

/**
 * The dialog, in the page. model: /api/model; info: GET /api/training; digit(): the network's input for the page's
 * digit ({data, shape}), or null; use(id): read every view with a run's weights; shows(id): the run the open dialog
 * shows (null: it closed, or shows none). Returns {open(), follow(id), watchClass(id)}.
 */
export function createScratch(model, info, { digit, use, shows }) {
  const dialog = layout();
  document.body.append(dialog);
  const watchOnly = (on) => {                                // a student's device, or a class's follower: it watches
    dialog.classList.toggle("watch-only", on);
    $("scratch-title").textContent = on ? "Training, live" : "Train from scratch";
  };
  const may = () => info.allowed || Boolean(saved()?.token);  // this machine, or a class's teacher (its token)
  watchOnly(!may());
  const form = createForm($("scratch-form"), info);
  const curves = createCurves($("scratch-loss"), $("scratch-accuracy"));
  const buttons = Object.fromEntries(["run", "pause", "step", "reset", "use"].map((b) => [b, $(`scratch-${b}`)]));
  const end = dialog.querySelector(".scratch-end");
  let run = null, unfollow = () => {}, last = null;       // run: {id}; last: its newest event
  let recent = null;                                       // its newest event with the latest batches' numbers

  function show(e) {
    last = e;
    if (e.recent_loss !== undefined) recent = e;
    if (run) $("scratch-status").textContent = describe(e, recent);
    if (e.done === undefined && e.status !== "failed") buttons.use.disabled = e.step === 0;
    drawFilters({ conv1: $("scratch-conv1"), conv2: $("scratch-conv2") }, e.weights);
    drawProbabilities($("scratch-probabilities"), e.probabilities, model.class_labels);
    if (e.done && e.confusion) {
      end.hidden = false;
      const tested = e.confusion.flat().reduce((a, b) => a + b, 0).toLocaleString("en");
      $("scratch-final").textContent = `Test accuracy: ${pct(e.test_accuracy)} of the ${tested} MNIST test digits`;
      drawConfusion($("scratch-confusion"), e.confusion, model.class_labels);
      buttons.use.disabled = !e.weights;
    }
    state();
  }
  function state() {
    const live = run && last && LIVE.includes(last.status) && !last.done;
    const paused = live && last.status === "paused";
    buttons.run.disabled = live && !paused;
    buttons.pause.disabled = !live || paused;
    buttons.step.disabled = run && !live;
    buttons.reset.disabled = !run;
    buttons.run.textContent = paused ? "▶ Resume" : "▶ Run";
    form.enable(!live);
  }
  let told = null;                                          // the run shows() was last told of
  function tell() {
    const id = dialog.open && run ? run.id : null;
    if (id !== told) shows(told = id);
  }
  function watch(id) {
    unfollow();
    run = { id };
    last = recent = null;
    end.hidden = true;
    unfollow = rest.follow(id, { history: (points) => curves.reset(points),
      progress: (e) => { curves.add(e); show(e); } });
    state();
    tell();
  }
  async function begin(paused) {
    const p = form.values();
    const d = digit();                                       // {data, shape} of the network's input, or null
    const n = d ? Math.round(Math.sqrt(d.data.length)) : 0;
    const pixels = d && Array.from({ length: n }, (_, r) => Array.from(d.data.subarray(r * n, (r + 1) * n)));
    const r = await rest.start(pixels ? { ...p, pixels } : p);
    if (paused) await rest.act(r.id, "pause");
    watch(r.id);
  }
  const guard = (fn) => async () => {
    try { await fn(); } catch (e) { $("scratch-status").textContent = e.message; }
  };
  buttons.run.addEventListener("click",
    guard(() => (last?.status === "paused" ? rest.act(run.id, "resume") : begin(false))));
  buttons.pause.addEventListener("click", guard(() => rest.act(run.id, "pause")));
  buttons.step.addEventListener("click", guard(async () => {
    if (!run) await begin(true);
    await rest.act(run.id, "step");
  }));
  buttons.reset.addEventListener("click", guard(async () => {
    const id = run?.id;
    unfollow();
    run = last = recent = null;
    curves.reset();
    end.hidden = true;
    $("scratch-status").textContent = "Reset: the same seed gives the same run again.";
    buttons.use.disabled = true;
    state();
    tell();
    if (id) await rest.stop(id);
  }));
  buttons.use.addEventListener("click", () => { if (run) { use(run.id); dialog.close(); } });
  dialog.querySelector(".close").addEventListener("click", () => dialog.close());
  let byClass = null, dismissed = null;    // the class's run the dialog was opened on; one its student closed
  function leaveClass() {
    byClass = null;
    watchOnly(!may());
  }
  dialog.addEventListener("close", () => {
    if (byClass) { dismissed = byClass; leaveClass(); }       // closed by the student: not opened again for it
    tell();
  });

  async function open() {
    if (!byClass) watchOnly(!may());
    if (!dialog.open) dialog.showModal();
    curves.draw();
    if (last) show(last);
    tell();
    const now = await rest.overview().catch(() => null);       // a run started since: follow it
    if (now?.current && now.current !== run?.id) watch(now.current);
    else if (!run && !may()) $("scratch-status").textContent = "No training is under way.";
  }
  state();
  return {
    open,
    /** Follow a run (one under way when the page loaded) without opening the dialog. */
    follow: watch,
    /** The run a followed class's state names (null: none): open the dialog on it, watch-only; close it after. */
    watchClass(id) {
      if (!id) {
        dismissed = null;
        if (byClass) { leaveClass(); dialog.close(); }
        return;
      }
      if (id === byClass || id === dismissed || (dialog.open && !byClass)) return;  // the student's own dialog: theirs
      byClass = id;
      watchOnly(true);
      if (run?.id !== id) watch(id);
      if (!dialog.open) dialog.showModal();
      curves.draw();
    },
  };
}
