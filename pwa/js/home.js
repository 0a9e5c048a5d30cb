// My work: the points I patrol, and what I sent or still have waiting.
import { api, NetworkError } from "./api.js";
import { h, show } from "./dom.js";
import { dueLines, dueNow } from "./due.js";
import { formatTime, serverMessage, t } from "./i18n.js";
import { discard, list, recordTitle, retry, sentLog } from "./queue.js";
import { isManager } from "./roles.js";

export async function homeScreen(user, navigate, logout) {
  const pointsList = h("ul", { class: "points" }, h("li", { class: "muted", text: t("app.loading") }));
  const recent = h("ul", { class: "recent" });
  // how many are overdue, at the top: a tap goes down to the list
  const overdue = h("button", { type: "button", class: "overdue-count wide", hidden: true, onclick: () => pointsList.scrollIntoView() });
  const work = h("ul", { class: "work" }, ...workLinks(user).map(([key, path]) => h("li", {},
    h("a", { href: path, dataset: { work: key }, onclick: (event) => { event.preventDefault(); navigate(path); } },
      h("span", { text: t(`home.work.${key}`) }), h("span", { class: "count", hidden: true })))));
  show(h("section", {},
    h("h1", { text: t("home.title") }),
    h("p", { class: "muted", text: `${user.display_name} · ${user.org_unit.name}` }),
    overdue,
    h("button", { type: "button", class: "primary wide report", text: t("home.report"), onclick: () => navigate("/app/hazards/new") }),
    h("button", { type: "button", class: "primary wide", text: t("home.scan"), onclick: () => navigate("/app/scan") }),
    h("h2", { text: t("home.hazards") }), work,
    isManager(user)
      ? h("button", { type: "button", class: "secondary wide", text: t("home.reports"),
          // a school meets daily; a township or the county, monthly
          onclick: () => navigate(user.org_unit.kind === "school" ? "/app/reports/daily" : "/app/reports/monthly") })
      : null,
    isManager(user)
      ? h("button", { type: "button", class: "secondary wide", text: t("home.admin"), onclick: () => navigate("/app/admin/points") })
      : null,
    h("h2", { text: t("home.recent") }), recent,
    h("h2", { text: t("home.points") }), pointsList,
    h("button", { type: "button", class: "link", text: t("home.sessions"), onclick: () => navigate("/app/sessions") }),
    h("button", { type: "button", class: "link", text: t("home.logout"), onclick: logout })));
  await renderRecent(recent);
  countWork(work);
  const load = async () => {
    const shown = ++loads;
    onScreen.lastSent = sentLog()[0]?.id ?? null;
    try {
      const [response, records] = await Promise.all([myPoints(), list()]);
      if (!response.ok || shown !== loads) return;
      const now = new Date();
      // inspected on this phone, not yet delivered: done as far as the patroller is concerned
      const waiting = new Set(records.filter((r) => r.state !== "failed" && r.point?.token).map((r) => r.point.token));
      pointsList.replaceChildren(...response.data.map((point) => pointRow(point, navigate, now, waiting.has(point.token))));
      const late = response.data.filter((point) => !waiting.has(point.token) && dueNow(point.due, now).state === "overdue").length;
      overdue.textContent = t("home.overdue_count", { n: late });
      overdue.hidden = late === 0;
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      pointsList.replaceChildren(h("li", { class: "muted", text: t("error.network") }));
    }
  };
  onScreen = { list: pointsList, load, lastSent: null };
  await load();
}

let onScreen = null; // the home screen's list of points, while it is shown
let loads = 0; // a later load wins over an earlier one that answers late

/** The queue delivered something: the server's state of my points changed, so read it again. */
export function refreshPoints() {
  if (!onScreen || !document.contains(onScreen.list)) return;
  if ((sentLog()[0]?.id ?? null) !== onScreen.lastSent) onScreen.load();
}

/**
 * The grids I patrol or lead; people without a grid (safety officers, principals) see their scope.
 * Overdue first, then by when each falls due. Offline, the worker answers these same addresses
 * from its last copy, so they must stay the same from one call to the next (and the report
 * screen, hazards/report.js, asks for the second one too).
 */
async function myPoints() {
  const response = await api("/api/points?my_grids=true&order=due&page_size=500");
  if (response.ok && !response.data.length) return api("/api/points?order=due&page_size=500");
  return response;
}

/** The hazard work lists this person has, and the address that answers "how many" for each. */
const WORK = {
  assigned_to_me: ["/app/hazards/assigned_to_me", "/api/hazards?view=assigned_to_me"],
  to_assign: ["/app/hazards/to_assign", "/api/hazards?view=to_assign"],
  to_verify: ["/app/hazards/to_verify", "/api/hazards?view=to_verify"],
  triage: ["/app/hazards/triage", "/api/public-reports?status=new"],
  supervised: ["/app/hazards/supervised", "/api/hazards?supervised=true&open=true"],
  reported_by_me: ["/app/hazards/reported_by_me", null],
};

function workLinks(user) {
  const keys = isManager(user)
    ? ["to_assign", "to_verify", "triage", ...(user.role === "county_admin" ? ["supervised"] : []), "assigned_to_me", "reported_by_me"]
    : ["assigned_to_me", "reported_by_me"];
  return keys.map((key) => [key, WORK[key][0]]);
}

/** One small request per list (a page of one: the total is in X-Pagination); offline, no counts. */
function countWork(list) {
  for (const link of list.querySelectorAll("a[data-work]")) {
    const source = WORK[link.dataset.work][1];
    if (!source) continue;
    api(`${source}&page_size=1`).then((response) => {
      const badge = link.querySelector(".count");
      if (!response.ok || response.total === null) return;
      badge.textContent = String(response.total);
      badge.hidden = false;
      link.classList.toggle("has-work", response.total > 0);
    }, () => {});
  }
}

function pointRow(point, navigate, now, waiting) {
  const last = point.last_inspection
    ? t("home.last", { when: formatTime(point.last_inspection.at), who: point.last_inspection.by.display_name })
    : t("home.never");
  const state = waiting ? "waiting" : dueNow(point.due, now).state;
  const lines = waiting ? [t("home.inspected_waiting")] : dueLines(point.due, now);
  return h("li", { class: `point-row level-${point.risk_level}`, dataset: { due: state } },
    h("a", { href: `/p/${point.token}`, onclick: (event) => { event.preventDefault(); navigate(`/p/${point.token}`); } },
      h("strong", { text: point.name }),
      ...lines.map((line) => h("span", { class: `due when-${state}`, text: line })),
      h("span", { class: "muted", text: last })));
}

export async function renderRecent(container) {
  const waiting = await list();
  const rows = waiting.map((record) => h("li", { class: `record ${record.state}` },
    h("span", { text: recordTitle(record) }),
    h("span", { class: "state", text: t(`queue.state.${record.state}`) }),
    record.error ? h("span", { class: "error", text: serverMessage(record.error, "queue.state.failed") }) : null,
    record.state === "failed" ? h("button", { type: "button", class: "link", text: t("queue.retry"), onclick: () => retry(record.id) }) : null,
    record.state === "failed" ? h("button", { type: "button", class: "link", text: t("queue.discard"), onclick: async () => { await discard(record.id); renderRecent(container); } }) : null));
  const sent = sentLog().map((entry) => h("li", { class: "record sent" },
    h("span", { text: entry.point }), h("span", { class: "state", text: `${t("queue.state.sent")} ${formatTime(entry.at)}` })));
  container.replaceChildren(...(rows.length || sent.length ? [...rows, ...sent] : [h("li", { class: "muted", text: t("home.none") })]));
}
