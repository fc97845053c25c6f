// The class this browser runs as its teacher ({code, token, join_url, reachable, qr}): kept in localStorage,
// never in the URL, so a reload offers to resume it and the teacher's training requests carry its token.

const KEY = "cnnviz.class";

export const saved = () => { try { return JSON.parse(localStorage.getItem(KEY)); } catch { return null; } };
export function keep(cls) {
  try { if (cls) localStorage.setItem(KEY, JSON.stringify(cls)); else localStorage.removeItem(KEY); } catch { /* private mode */ }
}
