// The audit of admin changes, newest first: filter by kind and by who or what, page back with "Load older".
import { formatDateTime, h } from "../../dom.js";
import { buildFields, pagedLog } from "./common.js";

const PAGE = 50;
const AREAS = [["", "All changes"], ["room", "Rooms"], ["staff", "Staff"], ["watched", "Watched words"], ["resource", "Crisis resources"]];

// "field: before → after" for every field that differs, as plain text.
function differences(before, after) {
  if (!before || !after) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

function show(value) {
  if (value === null || value === undefined) return "none";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

// Rules and resources are named by id in the target; their text or name says which one.
function about(change) {
  const state = change.after ?? change.before;
  return change.target.startsWith("watched:") ? state?.text : change.target.startsWith("resource:") ? state?.name : null;
}

function changeItem(change) {
  const lines = change.before && change.after ? differences(change.before, change.after)
    : [`${change.after ? "created" : "removed"}: ${show(change.after ?? change.before)}`];
  return h("li", { class: "card admin-item change" },
    h("p", { class: "rule-head" }, h("strong", {}, change.action), h("span", {}, change.target),
      about(change) ? h("q", {}, about(change)) : null),
    h("p", { class: "meta" }, h("span", {}, `by ${change.actor.name}`),
      h("time", { datetime: change.at }, formatDateTime(change.at, { year: true }))),
    lines.length ? h("details", {}, h("summary", {}, "What changed"),
      h("ul", { class: "change-lines" }, lines.map((line) => h("li", {}, line)))) : null);
}

export function changesTab({ client }) {
  const filters = buildFields([
    { name: "area", label: "Kind of change", type: "select", options: AREAS },
    { name: "who", label: "Who or what (contains)", hint: "A username, room slug or rule." },
  ]);
  // The filters narrow what is loaded, on the page: changes are few, and reading them is not audited.
  const keep = (c) => {
    const { area, who } = filters.read();
    const needle = who.trim().toLowerCase();
    return (!area || c.action.startsWith(`${area}.`))
      && (!needle || `${c.actor.name} ${c.target} ${JSON.stringify(c.after ?? c.before)}`.toLowerCase().includes(needle));
  };
  const log = pagedLog({
    label: "Admin changes, newest first", nouns: ["change", "changes"], olderText: "Load older changes",
    emptyText: "No admin changes yet.", row: changeItem, keep,
    async fetchPage(before) {
      const { changes } = await client.get(`/api/admin/changes?limit=${PAGE}${before ? `&before=${before}` : ""}`);
      return { rows: changes, next: changes.length === PAGE ? changes[changes.length - 1].id : null };
    },
  });
  const element = h("div", {},
    h("h2", {}, "Changes"),
    h("p", { class: "hint" }, "Every change by an admin or at the server's command line (shown as operator): who, what, before and after."),
    h("form", { class: "admin-form inline-form", role: "search", "aria-label": "Filter changes",
      onsubmit: (event) => event.preventDefault() },
      h("div", { class: "form-grid" }, filters.elements)),
    log.element);

  filters.controls.area.addEventListener("change", log.render);
  filters.controls.who.addEventListener("input", log.render);
  return { element, load: log.reload };
}
