// The report dialog: a reason, then a plain thank-you. Focus returns where it was when it closes.
import { h, newId } from "../dom.js";
import { REPORT_REASONS } from "../events.js";

export function reportDialog(message, submit) {
  const returnTo = document.activeElement;
  const name = newId("reason");
  const result = h("p", { role: "status", class: "report-result" });
  const sendButton = h("button", { type: "submit", class: "primary" }, "Send report");
  const form = h("form", {},
    h("fieldset", {},
      h("legend", {}, "What's wrong with this message?"),
      REPORT_REASONS.map(([value, label], i) => h("label", { class: "choice" },
        h("input", { type: "radio", name, value, checked: i === 0 }), h("span", {}, label)))),
    result,
    h("div", { class: "dialog-actions" }, sendButton,
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Close")));
  const titleId = newId("report-title");
  const dialog = h("dialog", { class: "report-dialog", "aria-labelledby": titleId },
    h("h2", { id: titleId }, `Report a message from ${message.sender.pseudonym}`),
    h("blockquote", { class: "quoted" }, message.text ?? ""),
    h("p", { class: "hint" }, "Moderators see the message and its context, not who reported it."),
    form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    sendButton.disabled = true;
    result.textContent = await submit(form.querySelector(`input[name="${name}"]:checked`).value);
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    returnTo?.focus?.();
  });
  document.body.append(dialog);
  dialog.showModal();
}
