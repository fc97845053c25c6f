// "Train from scratch": a dialog in which the class trains the network live, controls like TensorFlow
// Playground's (run, pause, one step, reset): the curves, the filters forming, the digit's probabilities under the
// weights of the moment, at the end the confusion matrix; "Use these weights" reads every view with them.
import * as rest from "./rest.js";
import { createCurves } from "./curves.js";
import { createForm } from "./form.js";
import { drawConfusion, drawFilters, drawProbabilities } from "./panels.js";
import { layout, describe } from "./layout.js";
import { $ } from "../dom.js";
import { pct } from "../format.js";

const LIVE = ["starting", "running", "paused"];
const RUN_ID = /^run-[0-9a-f]+$/;

/** Is a weights id a training run's (not a shipped checkpoint's)? */
export const isRun = (id) => typeof id === "string" && RUN_ID.test(id);

/**
 * Set up the dialog (opened by #open-scratch). model: /api/model; digit(): the network's input for the page's digit
 * ({data, shape}), or null; use(id): read every view with a run's weights.
 */
export async function setupScratch(model, { digit, use }) {
  const opener = $("open-scratch");
  const info = await rest.overview().catch(() => null);
  if (!info || !opener) return;
  const dialog = layout();
  document.body.append(dialog);
  if (!info.allowed) {                                       // a student's device: it watches the teacher's run
    opener.textContent = "Watch training";
    dialog.classList.add("watch-only");
    $("scratch-title").textContent = "Training, live";
  }
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
      $("scratch-final").textContent = `Test accuracy: ${pct(e.test_accuracy)} of the 10,000 MNIST test digits`;
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
  function watch(id) {
    unfollow();
    run = { id };
    last = recent = null;
    end.hidden = true;
    unfollow = rest.follow(id, { history: (points) => curves.reset(points),
      progress: (e) => { curves.add(e); show(e); } });
    state();
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
    if (id) await rest.stop(id);
  }));
  buttons.use.addEventListener("click", () => { if (run) { use(run.id); dialog.close(); } });
  dialog.querySelector(".close").addEventListener("click", () => dialog.close());
  opener.addEventListener("click", async () => {
    dialog.showModal();
    curves.draw();
    if (last) show(last);
    const now = await rest.overview().catch(() => null);       // a run started since: follow it
    if (now?.current && now.current !== run?.id) watch(now.current);
    else if (!run && !info.allowed) $("scratch-status").textContent = "No training is under way.";
  });
  if (info.current) watch(info.current);               // a run under way (this page reloaded): follow it
  state();
}
