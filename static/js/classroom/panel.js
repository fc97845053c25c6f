// The teacher's class panel, readable from the back of the room: the join code, the join address and its QR
// code, how many students follow and how many explore on their own, "Ask the class" and the question asked,
// the pacing ("Bring everyone back", "Hold the class"), the drawings they sent, and "End the class".
// Everything the server sent is put in as text or attributes, never as HTML.
import { h } from "../dom.js";
import { LOST } from "./stream.js";

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** cls: {code, join_url, reachable, qr}; on: {end() once the teacher confirmed, ask(), recall(), hold(on)};
 *  question: the element of the question asked, under the bar. Returns {el, counts(c), drawings, connected(bool),
 *  held(on)}. */
export function createPanel(cls, on, question) {
  const followers = h("span#followers.class-count", {}, "0 following");
  const explorers = h("span#explorers.class-count", {}, "0 exploring on their own");
  const askButton = h("button#ask-class.class-ask", { type: "button", onclick: () => on.ask() }, "Ask the class");
  const recallButton = h("button#bring-back", { type: "button", onclick: () => on.recall() }, "Bring everyone back");
  const holdButton = h("button#hold-class", { type: "button", "aria-pressed": "false",
    onclick: () => on.hold(holdButton.getAttribute("aria-pressed") !== "true") }, "Hold the class");
  const details = h("button#class-details", { type: "button", "aria-expanded": "true", "aria-controls": "join-card" },
    "Hide join details");
  const endButton = h("button#end-class", { type: "button" }, "End the class");
  const confirm = h("span.class-confirm", { hidden: true }, "End it for every student? ",
    h("button#end-class-confirm.danger", { type: "button", onclick: () => on.end() }, "End the class now"),
    h("button#end-class-keep", { type: "button", onclick: () => ask(false) }, "Keep it running"));
  const warning = cls.reachable ? null : h("p.class-warning", { role: "note" },
    "Phones cannot reach this address: the server listens only on this computer. To serve the room, stop it and ",
    "run ", h("code", {}, "cnnviz serve --host 0.0.0.0"), ", allow it through the firewall if asked, then start ",
    "a class again.");
  const card = h("div#join-card.join-card", {},
    h("img#join-qr", { src: cls.qr, alt: `QR code of ${cls.join_url}`, width: "240", height: "240" }),
    h("div.join-text", {},
      h("p.join-label", {}, "Scan the code, or open"),
      h("a#join-url", { href: cls.join_url, target: "_blank", rel: "noopener" }, cls.join_url),
      h("p.join-label", {}, "or click “Join a class” in cnnviz and type"),
      h("p.join-code", { "aria-label": `class code ${cls.code.split("").join(" ")}` }, cls.code),
      warning));
  const drawingList = h("div.drawing-list");
  const drawingsBox = h("section#class-drawings.class-drawings", { "aria-label": "Drawings from students" },
    h("h3", {}, "Drawings from students"), drawingList);
  const drawingsButton = h("button#class-drawings-toggle", { type: "button", hidden: true, "aria-expanded": "false",
    "aria-controls": "class-drawings" });
  const connection = h("p#class-connection.class-connection", { role: "status" });   // empty while connected
  const el = h("section#class-panel.class-panel", { "aria-label": "Your class" },
    h("div.class-bar", {},
      h("span.class-title", {}, "Class ", h("b.class-code", {}, cls.code)),
      followers, explorers, askButton, recallButton, holdButton, h("span.class-gap"), drawingsButton, details,
      endButton, confirm),
    connection, question,
    h("div.class-body", {}, card, drawingsBox));
  // The drawings show when the teacher asks (one arriving moves nothing under their pen): how many came, were seen.
  let shownDrawings = false, count = 0, seen = 0;

  function labelDrawings() {
    drawingsButton.hidden = !count;
    drawingsBox.hidden = !count || !shownDrawings;
    drawingsButton.setAttribute("aria-expanded", String(shownDrawings));
    drawingsButton.textContent = `${shownDrawings ? "Hide" : "Show"} drawings (${count})`;
    drawingsButton.classList.toggle("fresh", !shownDrawings && count > seen);
  }
  drawingsButton.addEventListener("click", () => {
    shownDrawings = !shownDrawings;
    seen = count;
    labelDrawings();
  });

  function ask(yes) {
    confirm.hidden = !yes;
    endButton.hidden = yes;
    if (yes) confirm.querySelector("button").focus();
  }
  endButton.addEventListener("click", () => ask(true));
  details.addEventListener("click", () => {
    const open = card.hidden;
    card.hidden = !open;
    details.setAttribute("aria-expanded", String(open));
    details.textContent = open ? "Hide join details" : "Show join details";
    el.classList.toggle("compact", !open);
  });

  return {
    el,
    counts({ following = 0, exploring = 0 }) {
      followers.textContent = `${plural(following, "student", "students")} following`;
      explorers.textContent = `${exploring} exploring on their own`;
    },
    /** Every page follows (until released), or may explore again. */
    held(yes) { holdButton.setAttribute("aria-pressed", String(yes)); },
    /** The class's stream is lost (or the server's class store is down: the counts are stale), or back. */
    connected(on) {
      el.classList.toggle("offline", !on);
      connection.textContent = on ? "" : LOST;
    },
    /** The box the drawings go in; n drawings came in (the button says so, and stands out until they are seen). */
    drawings(n) {
      count = n;
      if (shownDrawings) seen = n;
      labelDrawings();
      return drawingList;
    },
  };
}
