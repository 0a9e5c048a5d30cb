// Log in, then land where the person was going (the scanned point, say).
import { api, rememberSession } from "./api.js";
import { h, show, toast } from "./dom.js";
import { serverMessage, t } from "./i18n.js";

export function loginScreen(next, onLoggedIn, notice) {
  const username = h("input", { name: "username", autocomplete: "username", required: true, autocapitalize: "none" });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "card login", onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const response = await api("/api/auth/login", { method: "POST", json: { username: username.value.trim(), password: password.value } });
      if (!response.ok) {
        if (response.status === 401) error.textContent = t("login.failed");
        else if (response.status === 429) error.textContent = t("login.throttled");
        else error.textContent = serverMessage(response.data, "login.failed");
        return;
      }
      rememberSession(response.data);
      onLoggedIn(response.data.user, next);
    } catch {
      toast(t("error.network"));
    }
  } },
  h("h1", { text: t("login.title") }),
  notice ? h("p", { class: "notice", text: notice }) : null,
  h("label", {}, h("span", { text: t("login.username") }), username),
  h("label", {}, h("span", { text: t("login.password") }), password),
  error,
  h("button", { type: "submit", class: "primary", text: t("login.submit") }));
  show(form);
  username.focus();
}
