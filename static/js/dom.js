// A tiny DOM builder, so views read as structure rather than createElement calls.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** h("div.a.b#id", {attr: v, onclick: fn}, ...children) -> Element. */
export function h(tag, attrs = {}, ...children) {
  const [, name, rest] = tag.match(/^([a-z0-9-]+)(.*)$/i);
  const e = document.createElement(name);
  for (const m of rest.matchAll(/([.#])([\w-]+)/g)) m[1] === "." ? e.classList.add(m[2]) : (e.id = m[2]);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

/** A row of toggle buttons (filters, channels, classes); onPick(i). Returns {el, set(i)}. */
export function picker(label, names, onPick) {
  const buttons = names.map((n, i) => h("button.pick", { type: "button", "aria-pressed": "false", "aria-label": `${label} ${n}`,
    onclick: () => onPick(i) }, n));
  const el = h("div.picker", { role: "group", "aria-label": label }, h("span.picker-label", {}, label + ":"), buttons);
  return {
    el,
    set(i) { buttons.forEach((b, j) => b.setAttribute("aria-pressed", String(i === j))); },
  };
}

/** Give the CSS an element's size as --frame-w and --frame-h, kept up to date, from which a view's CSS sizes its
 *  maps (square, equal, as large as fit). Not container query units: inside a size container each animation
 *  frame's change of outlines cost 2 ms of style and layout. */
export function fitFrame(frame) {
  const set = (w, h) => { frame.style.setProperty("--frame-w", `${w}px`); frame.style.setProperty("--frame-h", `${h}px`); };
  set(frame.clientWidth, frame.clientHeight);
  const watch = new ResizeObserver(([e]) => {
    if (!frame.isConnected) watch.disconnect();              // the stage was left
    else set(e.contentRect.width, e.contentRect.height);
  });
  watch.observe(frame);
}
