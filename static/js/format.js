// Number formatting for display only: the numbers themselves always come from the trace.
import { DIGITS, EXACT } from "./config.js";

const TINY = 0.001;   // probabilities below 0.1% show as "<0.1%" rather than a misleading "0.0%"

export const fix = (v, d = DIGITS) => (Object.is(v, -0) ? 0 : v).toFixed(d).replace(/^-(0\.0*)$/, "$1");
export const exact = (v) => Number(v).toPrecision(EXACT);
/** fix(), except that a value too small to show in DIGITS decimals is written as 1.234e-7, not 0.0000. */
export const short = (v, d = DIGITS) => (v !== 0 && Math.abs(v) < 0.5 * 10 ** -d ? v.toExponential(d - 1) : fix(v, d));
export const signed = (v, d = DIGITS) => (v >= 0 ? "+" : "−") + fix(Math.abs(v), d);
export const pct = (p) => (p > 0 && p < TINY ? "<0.1%" : (100 * p).toFixed(1) + "%");
export const shape = (s) => s.join("×");
/** A count with thousands separators: 12,544. */
export const count = (n) => n.toLocaleString("en-US");
