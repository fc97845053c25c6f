// The player's controls: buttons, speed, the clickable timeline and the keyboard shortcuts.
import { SPEEDS } from "./config.js";
import { h, $ } from "./dom.js";
import { ownsKey, sliderPages } from "./keys.js";

const speedText = (s) => (Number.isFinite(s) ? `${s}/s` : "instant");

/** Build the timeline from the model's stages and wire every control to the player. */
export function createControls(stages, player, extra) {
  let items = [];
  /** The timeline's stages: the forward walk's, or the backward walk's (update.setStages, when another is shown). */
  function setStages(list) {
    stages = list;
    items = stages.map((s, i) =>
      h("li", {}, h("button.stage-link", { type: "button", "data-stage": s.name, "data-kind": s.kind, "aria-label": `Stage ${i + 1}: ${s.name}`,
        onclick: () => player.goStage(i) },
        h("span.num", {}, String(i + 1)), h("span.name", {}, s.name))));
    $("timeline").replaceChildren(...items);
  }
  setStages(stages);

  $("prev").addEventListener("click", () => player.prev());
  $("next").addEventListener("click", () => player.next());
  $("home").addEventListener("click", () => player.home());
  $("end").addEventListener("click", () => player.end());
  $("back").addEventListener("click", () => player.step(-1));
  $("fwd").addEventListener("click", () => player.step(1));
  $("play").addEventListener("click", () => player.toggle());
  const speed = $("speed");
  speed.max = String(SPEEDS.length - 1);
  speed.addEventListener("input", () => player.setSpeed(Number(speed.value)));

  const KEYS = {
    ArrowRight: () => player.next(), PageDown: () => player.next(),
    ArrowLeft: () => player.prev(), PageUp: () => player.prev(),
    " ": () => player.toggle(), ".": () => player.step(1), ",": () => player.step(-1),
    Home: () => player.home(), End: () => player.end(),
    f: extra.presenter, F: extra.presenter, "?": extra.help,
  };
  sliderPages(document);                                  // any slider's PageUp/PageDown: a bigger step
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t.closest?.("dialog[open]")) return;             // an open dialog keeps its own keys
    if (ownsKey(t, e.key)) return;                        // a slider's Home/End, a button's Space: the control's
    const fn = KEYS[e.key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });

  /** Reflect the player's state in every control. */
  return Object.assign(function update(s) {
    items.forEach((li, i) => {
      const b = li.firstChild;
      if (i === s.stage) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
      b.classList.toggle("done", i < s.stage);
    });
    $("prev").disabled = s.stage === 0;
    $("next").disabled = s.stage === stages.length - 1;
    const animated = s.count > 1;
    for (const id of ["home", "back", "play", "fwd", "end"]) $(id).disabled = !animated;
    $("play").textContent = s.playing ? "⏸" : "▶";
    $("play").setAttribute("aria-label", s.playing ? "Pause (Space)" : "Play (Space)");
    speed.value = String(s.speed);
    $("speed-label").textContent = speedText(SPEEDS[s.speed]);
    $("position").textContent = animated ? `position ${s.pos + 1} of ${s.count}` : "";
    document.querySelector(".positions").classList.toggle("inactive", !animated);
  }, { setStages });
}
