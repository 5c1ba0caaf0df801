// One list of review items on the moderator's page (the open queue, the resolved items): kept in the
// server's queue order and paged with mod:queue's cursor; a card is rebuilt only when its item changed,
// which keeps what a moderator typed in it.
import { h } from "../dom.js";
import { compareItems } from "./queue-item.js";

// card(item) draws one item; fetchPage(cursor) gives the next page, or null when it was refused.
export function itemList({ label, emptyText, moreText, card, fetchPage }) {
  const items = new Map();
  const cards = new Map();
  let cursor = null;
  const list = h("ol", { class: "queue", "aria-label": label });
  const empty = h("p", { class: "empty" }, emptyText);
  const more = h("button", { type: "button", class: "secondary", hidden: true, onclick: loadMore }, moreText);

  async function loadMore() {
    if (!cursor) return;
    const page = await fetchPage(cursor);
    if (page) add(page);
  }

  function add(page) {
    for (const item of page.items) items.set(item.id, item);
    cursor = page.next_cursor;
    render();
  }

  function render() {
    const sorted = [...items.values()].sort(compareItems);
    const wanted = sorted.map((item) => {
      if (!cards.has(item.id)) cards.set(item.id, card(item));
      return cards.get(item.id);
    });
    for (const id of cards.keys()) if (!items.has(id)) cards.delete(id);
    const current = [...list.children];
    if (current.length !== wanted.length || current.some((el, i) => el !== wanted[i])) list.replaceChildren(...wanted);
    empty.hidden = sorted.length > 0;
    more.hidden = !cursor;
  }

  return {
    elements: [list, empty, more],
    get: (id) => items.get(id),
    replace(page) {
      items.clear();
      cards.clear();
      add(page);
    },
    put(item) {
      items.set(item.id, item);
      cards.delete(item.id);
    },
    drop(id) {
      items.delete(id);
    },
    forget(id) {
      cards.delete(id);
    },
    redraw() {
      cards.clear();
      render();
    },
    render,
  };
}
