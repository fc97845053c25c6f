// The teacher's side: "Start a class", its panel, and every change of the page sent to the class, with its pacing
// (hold, recall); questions to the class are asking.js's. The token stays in this browser (localStorage, never in
// the URL): a reload or a reopened tab offers to resume the class, and a second window (the projector) may drive
// it too; each window follows the other's changes.
import * as rest from "./rest.js";
import { toValues } from "../bytes.js";
import * as url from "../url.js";
import { h, $ } from "../dom.js";
import { status } from "../chrome.js";
import { openStream } from "./stream.js";
import { createPublisher } from "./publish.js";
import { createPanel } from "./panel.js";
import { createDrawings } from "./drawings.js";
import { createAsking } from "./asking.js";
import { teacherPacing } from "./pacing.js";
import { createFollower, sourceOf } from "./follow.js";
import { saved, keep } from "./token.js";


/** page: {player, names, back() -> the backward walk's label or null}; box: where the panel goes; resume: offer to resume this browser's class. Returns
 *  {start(), training(id)} and what the page reports (viewed, traced, empty, shown). */
export function createTeacher(page, box, resume) {
  let view = page.player.state, source = null, packing = 0, packed = Promise.resolve();
  let training = null;                       // the run the teacher's training dialog shows: followers watch it
  let input = null;                          // the digit on screen as the network's input (a drawing's: asked with)
  let cls = null, publisher = null, stream = null, panel = null, asking = null;
  const follower = createFollower(page, () => publisher?.known(state()));
  const pacing = teacherPacing(() => { panel?.held(pacing.held); publisher?.set(state()); });
  const startButton = $("start-class");

  const state = () => {
    const { weights } = page.view(), back = page.back();
    return { source, stage: page.names[view.stage], pos: view.pos, playing: view.playing, speed: view.speed,
      ...(weights ? { weights } : {}), ...(training ? { training } : {}), ...(back !== null ? { back } : {}),
      ...pacing.fields() };
  };
  const push = () => { if (!follower.busy) publisher?.set(state()); };

  /** The class brought to this page's view (paused), then what to ask with: a drawing's input, packed. */
  async function ready() {
    if (page.player.state.playing) page.player.pause();
    await packed;
    await publisher.flush();
    return source?.strokes && input ? { pixels: new URLSearchParams(await url.link({ pixels: input })).get("p") } : {};
  }

  function run(c) {
    cls = c;
    keep(c);
    document.body.classList.add("class-teaching");
    asking = createAsking(c, { ready, step: (stage, pos) => page.player.goStage(page.names.indexOf(stage), pos) },
      status);
    panel = createPanel(c, { end: () => rest.end(c.code, c.token).then(() => over("You ended the class."), refused),
      ask: asking.ask, hold: pacing.hold,
      recall() { pacing.recall(); status("Everyone exploring on their own is back with the class."); } }, asking.el);
    box.replaceChildren(panel.el);
    const drawings = createDrawings(panel.drawings(0), () => rest.drawings(c.code, c.token), show);
    const refresh = () => drawings.update().then((n) => panel.drawings(n), () => {});
    refresh();
    publisher = createPublisher(c, refused);
    const { link, weights } = page.view();
    follower.assume(link, weights, page.back());
    stream = openStream(c.code, "watch", {
      state(s, seq, at) {
        const { age, ...st } = s;
        if (publisher.isMine(st)) return;           // this window's own change coming back
        publisher.known(st);
        packing++;                                  // a digit still being packed here is no longer the class's
        source = st.source;
        pacing.adopt(st);
        panel.held(pacing.held);
        follower.apply(s, at);
      },
      counts: (n) => { panel.counts(n); asking.following(n.following ?? 0); },
      drawings: refresh,
      question: asking.question,
      reveal: asking.reveal,
      end: () => over("The class has ended."),
      connected: (on) => panel.connected(on),
    });
  }

  function over(message) {
    stream?.close();
    publisher?.stop();
    asking?.stop();
    cls = publisher = stream = panel = asking = null;
    keep(null);
    document.body.classList.remove("class-teaching");
    box.replaceChildren();
    status(message);
  }

  function refused(e) {
    if (e.status === 404) over("The class has ended.");
    else status(`The class could not be changed: ${e.message}`, "error");
  }

  /** A student's drawing becomes the page's digit, and so the class's. */
  async function show(bytes) {
    const link = await url.link({ pixels: toValues(bytes) });
    page.open({ link, stage: page.names[view.stage], pos: view.pos, weights: page.view().weights, back: page.back() });
  }

  async function offer(c) {               // a class this browser started: still running?
    try { await rest.show(c.code); } catch (e) { if (e.status === 404) keep(null); return; }
    if (cls) return;
    box.replaceChildren(h("div.class-offer", { role: "group", "aria-label": "Your class" },
      h("span", {}, "Your class ", h("b.class-code", {}, c.code), " is still running."),
      h("button#resume-class", { type: "button", onclick: () => run(c) }, "Resume the class"),
      h("button#end-old-class", { type: "button", onclick: () => rest.end(c.code, c.token).then(() => over(""), () => over("")) },
        "End it")));
  }

  /** "Start a class" (the digit being packed goes with it), or show the class already running. */
  async function start() {
    if (cls) { box.scrollIntoView({ block: "nearest" }); return; }
    startButton.disabled = true;
    try {
      await packed;
      const first = state();
      const c = await rest.start(first);
      run(c);
      publisher.known(first);
    } catch (e) {
      status(`The class could not start: ${e.message}`, "error");
    } finally {
      startButton.disabled = false;
    }
  }
  const waiting = saved();
  if (resume && waiting?.code && waiting?.token) offer(waiting);

  return {
    start,
    /** The training dialog shows this run (null: none): the class's followers watch it. */
    training(id) { training = id ?? null; push(); },
    viewed(s) {
      // While the page plays, followers play it too: only its start, a pause, a new speed or stage go out.
      const same = s.playing && view.playing && s.stage === view.stage && s.speed === view.speed;
      if (!same) view = s;
      if (!same) push();
    },
    traced(stages, src) {
      follower.traced();
      input = stages?.find((st) => st.kind === "input")?.output.data ?? null;
      if (follower.busy) return;                      // the class's own digit, loading here
      const digit = !src ? null : src.sample ? { sample: src.sample } : src.strokes ? { strokes: src.strokes }
        : { pixels: src.pixels ?? input };
      const mine = ++packing;
      packed = url.link(digit).then((link) => { if (mine === packing) { source = sourceOf(link); push(); } });
    },
    empty() { input = null; follower.empty(); if (!follower.busy) { packing++; source = null; push(); } },
    shown() { follower.shown(); },
  };
}
