// Building blocks shared by the admin tabs: the admin API client, forms built from field specs (with the
// server's error sentence shown beside the form and the named field marked), and inline confirmations.
// Everything an admin or a peer typed goes in as text through h(); nothing uses innerHTML.
import { h, newId } from "../../dom.js";
import { api } from "../../api.js";

// Calls with the admin's token; an ended session sends them back to sign in.
export function adminClient(app) {
  const token = () => app.session?.token;
  async function call(run) {
    try {
      return await run();
    } catch (err) {
      if (err.status === 401) {
        app.signOut();
        app.flash = "Your staff session has ended. Please sign in again.";
        app.go("/staff");
      }
      throw err;
    }
  }
  return {
    get: (path) => call(() => api.get(path, token())),
    post: (path, body = {}) => call(() => api.post(path, body, token())),
    patch: (path, body) => call(() => api.patch(path, body, token())),
    put: (path, body) => call(() => api.put(path, body, token())),
    del: (path) => call(() => api.del(path, token())),
  };
}

// spec: {name, label, type: text|textarea|number|password|select|checkbox, options: [[value, label]], hint,
// autocomplete, rows}. read() gives the body to send: numbers as numbers (left out when empty).
export function buildFields(specs, values = {}) {
  const controls = {};
  const elements = specs.map((spec) => {
    const id = newId(`f-${spec.name}`);
    const control = makeControl(spec, id, values[spec.name]);
    controls[spec.name] = control;
    const hint = spec.hint ? h("span", { class: "hint", id: `${id}-hint` }, spec.hint) : null;
    if (hint) control.setAttribute("aria-describedby", hint.id);
    if (spec.type === "checkbox") {
      return h("div", { class: "choice field-wide" }, control, h("label", { for: id }, spec.label, hint ? [" ", hint] : null));
    }
    return h("div", { class: `field${spec.type === "textarea" ? " field-wide" : ""}` },
      h("label", { for: id }, spec.label), control, hint);
  });
  function read() {
    const body = {};
    for (const spec of specs) {
      const control = controls[spec.name];
      if (spec.type === "checkbox") body[spec.name] = control.checked;
      else if (spec.type === "number") {
        const raw = control.value.trim();
        if (raw !== "") body[spec.name] = Number(raw);
      } else body[spec.name] = control.value;
    }
    return body;
  }
  return { elements, controls, read };
}

function makeControl(spec, id, value) {
  const common = { id, name: spec.name, autocomplete: spec.autocomplete || "off" };
  if (spec.type === "select") {
    const chosen = value ?? spec.options[0][0];
    return h("select", common, spec.options.map(([v, label]) => h("option", { value: v, selected: String(v) === String(chosen) }, label)));
  }
  if (spec.type === "checkbox") return h("input", { ...common, type: "checkbox", checked: Boolean(value) });
  if (spec.type === "textarea") return h("textarea", { ...common, rows: spec.rows || 3 }, value ?? "");
  const input = h("input", { ...common, type: spec.type || "text", inputmode: spec.type === "number" ? "numeric" : null });
  input.value = value ?? "";
  return input;
}

// A form whose submit calls onSubmit(body); an ApiError's sentence appears right under the fields and
// the field it names is marked invalid and focused.
export function adminForm({ label, specs, values, submitText, onSubmit, extra = [] }) {
  const fields = buildFields(specs, values);
  const error = h("p", { class: "field-error", role: "alert", id: newId("form-error") });
  const submit = h("button", { type: "submit", class: "primary" }, submitText);
  const form = h("form", { class: "admin-form", "aria-label": label, novalidate: true },
    h("div", { class: "form-grid" }, fields.elements), error, h("div", { class: "form-actions" }, submit, extra));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(form, error);
    submit.disabled = true;
    try {
      await onSubmit(fields.read(), fields);
    } catch (err) {
      showError(form, error, err);
    } finally {
      submit.disabled = false;
    }
  });
  return { form, fields, error };
}

export function clearError(scope, error) {
  error.textContent = "";
  for (const el of scope.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    if (el.dataset.describedby) el.setAttribute("aria-describedby", el.dataset.describedby);
    else el.removeAttribute("aria-describedby");
  }
}

export function showError(scope, error, err) {
  error.textContent = err.message;
  const bad = err.field ? scope.querySelector(`[name="${CSS.escape(err.field)}"]`) : null;
  if (bad) {
    bad.dataset.describedby = bad.getAttribute("aria-describedby") || "";
    bad.setAttribute("aria-invalid", "true");
    bad.setAttribute("aria-describedby", `${bad.dataset.describedby} ${error.id}`.trim());
    bad.focus();
  }
}

// Runs an action button's request; its sentence (or failure) shows in `error` beside the button.
export async function act(button, error, run) {
  error.textContent = "";
  button.disabled = true;
  try {
    await run();
  } catch (err) {
    error.textContent = err.message;
    if (button.isConnected) button.focus();
  } finally {
    button.disabled = false;
  }
}

