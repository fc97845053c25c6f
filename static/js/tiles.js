// Many small weight maps in one heatmap: an (A, B, H, W) array laid out as B rows by A columns of H×W tiles,
// one empty cell between tiles. One plot instead of 40 keeps the filters panel quick to draw.
import { chart, box, theme } from "./plots.js";
import { DIVERGING } from "./config.js";

const GAP = 1;      // empty cells between tiles

/**
 * The heatmap of w ({data, shape: [A, B, H, W]}) in el, centred on zero over [-m, m]. names: {col(a), row(b),
 * cell(a, b, i, j)} label the tile columns, the tile rows (when there is more than one) and each cell's hover.
 */
export function tiles(el, w, m, names) {
  const [A, B, H, W] = w.shape;
  const rows = B * (H + GAP) - GAP, cols = A * (W + GAP) - GAP;
  const z = Array.from({ length: rows }, () => new Array(cols).fill(null));
  const text = Array.from({ length: rows }, () => new Array(cols).fill(""));
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < W; j++) {
          const r = b * (H + GAP) + i, c = a * (W + GAP) + j;
          z[r][c] = w.data[((a * B + b) * H + i) * W + j];
          text[r][c] = names.cell(a, b, i, j);
        }
      }
    }
  }
  const centres = (n, size) => Array.from({ length: n }, (_, k) => k * (size + GAP) + (size - 1) / 2);
  const t = theme(), font = parseFloat(t.font) || 12;    // tick labels: larger in presenter mode
  const outlines = [];                      // each tile's edge: a weight near 0 is as pale as the page
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const r = b * (H + GAP), c = a * (W + GAP);
      outlines.push(box(r, c, r + H - 1, c + W - 1, t.grid, 1));
    }
  }
  const axis = { showgrid: false, zeroline: false, ticks: "", fixedrange: true };
  return chart(el, [{
    type: "heatmap", z, text, zmin: -m, zmax: m, colorscale: DIVERGING, showscale: false, hoverongaps: false,
    hovertemplate: "%{text}<br>weight %{z:.7g}<extra></extra>",
  }], {
    margin: { l: B > 1 ? Math.round(2.8 * font) : 4, r: 4, t: 4, b: Math.round(1.9 * font) }, shapes: outlines,
    xaxis: { ...axis, range: [-0.5, cols - 0.5], tickvals: centres(A, W),
      ticktext: Array.from({ length: A }, (_, a) => names.col(a)) },
    yaxis: { ...axis, range: [rows - 0.5, -0.5], scaleanchor: "x", constrain: "domain", showticklabels: B > 1,
      tickvals: centres(B, H), ticktext: Array.from({ length: B }, (_, b) => names.row(b)) },
  });
}
