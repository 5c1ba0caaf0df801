// Who is in the room, with a local mute per person (only this device hides their messages).
import { h } from "../dom.js";
import { mutedIds } from "../session.js";

export function membersPanel({ me, onMuteToggle, extraActions = () => [] }) {
  const members = new Map();
  const count = h("span", {}, "0");
  const list = h("ul", { class: "member-list" });
  const element = h("aside", { class: "members card", "aria-labelledby": "members-title" },
    h("details", { open: window.matchMedia("(min-width: 800px)").matches },
      h("summary", { id: "members-title" }, "People here (", count, ")"),
      list));

  function refresh() {
    const muted = mutedIds();
    count.textContent = String(members.size);
    list.replaceChildren(...[...members.values()].map((m) => h("li", { class: "member" },
      h("span", { class: "member-name" }, m.pseudonym),
      m.id === me.id ? h("span", { class: "badge" }, "you") : null,
      m.role !== "peer" ? h("span", { class: "badge" }, m.role) : null,
      m.mode === "listener" ? h("span", { class: "badge subtle" }, "listening") : null,
      m.id !== me.id && m.role === "peer" && onMuteToggle ? h("button", {
        type: "button", class: "link-button", "aria-pressed": String(muted.has(m.id)),
        "aria-label": `${muted.has(m.id) ? "Unmute" : "Mute"} ${m.pseudonym} on this device`,
        onclick: () => onMuteToggle(m),
      }, muted.has(m.id) ? "Unmute" : "Mute") : null,
      ...extraActions(m))));
  }

  return {
    element,
    refresh,
    reset(list_) {
      members.clear();
      for (const m of list_ || []) members.set(m.id, m);
      refresh();
    },
    add(member) {
      members.set(member.id, member);
      refresh();
    },
    remove(member) {
      members.delete(member.id);
      refresh();
    },
    get: (id) => members.get(id),
  };
}
