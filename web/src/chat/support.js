// A private conversation between a moderator and one peer, outside the room. The moderator opens it
// (support:open); the peer's panel appears with support:opened. Both write with support:send and
// receive support:message; support:history fills it in after a reload or reconnect.
import { announce, formatTime, h } from "../dom.js";
import { EV, PUSH } from "../events.js";

export function supportPanel({ conn, me, title, side = "peer" }) {
  let conversation = null;
  let id = null;
  const seen = new Set();
  const heading = h("h2", {}, title);
  const intro = h("p", { class: "hint" }, side === "peer"
    ? "Only you and this moderator can read this. Peer support is not therapy; in an emergency use Crisis help."
    : "Only you and this person can read this. It is stored with the moderation records.");
  const list = h("ol", { class: "timeline support-list", role: "log", "aria-label": title });
  const input = h("input", { type: "text", maxlength: 2000, "aria-label": "Private reply" });
  const form = h("form", { class: "composer-row" }, input,
    h("button", { type: "submit", class: "primary" }, "Send privately"));
  const element = h("section", { class: "support-panel card", hidden: true, "aria-label": title },
    heading, intro, list, form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !id) return;
    const reply = await conn.call(EV.supportSend, { conversation_id: id, text });
    if (reply.ok) {
      input.value = "";
      show(reply.message);
    } else {
      announce(reply.error.message);
    }
  });

  const offs = [
    conn.on(PUSH.supportMessage, (m) => {
      if (id && m.conversation_id !== id) {
        if (m.sender_id !== me.id) announce("A new private message arrived in another conversation.");
        return;
      }
      if (!id) {
        load(m.conversation_id);
        return;
      }
      show(m);
      if (m.sender_id !== me.id) announce(`Private message from ${otherName()}`, { urgent: side === "peer" });
    }),
  ];
  if (side === "peer") {
    offs.push(conn.on(PUSH.supportOpened, ({ conversation: c }) => {
      open(c);
      load(c.id);
      announce(`${c.moderator.pseudonym}, a moderator, opened a private conversation with you.`, { urgent: true });
    }));
  }

  function otherName() {
    if (!conversation) return side === "peer" ? "a moderator" : "this person";
    return side === "peer" ? `${conversation.moderator.pseudonym} (moderator)` : conversation.user.pseudonym;
  }

  function open(c, messages = []) {
    if (c.id !== id) {
      seen.clear();
      list.replaceChildren();
    }
    conversation = c;
    id = c.id;
    heading.textContent = side === "peer" ? `${title} · ${c.moderator.pseudonym}` : `${title} with ${c.user.pseudonym}`;
    element.hidden = false;
    for (const m of messages) show(m);
  }

  async function load(conversationId) {
    id = conversationId;
    element.hidden = false;
    const reply = await conn.call(EV.supportHistory, { conversation_id: conversationId });
    if (reply.ok) for (const m of reply.messages) show(m);
  }

  function show(m) {
    if (!m || seen.has(m.id)) return;
    seen.add(m.id);
    const mine = m.sender_id === me.id;
    list.append(h("li", { class: `message${mine ? " mine" : ""}`, dataset: { id: m.id } },
      h("div", { class: "message-head" }, h("span", { class: "sender" }, mine ? "You" : otherName()),
        h("time", { datetime: m.created_at }, formatTime(m.created_at))),
      h("p", { class: "message-text" }, m.text)));
  }

  return {
    element,
    open(c, messages) {
      open(c, messages);
      input.focus();
    },
    reload() {
      if (id) load(id);
    },
    dispose: () => offs.forEach((off) => off()),
  };
}
