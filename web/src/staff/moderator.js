// The moderator's live queue: crisis first, severity in words and colour, claim -> context -> act ->
// resolve, each action carrying the item's version. A new crisis item is shown, announced through the
// assertive live region and (unless muted) chimes. Items from the rooms this moderator looks after are
// marked "Your room" (their reports reach them first) and the Rooms filter shows only those.
// Private support conversations open beside it. The Resolved tab lists, read-only, the items whose review
// has ended (mod:queue status "resolved"): how each ended and the note left for the team, which the
// moderation log only says was written.
import { announce, h, noticeBox } from "../dom.js";
import { EV, PUSH } from "../events.js";
import { FILTERS, FILTER_PRIORITY, isAlarm, isOpen, KIND_LABEL, queueCard } from "./queue-item.js";
import { itemList } from "./item-list.js";
import { requireStaff } from "./login.js";
import { tabSet } from "../tabs.js";
import { supportPanel } from "../chat/support.js";
import { chime } from "./chime.js";
import { slowModeForm } from "./slow-mode-form.js";

const SOUND_KEY = "peerchat.sound";

export function moderatorView(main, app) {
  if (!requireStaff(app, ["moderator", "admin"])) return null;
  const conn = app.connect();
  const me = app.session.user;
  const contexts = new Map();
  const errors = new Map();
  const offs = [];
  let soundOn = localStorage.getItem(SOUND_KEY) !== "off";
  let filter = "";
  let mineOnly = false;
  let myRooms = new Set();
  let showingResolved = false;

  const queue = itemList({ label: "Review queue, most urgent first",
    emptyText: "Nothing is waiting. Thank you for keeping watch.", moreText: "Load more items",
    fetchPage: (cursor) => page({ cursor, ...queryOptions() }),
    card: (item) => queueCard(item, { me, context: contexts.get(item.id), error: errors.get(item.id), handlers,
      yourRoom: myRooms.has(item.room) }) });
  const resolved = itemList({ label: "Resolved items, most urgent first",
    emptyText: "No resolved items to show. They are kept only for this service's moderation retention period.",
    moreText: "Load more resolved items",
    fetchPage: (cursor) => page({ status: "resolved", cursor, ...queryOptions() }),
    card: (item) => queueCard(item, { me, handlers, yourRoom: myRooms.has(item.room) }) });
  const views = tabSet("Review items", [["queue-open", "Open"], ["queue-resolved", "Resolved"]], (index) => {
    showingResolved = index === 1;
    if (showingResolved) loadResolved();
  });
  views.panels[0].append(...queue.elements);
  views.panels[1].append(...resolved.elements);
  const alertBox = h("div", { class: "urgent-alert", role: "alert", hidden: true });
  const status = h("div", { role: "status", class: "queue-status" });
  const online = h("span", {});
  const sound = h("button", { type: "button", class: "secondary", "aria-pressed": String(soundOn) },
    soundOn ? "Sound on" : "Sound off");
  const severity = h("select", { id: "queue-filter" }, FILTERS.map(([v, l]) => h("option", { value: v }, l)));
  const scope = h("select", { id: "queue-rooms" },
    h("option", { value: "" }, "All rooms"), h("option", { value: "mine" }, "My rooms"));
  const roomsLine = h("p", { class: "meta my-rooms", "aria-live": "polite" });
  const support = supportPanel({ conn, me, title: "Private support conversation", side: "moderator" });
  const slowMode = slowModeForm({ conn });
  sound.addEventListener("click", () => {
    soundOn = !soundOn;
    localStorage.setItem(SOUND_KEY, soundOn ? "on" : "off");
    sound.setAttribute("aria-pressed", String(soundOn));
    sound.textContent = soundOn ? "Sound on" : "Sound off";
  });
  severity.addEventListener("change", () => {
    filter = severity.value;
    refresh();
  });
  scope.addEventListener("change", () => {
    mineOnly = scope.value === "mine";
    refresh();
  });
  main.append(h("div", { class: "page-head" },
    h("h1", {}, "Review queue"),
    h("div", {}, sound)),
  h("p", { class: "meta" }, h("span", {}, `Signed in as ${me.pseudonym} (${me.role}). Crisis items come first.`), online),
  roomsLine,
  h("div", { class: "control-row" }, h("label", { for: "queue-filter" }, "Show"), severity,
    h("label", { for: "queue-rooms" }, "Rooms"), scope),
  alertBox, status, support.element, views.tablist, ...views.panels, slowMode.element);
  views.select(0);

  offs.push(
    conn.on(PUSH.flagNew, ({ item }) => {
      const known = queue.get(item.id) !== undefined;
      upsert(item);
      if (isAlarm(item)) raiseAlarm(item, "New");
      else if (!known && myRooms.has(item.room)) {
        announce(`New ${KIND_LABEL[item.kind] ?? item.kind} item in your room ${item.room}, about ${item.subject.pseudonym}.`);
      }
    }),
    conn.on(PUSH.moderatorRooms, ({ rooms }) => {
      setMyRooms(rooms);
      if (mineOnly) refresh();
      else {
        queue.redraw();
        resolved.redraw();
      }
    }),
    conn.on(PUSH.flagUpdated, ({ item }) => upsert(item)),
    conn.on(PUSH.flagEscalated, ({ item }) => {
      upsert(item);
      raiseAlarm(item, "Still unclaimed:");
    }),
    conn.on("connection:up", refresh),
    conn.on("connection:up", slowMode.load),
    conn.onReconnect(() => support.reload()),
  );
  if (conn.isConnected) {
    subscribe();
    slowMode.load();
  }

  function refresh() {
    subscribe();
    if (showingResolved) loadResolved();
  }

  async function subscribe() {
    const reply = await conn.call(EV.modSubscribe, {});
    if (!reply.ok) {
      status.replaceChildren(noticeBox(reply.error.message, { kind: "error" }));
      return;
    }
    // null while the servers can't see each other (Redis down): say so rather than undercount.
    const count = reply.moderators_online;
    online.textContent = count === null ? "Moderators online: can't tell right now"
      : `${count} moderator${count === 1 ? "" : "s"} online`;
    setMyRooms(reply.my_rooms);
    const snapshot = filter || mineOnly ? await page(queryOptions()) : reply;
    if (snapshot) queue.replace(snapshot);
  }

  async function loadResolved() {
    const snapshot = await page({ status: "resolved", ...queryOptions() });
    if (snapshot) resolved.replace(snapshot);
  }

  // One page of mod:queue, or null once the refusal is shown.
  async function page(options) {
    const reply = await conn.call(EV.modQueue, options);
    if (reply.ok) return reply;
    status.replaceChildren(noticeBox(reply.error.message, { kind: "error" }));
    return null;
  }

  function queryOptions() {
    return { ...(filter ? { severity: filter } : {}), ...(mineOnly ? { mine: true } : {}) };
  }

  function setMyRooms(rooms) {
    myRooms = new Set(rooms || []);
    const listed = [...myRooms].join(", ");
    roomsLine.textContent = listed ? `Your rooms: ${listed}. Their reports reach you first.`
      : "No rooms are assigned to you: every room's items reach you alike.";
  }

  // An item moves between the lists as it is resolved or reopened; the Resolved list, loaded afresh each
  // time its tab is chosen, takes in newly resolved items only while it is shown.
  function upsert(item) {
    if (!item) return;
    const known = queue.get(item.id) ?? resolved.get(item.id);
    if (known && known.version > item.version) return;
    if (filter && item.priority !== FILTER_PRIORITY[filter]) return;
    if (mineOnly && !myRooms.has(item.room)) return;
    if (isOpen(item)) {
      // Text from a room that keeps none comes with the first alert only: keep it while the page is open.
      queue.put(known?.live_text && !item.live_text ? { ...item, live_text: known.live_text } : item);
      resolved.drop(item.id);
    } else {
      queue.drop(item.id);
      contexts.delete(item.id);
      if (showingResolved) resolved.put(item);
    }
    queue.render();
    resolved.render();
  }

  function raiseAlarm(item, prefix) {
    const sentence = `${prefix} ${KIND_LABEL[item.kind] === "Crisis" ? "crisis" : `${KIND_LABEL[item.kind]} (crisis)`} `
      + `item, ${item.severity}, about ${item.subject.pseudonym} in ${item.room ?? "no room"}`
      + `${myRooms.has(item.room) ? " (your room)" : ""}.`;
    alertBox.hidden = false;
    alertBox.textContent = sentence;
    announce(sentence, { urgent: true });
    if (soundOn) chime();
  }

  // Every item action: one event with the item's id and version. A refusal shows on the card; a
  // conflict carries the item's current state (e.g. claimed by someone else), which replaces ours.
  async function act(item, event, extra, done) {
    errors.delete(item.id);
    queue.forget(item.id);
    const reply = await conn.call(event, { item_id: item.id, version: item.version, ...extra });
    if (!reply.ok) {
      errors.set(item.id, reply.error.message);
      queue.forget(item.id);
      if (reply.error.item) upsert(reply.error.item);
      else queue.render();
      announce(reply.error.message);
      return null;
    }
    status.replaceChildren(noticeBox(done));
    upsert(reply.item);
    return reply;
  }

  const handlers = {
    claim: (item) => act(item, EV.modClaim, {}, "Claimed. It's yours now."),
    release: (item) => act(item, EV.modRelease, {}, "Released back to the queue."),
    resolve: (item, outcome, note) => act(item, EV.modResolve, note ? { outcome, note } : { outcome },
      "Resolved. Thank you."),
    approve: async (item) => {
      const reply = await act(item, EV.modApprove, {}, "Approved: the message is now in the room.");
      if (reply) await loadContext(reply.item);
    },
    remove: async (item, messageId) => {
      const reply = await act(item, EV.modRemove, messageId ? { message_id: messageId } : {},
        "Removed. The message is gone for everyone, and its author was told.");
      if (reply) {
        contexts.get(item.id)?.removed.add(reply.removed.id);
        queue.forget(item.id);
        queue.render();
      }
    },
    warn: (item, note) => act(item, EV.modWarn, { note }, `Warning sent to ${item.subject.pseudonym}.`),
    mute: async (item, minutes, everywhere) => {
      const reply = await act(item, EV.modMute, { minutes, everywhere },
        `${item.subject.pseudonym} is muted.`);
      if (reply) status.replaceChildren(noticeBox(`${item.subject.pseudonym} is muted until ${new Date(reply.muted.until).toLocaleString()}.`));
    },
    kick: (item) => act(item, EV.modKick, {}, `${item.subject.pseudonym} was removed from ${item.room}.`),
    ban: (item) => act(item, EV.modBan, {}, `${item.subject.pseudonym}'s account is closed.`),
    context: async (item) => {
      if (contexts.has(item.id)) {
        contexts.delete(item.id);
        queue.forget(item.id);
        queue.render();
        return;
      }
      await loadContext(item);
    },
    support: async (item) => {
      const reply = await conn.call(EV.supportOpen, { user_id: item.subject.id });
      if (!reply.ok) {
        errors.set(item.id, reply.error.message);
        queue.forget(item.id);
        queue.render();
        return;
      }
      support.open(reply.conversation, reply.messages);
    },
  };

  async function loadContext(item) {
    const reply = await conn.call(EV.modContext, { message_id: item.target.id, before: 5, after: 5 });
    contexts.set(item.id, reply.ok ? { ...reply, removed: new Set() } : { error: reply.error.message, removed: new Set() });
    queue.forget(item.id);
    queue.render();
  }

  return () => {
    offs.forEach((off) => off());
    support.dispose();
  };
}
