// Private notes to one person: what happened to their message, a moderator's warning or mute, crisis
// lines; and the answer to "I need help now". Only the person they are about ever sees them.
import { announce, h, noticeBox } from "../dom.js";
import { crisisPanel, openCrisisHelp } from "../crisis.js";

export function noticeElement(notice) {
  if (notice.code === "crisis_resources") return crisisPanel(notice.message, notice.resources || []);
  const box = noticeBox(notice.message, { kind: notice.code === "moderator_warning" ? "warning" : "info" });
  box.dataset.code = notice.code;
  if (notice.code === "moderator_warning") box.prepend(h("strong", {}, "A moderator writes: "));
  if (notice.code === "muted" && notice.until) {
    const until = new Date(notice.until).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
    box.append(h("span", {}, ` (${until} your time)`));
  }
  return box;
}

// The server always answers help:request with resources (`alerted` says whether the moderators heard);
// offline or timed out, the crisis lines built into the page open instead.
export function helpAnswer(reply) {
  const sentence = reply.ok ? reply.message
    : "We couldn't reach a moderator just now. If you are in danger right now, please call a crisis line or your emergency number.";
  announce(sentence, { urgent: true });
  if (!reply.ok) openCrisisHelp();
  return crisisPanel(sentence, reply.ok ? reply.resources : []);
}
