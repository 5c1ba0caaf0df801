// The moderation log (GET /api/audit), newest first: when, who, what, on what and why, for every action of
// moderators, peers (reports, help requests) and the server itself. It never shows what anyone wrote: the
// server keeps no text in the log, and reading a message is done in the review queue, where the room's rules
// apply and the read is logged. Filters go to the server and apply on "Show" (each read of the log is itself
// logged, so not one per keystroke); "Load older entries" pages back with `before`.
import { formatDateTime, h } from "../../dom.js";
import { buildFields, pagedLog } from "./common.js";
import { duration } from "./figures.js";

const PAGE = 50;

// What each action code means, for a person. Unknown codes show as the code itself.
export const ACTIONS = {
  flag: "Flagged by the filters",
  report: "Reported by a peer",
  "help.request": "Asked for help",
  escalate: "Escalated: nobody claimed it in time",
  claim: "Claimed a review item",
  release: "Handed a claim back",
  "claim.expire": "Claim handed back: the moderator went offline",
  "route.widen": "Sent to every moderator after the room's own moderators",
  resolve: "Resolved a review item",
  "message.remove": "Removed a message",
  "message.approve": "Approved a held message",
  warn: "Warned the person",
  mute: "Muted the person",
  kick: "Removed the person from the room",
  ban: "Closed the person's account (ban)",
  "role.set": "Changed someone's role",
  "context.read": "Read a message in its context",
  "held.read": "Read a held message's words",
  "original.read": "Read a message's original words",
  "support.open": "Opened a support conversation",
  "room.slow_mode": "Changed a room's slow mode",
  "audit.read": "Read this log",
};
const OUTCOMES = { actioned: "actioned", no_action: "no action needed", dismissed: "dismissed" };

function who(actor) {
  if (actor.role === "system") return "the server (automatic)";
  const name = actor.name ?? "a deleted account";
  const login = actor.username && actor.username !== actor.name ? ` (${actor.username})` : "";
  return `${name}${login}, ${actor.role}`;
}

function onWhat(entry) {
  const { target, room } = entry;
  const where = room ? ` in ${room.name}` : "";
  if (target.type === "message") {
    return `a message ${target.person ? `by ${target.person.name}` : "no longer stored"}${where}`;
  }
  if (target.type === "user") return `${target.person?.name ?? "a deleted account"}${where}`;
  if (target.type === "audit") return "this log";
  if (target.type === "room") return room ? room.name : "a room no longer stored";
  return `${target.type} ${target.id}${where}`;
}

// The reason and numbers an entry carries, as a sentence; never free text (the server stores none here).
function details(entry) {
  const d = entry.detail || {};
  switch (entry.action) {
    case "report": return `Reason: ${String(d.reason ?? "not given").replaceAll("_", " ")}.`;
    case "flag": return `Kind: ${d.kind}; severity: ${d.severity}.`;
    case "resolve": return `Outcome: ${OUTCOMES[d.outcome] ?? d.outcome}.`
      + (d.with_note ? " A note was written: read it on the item under Resolved in the review queue, while it is kept." : "");
    case "mute": return `For ${duration(d.minutes * 60)}, ${d.everywhere ? "in every room" : "in this room"}.`;
    case "role.set": return `From ${d.old} to ${d.new}.`;
    case "escalate": return `It had waited ${duration(d.waited)}.`;
    case "route.widen": return d.reason === "unclaimed" ? "None of the room's moderators claimed it in time."
      : "None of the room's moderators had the queue open.";
    case "context.read": return `With ${d.before} messages before and ${d.after} after.`;
    case "audit.read": return `${d.count} ${d.count === 1 ? "entry" : "entries"} read.`;
    case "message.remove": return d.message_id ? `Another message of the item's room (${d.message_id}).` : null;
    case "room.slow_mode": {
      const slow = (s) => `one message every ${duration(s.seconds)}${s.until ? ` until ${formatDateTime(s.until)}` : ""}`;
      return `${d.after ? `On: ${slow(d.after)}` : "Off"}${d.before ? ` (was ${slow(d.before)})` : ""}; `
        + `reason: ${String(d.reason ?? "not given").replaceAll("_", " ")}.`;
    }
    default: {
      const pairs = Object.entries(d).filter(([key]) => key !== "moderator_id");
      return pairs.length ? pairs.map(([key, value]) => `${key}: ${value}`).join("; ") : null;
    }
  }
}

