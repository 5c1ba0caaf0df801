// Crisis help is one click from every page: the dialog's content is static in index.html, so it
// shows even when the connection is down.
import { h } from "./dom.js";

export function openCrisisHelp() {
  const dialog = document.getElementById("crisis-dialog");
  if (!dialog.open) dialog.showModal();
}

// A compact, kind block for inside a conversation; optional server-sent resources are shown as text.
export function crisisPanel(message, resources = []) {
  return h("section", { class: "crisis-panel", "aria-label": "Support available now" },
    h("p", {}, message),
    resources.length ? h("ul", { class: "crisis-list" }, resources.map((r) => h("li", {},
      h("strong", {}, r.name), r.phone ? ` · call ${r.phone}` : "", r.text ? ` · ${r.text}` : "",
      r.hours ? ` · ${r.hours}` : ""))) : null,
    h("button", { type: "button", class: "secondary", onclick: openCrisisHelp }, "Show crisis lines"));
}
