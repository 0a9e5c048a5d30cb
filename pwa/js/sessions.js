// Where I am logged in: each phone and PC with its address and last use; end the ones I do not recognise.
import { api, NetworkError } from "./api.js";
import { h, show, toast } from "./dom.js";
import { formatTime, serverMessage, t } from "./i18n.js";

export async function sessionsScreen(navigate) {
  const list = h("ul", { class: "sessions" }, h("li", { class: "muted", text: t("app.loading") }));
  const endOthers = h("button", { type: "button", class: "secondary wide", text: t("sessions.end_others"), hidden: true,
    onclick: () => end("/api/me/sessions/end-others", "POST", list, endOthers) });
  show(h("section", {},
    h("h1", { text: t("sessions.title") }),
    h("p", { class: "muted", text: t("sessions.explain") }),
    list, endOthers,
    h("button", { type: "button", class: "link", text: t("sessions.back"), onclick: () => navigate("/app/") })));
  await render(list, endOthers);
}

async function render(list, endOthers) {
  try {
    const response = await api("/api/me/sessions");
    if (!response.ok) {
      list.replaceChildren(h("li", { class: "error", text: serverMessage(response.data, "error.server") }));
      return;
    }
    list.replaceChildren(...response.data.map((s) => h("li", { class: s.current ? "session current" : "session" },
      h("strong", { text: s.device }),
      h("span", { text: s.current ? t("sessions.this_device") : t("sessions.last_seen", { when: formatTime(s.last_seen_at) }) }),
      h("span", { class: "muted", text: t("sessions.where", { address: s.address || "?", when: formatTime(s.created_at) }) }),
      s.current ? null : h("button", { type: "button", class: "link", text: t("sessions.end"),
        onclick: () => end(`/api/me/sessions/${s.id}`, "DELETE", list, endOthers) }))));
    endOthers.hidden = response.data.length < 2;
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    list.replaceChildren(h("li", { class: "muted", text: t("error.network") }));
  }
}

async function end(path, method, list, endOthers) {
  try {
    const response = await api(path, { method });
    if (!response.ok) {
      toast(serverMessage(response.data, "error.server"));
      return;
    }
    toast(t("sessions.ended"));
    await render(list, endOthers);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    toast(t("error.network"));
  }
}
