// Shared by relu and sigmoid, both ways: two rows of maps, one per channel, walked cell by cell as the bottom fills in.
import { h, fitFrame } from "../dom.js";
import { sub, rows } from "../nd.js";
import { COLOURS } from "../config.js";
import { heatmap, colorbar, setShapes, box, pending, onCellClick } from "../plots.js";

const POINT = 7;          // radius in pixels of the current cell's point on a curve

/** The current cell's point (x, y) on a curve, as a shape. */
export const dot = (x, y) => ({ type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel",
  xanchor: x, yanchor: y, x0: -POINT, x1: POINT, y0: -POINT, y1: POINT, line: { color: COLOURS.current, width: 2 },
  fillcolor: COLOURS.current });

/** top, bottom: {data (C, H, W), label, aria, name, scale}; draw() once the frame is in the page. */
export function cellMaps(ctx, top, bottom) {
  const [C, H, W] = top.data.shape;
  const per = H * W;
  const map = (row, c) => h("div.plot.act-map", { role: "img", "aria-label": `${row.aria}, channel ${c + 1}` });
  const ups = Array.from({ length: C }, (_, c) => map(top, c));
  const downs = Array.from({ length: C }, (_, c) => map(bottom, c));
  const bars = [h("div.plot.act-bar"), h("div.plot.act-bar")];
  const frame = h("div.act-frame", {}, h("div.act-maps", {},
    h("span"), ups.map((_, c) => h("span.map-head", {}, `channel ${c + 1}`)), h("span"),
    h("span.row-label", {}, top.label), ups, bars[0],
    h("span.row-label", {}, bottom.label), downs, bars[1]));

  function draw() {
    fitFrame(frame);
    for (let c = 0; c < C; c++) {
      heatmap(ups[c], rows(sub(top.data, c)), { ...top.scale, name: top.name });
      heatmap(downs[c], rows(sub(bottom.data, c)), { ...bottom.scale, name: bottom.name });
      for (const p of [ups[c], downs[c]]) onCellClick(p, (i, j) => ctx.seek(c * per + i * W + j));   // that cell
    }
    colorbar(bars[0], top.scale);
    colorbar(bars[1], bottom.scale);
  }

  const shown = { c: -1 };
  function show(pos) {
    const c = Math.floor(pos / per), i = Math.floor((pos % per) / W), j = pos % W;
    for (let k = 0; k < C; k++) {                          // on a new channel every map, else only this one
      if (k !== c && c === shown.c) continue;
      setShapes(ups[k], k === c ? [box(i, j, i, j, COLOURS.window)] : []);
      setShapes(downs[k], k < c ? [] : k > c ? pending(-1, W - 1, H, W)      // a later channel: still blank
        : [...pending(i, j, H, W), box(i, j, i, j, COLOURS.current)]);
    }
    shown.c = c;
    return [c, i, j];
  }
  return { frame, draw, show, count: C * per };
}
