// Rooms: every room (archived ones too), a form to add one, and per room an edit form, its moderators
// and archiving.
import { h, newId } from "../../dom.js";
import { adminForm, clearError, confirmButton, disclosure, errorLine, loadInto, showError, statusLine } from "./common.js";

const YES_NO = [["true", "Yes"], ["false", "No"]];
// What a new room of each band starts with (server/rooms/age_bands.py); the create form shows them.
const BAND_DEFAULTS = {
  adults: { retention_days: 30, history: "all", contact: "redact", profanity: "mask", held_originals: "moderators" },
  teens: { retention_days: 7, history: "since_joined", contact: "hold", profanity: "block", held_originals: "moderators" },
  older: { retention_days: 30, history: "all", contact: "redact", profanity: "mask", held_originals: "moderators" },
};
const BANDS = [["adults", "Adults"], ["teens", "Teens (under 18)"], ["older", "Older adults (60 or over)"]];

const POLICY_SPECS = [
  { name: "retention_days", label: "Keep messages for (days)", type: "number",
    hint: "0 means messages are never stored; they are only passed on live." },
  { name: "history", label: "History a newcomer sees", type: "select",
    options: [["all", "Everything kept"], ["since_joined", "Only since they joined"], ["none", "Nothing earlier"]] },
  { name: "contact", label: "Contact details (phone, email)", type: "select",
    options: [["redact", "Take them out"], ["hold", "Hold for a moderator"], ["allow", "Allow"]] },
  { name: "profanity", label: "Strong language", type: "select", options: [["mask", "Mask it"], ["block", "Block the message"]] },
  { name: "held_originals", label: "Who may read held originals", type: "select",
    options: [["moderators", "Moderators"], ["admins", "Admins only"]] },
];

function roomSpecs(creating) {
  return [
    { name: "name", label: "Name", hint: "Up to 80 characters, e.g. New parents." },
    creating ? { name: "slug", label: "Web address (slug)", hint: "Lowercase letters, digits and dashes, e.g. new-parents. It can't change later." } : null,
    { name: "description", label: "Description", type: "textarea", rows: 2, hint: "What the room is for (up to 500 characters)." },
    { name: "agreement", label: "Group agreement", type: "textarea", rows: 4,
      hint: creating ? "Everyone accepts it before joining." : "A changed agreement gets a new version that everyone accepts again." },
    { name: "capacity", label: "Capacity (people)", type: "number", hint: "2 to 1000; 50 if left empty." },
    { name: "listeners_allowed", label: "Listening only is allowed", type: "select", options: YES_NO },
    { name: "age_band", label: "Age band", type: "select", options: BANDS,
      hint: "Teens and adults never see each other's rooms; teen rooms start with stricter rules. Rooms for older "
        + "adults are seen only by peers 60 or over, who see the adult rooms too." },
    ...POLICY_SPECS,
  ].filter(Boolean);
}

// The form's fields as the API wants them: listeners as a boolean, the rules nested under "policy".
function toBody(values, creating, room) {
  const body = { ...values, listeners_allowed: values.listeners_allowed === "true" };
  const policy = {};
  for (const spec of POLICY_SPECS) {
    if (spec.name in body) policy[spec.name] = body[spec.name];
    delete body[spec.name];
  }
  const changed = creating ? policy : Object.fromEntries(Object.entries(policy).filter(([k, v]) => room.policy[k] !== v));
  if (Object.keys(changed).length) body.policy = changed;
  return body;
}

function formValues(room) {
  return { ...room, ...room.policy, listeners_allowed: String(room.listeners_allowed) };
}

// A room's (or an assignment reply's) moderators by username.
const names = ({ moderators }) => moderators.map((m) => m.username).join(", ");

