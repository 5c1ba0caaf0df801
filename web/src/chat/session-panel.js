// A facilitated session as a peer sees it: its state, slow mode, lock, the pinned message, whose
// turn it is and the raise-hand button. Hidden when the room has no session running.
import { announce, h } from "../dom.js";
import { EV, PUSH } from "../events.js";

export function normaliseSession(data) {
  const s = data?.session ?? data;
  if (!s || !s.id) return null;
  return {
    id: s.id,
    room: s.room,
    title: s.title ?? "Session",
    state: s.state ?? "scheduled",
    slowSeconds: s.slow_mode_seconds ?? s.slow_mode ?? 0,
    locked: Boolean(s.locked),
    pinned: s.pinned ?? null,
    turn: s.turn ?? null,
    hands: s.hands ?? [],
    participants: s.participants ?? [],
    feedback: s.feedback ?? null,
  };
}

export function sessionPanel({ conn, slug, me }) {
  let current = null;
  const title = h("h2", {}, "");
  const status = h("p", { class: "meta" });
  const pinned = h("p", { class: "pinned", hidden: true });
  const turn = h("p", { class: "turn", role: "status" });
  const hand = h("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Raise hand");
  const element = h("section", { class: "session-panel card", hidden: true, "aria-label": "Session" },
    title, status, pinned, turn, hand);

  hand.addEventListener("click", async () => {
    if (!current) return;
    const raised = hand.getAttribute("aria-pressed") === "true";
    const reply = await conn.call(raised ? EV.handLower : EV.handRaise, { session: current.id });
    if (!reply.ok) announce(reply.error.message);
  });

  const off = conn.on(PUSH.sessionState, (data) => {
    const s = normaliseSession(data);
    if (s && (!s.room || s.room === slug)) update(s);
  });

  function update(raw) {
    const s = raw && raw.title !== undefined && raw.slowSeconds !== undefined ? raw : normaliseSession(raw);
    const hadTurn = current?.turn?.id === me.id;
    current = s;
    element.hidden = !s || s.state === "ended";
    if (!s) return;
    title.textContent = s.title;
    status.textContent = [
      s.state === "live" ? "Session in progress" : s.state === "lobby" ? "Waiting to start" : s.state,
      s.slowSeconds ? `slow mode: one message every ${s.slowSeconds} s` : null,
      s.locked ? "the room is locked: only the facilitator can write" : null,
    ].filter(Boolean).join(" · ");
    pinned.hidden = !s.pinned;
    pinned.textContent = s.pinned ? `Pinned: ${s.pinned.text ?? s.pinned}` : "";
    const mine = s.turn?.id === me.id;
    turn.textContent = s.turn ? (mine ? "It's your turn to speak." : `${s.turn.pseudonym} has the turn.`) : "";
    if (mine && !hadTurn) announce("It's your turn to speak.", { urgent: true });
    const raised = s.hands.some((u) => u.id === me.id);
    hand.setAttribute("aria-pressed", String(raised));
    hand.textContent = raised ? "Lower hand" : "Raise hand";
    hand.hidden = s.state !== "live" || me.role !== "peer";
  }

  return { element, update, dispose: off };
}
