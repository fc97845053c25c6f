// The page around the network: light/dark theme, presenter mode, the help overlay and dialogs.
import { $ } from "./dom.js";

const THEME_KEY = "cnnviz.theme";

/** Light/dark theme, remembered; onChange() lets plots pick up the new colours. */
export function setupTheme(onChange) {
  const saved = localStorage.getItem(THEME_KEY);
  const dark = saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  const apply = (d) => {
    document.documentElement.dataset.theme = d ? "dark" : "light";
    $("theme").textContent = d ? "Light" : "Dark";
  };
  apply(dark);
  $("theme").addEventListener("click", () => {
    const d = document.documentElement.dataset.theme !== "dark";
    localStorage.setItem(THEME_KEY, d ? "dark" : "light");
    apply(d);
    onChange();
  });
}

/** Presenter mode: full screen, large type, high contrast. Returns the toggle (for F and the button).
 *  Leaving full screen with Esc keeps the large type; F or the button leaves presenter mode. */
export function setupPresenter(onChange) {
  const root = document.documentElement;
  const set = (on) => {
    root.classList.toggle("presenter", on);
    $("presenter").setAttribute("aria-pressed", String(on));
    onChange();
  };
  const toggle = () => {
    const on = !root.classList.contains("presenter");
    set(on);
    if (on && !document.fullscreenElement) root.requestFullscreen?.().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen?.().catch(() => {});
  };
  $("presenter").addEventListener("click", toggle);
  return toggle;
}

/** A <dialog> with a close button; returns a toggle. */
export function setupDialog(id, opener) {
  const d = $(id);
  d.querySelector(".close").addEventListener("click", () => d.close());
  d.addEventListener("click", (e) => { if (e.target === d) d.close(); });   // click on the backdrop
  const toggle = () => (d.open ? d.close() : d.showModal());
  if (opener) $(opener).addEventListener("click", toggle);
  return toggle;
}

/** The one-line status under the prediction ("draw a digit", errors), never a blocking dialog. */
export function status(text, kind = "") {
  const s = $("status");
  s.textContent = text ?? "";
  s.dataset.kind = kind;
}
