// The room directory: what each room is for, its agreement, who is there and when it next meets; for a
// signed-in peer, also how to delete their account and everything they wrote.
import { append, announce, formatDateTime, h, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { confirmAction } from "../confirm.js";
import { PUSH } from "../events.js";
import { loadRooms, peerBand, ROOM_AUDIENCE } from "../rooms.js";

export function directoryView(main, app) {
  const list = h("ul", { class: "room-list", "aria-busy": "true" });
  const flash = app.takeFlash();
  const peer = app.session?.user.role === "peer" ? app.session.user : null;
  const band = peerBand(app.session);
  append(main, [
    h("h1", {}, "Rooms"),
    h("p", { class: "lead" }, "Each room has a group agreement you read before joining. You can join as a participant, "
      + "or just listen where the room allows it."),
    flash ? noticeBox(flash) : null,
    band === "teens" ? h("p", { class: "hint" }, "These are the rooms for people under 18.") : null,
    band === "older"
      ? h("p", { class: "hint" }, "These are the rooms for adults, and the rooms kept for people 60 or over.") : null,
    app.session ? null : h("p", { class: "notice under-18" }, "Under 18? There are separate rooms for young people. "
      + "60 or over? Some rooms are kept for you, as well as these. ",
      h("a", { href: "#/start" }, "Choose a name to see them"), "."),
    list,
    peer ? accountCard(app, peer) : null]);
  let alive = true;
  const hadSession = Boolean(app.session);
  const show = () => loadRooms(app).then((rooms) => {
    if (!alive) return;
    if (hadSession && !app.session) {
      app.go("/rooms"); // the session had ended: show the page as for someone not signed in
      return;
    }
    list.removeAttribute("aria-busy");
    list.replaceChildren(...rooms.map(roomCard));
    if (rooms.length === 0) {
      list.append(h("li", { class: "card empty" }, band === "teens"
        ? "There are no rooms for people under 18 open right now. Please come back later; if you need to talk "
          + "to someone now, Crisis help at the top of the page lists free services."
        : "There are no rooms open right now. Please come back later."));
    }
  }).catch((error) => {
    if (alive) list.replaceWith(noticeBox(error.message, { kind: "error", urgent: true }));
  });
  show();
  // A room opened, changed or closed for this person's age group: list again.
  const off = app.session && app.connection ? app.connection.on(PUSH.roomsChanged, () => show()) : null;
  return () => {
    alive = false;
    off?.();
  };
}

function roomCard(room) {
  const titleId = `room-${room.slug}-title`;
  const session = room.next_session;
  return h("li", { class: "card room-card", "aria-labelledby": titleId },
    h("h2", { id: titleId }, room.name),
    h("p", {}, room.description),
    h("p", { class: "meta" },
      room.age_band !== "adults" && ROOM_AUDIENCE[room.age_band]
        ? h("span", {}, `For ${ROOM_AUDIENCE[room.age_band]}`) : null,
      h("span", {}, `${room.online} ${room.online === 1 ? "person" : "people"} online`),
      h("span", {}, room.listeners_allowed ? "Listening only is welcome" : "Everyone takes part"),
      h("span", {}, session ? `Next session: ${session.title}, ${formatDateTime(session.start)}`
        + `${session.facilitators.length ? `, led by ${session.facilitators.map((f) => f.pseudonym).join(" and ")}` : ""}`
        : "No session scheduled")),
    h("details", { class: "agreement" },
      h("summary", {}, "Read the group agreement"),
      h("p", {}, room.agreement)),
    h("a", { class: "button primary", href: `#/join/${room.slug}`, "aria-label": `Join ${room.name}` }, "Join"));
}

// Taking back everything: the account, its name and every message it wrote, in every room.
function accountCard(app, user) {
  return h("section", { class: "card account-card", "aria-labelledby": "account-title" },
    h("h2", { id: "account-title" }, "Your name and messages"),
    h("p", {}, "You're here as ", h("strong", {}, user.pseudonym), ". You can delete this name and every "
      + "message you wrote, in every room. They disappear for everyone straight away, and you're signed out. "
      + "This can't be undone."),
    h("p", { class: "hint" }, "If a moderator is still looking into a report about one of your messages, they keep "
      + "that one message, without your name, until they have finished."),
    confirmAction({
      label: "Delete my account and messages",
      className: "secondary danger-text",
      question: "Delete your name and all your messages now? This can't be undone.",
      yes: "Yes, delete everything",
      no: "No, keep them",
      onConfirm: async () => {
        try {
          await api.deleteMe(app.session.token);
        } catch (error) {
          return error.message;
        }
        app.signOut();
        app.flash = "Your account and all your messages have been deleted. Thank you for being here; "
          + "you're welcome back any time.";
        announce("Your account and all your messages have been deleted.");
        app.go("/");
        return null;
      },
    }));
}
