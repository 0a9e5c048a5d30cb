// Choose one's own password: required at first login after an admin set or reset it.
import { api, NetworkError } from "./api.js";
import { h, show, toast } from "./dom.js";
import { serverMessage, t } from "./i18n.js";

export function passwordScreen(user, onChanged) {
  const old = h("input", { name: "old_password", type: "password", autocomplete: "current-password", required: true });
  const fresh = h("input", { name: "new_password", type: "password", autocomplete: "new-password", required: true, minlength: "8" });
  const again = h("input", { name: "again", type: "password", autocomplete: "new-password", required: true, minlength: "8" });
  const error = h("p", { class: "error", role: "alert" });
  const form = h("form", { class: "card login", onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = "";
    if (fresh.value !== again.value) {
      error.textContent = t("password.mismatch");
      return;
    }
    try {
      const response = await api("/api/me/password", { method: "POST", json: { old_password: old.value, new_password: fresh.value } });
      if (!response.ok) {
        error.textContent = serverMessage(response.data, "error.server");
        return;
      }
      toast(t("password.changed"));
      onChanged();
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      toast(t("error.network"));
    }
  } },
  h("h1", { text: t("password.title") }),
  h("p", { class: "notice", text: t("password.first", { name: user.display_name }) }),
  h("label", {}, h("span", { text: t("password.old") }), old),
  h("label", {}, h("span", { text: t("password.new") }), fresh),
  h("label", {}, h("span", { text: t("password.again") }), again),
  error,
  h("button", { type: "submit", class: "primary", text: t("password.submit") }));
  show(form);
  old.focus();
}
