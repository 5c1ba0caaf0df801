// Tabs as the WAI-ARIA tabs pattern has them: arrow keys, Home and End move between the tabs (and select),
// Tab goes into the panel. Each panel is named by its tab, so a screen reader says which one it is in.
import { h } from "./dom.js";

// entries: [[key, label]]; onSelect(index) runs after a tab is shown (e.g. to build or load its panel).
export function tabSet(label, entries, onSelect) {
  const tabs = [];
  const panels = [];
  const tablist = h("div", { role: "tablist", class: "tabs", "aria-label": label });

  entries.forEach(([key, text], index) => {
    const tab = h("button", { type: "button", role: "tab", id: `tab-${key}`, class: "tab", "aria-controls": `panel-${key}`,
      "aria-selected": "false", tabindex: "-1" }, text);
    tab.addEventListener("click", () => select(index));
    tab.addEventListener("keydown", (event) => {
      const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: entries.length - 1 }[event.key];
      if (target === undefined) return;
      event.preventDefault();
      select((target + entries.length) % entries.length, { focus: true });
    });
    tabs.push(tab);
    panels.push(h("section", { role: "tabpanel", id: `panel-${key}`, class: "tab-panel", "aria-labelledby": tab.id,
      tabindex: "0", hidden: true }));
    tablist.append(tab);
  });

  function select(index, { focus = false } = {}) {
    tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1;
      panels[i].hidden = i !== index;
    });
    if (focus) tabs[index].focus();
    onSelect(index);
  }

  return { tablist, panels, select };
}
