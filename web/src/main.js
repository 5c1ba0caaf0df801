// Boot: the app context every view gets, the hash router, the crisis dialog and the skip link.
import "./styles.css";
import { clearSession, currentSession, isStaff, saveSession } from "./session.js";
import { Connection } from "./connection.js";
import { PUSH } from "./events.js";
import { openCrisisHelp } from "./crisis.js";
import { api } from "./api.js";
import { landingView } from "./views/landing.js";
import { directoryView } from "./views/directory.js";
import { joinView } from "./views/join.js";
import { startView } from "./views/start.js";
import { roomView } from "./views/room.js";
import { loginView } from "./staff/login.js";
import { moderatorView } from "./staff/moderator.js";
import { facilitatorView } from "./staff/facilitator.js";
import { adminView } from "./staff/admin.js";

export const app = {
  session: currentSession(),
  connection: null,
  flash: null,
  pendingJoin: new Map(),

  connect() {
    if (!this.connection) {
      this.connection = new Connection(this.session.token, {
        onUnauthorized: (message) => {
          this.signOut();
          this.flash = message || "Your session has ended. Please choose a name again.";
          this.go(this.lastPeerRoute || "/rooms");
        },
      });
      // Banned, or a new role: the server says why and closes the connection; sign out everywhere.
      this.connection.on(PUSH.sessionEnded, (data) => {
        this.signOut();
        this.flash = data.message;
        this.go("/rooms");
      });
    }
    return this.connection;
  },

  signIn(reply) {
    this.signOut();
    this.session = saveSession(reply);
    return this.session;
  },

  // Revokes the token on the server (every tab and device), not only this tab's copy of it.
  async signOutEverywhere() {
    const token = this.session?.token;
    const staff = isStaff(this.session);
    if (token) await api.post("/api/logout", undefined, token).catch(() => {});
    this.signOut();
    this.flash = "You're signed out, in every tab and on every device you used.";
    const next = staff ? "/staff" : "/rooms";
    if (location.hash === `#${next}`) render();
    else this.go(next);
  },

  signOut() {
    this.connection?.close();
    this.connection = null;
    this.session = null;
    clearSession();
  },

  go(path) {
    if (location.hash === `#${path}`) render();
    else location.hash = path;
  },

  takeFlash() {
    const text = this.flash;
    this.flash = null;
    return text;
  },
};

const ROUTES = [
  [/^\/?$/, landingView],
  [/^\/rooms$/, directoryView],
  [/^\/start$/, startView],
  [/^\/join\/([a-z0-9-]+)$/, joinView],
  [/^\/room\/([a-z0-9-]+)$/, roomView],
  [/^\/staff$/, loginView],
  [/^\/moderate$/, moderatorView],
  [/^\/facilitate$/, facilitatorView],
  [/^\/admin(?:\/([a-z]+))?$/, adminView],
];

let cleanup = null;
let firstRender = true;

function render() {
  const path = location.hash.startsWith("#/") ? location.hash.slice(1) : "/";
  const main = document.getElementById("main");
  if (cleanup) cleanup();
  cleanup = null;
  main.replaceChildren();
  document.getElementById("sign-out").hidden = !app.session;
  const [pattern, view] = ROUTES.find(([re]) => re.test(path)) || ROUTES[0];
  const params = path.match(pattern)?.slice(1) || [];
  cleanup = view(main, app, ...params) || null;
  if (!firstRender) main.focus();
  firstRender = false;
}

document.getElementById("crisis-open").addEventListener("click", openCrisisHelp);
document.getElementById("sign-out").addEventListener("click", () => app.signOutEverywhere());
document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("main").focus();
});
window.addEventListener("hashchange", render);
render();
