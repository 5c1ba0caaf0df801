// Crisis help is one click from every page: the dialog's content is static in index.html, so it
// shows even when the connection is down.
import { h } from "./dom.js";

export function openCrisisHelp() {
  const dialog = document.getElementById("crisis-dialog");
  if (!dialog.open) dialog.showModal();
}

// Only http(s) addresses become links; anything else the server might send stays plain text.
export function safeHttpUrl(raw) {
  try {
    const url = new URL(String(raw));
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function resourceLink(raw) {
  const href = safeHttpUrl(raw);
  if (!href) return h("span", { class: "resource-url" }, String(raw));
  const link = document.createElement("a");
  link.setAttribute("href", href);
  link.setAttribute("rel", "noopener noreferrer");
  link.setAttribute("target", "_blank");
  link.textContent = String(raw);
  return link;
}

// One line per service: name, phone (a tel: link), text line, web address and opening hours.
export function resourceList(resources = []) {
  if (!resources.length) return null;
  return h("ul", { class: "crisis-list resources" }, resources.map((r) => {
    const phone = r.phone ? String(r.phone) : "";
    const tel = phone.replace(/[^0-9+]/g, "");
    return h("li", { class: "resource" },
      h("strong", {}, r.name ?? ""),
      phone ? [" · call ", tel ? h("a", { href: `tel:${tel}` }, phone) : phone] : null,
      r.text ? ` · ${/^text\b/i.test(r.text) ? r.text : `text ${r.text}`}` : null,
      r.url ? [" · ", resourceLink(r.url)] : null,
      r.hours ? ` · ${r.hours}` : null);
  }));
}

// A compact, kind block for inside a conversation, with the resources the server sent.
export function crisisPanel(message, resources = []) {
  return h("section", { class: "crisis-panel", "aria-label": "Support available now" },
    h("p", {}, message),
    resourceList(resources),
    h("button", { type: "button", class: "secondary", onclick: openCrisisHelp }, "Show crisis lines"));
}
