// The classroom in the page. main.js hands over the player and the pad and reports what the page shows; a
// teacher's page drives a class ("Start a class"), a student's page follows one (its /c/CODE address, or
// "Join a class" and a code). The player's controls go through guard(): while following, the class drives.
import * as rest from "./rest.js";
import { h, $ } from "../dom.js";
import { setupDialog } from "../chrome.js";
import { createTeacher } from "./teacher.js";
import { createStudent } from "./student.js";

const JOIN_PATH = /^\/c\/([^/]+)\/?$/;        // a class's join address

let teacher = null, student = null;

/** Is this page a class's join address (whose digit comes from the class, not a first visit's sample)? */
export const joining = JOIN_PATH.test(location.pathname);

/** page: {player, pad, names}. */
export function setup(page) {
  const box = $("classroom");
  student = createStudent(page, box);
  const path = location.pathname.match(JOIN_PATH);
  if (path) student.join(decodeURIComponent(path[1]).toUpperCase());
  teacher = createTeacher(page, box, !path);
  setupJoin((code) => student.join(code));
}

/** What the page reports (main.js): the player's state, a digit's trace (or none), a stage drawn. */
export const viewed = (s) => teacher?.viewed(s);
export function traced(stages, src) { teacher?.traced(stages, src); student?.traced(stages, src); }
export function empty() { teacher?.empty(); student?.empty(); }
export function shown() { teacher?.shown(); student?.shown(); }

/** The player as the user's controls see it: while following the teacher, their moves are not made. */
export function guard(player) {
  return new Proxy(player, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return (...args) => {
        if (!student?.following) return value.apply(target, args);
        student.nudge();
        if (key === "setSpeed") target.setSpeed(target.state.speed);    // the slider goes back to the class's speed
      };
    },
  });
}

/** "Join a class": a dialog that asks for the code and checks that the class runs. */
function setupJoin(onJoin) {
  const input = h("input#join-code", { type: "text", autocomplete: "off", autocapitalize: "characters",
    spellcheck: "false", maxlength: "12", required: true, "aria-describedby": "join-error" });
  const error = h("p#join-error.join-error", { role: "alert" });
  const dialog = h("dialog#join-dialog", { "aria-labelledby": "join-title" },
    h("header", {}, h("h2#join-title", {}, "Join a class"), h("button.close", { type: "button", "aria-label": "Close" }, "✕")),
    h("form.join-form", { method: "dialog" },
      h("label", { for: "join-code" }, "The code your teacher shows"), input,
      h("button#join-go", { type: "submit" }, "Join"), error));
  document.body.append(dialog);
  setupDialog("join-dialog", "join-class");
  $("join-class").addEventListener("click", () => { error.textContent = ""; input.select(); });
  dialog.querySelector("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const c = await rest.show(input.value.trim());
      dialog.close();
      onJoin(c.code);
    } catch (err) {
      error.textContent = err.status === 404 ? `No class “${input.value.trim()}” is running here: check the code.`
        : `Could not join: ${err.message}.`;
    }
  });
}
