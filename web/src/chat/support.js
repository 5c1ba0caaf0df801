// A private conversation between a moderator and one peer, outside the room: it appears when the
// first message arrives (or when a moderator opens it) and only the two of them see it.
import { announce, formatTime, h } from "../dom.js";
import { EV, PUSH } from "../events.js";

export function supportPanel({ conn, me, title, conversation = null }) {
  let id = conversation;
  const list = h("ol", { class: "timeline support-list", role: "log", "aria-label": title });
  const input = h("input", { type: "text", maxlength: 2000, "aria-label": "Private reply" });
  const form = h("form", { class: "composer-row" }, input, h("button", { type: "submit", class: "primary" }, "Send privately"));
  const element = h("section", { class: "support-panel card", hidden: !id, "aria-label": title }, h("h2", {}, title), list, form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || !id) return;
    const reply = await conn.call(EV.supportSend, { conversation: id, text });
    if (reply.ok) {
      input.value = "";
      if (reply.message) show(reply.message);
    } else {
      announce(reply.error.message);
    }
  });

  const off = conn.on(PUSH.supportMessage, (m) => {
    if (id && m.conversation !== id) return;
    id = m.conversation;
    element.hidden = false;
    show(m);
    if (m.from?.id !== me.id) announce(`Private message from ${m.from?.pseudonym ?? "a moderator"}`);
  });

  const seen = new Set();
  function show(m) {
    if (m.id && seen.has(m.id)) return;
    if (m.id) seen.add(m.id);
    list.append(h("li", { class: `message${m.from?.id === me.id ? " mine" : ""}` },
      h("div", { class: "message-head" }, h("span", { class: "sender" }, m.from?.pseudonym ?? ""),
        h("time", {}, formatTime(m.created_at))),
      h("p", { class: "message-text" }, m.text)));
  }

  return {
    element,
    open(conversationId) {
      id = conversationId;
      element.hidden = false;
      input.focus();
    },
    dispose: off,
  };
}
