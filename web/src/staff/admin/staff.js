// Staff: every staff account, adding one, and per person their role, (de)activation and a new password.
import { formatDateTime, h } from "../../dom.js";
import { act, adminForm, disclosure, errorLine, loadInto, statusLine } from "./common.js";

const ROLES = [["moderator", "Moderator"], ["facilitator", "Facilitator"], ["admin", "Admin"]];
const ROLE_NAMES = Object.fromEntries(ROLES);
const PASSWORD_HINT = "At least 10 characters. Give it to them in person or by a private channel.";

export function staffTab({ client, app }) {
  const status = statusLine();
  const list = h("ul", { class: "admin-list", "aria-label": "Staff accounts" });
  const add = adminForm({
    label: "Add a staff member",
    specs: [
      { name: "username", label: "Username", hint: "2-32 lowercase letters, digits, '.', '_' or '-'." },
      { name: "role", label: "Role", type: "select", options: ROLES },
      { name: "password", label: "First password", type: "password", autocomplete: "new-password", hint: PASSWORD_HINT },
    ],
    submitText: "Add staff member",
    onSubmit: async (values, fields) => {
      const { staff } = await client.post("/api/staff", values);
      fields.controls.username.value = "";
      fields.controls.password.value = "";
      status.say(`${staff.username} added as ${ROLE_NAMES[staff.role] ?? staff.role}.`);
      await load();
    },
  });
  const element = h("div", {},
    h("h2", {}, "Staff"),
    h("p", { class: "hint" }, "Changing a role, deactivating or setting a new password signs that person out everywhere."),
    status.element,
    h("details", { class: "card admin-section" }, h("summary", {}, "Add a staff member"), add.form),
    list);

  function member(person) {
    const error = errorLine();
    const titleId = `admin-staff-${person.username}`;
    const path = `/api/staff/${encodeURIComponent(person.username)}`;
    const role = adminForm({
      label: `Change the role of ${person.username}`,
      specs: [{ name: "role", label: `Role of ${person.username}`, type: "select", options: ROLES }],
      values: { role: person.role },
      submitText: "Change role",
      onSubmit: async (values) => {
        const { staff } = await client.patch(path, values);
        status.say(`${staff.username} is now ${ROLE_NAMES[staff.role] ?? staff.role}.`);
        await load();
      },
    });
    role.form.classList.add("inline-form");
    const toggle = h("button", { type: "button", class: person.active ? "secondary danger-text" : "secondary" },
      person.active ? `Deactivate ${person.username}` : `Reactivate ${person.username}`);
    toggle.addEventListener("click", () => act(toggle, error, async () => {
      await client.post(`${path}/${person.active ? "deactivate" : "reactivate"}`);
      status.say(person.active ? `${person.username} deactivated and signed out everywhere.` : `${person.username} can sign in again.`);
      await load();
    }));
    const reset = disclosure("New password", `Set a new password for ${person.username}`, (close) => adminForm({
      label: `Password reset for ${person.username}`,
      specs: [{ name: "password", label: `New password for ${person.username}`, type: "password",
        autocomplete: "new-password", hint: PASSWORD_HINT }],
      submitText: "Set password",
      extra: [h("button", { type: "button", class: "secondary", onclick: close }, "Cancel")],
      onSubmit: async (values, fields) => {
        await client.post(`${path}/password`, values);
        fields.controls.password.value = "";
        status.say(`New password set for ${person.username}; their sessions ended.`);
        close();
      },
    }).form);
    const me = app.session?.user?.pseudonym === person.username;
    return h("li", { class: `card admin-item${person.active ? "" : " archived"}`, "aria-labelledby": titleId },
      h("h3", { id: titleId }, person.username, me ? h("span", { class: "badge" }, "you") : null,
        person.active ? null : h("span", { class: "badge subtle" }, "Deactivated")),
      h("p", { class: "meta" },
        h("span", {}, ROLE_NAMES[person.role] ?? person.role),
        h("span", {}, `Added ${formatDateTime(person.created_at)}`),
        person.deactivated_at ? h("span", {}, `Deactivated ${formatDateTime(person.deactivated_at)}`) : null),
      role.form,
      h("div", { class: "item-actions" }, toggle, reset.button),
      error, reset.holder);
  }

  function load() {
    return loadInto(list, client.get("/api/staff"), ({ staff }) => list.replaceChildren(...staff.map(member)));
  }
  return { element, load };
}
