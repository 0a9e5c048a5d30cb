// The hazard work lists: my rectifications, to assign, to verify, overdue, listed supervision, reported by me.
import { api, NetworkError } from "../api.js";
import { h, show } from "../dom.js";
import { serverMessage, t } from "../i18n.js";
import { hazardRow, listsOf, loadStyles, tabs } from "./common.js";

const QUERIES = {
  assigned_to_me: "view=assigned_to_me",
  to_assign: "view=to_assign",
  to_verify: "view=to_verify",
  overdue: "view=overdue",
  reported_by_me: "view=reported_by_me",
  supervised: "supervised=true&open=true",
};

export async function hazardsScreen(user, navigate, requested) {
  loadStyles();
  const lists = listsOf(user).filter((key) => key in QUERIES || key === "triage");
  const view = lists.includes(requested) ? requested : lists[0];
  if (view === "triage") {
    const { triageScreen } = await import("./triage.js");
    return triageScreen(user, navigate);
  }
  const body = h("ul", { class: "hazards" }, h("li", { class: "muted", text: t("app.loading") }));
  const count = h("p", { class: "muted" });
  show(h("section", { class: "hazard-screen" },
    h("h1", { text: t(`hazards.list.${view}`) }),
    tabs(user, view, navigate),
    h("button", { type: "button", class: "secondary wide", text: t("home.report"), onclick: () => navigate("/app/hazards/new") }),
    count, body));
  let response;
  try {
    response = await api(`/api/hazards?${QUERIES[view]}&page_size=100`);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    body.replaceChildren(h("li", { class: "error", text: t("error.network") }));
    return;
  }
  if (!response.ok) {
    body.replaceChildren(h("li", { class: "error", text: serverMessage(response.data, "error.server") }));
    return;
  }
  const hazards = response.data;
  const total = response.total ?? hazards.length;
  count.textContent = total > hazards.length ? t("hazards.count_first", { n: total, shown: hazards.length }) : t("hazards.count", { n: total });
  const showSchool = user.org_unit.kind !== "school";
  body.replaceChildren(...(hazards.length
    ? hazards.map((hazard) => hazardRow(hazard, navigate, { showSchool }))
    : [h("li", { class: "muted", text: t(`hazards.empty.${view}`) })]));
}
