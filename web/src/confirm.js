// Asking before something that can't be undone, inline and by keyboard: the button gives way to a
// question with "yes" and "no" buttons. Focus goes to the safe answer; Escape or "no" puts things back
// and returns focus to the button.
import { h, newId } from "./dom.js";

export function confirmAction({ label, ariaLabel, question, yes, no, onConfirm, className = "link-button danger-text",
  yesClass = "danger", noClass = "secondary" }) {
  const wrap = h("span", { class: "confirm-inline" });
  const start = h("button", { type: "button", class: className, "aria-label": ariaLabel }, label);
  const result = h("span", { class: "confirm-result", role: "status" });

  function reset() {
    wrap.replaceChildren(start, result);
    start.focus();
  }

  function ask() {
    const questionId = newId("confirm");
    const yesButton = h("button", { type: "button", class: yesClass, "aria-describedby": questionId }, yes);
    const noButton = h("button", { type: "button", class: noClass, "aria-describedby": questionId }, no);
    const group = h("span", { class: "confirm", role: "group", "aria-labelledby": questionId },
      h("span", { class: "confirm-question", id: questionId }, question), yesButton, noButton);
    group.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        reset();
      }
    });
    noButton.addEventListener("click", reset);
    yesButton.addEventListener("click", async () => {
      yesButton.disabled = true;
      noButton.disabled = true;
      const error = await onConfirm();
      if (!error) return; // done: the caller has replaced or left this part of the page
      result.textContent = error;
      reset();
    });
    result.textContent = "";
    wrap.replaceChildren(group, result);
    noButton.focus();
  }

  start.addEventListener("click", ask);
  wrap.append(start, result);
  return wrap;
}
