// Number formatting for display only: the numbers themselves always come from the trace.
import { DIGITS, EXACT } from "./config.js";

const TINY = 0.001;   // probabilities below 0.1% show as "<0.1%" rather than a misleading "0.0%"

export const fix = (v, d = DIGITS) => (Object.is(v, -0) ? 0 : v).toFixed(d).replace(/^-(0\.0*)$/, "$1");
export const exact = (v) => Number(v).toPrecision(EXACT);
export const signed = (v, d = DIGITS) => (v >= 0 ? "+" : "−") + fix(Math.abs(v), d);
export const pct = (p) => (p > 0 && p < TINY ? "<0.1%" : (100 * p).toFixed(1) + "%");
export const shape = (s) => s.join("×");
