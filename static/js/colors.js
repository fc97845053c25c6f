// Colour scale lookups for HTML cells (tables), matching the Plotly scales in config.js.
import { DIVERGING } from "./config.js";

const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));

/** Colour of t in [0, 1] on a list of [stop, "#rrggbb"] stops. */
export function lookup(stops, t) {
  t = Math.max(0, Math.min(1, t));
  for (let i = 1; i < stops.length; i++) {
    if (t <= stops[i][0]) {
      const [t0, c0] = stops[i - 1], [t1, c1] = stops[i];
      const u = (t - t0) / (t1 - t0 || 1), a = hex(c0), b = hex(c1);
      return a.map((x, k) => Math.round(x + (b[k] - x) * u));
    }
  }
  return hex(stops[stops.length - 1][1]);
}

/** Background and readable text colour for a signed value v on a diverging scale of half-width m. */
export function diverging(v, m) {
  const rgb = lookup(DIVERGING, 0.5 + v / (2 * (m || 1)));
  const light = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140;
  return { bg: `rgb(${rgb.join(",")})`, fg: light ? "#111" : "#fff" };
}
