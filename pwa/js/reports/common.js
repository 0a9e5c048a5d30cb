// What the report screens share: the API, the unit and period pickers, figure tiles and tables.
import { api } from "../api.js";
import { h } from "../dom.js";
import { language, serverMessage, t } from "./strings.js";

/** GET /api/reports/<kind>; a refusal becomes an exception with the server's message in the person's language. */
export async function getReport(kind, query) {
  const response = await api(`/api/reports/${kind}${queryString(query)}`);
  if (!response.ok) throw new Error(serverMessage(response.data, "error.server"));
  return response.data;
}

export function queryString({ period, unit_id: unitId } = {}) {
  const params = new URLSearchParams();
  if (period) params.set("period", period);
  if (unitId) params.set("unit_id", String(unitId));
  const text = params.toString();
  return text ? `?${text}` : "";
}

let unitsLoaded = null;

/** The caller's subtree (GET /api/org-units, in tree order), each with its depth below the caller's unit. */
export function unitsInScope() {
  unitsLoaded ||= api("/api/org-units").then((response) => {
    if (!response.ok) throw new Error(serverMessage(response.data, "error.server"));
    const depth = new Map();
    return response.data.map((unit) => {
      const level = depth.has(unit.parent_id) ? depth.get(unit.parent_id) + 1 : 0;
      depth.set(unit.id, level);
      return { ...unit, depth: level };
    });
  });
  unitsLoaded.catch(() => { unitsLoaded = null; });
  return unitsLoaded;
}

/** A select of the caller's units (schools only, for the weekly brief), indented by level. */
export function unitPicker(units, current, onPick, { schoolsOnly = false } = {}) {
  const shown = schoolsOnly ? units.filter((u) => u.kind === "school") : units;
  const el = h("select", { name: "unit_id", onchange: () => onPick(Number(el.value)) },
    ...shown.map((u) => h("option", { value: String(u.id), text: `${schoolsOnly ? "" : "\u00a0\u00a0".repeat(u.depth)}${u.name}` })));
  el.value = String(current);
  return labelled("report.pick.unit", el);
}

export function labelled(key, control) {
  control.id ||= `report-${control.name}`;
  return h("div", { class: "field" }, h("label", { for: control.id, text: t(key) }), control);
}

/** Today's date on this device, YYYY-MM-DD. */
export function today() {
  const now = new Date();
  return isoDay(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

/** A YYYY-MM-DD day as a Date at UTC midnight, and back: days are counted in UTC so no zone shifts them. */
export function utcDay(text) {
  const [y, m, d] = text.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function addDays(text, n) {
  const date = utcDay(text);
  date.setUTCDate(date.getUTCDate() + n);
  return isoDay(date);
}

/** The Monday of the ISO week holding this day. */
export function monday(text) {
  return addDays(text, -((utcDay(text).getUTCDay() + 6) % 7));
}

/** [year, week] of the ISO week holding this day. */
export function isoWeek(text) {
  const thursday = utcDay(addDays(monday(text), 3));
  const year = thursday.getUTCFullYear();
  return [year, Math.floor((thursday - Date.UTC(year, 0, 1)) / 864e5 / 7) + 1];
}

/** "11月24日" / "Nov 24", a day given as YYYY-MM-DD. */
export function dayText(text, options = { month: "short", day: "numeric" }) {
  return utcDay(text).toLocaleDateString(language(), { ...options, timeZone: "UTC" });
}

/** "2026年11月" / "November 2026", a month given as YYYY-MM. */
export function monthText(label, options = { year: "numeric", month: "long" }) {
  return utcDay(`${label}-01`).toLocaleDateString(language(), { ...options, timeZone: "UTC" });
}

/** A week's label from its Monday: "第48周(11月23日–29日)". */
export function weekText(first) {
  const [, week] = isoWeek(first);
  return t("report.week_of", { week, first: dayText(first), last: dayText(addDays(first, 6)) });
}

/** The weeks from this one back, newest first, as their Mondays; the current pick is always among them. */
export function weekChoices(current, count = 26) {
  const choices = [];
  for (let first = monday(today()), i = 0; i < count; i += 1, first = addDays(first, -7)) choices.push(first);
  if (current && !choices.includes(current)) choices.push(current);
  return choices;
}

/** The months from this one back, newest first, as YYYY-MM. */
export function monthChoices(current, count = 24) {
  const [y, m] = today().split("-").map(Number);
  const choices = [];
  for (let i = 0; i < count; i += 1) {
    const date = new Date(Date.UTC(y, m - 1 - i, 1));
    choices.push(isoDay(date).slice(0, 7));
  }
  if (current && !choices.includes(current)) choices.push(current);
  return choices;
}

/** "87.5%", or a dash when nothing was asked. */
export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}

export function number(value) {
  return value === null || value === undefined ? "—" : String(value);
}

/** Big figures in a row of tiles, each with its label; `tone` marks the ones to look at. */
export function tiles(items) {
  return h("ul", { class: "tiles" }, ...items.filter(Boolean).map(({ key, label, value, sub, tone }) =>
    h("li", { class: `tile${tone ? ` tone-${tone}` : ""}`, dataset: { figure: key } },
      h("span", { class: "tile-value", text: value }),
      h("span", { class: "tile-label", text: label }),
      sub ? h("span", { class: "tile-sub", text: sub }) : null)));
}

/**
 * A table of figures: columns [{key, label, num}], rows of cells (text, a number or a Node), an optional
 * footer row; each cell carries its column's key, so tests and printouts read it by name.
 */
export function table({ caption, columns, rows, foot, className = "" }) {
  const cell = (tag, column, value) => h(tag, { class: column.num ? "num" : null, scope: tag === "th" ? "row" : null, dataset: { col: column.key } },
    value instanceof Node ? value : String(value ?? ""));
  return h("div", { class: "table-scroll" }, h("table", { class: `figures ${className}` },
    caption ? h("caption", { text: caption }) : null,
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null, text: c.label })))),
    h("tbody", {}, ...rows.map((row) => h("tr", row.attrs || {},
      ...columns.map((c, i) => cell(i === 0 ? "th" : "td", c, row.cells[i]))))),
    foot ? h("tfoot", {}, h("tr", {}, ...columns.map((c, i) => cell(i === 0 ? "th" : "td", c, foot[i])))) : null));
}

export function section(titleKey, ...children) {
  return h("section", { class: "report-part" }, h("h2", { text: t(titleKey) }), ...children);
}

export function empty(key) {
  return h("p", { class: "muted empty", text: t(key) });
}

/** Whether the server sends this figure yet (patrol-quality flags are being added). */
export function has(rows, key) {
  return rows.some((row) => row && key in row);
}
