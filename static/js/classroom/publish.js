// The teacher's page drives the class: its state goes out with PUT on every change, at most 10 a second, one
// request at a time so they arrive in order, and the last change always goes (a trailing send).
import * as rest from "./rest.js";

const GAP_MS = 100;             // at most 10 states a second
const RETRY_MS = 2000;          // a PUT that could not reach the server or its store (503) is tried again this soon
const REMEMBERED = 50;          // the states this window sent, to tell its own echoes from another window's

/** cls: {code, token}; onRefused(error) when the server refuses (404: the class has ended). */
export function createPublisher(cls, onRefused) {
  let state = null, sent = "", busy = null, again = false, timer = 0, last = -Infinity;
  const mine = [];

  async function send() {
    timer = 0;
    const body = JSON.stringify(state);
    if (body === sent) return;
    if (busy) { again = true; return; }
    busy = put(body);
    await busy;
  }

  async function put(body) {
    last = performance.now();
    try {
      await rest.drive(cls.code, cls.token, state);
      sent = body;
      mine.push(body);
      if (mine.length > REMEMBERED) mine.shift();
    } catch (e) {
      if (e.status === 0 || e.status === 503) timer = setTimeout(send, RETRY_MS);
      else onRefused(e);
    } finally {
      busy = null;
      if (again) { again = false; schedule(); }
    }
  }

  function schedule() {
    if (!timer) timer = setTimeout(send, Math.max(0, last + GAP_MS - performance.now()));
  }

  return {
    /** The page's state now: sent unless it is the one the class already has. */
    set(s) { state = s; schedule(); },
    /** Send the page's state now, if it is not the class's yet: resolves once the class has it, else rejects. */
    async flush() {
      clearTimeout(timer);
      timer = 0;
      await busy;
      await send();
      if (state && JSON.stringify(state) !== sent) throw new Error("the class could not be brought to this page");
    },
    /** A state the class has now (another window's): not sent back. */
    known(s) { sent = JSON.stringify(s); },
    /** Was this state (as the server sends it, without "age") sent by this window? */
    isMine(s) { const j = JSON.stringify(s); return j === sent || mine.includes(j); },
    stop() { clearTimeout(timer); timer = 0; state = null; },
  };
}
