// The admin page: seven tabs (tabs.js). The chosen tab is kept in the address (#/admin/staff) so a reload
// stays put.
import { h } from "../dom.js";
import { tabSet } from "../tabs.js";
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
  const built = new Map();
  const { tablist, panels, select } = tabSet("Administration", TABS, (index) => {
    const [key, , make] = TABS[index];
    if (!built.has(key)) {
      const part = make(context);
      panels[index].append(part.element);
      built.set(key, part);
    }
    built.get(key).load();
    history.replaceState(null, "", `#/admin/${key}`);
  });

  main.append(h("div", { class: "page-head" },
    h("h1", {}, "Administration"),
    h("div", {}, h("a", { class: "button secondary", href: "#/moderate" }, "Review queue"))),
  h("p", { class: "meta" }, `Signed in as ${app.session.user.pseudonym} (admin). Every change here is live at once and recorded under Changes.`),
  tablist, ...panels);

  select(Math.max(0, TABS.findIndex(([key]) => key === initial)));
  return null;
}
