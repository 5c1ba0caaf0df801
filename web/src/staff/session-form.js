// The form to schedule a session (POST /api/sessions) or change one occurrence (PATCH /api/sessions/{id}).
// Dates and times are typed as the facilitator's clocks show them in a chosen time zone and sent as
// ISO-8601 with that zone's offset on that day (zoned-time.js). Every error, the server's or ours, shows
// under the field it is about (named by the API's `field`), is tied to it with aria-describedby, and takes
// the focus there; nothing typed is cleared by an error.
import { h, newId } from "../dom.js";
import { browserTimeZone, canonicalZone, formatOffset, knownTimeZones, localParts, zonedStart } from "./zoned-time.js";

const REPEATS = [
  ["", "Does not repeat"],
  ["weekly", "Every week"],
  ["biweekly", "Every two weeks"],
  ["monthly", "Every month", "On the same weekday of the same week, such as the third Thursday (the last one, "
    + "when the first meeting is in a month's fifth week)."],
];
// Rooms kept for one age group are marked in the room list, so a session lands in the one meant.
const BAND_SUFFIX = { teens: "teens", older: "60 or over" };

function describedBy(control, id) {
  const ids = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  control.setAttribute("aria-describedby", [...ids, id].join(" "));
}

// Per-field error lines: each is announced with its control(s) and cleared on the next submit.
function errorSlots(formError) {
  const slots = new Map();
  return {
    // focus() names the control to go to (the first one by default).
    line(name, controls, focus = () => controls[0]) {
      const error = h("p", { class: "field-error", id: newId(`error-${name}`) });
      for (const control of controls) describedBy(control, error.id);
      slots.set(name, { error, controls, focus });
      return error;
    },
    clear() {
      formError.textContent = "";
      for (const { error, controls } of slots.values()) {
        error.textContent = "";
        controls.forEach((control) => control.removeAttribute("aria-invalid"));
      }
    },
    // Shows the sentence under its field (or under the form when it names none we show) and focuses there.
    show(name, message) {
      const slot = slots.get(name);
      if (!slot) {
        formError.textContent = message;
        return;
      }
      slot.error.textContent = message;
      slot.controls.forEach((control) => control.setAttribute("aria-invalid", "true"));
      slot.focus().focus();
    },
  };
}

function labelled(label, control, hint) {
  const id = newId("field");
  control.id = id;
  const hintLine = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintLine) describedBy(control, hintLine.id);
  if (control.type === "checkbox") return { wrap: h("div", { class: "choice" }, control, h("label", { for: id }, label, hintLine ? [" ", hintLine] : null)) };
  return { wrap: h("div", { class: "field" }, h("label", { for: id }, label), control, hintLine) };
}

function numberInput(name, value, min, max) {
  const input = h("input", { name, type: "number", inputmode: "numeric", min, max, step: 1 });
  input.value = value ?? "";
  return input;
}

function readNumber(input) {
  const raw = input.value.trim();
  return raw === "" ? null : Number(raw);
}

function usernames(text) {
  return text.split(/[\s,;]+/).map((name) => name.trim().toLowerCase()).filter(Boolean);
}

