// One risk point (风险点): where it is, when it is due, its last inspection, a way to start its
// checklist, and its escalations with each step. Where a notification about a point leads.
import { api, NetworkError } from "../api.js";
import { h, show } from "../dom.js";
import { dueLines, dueNow } from "../due.js";
import { formatTime, serverMessage, t } from "../i18n.js";
import { link, loadStyles } from "../hazards/common.js";
import { escalationSection } from "../escalation/steps.js";

export async function pointDetail(user, navigate, id) {
  loadStyles();
  show(h("p", { class: "muted", text: t("app.loading") }));
  let response;
  try {
    response = await api(`/api/points/${id}`);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    show(h("p", { class: "error", text: t("error.network") }));
    return;
  }
  if (!response.ok) {
    show(h("div", { class: "card" }, h("p", { class: "error", text: serverMessage(response.data, "point.unknown") })));
    return;
  }
  render(response.data, user, navigate);
}

function render(point, user, navigate) {
  const now = new Date();
  const state = dueNow(point.due, now).state;
  const last = point.last_inspection
    ? t("point.last", { when: formatTime(point.last_inspection.at), who: point.last_inspection.by.display_name })
    : t("point.last_never");
  const facts = [
    [t("hazard.school"), point.school.name],
    point.location ? [t("point.location"), point.location] : null,
    point.grid ? [t("point.grid"), point.grid.name] : null,
    point.responsible ? [t("point.responsible"), point.responsible] : null,
    point.frequency_name ? [t("point.frequency"), point.frequency_name] : null,
  ].filter(Boolean);
  show(h("article", { class: "point-page" },
    link("/app/", t("point.back"), navigate, { class: "back" }),
    h("header", { class: `point level-${point.risk_level}`, dataset: { due: state } },
      h("span", { class: "level", text: levelName(point) }),
      h("h1", { text: point.name }),
      ...dueLines(point.due, now).map((line) => h("p", { class: `due when-${state}`, text: line })),
      h("p", { class: "muted", text: last })),
    h("dl", { class: "facts" }, facts.flatMap(([name, value]) => [h("dt", { text: name }), h("dd", { text: value })])),
    point.active && point.token
      ? h("button", { type: "button", class: "primary wide", text: t("point.inspect"), onclick: () => navigate(`/p/${point.token}`) })
      : h("p", { class: "muted", text: t("point.retired") }),
    escalationSection(user, "point", point.id)));
}

/** The level in the person's language; a county's own levels (RISK_LEVELS_FILE) by the server's name. */
function levelName(point) {
  const key = `level.${point.risk_level}`;
  return t(key) === key ? point.risk_level_name : t(key);
}
