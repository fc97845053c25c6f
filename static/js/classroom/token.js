// The class this browser runs as its teacher ({code, token, join_url, reachable, qr}): kept in localStorage,
// never in the URL, so a reload offers to resume it and the teacher's training requests carry its token.

import * as stored from "../stored.js";

const KEY = "cnnviz.class";

export const saved = () => stored.kept(KEY);
export function keep(cls) { stored.keep(KEY, cls || null); }
