// Staff sign-in; moderators go to the queue, facilitators to their sessions, admins to the admin page.
import { h, noticeBox } from "../dom.js";
import { api } from "../api.js";

export function homeFor(role) {
  if (role === "admin") return "/admin";
  return role === "facilitator" ? "/facilitate" : "/moderate";
}

export function loginView(main, app) {
  const flash = app.takeFlash();
  const error = h("p", { class: "field-error", role: "alert", id: "login-error" });
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true,
    "aria-describedby": "login-error" });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password",
    required: true, "aria-describedby": "login-error" });
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h("form", { class: "card narrow" },
    h("div", { class: "field" }, h("label", { for: "username" }, "Username"), username),
    h("div", { class: "field" }, h("label", { for: "password" }, "Password"), password),
    error, submit);
  const signedIn = app.session && app.session.user.role !== "peer";
  main.append(h("h1", {}, "Staff sign-in"),
    h("p", {}, "For moderators, facilitators and administrators. Peers don't need an account: ", h("a", { href: "#/rooms" }, "find a room"), "."),
    flash ? noticeBox(flash) : null,
    signedIn ? h("p", {}, `You are signed in as ${app.session.user.pseudonym}. `,
      h("a", { href: `#${homeFor(app.session.user.role)}` }, "Continue"), " or ",
      h("button", { type: "button", class: "link-button", onclick: () => app.signOutEverywhere() }, "sign out"),
      ".") : null,
    form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    submit.disabled = true;
    try {
      const session = app.signIn(await api.login(username.value.trim(), password.value));
      app.go(homeFor(session.user.role));
    } catch (err) {
      submit.disabled = false;
      error.textContent = err.message;
      password.value = "";
      password.focus();
    }
  });
}

// Staff views call this first; it sends people without a staff session to sign in.
export function requireStaff(app, roles) {
  if (app.session && roles.includes(app.session.user.role)) return true;
  app.flash = "Please sign in with a staff account to open that page.";
  app.go("/staff");
  return false;
}
