// The page's requests: fetch, a refusal (not 2xx) thrown as an Error with the HTTP status and the server's {"error"}.

/** A refused request: status is the HTTP status (0: the server could not be reached), message the server's. */
export class HttpError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

const httpError = (message, status) => new HttpError(message, status);

/** fetch -> the 2xx response, else throws refused(message, status); offline: a network failure is refused(…, 0). */
export async function request(url, init = {}, { refused = httpError, offline = false } = {}) {
  let r;
  try {
    r = await fetch(url, init);
  } catch (e) {
    if (!offline) throw e;
    throw refused("the server could not be reached", 0);
  }
  if (!r.ok) throw refused(await r.json().then((j) => j.error || r.statusText, () => r.statusText), r.status);
  return r;
}

/** A request with body (if given) as JSON and token as its bearer -> the JSON answer, or null for a 204. */
export async function json(method, url, { body, token, ...opts } = {}) {
  const init = { method, headers: {} };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await request(url, init, opts);
  return r.status === 204 ? null : r.json();
}
