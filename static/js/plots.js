// Plotly helpers shared by the views: themed layouts, heatmaps with exact hover, fast shape updates.
import { DIVERGING, SEQUENTIAL, IMAGE } from "./config.js";

const P = () => window.Plotly;
const CONFIG = { displayModeBar: false, responsive: false, displaylogo: false, scrollZoom: false };

// Plots follow their box's size (layout changes, presenter mode, window resizes), not only the window's.
const sizes = new ResizeObserver((entries) => {
  for (const { target: el } of entries) {
    const w = el.clientWidth, h = el.clientHeight, fl = el._fullLayout;
    if (el.layout && w > 0 && h > 0 && fl && (Math.abs(fl.width - w) > 1 || Math.abs(fl.height - h) > 1)) {
      P().relayout(el, { width: w, height: h });
    }
  }
});
const sized = (el, layout) => {
  sizes.observe(el);
  return { ...layout, width: el.clientWidth || undefined, height: el.clientHeight || undefined };
};

/** Theme colours read from CSS custom properties, so light/dark/presenter all apply. */
export function theme() {
  const css = getComputedStyle(document.documentElement);
  const v = (n) => css.getPropertyValue(n).trim();
  return { fg: v("--fg"), muted: v("--muted"), grid: v("--grid"), bg: v("--panel"), font: v("--font-plot") };
}

export function baseLayout(extra = {}) {
  const t = theme();
  return {
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: t.fg, size: parseFloat(t.font) || 12, family: "system-ui, sans-serif" },
    margin: { l: 28, r: 8, t: 24, b: 20 },
    hoverlabel: { font: { family: "ui-monospace, monospace" } },
    ...extra,
  };
}

const SCALES = { diverging: DIVERGING, sequential: SEQUENTIAL, image: IMAGE };
const MAP_MARGIN = 4, TITLE_MARGIN = 24;          // pixels around a heatmap, and above it for a title
const BAR = { thickness: 10, outlinewidth: 0, xpad: 4 };

/**
 * A heatmap of rows z (array of arrays; null = not computed yet) in el. opts: scale ("diverging" centred on
 * zero, "sequential", "image"), range ([zmin, zmax]), title, name (hover label), colorbar, shapes.
 */
export function heatmap(el, z, opts = {}) {
  const t = theme();
  const [zmin, zmax] = opts.range ?? [undefined, undefined];
  const trace = {
    type: "heatmap", z, zmin, zmax, colorscale: SCALES[opts.scale ?? "sequential"],
    showscale: !!opts.colorbar, xgap: opts.gap ?? 0, ygap: opts.gap ?? 0,
    colorbar: { ...BAR, len: 0.9, tickfont: { color: t.fg } },
    hovertemplate: `${opts.name ?? "value"} %{z:.7g}<br>row %{y}, column %{x}<extra></extra>`,
    hoverongaps: false,
  };
  const h = z.length, w = z[0].length;
  const axis = (n) => ({ range: [-0.5, n - 0.5], showgrid: false, zeroline: false, ticks: "", showticklabels: false, fixedrange: true });
  const layout = baseLayout({
    title: opts.title ? { text: opts.title, font: { size: (parseFloat(t.font) || 12) + 1 }, y: 0.99, yanchor: "top" } : undefined,
    xaxis: axis(w),
    yaxis: { ...axis(h), range: [h - 0.5, -0.5], ...(opts.free ? {} : { scaleanchor: "x", constrain: "domain" }) },
    margin: { l: MAP_MARGIN, r: MAP_MARGIN, t: opts.title ? TITLE_MARGIN : MAP_MARGIN, b: MAP_MARGIN },
    shapes: opts.shapes ?? [],
  });
  const done = P().react(el, [trace], sized(el, layout), CONFIG);
  wireClick(el);
  return done;
}

/** A colour bar on its own, for a row of maps on one scale (so no map shrinks to make room for it).
 *  opts: scale, range, titled (the maps beside it have titles). Its plot area has the heatmaps' top and
 *  bottom margins, so in a box of their height it spans a map's height. */
export function colorbar(el, opts) {
  const t = theme(), [lo, hi] = opts.range;
  const trace = {
    type: "scatter", mode: "markers", x: [null], y: [null], hoverinfo: "skip",
    marker: { color: [lo], cmin: lo, cmax: hi, colorscale: SCALES[opts.scale], showscale: true,
      colorbar: { ...BAR, x: 0, xanchor: "left", len: 1, ypad: 0, ticklabeloverflow: "allow", tickfont: { color: t.fg } } },
  };
  const axis = { visible: false, fixedrange: true };
  return P().react(el, [trace], sized(el, baseLayout({ xaxis: axis, yaxis: axis, margin: { l: 0, r: 0, t: opts.titled ? TITLE_MARGIN : MAP_MARGIN, b: MAP_MARGIN } })), CONFIG);
}

/** Any other chart: Plotly.react with the themed layout and the shared config. */
export function chart(el, traces, layout = {}) {
  return P().react(el, traces, sized(el, baseLayout(layout)), CONFIG);
}

/** Replace only the shapes (outlines, masks): the fast path used on every animation frame. */
export function setShapes(el, shapes) {
  if (el.layout) P().relayout(el, { shapes });
}

/** A rectangle outline around cells [r0..r1] x [c0..c1] (inclusive), in cell coordinates. */
export function box(r0, c0, r1, c1, color, width = 3, fill = "rgba(0,0,0,0)") {
  return { type: "rect", xref: "x", yref: "y", x0: c0 - 0.5, x1: c1 + 0.5, y0: r0 - 0.5, y1: r1 + 0.5,
    line: { color, width }, fillcolor: fill, layer: "above" };
}

/** Masks hiding the cells after (r, c) in row-major order of an h x w map: the map "building up".
 *  A thin outline keeps the whole map's extent visible. */
export function pending(r, c, h, w) {
  const t = theme(), color = t.bg;
  const m = [];
  if (c < w - 1) m.push(box(r, c + 1, r, w - 1, "rgba(0,0,0,0)", 0, color));
  if (r < h - 1) m.push(box(r + 1, 0, h - 1, w - 1, "rgba(0,0,0,0)", 0, color));
  m.push(box(0, 0, h - 1, w - 1, t.muted, 1));          // drawn last, over the masks
  return m;
}

/** Call fn(row, col) when a heatmap cell is clicked (wired once Plotly has set up the element). */
export function onCellClick(el, fn) {
  el.cellClick = fn;
  wireClick(el);
}

function wireClick(el) {
  if (!el.cellClick || el.clickWired || !el.on) return;
  el.clickWired = true;
  el.on("plotly_click", (ev) => {
    const p = ev.points?.[0];
    if (p) el.cellClick(Math.round(p.y), Math.round(p.x));
  });
  el.classList.add("clickable");
}

export function purge(el) {
  sizes.unobserve(el);
  P()?.purge(el);
}
