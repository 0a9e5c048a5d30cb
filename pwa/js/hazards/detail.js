// One hazard (隐患详情): what, where, who and by when; as found beside after rectification;
// the buttons the server allows this person now; its escalations; its timeline; its rectification notice.
import { api, NetworkError } from "../api.js";
import { h, show } from "../dom.js";
import { escalationSection } from "../escalation/steps.js";
import { formatTime, serverMessage, t } from "../i18n.js";
import { ACTIONS, actionButton, actionForm } from "./actions.js";
import {
  deadlineLine, levelChip, link, listsOf, loadStyles, photoStrip, stateChip, supervisedBadge, whereText,
} from "./common.js";

export async function hazardDetail(user, navigate, id) {
  loadStyles();
  show(h("p", { class: "muted", text: t("app.loading") }));
  let response;
  try {
    response = await api(`/api/hazards/${id}`);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    show(h("p", { class: "error", text: t("error.network") }));
    return;
  }
  if (!response.ok) {
    show(h("div", { class: "card" }, h("p", { class: "error", text: serverMessage(response.data, "hazard.unknown") })));
    return;
  }
  render(response.data, user, navigate);
}

function render(hazard, user, navigate) {
  const formBox = h("div", { class: "form-box" });
  const again = (updated) => render(updated, user, navigate);
  const open = async (action, options = {}) => {
    for (const b of buttons.querySelectorAll("button")) b.setAttribute("aria-expanded", String(b.dataset.action === action));
    formBox.replaceChildren(h("p", { class: "muted", text: t("app.loading") }));
    try {
      formBox.replaceChildren(await actionForm(action, hazard, { done: again, ...options }));
    } catch (err) {
      formBox.replaceChildren(h("p", { class: "error", role: "alert", text: err instanceof NetworkError ? t("error.network") : err.message }));
    }
    formBox.scrollIntoView({ block: "nearest" });
  };
  const buttons = h("div", { class: "actions" },
    ACTIONS.filter((a) => hazard.allowed_actions.includes(a)).map((action) => actionButton(action, () => open(action))));
  const back = listsOf(user)[0];
  show(h("article", { class: "hazard-detail" },
    link(`/app/hazards/${back}`, t("hazards.back"), navigate, { class: "back" }),
    header(hazard),
    facts(hazard),
    compare(hazard),
    hazard.allowed_actions.length ? buttons : null,
    formBox,
    escalationSection(user, "hazard", hazard.id),
    duplicates(hazard, navigate, (intoId) => open("merge", { intoId })),
    h("p", {}, h("a", { class: "button notice", href: `/api/hazards/${hazard.id}/notice.pdf`, target: "_blank", rel: "noopener",
      text: t("hazard.notice") })),
    h("h2", { text: t("hazard.timeline") }),
    h("ol", { class: "timeline" }, hazard.events.map(eventItem))));
}

function header(hazard) {
  return h("header", { class: `hazard-head level-${hazard.risk_level}` },
    h("div", { class: "line" }, levelChip(hazard.risk_level), stateChip(hazard.state), hazard.supervised ? supervisedBadge() : null),
    h("h1", { text: hazard.number }),
    h("p", { class: "description", text: hazard.description }));
}

function facts(hazard) {
  const rows = [
    ["hazard.school", hazard.school.name],
    ["hazard.where", whereText(hazard)],
    ["hazard.category", t(`category.${hazard.category}`)],
    ["hazard.source", t(`hazard.source.${hazard.source}`)],
    ["hazard.reported", [hazard.reporter?.display_name || t("hazard.public"), formatTime(hazard.reported_at)].join(" · ")],
    hazard.holder.kind !== "school" ? ["hazard.holder", hazard.holder.name] : null,
    ["hazard.rectifier", hazard.rectifier?.display_name || t("hazard.nobody_yet")],
    hazard.deadline ? ["hazard.deadline", deadlineLine(hazard, { bare: true })] : null,
    hazard.responsibility ? ["hazard.responsibility", hazard.responsibility] : null,
    hazard.measures ? ["hazard.measures", hazard.measures] : null,
    hazard.funds_yuan ? ["hazard.funds", t("hazard.yuan", { n: hazard.funds_yuan })] : null,
    hazard.rejections ? ["hazard.rejections", String(hazard.rejections)] : null,
    hazard.verified_by ? ["hazard.verified_by", `${hazard.verified_by.display_name} · ${formatTime(hazard.closed_at)}`] : null,
  ].filter(Boolean);
  return h("dl", { class: "facts" }, rows.flatMap(([key, value]) => [h("dt", { text: t(key) }), h("dd", {}, value)]));
}

/** As found beside after rectification. */
function compare(hazard) {
  return h("div", { class: "compare" },
    h("section", { class: "before" }, h("h2", { text: t("hazard.before") }), photoStrip(hazard.photo_ids, t("hazard.before"))),
    h("section", { class: "after" }, h("h2", { text: t("hazard.after") }),
      hazard.after_photo_ids.length ? photoStrip(hazard.after_photo_ids, t("hazard.after"))
        : h("p", { class: "muted", text: t("hazard.no_after") })));
}

function duplicates(hazard, navigate, merge) {
  if (!hazard.possible_duplicates?.length) return null;
  const canMerge = hazard.allowed_actions.includes("merge");
  return h("section", { class: "duplicates card" },
    h("h2", { text: t("hazard.duplicates") }),
    h("ul", {}, hazard.possible_duplicates.map((d) => h("li", {},
      link(`/app/hazards/${d.id}`, `${d.number} · ${d.description}`, navigate),
      h("span", { class: "muted", text: ` (${d.reasons.map((r) => t(`duplicate.${r}`)).join(", ")})` }),
      canMerge ? h("button", { type: "button", class: "link", text: t("hazard.merge_into"), onclick: () => merge(d.id) }) : null))));
}

function eventItem(event) {
  const d = event.details || {};
  const lines = [];
  if (d.urgency) lines.push(t("event.urgency", { urgency: t(`urgency.${d.urgency}`) }));
  if (d.item) lines.push(t("event.item", { item: d.item }));
  if (event.action === "assign") {
    lines.push(t("event.assigned", { who: d.rectifier, when: formatTime(d.deadline) }));
    if (d.measures) lines.push(t("event.measures", { measures: d.measures }));
    if (d.funds_yuan) lines.push(t("event.funds", { n: d.funds_yuan }));
  }
  if (d.to_unit) lines.push(t("event.passed_to", { unit: d.to_unit }));
  if (d.into_id) lines.push(t("event.merged_into", { id: d.into_id }));
  if (d.merged_hazard_id) lines.push(t("event.merged_hazard", { id: d.merged_hazard_id }));
  if (d.public_report_id) lines.push(t("event.public_report", { id: d.public_report_id }));
  if (d.description && event.action === "merged") lines.push(d.description);
  if (d.rejections) lines.push(t("event.rejections", { n: d.rejections }));
  return h("li", { class: `event action-${event.action}` },
    h("div", { class: "line" },
      h("strong", { text: t(`event.${event.action}`) }),
      h("span", { class: "muted", text: `${event.actor?.display_name || t("hazard.public")} · ${formatTime(event.at)}` })),
    event.note ? h("p", { class: "note", text: event.note }) : null,
    ...lines.map((line) => h("p", { class: "muted detail", text: line })),
    event.photo_ids.length ? photoStrip(event.photo_ids) : null);
}
