// Facilitators: the sessions they lead (GET /api/sessions, only theirs; admins see all), with the
// series' feedback and a way into each session's room where the controls are; scheduling a session or a
// series, changing one meeting until its lobby opens, and cancelling one meeting or the rest of a series.
import { formatDateTime, formatTime, h, newId, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { confirmAction } from "../confirm.js";
import { requireStaff } from "./login.js";
import { canControl } from "../chat/session-panel.js";
import { feedbackResults } from "./feedback-results.js";
import { adminClient, disclosure, statusLine } from "./admin/common.js";
import { sessionForm } from "./session-form.js";

const STATE_LABEL = { scheduled: "scheduled", open: "lobby open", live: "live now" };
const SERIES_LABEL = { weekly: "weekly series", biweekly: "every two weeks", monthly: "monthly series" };

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function scheduledText(sessions) {
  const [first] = sessions;
  const last = sessions[sessions.length - 1];
  if (sessions.length === 1) return `Scheduled ${first.title} for ${formatDateTime(first.start)}.`;
  return `Scheduled ${sessions.length} meetings of ${first.title}, from ${formatDateTime(first.start)} `
    + `to ${formatDateTime(last.start)}.`;
}

function cancelledText(session, reply) {
  const done = reply.cancelled.length;
  const said = [done ? `Cancelled ${plural(done, "meeting", "meetings")} of ${session.title}.`
    : `Nothing was cancelled: ${session.title} has started or was cancelled already.`];
  const left = reply.skipped || 0;
  if (left) {
    said.push(`${plural(left, "later meeting of the series is", "later meetings of the series are")} led by other `
      + `facilitators without you, so ${left === 1 ? "it was left as it is" : "they were left as they are"}: `
      + `ask them or an admin to cancel ${left === 1 ? "it" : "them"}.`);
  }
  return said.join(" ");
}

export function facilitatorView(main, app) {
  if (!requireStaff(app, ["facilitator", "admin"])) return null;
  const me = app.session.user;
  const token = app.session.token;
  const client = adminClient(app);
  const sessions = new Map();
  const cards = new Map();
  const list = h("ul", { class: "session-list", "aria-label": "Sessions you lead", "aria-busy": "true" });
  const empty = h("li", { class: "empty" }, "No sessions are scheduled for you.");
  const loadError = h("div", {});
  const status = statusLine();
  const formSlot = h("div", {}, h("p", { class: "hint" }, "Loading the rooms…"));
  main.append(h("div", { class: "page-head" }, h("h1", {}, "Your sessions")),
    h("p", { class: "meta" }, `Signed in as ${me.pseudonym}. Open a session to wait in its lobby, start it and guide it.`),
    status.element,
    h("details", { class: "card admin-section" }, h("summary", {}, "Schedule a session"), formSlot),
    loadError, list);
  let alive = true;

  client.get("/api/sessions").then((reply) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    for (const s of reply.sessions) if (canControl(s, me)) keep(s);
    place();
  }).catch((error) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    loadError.append(noticeBox(error.message, { kind: "error" }));
  });

  api.rooms(token).then(({ rooms }) => {
    if (!alive) return;
    const schedule = sessionForm({
      me, rooms, label: "Schedule a session", submitText: "Schedule",
      onSubmit: async (body) => {
        const reply = await client.post("/api/sessions", body);
        reply.sessions.forEach(keep);
        place();
        schedule.clearText();
        status.say(scheduledText(reply.sessions));
      },
    });
    formSlot.replaceChildren(schedule.form);
  }).catch((error) => {
    if (alive) formSlot.replaceChildren(noticeBox(error.message, { kind: "error" }));
  });

  function keep(s) {
    sessions.set(s.id, s);
    cards.set(s.id, sessionCard(s));
  }

  function drop(id) {
    sessions.delete(id);
    cards.delete(id);
  }

  // The cards soonest first. Focus lost with a card that went (or with a button disabled while it sent)
  // goes to the status line, which says what happened, not back to the top of the page.
  function place() {
    const order = [...sessions.values()].sort((a, b) => new Date(a.start) - new Date(b.start));
    list.replaceChildren(...(order.length ? order.map((s) => cards.get(s.id)) : [empty]));
    if (!document.activeElement || document.activeElement === document.body) status.element.focus();
  }

  // A session that changed under us (started, or cancelled elsewhere): shown as it now is, or gone.
  async function refresh(id) {
    const { session } = await client.get(`/api/sessions/${encodeURIComponent(id)}`);
    if (["scheduled", "open", "live"].includes(session.state)) keep(session);
    else drop(id);
  }

  function sessionCard(s) {
    const titleId = newId("session-title");
    const when = formatDateTime(s.start);
    const results = h("div", {});
    const actions = h("div", { class: "item-actions" },
      h("a", { class: "button primary", href: `#/room/${s.room}`, "aria-label": `Open lobby and controls: ${s.title}, ${when}`,
        onclick: () => app.pendingJoin.set(s.room, { accept: true, mode: "participant" }) }, "Open lobby and controls"));
    let holder = null;
    if (s.state === "scheduled") {
      const edit = disclosure("Edit", `Edit ${s.title}, ${when}`, (close) => editForm(s, close));
      actions.append(edit.button);
      holder = edit.holder;
    }
    if (s.state === "scheduled" || s.state === "open") {
      actions.append(cancelButton(s, false));
      if (s.recurrence) actions.append(cancelButton(s, true));
    }
    const card = h("li", { class: "card session-card", "aria-labelledby": titleId },
      h("h2", { id: titleId }, s.title),
      h("p", { class: "meta" },
        h("span", {}, s.room), h("span", {}, `${when} to ${formatTime(s.end)}`),
        h("span", { class: `badge state-${s.state}` }, STATE_LABEL[s.state] ?? s.state),
        h("span", {}, `${s.attending} of ${s.capacity} places, ${s.rsvps} RSVPs${s.waitlisted ? `, ${s.waitlisted} waiting` : ""}`),
        s.recurrence ? h("span", {}, SERIES_LABEL[s.recurrence.frequency] ?? "series") : null,
        s.confidential ? h("span", {}, "confidential") : null),
      s.description ? h("p", {}, s.description) : null,
      actions, holder, results);
    client.get(`/api/sessions/${encodeURIComponent(s.id)}/feedback`)
      .then((reply) => { if (alive) results.replaceChildren(feedbackResults(reply)); })
      .catch(() => {});
    return card;
  }

  function editForm(s, close) {
    return sessionForm({
      me, session: s, label: `Edit ${s.title}`, submitText: "Save changes",
      extra: [h("button", { type: "button", class: "secondary", onclick: close }, "Close without saving")],
      onSubmit: async (body) => {
        const { session } = await client.patch(`/api/sessions/${encodeURIComponent(s.id)}`, body);
        keep(session);
        place();
        status.say(`Saved ${session.title}, ${formatDateTime(session.start)}.`);
      },
    }).form;
  }

  function cancelButton(s, series) {
    const when = formatDateTime(s.start);
    const later = me.role === "admin" ? "every later meeting of its series" : "every later meeting of its series that you lead";
    return confirmAction({
      label: series ? "Cancel this and later meetings" : "Cancel this meeting",
      ariaLabel: series ? `Cancel ${s.title}, ${when}, and later meetings` : `Cancel ${s.title}, ${when}`,
      question: series ? `Cancel ${s.title} on ${when} and ${later}? Peers see them as cancelled.`
        : `Cancel ${s.title} on ${when}? Peers see it as cancelled.${s.confidential && s.state === "open"
          ? " Its lobby is open: what was written since is deleted, as it is confidential." : ""}`,
      yes: "Yes, cancel", no: "Keep it", className: "secondary danger-text",
      onConfirm: async () => {
        try {
          const reply = await client.del(`/api/sessions/${encodeURIComponent(s.id)}${series ? "?series=true" : ""}`);
          reply.cancelled.forEach(drop);
          if (!reply.cancelled.length) await refresh(s.id);
          place();
          status.say(cancelledText(s, reply));
          return null;
        } catch (error) {
          return error.message;
        }
      },
    });
  }

  return () => { alive = false; };
}
