// Who a key press belongs to: a focused control keeps the keys it uses (the ARIA practices), the page's shortcuts
// get the rest; and a slider's PageUp/PageDown, which Chromium makes no bigger than an arrow on a short slider.

const FIELDS = "input, select, textarea";                  // a field types, moves or picks with every key
const PRESSABLE = "button, summary, [role=button]";         // a button keeps only the keys that press it
const PRESSES = new Set([" ", "Enter"]);

/** Whether the focused element el handles this key itself, so the page's shortcuts must leave it alone. */
export function ownsKey(el, key) {
  if (el.matches?.(FIELDS) || el.isContentEditable) return true;
  return PRESSES.has(key) && Boolean(el.matches?.(PRESSABLE));
}

const PAGE_FRACTION = 0.1;        // a page is a tenth of the slider, as Chromium's own PageUp on a long one ...
const PAGE_MIN_STEPS = 2;         // ... but more than an arrow's one step, as the ARIA slider pattern asks
const PAGE_KEYS = { PageUp: 1, PageDown: -1 };
const RANGE_DEFAULTS = { min: 0, max: 100, step: 1 };       // HTML's, for a slider that leaves one out

const attr = (el, name) => {
  const v = Number.parseFloat(el.getAttribute(name));
  return Number.isFinite(v) && (name !== "step" || v > 0) ? v : RANGE_DEFAULTS[name];   // step="any": one
};

/** Give every range slider under root (present or future) a PageUp/PageDown of a page's steps, with its input event. */
export function sliderPages(root = document) {
  root.addEventListener("keydown", (e) => {
    const s = e.target, dir = PAGE_KEYS[e.key];
    if (!dir || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || !s.matches?.("input[type=range]")) return;
    e.preventDefault();                                      // instead of the browser's smaller page
    if (s.disabled) return;
    const step = attr(s, "step"), span = attr(s, "max") - attr(s, "min");
    const pages = Math.max(PAGE_MIN_STEPS, Math.round((span * PAGE_FRACTION) / step));
    const before = s.value;
    s.value = String(s.valueAsNumber + dir * pages * step);  // the browser clamps and snaps a range's value
    if (s.value === before) return;                          // already at that end
    s.dispatchEvent(new Event("input", { bubbles: true }));
    s.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
