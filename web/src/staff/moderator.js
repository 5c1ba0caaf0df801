// The moderator's live queue: crisis first, severity colours, claim -> context -> act -> resolve.
// A new urgent item is shown, announced to screen readers and (unless muted) chimes.
import { announce, h, noticeBox } from "../dom.js";
import { EV, PUSH, removedMessageId } from "../events.js";
import { isOpen, isUrgent, normaliseItem, queueCard, SEVERITY_RANK } from "./queue-item.js";
import { requireStaff } from "./login.js";
import { supportPanel } from "../chat/support.js";
import { chime } from "./chime.js";

const SOUND_KEY = "peerchat.sound";

export function moderatorView(main, app) {
  if (!requireStaff(app, ["moderator", "admin"])) return null;
  const conn = app.connect();
  const me = app.session.user;
  const items = new Map();
  const offs = [];
  let soundOn = localStorage.getItem(SOUND_KEY) !== "off";

  const list = h("ol", { class: "queue", "aria-label": "Review queue, most urgent first" });
  const empty = h("p", { class: "empty" }, "Nothing is waiting. Thank you for keeping watch.");
  const alertBox = h("div", { class: "urgent-alert", role: "alert", hidden: true });
  const status = h("div", { role: "status", class: "queue-status" });
  const sound = h("button", { type: "button", class: "secondary", "aria-pressed": String(soundOn) },
    soundOn ? "Sound on" : "Sound off");
  const support = supportPanel({ conn, me, title: "Private support conversation" });
  sound.addEventListener("click", () => {
    soundOn = !soundOn;
    localStorage.setItem(SOUND_KEY, soundOn ? "on" : "off");
    sound.setAttribute("aria-pressed", String(soundOn));
    sound.textContent = soundOn ? "Sound on" : "Sound off";
  });
  main.append(h("div", { class: "page-head" },
    h("h1", {}, "Review queue"),
    h("div", {}, sound, h("button", { type: "button", class: "secondary", onclick: () => { app.signOut(); app.go("/staff"); } }, "Sign out"))),
  h("p", { class: "meta" }, `Signed in as ${me.pseudonym} (${me.role}). Crisis items come first.`),
  alertBox, status, support.element, list, empty);

  offs.push(
    conn.on(PUSH.flagNew, (raw) => {
      const item = normaliseItem(raw);
      upsert(item);
      if (isUrgent(item)) raiseAlarm(item);
    }),
    conn.on(PUSH.flagUpdated, (raw) => upsert(normaliseItem(raw))),
    conn.on(PUSH.messageRemoved, (data) => {
      const id = removedMessageId(data);
      for (const item of items.values()) if (item.message?.id === id) item.message = { ...item.message, removed: true };
    }),
    conn.on("connection:up", subscribe),
    conn.onReconnect(subscribe),
  );
  if (conn.isConnected) subscribe();

  async function subscribe() {
    const reply = await conn.call(EV.modSubscribe, {});
    if (!reply.ok) {
      status.replaceChildren(noticeBox(reply.error.code === "unknown_event"
        ? "The review queue isn't available on this server yet." : reply.error.message, { kind: "error" }));
      return;
    }
    const snapshot = reply.items ?? reply.queue ?? (await conn.call(EV.modQueue, {})).items ?? [];
    items.clear();
    for (const raw of snapshot) {
      const item = normaliseItem(raw);
      items.set(item.id, item);
    }
    status.replaceChildren();
    render();
  }

  function upsert(item) {
    const known = items.get(item.id);
    if (known && known.version > item.version) return;
    if (isOpen(item)) items.set(item.id, item);
    else items.delete(item.id);
    render();
  }

  function render() {
    const sorted = [...items.values()].sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0)
      || String(a.createdAt).localeCompare(String(b.createdAt)));
    list.replaceChildren(...sorted.map((item) => queueCard(item, me, handlers)));
    empty.hidden = sorted.length > 0;
  }

  function raiseAlarm(item) {
    const sentence = `New ${item.severity} ${item.kind} item in ${item.room ?? "a room"}.`;
    alertBox.hidden = false;
    alertBox.textContent = sentence;
    announce(sentence, { urgent: true });
    if (soundOn) chime();
  }

  async function act(event, payload, done) {
    const reply = await conn.call(event, payload);
    if (!reply.ok) {
      status.replaceChildren(noticeBox(reply.error.message, { kind: "error" }));
      if (reply.error.code === "conflict") subscribe();
      return null;
    }
    status.replaceChildren(noticeBox(done));
    if (reply.item) upsert(normaliseItem(reply.item));
    return reply;
  }

  const handlers = {
    claim: (item) => act(EV.modClaim, { item: item.id, version: item.version }, "Claimed. It's yours now."),
    release: (item) => act(EV.modRelease, { item: item.id, version: item.version }, "Released back to the queue."),
    resolve: async (item, action) => {
      const reply = await act(EV.modResolve, { item: item.id, action, version: item.version }, "Done. The item is resolved.");
      if (reply && !reply.item) {
        items.delete(item.id);
        render();
      }
    },
    context: async (item, card, button) => {
      const shown = card.querySelector(".context");
      if (shown) {
        shown.remove();
        button.setAttribute("aria-expanded", "false");
        return;
      }
      const reply = await conn.call(EV.modContext, { item: item.id });
      const box = h("ol", { class: "context timeline", "aria-label": "Messages around this one" });
      if (!reply.ok) box.append(h("li", {}, reply.error.message));
      for (const m of reply.messages ?? []) {
        box.append(h("li", { class: `message${m.id === item.message?.id ? " focus" : ""}` },
          h("span", { class: "sender" }, `${m.sender?.pseudonym ?? ""}: `), h("span", { class: "message-text" }, m.text ?? "")));
      }
      card.append(box);
      button.setAttribute("aria-expanded", "true");
    },
    support: (item) => support.open(item.conversation ?? item.user.id),
  };

  return () => {
    offs.forEach((off) => off());
    support.dispose();
  };
}
