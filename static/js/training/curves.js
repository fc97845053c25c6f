// The live curves: loss and accuracy against epochs, on the training batches (those since the previous point)
// and on held-out test images a few times per epoch; hover a point for its step and value.
import { chart } from "../plots.js";
import { COLOURS } from "../config.js";

const HELD_OUT = "held-out (1,000 test images)";

/** A line of points: x epochs, y value(p), the step in the hover. */
function line(points, value, name, color) {
  return {
    type: "scatter", mode: "lines+markers", name, x: points.map((p) => p.epochs_done), y: points.map(value),
    customdata: points.map((p) => p.step), line: { color, width: 3 }, marker: { color, size: 5 },
    hovertemplate: `${name}<br>step %{customdata}, epoch %{x:.2f}<br>%{y:.4f}<extra></extra>`,
  };
}

const layout = (title, range) => ({
  xaxis: { title: { text: "epochs" }, rangemode: "tozero", fixedrange: true, zeroline: false },
  yaxis: { title: { text: title }, fixedrange: true, rangemode: "tozero", range, zeroline: false },
  margin: { l: 60, r: 12, t: 40, b: 48 }, showlegend: true, hovermode: "closest",
  legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
});

/** Curves in lossEl and accEl: reset(points) (a run's history), add(point), draw(). Redrawn once per frame. */
export function createCurves(lossEl, accEl) {
  let points = [], queued = false;
  function draw() {
    queued = false;
    if (!window.Plotly) return;
    const train = points.filter((p) => p.recent_loss !== undefined);
    const held = points.filter((p) => p.held_out !== undefined);
    chart(lossEl, [line(train, (p) => p.recent_loss, "training loss", COLOURS.bar)], layout("loss (cross-entropy)"));
    chart(accEl, [line(train, (p) => p.recent_accuracy, "training batches", COLOURS.bar),
      line(held, (p) => p.held_out, HELD_OUT, COLOURS.prediction)], layout("accuracy", [0, 1]));
  }
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(draw); } };
  return {
    reset(list = []) { points = [...list]; later(); },
    add(p) {
      if (points.length && points[points.length - 1].seq >= p.seq) return;     // seen already (a reconnect)
      points.push({ seq: p.seq, step: p.step, epochs_done: p.epochs_done, recent_loss: p.recent_loss,
        recent_accuracy: p.recent_accuracy, held_out: p.held_out });
      later();
    },
    draw,
  };
}
