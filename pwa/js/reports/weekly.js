// 周研判: one school's week for its safety meeting: completion, hazards by category and level, the
// items that failed most, the points nobody inspected; and the printable brief (打印简报).
import { h } from "../dom.js";
import { formatTime } from "../i18n.js";
import { LEVEL_COLOURS, barChart, chartBox } from "./charts.js";
import {
  dayText, empty, getReport, labelled, number, percent, queryString, section, table, tiles, unitPicker,
  unitsInScope, weekChoices, weekText,
} from "./common.js";
import { t } from "./strings.js";

const SPLIT = ["reported", "closed", "open_at_end", "overdue_at_end"];

export async function weeklyReport(body, { user, query, go }) {
  const picksUnits = user.org_unit.kind !== "school";
  const units = picksUnits ? await unitsInScope() : null;
  const schools = units ? units.filter((u) => u.kind === "school") : null;
  if (schools && !schools.length) {
    body.replaceChildren(empty("report.none_schools"));
    return;
  }
  const unitId = query.unit_id || (schools ? schools[0].id : null);
  const report = await getReport("weekly", { period: query.period, unit_id: unitId });
  const week = h("select", { name: "period", onchange: () => go({ period: week.value, unit_id: unitId }) },
    ...weekChoices(report.first_day).map((first) => h("option", { value: first, text: weekText(first) })));
  week.value = report.first_day;
  const brief = `/api/reports/weekly.pdf${queryString({ period: report.period, unit_id: report.unit.id })}`;
  const pickers = h("form", { class: "report-pickers", onsubmit: (event) => event.preventDefault() },
    schools ? unitPicker(units, report.unit.id, (id) => go({ period: query.period, unit_id: id }), { schoolsOnly: true }) : null,
    labelled("report.pick.week", week),
    h("div", { class: "downloads" }, h("a", { class: "button", href: brief, target: "_blank", rel: "noopener", text: t("report.weekly.print") })));

  const done = report.completion;
  const hazards = report.hazards;
  const summary = tiles([
    { key: "rate", label: t("report.tile.completion"), value: percent(done.rate), sub: t("report.done_of", { done: done.done, asked: done.asked }) },
    { key: "missed", label: t("report.tile.missed"), value: String(done.missed), tone: done.missed ? "bad" : null },
    { key: "reported", label: t("report.tile.reported"), value: String(hazards.reported) },
    { key: "closed", label: t("report.tile.closed"), value: String(hazards.closed) },
    { key: "open_at_end", label: t("report.tile.open_at_end"), value: String(hazards.open_at_end) },
    { key: "overdue_at_end", label: t("report.tile.overdue_at_end"), value: String(hazards.overdue_at_end), tone: hazards.overdue_at_end ? "bad" : null },
    { key: "on_time_rate", label: t("report.tile.on_time_rate"), value: percent(hazards.on_time_rate) },
    { key: "close_out", label: t("report.tile.close_out_hours"),
      value: hazards.mean_close_out_hours === null || hazards.mean_close_out_hours === undefined ? "—" : hazards.mean_close_out_hours.toFixed(1) },
  ]);

  const daysChart = chartBox(t("report.weekly.days"), "days");
  const categoryChart = chartBox(t("report.weekly.by_category"), "category");
  const levelChart = chartBox(t("report.weekly.by_level"), "level");
  const weekday = (date) => dayText(date, { weekday: "short" });
  body.replaceChildren(...[pickers,
    h("p", { class: "as-of muted", text: t("report.week_as_of", {
      unit: report.unit.name, week: weekText(report.first_day), time: formatTime(report.as_of) }) }),
    summary,
    section("report.weekly.days", daysChart, table({
      className: "week-days",
      columns: [{ key: "date", label: t("report.col.day") }, { key: "inspections", label: t("report.col.inspections"), num: true },
        { key: "failed_items", label: t("report.col.failed_items"), num: true }],
      rows: report.days.map((d) => ({ attrs: { dataset: { date: d.date } },
        cells: [`${weekday(d.date)} ${dayText(d.date)}`, d.inspections, d.failed_items] })),
      foot: [t("report.total"), report.days.reduce((n, d) => n + d.inspections, 0), report.days.reduce((n, d) => n + d.failed_items, 0)],
    })),
    section("report.weekly.by_category", ...split(report.by_category, "category", categoryChart)),
    section("report.weekly.by_level", ...split(report.by_level, "level", levelChart)),
    section("report.weekly.top_failed", report.top_failed_items.length ? table({
      className: "top-failed",
      columns: [{ key: "item", label: t("report.col.item") }, { key: "failures", label: t("report.col.failures"), num: true },
        { key: "points", label: t("report.col.points_failed"), num: true }],
      rows: report.top_failed_items.map((i) => ({ cells: [i.item, i.failures, i.points] })),
    }) : empty("report.weekly.no_failures")),
    section("report.weekly.not_inspected", report.not_inspected.length ? table({
      className: "not-inspected",
      columns: [{ key: "name", label: t("report.col.point") }, { key: "level", label: t("report.col.level") },
        { key: "location", label: t("report.col.location") }, { key: "frequency", label: t("report.col.frequency") },
        { key: "last", label: t("report.col.last_inspected") }],
      rows: report.not_inspected.map((p) => ({ attrs: { dataset: { id: String(p.id) } }, cells: [p.name,
        h("span", { class: `chip level-bg-${p.risk_level}`, text: t(`level.${p.risk_level}`) }), p.location || "—",
        p.frequency_name, p.last_inspected_at ? formatTime(p.last_inspected_at) : t("report.never")] })),
    }) : empty("report.weekly.all_inspected")),
    Array.isArray(report.flags) ? section("report.weekly.flags", flagList(report.flags)) : null].filter(Boolean));

  barChart(daysChart, { labels: report.days.map((d) => weekday(d.date)), values: report.days.map((d) => d.inspections) });
  if (report.by_category.length) {
    barChart(categoryChart, { labels: report.by_category.map((c) => t(`category.${c.key}`)), values: report.by_category.map((c) => c.reported) });
  }
  if (report.by_level.length) {
    const levels = ordered(report.by_level);
    barChart(levelChart, { labels: levels.map((l) => t(`level.${l.key}`)), values: levels.map((l) => l.reported),
      colours: levels.map((l) => LEVEL_COLOURS[l.key] || "#1f5fa8") });
  }
}

