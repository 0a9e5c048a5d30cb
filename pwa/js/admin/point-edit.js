// Change one point: a change of colour asks why (it is kept in the point's history); its schedule; retire it.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { dueLines } from "../due.js";
import { t } from "../i18n.js";
import { dueChip, scheduleChanges, scheduleFields } from "./schedule.js";
import { CATEGORIES, FREQUENCIES, field, getList, levelOptions, positionFields, select, showRefusal } from "./shared.js";

export async function pointEditor(listed, onDone) {
  const [point, grids, templates] = await Promise.all([
    getList(`/api/points/${listed.id}`), // as it is now: the register's copy may be a moment old
    getList(`/api/grids?school_id=${listed.school_id}`),
    getList(`/api/checklist-templates?category=${listed.category}`),
  ]);
  const level = select("risk_level", levelOptions(), { value: point.risk_level });
  const reason = h("textarea", { name: "reason", rows: "2", maxlength: "500" });
  const reasonField = field("edit.reason", reason);
  reasonField.hidden = true;
  level.addEventListener("change", () => { reasonField.hidden = level.value === point.risk_level; reason.required = !reasonField.hidden; });
  const controls = {
    name: h("input", { name: "name", value: point.name, required: true, maxlength: "100" }),
    location: h("input", { name: "location", value: point.location, maxlength: "200" }),
    category: select("category", CATEGORIES.map((c) => [c, t(`category.${c}`)]), { value: point.category }),
    risk_level: level,
    grid_id: select("grid_id", grids.map((g) => [g.id, g.name]), { any: "admin.no_grid", value: point.grid?.id ?? "" }),
    responsible: h("input", { name: "responsible", value: point.responsible, maxlength: "64" }),
    frequency: select("frequency", FREQUENCIES.map((f) => [f, t(`frequency.${f}`)]), { any: "admin.frequency_by_level", value: point.frequency ?? "" }),
    template_id: select("template_id", templates.map((tpl) => [tpl.id, tpl.shipped ? `${tpl.name}(${t("checklists.shipped")})` : tpl.name]), { value: point.template_id }),
  };
  const schedule = scheduleFields(point);
  const position = positionFields(point);
  [controls.latitude, controls.longitude] = position.slice(0, 2).map((box) => box.querySelector("input"));
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  const form = h("form", { class: "card admin-form edit-point", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const json = { ...changes(point, controls), ...scheduleChanges(point, schedule.value()) };
    if (reason.value.trim()) json.reason = reason.value.trim();
    const response = await write(`/api/points/${point.id}`, { method: "PATCH", json });
    if (!response.ok) return showRefusal(error, response);
    toast(t("edit.saved", { name: response.data.name }));
    onDone();
  } },
  h("h2", { text: t("edit.title", { name: point.name }) }),
  dueNowLine(point.due),
  field("admin.point_name", controls.name), field("admin.location", controls.location),
  field("admin.category", controls.category), field("admin.level", level), reasonField,
  field("admin.grid", controls.grid_id), field("admin.responsible", controls.responsible),
  field("admin.frequency", controls.frequency), field("edit.checklist", controls.template_id),
  ...schedule.elements,
  ...position,
  error,
  h("div", { class: "row-actions" },
    h("button", { type: "submit", class: "primary", text: t("edit.save") }),
    h("button", { type: "button", class: "secondary", text: t("edit.cancel"), onclick: onDone })),
  retireBox(point, onDone));
  return form;
}

/** Where the point stands now: 逾期 since when, 待检, 已完成 until when. */
function dueNowLine(due) {
  const chip = dueChip(due);
  return chip ? h("p", { class: "due-now" }, chip, " ", h("span", { class: "muted", text: dueLines(due).join(" · ") })) : null;
}

/** Only what changed: a PATCH that repeats unchanged fields would still be fine, but the history reads better. */
function changes(point, controls) {
  const json = {};
  for (const [name, control] of Object.entries(controls)) {
    let value = control.value;
    if (["grid_id", "template_id", "latitude", "longitude"].includes(name)) value = value === "" ? null : Number(value);
    if (name === "frequency" && value === "") value = null;
    const current = name === "grid_id" ? point.grid?.id ?? null : point[name] ?? null;
    if (value !== current) json[name] = value;
  }
  return json;
}

function retireBox(point, onDone) {
  const reason = h("input", { name: "retire_reason", maxlength: "500" }); // not `required`: it sits inside the edit form
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  return h("details", { class: "retire" }, h("summary", { text: t("edit.retire") }),
    h("p", { class: "muted", text: t("edit.retire_hint") }),
    field("edit.retire_reason", reason), error,
    h("button", { type: "button", class: "secondary", text: t("edit.retire_confirm"), onclick: async () => {
      if (!reason.value.trim()) { error.textContent = t("edit.retire_reason_needed"); reason.focus(); return; }
      const response = await write(`/api/points/${point.id}/retire`, { method: "POST", json: { reason: reason.value.trim() } });
      if (!response.ok) return showRefusal(error, response);
      toast(t("edit.retired", { name: point.name }));
      onDone();
    } }));
}
