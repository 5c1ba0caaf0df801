// Slow a heated room down: one message per person every N seconds, for a while or until turned off
// (room:slow_mode). Everyone in the room is told; staff are never held back, and neither is anyone whose
// message the filters read as crisis. Each change is in the moderation log with the reason chosen here.
import { announce, formatTime, h, noticeBox } from "../dom.js";
import { EV } from "../events.js";

const EVERY = [["0", "Off"], ["5", "5 seconds"], ["10", "10 seconds"], ["30", "30 seconds"], ["60", "1 minute"], ["120", "2 minutes"],
  ["300", "5 minutes"], ["600", "10 minutes"], ["900", "15 minutes"]];
const FOR = [["", "Until I turn it off"], ["15", "15 minutes"], ["30", "30 minutes"], ["60", "1 hour"], ["120", "2 hours"],
  ["240", "4 hours"]];
// The server's reason codes; the moderation log keeps the code, never free text.
const REASONS = [["pile_on", "A pile-on"], ["flood", "A flood of messages"],
  ["distressing_post", "Many replies to one distressing post"], ["heated", "A heated discussion"],
  ["calmer", "It has calmed down"], ["other", "Something else"]];

function describe(slow) {
  const every = EVERY.find(([v]) => Number(v) === slow.seconds)?.[1] ?? `${slow.seconds} seconds`;
  return `one message every ${every}${slow.until ? `, until ${formatTime(slow.until)}` : ", until turned off"}`;
}

export function slowModeForm({ conn }) {
  const select = (id, options) => h("select", { id }, options.map(([v, l]) => h("option", { value: v }, l)));
  const room = h("select", { id: "slow-room" });
  const every = select("slow-every", EVERY);
  const span = select("slow-for", FOR);
  const reason = select("slow-reason", REASONS);
  const current = h("p", { class: "meta", id: "slow-current" });
  const status = h("div", {}); // its notice is the live region
  const apply = h("button", { type: "submit", class: "primary" }, "Apply");
  const rooms = new Map();
  const form = h("form", { class: "card slow-mode-form", "aria-labelledby": "slow-title" },
    h("h2", { id: "slow-title" }, "Slow mode"),
    h("p", { class: "hint" }, "When a room heats up, give everyone time to read: each person can send one message per "
      + "interval. Staff aren't held back, and a message the filters read as crisis always goes through."),
    h("div", { class: "control-row" },
      h("span", {}, h("label", { for: "slow-room" }, "Room "), room),
      h("span", {}, h("label", { for: "slow-every" }, "One message every "), every),
      h("span", {}, h("label", { for: "slow-for" }, "For "), span),
      h("span", {}, h("label", { for: "slow-reason" }, "Why "), reason), apply),
    current, status);

  function showCurrent() {
    const slug = room.value;
    const slow = rooms.get(slug)?.slow_mode;
    current.textContent = !slug ? "" : `Now in ${rooms.get(slug)?.name ?? slug}: slow mode is `
      + (slow ? `on, ${describe(slow)}.` : "off.");
  }

  async function load() {
    const reply = await conn.call(EV.roomsList, {});
    if (!reply.ok) return;
    const chosen = room.value;
    rooms.clear();
    for (const r of reply.rooms) rooms.set(r.slug, r);
    room.replaceChildren(...reply.rooms.map((r) => h("option", { value: r.slug },
      r.slow_mode ? `${r.name} (slow mode)` : r.name)));
    if (chosen && rooms.has(chosen)) room.value = chosen;
    showCurrent();
  }

  room.addEventListener("change", showCurrent);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    apply.disabled = true;
    const seconds = Number(every.value);
    const payload = { room: room.value, seconds, reason: reason.value };
    if (seconds && span.value) payload.minutes = Number(span.value);
    const reply = await conn.call(EV.roomSlowMode, payload);
    apply.disabled = false;
    if (!reply.ok) {
      status.replaceChildren(noticeBox(reply.error.message, { kind: "error" }));
      announce(reply.error.message);
      return;
    }
    const name = rooms.get(reply.room)?.name ?? reply.room;
    const sentence = reply.slow_mode ? `Slow mode is on in ${name}: ${describe(reply.slow_mode)}.`
      : `Slow mode is off in ${name}.`;
    status.replaceChildren(noticeBox(sentence));
    announce(sentence);
    await load();
  });

  return { element: form, load };
}
