// The student's side: in a class (its /c/CODE address, or a code typed in), the page follows the teacher with the
// pad read-only and the player driven by the class; "Explore on my own" frees both (the stream stays open, in
// explore mode, so the teacher's counts are true) and "Back to the teacher" catches up at once, as does the
// teacher's "Bring everyone back"; while the teacher holds the class, the page follows and says why. The student's
// own view is kept for the next time they explore, their drawing can be sent to the teacher, and questions to the
// class are answered here (answering.js).
import * as rest from "./rest.js";
import { toBytes } from "../bytes.js";
import { h, $ } from "../dom.js";
import { openStream, LOST } from "./stream.js";
import { createFollower } from "./follow.js";
import { createAnswering } from "./answering.js";
import { studentPacing } from "./pacing.js";

const TOOLS = ["clear", "undo", "upload-button", "open-gallery"];    // the pad's tools: idle while following
const NUDGE_MS = 1200;

/** page: {player, pad, names, watch(id)}; box: where the banner goes. watch(run id | null): while following, the
 *  training the class's state names (the teacher's), watched here without a trace of this page's own. */
export function createStudent(page, box) {
  let code = null, stream = null, mode = null;   // mode: "follow", "explore", or null (in no class)
  let latest = null, applied = -1, joined = false;
  let own = null, ownShown = false;              // the student's own view, kept; is it on screen now?
  let input = null, sending = false;             // the digit on screen, as the network's input bytes
  let answering = null;
  const pacing = studentPacing();
  const follower = createFollower(page);

  const text = h("span.class-state");
  const note = h("span#class-note.class-note", { "aria-live": "polite" });
  const button = (id, label, fn) => h(`button#${id}`, { type: "button", onclick: fn }, label);
  const exploreButton = button("explore", "Explore on my own", () => explore());
  const backButton = button("back-to-teacher", "Back to the teacher", () => follow());
  const sendButton = button("send-drawing", "Send my drawing to the teacher", () => send());
  const closeButton = button("leave-class", "Close", () => leave());
  const banner = h("div#class-banner.class-banner", { role: "region", "aria-label": "Class" },
    text, exploreButton, backButton, sendButton, closeButton, pacing.note, note);

  function render() {
    banner.dataset.mode = mode ?? "ended";
    exploreButton.hidden = mode !== "follow";
    exploreButton.disabled = pacing.held;
    pacing.note.hidden = !pacing.held || mode !== "follow";
    backButton.hidden = mode !== "explore";
    sendButton.hidden = mode !== "explore";          // there all along while exploring: the pad does not move
    sendButton.disabled = sending || !(ownShown && input);
    closeButton.hidden = mode !== null;
    if (mode === "follow") text.textContent = `Following the teacher · class ${code}`;
    else if (mode === "explore") text.textContent = `Exploring on your own · class ${code}`;
    else text.textContent = joined ? `Class ${code} has ended: the page is yours to explore.`
      : `No class ${code} is running here: it has ended, or the code is mistyped.`;
    page.pad.locked = mode === "follow";
    for (const id of TOOLS) $(id).disabled = mode === "follow";
    document.body.classList.toggle("class-following", mode === "follow");
  }

  function join(c) {
    code = c;
    if (location.pathname !== `/c/${code}`) history.replaceState(null, "", `/c/${code}${location.hash}`);
    mode = "follow";
    document.body.classList.add("class-student");
    answering = createAnswering(code);
    box.replaceChildren(banner, answering.el);
    render();
    stream = openStream(code, "follow", {
      state(s, seq, at) {
        latest = { s, seq, at };
        joined = true;
        pace(s);
        if (mode === "follow" && seq !== applied) { applied = seq; follower.apply(s, at); page.watch(s.training); }
      },
      counts() {},
      drawings() {},
      question: (q) => answering.question(q),
      reveal: (r) => answering.reveal(r),
      end() { mode = null; note.textContent = ""; answering.end(); render(); page.watch(null); },
      connected(on) {
        banner.classList.toggle("offline", !on);
        if (mode && !on) note.textContent = LOST;
        else if (note.textContent === LOST) note.textContent = "";     // another note (a drawing sent) stays
      },
    });
  }

  /** The teacher's pacing in the state: held, or brought back, a page exploring follows again. */
  function pace(s) {
    const why = pacing.state(s);
    if (mode === "explore" && why) {
      follow();
      if (why === "recalled") note.textContent = "The teacher brought everyone back.";
    } else if (mode) render();
  }

  function explore() {
    if (mode !== "follow" || pacing.held) return;
    mode = "explore";
    stream.setMode("explore");
    page.watch(null);
    note.textContent = "";
    if (own) {                                    // where they were the last time
      ownShown = true;
      follower.forget();
      page.open({ ...own, back: null });
    }
    render();
  }

  function follow() {
    if (mode !== "explore") return;
    if (ownShown) own = page.view();              // kept for the next time they explore
    if (ownShown || follower.busy) follower.forget();
    ownShown = false;
    mode = "follow";
    note.textContent = "";
    render();
    stream.setMode("follow");
    if (latest) { applied = latest.seq; follower.apply(latest.s, latest.at); page.watch(latest.s.training); }
  }

  /** The student tried to move the player or draw while following: point at the way out. */
  function nudge() {
    note.textContent = pacing.held ? "The teacher is holding the class for now: everyone follows."
      : "The teacher drives: click “Explore on my own” to step or draw yourself.";
    banner.classList.add("nudge");
    setTimeout(() => banner.classList.remove("nudge"), NUDGE_MS);
  }

  async function send() {
    sending = true;
    render();
    note.textContent = "Sending…";
    try {
      const { prediction } = await rest.sendDrawing(code, input);
      note.textContent = `Sent to the teacher: the network read it as ${prediction}.`;
    } catch (e) {
      note.textContent = `Not sent: ${e.message}.`;
    } finally {
      sending = false;
      render();
    }
  }

  function leave() {
    stream?.close();
    answering?.end();
    page.watch(null);
    mode = code = null;
    box.replaceChildren();
    document.body.classList.remove("class-student");
    history.replaceState(null, "", `/${location.hash}`);
  }

  $("pad").addEventListener("pointerdown", () => { if (mode === "follow") nudge(); });
  // Drops on the pad are idle too while following (the pad's own listener is not reached).
  for (const type of ["dragover", "drop"]) {
    $("drop").addEventListener(type, (e) => { if (mode === "follow") e.stopPropagation(); }, true);
  }

  return {
    join,
    get following() { return mode === "follow"; },
    nudge,
    traced(stages, src) {
      const first = stages?.find((st) => st.kind === "input");
      input = first ? toBytes(first.output.data) : null;
      if (mode === "follow") follower.traced();
      else if (mode === "explore" && src) ownShown = true;
      if (mode) render();
    },
    empty() { input = null; if (mode === "follow") follower.empty(); else if (mode) render(); },
    shown() { if (mode === "follow") follower.shown(); },
  };
}
