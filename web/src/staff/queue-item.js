// One review item as moderators see it (the Item shape of docs/protocol.md: never message text; the
// text comes from mod:context, which the server audits; a held message shows what was typed, which is
// what Approve posts, or nothing when the room's rules keep it from this role). A resolved item is a
// record: how it ended instead of actions. Pure rendering.
import { append, formatDateTime, formatTime, h } from "../dom.js";
import { RESOLVE_OUTCOMES } from "../events.js";

export const SEVERITY_LABEL = { imminent: "Imminent", high: "High", medium: "Medium", low: "Low" };
export const KIND_LABEL = {
  crisis: "Crisis", help: "Help request", abuse: "Abuse", report: "Report", profanity: "Strong language",
  contact: "Contact details", flood: "Flooding", held: "Held message",
};
// The queue's severity filter words and the item priority (tier) each one names.
export const FILTERS = [["", "Every severity"], ["imminent", "Imminent crisis"], ["crisis", "Crisis"],
  ["abuse", "Abuse and harassment"], ["report", "Other reports"], ["minor", "Minor rule breaks"]];
export const FILTER_PRIORITY = { imminent: 5, crisis: 4, abuse: 3, report: 2, minor: 1 };
const OUTCOME_LABEL = Object.fromEntries(RESOLVE_OUTCOMES);
const MUTE_MINUTES = [[10, "10 minutes"], [60, "1 hour"], [1440, "1 day"], [10080, "7 days"]];

// The server's queue order: priority, then score, then oldest first.
export function compareItems(a, b) {
  return b.priority - a.priority || b.score - a.score || a.created_at.localeCompare(b.created_at)
    || a.id.localeCompare(b.id);
}

export const isAlarm = (item) => item.priority >= 4;
export const isOpen = (item) => item.status !== "resolved";

function reasonsText(reasons) {
  const parts = Object.entries(reasons || {}).map(([reason, n]) => (n > 1 ? `${reason} ×${n}` : reason));
  return parts.length ? `Signals: ${parts.join(", ")}` : null;
}

// What staff wrote when they raised the item, e.g. a facilitator's reason for removing the person from a
// session: for moderators, shown as the words typed, never as markup.
const NOTE_BY = { facilitator: "Facilitator" };

function staffNotes(notes) {
  if (!notes?.length) return null;
  return h("ul", { class: "staff-notes", "aria-label": "What staff wrote" }, notes.map((n) => h("li", {},
    h("strong", {}, [NOTE_BY[n.source] ?? n.source, n.by].filter(Boolean).join(" ")), " (",
    h("time", { datetime: n.at }, formatTime(n.at)), "): ", h("q", {}, n.text))));
}

function contextList(item, context, mine, handlers) {
  const box = h("ol", { class: "context timeline", "aria-label": "Messages around this one" });
  if (context.error) {
    box.append(h("li", { class: "notice notice-error" }, context.error));
    return box;
  }
  const row = (m, focus) => {
    const removed = context.removed.has(m.id) || m.status === "removed";
    const text = removed ? "(removed by a moderator)" : m.status === "deleted" ? "(deleted by its author)"
      : m.status === "declined" ? "(not posted: its review ended without approval)"
        : m.hidden ?? m.text ?? "(no text kept in this room)";
    const canRemove = mine && !focus && !removed && m.status === "visible" && m.sender.role === "peer";
    return h("li", { class: `message${focus ? " focus" : ""}${removed ? " removed" : ""}`, dataset: { id: m.id } },
      h("div", { class: "message-head" }, h("span", { class: "sender" }, m.sender.pseudonym),
        m.status === "held" ? h("span", { class: "badge" }, "held") : null,
        m.status === "declined" ? h("span", { class: "badge" }, "not posted") : null,
        focus ? h("span", { class: "badge" }, "this item") : null,
        h("time", { datetime: m.created_at }, formatTime(m.created_at))),
      ...(focus && m.status === "held" && m.original != null ? heldTexts(m) : [h("p", { class: "message-text" }, text)]),
      canRemove ? h("button", { type: "button", class: "link-button danger-text",
        "aria-label": `Remove message from ${m.sender.pseudonym}`, onclick: () => handlers.remove(item, m.id) },
      "Remove this message") : null);
  };
  box.append(...context.before.map((m) => row(m, false)), row(context.message, true),
    ...context.after.map((m) => row(m, false)));
  return box;
}

