// 日排查: a day's patrol, per school with the totals; a school also sees its own points, overdue first.
import { h } from "../dom.js";
import { formatTime } from "../i18n.js";
import { empty, getReport, has, labelled, percent, section, table, tiles, today, unitPicker, unitsInScope } from "./common.js";
import { t } from "./strings.js";

const COLUMNS = [
  ["points", "report.col.points"], ["due", "report.col.due"], ["inspected", "report.col.inspected"],
  ["overdue", "report.col.overdue"], ["failed_items", "report.col.failed_items"],
  ["hazards_reported", "report.col.hazards_reported"], ["hazards_assigned", "report.col.hazards_assigned"],
  ["hazards_closed", "report.col.hazards_closed"],
];

function rate(figures) {
  return figures.due ? figures.inspected / figures.due : null;
}

export async function dailyReport(body, { user, query, go }) {
  const picksUnits = user.org_unit.kind !== "school";
  const [report, units] = await Promise.all([getReport("daily", query), picksUnits ? unitsInScope() : null]);
  const day = h("input", { type: "date", name: "period", value: report.period, max: today(), required: true,
    onchange: () => { if (day.value) go({ period: day.value, unit_id: query.unit_id }); } });
  const pickers = h("form", { class: "report-pickers", onsubmit: (event) => event.preventDefault() },
    labelled("report.pick.day", day),
    units ? unitPicker(units, report.unit.id, (id) => go({ period: query.period, unit_id: id })) : null);

  const total = report.total;
  const flagged = has([total, ...report.schools], "flagged");
  const summary = tiles([
    { key: "due", label: t("report.col.due"), value: String(total.due) },
    { key: "inspected", label: t("report.col.inspected"), value: String(total.inspected), sub: percent(rate(total)) },
    { key: "overdue", label: t("report.col.overdue"), value: String(total.overdue), tone: total.overdue ? "bad" : null },
    { key: "failed_items", label: t("report.col.failed_items"), value: String(total.failed_items), tone: total.failed_items ? "warn" : null },
    { key: "hazards_reported", label: t("report.col.hazards_reported"), value: String(total.hazards_reported) },
    { key: "hazards_assigned", label: t("report.col.hazards_assigned"), value: String(total.hazards_assigned) },
    { key: "hazards_closed", label: t("report.col.hazards_closed"), value: String(total.hazards_closed) },
    flagged ? { key: "flagged", label: t("report.col.flagged"), value: String(total.flagged ?? 0), tone: total.flagged ? "warn" : null } : null,
  ]);

  const columns = [{ key: "name", label: t("report.col.school") },
    ...COLUMNS.map(([key, label]) => ({ key, label: t(label), num: true })),
    { key: "rate", label: t("report.col.day_rate"), num: true },
    ...(flagged ? [{ key: "flagged", label: t("report.col.flagged"), num: true }] : [])];
  const figures = (row) => [...COLUMNS.map(([key]) => row[key] ?? 0), percent(rate(row)), ...(flagged ? [row.flagged ?? 0] : [])];
  const schoolName = (school) => (picksUnits && report.schools.length > 1
    ? h("button", { type: "button", class: "link name", text: school.name, onclick: () => go({ period: query.period, unit_id: school.id }) })
    : school.name);
  const schools = table({
    className: "daily-schools", columns,
    rows: report.schools.map((s) => ({ attrs: { dataset: { id: String(s.id) }, class: s.overdue ? "has-overdue" : null },
      cells: [schoolName(s), ...figures(s)] })),
    foot: report.schools.length > 1 ? [t("report.total"), ...figures(total)] : null,
  });

  body.replaceChildren(...[pickers,
    h("p", { class: "as-of muted", text: t("report.as_of", { unit: report.unit.name, time: formatTime(report.as_of) }) }),
    summary,
    section("report.daily.schools", report.schools.length ? schools : empty("report.none_schools")),
    report.points ? section("report.daily.points", pointList(report.points)) : null].filter(Boolean));
}

/** The school's points of the day: overdue first, then what is still due, then what was done. */
function pointList(points) {
  if (!points.length) return empty("report.daily.no_points");
  const state = (p) => (p.overdue ? "overdue" : p.inspections ? "done" : "due");
  return table({
    className: "daily-points",
    columns: [{ key: "name", label: t("report.col.point") }, { key: "level", label: t("report.col.level") },
      { key: "state", label: t("report.col.state") }, { key: "due_at", label: t("report.col.due_at") }],
    rows: points.map((p) => ({
      attrs: { class: `point-${state(p)}`, dataset: { id: String(p.id), state: state(p) } },
      cells: [p.name, h("span", { class: `chip level-bg-${p.risk_level}`, text: t(`level.${p.risk_level}`) }),
        p.inspections ? t("report.point.done", { n: p.inspections }) + (p.overdue ? ` · ${t("report.point.overdue")}` : "")
          : t(`report.point.${state(p)}`),
        p.due_at ? formatTime(p.due_at) : "—"],
    })),
  });
}
