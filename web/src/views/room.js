// A room: live messages, history on scrolling up, typing, content warnings, reporting, local mute,
// "I need help now", private notices, and catch-up after a reconnect with nothing lost or doubled.
import { announce, h, noticeBox } from "../dom.js";
import { EV, PUSH } from "../events.js";
import { mutedIds, setMuted } from "../session.js";
import { MessageLog } from "../chat/log.js";
import { messageItem, pendingItem } from "../chat/message-item.js";
import { Outbox, newClientId } from "../chat/outbox.js";
import { helpAnswer, noticeElement } from "../chat/notices.js";
import { crisisPanel } from "../crisis.js";
import { reportDialog } from "../chat/report.js";
import { membersPanel } from "../chat/members.js";
import { canControl, sessionPanel } from "../chat/session-panel.js";
import { feedbackForm } from "../chat/feedback-form.js";
import { supportPanel } from "../chat/support.js";
import { sessionControls } from "../staff/session-controls.js";
import { slowModeLine } from "../chat/slow-mode.js";

const PAGE = 30;
const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 3000;

export function roomView(main, app, slug) {
  app.lastPeerRoute = `/join/${slug}`;
  if (!app.session) {
    app.go(`/join/${slug}`);
    return null;
  }
  const conn = app.connect();
  const me = app.session.user;
  const log = new MessageLog();
  const offs = [];
  const pendingByClientId = new Map();
  const heldById = new Map(); // held for a moderator: updated when the review says what became of it
  let acceptedVersion = null;
  let agreementPrompt = null;
  const typers = new Map();
  let you = null;
  let joined = false;
  let filling = null;

  const title = h("h1", { id: "room-title" }, "Joining…");
  const modeLine = h("p", { class: "meta" });
  const timeline = h("ol", { class: "timeline", role: "log", "aria-labelledby": "room-title", "aria-live": "polite" });
  const pendingList = h("ol", { class: "timeline pending-list", "aria-label": "Sending, or waiting for a moderator" });
  const earlier = h("button", { type: "button", class: "secondary load-earlier", hidden: true }, "Load earlier messages");
  const scroller = h("div", { class: "scroller", tabindex: "0", "aria-label": "Conversation" }, earlier, timeline, pendingList);
  const typingLine = h("p", { class: "typing", "aria-hidden": "true" });
  const notices = h("div", { class: "private-notices", role: "status", "aria-label": "Notes only you can see" });
  let controls = null;
  const sessionsSeen = new Map();
  const members = membersPanel({ me, onMuteToggle: me.role === "peer" ? toggleMute : null, extraActions: (m) => controls?.memberActions(m) ?? [] });
  const session = sessionPanel({ conn, slug, me, token: app.session.token, mode: () => you?.mode ?? "participant", onSession: sessionChanged });
  const support = supportPanel({ conn, me, title: "Private conversation with a moderator", side: "peer" });
  const controlsSlot = h("div", {});
  const slow = slowModeLine({ me });
  const text = h("textarea", { id: "composer-text", rows: 2, maxlength: 2000, "aria-describedby": "composer-hint slow-mode-line" });
  const cw = h("input", { type: "checkbox", id: "composer-cw" });
  const composer = h("form", { class: "composer" },
    h("label", { for: "composer-text" }, "Your message"),
    text,
    h("p", { id: "composer-hint", class: "hint" }, "Enter sends; Shift+Enter starts a new line."),
    slow.element,
    h("div", { class: "composer-row" },
      h("label", { class: "choice inline" }, cw, h("span", {}, "Add a content warning (others see it collapsed)")),
      h("button", { type: "submit", class: "primary" }, "Send")));
  const listenerNote = h("div", { class: "listener-note", hidden: true },
    h("p", {}, "You're listening. Nobody expects you to write."),
    h("button", { type: "button", class: "secondary", onclick: () => join("participant") }, "Take part instead"));
  const helpButton = h("button", { type: "button", class: "help-now", onclick: askForHelp }, "I need help now");

  main.append(h("div", { class: "room-layout" },
    h("section", { class: "room-main", "aria-labelledby": "room-title" },
      h("div", { class: "room-head" },
        h("div", {}, title, modeLine),
        h("div", { class: "room-head-actions" }, helpButton,
          h("button", { type: "button", class: "secondary", onclick: leave }, "Leave room"))),
      controlsSlot, session.element, support.element, scroller, typingLine, notices, composer, listenerNote),
    members.element));

  const outbox = new Outbox(conn, { onAnswer: answered, onWaiting: waiting });

  offs.push(
    conn.on(PUSH.messageNew, (m) => m.room === slug && receive(m)),
    conn.on(PUSH.messageRemoved, (d) => d.room === slug && removeMessage(d.id)),
    conn.on(PUSH.messageDeleted, (d) => d.room === slug && markDeleted(d.id)),
    conn.on(PUSH.memberJoined, (d) => d.room === slug && members.add(d.member)),
    conn.on(PUSH.memberLeft, (d) => d.room === slug && members.remove(d.member)),
    conn.on(PUSH.typing, (d) => d.room === slug && d.user.id !== me.id && showTyping(d.user)),
    conn.on(PUSH.notice, (d) => (!d.room || d.room === slug) && showNotice(d)),
    conn.on(PUSH.roomUpdated, (d) => {
      if (d.room === slug && d.agreement && acceptedVersion !== null && d.agreement_version > acceptedVersion) {
        askToAccept(d.agreement);
      }
      if (d.room === slug && "slow_mode" in d) slowModeChanged(d.slow_mode, d.by);
    }),
    conn.on(PUSH.feedbackRequest, (d) => notices.prepend(feedbackForm(conn, d))),
    conn.on(PUSH.transcriptDeleted, (d) => d.room === slug && clearTranscript(d.session)),
    conn.on(PUSH.roomRemoved, (d) => {
      if (d.room !== slug) return;
      joined = false;
      app.flash = d.message;
      app.go("/rooms");
    }),
    conn.on("connection:up", ({ again }) => { if (!again) join(); }),
    conn.onReconnect(() => join(undefined, { catchUp: true })),
  );
  if (conn.isConnected) join();

  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  let lastTypingSent = 0;
  text.addEventListener("input", () => {
    if (Date.now() - lastTypingSent > TYPING_SENT_EVERY_MS && joined && conn.isConnected) {
      lastTypingSent = Date.now();
      conn.call(EV.typing, { room: slug });
    }
  });
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    send(body, cw.checked);
    text.value = "";
    cw.checked = false;
    text.focus();
  });
  earlier.addEventListener("click", loadEarlier);
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop < 40 && !earlier.hidden && !earlier.disabled) loadEarlier();
  });

  async function join(mode, { catchUp = false } = {}) {
    const wish = app.pendingJoin.get(slug) || { accept: false, mode: "participant" };
    const before = log.lastSeq;
    const reply = await conn.call(EV.roomJoin, { room: slug, accept_agreement: wish.accept, as: mode || you?.mode || wish.mode });
    if (!reply.ok) {
      if (reply.error.code === "agreement_required" || reply.error.code === "not_found") {
        app.flash = reply.error.message;
        app.go(`/join/${slug}`);
      } else if (!["offline", "timeout"].includes(reply.error.code)) {
        notices.append(noticeBox(reply.error.message, { kind: "error" }));
      }
      return;
    }
    joined = true;
    you = reply.you;
    acceptedVersion = reply.room.agreement_version;
    title.textContent = reply.room.name;
    modeLine.textContent = you.mode === "listener" ? "You are listening" : `You are taking part as ${you.pseudonym}`;
    composer.hidden = you.mode === "listener";
    listenerNote.hidden = you.mode !== "listener";
    members.reset(reply.members);
    slowModeChanged(reply.room.slow_mode ?? null, null);
    if (catchUp) session.rejoin();
    else session.refresh();
    if (catchUp && before > 0) await fillFrom(before);
    for (const m of reply.history) receive(m, { quiet: true });
    if (!catchUp) {
      earlier.hidden = reply.history.length === 0 || reply.history[0].seq <= 1;
      scrollToEnd();
    }
    outbox.flush();
  }

  // Ask for everything after `seq`, page by page, until we are level with the room.
  async function fillFrom(seq) {
    if (filling) return filling;
    filling = (async () => {
      let after = seq;
      for (;;) {
        const reply = await conn.call(EV.history, { room: slug, after, limit: 100 });
        if (!reply.ok) break;
        for (const m of reply.messages) receive(m, { quiet: true, noGapCheck: true });
        if (!reply.has_more || reply.messages.length === 0) break;
        after = reply.messages[reply.messages.length - 1].seq;
      }
    })();
    try {
      await filling;
    } finally {
      filling = null;
    }
    return null;
  }

  function receive(message, { quiet = false, noGapCheck = false } = {}) {
    if (!noGapCheck && log.leavesGap(message)) fillFrom(log.lastSeq);
    const pending = pendingByClientId.get(message.client_msg_id);
    if (pending && message.sender.id === me.id) {
      pending.item.remove();
      pendingByClientId.delete(message.client_msg_id);
    }
    if (!log.add(message)) return;
    const nearEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const item = messageItem(message, { me, onReport: report, onMute: toggleMute, onDelete: deleteMine });
    if (mutedIds().has(message.sender.id)) item.hidden = true;
    const next = log.nextAfter(message.seq);
    const nextEl = next === null ? null : timeline.querySelector(`[data-seq="${next}"]`);
    timeline.insertBefore(item, nextEl);
    typers.delete(message.sender.id);
    renderTyping();
    if (!quiet && nearEnd) scrollToEnd();
  }

  function removeMessage(id) {
    if (!id) return;
    log.remove(id);
    timeline.querySelector(`[data-id="${CSS.escape(id)}"]`)?.remove();
  }

  // Its author deleted it (or their whole account): the text goes from every page at once, for everyone.
  function markDeleted(id) {
    if (!id) return;
    const message = log.byId(id);
    const old = timeline.querySelector(`[data-id="${CSS.escape(id)}"]`);
    if (!message || !old) return;
    message.status = "deleted";
    message.text = null;
    const hadFocus = old.contains(document.activeElement);
    const item = messageItem(message, { me });
    item.hidden = old.hidden;
    old.replaceWith(item);
    if (hadFocus) (composer.hidden ? scroller : text).focus();
  }

  // Answers an error sentence to show, or nothing when the message is gone.
  async function deleteMine(message) {
    const reply = await conn.call(EV.deleteMessage, { message_id: message.id });
    if (!reply.ok) return reply.error?.message || "We couldn't delete it just now. Please try again.";
    markDeleted(message.id);
    (composer.hidden ? scroller : text).focus();
    announce("Your message was deleted.");
    return null;
  }

  // A confidential session ended: its messages are gone from the server, so from this page too.
  function clearTranscript(sessionId) {
    const opened = sessionsSeen.get(sessionId)?.opens_at;
    for (const [, message] of [...log.bySeq]) {
      if (!opened || message.created_at >= opened) removeMessage(message.id);
    }
    notices.append(noticeBox("This session was confidential: its messages have been deleted for everyone."));
  }

  function sessionChanged(s) {
    if (!s) return;
    sessionsSeen.set(s.id, s);
    if (!controls && canControl(s, me) && !["ended", "cancelled"].includes(s.state)) {
      controls = sessionControls({ conn, token: app.session.token, onChange: () => members.refresh() });
      controlsSlot.replaceChildren(controls.element);
    }
    controls?.update(s);
    if (controls && s.state === "ended") controls.showResults();
  }

  function send(body, contentWarning) {
    const clientId = newClientId();
    const { item, status } = pendingItem(body, contentWarning);
    pendingList.append(item);
    pendingByClientId.set(clientId, { item, status });
    scrollToEnd();
    outbox.push({ clientId, payload: { room: slug, text: body, client_msg_id: clientId, content_warning: contentWarning } });
  }

  // A message refused before it was read that reads as crisis: the answer says a moderator was alerted and
  // brings the crisis lines; shown once, however often the message waits.
  function crisisRefusal(entry, error) {
    if (!error.resources || entry.crisisShown) return;
    entry.crisisShown = true;
    notices.append(crisisPanel(error.message, error.resources));
    announce(error.message, { urgent: true });
  }

  function waiting(entry, error) {
    crisisRefusal(entry, error);
    const pending = pendingByClientId.get(entry.clientId);
    if (error.code === "slow_mode") slow.wait(error);
    if (!pending) return;
    pending.status.textContent = error.code === "slow_mode"
      ? `Waiting for slow mode: it sends by itself in ${Math.ceil(error.retry_after || 0)} s.`
      : error.code === "rate_limited" ? error.message : "Waiting to send…";
    if (error.code === "slow_mode" && !pending.told) {
      pending.told = true;
      announce(`Slow mode is on: your message is kept and sends by itself in ${Math.ceil(error.retry_after || 0)} seconds.`);
    }
  }

  function slowModeChanged(value, by) {
    const sentence = slow.set(value, { by });
    if (!sentence) return;
    notices.append(noticeBox(sentence));
    announce(sentence);
  }

  function answered(entry, reply) {
    const pending = pendingByClientId.get(entry.clientId);
    if (!reply.ok) {
      crisisRefusal(entry, reply.error);
      if (pending) {
        pending.status.textContent = `Not sent: ${reply.error.message}`;
        pending.item.classList.add("failed");
      }
      // The agreement changed while they were here: accepting it sends the message after all.
      if (reply.error.code === "agreement_required") askToAccept(reply.error.agreement, () => resend(entry));
      return;
    }
    const { message, notices: replyNotices } = reply;
    if (message.status !== "blocked") slow.sent();
    if (message.status === "visible") {
      receive(message);
    } else if (pending) {
      pending.status.textContent = message.status === "held"
        ? "Waiting for a moderator. Only you can see this for now."
        : "Not posted. Only you can see this.";
      pending.item.classList.add(message.status);
      pendingByClientId.delete(entry.clientId);
      if (message.status === "held") heldById.set(message.id, pending);
    }
    for (const notice of replyNotices || []) showNotice(notice);
  }

  function showNotice(notice) {
    notices.append(noticeElement(notice));
    announce(notice.message);
    const held = heldById.get(notice.message_id);
    if (!held) return;
    if (notice.code === "message_approved") {
      held.item.remove(); // it arrives in the conversation as message:new
    } else if (notice.code === "message_not_posted") {
      held.status.textContent = "Not posted after review. Only you can see this.";
      held.item.classList.replace("held", "declined");
    }
    heldById.delete(notice.message_id);
  }

  function resend(entry) {
    const pending = pendingByClientId.get(entry.clientId);
    if (pending) {
      pending.status.textContent = "Sending…";
      pending.item.classList.remove("failed");
    }
    outbox.push(entry); // the same client_msg_id: the server never posts it twice
  }

  function askToAccept(agreement, then) {
    agreementPrompt?.remove();
    const accept = h("button", { type: "button", class: "primary" }, "I accept the new agreement");
    const problem = h("p", { class: "field-error", role: "alert" });
    agreementPrompt = h("section", { class: "card agreement-update", "aria-labelledby": "agreement-update-title" },
      h("h2", { id: "agreement-update-title" }, "This room's group agreement has changed"),
      h("p", {}, "Please read it. Accepting it lets you keep posting here; you can still read either way."),
      h("p", { class: "agreement-text" }, agreement),
      problem, accept);
    accept.addEventListener("click", async () => {
      accept.disabled = true;
      const reply = await conn.call(EV.roomJoin, { room: slug, accept_agreement: true, as: you?.mode || "participant" });
      accept.disabled = false;
      if (!reply.ok) {
        problem.textContent = reply.error.message;
        return;
      }
      acceptedVersion = reply.room.agreement_version;
      agreementPrompt.remove();
      agreementPrompt = null;
      announce("Thank you. You can post again.");
      then?.();
      text.focus();
    });
    notices.prepend(agreementPrompt);
    announce("This room's group agreement has changed. Please read it and accept it to keep posting.");
  }

  async function loadEarlier() {
    if (log.firstSeq === null || log.firstSeq <= 1) {
      earlier.hidden = true;
      return;
    }
    earlier.disabled = true;
    const oldHeight = scroller.scrollHeight;
    const reply = await conn.call(EV.history, { room: slug, before: log.firstSeq, limit: PAGE });
    earlier.disabled = false;
    if (!reply.ok) return;
    for (const m of reply.messages) receive(m, { quiet: true, noGapCheck: true });
    scroller.scrollTop += scroller.scrollHeight - oldHeight;
    earlier.hidden = !reply.has_more;
    announce(`${reply.messages.length} earlier messages loaded`);
  }

  function showTyping(user) {
    typers.set(user.id, { name: user.pseudonym, until: Date.now() + TYPING_SHOWN_MS });
    renderTyping();
    setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
  }

  function renderTyping() {
    const now = Date.now();
    const muted = mutedIds();
    const names = [...typers].filter(([id, t]) => t.until > now && !muted.has(id)).map(([, t]) => t.name);
    typingLine.textContent = names.length === 0 ? ""
      : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(", ")} and ${names.at(-1)} are typing…`;
  }

  function toggleMute(user) {
    const nowMuted = !mutedIds().has(user.id);
    setMuted(user.id, nowMuted);
    for (const el of timeline.querySelectorAll(`[data-sender="${CSS.escape(user.id)}"]`)) el.hidden = nowMuted;
    members.refresh();
    announce(nowMuted ? `${user.pseudonym} is muted on this device. They are not told.` : `${user.pseudonym} is unmuted.`);
  }

  function report(message) {
    reportDialog(message, async (reason) => {
      const reply = await conn.call(EV.report, { message_id: message.id, reason });
      if (!reply.ok) return reply.error.message;
      return reply.duplicate ? "You have already reported this message. A moderator will look at it soon."
        : "Thank you. A moderator will look at it soon.";
    });
  }

  async function askForHelp() {
    helpButton.disabled = true;
    const reply = await conn.call(EV.helpRequest, { room: slug });
    helpButton.disabled = false;
    const panel = helpAnswer(reply);
    notices.append(panel);
    panel.scrollIntoView({ block: "nearest" });
  }

  async function leave() {
    await conn.call(EV.roomLeave, { room: slug });
    app.pendingJoin.delete(slug);
    app.go("/rooms");
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  return () => {
    offs.forEach((off) => off());
    outbox.dispose();
    slow.dispose();
    session.dispose();
    support.dispose();
    if (joined && conn.isConnected) conn.call(EV.roomLeave, { room: slug });
  };
}