// A held message, as the moderator must see it before approving: what was typed (what Approve posts),
// and beside it the filter's edited version when that differs (e.g. contact details taken out).
function heldTexts(m) {
  const edited = m.text != null && m.text !== m.original;
  return [
    h("p", { class: "held-label" }, h("strong", {}, "What they typed"), " (Approve posts exactly this):"),
    h("p", { class: "message-text held-original" }, m.original),
    edited ? h("p", { class: "held-label" }, "As the filter edited it (Approve does not post this version):") : null,
    edited ? h("p", { class: "message-text held-edited" }, m.text) : null,
  ];
}

function approveButton(item, focus, handlers) {
  const edited = focus.text != null && focus.text !== focus.original;
  const button = h("button", { type: "button", class: "primary" },
    edited ? "Approve and post what they typed…" : "Approve and post what they typed");
  button.addEventListener("click", () => {
    if (!edited || button.dataset.armed) return handlers.approve(item);
    button.dataset.armed = "yes";
    button.textContent = "Confirm: post exactly what they typed, unedited";
    return null;
  });
  return button;
}

function actionPanel(item, context, handlers) {
  const panel = h("div", { class: "item-tools" });
  const focus = context?.message;
  const subject = item.subject;
  const messageTarget = item.target.type === "message";
  const row = h("div", { class: "queue-actions" });
  const held = messageTarget && focus?.status === "held";
  if (held && focus.original != null) row.append(approveButton(item, focus, handlers));
  if (messageTarget && !context?.removed.has(item.target.id) && focus?.status !== "removed") {
    row.append(h("button", { type: "button", class: "danger", onclick: () => handlers.remove(item, null) }, "Remove message"));
  }
  if (subject.role === "peer") {
    row.append(h("button", { type: "button", class: "secondary", onclick: () => handlers.support(item) },
      `Message ${subject.pseudonym} privately`));
  }
  panel.append(row);
  if (held && focus.original == null) {
    panel.append(h("p", { class: "meta" }, "Only an admin can read or approve this held message (this room's rules). "
      + "You can remove it, or resolve the item."));
  }
  if (held) {
    panel.append(h("p", { class: "meta" }, "Resolving without approving means this message is not posted; "
      + "its author is told, kindly."));
  }
  if (subject.role === "peer") {
    const note = h("input", { type: "text", maxlength: 500, "aria-label": `Warning to ${subject.pseudonym}`,
      placeholder: `A private warning to ${subject.pseudonym}` });
    panel.append(h("form", { class: "control-row", onsubmit: (e) => { e.preventDefault(); handlers.warn(item, note.value.trim()); } },
      note, h("button", { type: "submit", class: "secondary" }, "Send warning")));
    const minutes = h("select", { "aria-label": "Mute for" }, MUTE_MINUTES.map(([v, l]) => h("option", { value: v }, l)));
    const everywhere = h("input", { type: "checkbox" });
    panel.append(h("form", { class: "control-row", onsubmit: (e) => { e.preventDefault(); handlers.mute(item, Number(minutes.value), everywhere.checked); } },
      minutes, h("label", { class: "choice inline" }, everywhere, h("span", {}, "in every room")),
      h("button", { type: "submit", class: "secondary" }, `Mute ${subject.pseudonym}`)));
    const ban = h("button", { type: "button", class: "link-button danger-text" }, "Ban…");
    ban.addEventListener("click", () => {
      if (ban.dataset.armed) return handlers.ban(item);
      ban.dataset.armed = "yes";
      ban.textContent = `Confirm: close ${subject.pseudonym}'s account`;
      return null;
    });
    panel.append(h("div", { class: "control-row" },
      item.room ? h("button", { type: "button", class: "link-button danger-text", onclick: () => handlers.kick(item) },
        `Remove ${subject.pseudonym} from ${item.room}`) : null, ban));
  }
  const outcome = h("select", { "aria-label": "Outcome" }, RESOLVE_OUTCOMES.map(([v, l]) => h("option", { value: v }, l)));
  const resolveNote = h("input", { type: "text", maxlength: 1000, "aria-label": "Note for the team (optional)",
    placeholder: "Note for the team (optional)" });
  panel.append(h("form", { class: "control-row resolve", onsubmit: (e) => { e.preventDefault(); handlers.resolve(item, outcome.value, resolveNote.value.trim()); } },
    outcome, resolveNote, h("button", { type: "submit", class: "primary" }, "Resolve")));
  return panel;
}

