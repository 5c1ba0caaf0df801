// Crisis resources per region: what peers of a locale are offered (built-in lines plus the admins'
// entries), the admins' entries themselves, adding one, hiding/showing and removing.
import { h } from "../../dom.js";
import { act, adminForm, confirmButton, errorLine, loadInto, statusLine } from "./common.js";

const KINDS = [["hotline", "Phone line"], ["textline", "Text line"], ["directory", "Directory of helplines"], ["emergency", "Emergency number"]];

function contact(r) {
  return [r.phone ? `call ${r.phone}` : null, r.text, r.url, r.hours].filter(Boolean).join(" · ");
}

export function resourcesTab({ client }) {
  const status = statusLine();
  const entries = h("ul", { class: "admin-list", "aria-label": "Your crisis resource entries" });
  const preview = h("ol", { class: "admin-list", "aria-label": "What peers are offered" });
  const previewError = errorLine();
  const add = adminForm({
    label: "Add a crisis resource",
    specs: [
      { name: "region", label: "Region", hint: "Two-letter country code such as GB or US, or INTL for everyone else." },
      { name: "name", label: "Name" },
      { name: "phone", label: "Phone number" },
      { name: "text", label: "Text line", hint: "e.g. text SHOUT to 85258" },
      { name: "url", label: "Website", hint: "Starting with https://" },
      { name: "hours", label: "Hours", hint: "Leave empty when always open." },
      { name: "kind", label: "Kind", type: "select", options: KINDS },
      { name: "position", label: "Order (0 first)", type: "number" },
      { name: "hidden", label: "Hide this line: a hidden entry removes a built-in line of the same name", type: "checkbox" },
    ],
    values: { position: 0 },
    submitText: "Add resource",
    onSubmit: async (values, fields) => {
      const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
      const { resource } = await client.post("/api/crisis-resources", body);
      for (const name of ["name", "phone", "text", "url", "hours"]) fields.controls[name].value = "";
      status.say(`${resource.name} added for ${resource.region}. Peers there see it now.`);
      await load();
    },
  });
  const show = adminForm({
    label: "Show what peers are offered",
    specs: [{ name: "locale", label: "Locale or region", hint: "e.g. en-GB, US or INTL" }],
    values: { locale: "en-GB" },
    submitText: "Show",
    onSubmit: (values) => showLocale(values.locale),
  });
  show.form.classList.add("inline-form");
  const element = h("div", {},
    h("h2", {}, "Crisis resources"),
    h("p", { class: "hint" }, "Your entries come before the built-in lines of their region. Peers with no lines for their "
      + "region get the international ones. Crisis help is never further than one click away for them."),
    status.element,
    h("details", { class: "card admin-section" }, h("summary", {}, "Add a crisis resource"), add.form),
    h("h3", {}, "Your entries"), entries,
    h("section", { class: "card admin-section", "aria-labelledby": "preview-title" },
      h("h3", { id: "preview-title" }, "What peers are offered"), show.form, previewError, preview));

  function entry(r) {
    const error = errorLine();
    const path = `/api/crisis-resources/${encodeURIComponent(r.id)}`;
    const toggle = h("button", { type: "button", class: "secondary", "aria-label": `${r.hidden ? "Show" : "Hide"} ${r.name} (${r.region})` },
      r.hidden ? "Show" : "Hide");
    toggle.addEventListener("click", () => act(toggle, error, async () => {
      await client.patch(path, { hidden: !r.hidden });
      status.say(`${r.name} (${r.region}) is ${r.hidden ? "shown" : "hidden"} now.`);
      await load();
    }));
    return h("li", { class: `card admin-item${r.hidden ? " archived" : ""}` },
      h("p", { class: "rule-head" }, h("strong", {}, r.name), h("span", { class: "badge" }, r.region),
        r.hidden ? h("span", { class: "badge subtle" }, "Hidden") : null),
      h("p", { class: "meta" }, h("span", {}, Object.fromEntries(KINDS)[r.kind] ?? r.kind), h("span", {}, contact(r)),
        h("span", {}, `Order ${r.position}`)),
      h("div", { class: "item-actions" }, toggle, confirmButton({
        text: "Remove", label: `Remove ${r.name} (${r.region})`, yes: "Yes, remove", error,
        question: `Remove ${r.name} for ${r.region}?`,
        onConfirm: async () => {
          await client.del(path);
          status.say(`${r.name} (${r.region}) removed.`);
          await load();
        },
      })),
      error);
  }

  // A built-in line is hidden by adding a hidden entry of the same name for that region.
  function offered(r, region) {
    const error = errorLine();
    const hide = h("button", { type: "button", class: "secondary", "aria-label": `Hide ${r.name} for ${region}` }, "Hide");
    hide.addEventListener("click", () => act(hide, error, async () => {
      await client.post("/api/crisis-resources", { region, name: r.name, hidden: true });
      status.say(`${r.name} is hidden for ${region}.`);
      await load();
    }));
    return h("li", { class: "admin-item" }, h("strong", {}, r.name), ` ${contact(r)} `, hide, error);
  }

  async function showLocale(locale) {
    previewError.textContent = "";
    const data = await client.get(`/api/crisis-resources?locale=${encodeURIComponent(locale.trim())}`);
    const region = data.locale.replace("_", "-").toUpperCase().split("-").pop();
    preview.replaceChildren(...data.resources.map((r) => offered(r, region === "UK" ? "GB" : region)));
  }

  async function load() {
    await loadInto(entries, client.get("/api/admin/crisis-resources"), ({ resources }) => entries.replaceChildren(
      ...(resources.length ? resources.map(entry) : [h("li", { class: "empty" }, "No entries yet: peers get the built-in lines.")])));
    await showLocale(show.fields.controls.locale.value || "INTL").catch((err) => { previewError.textContent = err.message; });
  }
  return { element, load };
}
