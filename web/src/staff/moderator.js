// The moderator's live queue: crisis first, severity in words and colour, claim -> context -> act ->
// resolve, each action carrying the item's version. A new crisis item is shown, announced through the
// assertive live region and (unless muted) chimes. Items from the rooms this moderator looks after are
// marked "Your room" (their reports reach them first) and the Rooms filter shows only those.
// Private support conversations open beside it.
import { announce, h, noticeBox } from "../dom.js";
import { EV, PUSH } from "../events.js";
import { compareItems, FILTERS, FILTER_PRIORITY, isAlarm, isOpen, KIND_LABEL, queueCard } from "./queue-item.js";
import { requireStaff } from "./login.js";
import { supportPanel } from "../chat/support.js";
import { chime } from "./chime.js";
import { slowModeForm } from "./slow-mode-form.js";

const SOUND_KEY = "peerchat.sound";

export function moderatorView(main, app) {
  if (!requireStaff(app, ["moderator", "admin"])) return null;
  const conn = app.connect();
  const me = app.session.user;
  const items = new Map();
  const contexts = new Map();
  const errors = new Map();
  const cards = new Map(); // item id -> its card, rebuilt only when that item changed (keeps typed notes)
  const offs = [];
  let soundOn = localStorage.getItem(SOUND_KEY) !== "off";
  let filter = "";
  let mineOnly = false;
  let myRooms = new Set();
  let cursor = null;

  const list = h("ol", { class: "queue", "aria-label": "Review queue, most urgent first" });
  const empty = h("p", { class: "empty" }, "Nothing is waiting. Thank you for keeping watch.");
  const more = h("button", { type: "button", class: "secondary", hidden: true, onclick: loadMore }, "Load more items");
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
    subscribe();
  });
  scope.addEventListener("change", () => {
    mineOnly = scope.value === "mine";
    subscribe();
  });
  main.append(h("div", { class: "page-head" },
    h("h1", {}, "Review queue"),
    h("div", {}, sound)),
  h("p", { class: "meta" }, h("span", {}, `Signed in as ${me.pseudonym} (${me.role}). Crisis items come first.`), online),
  roomsLine,
  h("div", { class: "control-row" }, h("label", { for: "queue-filter" }, "Show"), severity,
    h("label", { for: "queue-rooms" }, "Rooms"), scope),
  alertBox, status, support.element, list, empty, more, slowMode.element);

  offs.push(
    conn.on(PUSH.flagNew, ({ item }) => {
      const known = items.has(item.id);
      upsert(item);
      if (isAlarm(item)) raiseAlarm(item, "New");
      else if (!known && myRooms.has(item.room)) {
        announce(`New ${KIND_LABEL[item.kind] ?? item.kind} item in your room ${item.room}, about ${item.subject.pseudonym}.`);
      }
    }),
    conn.on(PUSH.moderatorRooms, ({ rooms }) => {
      setMyRooms(rooms);
      if (mineOnly) subscribe();
      else {
        cards.clear();
        render();
      }
    }),
    conn.on(PUSH.flagUpdated, ({ item }) => upsert(item)),
    conn.on(PUSH.flagEscalated, ({ item }) => {
      upsert(item);
      raiseAlarm(item, "Still unclaimed:");
    }),
    conn.on("connection:up", subscribe),
    conn.on("connection:up", slowMode.load),
    conn.onReconnect(() => support.reload()),
  );
  if (conn.isConnected) {
    subscribe();
    slowMode.load();
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
    let snapshot = reply;
    if (filter || mineOnly) {
      snapshot = await conn.call(EV.modQueue, queryOptions());
      if (!snapshot.ok) return;
    }
    items.clear();
    cards.clear();
    for (const item of snapshot.items) items.set(item.id, item);
    cursor = snapshot.next_cursor;
    render();
  }

  async function loadMore() {
    if (!cursor) return;
    const reply = await conn.call(EV.modQueue, { cursor, ...queryOptions() });
    if (!reply.ok) return;
    for (const item of reply.items) items.set(item.id, item);
    cursor = reply.next_cursor;
    render();
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

  function upsert(item) {
    if (!item) return;
    const known = items.get(item.id);
    if (known && known.version > item.version) return;
    // Text from a room that keeps none comes with the first alert only: keep it while the page is open.
    if (known?.live_text && !item.live_text) item = { ...item, live_text: known.live_text };
    if (filter && item.priority !== FILTER_PRIORITY[filter]) return;
    if (mineOnly && !myRooms.has(item.room)) return;
    cards.delete(item.id);
    if (isOpen(item)) items.set(item.id, item);
    else {
      items.delete(item.id);
      contexts.delete(item.id);
    }
    render();
  }

  function render() {
    const sorted = [...items.values()].sort(compareItems);
    const wanted = sorted.map((item) => {
      if (!cards.has(item.id)) {
        cards.set(item.id, queueCard(item, { me, context: contexts.get(item.id), error: errors.get(item.id), handlers,
          yourRoom: myRooms.has(item.room) }));
      }
      return cards.get(item.id);
    });
    for (const id of cards.keys()) if (!items.has(id)) cards.delete(id);
    const current = [...list.children];
    if (current.length !== wanted.length || current.some((el, i) => el !== wanted[i])) list.replaceChildren(...wanted);
    empty.hidden = sorted.length > 0;
    more.hidden = !cursor;
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
    cards.delete(item.id);
    const reply = await conn.call(event, { item_id: item.id, version: item.version, ...extra });
    if (!reply.ok) {
      errors.set(item.id, reply.error.message);
      cards.delete(item.id);
      if (reply.error.item) upsert(reply.error.item);
      else render();
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
        cards.delete(item.id);
        render();
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
        cards.delete(item.id);
        render();
        return;
      }
      await loadContext(item);
    },
    support: async (item) => {
      const reply = await conn.call(EV.supportOpen, { user_id: item.subject.id });
      if (!reply.ok) {
        errors.set(item.id, reply.error.message);
        cards.delete(item.id);
        render();
        return;
      }
      support.open(reply.conversation, reply.messages);
    },
  };

  async function loadContext(item) {
    const reply = await conn.call(EV.modContext, { message_id: item.target.id, before: 5, after: 5 });
    contexts.set(item.id, reply.ok ? { ...reply, removed: new Set() } : { error: reply.error.message, removed: new Set() });
    cards.delete(item.id);
    render();
  }

  return () => {
    offs.forEach((off) => off());
    support.dispose();
  };
}
