// 月调度: a month of a county or township (or one school): totals, the trend, every school ranked,
// the townships' subtotals, the hazards under listed supervision and the escalations that reached
// above the school; with the PDF and the spreadsheet for the dispatch meeting.
import { h } from "../dom.js";
import { formatTime } from "../i18n.js";
import { barChart, chartBox, lineChart } from "./charts.js";
import {
  empty, getReport, has, labelled, monthChoices, monthText, number, percent, queryString, section, table, tiles,
  unitPicker, unitsInScope,
} from "./common.js";
import { t } from "./strings.js";

export async function monthlyReport(body, { user, query, go, navigate }) {
  const picksUnits = user.org_unit.kind !== "school";
  const [report, units] = await Promise.all([getReport("monthly", query), picksUnits ? unitsInScope() : null]);
  const month = h("select", { name: "period", onchange: () => go({ period: month.value, unit_id: query.unit_id }) },
    ...monthChoices(report.period).map((label) => h("option", { value: label, text: monthText(label) })));
  month.value = report.period;
  const files = queryString({ period: report.period, unit_id: report.unit.id });
  const pickers = h("form", { class: "report-pickers", onsubmit: (event) => event.preventDefault() },
    units ? unitPicker(units, report.unit.id, (id) => go({ period: query.period, unit_id: id })) : null,
    labelled("report.pick.month", month),
    h("div", { class: "downloads" },
      h("a", { class: "button", href: `/api/reports/monthly.pdf${files}`, target: "_blank", rel: "noopener", text: t("report.monthly.pdf") }),
      h("a", { class: "button secondary-button", href: `/api/reports/monthly.xlsx${files}`, text: t("report.monthly.xlsx") })));

  const done = report.total.completion;
  const hazards = report.total.hazards;
  const summary = tiles([
    { key: "schools", label: t("report.tile.schools"), value: String(report.total.schools) },
    { key: "rate", label: t("report.tile.completion"), value: percent(done.rate), sub: t("report.done_of", { done: done.done, asked: done.asked }) },
    { key: "missed", label: t("report.tile.missed"), value: String(done.missed), tone: done.missed ? "bad" : null },
    { key: "reported", label: t("report.tile.reported"), value: String(hazards.reported) },
    { key: "closed", label: t("report.tile.closed"), value: String(hazards.closed) },
    { key: "open_at_end", label: t("report.tile.open_at_end"), value: String(hazards.open_at_end) },
    { key: "overdue_at_end", label: t("report.tile.overdue_at_end"), value: String(hazards.overdue_at_end), tone: hazards.overdue_at_end ? "bad" : null },
    { key: "on_time_rate", label: t("report.tile.on_time_rate"), value: percent(hazards.on_time_rate) },
  ]);

  const trendChart = chartBox(t("report.monthly.trend"), "trend");
  const rankingChart = chartBox(t("report.monthly.ranking_chart"), "ranking");
  const shortMonth = (label) => monthText(label, { month: "short" });
  body.replaceChildren(...[pickers,
    h("p", { class: "as-of muted", text: t("report.month_as_of", {
      unit: report.unit.name, month: monthText(report.period), time: formatTime(report.as_of) }) }),
    summary,
    section("report.monthly.trend", trendChart, table({
      className: "trend",
      columns: [{ key: "period", label: t("report.col.month") }, { key: "rate", label: t("report.col.completion"), num: true },
        { key: "done", label: t("report.col.done_of"), num: true }, { key: "missed", label: t("report.col.missed"), num: true },
        { key: "reported", label: t("report.col.reported"), num: true }, { key: "closed", label: t("report.col.closed"), num: true }],
      rows: report.trend.map((m) => ({ attrs: { dataset: { period: m.period } }, cells: [monthText(m.period), percent(m.completion.rate),
        `${m.completion.done}/${m.completion.asked}`, m.completion.missed, m.hazards.reported, m.hazards.closed] })),
    })),
    section("report.monthly.ranking", report.schools.length ? rankingChart : null,
      report.schools.length ? ranking(report) : empty("report.none_schools")),
    report.townships.length ? section("report.monthly.townships", townships(report.townships)) : null,
    section("report.monthly.supervised", supervised(report.supervised, navigate)),
    section("report.monthly.escalations", escalations(report.escalations, navigate))].filter(Boolean));

  lineChart(trendChart, { labels: report.trend.map((m) => shortMonth(m.period)), values: report.trend.map((m) => m.completion.rate),
    format: percent, compact: (rate) => `${Math.round(rate * 100)}%` });
  if (report.schools.length) {
    barChart(rankingChart, { labels: report.schools.map((s) => `${s.rank}. ${s.name}`), values: report.schools.map((s) => s.completion.rate),
      horizontal: true, max: 1, format: percent });
  }
}

