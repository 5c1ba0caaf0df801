// The admin page: seven tabs (WAI-ARIA tabs pattern: arrow keys, Home and End move between them, Tab goes
// into the panel). The chosen tab is kept in the address (#/admin/staff) so a reload stays put.
import { h } from "../dom.js";
import { requireStaff } from "./login.js";
import { adminClient } from "./admin/common.js";
import { roomsTab } from "./admin/rooms.js";
import { staffTab } from "./admin/staff.js";
import { wordsTab } from "./admin/words.js";
import { resourcesTab } from "./admin/resources.js";
import { changesTab } from "./admin/changes.js";
import { moderationLogTab } from "./admin/modlog.js";
import { figuresTab } from "./admin/figures.js";

const TABS = [
  ["rooms", "Rooms", roomsTab],
  ["staff", "Staff", staffTab],
  ["words", "Watched words", wordsTab],
  ["resources", "Crisis resources", resourcesTab],
  ["changes", "Changes", changesTab],
  ["log", "Moderation log", moderationLogTab],
  ["figures", "Team figures", figuresTab],
];

export function adminView(main, app, initial = "rooms") {
  if (!requireStaff(app, ["admin"])) return null;
  const context = { app, client: adminClient(app) };
  const tabs = [];
  const panels = [];
  const built = new Map();
  const tablist = h("div", { role: "tablist", class: "tabs", "aria-label": "Administration" });

  TABS.forEach(([key, label], index) => {
    const tab = h("button", { type: "button", role: "tab", id: `tab-${key}`, class: "tab", "aria-controls": `panel-${key}`,
      "aria-selected": "false", tabindex: "-1" }, label);
    tab.addEventListener("click", () => select(index));
    tab.addEventListener("keydown", (event) => {
      const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
      if (target === undefined) return;
      event.preventDefault();
      select((target + TABS.length) % TABS.length, { focus: true });
    });
    tabs.push(tab);
    panels.push(h("section", { role: "tabpanel", id: `panel-${key}`, class: "tab-panel", "aria-labelledby": tab.id,
      tabindex: "0", hidden: true }));
    tablist.append(tab);
  });

  main.append(h("div", { class: "page-head" },
    h("h1", {}, "Administration"),
    h("div", {}, h("a", { class: "button secondary", href: "#/moderate" }, "Review queue"))),
  h("p", { class: "meta" }, `Signed in as ${app.session.user.pseudonym} (admin). Every change here is live at once and recorded under Changes.`),
  tablist, ...panels);

  function select(index, { focus = false } = {}) {
    const [key, , make] = TABS[index];
    tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) tabs[index].focus();
    if (!built.has(key)) {
      const part = make(context);
      panels[index].append(part.element);
      built.set(key, part);
    }
    built.get(key).load();
    history.replaceState(null, "", `#/admin/${key}`);
  }

  select(Math.max(0, TABS.findIndex(([key]) => key === initial)));
  return null;
}
