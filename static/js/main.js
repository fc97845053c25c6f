// Wires the page together: model info, pad, session, player, views, controls, URL. No logic of its own.
import * as api from "./api.js";
import * as url from "./url.js";
import { createPad } from "./pad.js";
import { createPlayer } from "./player.js";
import { createSession } from "./session.js";
import { createStageView } from "./stageview.js";
import { createControls } from "./controls.js";
import { showAnswer, clearAnswer } from "./answer.js";
import { setupTheme, setupPresenter, setupDialog, status } from "./chrome.js";
import { setupGallery } from "./gallery.js";
import { setupUpload } from "./upload.js";
import { TIMING } from "./config.js";
import { $ } from "./dom.js";

async function start() {
  const model = await api.model();
  const names = model.stages.map((s) => s.name);
  const initial = url.read();
  let source = null;
  let pendingPos = initial.pos;              // a shared link's position, applied when its trace arrives

  const views = createStageView({ root: $("stage"), title: $("stage-title"), caption: $("caption"),
    legend: $("legend"), view: $("view") }, model, (p) => player.seek(p));
  let urlTimer = 0;
  const player = createPlayer(names.length, {
    stage: (i) => views.mount(i),
    position: (p) => views.show(p),
    state: (s) => {
      updateControls(s);
      if (!s.playing) views.announce();       // a step or a pause is spoken; a playing animation is not
      clearTimeout(urlTimer);
      urlTimer = setTimeout(() => url.write({ source, stage: names[s.stage], pos: s.pos }), s.playing ? TIMING.urlDebounceMs : 0);
    },
  });
  const redraw = () => player.refresh();
  // The stage's plots, once both a trace and plotly.js (loaded async: the pad works before it) are here.
  function redrawStage() {
    if (!window.Plotly || !views.trace) return;
    if (pendingPos === null) player.refresh();
    else { player.goStage(player.state.stage, pendingPos); pendingPos = null; }
    if (!document.body.classList.contains("ready")) performance.mark("cnnviz-plots");
    document.body.classList.add("ready");
  }
  const plotly = $("plotly-js");
  if (window.Plotly) redrawStage();
  plotly.addEventListener("load", redrawStage);
  plotly.addEventListener("error", () => status("plotly.js could not be loaded: reload the page.", "error"));
  const presenter = setupPresenter(() => requestAnimationFrame(redraw));
  setupTheme(redraw);
  const help = setupDialog("help", "open-help");
  setupDialog("gallery", "open-gallery");
  const updateControls = createControls(model.stages, player, { presenter, help });

  const session = createSession({
    preview: (stages) => showAnswer(stages, model.class_labels),
    trace: (stages, src) => {
      source = src.file ? { pixels: stages.find((s) => s.kind === "input").output.data } : src;
      status(src.sample ? `Sample ${src.sample}: an MNIST test digit labelled ${src.label}.` : "");
      showAnswer(stages, model.class_labels);
      requestAnimationFrame(() => performance.mark("cnnviz-prediction"));   // the frame that shows it
      views.setTrace(new Map(stages.map((s) => [s.stage, s])));
      setTimeout(redrawStage);                // redraw the stage after the prediction has been painted
    },
    empty: () => { clearAnswer(); status("Draw a digit on the pad — the network will read it as you draw."); },
    error: (msg) => status(msg, "error"),
    busy: (b) => document.body.classList.toggle("busy", b),
  });
  const pad = createPad($("pad"), (reason) => session.drawing(pad, reason));
  performance.mark("cnnviz-interactive");
  $("clear").addEventListener("click", () => pad.clear());
  $("undo").addEventListener("click", () => pad.undo());
  const fromElsewhere = () => { if (!pad.empty) pad.strokes = []; };
  setupUpload((file) => { fromElsewhere(); session.file(file); });
  setupGallery((id) => { fromElsewhere(); session.sample(id); });

  player.goStage(Math.max(0, names.indexOf(initial.stage)), initial.pos);
  const restore = async () => {
    const s = initial.source;
    if (s?.strokes) { pad.strokes = s.strokes; session.drawing(pad, "end"); }
    else if (s?.pixels) await session.pixels(s.pixels, { pixels: s.pixels });
    else if (s?.sample) await session.sample(s.sample);
    else {                                   // a first visit: start with the first shipped sample
      const list = await api.samples().catch(() => null);
      if (list?.samples.length) await session.sample(list.samples[0].id);
      else { status("Draw a digit on the pad to begin."); document.body.classList.add("ready"); }
    }
  };
  await restore();
}

start().catch((e) => status(`The page could not start: ${e.message}`, "error"));