function ranking(report) {
  const county = report.unit.kind === "county";
  const flagged = has(report.schools, "flagged");
  const columns = [
    { key: "rank", label: t("report.col.rank"), num: true }, { key: "name", label: t("report.col.school") },
    ...(county ? [{ key: "township", label: t("report.col.township") }] : []),
    { key: "rate", label: t("report.col.completion"), num: true }, { key: "done", label: t("report.col.done_of"), num: true },
    { key: "missed", label: t("report.col.missed"), num: true }, { key: "reported", label: t("report.col.reported"), num: true },
    { key: "closed", label: t("report.col.closed"), num: true }, { key: "overdue_at_end", label: t("report.col.overdue_at_end"), num: true },
    { key: "on_time_rate", label: t("report.col.on_time_rate"), num: true },
    ...(flagged ? [{ key: "flagged", label: t("report.col.flagged"), num: true }] : []),
  ];
  return table({
    className: "ranking", columns,
    rows: report.schools.map((s) => ({ attrs: { dataset: { id: String(s.id) } }, cells: [
      s.rank, s.name, ...(county ? [s.township] : []), percent(s.completion.rate), `${s.completion.done}/${s.completion.asked}`,
      s.completion.missed, s.hazards.reported, s.hazards.closed, s.hazards.overdue_at_end, percent(s.hazards.on_time_rate),
      ...(flagged ? [number(s.flagged)] : [])] })),
  });
}

function townships(rows) {
  return table({
    className: "townships",
    columns: [{ key: "name", label: t("report.col.township") }, { key: "schools", label: t("report.col.schools"), num: true },
      { key: "rate", label: t("report.col.completion"), num: true }, { key: "missed", label: t("report.col.missed"), num: true },
      { key: "reported", label: t("report.col.reported"), num: true }, { key: "closed", label: t("report.col.closed"), num: true },
      { key: "overdue_at_end", label: t("report.col.overdue_at_end"), num: true }],
    rows: rows.map((r) => ({ attrs: { dataset: { id: String(r.id) } }, cells: [r.name, r.schools, percent(r.completion.rate),
      r.completion.missed, r.hazards.reported, r.hazards.closed, r.hazards.overdue_at_end] })),
  });
}

function linkTo(path, text, navigate) {
  return h("a", { href: path, text, onclick: (event) => { event.preventDefault(); navigate(path); } });
}

function supervised(rows, navigate) {
  if (!rows.length) return empty("report.monthly.no_supervised");
  return table({
    className: "supervised",
    columns: [{ key: "number", label: t("report.col.number") }, { key: "school", label: t("report.col.school") },
      { key: "level", label: t("report.col.level") }, { key: "category", label: t("report.col.category") },
      { key: "description", label: t("report.col.description") }, { key: "state", label: t("report.col.hazard_state") },
      { key: "deadline", label: t("report.col.deadline") }],
    rows: rows.map((r) => ({ attrs: { dataset: { id: String(r.id) } }, cells: [
      linkTo(`/app/hazards/${r.id}`, r.number, navigate), r.school,
      h("span", { class: `chip level-bg-${r.risk_level}`, text: t(`level.${r.risk_level}`) }), t(`category.${r.category}`),
      r.description, t(`hazard.state.${r.state}`), r.deadline ? formatTime(r.deadline) : "—"] })),
  });
}

function escalations(rows, navigate) {
  if (!rows.length) return empty("report.monthly.no_escalations");
  const page = (e) => (e.subject === "hazard" ? `/app/hazards/${e.subject_id}` : `/app/points/${e.subject_id}`);
  return table({
    className: "escalations",
    columns: [{ key: "at", label: t("report.col.time") }, { key: "school", label: t("report.col.school") },
      { key: "title", label: t("report.col.subject") }, { key: "trigger", label: t("report.col.trigger") },
      { key: "level", label: t("report.col.reached") }, { key: "state", label: t("report.col.escalation_state") }],
    rows: rows.map((e) => ({ attrs: { dataset: { id: String(e.escalation_id) } }, cells: [
      formatTime(e.at), e.school, linkTo(page(e), e.title, navigate), t(`trigger.${e.trigger}`), t(`escalation.level.${e.level}`),
      e.resolved_at ? t("escalation.state.resolved") : e.acknowledged_at ? t("report.acknowledged") : t("report.unacknowledged")] })),
  });
}