function fact(term, ...value) {
  return [h("dt", {}, term), h("dd", {}, ...value)];
}

export function moderationLogTab({ client }) {
  const filters = buildFields([
    { name: "action", label: "What", type: "select",
      options: [["", "All actions"], ...Object.entries(ACTIONS).map(([code, label]) => [code, `${label} (${code})`])] },
    { name: "who", label: "Who", hint: "A username or pseudonym, or system for the server." },
    { name: "room", label: "Room", type: "select", options: [["", "All rooms"]] },
    { name: "target", label: "Message or person id", hint: "Use Only this message or Only this person on an entry." },
    { name: "since", label: "From (date)", type: "date" },
    { name: "until", label: "To (date, included)", type: "date" },
  ]);
  let applied = new URLSearchParams();

  function chosen() {
    const f = filters.read();
    const params = new URLSearchParams();
    for (const name of ["action", "who", "room", "target"]) if (f[name].trim()) params.set(name, f[name].trim());
    // Dates are the admin's own days: from the start of "From" to the end of "To".
    if (f.since) params.set("since", new Date(`${f.since}T00:00`).toISOString());
    if (f.until) {
      const end = new Date(`${f.until}T00:00`);
      end.setDate(end.getDate() + 1);
      params.set("until", end.toISOString());
    }
    return params;
  }

  function onlyThis(entry) {
    const kind = { message: "message", user: "person" }[entry.target.type];
    if (!kind) return null;
    const button = h("button", { type: "button", class: "secondary",
      "aria-label": `Only this ${kind}: ${onWhat(entry)}` }, `Only this ${kind}`);
    button.addEventListener("click", () => {
      filters.controls.target.value = entry.target.id;
      apply();
    });
    return button;
  }

  function entryItem(entry) {
    const label = ACTIONS[entry.action] ?? entry.action;
    const why = details(entry);
    return h("li", { class: "card admin-item audit-entry" },
      h("p", { class: "rule-head" }, h("strong", {}, label), h("code", {}, entry.action)),
      h("dl", { class: "audit-facts" },
        fact("When", h("time", { datetime: entry.at }, formatDateTime(entry.at, { year: true }))),
        fact("Who", who(entry.actor)),
        fact("On", onWhat(entry), " ", h("code", { class: "id" }, entry.target.id)),
        why ? fact("Details", why) : null),
      onlyThis(entry));
  }

  const log = pagedLog({
    label: "Moderation log, newest first", nouns: ["entry", "entries"], olderText: "Load older entries",
    emptyText: "No moderation actions match these filters.", row: entryItem,
    async fetchPage(before) {
      const params = new URLSearchParams(applied);
      params.set("limit", String(PAGE));
      if (before) params.set("before", String(before));
      const { entries, next_before: next } = await client.get(`/api/audit?${params}`);
      return { rows: entries, next };
    },
  });

  function apply() {
    applied = chosen();
    return log.reload();
  }

  const clear = h("button", { type: "button", class: "secondary" }, "Clear filters");
  clear.addEventListener("click", () => {
    for (const control of Object.values(filters.controls)) control.value = "";
    apply();
  });
  const form = h("form", { class: "admin-form inline-form", role: "search", "aria-label": "Filter the moderation log" },
    h("div", { class: "form-grid" }, filters.elements),
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "primary" }, "Show"), clear));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  const element = h("div", {},
    h("h2", {}, "Moderation log"),
    h("p", { class: "hint" }, "Every moderation action, report, help request and read of held words: when, who, what, on what "
      + "and why. It never shows what anyone wrote; entries are kept for the server's audit retention (a year by default)."),
    form, log.element);

  let roomsLoaded = false;
  async function loadRooms() {
    if (roomsLoaded) return;
    try {
      const { rooms } = await client.get("/api/admin/rooms");
      filters.controls.room.append(...rooms.map((room) =>
        h("option", { value: room.slug }, room.archived_at ? `${room.name} (archived)` : room.name)));
      roomsLoaded = true;
    } catch {
      // The log still works without the room list; the next visit tries again.
    }
  }

  return {
    element,
    load() {
      loadRooms();
      return apply();
    },
  };
}
