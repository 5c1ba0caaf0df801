// The facilitator's panel inside a session's room: start and end, slow mode, lock, pin, rounds, the
// raise-hand queue with turn:give, a break timer, and per-person mute / remove in the members list.
// Every control answers with the new Session, which also reaches everyone as session:state.
import { announce, h } from "../dom.js";
import { api } from "../api.js";
import { EV } from "../events.js";
import { feedbackResults } from "./feedback-results.js";

const SLOW = [[0, "Off"], [10, "10 seconds"], [30, "30 seconds"], [60, "1 minute"], [300, "5 minutes"]];
const BREAKS = [[5, "5 minutes"], [10, "10 minutes"], [15, "15 minutes"]];

export function sessionControls({ conn, token, onChange }) {
  let s = null;
  const status = h("p", { class: "meta", role: "status" });
  const start = h("button", { type: "button", class: "primary" }, "Start session");
  const end = h("button", { type: "button", class: "danger" }, "End session");
  const slow = h("select", { id: "slow-mode" }, SLOW.map(([v, l]) => h("option", { value: v }, l)));
  const lock = h("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Lock session");
  const rounds = h("button", { type: "button", class: "secondary", "aria-pressed": "false" }, "Start rounds");
  const pinText = h("input", { id: "pin-text", maxlength: 500 });
  const unpin = h("button", { type: "button", class: "link-button" }, "Unpin");
  const breakMinutes = h("select", { "aria-label": "Break length" }, BREAKS.map(([v, l]) => h("option", { value: v }, l)));
  const breakStart = h("button", { type: "button", class: "secondary" }, "Start break");
  const breakEnd = h("button", { type: "button", class: "secondary" }, "End break");
  const speaker = h("p", { class: "turn" });
  const takeBack = h("button", { type: "button", class: "link-button" }, "Take the turn back");
  const hands = h("ol", { class: "hand-queue", "aria-label": "Raised hands, in order" });
  const removeBox = h("div", {});
  const results = h("div", {});
  const live = h("div", {},
    h("div", { class: "control-row" }, h("label", { for: "slow-mode" }, "Slow mode"), slow, lock, rounds),
    h("form", { class: "control-row", onsubmit: (e) => { e.preventDefault(); control(EV.sessionPin, { text: pinText.value.trim() }, "Pinned for everyone."); } },
      h("label", { for: "pin-text" }, "Pinned note"), pinText, h("button", { type: "submit", class: "secondary" }, "Pin"), unpin),
    h("div", { class: "control-row" }, h("span", {}, "Break"), breakMinutes, breakStart, breakEnd),
    h("h3", {}, "Raised hands"), speaker, takeBack, hands, removeBox);
  const element = h("section", { class: "facilitator-controls card", "aria-labelledby": "fac-title" },
    h("h2", { id: "fac-title" }, "Facilitator controls"), status,
    h("div", { class: "control-row" }, start, end), live, results);

  start.addEventListener("click", () => control(EV.sessionStart, {}, "The session has started."));
  end.addEventListener("click", async () => {
    if (await control(EV.sessionEnd, {}, "The session has ended. Everyone who took part gets the feedback form.")) {
      showResults();
    }
  });
  slow.addEventListener("change", () => control(EV.sessionSlow, { seconds: Number(slow.value) },
    Number(slow.value) ? "Slow mode is on." : "Slow mode is off."));
  lock.addEventListener("click", () => (s.controls.locked ? control(EV.sessionUnlock, {}, "Open to new joiners again.")
    : control(EV.sessionLock, {}, "Closed to new joiners.")));
  rounds.addEventListener("click", () => control(EV.sessionRounds, { on: !s.controls.rounds },
    s.controls.rounds ? "Rounds are over: everyone can write." : "Rounds: only the person with the turn writes."));
  unpin.addEventListener("click", () => control(EV.sessionPin, {}, "Unpinned."));
  breakStart.addEventListener("click", () => control(EV.sessionBreak, { minutes: Number(breakMinutes.value) }, "Break started."));
  breakEnd.addEventListener("click", () => control(EV.sessionBreak, { minutes: 0 }, "Break over."));
  takeBack.addEventListener("click", () => control(EV.turnGive, {}, "Nobody has the turn now."));

  async function control(event, extra, done) {
    if (!s) return null;
    const reply = await conn.call(event, { session: s.id, ...extra });
    status.textContent = reply.ok ? done : reply.error.message;
    announce(status.textContent);
    if (reply.ok) update(reply.session);
    return reply.ok ? reply : null;
  }

  async function showResults() {
    try {
      const reply = await api.get(`/api/sessions/${encodeURIComponent(s.id)}/feedback`, token);
      results.replaceChildren(feedbackResults(reply),
        h("button", { type: "button", class: "secondary", onclick: showResults }, "Refresh feedback results"));
    } catch (error) {
      results.replaceChildren(h("p", { class: "hint" }, error.message));
    }
  }

  function update(next) {
    if (!next || (s && next.id === s.id && next.version < s.version)) return;
    s = next;
    const c = s.controls;
    const running = s.state === "open" || s.state === "live";
    start.hidden = !(s.state === "scheduled" || s.state === "open");
    end.hidden = !running;
    live.hidden = !running;
    slow.value = String(c.slow_mode);
    if (slow.value !== String(c.slow_mode)) {
      slow.append(h("option", { value: c.slow_mode }, `${c.slow_mode} seconds`));
      slow.value = String(c.slow_mode);
    }
    lock.setAttribute("aria-pressed", String(c.locked));
    lock.textContent = c.locked ? "Unlock session" : "Lock session";
    rounds.setAttribute("aria-pressed", String(c.rounds));
    rounds.textContent = c.rounds ? "End rounds" : "Start rounds";
    if (document.activeElement !== pinText) pinText.value = c.pinned?.text ?? "";
    unpin.hidden = !c.pinned;
    breakEnd.hidden = !c.break_until;
    speaker.textContent = c.speaker ? `${c.speaker.pseudonym} has the turn.` : "Nobody has the turn.";
    takeBack.hidden = !c.speaker;
    hands.replaceChildren(...c.hands.map((u) => h("li", {}, h("span", {}, u.pseudonym),
      h("button", { type: "button", class: "secondary", "aria-label": `Give the turn to ${u.pseudonym}`,
        onclick: () => control(EV.turnGive, { user: u.id }, `${u.pseudonym} has the turn.`) }, "Give turn"),
      h("button", { type: "button", class: "link-button", "aria-label": `Lower ${u.pseudonym}'s hand`,
        onclick: () => control(EV.handLower, { user: u.id }, `${u.pseudonym}'s hand is lowered.`) }, "Lower"))));
    if (!c.hands.length) hands.append(h("li", { class: "empty" }, "No hands raised."));
    onChange?.();
  }

  function askRemoval(member) {
    const reason = h("input", { type: "text", maxlength: 500, "aria-label": `Why ${member.pseudonym} is removed (shared with the moderators)` });
    removeBox.replaceChildren(h("form", { class: "control-row", onsubmit: async (e) => {
      e.preventDefault();
      if (await control(EV.sessionRemove, { user: member.id, text: reason.value.trim() }, `${member.pseudonym} was removed from the session.`)) {
        removeBox.replaceChildren();
      }
    } },
    h("span", {}, `Remove ${member.pseudonym} from the session?`), reason,
    h("button", { type: "submit", class: "danger" }, "Remove"),
    h("button", { type: "button", class: "link-button", onclick: () => removeBox.replaceChildren() }, "Cancel")));
    reason.focus();
  }

  // Buttons beside each peer in the members list while a session runs.
  function memberActions(member) {
    if (!s || member.role !== "peer" || !(s.state === "open" || s.state === "live")) return [];
    const isMuted = s.controls.muted.includes(member.id);
    return [
      h("button", { type: "button", class: "link-button", "aria-label": `${isMuted ? "Unmute" : "Mute"} ${member.pseudonym} in this session`,
        onclick: () => control(isMuted ? EV.sessionUnmute : EV.sessionMute, { user: member.id },
          `${member.pseudonym} is ${isMuted ? "unmuted" : "muted"} in this session.`) }, isMuted ? "Unmute" : "Mute in session"),
      h("button", { type: "button", class: "link-button danger-text", "aria-label": `Remove ${member.pseudonym} from the session`,
        onclick: () => askRemoval(member) }, "Remove"),
    ];
  }

  return { element, update, memberActions, showResults };
}
