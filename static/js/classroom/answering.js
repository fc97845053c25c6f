// A student's side of a question to the class: #question with the choices as large buttons; a tap sends the answer
// (again on each change: the server keeps the last) until the reveal, then the right answer, how the class
// answered and whether this device was right. The device's id and its answer are kept in this browser, so a reload
// shows the answer given and the server still counts the device once.
import * as rest from "./rest.js";
import { randomHex } from "../bytes.js";
import { keep, kept } from "../stored.js";
import { createQuestion } from "./question.js";

const DEVICE = "cnnviz.device", ANSWER = "cnnviz.answer";     // localStorage keys
const DEVICE_BYTES = 12;

/** This browser's id for its answers: made once, kept if the browser may. */
function deviceId() {
  const made = kept(DEVICE) ?? randomHex(DEVICE_BYTES);
  keep(DEVICE, made);
  return made;
}

/** code: the class's. Returns {el, question(q), reveal(r)}: what the class's stream says; end(): the class is over. */
export function createAnswering(code) {
  const device = deviceId();
  let mine = null, sending = 0;
  const view = createQuestion({ answerable: true, onChoose: (i) => choose(i) });

  async function choose(i) {
    const q = view.asked;
    mine = i;
    view.mark(i);
    keep(ANSWER, { code, id: q.id, choice: i });
    const turn = ++sending;
    view.say("Sending…");
    try {
      await rest.answer(code, q.id, device, i);
      if (turn === sending) view.say("Your answer is in. You can change it until the teacher reveals it.");
    } catch (e) {
      if (turn !== sending || view.revealed) return;
      view.say(e.status === 409 ? "The teacher has revealed the answer: answers are closed."
        : `Not sent (${e.message}): tap your answer again.`);
    }
  }

  return {
    el: view.el,
    question(q) {
      if (q.id === view.asked?.id) return;               // heard again after a reconnect: keep the answer shown
      const given = kept(ANSWER);
      mine = given?.code === code && given.id === q.id ? given.choice : null;
      view.show(q, mine);
      if (mine !== null) view.say("Your answer is in. You can change it until the teacher reveals it.");
      view.el.scrollIntoView({ block: "nearest" });
    },
    reveal(r) {
      if (r.id === view.asked?.id && !view.revealed) view.reveal(r, mine);   // only a question this page showed
    },
    end() { view.hide(); },
  };
}