/** By level: 重大 to 低, the order everyone reads them in. */
function ordered(rows) {
  const order = Object.keys(LEVEL_COLOURS);
  return [...rows].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
}

/** A split of the hazards (by category or level): its chart and its table, or a line saying there were none. */
function split(rows, kind, chart) {
  if (!rows.length) return [empty("report.weekly.no_hazards")];
  const shown = kind === "level" ? ordered(rows) : rows;
  const name = (row) => (kind === "level"
    ? h("span", { class: `chip level-bg-${row.key}`, text: t(`level.${row.key}`) })
    : t(`category.${row.key}`));
  return [chart, table({
    className: `split-${kind}`,
    columns: [{ key: "name", label: t(kind === "level" ? "report.col.level" : "report.col.category") },
      ...SPLIT.map((key) => ({ key, label: t(`report.col.${key}`), num: true }))],
    rows: shown.map((row) => ({ attrs: { dataset: { key: row.key } }, cells: [name(row), ...SPLIT.map((key) => number(row[key]))] })),
  })];
}

/** Patrol-quality flags (存疑), when the server sends them: which inspection, who, and why. */
function flagList(flags) {
  if (!flags.length) return empty("report.weekly.no_flags");
  return table({
    className: "flags",
    columns: [{ key: "at", label: t("report.col.time") }, { key: "point", label: t("report.col.point") },
      { key: "inspector", label: t("report.col.inspector") }, { key: "kinds", label: t("report.col.flag_kinds") }],
    rows: flags.map((f) => ({ cells: [f.at ? formatTime(f.at) : "—", f.point ?? "—", f.inspector ?? "—",
      (f.flags || []).map((flag) => t(`report.flag.${flag.kind}`)).join(t("report.list_separator"))] })),
  });
}
