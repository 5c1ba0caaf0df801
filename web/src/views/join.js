// Before a room: a pseudonym (if this tab has none), the agreement, and participant or listener.
import { h, newId, noticeBox } from "../dom.js";
import { api } from "../api.js";

export function joinView(main, app, slug) {
  const flash = app.takeFlash();
  let alive = true;
  main.append(h("p", { "aria-busy": "true" }, "Loading the room…"));
  api.rooms().then(({ rooms }) => {
    if (!alive) return;
    const room = rooms.find((r) => r.slug === slug);
    main.replaceChildren();
    if (!room) {
      main.append(h("h1", {}, "Room not found"), h("p", {}, h("a", { href: "#/rooms" }, "Back to the rooms")));
      return;
    }
    main.append(h("h1", {}, `Join ${room.name}`), flash ? noticeBox(flash) : null, joinForm(app, room));
  }).catch((error) => alive && main.replaceChildren(noticeBox(error.message, { kind: "error", urgent: true })));
  return () => { alive = false; };
}

function joinForm(app, room) {
  const errorId = newId("join-error");
  const error = h("p", { id: errorId, class: "field-error", role: "alert" });
  const needsName = !app.session || app.session.user.role !== "peer";
  const name = h("input", { id: "pseudonym", name: "pseudonym", autocomplete: "off", minlength: 2, maxlength: 24,
    required: true, "aria-describedby": `pseudonym-help ${errorId}` });
  const accept = h("input", { type: "checkbox", id: "accept", name: "accept", required: true });
  const modeName = newId("mode");
  const mode = (value, label, hint, disabled) => h("label", { class: `choice${disabled ? " disabled" : ""}` },
    h("input", { type: "radio", name: modeName, value, checked: value === "participant", disabled }),
    h("span", {}, h("strong", {}, label), h("span", { class: "hint" }, hint)));
  const submit = h("button", { type: "submit", class: "primary" }, "Join the room");

  const form = h("form", { class: "card join-form", novalidate: true },
    needsName ? h("div", { class: "field" },
      h("label", { for: "pseudonym" }, "Choose a name for today"),
      h("p", { id: "pseudonym-help", class: "hint" }, "2 to 24 letters, digits, spaces, dots, dashes or apostrophes. "
        + "Not your real name: something you are comfortable with."),
      name) : h("p", {}, "You are joining as ", h("strong", {}, app.session.user.pseudonym), "."),
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
    if (needsName && !name.value.trim()) return fail("Please choose a name.", name);
    if (!accept.checked) return fail("Please read and accept the group agreement to join.", accept);
    submit.disabled = true;
    try {
      if (needsName) app.signIn(await api.startPeerSession(name.value.trim()));
      const chosen = form.querySelector(`input[name="${modeName}"]:checked`).value;
      app.pendingJoin.set(room.slug, { accept: true, mode: chosen });
      app.go(`/room/${room.slug}`);
    } catch (err) {
      submit.disabled = false;
      fail(err.message, err.field === "pseudonym" ? name : null);
    }
  });

  function fail(text, field) {
    error.textContent = text;
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }
  return form;
}
