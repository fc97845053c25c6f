// The classroom in the page. main.js hands over the player and the pad and reports what the page shows; a
// teacher's page drives a class ("Start a class"), a student's page follows one (its /c/CODE address, or
// "Join a class" and a code). The player's controls go through guard(): while following, the class drives.
// The teacher's and the student's code load when first needed (a first visit uses neither).
import { $ } from "../dom.js";
import { later, style } from "../later.js";
import { saved } from "./token.js";

const JOIN_PATH = /^\/c\/([^/]+)\/?$/;        // a class's join address

/** Is this page a class's join address (whose digit comes from the class, not a first visit's sample)? */
export const joining = JOIN_PATH.test(location.pathname);

let page = null, shownTrace = null;           // what the page reported last: a late teacher or student starts there
let training = null;                          // the run this page's training dialog shows
const box = () => $("classroom");

const teacher = later(async () => {
  const [{ createTeacher }] = await Promise.all([import("./teacher.js"), style("classroom.css")]);
  const t = createTeacher(page, box(), !joining);
  if (shownTrace) t.traced(...shownTrace);
  if (training) t.training(training);
  return t;
});
const student = later(async () => {
  const [{ createStudent }, { createJoin }] = await Promise.all([import("./student.js"), import("./join.js"),
    style("classroom.css")]);
  const s = createStudent(page, box());
  if (shownTrace) s.traced(...shownTrace);
  return { s, join: createJoin((code) => s.join(code)) };
});

/** page: {player, pad, names, back(), watch(run id | null), open(view), view()} (watch: a class's training,
 *  watched while following; open: show a digit and a view as a link would; view: the view shown, as a link). */
export function setup(p) {
  page = p;
  const path = location.pathname.match(JOIN_PATH);
  if (path) student.get().then(({ s }) => s.join(decodeURIComponent(path[1]).toUpperCase()));
  else if (saved()?.token) teacher.get();                  // this browser's class: offer to resume it
  $("start-class").addEventListener("click", () => teacher.get().then((t) => t.start()));
  $("join-class").addEventListener("click", () => student.get().then(({ join }) => join()));
}

/** What the page reports (main.js): the player's state, a digit's trace (or none), a stage drawn, the run its
 *  training dialog shows (null: none). */
export const viewed = (s) => teacher.now?.viewed(s);
export function traced(stages, src) { shownTrace = [stages, src]; teacher.now?.traced(stages, src); student.now?.s.traced(stages, src); }
export function empty() { shownTrace = null; teacher.now?.empty(); student.now?.s.empty(); }
export function shown() { teacher.now?.shown(); student.now?.s.shown(); }
export function trains(id) { training = id; teacher.now?.training(id); }

/** The player as the user's controls see it: while following the teacher, their moves are not made. */
export function guard(player) {
  return new Proxy(player, {
    get(target, key) {
      const value = Reflect.get(target, key);
      if (typeof value !== "function") return value;
      return (...args) => {
        const s = student.now?.s;
        if (!s?.following) return value.apply(target, args);
        s.nudge();
        if (key === "setSpeed") target.setSpeed(target.state.speed);    // the slider goes back to the class's speed
      };
    },
  });
}
