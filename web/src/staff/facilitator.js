// Facilitators: the sessions they lead (GET /api/sessions, only theirs; admins see all), with the
// series' feedback, and a way into each session's room where the controls are.
import { formatDateTime, formatTime, h, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { requireStaff } from "./login.js";
import { canControl } from "../chat/session-panel.js";
import { feedbackResults } from "./feedback-results.js";

const STATE_LABEL = { scheduled: "scheduled", open: "lobby open", live: "live now" };

export function facilitatorView(main, app) {
  if (!requireStaff(app, ["facilitator", "admin"])) return null;
  const me = app.session.user;
  const token = app.session.token;
  const list = h("ul", { class: "session-list", "aria-busy": "true" });
  const status = h("div", { role: "status" });
  main.append(h("div", { class: "page-head" }, h("h1", {}, "Your sessions")),
  h("p", { class: "meta" }, `Signed in as ${me.pseudonym}. Open a session to wait in its lobby, start it and guide it.`),
  status, list);
  let alive = true;
  api.sessions(token).then(({ sessions }) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    const mine = sessions.filter((s) => canControl(s, me));
    if (!mine.length) list.append(h("li", { class: "empty" }, "No sessions are scheduled for you."));
    for (const s of mine) list.append(sessionCard(s));
  }).catch((error) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    status.append(noticeBox(error.message, { kind: "error" }));
  });

  function sessionCard(s) {
    const results = h("div", {});
    const card = h("li", { class: "card" },
      h("h2", {}, s.title),
      h("p", { class: "meta" },
        h("span", {}, s.room), h("span", {}, `${formatDateTime(s.start)} to ${formatTime(s.end)}`),
        h("span", { class: `badge state-${s.state}` }, STATE_LABEL[s.state] ?? s.state),
        h("span", {}, `${s.attending} of ${s.capacity} places, ${s.rsvps} RSVPs${s.waitlisted ? `, ${s.waitlisted} waiting` : ""}`),
        s.confidential ? h("span", {}, "confidential") : null),
      s.description ? h("p", {}, s.description) : null,
      h("a", { class: "button primary", href: `#/room/${s.room}`,
        onclick: () => app.pendingJoin.set(s.room, { accept: true, mode: "participant" }) }, "Open lobby and controls"),
      results);
    api.get(`/api/sessions/${encodeURIComponent(s.id)}/feedback`, token)
      .then((reply) => { if (alive) results.replaceChildren(feedbackResults(reply)); })
      .catch(() => {});
    return card;
  }
  return () => { alive = false; };
}
