// The register of risk points: filter, add one, and pick points to print.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { formatTime, t } from "../i18n.js";
import { pointEditor } from "./point-edit.js";
import { dueChip, scheduleFields } from "./schedule.js";
import {
  CATEGORIES, FREQUENCIES, field, formValues, getList, getPage, levelChip, levelOptions, positionFields, schoolsInScope,
  select, showRefusal,
} from "./shared.js";

const PICK_KEY = "huxiao.print.pick"; // the hand-picked points, carried to the print screen

export function pickedPoints() {
  try { return JSON.parse(sessionStorage.getItem(PICK_KEY)) || []; } catch { return []; }
}

export async function pointsSection(body, { navigate }) {
  const schools = await schoolsInScope();
  const schoolFilter = select("school_id", schools.map((s) => [s.id, s.name]), { any: "admin.all_schools" });
  const levelFilter = select("risk_level", levelOptions(), { any: "admin.all_levels" });
  const table = h("tbody");
  const count = h("p", { class: "muted" });
  const picked = new Set(pickedPoints());
  const printPicked = h("button", { type: "button", class: "secondary", onclick: () => {
    sessionStorage.setItem(PICK_KEY, JSON.stringify([...picked]));
    navigate("/app/admin/print?picked=1");
  } });
  const showPicked = () => {
    printPicked.textContent = t("admin.print_picked", { n: picked.size });
    printPicked.disabled = picked.size === 0;
  };

  async function load() {
    const query = new URLSearchParams({ page_size: "1000" });
    if (schoolFilter.value) query.set("school_id", schoolFilter.value);
    if (levelFilter.value) query.set("risk_level", levelFilter.value);
    const { items: points, total } = await getPage(`/api/points?${query}`);
    count.textContent = t(total > points.length ? "admin.point_count_first" : "admin.point_count", { n: total, shown: points.length });
    table.replaceChildren(...points.map((point) => pointRow(point, picked, showPicked, edit)));
  }
  schoolFilter.addEventListener("change", load);
  levelFilter.addEventListener("change", load);

  const form = await pointForm(schools, schoolFilter, load);
  const editBox = h("div", { class: "edit-box" });
  const edit = async (point) => {
    editBox.replaceChildren(await pointEditor(point, async () => { editBox.replaceChildren(); await load(); }));
    editBox.scrollIntoView();
  };
  body.replaceChildren(
    h("details", { class: "card add" }, h("summary", { text: t("admin.add_point") }), form),
    editBox,
    h("div", { class: "filters" }, field("admin.school", schoolFilter), field("admin.level", levelFilter)),
    h("div", { class: "row-actions" }, count, printPicked),
    h("table", { class: "register" },
      h("thead", {}, h("tr", {}, ...["", "admin.level", "admin.point_name", "admin.school", "admin.category",
        "admin.grid", "admin.frequency", "admin.due", "admin.last_inspection"].map((key) => h("th", { text: key ? t(key) : "" })))),
      table));
  showPicked();
  await load();
}

function pointRow(point, picked, onPick, onEdit) {
  const box = h("input", { type: "checkbox", "aria-label": point.name, checked: picked.has(point.id), onchange: () => {
    if (box.checked) picked.add(point.id); else picked.delete(point.id);
    onPick();
  } });
  const last = point.last_inspection ? `${formatTime(point.last_inspection.at)} ${point.last_inspection.by.display_name}` : t("home.never");
  return h("tr", { dataset: { pointId: String(point.id) } },
    h("td", {}, box),
    h("td", {}, levelChip(point.risk_level)),
    h("td", {}, h("button", { type: "button", class: "link name", text: point.name, title: t("edit.open"), onclick: () => onEdit(point) }), h("div", { class: "muted", text: [point.location, point.short_code].filter(Boolean).join(" · ") })),
    h("td", { text: point.school.name }),
    h("td", { text: point.category_name }),
    h("td", { text: point.grid ? point.grid.name : "" }),
    h("td", { text: point.frequency_name }),
    h("td", { class: "due-state" }, dueChip(point.due)),
    h("td", { class: "muted", text: last }));
}

async function pointForm(schools, schoolFilter, reload) {
  const school = select("school_id", schools.map((s) => [s.id, s.name]), { value: schools[0]?.id });
  const grid = select("grid_id", [], { any: "admin.no_grid" });
  async function loadGrids() {
    const grids = school.value ? await getList(`/api/grids?school_id=${school.value}`) : [];
    grid.replaceChildren(h("option", { value: "", text: t("admin.no_grid") }), ...grids.map((g) => h("option", { value: String(g.id), text: g.name })));
  }
  school.addEventListener("change", loadGrids);
  const schedule = scheduleFields();
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite(); // a retried tap makes one point
  const form = h("form", { class: "admin-form", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const response = await write("/api/points", { method: "POST", json: { ...formValues(form), ...schedule.value() } });
    if (!response.ok) return showRefusal(error, response);
    toast(t("admin.point_added", { name: response.data.name }));
    form.reset();
    schedule.reset();
    school.value = String(response.data.school_id);
    schoolFilter.value = String(response.data.school_id);
    await loadGrids();
    await reload();
  } },
  field("admin.school", school),
  field("admin.point_name", h("input", { name: "name", required: true, maxlength: "100" })),
  field("admin.category", select("category", CATEGORIES.map((c) => [c, t(`category.${c}`)]))),
  field("admin.level", select("risk_level", levelOptions(), { value: "yellow" })),
  field("admin.location", h("input", { name: "location", maxlength: "200" })),
  field("admin.grid", grid),
  field("admin.responsible", h("input", { name: "responsible", maxlength: "64" })),
  field("admin.frequency", select("frequency", FREQUENCIES.map((f) => [f, t(`frequency.${f}`)]), { any: "admin.frequency_by_level" })),
  ...schedule.elements,
  ...positionFields(),
  error,
  h("button", { type: "submit", class: "primary", text: t("admin.save_point") }));
  await loadGrids();
  return form;
}
