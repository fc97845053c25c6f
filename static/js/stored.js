// What this browser keeps between visits, as JSON in localStorage; where it may keep nothing (private mode, storage
// off or full) the page goes on without it.

/** The value kept under key, or null. */
export function kept(key) {
  try { return JSON.parse(localStorage.getItem(key)); } catch { return null; }
}

/** Keep value under key; null forgets it. */
export function keep(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch { /* private mode */ }
}
