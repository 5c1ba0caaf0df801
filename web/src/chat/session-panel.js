// A facilitated session as a peer sees it in the room: what is coming or running, who leads it and what it
// is about, saying you plan to come (RSVP), joining it (or the waitlist), raising a hand, whose turn it is, slow mode, the pinned agenda and a break timer. The
// Session shape is docs/protocol.md's; the room's current session comes from /api/rooms/{slug}/sessions
// and every change arrives as session:state.
import { announce, formatDateTime, formatTime, h } from "../dom.js";
import { api } from "../api.js";
import { EV, PUSH } from "../events.js";

const RUNNING = ["open", "live"];

export function canControl(session, me) {
  return me.role === "admin" || session.facilitators.some((f) => f.id === me.id);
}

export function sessionPanel({ conn, slug, me, token, mode, onSession }) {
  let current = null;
  let status = "none"; // none | in | waitlisted | removed (this person's place in the current session)
  let position = null;
  let muted = false;
  let ticker = null;
  // Whether this person plans to come, per session, as the server last said: HTTP answers to a signed-in
  // caller carry "rsvped"; session:state pushes (one shape for the whole room) don't, so it is kept here.
  const planned = new Map();
  const title = h("h2", {}, "");
  const when = h("p", { class: "meta" });
  const led = h("p", { class: "meta" });
  const about = h("p", { class: "session-about" });
  const state = h("p", { class: "session-state", role: "status" });
  const place = h("p", { class: "session-place" });
  const pinned = h("p", { class: "pinned", hidden: true });
  const breakLine = h("p", { class: "break-timer", hidden: true });
  const turn = h("p", { class: "turn", role: "status" });
  const join = h("button", { type: "button", class: "primary", onclick: joinSession }, "Join this session");
  const leave = h("button", { type: "button", class: "link-button", onclick: leaveSession }, "Leave the session");
  const hand = h("button", { type: "button", class: "secondary", "aria-pressed": "false", onclick: toggleHand }, "Raise hand");
  const rsvp = h("button", { type: "button", class: "secondary", "aria-pressed": "false", onclick: toggleRsvp }, "I plan to come");
  const element = h("section", { class: "session-panel card", hidden: true, "aria-label": "Session" },
    title, when, led, about, state, place, pinned, breakLine, turn, h("div", { class: "control-row" }, join, rsvp, hand, leave));

  const offs = [
    conn.on(PUSH.sessionState, (s) => s.room === slug && update(s)),
    conn.on(PUSH.sessionWaitlist, (d) => { if (d.session === current?.id) { status = "waitlisted"; position = d.position; render(); } }),
    conn.on(PUSH.sessionAdmitted, (d) => {
      if (d.session !== current?.id) return;
      status = "in";
      position = null;
      announce("A place freed up: you are in the session now.", { urgent: true });
      render();
    }),
    conn.on(PUSH.sessionMuted, (d) => {
      if (d.session !== current?.id) return;
      muted = d.muted;
      announce(muted ? "A facilitator has muted you in this session." : "You can write in the session again.");
      render();
    }),
    conn.on(PUSH.sessionRemoved, (d) => {
      if (d.session !== current?.id) return;
      status = "removed";
      announce("A facilitator removed you from this session.", { urgent: true });
      render();
    }),
  ];

  // The room's running session, or else its next one (the server lists them soonest first).
  async function refresh() {
    try {
      // With the token: a room for under-18s is only visible to its own peers (and staff).
      const { sessions } = await api.get(`/api/rooms/${encodeURIComponent(slug)}/sessions`, token);
      update(sessions.find((s) => RUNNING.includes(s.state)) ?? sessions[0] ?? null);
    } catch {
      // The room works without its session list; session:state will fill it in.
    }
  }

  function update(s) {
    if (s && typeof s.rsvped === "boolean") planned.set(s.id, s.rsvped);
    if (s && current && s.id === current.id && s.version < current.version) {
      render();
      return;
    }
    if (!s || s.id !== current?.id) {
      status = "none";
      position = null;
      muted = false;
    }
    const wasMine = current?.controls.speaker?.id === me.id;
    current = s && !["ended", "cancelled"].includes(s.state) ? s : null;
    if (current && current.controls.speaker?.id === me.id && !wasMine) announce("It's your turn to speak.", { urgent: true });
    if (s && s.state === "ended") announce("The session has ended. Thank you for being here.");
    render();
    onSession?.(s);
  }

  function render() {
    element.hidden = !current;
    clearInterval(ticker);
    if (!current) return;
    const s = current;
    const c = s.controls;
    const controller = canControl(s, me);
    title.textContent = s.title;
    led.textContent = s.facilitators.length ? `Led by ${s.facilitators.map((f) => f.pseudonym).join(" and ")}` : "";
    about.textContent = s.description;
    about.hidden = !s.description;
    when.textContent = `${formatDateTime(s.start)} to ${formatTime(s.end)} · ${s.attending} of ${s.capacity} places taken`
      + `${s.waitlisted ? ` · ${s.waitlisted} waiting` : ""}${s.confidential ? " · confidential: messages are deleted when it ends" : ""}`;
    state.textContent = [
      s.state === "live" ? "Session in progress" : s.state === "open" ? "The lobby is open: the session starts soon"
        : `Scheduled. The lobby opens at ${formatTime(s.opens_at)}`,
      c.slow_mode ? `slow mode: one message every ${c.slow_mode} seconds` : null,
      c.locked ? "closed to new joiners" : null,
      c.rounds ? "rounds: only the person with the turn writes" : null,
    ].filter(Boolean).join(" · ");
    place.textContent = status === "in" ? `You are in this session${muted ? "; a facilitator has muted you for now" : ""}.`
      : status === "waitlisted" ? `The session is full. You are number ${position} on the waitlist.`
        : status === "removed" ? "A facilitator removed you from this session." : "";
    pinned.hidden = !c.pinned;
    pinned.textContent = c.pinned ? `Pinned by ${c.pinned.by}: ${c.pinned.text}` : "";
    const mine = c.speaker?.id === me.id;
    turn.textContent = c.speaker ? (mine ? "It's your turn to speak." : `${c.speaker.pseudonym} has the turn.`) : "";
    const running = RUNNING.includes(s.state);
    join.hidden = controller || !running || status !== "none";
    const coming = planned.get(s.id) === true;
    rsvp.hidden = controller || s.state !== "scheduled";
    rsvp.setAttribute("aria-pressed", String(coming));
    rsvp.textContent = coming ? "You plan to come (change)" : "I plan to come";
    leave.hidden = status !== "in" && status !== "waitlisted";
    const raised = c.hands.some((u) => u.id === me.id);
    hand.setAttribute("aria-pressed", String(raised));
    hand.textContent = raised ? "Lower hand" : "Raise hand";
    hand.hidden = controller || !running || status !== "in" || mode() !== "participant";
    if (c.break_until) {
      const tick = () => {
        const left = Math.max(0, Math.round((new Date(c.break_until).getTime() - Date.now()) / 1000));
        breakLine.textContent = `On a break: back in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      };
      tick();
      ticker = setInterval(tick, 1000);
    }
    breakLine.hidden = !c.break_until;
  }

  async function joinSession() {
    if (!current) return;
    const reply = await conn.call(EV.sessionJoin, { session: current.id, as: mode() });
    if (!reply.ok) {
      place.textContent = reply.error.message;
      return;
    }
    status = reply.status === "facilitator" ? "none" : reply.status;
    position = reply.position;
    update(reply.session);
    announce(status === "in" ? "You joined the session." : `You are number ${position} on the waitlist.`);
  }

  async function leaveSession() {
    if (!current) return;
    const reply = await conn.call(EV.sessionLeave, { session: current.id });
    if (reply.ok) {
      status = "none";
      render();
    }
  }

  async function toggleRsvp() {
    if (!current) return;
    const coming = planned.get(current.id) !== true;
    try {
      const path = `/api/sessions/${encodeURIComponent(current.id)}/rsvp`;
      const reply = coming ? await api.post(path, undefined, token) : await api.del(path, token);
      update(reply.session);
      announce(coming ? "Noted: you plan to come. You can join when the lobby opens." : "Noted: you don't plan to come.");
    } catch (error) {
      place.textContent = error.message;
    }
  }

  async function toggleHand() {
    if (!current) return;
    const raised = hand.getAttribute("aria-pressed") === "true";
    const reply = await conn.call(raised ? EV.handLower : EV.handRaise, { session: current.id });
    if (!reply.ok) announce(reply.error.message);
    else {
      update(reply.session);
      announce(reply.position ? `Your hand is raised: number ${reply.position} in line.` : "Your hand is lowered.");
    }
  }

  return {
    element,
    refresh,
    // After a reconnect the server has let our place go (we left the room): take it again.
    async rejoin() {
      await refresh();
      if (current && (status === "in" || status === "waitlisted")) {
        status = "none";
        await joinSession();
      }
    },
    get current() { return current; },
    dispose() {
      clearInterval(ticker);
      offs.forEach((off) => off());
    },
  };
}
