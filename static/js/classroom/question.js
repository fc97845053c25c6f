// A question to the class as every page shows it, in #question: the prompt and its choices (buttons a student taps;
// a list on the teacher's page, for the projector), data-state "open" until the reveal, then "revealed": the right
// choice marked (data-right, aria-current), how many chose each, and to a student whether they were right. Anonymous:
// counts only, never who chose what. While a question is open the page's prediction is hidden (body.question-open):
// "What will the network answer?" is asked before it is shown. Everything the server sent goes in as text.
import { h } from "../dom.js";

const share = (n, total) => (total ? Math.round((100 * n) / total) : 0);
const plural = (n) => `${n} ${n === 1 ? "answer" : "answers"}`;

/** answerable: a student's page (the choices are buttons: onChoose(i)); onClose() when the revealed card is closed.
 *  Returns {el, show(q, mine), mark(mine), counts({answers, counts}), distribution(on), reveal(r, mine), hide(),
 *  say(text), asked (the question shown last), revealed}. */
export function createQuestion({ answerable, onChoose = () => {}, onClose = () => {} }) {
  const prompt = h("p#question-prompt.question-prompt");
  const list = h("div.question-choices", { role: "group", "aria-labelledby": "question-prompt" });
  const verdict = h("p.question-verdict", { role: "status", "aria-live": "polite" });
  const close = h("button.question-close", { type: "button", hidden: true, onclick: () => { hide(); onClose(); } }, "Close");
  const el = h("section#question.question", { "aria-label": "Question to the class", hidden: true },
    h("h3.question-title", {}, "Question to the class"), prompt, list, verdict, close);
  let asked = null, items = [];

  function show(q, mine = null) {
    asked = q;
    prompt.textContent = q.prompt;
    items = q.choices.map((text, i) => {
      const parts = [h("span.choice-text", {}, text), h("span.choice-count"), h("span.choice-tag"),
        h("span.choice-bar", { "aria-hidden": "true" })];
      const item = answerable
        ? h("button.choice", { type: "button", "aria-pressed": "false", onclick: () => onChoose(i) }, parts)
        : h("div.choice", {}, parts);
      return { item, count: parts[1], tag: parts[2], bar: parts[3] };
    });
    list.replaceChildren(...items.map((x) => x.item));
    el.dataset.state = "open";
    el.classList.remove("counted");
    close.hidden = true;
    el.hidden = false;
    document.body.classList.add("question-open");
    mark(mine);
    say(answerable ? "Tap your answer. You can change it until the teacher reveals it." : "");
  }

  function mark(mine) {
    items.forEach((x, i) => {
      x.item.classList.toggle("mine", i === mine);
      if (answerable) x.item.setAttribute("aria-pressed", String(i === mine));
    });
  }

  function counts({ answers, counts: each }) {
    items.forEach((x, i) => {
      const n = each[i] ?? 0;
      x.count.textContent = `${n} · ${share(n, answers)}%`;
      x.bar.style.width = `${share(n, answers)}%`;
    });
  }

  /** Show the counts of each choice (the teacher's choice before the reveal), or hide them. */
  function distribution(on) { el.classList.toggle("counted", on); }

  function reveal(r, mine = null) {
    el.dataset.state = "revealed";
    items.forEach((x, i) => {
      if (i === r.right) {
        x.item.dataset.right = "";
        x.item.setAttribute("aria-current", "true");
      }
      x.tag.textContent = i === mine ? "your answer" : "";
      if (answerable) x.item.disabled = true;
    });
    document.body.classList.remove("question-open");
    counts(r);
    distribution(true);
    mark(mine);
    const right = asked.choices[r.right];
    say(!answerable ? `${plural(r.answers)}; the right one is ${right}.`
      : mine === null ? `You did not answer. The right answer is ${right}.`
        : mine === r.right ? `Right! ${plural(r.answers)} in the class.` : `Not this time: the right answer is ${right}.`);
    close.hidden = false;
  }

  function hide() {
    el.hidden = true;
    document.body.classList.remove("question-open");
  }
  function say(text) { verdict.textContent = text; }

  return { el, show, mark, counts, distribution, reveal, hide, say,
    get asked() { return asked; }, get revealed() { return el.dataset.state === "revealed"; } };
}
