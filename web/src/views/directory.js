// The room directory: what each room is for, its agreement, who is there and when it next meets.
import { formatDateTime, h, noticeBox } from "../dom.js";
import { api } from "../api.js";

export function directoryView(main, app) {
  const list = h("ul", { class: "room-list", "aria-busy": "true" });
  const flash = app.takeFlash();
  main.append(
    h("h1", {}, "Rooms"),
    h("p", { class: "lead" }, "Each room has a group agreement you read before joining. You can join as a participant, "
      + "or just listen where the room allows it."),
    flash ? noticeBox(flash) : null,
    list);
  let alive = true;
  api.rooms().then(({ rooms }) => {
    if (!alive) return;
    list.removeAttribute("aria-busy");
    list.append(...rooms.map(roomCard));
  }).catch((error) => {
    if (alive) list.replaceWith(noticeBox(error.message, { kind: "error", urgent: true }));
  });
  return () => { alive = false; };
}

function roomCard(room) {
  const titleId = `room-${room.slug}-title`;
  const session = room.next_session;
  return h("li", { class: "card room-card", "aria-labelledby": titleId },
    h("h2", { id: titleId }, room.name),
    h("p", {}, room.description),
    h("p", { class: "meta" },
      h("span", {}, `${room.online} ${room.online === 1 ? "person" : "people"} online`),
      h("span", {}, room.listeners_allowed ? "Listening only is welcome" : "Everyone takes part"),
      h("span", {}, session ? `Next session: ${session.title}, ${formatDateTime(session.start)}` : "No session scheduled")),
    h("details", { class: "agreement" },
      h("summary", {}, "Read the group agreement"),
      h("p", {}, room.agreement)),
    h("a", { class: "button primary", href: `#/join/${room.slug}`, "aria-label": `Join ${room.name}` }, "Join"));
}
