// "Join a class": a dialog that asks for the code and checks that the class runs.
import * as rest from "./rest.js";
import { h } from "../dom.js";
import { setupDialog } from "../chrome.js";

/** onJoin(code) once a running class's code was given. Returns open(): show the dialog. */
export function createJoin(onJoin) {
  const input = h("input#join-code", { type: "text", autocomplete: "off", autocapitalize: "characters",
    spellcheck: "false", maxlength: "12", required: true, "aria-describedby": "join-error" });
  const error = h("p#join-error.join-error", { role: "alert" });
  const dialog = h("dialog#join-dialog", { "aria-labelledby": "join-title" },
    h("header", {}, h("h2#join-title", {}, "Join a class"), h("button.close", { type: "button", "aria-label": "Close" }, "✕")),
    h("form.join-form", { method: "dialog" },
      h("label", { for: "join-code" }, "The code your teacher shows"), input,
      h("button#join-go", { type: "submit" }, "Join"), error));
  document.body.append(dialog);
  const toggle = setupDialog("join-dialog");
  dialog.querySelector("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const c = await rest.show(input.value.trim());
      dialog.close();
      onJoin(c.code);
    } catch (err) {
      error.textContent = err.status === 404 ? `No class “${input.value.trim()}” is running here: check the code.`
        : `Could not join: ${err.message}.`;
    }
  });
  return () => {
    toggle();
    error.textContent = "";
    if (dialog.open) input.select();
  };
}