// A destructive button that asks inline first (no window.confirm): the question, "Yes" and "Cancel".
export function confirmButton({ text, label, question, yes, onConfirm, error }) {
  const wrap = h("span", { class: "confirm" });
  const start = h("button", { type: "button", class: "secondary danger-text", "aria-label": label }, text);
  const ask = () => {
    const yesButton = h("button", { type: "button", class: "danger" }, yes);
    const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
    cancel.addEventListener("click", () => { wrap.replaceChildren(start); start.focus(); });
    yesButton.addEventListener("click", () => act(yesButton, error, onConfirm));
    wrap.replaceChildren(h("span", { class: "confirm-question" }, question), yesButton, cancel);
    yesButton.focus();
  };
  start.addEventListener("click", ask);
  wrap.append(start);
  return wrap;
}

// A button that shows/hides a panel built on first open (edit forms, password forms).
export function disclosure(text, label, build) {
  const button = h("button", { type: "button", class: "secondary", "aria-expanded": "false", "aria-label": label }, text);
  const holder = h("div", { class: "disclosure", hidden: true, id: newId("panel") });
  button.setAttribute("aria-controls", holder.id);
  button.addEventListener("click", () => {
    const open = holder.hidden;
    if (open && !holder.firstChild) holder.append(build(() => { holder.hidden = true; button.setAttribute("aria-expanded", "false"); button.focus(); }));
    holder.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) holder.querySelector("input, select, textarea, button")?.focus();
  });
  return { button, holder };
}

// The tab's polite status line for successes ("Room created."); role=status makes screen readers say it.
export function statusLine() {
  const el = h("p", { class: "admin-status", role: "status", tabindex: "-1" });
  return { element: el, say: (text) => { el.textContent = text; } };
}

export function errorLine() {
  return h("p", { class: "field-error", role: "alert", id: newId("error") });
}

export function loadInto(list, promise, render) {
  list.setAttribute("aria-busy", "true");
  return promise.then((data) => {
    list.removeAttribute("aria-busy");
    render(data);
    // The button just used may have been re-rendered away: keep keyboard users in the tab, at its status.
    if (document.activeElement === document.body || !document.activeElement) {
      list.closest("[role=tabpanel]")?.querySelector(".admin-status")?.focus();
    }
  }).catch((err) => {
    list.removeAttribute("aria-busy");
    list.replaceChildren(h("li", { class: "notice notice-error", role: "alert" }, err.message));
  });
}

// A log read newest first, a page at a time (the Changes and Moderation log tabs): the list, busy while
// loading; a status line saying how many are shown, or that there are none; the error with "Try again";
// and a button that pages back. fetchPage(before) resolves to {rows, next}: next is the cursor of the
// next older page, or null at the end. keep(row) filters what is loaded on the page itself (optional).
export function pagedLog({ label, nouns: [one, many], olderText, emptyText, fetchPage, row, keep = () => true }) {
  const loaded = [];
  let next = null;
  let lastBefore = null;
  let failed = false;
  const list = h("ol", { class: "admin-list", "aria-label": label });
  const count = h("p", { class: "hint", role: "status", tabindex: "-1" });
  const error = errorLine();
  const retry = h("button", { type: "button", class: "secondary", hidden: true }, "Try again");
  const older = h("button", { type: "button", class: "secondary", hidden: true }, olderText);
  const element = h("div", { class: "paged-log" }, count, list, error, h("div", { class: "form-actions" }, retry, older));

  function render() {
    const shown = loaded.filter(keep);
    list.replaceChildren(...shown.map(row));
    const noun = loaded.length === 1 ? one : many;
    if (!loaded.length) count.textContent = failed ? "" : emptyText;
    else if (!shown.length) count.textContent = `None of the ${loaded.length} loaded ${noun} match.`;
    else count.textContent = `Showing ${shown.length} of ${loaded.length} loaded ${noun}, newest first.`;
    older.hidden = next === null || failed;
  }

  async function fetchFrom(before) {
    const hadFocus = [older, retry].includes(document.activeElement);
    lastBefore = before;
    error.textContent = "";
    retry.hidden = true;
    older.disabled = true;
    list.setAttribute("aria-busy", "true");
    // A fresh first page (new filters, a revisit) replaces what was loaded, even when it fails: rows of
    // other filters must not stand under a new error.
    if (before === null) {
      loaded.length = 0;
      next = null;
    }
    try {
      const page = await fetchPage(before);
      loaded.push(...page.rows);
      next = page.next ?? null;
      failed = false;
    } catch (err) {
      failed = true;
      error.textContent = err.message;
      retry.hidden = false;
    } finally {
      list.removeAttribute("aria-busy");
      older.disabled = false;
    }
    render();
    // The button just used may be hidden now: keep keyboard users in place, at the retry or the count.
    if (hadFocus && !retry.hidden) retry.focus();
    else if (hadFocus && older.hidden) count.focus();
  }

  retry.addEventListener("click", () => fetchFrom(lastBefore));
  older.addEventListener("click", () => fetchFrom(next));
  return { element, render, reload: () => fetchFrom(null) };
}
