// Before a room: a pseudonym and the age question (if this tab has none), the agreement, and participant or
// listener.
import { append, h, newId, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { loadRooms, ROOM_AUDIENCE } from "../rooms.js";

export const AGE_MISSING = "Please tell us your age group, so we can show you the right rooms.";

// The name and age questions for someone who has no session in this tab yet (here and in start.js).
//
// The age question is one question with three answers, no answer chosen in advance, and it must be
// answered. Rooms for under-18s keep young people apart from adults; a pre-selected "18 to 59" (or sending
// nothing, which the server reads as adults) would quietly put a teenager who skims the form in with
// adults. Asking once, plainly, and waiting for the person's own answer is the safer default. Age groups,
// not a date of birth: all we need to know, and nothing more to keep. Nobody in the rooms sees the answer.
export function newPeerFields() {
  const name = h("input", { id: "pseudonym", name: "pseudonym", autocomplete: "off", minlength: 2, maxlength: 24,
    required: true, "aria-describedby": "pseudonym-help" });
  const ageName = newId("age");
  const ageHelpId = newId("age-help");
  const option = (value, label) => h("label", { class: "choice" },
    h("input", { type: "radio", name: ageName, value, required: true, "aria-describedby": ageHelpId }),
    h("span", {}, label));
  const ageSet = h("fieldset", { class: "age-question" },
    h("legend", {}, "How old are you?"),
    h("p", { id: ageHelpId, class: "hint" }, "People under 18 talk in their own rooms, with extra safety rules. "
      + "People 60 or over have some rooms of their own, as well as all the adult rooms. "
      + "Nobody in the rooms sees your answer."),
    option("teens", "Under 18"),
    option("adults", "18 to 59"),
    option("older", "60 or over"));
  ageSet.addEventListener("change", () => {
    for (const input of ageSet.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  });
  const elements = [
    h("div", { class: "field" },
      h("label", { for: "pseudonym" }, "Choose a name for today"),
      h("p", { id: "pseudonym-help", class: "hint" }, "2 to 24 letters, digits, spaces, dots, dashes or apostrophes. "
        + "Not your real name: something you are comfortable with."),
      name),
    ageSet,
  ];
  return {
    elements,
    name,
    describedBy(errorId) {
      name.setAttribute("aria-describedby", `pseudonym-help ${errorId}`);
      for (const input of ageSet.querySelectorAll("input")) input.setAttribute("aria-describedby", `${ageHelpId} ${errorId}`);
    },
    firstAge: () => ageSet.querySelector("input"),
    ageBand: () => ageSet.querySelector(`input[name="${ageName}"]:checked`)?.value ?? null,
  };
}

// Shows an error sentence and takes the person to the field it is about.
export function failer(error) {
  return (text, field) => {
    error.textContent = text;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  };
}

// Where a new peer goes when the room they opened is not for their age group: their own rooms, kindly.
function bandMismatchFlash(room) {
  return `Thank you for telling us. ${room.name} is a room for ${ROOM_AUDIENCE[room.age_band] || "adults"}, `
    + "so here are the rooms open to you.";
}

export function joinView(main, app, slug) {
  const flash = app.takeFlash();
  let alive = true;
  main.append(h("p", { "aria-busy": "true" }, "Loading the room…"));
  const hadSession = Boolean(app.session);
  loadRooms(app).then((rooms) => {
    if (!alive) return;
    if (hadSession && !app.session) {
      app.go(`/join/${slug}`); // the session had ended: ask for a name again
      return;
    }
    const room = rooms.find((r) => r.slug === slug);
    main.replaceChildren();
    if (!room) {
      append(main, [h("h1", {}, "Room not found"),
        h("p", {}, "This room may have closed, or it may be for a different age group."),
        app.session ? null : h("p", {}, "Rooms for people under 18 and for people 60 or over show once you have "
          + "chosen a name: ", h("a", { href: "#/start" }, "choose a name and your age group"), "."),
        h("p", {}, h("a", { href: "#/rooms" }, "See the rooms open to you"))]);
      return;
    }
    // append() from dom.js, not main.append(): it leaves out the missing notice (no "null" text).
    append(main, [h("h1", {}, `Join ${room.name}`), flash ? noticeBox(flash) : null, joinForm(app, room)]);
  }).catch((error) => alive && main.replaceChildren(noticeBox(error.message, { kind: "error", urgent: true })));
  return () => { alive = false; };
}

function joinForm(app, room) {
  const errorId = newId("join-error");
  const error = h("p", { id: errorId, class: "field-error", role: "alert" });
  const fail = failer(error);
  const needsName = !app.session || app.session.user.role !== "peer";
  const fields = needsName ? newPeerFields() : null;
  fields?.describedBy(errorId);
  const accept = h("input", { type: "checkbox", id: "accept", name: "accept", required: true });
  const modeName = newId("mode");
  const mode = (value, label, hint, disabled) => h("label", { class: `choice${disabled ? " disabled" : ""}` },
    h("input", { type: "radio", name: modeName, value, checked: value === "participant", disabled }),
    h("span", {}, h("strong", {}, label), h("span", { class: "hint" }, hint)));
  const submit = h("button", { type: "submit", class: "primary" }, "Join the room");

  const form = h("form", { class: "card join-form", novalidate: true },
    needsName ? fields.elements : h("p", {}, "You are joining as ", h("strong", {}, app.session.user.pseudonym), "."),
    h("h2", {}, "Group agreement"),
    h("p", { class: "agreement-text" }, room.agreement),
    h("div", { class: "field" }, h("label", { class: "choice" }, accept,
      h("span", {}, "I have read the group agreement and I will follow it"))),
    h("fieldset", {},
      h("legend", {}, "How would you like to join?"),
      mode("participant", "Participant", "Read and write messages.", false),
      mode("listener", "Listener", room.listeners_allowed ? "Read only; nobody expects you to write."
        : "Not available in this room: everyone takes part here.", !room.listeners_allowed)),
    error, submit);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const band = fields?.ageBand();
    if (needsName && !fields.name.value.trim()) return fail("Please choose a name.", fields.name);
    if (needsName && !band) return fail(AGE_MISSING, fields.firstAge());
    if (!accept.checked) return fail("Please read and accept the group agreement to join.", accept);
    submit.disabled = true;
    try {
      if (needsName) {
        app.signIn(await api.startPeerSession(fields.name.value.trim(), band));
        // The server says which rooms this answer opens (older adults keep the adult rooms too).
        if (!(await loadRooms(app)).some((r) => r.slug === room.slug)) {
          app.flash = bandMismatchFlash(room);
          app.go("/rooms");
          return;
        }
      }
      const chosen = form.querySelector(`input[name="${modeName}"]:checked`).value;
      app.pendingJoin.set(room.slug, { accept: true, mode: chosen });
      app.go(`/room/${room.slug}`);
    } catch (err) {
      submit.disabled = false;
      fail(err.message, err.field === "pseudonym" ? fields?.name : null);
    }
  });
  return form;
}
