// Watched words: rules and allow-list exceptions, adding/editing/removing them, and a "try it" box that
// runs a message through a room's rules exactly as the live pipeline would.
import { h } from "../../dom.js";
import { adminForm, confirmButton, disclosure, errorLine, loadInto, statusLine } from "./common.js";

const KINDS = [["word", "Word (sad* for prefixes)"], ["phrase", "Phrase (two or more words)"], ["pattern", "Pattern (RE2)"]];
const ACTIONS = [["mask", "Mask: shown as asterisks"], ["block", "Block: not posted, sender told why"],
  ["hold", "Hold for a moderator"], ["flag", "Flag: posted, moderators see a flag"],
  ["mute", "Mute: not posted, sender paused"], ["allow", "Allow: an exception to other rules"]];
const ACTION_NAMES = { mask: "Mask", block: "Block", hold: "Hold", flag: "Flag", mute: "Mute", allow: "Allow (exception)" };
const DECISIONS = {
  allow: "Posted as written.",
  allow_modified: "Posted, changed to the text below.",
  hold: "Held: a moderator decides before anyone sees it.",
  block: "Not posted: the sender is told why.",
};

function ruleSpecs(rooms) {
  return [
    { name: "text", label: "Word, phrase or pattern" },
    { name: "kind", label: "Kind", type: "select", options: KINDS },
    { name: "action", label: "Action", type: "select", options: ACTIONS },
    { name: "room", label: "Where", type: "select", options: [["", "Every room"], ...rooms.map((r) => [r.slug, r.name])] },
    { name: "mute_minutes", label: "Mute for (minutes)", type: "number", hint: "Only for the mute action." },
  ];
}

const toBody = (values) => ({ ...values, room: values.room || null });

