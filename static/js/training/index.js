// "Train from scratch" in the page: the button, and the dialog (dialog.js and the rest, training.css) loaded when
// first opened, when a run is under way (this page reloaded: it follows it), or when a followed class trains.
import * as rest from "./rest.js";
import { $ } from "../dom.js";
import { later, style } from "../later.js";
import { saved } from "../classroom/token.js";

const RUN_ID = /^run-[0-9a-f]+$/;

/** Is a weights id a training run's (not a shipped checkpoint's)? */
export const isRun = (id) => typeof id === "string" && RUN_ID.test(id);

/**
 * Set up the button (#open-scratch). model: /api/model; hooks: {digit(), use(id), shows(id)} (see dialog.js).
 * Returns watchClass(id): the run a followed class's state names, or null.
 */
export function setupScratch(model, hooks) {
  const opener = $("open-scratch");
  const info = rest.overview().catch(() => null);
  const scratch = later(async () => {
    const [{ createScratch }] = await Promise.all([import("./dialog.js"), style("training.css")]);
    return createScratch(model, await info, hooks);
  });
  info.then((i) => {
    if (!i || !opener) return;
    // A student's device watches the teacher's run; a class's teacher trains with its token from any machine.
    if (!i.allowed && !saved()?.token) opener.textContent = "Watch training";
    opener.addEventListener("click", () => scratch.get().then((s) => s.open()));
    if (i.current) scratch.get().then((s) => s.follow(i.current));
  });
  return (id) => {
    if (id || scratch.now) info.then((i) => i && scratch.get().then((s) => s.watchClass(id ?? null)));
  };
}
