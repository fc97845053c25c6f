// One class's event stream (server-sent events), kept open: EventSource retries a dropped connection by itself;
// a stream the browser gave up on (a phone that slept, iOS Safari) is opened again when the page is shown, and
// a refused one is checked: a 404 means the class has ended. The server says when its class store stops
// answering (`event: store`): the stream is open, but nothing can flow until the store is back.
import * as rest from "./rest.js";

const RECHECK_MS = 3000;          // how soon a refused stream is tried again when the class still runs
/** What the teacher's panel and the student's banner say while on.connected(false). */
export const LOST = "Connection to the class lost — reconnecting…";

/**
 * on.state(state, seq, receivedAt) for the current state and every change; on.counts({following, exploring});
 * on.drawings({count}); on.question({id, stage, pos, prompt, choices}); on.reveal({id, right, answers, counts});
 * on.end() once; on.connected(bool): false while the stream is lost or the server's class
 * store does not answer, true once it flows again. mode: "follow", "explore" or "watch" (not counted).
 */
export function openStream(code, mode, on) {
  let es = null, ended = false, timer = 0;

  function open(m) {
    mode = m;
    es?.close();
    clearTimeout(timer);
    es = new EventSource(rest.eventsUrl(code, mode));
    es.onopen = () => on.connected(true);
    es.onmessage = (e) => on.state(JSON.parse(e.data), Number(e.lastEventId), performance.now());
    es.addEventListener("counts", (e) => on.counts(JSON.parse(e.data)));
    es.addEventListener("drawings", (e) => on.drawings(JSON.parse(e.data)));
    es.addEventListener("question", (e) => on.question(JSON.parse(e.data)));
    es.addEventListener("reveal", (e) => on.reveal(JSON.parse(e.data)));
    es.addEventListener("store", (e) => on.connected(JSON.parse(e.data).ok === true));
    es.addEventListener("end", finish);
    es.onerror = () => {
      on.connected(false);
      if (es.readyState === EventSource.CLOSED) check();
    };
  }

  async function check() {                        // refused, not dropped: has the class ended?
    try {
      await rest.show(code);
      timer = setTimeout(revive, RECHECK_MS);
    } catch (e) {
      if (e.status === 404) finish();
      else timer = setTimeout(revive, RECHECK_MS);
    }
  }

  function revive() {
    if (!ended && es?.readyState === EventSource.CLOSED) open(mode);
  }

  function finish() {
    if (ended) return;
    close();
    on.end();
  }

  function close() {
    ended = true;
    clearTimeout(timer);
    es?.close();
    document.removeEventListener("visibilitychange", onShow);
    removeEventListener("pageshow", onShow);
  }

  const onShow = () => { if (document.visibilityState === "visible") revive(); };
  document.addEventListener("visibilitychange", onShow);
  addEventListener("pageshow", onShow);
  open(mode);
  return {
    get mode() { return mode; },
    setMode: (m) => { if (!ended && m !== mode) open(m); },
    close,
  };
}
