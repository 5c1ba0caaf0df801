// One message in the timeline. Text is always a text node; a content warning keeps it collapsed
// for others until they choose to open it; others' messages can be reported or muted locally, and
// one's own deleted (after a "Delete this message?" question).
import { formatTime, h } from "../dom.js";
import { confirmAction } from "../confirm.js";

export function messageItem(message, { me, onReport, onMute, onDelete }) {
  const mine = message.sender.id === me.id;
  if (message.status === "deleted") return deletedItem(message, mine);
  const staff = message.sender.role !== "peer";
  const body = h("p", { class: "message-text" }, message.text ?? "");
  const item = h("li", {
    class: `message${mine ? " mine" : ""}${staff ? " staff" : ""}`,
    dataset: { seq: String(message.seq), id: message.id, sender: message.sender.id },
  },
  h("div", { class: "message-head" },
    h("span", { class: "sender" }, message.sender.pseudonym),
    staff ? h("span", { class: "badge" }, message.sender.role) : null,
    mine ? h("span", { class: "visually-hidden" }, "(you)") : null,
    h("time", { datetime: message.created_at }, formatTime(message.created_at))));

  if (message.content_warning && !mine) {
    body.hidden = true;
    const toggle = h("button", { type: "button", class: "cw-toggle", "aria-expanded": "false" },
      "Content warning: show message");
    toggle.addEventListener("click", () => {
      body.hidden = !body.hidden;
      toggle.setAttribute("aria-expanded", String(!body.hidden));
      toggle.textContent = body.hidden ? "Content warning: show message" : "Content warning: hide message";
    });
    item.append(toggle, body);
  } else {
    if (message.content_warning) item.append(h("p", { class: "cw-label" }, "You added a content warning"));
    item.append(body);
  }

  if (!mine) {
    item.append(h("div", { class: "message-actions" },
      h("button", { type: "button", class: "link-button", onclick: () => onReport(message),
        "aria-label": `Report message from ${message.sender.pseudonym}` }, "Report"),
      staff ? null : h("button", { type: "button", class: "link-button", onclick: () => onMute(message.sender),
        "aria-label": `Mute ${message.sender.pseudonym} on this device` }, "Mute")));
  } else if (onDelete && message.seq !== null && message.seq !== undefined) {
    const time = formatTime(message.created_at);
    item.append(h("div", { class: "message-actions" }, confirmAction({
      label: "Delete",
      // Not "your message": that would also name the composer ("Your message") for anyone searching by label.
      ariaLabel: `Delete this message you sent${time ? ` at ${time}` : ""}`,
      question: "Delete this message for everyone?",
      yes: "Yes, delete it",
      no: "No, keep it",
      onConfirm: () => onDelete(message),
    })));
  }
  return item;
}

// A message its author took back: neither its text nor who wrote it stays on the page.
export function deletedItem(message, mine) {
  return h("li", {
    class: "message deleted",
    dataset: { seq: String(message.seq), id: message.id, sender: message.sender?.id ?? "" },
  },
  h("p", { class: "message-text" }, mine ? "You deleted this message." : "Message deleted"),
  h("time", { class: "deleted-time", datetime: message.created_at }, formatTime(message.created_at)));
}

// Own messages that are not (yet) in the room: sending, waiting for a moderator, or not posted.
export function pendingItem(text, contentWarning) {
  const status = h("p", { class: "pending-status", role: "status" }, "Sending…");
  const item = h("li", { class: "message mine pending" },
    contentWarning ? h("p", { class: "cw-label" }, "You added a content warning") : null,
    h("p", { class: "message-text" }, text), status);
  return { item, status };
}
