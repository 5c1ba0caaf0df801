// The front door: what peer support is, what it is not, and where to go next.
import { append, h, noticeBox } from "../dom.js";
import { openCrisisHelp } from "../crisis.js";

export function landingView(main, app) {
  const flash = app?.takeFlash();
  append(main, [
    flash ? noticeBox(flash) : null,
    h("section", { class: "hero" },
      h("h1", {}, "You don't have to go through it alone"),
      h("p", { class: "lead" }, "peerchat is a place to talk with people who have been through something similar: "
        + "anxiety, low mood, grief, new parenthood, recovery and more. Use any name you like; nobody needs to know who you are."),
      h("p", {}, h("a", { class: "button primary", href: "#/rooms" }, "Find a room"))),
    h("section", { class: "two-col" },
      h("div", { class: "card" },
        h("h2", {}, "What peer support is"),
        h("ul", {},
          h("li", {}, "People with lived experience listening to and encouraging each other."),
          h("li", {}, "Group rooms with a written agreement everyone accepts, watched over by trained moderators."),
          h("li", {}, "Scheduled sessions led by a trained facilitator."),
          h("li", {}, "Your choice to just listen at first, and to share only what you want."))),
      h("div", { class: "card" },
        h("h2", {}, "What it is not"),
        h("ul", {},
          h("li", {}, "Not therapy, counselling or medical advice, and not a substitute for professional help."),
          h("li", {}, "Not a crisis service. If you might act on thoughts of harming yourself or someone else, "
            + "please contact a crisis line or emergency services now."),
          h("li", {}, "Not a place to share anyone's real name, address or contact details.")),
        h("button", { type: "button", class: "crisis-inline", onclick: openCrisisHelp }, "See crisis lines")))]);
}