// Who looks after a room: a checkbox per active moderator and admin; none ticked leaves the room everyone's.
function moderatorsForm({ client, room, staff, close, saved }) {
  const eligible = staff.filter((s) => s.active && (s.role === "moderator" || s.role === "admin"));
  const chosen = new Set(room.moderators.map((m) => m.username));
  const error = errorLine();
  const boxes = eligible.map((s) => {
    const id = newId(`mod-${s.username}`);
    return h("div", { class: "choice" },
      h("input", { type: "checkbox", id, name: "moderators", value: s.username, checked: chosen.has(s.username) }),
      h("label", { for: id }, `${s.username} (${s.role})`));
  });
  const submit = h("button", { type: "submit", class: "primary" }, "Save moderators");
  const form = h("form", { class: "admin-form", "aria-label": `Moderators of ${room.name}`, novalidate: true },
    h("fieldset", {},
      h("legend", {}, `Who looks after ${room.name}`),
      h("p", { class: "hint" }, "Reports and rule-break flags from this room alert them first; if none of them claims "
        + "one in time, or none is online, every moderator is alerted. Crisis items always reach every moderator at "
        + "once. With nobody ticked the room is every moderator's."),
      boxes.length ? boxes : h("p", {}, "There are no active moderators yet: add them in the Staff tab.")),
    error,
    h("div", { class: "form-actions" }, submit,
      h("button", { type: "button", class: "secondary", onclick: close }, "Cancel")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(form, error);
    submit.disabled = true;
    try {
      const picked = [...form.querySelectorAll("input[name=moderators]:checked")].map((box) => box.value);
      const reply = await client.put(`/api/rooms/${encodeURIComponent(room.slug)}/moderators`, { moderators: picked });
      await saved(reply);
    } catch (err) {
      showError(form, error, err);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export function roomsTab({ client }) {
  const status = statusLine();
  let staff = [];
  const list = h("ul", { class: "admin-list", "aria-label": "Rooms" });
  const create = adminForm({
    label: "Add a room",
    specs: roomSpecs(true),
    values: { listeners_allowed: "true", ...BAND_DEFAULTS.adults },
    submitText: "Create room",
    onSubmit: async (values, fields) => {
      const { room } = await client.post("/api/rooms", toBody(values, true));
      for (const name of ["name", "slug", "description", "agreement"]) fields.controls[name].value = "";
      status.say(`Room ${room.name} created. Peers see it in the directory now.`);
      await load();
    },
  });
  // Picking a band shows that band's starting rules, which the admin may still change.
  const { controls } = create.fields;
  controls.age_band.addEventListener("change", () => {
    for (const [name, value] of Object.entries(BAND_DEFAULTS[controls.age_band.value] || {})) controls[name].value = value;
  });
  const element = h("div", {},
    h("h2", {}, "Rooms"),
    h("p", { class: "hint" }, "Changes apply at once: people in a room see its new name, rules and agreement right away."),
    status.element,
    h("details", { class: "card admin-section" }, h("summary", {}, "Add a room"), create.form),
    list);

  function roomItem(room) {
    const error = errorLine();
    const titleId = `admin-room-${room.slug}`;
    const edit = disclosure("Edit", `Edit ${room.name}`, (close) => adminForm({
      label: `Edit ${room.name}`,
      specs: roomSpecs(false),
      values: formValues(room),
      submitText: "Save changes",
      extra: [h("button", { type: "button", class: "secondary", onclick: close }, "Cancel")],
      onSubmit: async (values) => {
        const reply = await client.patch(`/api/rooms/${encodeURIComponent(room.slug)}`, toBody(values, false, room));
        status.say(`Room ${reply.room.name} saved.`);
        await load();
      },
    }).form);
    const moderators = disclosure("Moderators", `Moderators of ${room.name}`, (close) => moderatorsForm({
      client, room, staff, close,
      saved: async (reply) => {
        status.say(reply.moderators.length
          ? `${room.name} is looked after by ${names(reply)}.`
          : `${room.name} has no moderators of its own now: it is every moderator's.`);
        await load();
      },
    }));
    const archived = Boolean(room.archived_at);
    return h("li", { class: `card admin-item${archived ? " archived" : ""}`, "aria-labelledby": titleId },
      h("h3", { id: titleId }, room.name, archived ? h("span", { class: "badge subtle" }, "Archived") : null),
      h("p", { class: "meta" },
        h("span", {}, `/${room.slug}`),
        h("span", {}, Object.fromEntries(BANDS)[room.age_band] ?? room.age_band),
        h("span", {}, `${room.online} online of ${room.capacity}`),
        h("span", {}, room.listeners_allowed ? "Listeners allowed" : "No listeners"),
        h("span", {}, room.policy.retention_days ? `Kept ${room.policy.retention_days} days` : "Never stored"),
        h("span", {}, `Agreement v${room.agreement_version}`),
        h("span", { class: "room-moderators" },
          room.moderators.length ? `Moderators: ${names(room)}` : "Moderators: everyone's (none assigned)")),
      room.description ? h("p", {}, room.description) : null,
      h("div", { class: "item-actions" }, edit.button, moderators.button,
        archived ? null : confirmButton({
          text: "Archive", label: `Archive ${room.name}`, yes: "Yes, archive",
          question: `Archive ${room.name}? Nobody can join or post there any more; its messages go by its retention.`,
          error,
          onConfirm: async () => {
            await client.post(`/api/rooms/${encodeURIComponent(room.slug)}/archive`);
            status.say(`Room ${room.name} archived.`);
            await load();
          },
        })),
      error, edit.holder, moderators.holder);
  }

  function load() {
    const both = Promise.all([client.get("/api/admin/rooms"), client.get("/api/staff")]);
    return loadInto(list, both, ([{ rooms }, people]) => {
      staff = people.staff;
      list.replaceChildren(...rooms.map(roomItem));
    });
  }
  return { element, load };
}