// A resolved item may be weeks old (it is kept for moderation retention).
const longTime = (iso) => formatDateTime(iso, { year: true });

// How a resolved item ended: the outcome, who resolved it and when, and their note for the team, as text.
function resolution(item) {
  const by = item.resolved_by;
  return h("dl", { class: "audit-facts resolution" },
    h("dt", {}, "Outcome"), h("dd", {}, OUTCOME_LABEL[item.outcome] ?? item.outcome),
    h("dt", {}, "Resolved by"), h("dd", {}, by ? `${by.pseudonym} (${by.role})` : "a deleted account"),
    h("dt", {}, "Resolved"), h("dd", {}, h("time", { datetime: item.resolved_at }, longTime(item.resolved_at))),
    h("dt", {}, "Note for the team"), h("dd", {}, item.resolution_note ?? "none written"));
}

// While only the room's own moderators have been alerted (room_first_until), say so, and until when.
function routingNote(item, yourRoom) {
  if (!item.room_first_until || item.status !== "pending") return null;
  const until = formatTime(item.room_first_until);
  return h("p", { class: "meta routing" }, yourRoom
    ? `Only this room's moderators have been alerted so far; everyone is alerted at ${until} unless one of you claims it.`
    : `This room's own moderators were alerted first; everyone is alerted at ${until} unless one of them claims it.`);
}

export function queueCard(item, { me, context, error, handlers, yourRoom = false }) {
  const open = isOpen(item);
  const claimer = item.claimed_by;
  const mine = claimer?.id === me.id;
  const titleId = `item-${item.id}-title`;
  const card = h("li", { class: `queue-item sev-${item.severity}${yourRoom ? " your-room" : ""}`, dataset: { id: item.id },
    "aria-labelledby": titleId },
    h("div", { class: "queue-head" },
      h("span", { class: `severity sev-${item.severity}` }, SEVERITY_LABEL[item.severity] ?? item.severity),
      h("h3", { id: titleId }, `${KIND_LABEL[item.kind] ?? item.kind} · ${item.room ?? "no room"}`,
        yourRoom ? h("span", { class: "badge your-room" }, "Your room") : null),
      h("time", { datetime: item.created_at }, (open ? formatTime : longTime)(item.created_at)),
      item.escalated_at ? h("span", { class: "badge escalated" }, "escalated: nobody claimed it") : null),
    routingNote(item, yourRoom),
    h("p", { class: "meta" },
      h("span", {}, `About ${item.subject.pseudonym}${item.subject.role !== "peer" ? ` (${item.subject.role})` : ""}`),
      reasonsText(item.reasons) ? h("span", {}, reasonsText(item.reasons)) : null,
      item.score > 1 ? h("span", {}, `score ${item.score}`) : null),
    staffNotes(item.notes),
    open ? null : resolution(item));
  if (!open) return card;
  append(card, [
    h("p", { class: "claim" }, claimer ? (mine ? "You claimed this" : `Claimed by ${claimer.pseudonym}`) : "Not claimed yet"),
    item.live_text ? h("div", { class: "live-text" },
      h("p", { class: "meta" }, item.target.type === "user"
        ? "What they wrote. It was never posted and is not kept: you see it in this alert only, and it is gone "
          + "when you reload."
        : "What they said. This room keeps no text: you see it in this alert only, and it is gone when you reload."),
      h("p", { class: "message-text" }, item.live_text)) : null,
    error ? h("p", { class: "notice notice-error", role: "alert" }, error) : null]);
  const buttons = h("div", { class: "queue-actions" });
  if (!claimer) buttons.append(h("button", { type: "button", class: "primary", onclick: () => handlers.claim(item) }, "Claim"));
  if (mine || (claimer && me.role === "admin")) {
    buttons.append(h("button", { type: "button", class: "secondary", onclick: () => handlers.release(item) }, "Release"));
  }
  if (item.target.type === "message") {
    buttons.append(h("button", { type: "button", class: "secondary", "aria-expanded": String(Boolean(context)),
      onclick: () => handlers.context(item) }, context ? "Hide context" : "Show context"));
  }
  card.append(buttons);
  if (context) card.append(contextList(item, context, mine, handlers));
  if (mine) card.append(actionPanel(item, context, handlers));
  return card;
}
