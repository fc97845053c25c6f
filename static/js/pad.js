// The drawing pad: Pointer Events (mouse, touch, pen), a round marker brush, Clear and Undo of the last stroke.
import { PAD } from "./config.js";
import { fromBase64 } from "./bytes.js";

/**
 * Wire a <canvas> as a pad. Strokes are lists of integer [x, y] in canvas pixels (PAD.size square), so a
 * drawing kept in the URL redraws to exactly the same picture. onChange(reason) fires with "start" (pen
 * down), "move" (throttle it), "end" (pen up), "clear" or "undo".
 */
export function createPad(canvas, onChange) {
  canvas.width = canvas.height = PAD.size;
  const ctx = canvas.getContext("2d", { willReadFrequently: false });
  let strokes = [];
  let current = null;
  let locked = false;          // read-only (a student following the teacher): pen input is ignored

  function style() {
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.lineWidth = PAD.brush;
    ctx.strokeStyle = ctx.fillStyle = PAD.ink;
  }

  function drawStroke(pts) {
    if (pts.length === 1) {
      ctx.beginPath();
      ctx.arc(pts[0][0], pts[0][1], PAD.brush / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (let i = 1; i < pts.length - 1; i++) {          // smooth through midpoints, like a marker
      const mx = (pts[i][0] + pts[i + 1][0]) / 2, my = (pts[i][1] + pts[i + 1][1]) / 2;
      ctx.quadraticCurveTo(pts[i][0], pts[i][1], mx, my);
    }
    const last = pts[pts.length - 1];
    ctx.lineTo(last[0], last[1]);
    ctx.stroke();
  }

  function redraw() {
    ctx.clearRect(0, 0, PAD.size, PAD.size);
    style();
    for (const s of strokes) drawStroke(s);
    if (current) drawStroke(current);
    canvas.classList.toggle("empty", !strokes.length && !current);
  }

  function point(e) {
    const r = canvas.getBoundingClientRect();
    const clamp = (v) => Math.max(0, Math.min(PAD.size - 1, Math.round(v)));
    return [clamp(((e.clientX - r.left) / r.width) * PAD.size), clamp(((e.clientY - r.top) / r.height) * PAD.size)];
  }

  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || locked) return;
    canvas.setPointerCapture(e.pointerId);
    current = [point(e)];
    redraw();
    e.preventDefault();
    onChange("start");
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!current) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) {
      const p = point(ev), q = current[current.length - 1];
      if (Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) >= 2) current.push(p);
    }
    redraw();
    onChange("move");
  });
  const finish = () => {
    if (!current) return;
    strokes.push(current);
    current = null;
    redraw();
    onChange("end");
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);

  redraw();
  return {
    get strokes() { return current ? [...strokes, current] : strokes; },
    set strokes(s) { strokes = s.map((st) => st.map((p) => [...p])); current = null; redraw(); },
    get empty() { return !strokes.length && !current; },
    get locked() { return locked; },
    set locked(on) { locked = on; canvas.classList.toggle("locked", on); },
    clear() { strokes = []; current = null; redraw(); onChange("clear"); },
    undo() { strokes.pop(); redraw(); onChange("undo"); },
    /** The drawing as PNG bytes, synchronously (toBlob can wait for an idle period). */
    png() { return fromBase64(canvas.toDataURL("image/png").split(",")[1]); },
  };
}
