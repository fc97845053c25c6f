// What the weights do as they train: the filters forming (conv1's kernels, conv2's filters, each on its own
// colour scale so the pattern shows however small the weights still are), the digit's ten probabilities, and
// at the end the confusion matrix on the test images.
import { chart } from "../plots.js";
import { tiles } from "../tiles.js";
import { absMax } from "../nd.js";
import { COLOURS, SEQUENTIAL } from "../config.js";
import { fix, pct } from "../format.js";

const FILTERS = [                              // layer -> how its weight tiles are named
  { layer: "conv1", col: (a) => `kernel ${a + 1}`, row: () => "" },
  { layer: "conv2", col: (a) => `filter ${a + 1}`, row: (b) => `ch ${b + 1}` },
];

/** The conv layers' weights (decoded {data, shape}) as heatmaps in els {conv1, conv2}. */
export function drawFilters(els, weights) {
  if (!window.Plotly || !weights) return;
  for (const f of FILTERS) {
    const w = weights[`${f.layer}.weight`], bias = weights[`${f.layer}.bias`];
    tiles(els[f.layer], w, absMax(w), { col: f.col, row: f.row,
      cell: (a, b, i, j) => `${f.layer} ${f.col(a)} (bias ${fix(bias.data[a], 3)})` +
        `${w.shape[1] > 1 ? `, channel ${b + 1}` : ""}<br>row ${i}, column ${j}` });
  }
}

/** The ten probabilities as bars, the most probable highlighted; labels: the class labels. */
export function drawProbabilities(el, probabilities, labels) {
  if (!window.Plotly || !probabilities) return;
  const top = probabilities.indexOf(Math.max(...probabilities));
  chart(el, [{
    type: "bar", x: labels, y: probabilities,
    marker: { color: labels.map((_, i) => (i === top ? COLOURS.prediction : COLOURS.bar)) },
    text: probabilities.map(pct), textposition: "outside", cliponaxis: false,
    hovertemplate: "digit %{x}: %{y:.4f}<extra></extra>",
  }], { yaxis: { range: [0, 1.15], fixedrange: true, visible: false }, xaxis: { type: "category", fixedrange: true },
    margin: { l: 8, r: 8, t: 8, b: 28 } });
}

/** The confusion matrix (rows: the true digit, columns: the prediction) with each count written in its cell. */
export function drawConfusion(el, matrix, labels) {
  if (!window.Plotly || !matrix) return;
  const axis = (title) => ({ title: { text: title }, type: "category", fixedrange: true, showgrid: false, ticks: "" });
  chart(el, [{
    type: "heatmap", x: labels, y: labels, z: matrix, colorscale: SEQUENTIAL, showscale: false,
    zmin: 0, texttemplate: "%{z}", hovertemplate: "true %{y}, predicted %{x}: %{z} images<extra></extra>",
  }], { xaxis: axis("predicted"), yaxis: { ...axis("true digit"), autorange: "reversed" },
    margin: { l: 56, r: 8, t: 8, b: 48 } });
}
