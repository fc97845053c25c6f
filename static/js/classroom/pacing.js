// The teacher's pacing, carried by the class's state: `hold` (every page follows until the teacher lets go) and
// `recall` (raised by each "Bring everyone back": a page exploring on its own follows again when it changes).
import { h } from "../dom.js";

/** The teacher's side: changed() sends the state again. Returns {fields() (what goes in the state), adopt(state) (a
 *  state from another window of the teacher's), recall(), hold(on), held}. */
export function teacherPacing(changed) {
  let hold = false, recall = 0;
  return {
    fields: () => ({ ...(hold ? { hold } : {}), ...(recall ? { recall } : {}) }),
    adopt(s) { hold = !!s.hold; recall = s.recall ?? 0; },
    recall() { recall++; changed(); },
    hold(on) { hold = on; changed(); },
    get held() { return hold; },
  };
}

/** A student's side. Returns {note (the banner's line saying why "Explore on my own" waits), state(s) -> "held",
 *  "recalled" or null: whether a page exploring must follow now, and why; held}. */
export function studentPacing() {
  let held = false, recall = null;              // recall: the last seen (null: no state yet)
  const note = h("span#class-hold.class-hold", { hidden: true }, "The teacher is holding the class: everyone " +
    "follows, and “Explore on my own” comes back when they let go.");
  return {
    note,
    state(s) {
      const called = recall !== null && (s.recall ?? 0) !== recall;
      held = !!s.hold;
      recall = s.recall ?? 0;
      return held ? "held" : called ? "recalled" : null;
    },
    get held() { return held; },
  };
}
