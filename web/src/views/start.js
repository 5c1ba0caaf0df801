// A name and the age question before choosing a room, so someone under 18, or 60 or over, can see the rooms
// for their age group (the public directory lists adults' rooms only).
import { append, h, newId, noticeBox } from "../dom.js";
import { api } from "../api.js";
import { AGE_MISSING, failer, newPeerFields } from "./join.js";

const WELCOME = {
  teens: "Welcome. These are the rooms for people under 18.",
  older: "Welcome. These are the rooms for adults, and the rooms kept for people 60 or over.",
};

export function startView(main, app) {
  if (app.session) {
    app.go("/rooms");
    return null;
  }
  const flash = app.takeFlash();
  const errorId = newId("start-error");
  const error = h("p", { id: errorId, class: "field-error", role: "alert" });
  const fail = failer(error);
  const fields = newPeerFields();
  fields.describedBy(errorId);
  const submit = h("button", { type: "submit", class: "primary" }, "Show me the rooms");
  const form = h("form", { class: "card join-form", novalidate: true }, fields.elements, error, submit);
  append(main, [
    h("h1", {}, "Choose a name"),
    h("p", { class: "lead" }, "Pick a name for today and tell us your age group. "
      + "Then we'll show you the rooms for you."),
    flash ? noticeBox(flash) : null,
    form]);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const band = fields.ageBand();
    if (!fields.name.value.trim()) return fail("Please choose a name.", fields.name);
    if (!band) return fail(AGE_MISSING, fields.firstAge());
    submit.disabled = true;
    try {
      app.signIn(await api.startPeerSession(fields.name.value.trim(), band));
      app.flash = WELCOME[band] ?? null;
      app.go("/rooms");
    } catch (err) {
      submit.disabled = false;
      fail(err.message, err.field === "pseudonym" ? fields.name : null);
    }
  });
  return null;
}
