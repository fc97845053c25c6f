// Wires the page together: model info, pad, session, player, views, controls, training, URL. No logic of its own.
// What a first visit does not use (the filters panel, the classroom, training from scratch) loads when first needed.
import * as api from "./api.js";
import * as url from "./url.js";
import { createPad } from "./pad.js";
import { createPlayer } from "./player.js";
import { createSession } from "./session.js";
import { createStageView } from "./stageview.js";
import { createControls } from "./controls.js";
import { createTimeline } from "./checkpoints.js";
import { showAnswer, showPrediction, clearAnswer } from "./answer.js";
import { setupTheme, setupPresenter, setupDialog, status } from "./chrome.js";
import { setupGallery } from "./gallery.js";
import { setupUpload } from "./upload.js";
import { setupLearn } from "./learn.js";
import { createBackward } from "./backward.js";
import { setupExport } from "./export.js";
import * as room from "./classroom/index.js";
import { setupScratch, isRun } from "./training/index.js";
import { TIMING } from "./config.js";
import { $ } from "./dom.js";
import { later } from "./later.js";

async function start() {
  const model = api.model();
  const names = model.stages.map((s) => s.name);
  const initial = url.read();
  const kept = url.keeper(initial);
  let pendingPos = initial.pos;              // a shared link's position, applied when its trace arrives

  const views = createStageView({ root: $("stage"), title: $("stage-title"), caption: $("caption"),
    legend: $("legend"), view: $("view") }, model, (p) => user.seek(p));
  const player = createPlayer(names.length, {
    stage: (i) => views.mount(i),
    position: (p) => views.show(p),
    state: (s) => {
      updateControls(s);
      if (!s.playing) views.announce();       // a step or a pause is spoken; a playing animation is not
      kept.view(views.names[s.stage], s.pos, s.playing ? TIMING.urlDebounceMs : 0);
      room.viewed(s);
    },
  });
  const user = room.guard(player);           // the player as the user's controls move it (a class may drive it)
  const redraw = () => { player.refresh(); filters.now?.draw(); };
  // The stage's plots, once both a trace and plotly.js (loaded async: the pad works before it) are here.
  function redrawStage() {
    if (!window.Plotly || !views.ready) return;
    if (pendingPos === null) player.refresh();
    else { player.goStage(player.state.stage, pendingPos); pendingPos = null; }
    room.shown();
    if (!document.body.classList.contains("ready")) performance.mark("cnnviz-plots");
    document.body.classList.add("ready");
  }
  const presenter = setupPresenter(() => requestAnimationFrame(redraw));
  setupTheme(redraw);
  const help = setupDialog("help", "open-help");
  setupDialog("gallery", "open-gallery");
  const updateControls = createControls(model.stages, user, { presenter, help });

  const session = createSession({
    preview: (prediction) => showPrediction(prediction, model.class_labels),
    trace: (stages, src) => {
      kept.digit(src.file ? { pixels: stages.find((s) => s.kind === "input").output.data } : src);
      status(src.sample ? `Sample ${src.sample}: an MNIST test digit labelled ${src.label}.` : "");
      showAnswer(stages, model.class_labels);
      requestAnimationFrame(() => performance.mark("cnnviz-prediction"));   // the frame that shows it
      views.setTrace(new Map(stages.map((s) => [s.name, s])));
      backward.traced(src);
      learn.traced(src, backward.label);
      setTimeout(redrawStage);                // redraw the stage after the prediction has been painted
      room.traced(stages, src);
      exporter.enable(true);
    },
    empty: () => {                            // nothing to read: no digit anywhere, the student stays on this stage
      kept.digit(null);
      pendingPos = null;
      clearAnswer();
      views.setTrace(null);
      learn.empty();
      backward.empty();
      player.refresh();
      status("Draw a digit on the pad — the network will read it as you draw.");
      document.body.classList.add("ready");
      room.empty();
      exporter.enable(false);
    },
    error: (msg) => status(msg, "error"),
    busy: (b) => document.body.classList.toggle("busy", b),
  });
  let shownWeights = null;                    // the checkpoint the filters panel shows (null: the final weights)
  const filters = later(() => import("./filters.js").then((f) => f.createFilters(model, model.checkpoints)));
  $("filters").addEventListener("toggle", () => filters.get().then((f) => f.set(shownWeights)));
  // The training time-line: a checkpoint's id (null: the final weights) goes to the link, the filters panel and
  // the session, which reads the digit again with it unless again is false (a link's digit is about to load).
  const timeline = createTimeline(model.checkpoints, (id) => useWeights(id));
  function useWeights(id, again = true) {
    const run = isRun(id);                                    // a run trained in the page, not a checkpoint
    if (!run && !timeline.set(id)) { timeline.set(null); id = null; }  // a link to a checkpoint this server lacks
    if (run) timeline.set(null);
    kept.weights(id);
    shownWeights = run ? null : id;
    filters.now?.set(shownWeights);
    session.setWeights(id, again);
    if (run) $("weights-note").textContent = "with the weights trained from scratch";
  }
  // Train from scratch (a dialog): a new run reads the digit shown; "Use these weights" reads every view with them
  // (the link keeps the run's id, so a class's followers read with them too).
  // While the teacher's dialog shows a run, the class's followers watch it (watchClass) in theirs.
  const watchClass = setupScratch(model, { digit: () => views.trace?.get("input")?.output ?? null,
    use: (id) => useWeights(id), shows: (id) => room.trains(id) });
  // Learn from this digit: the backward walk towards the label the student gives (a sample's is chosen for it).
  const backward = createBackward({ model, player, views, controls: updateControls, kept, status,
    weights: () => session.weights,
    ready: (pos) => { if (pos !== null) pendingPos = pos; redrawStage(); } });
  const learn = setupLearn(model.class_labels, (label) => backward.open(label));
  // Export: the stage shown (at its position) or the walk-through, from the digit, weights and walk shown.
  const exporter = setupExport({ status, digit: () => session.digit, weights: () => session.weights,
    back: () => backward.label,
    shown: () => (views.trace ? { stage: views.walk.stages[player.state.stage], pos: player.state.pos } : null) });
  const pad = createPad($("pad"), (reason) => session.drawing(pad, reason));
  // The class sees the walk shown: its stage names (forward or backward) and the label walked back towards.
  // It opens a digit and a view as a link would (open) and reads the view shown (view), through these calls, not
  // through the URL.
  room.setup({ player, pad, get names() { return views.names; }, back: () => backward.label, watch: watchClass,
    open: (view) => { url.write(view); open({ ...view, given: true }, false); }, view: () => kept.current() });
  performance.mark("cnnviz-interactive");
  // plotly.js (the 1.2 MB partial bundle) downloads from the start (preloaded) but runs only now: run as soon as it
  // arrived, its parsing held up the pad on half the first visits.
  const plotly = Object.assign(document.createElement("script"), { src: $("plotly-js").href });
  plotly.addEventListener("load", () => { redrawStage(); filters.now?.draw(); });
  plotly.addEventListener("error", () => status("plotly.js could not be loaded: reload the page.", "error"));
  document.head.append(plotly);
  $("clear").addEventListener("click", () => pad.clear());
  $("undo").addEventListener("click", () => pad.undo());
  const fromElsewhere = () => { if (!pad.empty) pad.strokes = []; };
  setupUpload((file) => { fromElsewhere(); session.file(file); });
  setupGallery((id) => { fromElsewhere(); session.sample(id); });

  // A link's state, on load or pasted into an open tab; a first visit (no state at all) gets the first sample.
  const open = (state, first) => {
    kept.opened(state);
    pendingPos = state.pos;
    clearAnswer();                            // the old digit's numbers go while the link loads
    views.setTrace(null);
    backward.opened(state.back);              // a backward link's walk comes once its digit's trace is here
    player.goStage(Math.max(0, views.names.indexOf(state.stage)), state.pos);
    useWeights(state.weights, false);
    session.open(first ? { sample: model.first_sample } : url.source(state.link), pad);
  };
  window.addEventListener("hashchange", () => {
    const state = url.read();
    if (state.given) open(state, false);
    else kept.view(views.names[player.state.stage], player.state.pos);    // an in-page anchor: put the state back
  });
  open(initial, !initial.given && !room.joining);  // a class's join address waits for the class's digit
}

start().catch((e) => status(`The page could not start: ${e.message}`, "error"));
