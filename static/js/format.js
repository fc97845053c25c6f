// Number formatting for display only: the numbers themselves always come from the trace.
import { DIGITS, EXACT } from "./config.js";

export const fix = (v, d = DIGITS) => (Object.is(v, -0) ? 0 : v).toFixed(d).replace(/^-(0\.0*)$/, "$1");
export const exact = (v) => Number(v).toPrecision(EXACT);
export const signed = (v, d = DIGITS) => (v >= 0 ? "+" : "−") + fix(Math.abs(v), d);
export const pct = (p) => (100 * p).toFixed(p >= 0.995 || p < 0.001 ? 1 : 1) + "%";
export const shape = (s) => s.join("×");
