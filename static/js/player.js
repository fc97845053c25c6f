// The player: moves between stages and, within a stage, between positions. It knows nothing of layer
// kinds; it is told how many positions the current view has.
import { SPEEDS, DEFAULT_SPEED_INDEX } from "./config.js";

/**
 * stageCount: the stages of the walk shown (the forward pass; setStages() when another walk is shown).
 * hooks.stage(index) -> number of positions of that stage's view (called on every stage change);
 * hooks.position(pos) draws a position; hooks.state({stage, pos, count, playing, speed}) after any change.
 */
export function createPlayer(stageCount, hooks) {
  const s = { stage: 0, pos: 0, count: 1, playing: false, speed: DEFAULT_SPEED_INDEX };
  let raf = 0, last = 0, acc = 0;

  const emit = () => hooks.state({ ...s });
  const clamp = (p) => Math.max(0, Math.min(s.count - 1, p));

  function setPos(p) {
    s.pos = clamp(p);
    hooks.position(s.pos);
  }

  function tick(now) {
    const dt = (now - last) / 1000;
    last = now;
    acc += dt * SPEEDS[s.speed];
    const n = Math.floor(acc);
    if (n > 0) {
      acc -= n;
      setPos(s.pos + n);
      if (s.pos >= s.count - 1) { pause(); return; }
      emit();
    }
    raf = requestAnimationFrame(tick);
  }

  function play() {
    if (s.count <= 1) return;
    if (s.pos >= s.count - 1) setPos(0);          // replay from the start
    if (!Number.isFinite(SPEEDS[s.speed])) { setPos(s.count - 1); emit(); return; }
    s.playing = true;
    acc = 1;                                       // move at once, then at the chosen pace
    last = performance.now();
    raf = requestAnimationFrame(tick);
    emit();
  }

  function pause() {
    cancelAnimationFrame(raf);
    s.playing = false;
    emit();
  }

  function goStage(i, pos = 0) {
    if (i < 0 || i >= stageCount) return;
    if (s.playing) pause();
    s.stage = i;
    s.count = Math.max(1, hooks.stage(i) || 1);
    setPos(pos);
    emit();
  }

  return {
    get state() { return { ...s }; },
    goStage,
    /** Another walk is shown (the backward pass, or the forward again), of n stages; goStage() to one of them. */
    setStages(n) { if (s.playing) pause(); stageCount = n; },
    next: () => goStage(s.stage + 1),
    prev: () => goStage(s.stage - 1),
    /** Re-ask the current view for its positions (e.g. a new trace arrived) and keep the position. */
    refresh: () => goStage(s.stage, s.pos),
    seek(p) { if (s.playing) pause(); setPos(p); emit(); },
    step(d) { if (s.playing) pause(); setPos(s.pos + d); emit(); },
    home() { this.seek(0); },
    end() { this.seek(s.count - 1); },
    play, pause,
    toggle: () => (s.playing ? pause() : play()),
    setSpeed(i) { s.speed = Math.max(0, Math.min(SPEEDS.length - 1, i)); acc = 0; emit(); },
  };
}
