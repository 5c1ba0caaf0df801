// The anonymous form each attendee receives when a session ends (session:feedback_request). The
// questions come from the server; answers go back with feedback:submit, once.
import { announce, h, newId, noticeBox } from "../dom.js";
import { EV } from "../events.js";

function question(q) {
  const name = newId(q.id);
  if (q.kind === "scale") {
    return h("fieldset", { class: "scale" }, h("legend", {}, q.text),
      Array.from({ length: q.max - q.min + 1 }, (_, i) => q.min + i).map((n) => h("label", { class: "choice inline" },
        h("input", { type: "radio", name, value: n, dataset: { field: q.id }, required: true }), h("span", {}, String(n)))),
      h("p", { class: "hint" }, `${q.min} = not good, ${q.max} = very good`));
  }
  if (q.kind === "yes_no") {
    return h("fieldset", {}, h("legend", {}, q.text),
      [["true", "Yes"], ["false", "No"]].map(([value, label]) => h("label", { class: "choice inline" },
        h("input", { type: "radio", name, value, dataset: { field: q.id } }), h("span", {}, label))));
  }
  const id = newId("fb-text");
  return h("div", { class: "field" }, h("label", { for: id }, `${q.text}${q.optional ? " (optional)" : ""}`),
    h("textarea", { id, rows: 2, maxlength: 2000, dataset: { field: q.id } }));
}

export function feedbackForm(conn, request) {
  const result = h("div", { role: "status" });
  const send = h("button", { type: "submit", class: "primary" }, "Send feedback");
  const form = h("form", { class: "feedback-form card", "aria-label": "Session feedback" },
    h("h2", {}, `How was "${request.title}"?`),
    h("p", { class: "hint" }, "Anonymous: the facilitators see totals and comments, never who said what, "
      + "and only once at least three people have answered."),
    request.questions.map(question), result,
    h("div", { class: "dialog-actions" }, send,
      h("button", { type: "button", class: "secondary", onclick: () => form.remove() }, "No thanks")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = { session: request.session };
    for (const input of form.querySelectorAll("[data-field]")) {
      const field = input.dataset.field;
      if (input.type === "radio") {
        if (!input.checked) continue;
        answers[field] = field === "rating" ? Number(input.value) : input.value === "true";
      } else if (input.value.trim()) {
        answers[field] = input.value.trim();
      }
    }
    if (answers.rating === undefined) {
      result.replaceChildren(noticeBox("Please choose a rating from 1 to 5.", { kind: "error" }));
      return;
    }
    send.disabled = true;
    const reply = await conn.call(EV.feedbackSubmit, answers);
    if (!reply.ok) {
      send.disabled = false;
      result.replaceChildren(noticeBox(reply.error.message, { kind: "error" }));
      return;
    }
    const thanks = h("section", { class: "feedback-form card", role: "status" },
      h("p", {}, "Thank you. Your feedback was sent anonymously."),
      (reply.notices || []).map((n) => noticeBox(n.message)));
    form.replaceWith(thanks);
    announce("Thank you. Your feedback was sent.");
  });
  return form;
}
