// Small helpers over decoded arrays ({data, shape}) for indexing and slicing; no layer arithmetic here.

/** Row-major strides of a shape. */
export function strides(shape) {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** The element at a multi-index. */
export function at(a, ...idx) {
  const s = strides(a.shape);
  let o = 0;
  for (let i = 0; i < idx.length; i++) o += idx[i] * s[i];
  return a.data[o];
}

/** A contiguous sub-block a[i0, i1, ...] (leading indices fixed) as a new {data, shape} view. */
export function sub(a, ...idx) {
  const s = strides(a.shape);
  let o = 0;
  for (let i = 0; i < idx.length; i++) o += idx[i] * s[i];
  const shape = a.shape.slice(idx.length);
  const n = shape.reduce((x, y) => x * y, 1);
  return { data: a.data.subarray(o, o + n), shape };
}

/** A 2-D {data, shape:[h, w]} as rows of plain numbers (for Plotly z). */
export function rows(a) {
  const [h, w] = a.shape;
  const out = new Array(h);
  for (let r = 0; r < h; r++) out[r] = Array.from(a.data.subarray(r * w, (r + 1) * w));
  return out;
}

/** Largest absolute value, for symmetric diverging colour ranges. */
export function absMax(...arrays) {
  let m = 0;
  for (const a of arrays) for (const v of a.data) if (Math.abs(v) > m) m = Math.abs(v);
  return m || 1;
}
