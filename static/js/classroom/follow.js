// Puts the page where a class's state says: its digit first (page.open, as a shared link opens, so the page loads
// it exactly as it loads a link), then, once that digit is on screen, its stage, position, speed and play/pause.
// A playing state is played here from its position and age, not sent frame by frame.
import { SPEEDS } from "../config.js";

const KEYS = { sample: "s", strokes: "d", pixels: "p" };      // a state's source kinds -> the hash's keys

/** A state's source ({sample} | {strokes} | {pixels}, packed as in a link, or null) -> the hash's digit part. */
export function linkOf(source) {
  const [kind, text] = Object.entries(source ?? {})[0] ?? [];
  return kind in KEYS ? new URLSearchParams({ [KEYS[kind]]: text }).toString() : "";
}

/** The hash's digit part -> a state's source, or null for none. */
export function sourceOf(link) {
  const q = new URLSearchParams(link);
  const kind = Object.keys(KEYS).find((k) => q.get(KEYS[k]));
  return kind ? { [kind]: q.get(KEYS[kind]) } : null;
}

/** page: {player, names (the stage names of the walk shown), open(view)}; settled() after the page was moved to a state.
 *  Tell it traced() when a digit's trace arrived, empty() when the page has no digit, shown() when a stage was
 *  drawn with it. */
export function createFollower(page, settled = () => {}) {
  const { player } = page;
  let latest = null, at = 0;               // the last state to follow and when it came (performance.now())
  let opened, weights = null, back = null; // the digit (link), weights and backward walk this page last opened
  let waiting = false, traced = false;     // a digit is loading: its stage and position wait for it
  let moving = false;                      // the player is being moved (its changes are the class's, not the user's)

  function move() {
    const st = latest;
    const speed = SPEEDS[st.speed] ?? SPEEDS[0];
    const ahead = st.playing && Number.isFinite(speed)
      ? Math.floor((((st.age ?? 0) + performance.now() - at) / 1000) * speed) : 0;
    moving = true;
    try {
      if (player.state.speed !== st.speed) player.setSpeed(st.speed);
      const stage = page.names.indexOf(st.stage);  // a stage already on screen is not mounted again
      if (stage === player.state.stage) player.seek(st.pos + ahead); else player.goStage(stage, st.pos + ahead);
      const s = player.state;
      if (st.playing && s.pos < s.count - 1) player.play();
    } finally {
      moving = false;
    }
    settled();
  }

  function ready() {
    waiting = false;
    if (latest) move();
  }

  return {
    /** Follow this state (received at performance.now() = receivedAt). */
    apply(state, receivedAt = performance.now()) {
      latest = state;
      at = receivedAt;
      const link = linkOf(state.source), w = state.weights ?? null, b = state.back ?? null;
      if (link !== opened || w !== weights || b !== back) {
        opened = link;
        weights = w;
        back = b;
        waiting = true;
        traced = false;
        page.open({ link, stage: state.stage, pos: state.pos, weights: w, back: b });
      } else if (!waiting) move();
    },
    /** The page already shows this digit with these weights and walk (a link it opened itself). */
    assume(link, w = null, b = null) { opened = link; weights = w; back = b; },
    /** The page shows something else now (the student's own digit): the next apply opens the class's again. */
    forget() { opened = undefined; waiting = false; },
    traced() { if (waiting) traced = true; },
    empty() { if (waiting) ready(); },
    shown() { if (waiting && traced) ready(); },
    get latest() { return latest; },
    /** Is the page being moved to the class's state (a digit loading, the player set)? */
    get busy() { return waiting || moving; },
  };
}
