// Facilitators: their sessions (lobby, start, end, feedback results), and the controls shown inside
// the session's room: slow mode, lock, pin, the raise-hand queue, giving the turn, mute and remove.
import { announce, formatDateTime, h, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { EV } from "../events.js";
import { requireStaff } from "./login.js";
import { normaliseSession } from "../chat/session-panel.js";

export function facilitatorView(main, app) {
  if (!requireStaff(app, ["facilitator", "admin"])) return null;
  const me = app.session.user;
  const list = h("ul", { class: "session-list", "aria-busy": "true" });
  const status = h("div", { role: "status" });
  main.append(h("div", { class: "page-head" }, h("h1", {}, "Your sessions"),
    h("button", { type: "button", class: "secondary", onclick: () => { app.signOut(); app.go("/staff"); } }, "Sign out")),
  h("p", { class: "meta" }, `Signed in as ${me.pseudonym}. Open a session to wait in its lobby, start it and guide it.`),
  status, list);
  let alive = true;
  api.sessions(app.session.token).then(({ sessions }) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    if (!sessions.length) list.append(h("li", { class: "empty" }, "No sessions are scheduled for you."));
    for (const raw of sessions) list.append(sessionCard(raw));
  }).catch((error) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    status.append(noticeBox(error.status === 404 ? "Sessions aren't available on this server yet." : error.message, { kind: "error" }));
  });

  function sessionCard(raw) {
    const s = normaliseSession(raw);
    const feedback = raw.feedback;
    return h("li", { class: "card" },
      h("h2", {}, s.title),
      h("p", { class: "meta" }, `${raw.room_name ?? s.room} · ${formatDateTime(raw.starts_at)} · ${s.state}`),
      feedback ? feedbackSummary(feedback) : null,
      h("a", { class: "button primary", href: `#/room/${s.room}`, onclick: () => app.pendingJoin.set(s.room, { accept: true, mode: "participant", session: s.id }) },
        s.state === "ended" ? "Open the room" : "Open lobby and controls"));
  }
  return () => { alive = false; };
}

function feedbackSummary(feedback) {
  const rows = Object.entries(feedback.counts ?? {});
  return h("section", { class: "feedback", "aria-label": "Feedback results" },
    h("h3", {}, `Feedback (${feedback.responses ?? 0} responses)`),
    feedback.average !== undefined ? h("p", {}, `Average rating: ${feedback.average} of 5`) : null,
    rows.length ? h("ul", {}, rows.map(([label, count]) => h("li", {}, `${label}: ${count}`))) : null,
    (feedback.comments ?? []).length ? h("ul", { class: "comments" }, feedback.comments.map((c) => h("li", {}, c))) : null);
}

// Mounted by the room view when a facilitator is in a session's room.
export function facilitatorControls({ conn, sessionId }) {
  let current = null;
  const status = h("p", { class: "meta", role: "status" });
  const hands = h("ol", { class: "hand-queue", "aria-label": "Raised hands, in order" });
  const slow = h("select", { id: "slow-mode" },
    [[0, "Off"], [10, "10 seconds"], [30, "30 seconds"], [60, "1 minute"]].map(([v, l]) => h("option", { value: v }, l)));
  const lock = h("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Lock room");
  const pinText = h("input", { id: "pin-text", maxlength: 280 });
  const start = h("button", { type: "button", class: "primary" }, "Start session");
  const end = h("button", { type: "button", class: "danger" }, "End session");
  const element = h("section", { class: "facilitator-controls card", "aria-labelledby": "fac-title" },
    h("h2", { id: "fac-title" }, "Facilitator controls"), status,
    h("div", { class: "control-row" }, start, end),
    h("div", { class: "control-row" }, h("label", { for: "slow-mode" }, "Slow mode"), slow, lock),
    h("form", { class: "control-row", onsubmit: (e) => { e.preventDefault(); call(EV.sessionPin, { text: pinText.value.trim() }, "Pinned."); } },
      h("label", { for: "pin-text" }, "Pinned note"), pinText, h("button", { type: "submit", class: "secondary" }, "Pin")),
    h("h3", {}, "Raised hands"), hands);

  start.addEventListener("click", () => call(EV.sessionStart, {}, "The session has started."));
  end.addEventListener("click", () => call(EV.sessionEnd, {}, "The session has ended. Thank you."));
  slow.addEventListener("change", () => call(EV.sessionSlow, { seconds: Number(slow.value) }, "Slow mode updated."));
  lock.addEventListener("click", () => call(EV.sessionLock, { locked: lock.getAttribute("aria-pressed") !== "true" }, "Updated."));

  async function call(event, extra, done) {
    const reply = await conn.call(event, { session: sessionId, ...extra });
    status.textContent = reply.ok ? done : reply.error.message;
    if (reply.ok && reply.session) update(reply.session);
    return reply;
  }

  function update(raw) {
    const s = normaliseSession(raw);
    if (!s) return;
    current = s;
    start.hidden = s.state === "live" || s.state === "ended";
    end.hidden = s.state !== "live";
    slow.value = String(s.slowSeconds);
    lock.setAttribute("aria-pressed", String(s.locked));
    lock.textContent = s.locked ? "Unlock room" : "Lock room";
    hands.replaceChildren(...s.hands.map((u) => h("li", {}, h("span", {}, u.pseudonym),
      h("button", { type: "button", class: "secondary", "aria-label": `Give the turn to ${u.pseudonym}`,
        onclick: () => call(EV.turnGive, { user: u.id }, `${u.pseudonym} has the turn.`) }, "Give turn"))));
    if (!s.hands.length) hands.append(h("li", { class: "empty" }, "No hands raised."));
  }

  // Per-member buttons for the members list.
  function memberActions(member) {
    if (member.role !== "peer") return [];
    return [
      h("button", { type: "button", class: "link-button", "aria-label": `Mute ${member.pseudonym} for this session`,
        onclick: () => call(EV.memberMute, { user: member.id }, `${member.pseudonym} is muted.`) }, "Mute"),
      h("button", { type: "button", class: "link-button danger-text", "aria-label": `Remove ${member.pseudonym} from the session`,
        onclick: () => call(EV.memberRemove, { user: member.id }, `${member.pseudonym} was removed.`) }, "Remove"),
    ];
  }

  return { element, update, memberActions, get current() { return current; }, announce };
}
