// Building DOM safely: every string, above all anything a person typed, goes in as a text node.
// Nothing in this client uses innerHTML, insertAdjacentHTML or inline styles (the CSP forbids them).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let uid = 0;
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// Screen-reader announcements through the two live regions in index.html.
export function announce(text, { urgent = false } = {}) {
  const region = document.getElementById(urgent ? "announce-urgent" : "announce-polite");
  region.textContent = "";
  // A fresh text node on the next frame makes screen readers announce repeated sentences too.
  requestAnimationFrame(() => { region.textContent = text; });
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

// year: true for records that reach back further than a few weeks (the audit logs).
export function formatDateTime(value, { year = false } = {}) {
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString([], { weekday: "short", day: "numeric", month: "short", year: year ? "numeric" : undefined,
    hour: "2-digit", minute: "2-digit" });
}

// A polite inline message block (errors, notices): role=alert only when it must interrupt.
export function noticeBox(text, { kind = "info", urgent = false } = {}) {
  return h("div", { class: `notice notice-${kind}`, role: urgent ? "alert" : "status" }, text);
}