export function wordsTab({ client }) {
  let rooms = [];
  let known = [];
  const status = statusLine();
  const rules = h("ul", { class: "admin-list", "aria-label": "Watched-word rules" });
  const exceptions = h("ul", { class: "admin-list", "aria-label": "Exceptions (allow-list)" });
  const addHolder = h("div", {});
  const tryHolder = h("div", {});
  const element = h("div", {},
    h("h2", {}, "Watched words"),
    h("p", { class: "hint" }, "Rules match disguised spellings too (b.o.z.o, B0Z0). A message that reads as crisis is "
      + "never blocked: it is held and the sender gets crisis resources."),
    status.element,
    h("details", { class: "card admin-section" }, h("summary", {}, "Add a rule or exception"), addHolder),
    h("section", { class: "card admin-section", "aria-labelledby": "try-title" }, h("h3", { id: "try-title" }, "Try a message"), tryHolder),
    h("h3", {}, "Rules"), rules,
    h("h3", {}, "Exceptions (allow-list)"),
    h("p", { class: "hint" }, "An allow rule stops other rules from matching inside it, e.g. bozoland under a bozo rule."),
    exceptions);

  function buildAdd() {
    const add = adminForm({
      label: "Add a rule",
      specs: ruleSpecs(rooms),
      values: { mute_minutes: 10 },
      submitText: "Add rule",
      onSubmit: async (values, fields) => {
        const { rule } = await client.post("/api/watched-words", toBody(values));
        fields.controls.text.value = "";
        status.say(`Rule added: ${rule.text} (${ACTION_NAMES[rule.action]}). It is live now.`);
        await loadRules();
      },
    });
    muteOnlyWhenMuting(add.fields.controls);
    addHolder.replaceChildren(add.form);
  }

  function buildTry() {
    const result = h("div", { class: "verdict", role: "status", "aria-live": "polite" });
    const check = adminForm({
      label: "Try a message",
      specs: [{ name: "text", label: "Message to try", type: "textarea", rows: 2 },
        { name: "room", label: "In room", type: "select", options: rooms.map((r) => [r.slug, r.name]) }],
      submitText: "Check",
      onSubmit: async (values) => {
        result.replaceChildren(...verdict(await client.post("/api/watched-words/check", values), known));
      },
    });
    tryHolder.replaceChildren(check.form, result);
  }

  function ruleItem(rule) {
    const error = errorLine();
    const where = rule.room ? rooms.find((r) => r.slug === rule.room)?.name ?? rule.room : "every room";
    const edit = disclosure("Edit", `Edit rule ${rule.text}`, (close) => {
      const form = adminForm({
        label: `Edit rule ${rule.text}`,
        specs: ruleSpecs(rooms),
        values: { ...rule, room: rule.room ?? "" },
        submitText: "Save rule",
        extra: [h("button", { type: "button", class: "secondary", onclick: close }, "Cancel")],
        onSubmit: async (values) => {
          await client.patch(`/api/watched-words/${encodeURIComponent(rule.id)}`, toBody(values));
          status.say(`Rule ${values.text} saved.`);
          await loadRules();
        },
      });
      muteOnlyWhenMuting(form.fields.controls);
      return form.form;
    });
    return h("li", { class: "card admin-item rule" },
      h("p", { class: "rule-head" }, h("code", { class: "rule-text" }, rule.text),
        h("span", { class: `badge action-${rule.action}` }, ACTION_NAMES[rule.action] ?? rule.action)),
      h("p", { class: "meta" }, h("span", {}, rule.kind), h("span", {}, `In ${where}`),
        rule.action === "mute" ? h("span", {}, `${rule.mute_minutes} minutes`) : null),
      h("div", { class: "item-actions" }, edit.button, confirmButton({
        text: "Remove", label: `Remove rule ${rule.text}`, yes: "Yes, remove", question: `Remove the rule ${rule.text}?`, error,
        onConfirm: async () => {
          await client.del(`/api/watched-words/${encodeURIComponent(rule.id)}`);
          status.say(`Rule ${rule.text} removed.`);
          await loadRules();
        },
      })),
      error, edit.holder);
  }

  function loadRules() {
    return loadInto(rules, client.get("/api/watched-words"), ({ rules: all }) => {
      known = all;
      const shown = (list, items, none) => list.replaceChildren(...(items.length ? items.map(ruleItem) : [h("li", { class: "empty" }, none)]));
      shown(rules, all.filter((r) => r.action !== "allow"), "No watched words yet.");
      shown(exceptions, all.filter((r) => r.action === "allow"), "No exceptions.");
    });
  }

  async function load() {
    try {
      rooms = (await client.get("/api/admin/rooms")).rooms.filter((r) => !r.archived_at);
    } catch (err) {
      status.say(err.message);
    }
    buildTry();
    buildAdd();
    await loadRules();
  }
  return { element, load };
}

function muteOnlyWhenMuting(controls) {
  const field = controls.mute_minutes.closest(".field");
  const sync = () => { field.hidden = controls.action.value !== "mute"; };
  controls.action.addEventListener("change", sync);
  sync();
}

// A flag's rule by what the admin wrote ("watched word bozo") rather than its id.
function ruleName(rule, known) {
  const id = rule?.startsWith("watched.") ? rule.slice("watched.".length) : null;
  const found = id && known.find((r) => r.id === id);
  return found ? `${found.kind} ${found.text}` : rule;
}

// The verdict in words, the text as peers would see it, and what each rule found.
function verdict(reply, known) {
  return [
    h("p", { class: `verdict-decision decision-${reply.decision}` }, DECISIONS[reply.decision] ?? reply.decision),
    h("p", {}, "Peers would see: ", h("q", { class: "verdict-text" }, reply.decision === "allow_modified" || reply.decision === "allow" ? reply.text : "nothing")),
    reply.flags.length ? h("ul", { class: "verdict-flags", "aria-label": "What matched" },
      reply.flags.map((f) => h("li", {}, `${f.kind} (${f.severity})${f.rule ? `: ${ruleName(f.rule, known)}` : ""}`))) : h("p", { class: "hint" }, "No rule matched."),
    reply.notices.length ? h("p", { class: "hint" }, `Sender notices: ${reply.notices.join(", ")}`) : null,
  ];
}
