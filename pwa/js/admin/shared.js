// What the admin screens share: loading lists from the API, form fields, and showing refusals.
import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { serverMessage, t } from "../i18n.js";

export const LEVELS = ["red", "orange", "yellow", "blue"];
export const CATEGORIES = ["fire", "electrical", "canteen", "dormitory", "building", "fence", "playground", "gate",
  "water", "school_bus", "other"];
export const FREQUENCIES = ["daily", "twice_weekly", "weekly", "biweekly", "monthly"];

/** GET a list; an error answer becomes an exception with the server's message in the person's language. */
export async function getList(path) {
  const response = await api(path);
  if (!response.ok) throw new Error(serverMessage(response.data, "error.server"));
  return response.data;
}

/** The first page of a paginated list, and how many there are in all. */
export async function getPage(path) {
  const response = await api(path);
  if (!response.ok) throw new Error(serverMessage(response.data, "error.server"));
  return { items: response.data, total: response.total ?? response.data.length };
}

export async function schoolsInScope() {
  return (await getList("/api/org-units")).filter((unit) => unit.kind === "school");
}

let fieldCount = 0;

/** A labelled control (input, select or textarea); the label names only the control, not its options. */
export function field(labelKey, control) {
  control.id ||= `field-${++fieldCount}`;
  return h("div", { class: "field" }, h("label", { for: control.id, text: t(labelKey) }), control);
}

/** A select of [value, text] pairs, with an optional first "any" choice of value "". */
export function select(name, options, { any, value } = {}) {
  const el = h("select", { name },
    any ? h("option", { value: "", text: t(any) }) : null,
    ...options.map(([v, text]) => h("option", { value: String(v), text })));
  if (value !== undefined) el.value = String(value);
  return el;
}

export function levelOptions() {
  return LEVELS.map((key) => [key, t(`level.${key}`)]);
}

export function levelChip(key) {
  return h("span", { class: `chip level-bg-${key}`, text: t(`level.${key}`) });
}

/** Show what the server refused: its message and, field by field, what is wrong. */
export function showRefusal(box, response) {
  const details = response.data?.errors || {};
  box.replaceChildren(h("span", { text: serverMessage(response.data, "error.server") }),
    ...Object.entries(details).flatMap(([name, problems]) => problemLines(name, problems))
      .map((line) => h("span", { class: "detail", text: line })));
}

/** A field's problems, one line each; a list's are nested by position ("seasons 2: ..."). */
function problemLines(name, problems) {
  if (problems === null || typeof problems !== "object" || Array.isArray(problems)) {
    return [`${name}: ${[].concat(problems).join("; ")}`];
  }
  return Object.entries(problems).flatMap(([key, inner]) =>
    problemLines(key === "_schema" ? name : /^\d+$/.test(key) ? `${name} ${Number(key) + 1}` : `${name}.${key}`, inner));
}

/** Only the form values that were filled in, with numbers for ids. */
export function formValues(form) {
  const values = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (typeof value !== "string" || value === "") continue;
    values[key] = /_id$/.test(key) ? Number(value) : value;
  }
  return values;
}

/** Optional map position: typed, or taken from this device while standing at the point. */
export function positionFields(point = {}) {
  const lat = h("input", { name: "latitude", type: "number", step: "any", min: "-90", max: "90", value: point.latitude ?? "" });
  const lon = h("input", { name: "longitude", type: "number", step: "any", min: "-180", max: "180", value: point.longitude ?? "" });
  const here = h("button", { type: "button", class: "link", text: t("admin.use_my_position"), onclick: () => {
    navigator.geolocation?.getCurrentPosition(
      (pos) => { lat.value = pos.coords.latitude.toFixed(6); lon.value = pos.coords.longitude.toFixed(6); },
      () => toast(t("admin.no_position")), { enableHighAccuracy: true, timeout: 15000 });
  } });
  return [field("admin.latitude", lat), field("admin.longitude", lon), navigator.geolocation ? here : null];
}
