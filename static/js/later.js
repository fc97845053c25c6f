// What a first visit does not use loads when first needed: a module by dynamic import(), its stylesheet by a
// <link> added then (the page's assets share one versioned folder, so both are found beside this module).

const styles = new Map();                  // name -> promise of its stylesheet, loaded once

/** Add css/<name> to the page once; resolves when it applies (or failed: the page still works unstyled). */
export function style(name) {
  if (!styles.has(name)) {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet",
      href: new URL(`../css/${name}`, import.meta.url).href });
    styles.set(name, new Promise((done) => { link.onload = link.onerror = done; document.head.append(link); }));
  }
  return styles.get(name);
}

/** make() -> promise of a thing, called once, when get() is first called; now: the thing, or null before. */
export function later(make) {
  let made = null, value = null;
  return {
    get: () => (made ??= make().then((v) => (value = v))),
    get now() { return value; },
  };
}
