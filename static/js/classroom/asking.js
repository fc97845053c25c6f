// The teacher's side of a question to the class: "Ask the class" asks about what comes next where the class is
// (the page paused and the class brought to it first), #answers says how many have answered (read every second
// while the question is open), "Show the answers" the distribution when the teacher chooses, "Reveal" the right
// answer to every page, and "Step on" then moves the page to what was asked about. A second window of the
// teacher's (the projector) shows the same question from the class's stream.
import * as rest from "./rest.js";
import { h } from "../dom.js";
import { createQuestion } from "./question.js";

const POLL_MS = 1000;          // how often the count of answers is read while a question is open

/** cls: {code, token}; page: {ready() -> promise of the body to ask with ({} or {pixels}), once the class shows
 *  the page's view; step(stage, pos)}; said(text, kind) for what went wrong. Returns {el, ask(), question(q),
 *  reveal(r), following(n), stop() (the class is over)}. */
export function createAsking(cls, page, said) {
  const view = createQuestion({ answerable: false, onClose: () => { bar.hidden = true; } });
  const answers = h("span#answers.answers-count", { role: "status" });
  const toggle = h("button#show-answers", { type: "button", "aria-pressed": "false", onclick: () => shown(!showing) },
    "Show the answers");
  const revealButton = h("button#reveal.reveal", { type: "button", onclick: () => reveal() }, "Reveal");
  const stepButton = h("button#step-on", { type: "button", hidden: true, onclick: () => stepOn() }, "Step on");
  const bar = h("div.asking-bar", { hidden: true }, answers, toggle, revealButton, stepButton);
  const el = h("div.class-asking", {}, view.el, bar);
  let timer = 0, showing = false, following = 0, last = { answers: 0, counts: [] };

  function shown(on) {
    showing = on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Hide the answers" : "Show the answers";
    view.distribution(on || view.revealed);
  }

  function counted(c) {
    last = c;
    view.counts(c);
    const of = following ? ` of ${following} following` : "";
    answers.textContent = `${c.answers} answered${of}`;
  }

  async function poll() {
    clearTimeout(timer);
    const q = view.asked;
    if (!q || view.revealed) return;
    try {
      const c = await rest.tally(cls.code, cls.token, q.id);
      if (q === view.asked) counted(c);
    } catch { /* the stream says when the class is unreachable; the next read tries again */ }
    if (q === view.asked && !view.revealed) timer = setTimeout(poll, POLL_MS);
  }

  function question(q) {
    if (q.id === view.asked?.id) return;                 // this window's own, coming back on the stream
    view.show(q);
    bar.hidden = false;
    revealButton.hidden = false;
    stepButton.hidden = true;
    shown(false);
    counted({ answers: 0, counts: q.choices.map(() => 0) });
    poll();
  }

  async function ask() {
    try {
      question(await rest.ask(cls.code, cls.token, await page.ready()));
    } catch (e) {
      said(`No question: ${e.message}.`, e.status === 409 ? "" : "error");
    }
  }

  function revealed(r) {
    if (r.id !== view.asked?.id || view.revealed) return;
    clearTimeout(timer);
    view.reveal(r);
    counted(r);
    revealButton.hidden = true;
    stepButton.hidden = false;
    shown(showing);
  }

  async function reveal() {
    const q = view.asked;
    try {
      revealed({ id: q.id, ...(await rest.reveal(cls.code, cls.token, q.id)) });
    } catch (e) {
      said(`The answer could not be revealed: ${e.message}.`, "error");
    }
  }

  function stepOn() {
    page.step(view.asked.stage, view.asked.pos);
    stepButton.hidden = true;
  }

  return {
    el, ask, question, reveal: revealed,
    following(n) { following = n; counted(last); },
    stop() { clearTimeout(timer); view.hide(); },
  };
}