// session: null to schedule, a Session to change. onSubmit(body) sends it (throwing an ApiError to show).
export function sessionForm({ me, rooms = [], session = null, submitText, label, onSubmit, extra = [] }) {
  const editing = Boolean(session);
  const formError = h("p", { class: "field-error", role: "alert", id: newId("form-error") });
  const errors = errorSlots(formError);
  const zoneName = editing ? session.time_zone : browserTimeZone();
  const startsAt = editing ? localParts(session.start, session.time_zone) : { date: "", time: "" };

  const room = editing ? null : h("select", { name: "room" },
    rooms.map((r) => h("option", { value: r.slug },
      BAND_SUFFIX[r.age_band] ? `${r.name} (${BAND_SUFFIX[r.age_band]})` : r.name)));
  const title = h("input", { name: "title", maxlength: 120, autocomplete: "off" });
  title.value = session?.title ?? "";
  const description = h("textarea", { name: "description", rows: 3, maxlength: 2000 }, session?.description ?? "");
  const date = h("input", { name: "date", type: "date", value: startsAt.date });
  const time = h("input", { name: "time", type: "time", value: startsAt.time });
  const zoneList = h("datalist", { id: newId("zones") }, knownTimeZones().map((z) => h("option", { value: z })));
  const zone = h("input", { name: "time_zone", list: zoneList.id, autocomplete: "off", spellcheck: "false",
    value: zoneName, readonly: editing });
  const preview = h("p", { class: "hint when-preview", id: newId("when") });
  const duration = numberInput("duration_minutes", session?.duration_minutes ?? 60, 5, 480);
  const capacity = numberInput("capacity", session?.capacity ?? 12, 1, 500);
  const lobby = numberInput("lobby_minutes", session?.lobby_minutes ?? 10, 0, 60);
  const listeners = h("input", { name: "listeners_allowed", type: "checkbox", checked: session?.listeners_allowed ?? true });
  const confidential = h("input", { name: "confidential", type: "checkbox", checked: session?.confidential ?? false });
  const leaders = session ? session.facilitators.map((f) => f.pseudonym) : [];
  const people = h("input", { name: "facilitators", autocomplete: "off", spellcheck: "false", value: leaders.join(", ") });
  [date, time, zone].forEach((control) => describedBy(control, preview.id));

  const peopleLabel = me.role === "admin" || editing ? "Facilitators (usernames)" : "Co-facilitators (usernames)";
  const peopleHint = me.role === "admin"
    ? "Staff usernames, separated by commas: name at least one (yourself too, if you lead it). Up to 5."
    : editing ? "Staff usernames, separated by commas. You stay one of them. Up to 5."
      : "Others who lead it with you, by username, separated by commas. You always lead what you schedule.";

  const fields = h("div", { class: "form-grid" });
  if (room) fields.append(labelled("Room", room).wrap);
  fields.append(labelled("Title", title, "3 to 120 characters, e.g. Thursday anxiety circle.").wrap);
  fields.lastChild.append(errors.line("title", [title]));
  if (room) fields.firstChild.append(errors.line("room", [room]));
  const about = labelled("Description", description, "What happens in it and who it is for. Peers see it in the room.").wrap;
  about.classList.add("field-wide");
  about.append(errors.line("description", [description]));
  fields.append(about);

  const zoneField = labelled("Time zone", zone, editing
    ? "The session's own time zone: it can't change once scheduled."
    : "The clocks the date and time above are read on. Type to search, e.g. Europe/London.").wrap;
  zoneField.append(errors.line("time_zone", [zone]));
  const startError = errors.line("start", [date, time]);
  const when = h("fieldset", { class: "field-wide when" }, h("legend", {}, "When"),
    h("div", { class: "form-grid" }, labelled("Date", date).wrap, labelled("Start time", time).wrap, zoneField),
    zoneList, preview, startError);

  const numbers = h("div", { class: "form-grid field-wide" },
    labelled("Length (minutes)", duration, "5 to 480 (8 hours).").wrap,
    labelled("Places (capacity)", capacity, "1 to 500 people; others wait on a waitlist.").wrap,
    labelled("Lobby opens (minutes before)", lobby, "0 to 60: people can come in and settle.").wrap);
  numbers.children[0].append(errors.line("duration_minutes", [duration]));
  numbers.children[1].append(errors.line("capacity", [capacity]));
  numbers.children[2].append(errors.line("lobby_minutes", [lobby]));

  const listenersField = labelled("Listeners allowed", listeners, "People may join to read without writing.").wrap;
  listenersField.append(errors.line("listeners_allowed", [listeners]));
  const confidentialField = labelled("Confidential", confidential,
    "The transcript is deleted when the session ends: every message written in the room from the lobby opening to "
    + "the end (also when you cancel it after the lobby opened). Tell people so in the description.").wrap;
  confidentialField.append(errors.line("confidential", [confidential]));
  const peopleField = labelled(peopleLabel, people, peopleHint).wrap;
  peopleField.append(errors.line("facilitators", [people]));
  const options = h("div", { class: "field-wide" }, listenersField, confidentialField);

  const repeat = editing ? null : recurrenceFields(errors);
  const submit = h("button", { type: "submit", class: "primary" }, submitText);
  const form = h("form", { class: "admin-form session-form", "aria-label": label, novalidate: true },
    fields, when, numbers, options, h("div", { class: "form-grid" }, peopleField), repeat?.element,
    formError, h("div", { class: "form-actions" }, submit, extra));

  function start() {
    const zoneValue = editing ? session.time_zone : canonicalZone(zone.value);
    if (!zoneValue) return { field: "time_zone", message: "Unknown time zone: choose one from the list, such as Europe/London." };
    if (!date.value || !time.value) return { field: "start", message: "Choose the date and the start time." };
    const found = zonedStart(date.value, time.value, zoneValue);
    if (!found) return { field: "start", message: "Choose the date and the start time." };
    if (found.skipped) {
      return { field: "start", message: `The clocks go forward at that time in ${zoneValue}, so ${time.value} `
        + `doesn't happen on that day: choose another time.` };
    }
    return { ...found, zone: zoneValue };
  }

  function showWhen() {
    const at = start();
    if (at.field) {
      preview.textContent = at.field === "start" && date.value && time.value ? at.message : "";
      return;
    }
    const there = new Date(at.ms).toLocaleString([], { timeZone: at.zone, weekday: "long", day: "numeric",
      month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" });
    const here = browserTimeZone() === at.zone ? "" : `; ${new Date(at.ms).toLocaleString([], { weekday: "short",
      day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })} where you are`;
    preview.textContent = `Starts ${there}, ${at.zone} time (UTC${formatOffset(at.offset)})${here}.`;
  }
  [date, time, zone].forEach((control) => control.addEventListener("input", showWhen));
  showWhen();

  function createBody(at) {
    const body = {
      room: room.value, title: title.value, description: description.value, start: at.iso, time_zone: at.zone,
      duration_minutes: readNumber(duration), capacity: readNumber(capacity), lobby_minutes: readNumber(lobby),
      listeners_allowed: listeners.checked, confidential: confidential.checked, facilitators: usernames(people.value),
    };
    for (const name of ["duration_minutes", "capacity", "lobby_minutes"]) if (body[name] === null) delete body[name];
    const recurrence = repeat.read();
    if (recurrence) body.recurrence = recurrence;
    return body;
  }

  // Only what changed, so a change to one field never trips over another (or over a time now past).
  function changes(at) {
    const body = {};
    if (title.value !== session.title) body.title = title.value;
    if (description.value !== session.description) body.description = description.value;
    if (at.ms !== new Date(session.start).getTime()) body.start = at.iso;
    for (const [name, input] of [["duration_minutes", duration], ["capacity", capacity], ["lobby_minutes", lobby]]) {
      if (readNumber(input) !== session[name]) body[name] = readNumber(input);
    }
    if (listeners.checked !== session.listeners_allowed) body.listeners_allowed = listeners.checked;
    if (confidential.checked !== session.confidential) body.confidential = confidential.checked;
    const named = usernames(people.value);
    if ([...named].sort().join() !== usernames(leaders.join(",")).sort().join()) body.facilitators = named;
    return body;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.clear();
    const at = start();
    if (at.field) {
      errors.show(at.field, at.message);
      return;
    }
    const body = editing ? changes(at) : createBody(at);
    if (editing && !Object.keys(body).length) {
      errors.show("", "Nothing has changed yet.");
      return;
    }
    submit.disabled = true;
    try {
      await onSubmit(body);
    } catch (err) {
      // A room that has gone is the room field's error, though the API names no field for it.
      errors.show(err.field || (!editing && err.code === "not_found" ? "room" : ""), err.message);
    } finally {
      submit.disabled = false;
    }
  });

  return {
    form,
    // After a success: a fresh title and description for the next one; the rest stays as it was.
    clearText() {
      title.value = "";
      description.value = "";
      repeat?.reset();
    },
  };
}

function recurrenceFields(errors) {
  const name = newId("repeat");
  const radios = REPEATS.map(([value]) => h("input", { type: "radio", name, value, checked: value === "" }));
  const endName = newId("ends");
  const byCount = h("input", { type: "radio", name: endName, value: "count", checked: true });
  const byDate = h("input", { type: "radio", name: endName, value: "until" });
  const count = numberInput("count", 6, 1, 52);
  const until = h("input", { type: "date", name: "until" });
  count.addEventListener("input", () => { byCount.checked = true; });
  until.addEventListener("input", () => { byDate.checked = true; });
  const ends = h("fieldset", { class: "recurrence-end", hidden: true }, h("legend", {}, "How many meetings"),
    h("div", { class: "choice" }, byCount, h("label", { for: (byCount.id = newId("by-count")) }, "A number of meetings")),
    h("div", { class: "indented" }, labelled("Number of meetings", count, "Up to 52, the first one included.").wrap),
    h("div", { class: "choice" }, byDate, h("label", { for: (byDate.id = newId("by-date")) }, "Until a date")),
    h("div", { class: "indented" }, labelled("Last date", until, "The series meets up to and including this day.").wrap));
  const chosen = () => radios.find((r) => r.checked)?.value ?? "";
  const error = errors.line("recurrence", [...radios, byCount, byDate, count, until],
    () => (!chosen() ? radios[0] : byDate.checked ? until : count));
  const element = h("fieldset", { class: "field-wide recurrence" }, h("legend", {}, "Repeats"),
    REPEATS.map(([value, text, hint], i) => {
      radios[i].id = newId("repeat-choice");
      const hintLine = hint ? h("span", { class: "hint", id: `${radios[i].id}-hint` }, hint) : null;
      if (hintLine) describedBy(radios[i], hintLine.id);
      return h("div", { class: "choice" }, radios[i], h("label", { for: radios[i].id }, text, hintLine ? [" ", hintLine] : null));
    }), ends, error);
  radios.forEach((radio) => radio.addEventListener("change", () => { ends.hidden = !chosen(); }));
  return {
    element,
    read() {
      const frequency = chosen();
      if (!frequency) return null;
      return byDate.checked ? { frequency, until: until.value || null } : { frequency, count: readNumber(count) };
    },
    reset() {
      radios[0].checked = true;
      ends.hidden = true;
    },
  };
}
