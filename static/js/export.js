// Export: the stage shown as a picture (PNG, at the position shown) or an animation (GIF), or the whole walk-through
// (HTML), made by the server (POST /api/export) from the digit shown, its weights and its backward walk, and saved
// under the name the server gives (the digit and the stage). A menu button: Enter or Space opens it, the arrows
// move within it, Escape closes it; no key of the page's own.
import { $, h } from "./dom.js";
import { request } from "./http.js";

const WORDS = { png: "the picture", gif: "the animation", html: "the walk-through" };

const INDEXED = new Set(["flatten", "dense", "softmax"]);   // kinds whose position is an index, as the page's

/**
 * What the pictures take as the position shown: "ROW,COL" of a stage's maps (every channel; the page steps filter
 * by filter), an index for flatten, dense and softmax, or null where a stage has one position (input, loss).
 * stage: {name, kind, shape}, of either walk.
 */
export function exportPos(stage, pos) {
  if (stage.kind === "input" || stage.kind === "loss") return null;
  if (INDEXED.has(stage.kind)) return String(pos);
  const [, rows, cols] = stage.shape, cell = pos % (rows * cols);
  return `${Math.floor(cell / cols)},${cell % cols}`;
}

/**
 * page: {shown() -> {stage: {name, kind, shape}, pos} or null, digit() -> {body, type} or null (the digit
 * shown, as sent to /api/trace), weights() -> id or null, back() -> label or null, status(text, kind)}.
 * Returns {enable(on)}.
 */
export function setupExport(page) {
  const open = $("export-open"), menu = $("export-menu");
  const items = [...menu.querySelectorAll("[role=menuitem]")];

  function show(on, focus = true) {
    menu.hidden = !on;
    open.setAttribute("aria-expanded", String(on));
    if (focus) (on ? items[0] : open).focus();
  }
  open.addEventListener("click", () => show(menu.hidden));
  menu.addEventListener("keydown", (e) => {
    const i = items.indexOf(document.activeElement);
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: items.length - 1 }[e.key];
    if (e.key === "Escape") show(false);
    else if (e.key === "Tab") { show(false, false); return; }
    else if (to !== undefined) items[(to + items.length) % items.length].focus();
    else if (e.key.startsWith("Arrow")) { /* left, right: not the stepper's while the menu is open */ }
    else return;
    e.preventDefault();
  });
  document.addEventListener("click", (e) => { if (!menu.hidden && !e.target.closest("#export")) show(false, false); });
  for (const item of items) item.addEventListener("click", () => { show(false); save(item.dataset.format); });

  async function save(format) {
    const at = page.shown(), digit = page.digit();
    if (!at || !digit) return;
    const q = new URLSearchParams({ format });
    if (format !== "html") q.set("stage", at.stage.name);
    const pos = format === "png" ? exportPos(at.stage, at.pos) : null;
    if (pos !== null) q.set("pos", pos);
    if (page.weights()) q.set("weights", page.weights());
    if (page.back() !== null) q.set("back", String(page.back()));
    page.status(`Making ${WORDS[format]}${format === "html" ? "" : ` of ${at.stage.name}`}…`);
    try {
      const body = digit.type === "application/json" ? JSON.stringify(digit.body) : digit.body;
      const r = await request(`/api/export?${q}`, { method: "POST", body, headers: { "Content-Type": digit.type } });
      const name = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") ?? "")?.[1] ?? `cnnviz.${format}`;
      const link = h("a", { href: URL.createObjectURL(await r.blob()), download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      page.status(`Saved ${name}.`);
    } catch (e) {
      page.status(`The export could not be made: ${e.message}`, "error");
    }
  }

  return {
    /** Whether there is a digit to export. */
    enable(on) { open.disabled = !on; if (!on) show(false, false); },
  };
}
