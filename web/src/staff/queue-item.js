// One review-queue item as moderators see it; the payload is normalised in one place so the view
// does not care which optional fields the server sends.
import { formatTime, h } from "../dom.js";

export const SEVERITY_RANK = { imminent: 3, high: 2, medium: 1, low: 0 };

export function normaliseItem(raw) {
  const i = raw?.item ?? raw;
  const claimed = i.claimed_by ?? i.claimant ?? null;
  return {
    id: i.id,
    version: i.version ?? 0,
    severity: i.severity ?? "low",
    kind: i.kind ?? i.flags?.[0]?.kind ?? (i.reports ? "report" : "review"),
    status: i.status ?? "open",
    room: i.room ?? i.message?.room ?? null,
    message: i.message ?? null,
    user: i.user ?? i.message?.sender ?? null,
    claimedBy: claimed && typeof claimed === "object" ? claimed : claimed ? { id: claimed, pseudonym: claimed } : null,
    reports: i.reports ?? i.report_count ?? 0,
    createdAt: i.created_at ?? null,
    actions: i.actions ?? null,
    conversation: i.conversation ?? null,
  };
}

export function isUrgent(item) {
  return item.kind === "crisis" || item.kind === "help" || SEVERITY_RANK[item.severity] >= 2;
}

export function isOpen(item) {
  return !["resolved", "dismissed", "closed"].includes(item.status);
}

export function defaultActions(item) {
  if (item.actions) return item.actions;
  const actions = [];
  if (item.message?.status === "held") actions.push(["approve", "Approve and post"]);
  if (item.message) actions.push(["remove", "Remove message"]);
  actions.push(["dismiss", "No action needed"]);
  return actions.map((a) => (Array.isArray(a) ? a : [a, a]));
}

export function queueCard(item, me, handlers) {
  const mineClaim = item.claimedBy?.id === me.id;
  const titleId = `item-${item.id}-title`;
  const card = h("li", { class: `queue-item sev-${item.severity}`, dataset: { id: item.id }, "aria-labelledby": titleId },
    h("div", { class: "queue-head" },
      h("span", { class: `severity sev-${item.severity}` }, item.severity),
      h("h3", { id: titleId }, `${item.kind} in ${item.room ?? "a room"}`),
      item.createdAt ? h("time", {}, formatTime(typeof item.createdAt === "number" ? item.createdAt * 1000 : item.createdAt)) : null),
    item.message ? h("blockquote", { class: "quoted" },
      h("span", { class: "sender" }, `${item.message.sender?.pseudonym ?? "someone"}: `),
      h("span", { class: "message-text" }, item.message.text ?? "(no text stored)")) : null,
    item.reports ? h("p", { class: "meta" }, `${item.reports} report${item.reports === 1 ? "" : "s"}`) : null,
    h("p", { class: "meta" }, item.claimedBy ? (mineClaim ? "You are handling this" : `${item.claimedBy.pseudonym} is handling this`) : "Not claimed yet"));
  const actions = h("div", { class: "queue-actions" });
  if (!item.claimedBy) actions.append(h("button", { type: "button", class: "primary", onclick: () => handlers.claim(item) }, "Claim"));
  if (mineClaim) {
    actions.append(h("button", { type: "button", class: "secondary", onclick: () => handlers.release(item) }, "Release"));
    for (const [action, label] of defaultActions(item)) {
      actions.append(h("button", { type: "button", class: action === "remove" ? "danger" : "secondary",
        onclick: () => handlers.resolve(item, action) }, label));
    }
    if (item.user && item.user.role === "peer") {
      actions.append(h("button", { type: "button", class: "secondary", onclick: () => handlers.support(item) },
        `Message ${item.user.pseudonym} privately`));
    }
  }
  actions.append(h("button", { type: "button", class: "secondary", "aria-expanded": "false",
    onclick: (event) => handlers.context(item, card, event.currentTarget) }, "Show context"));
  card.append(actions);
  return card;
}
