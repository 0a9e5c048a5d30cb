// A school's grids: who leads each and who walks it; add a grid.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { field, formValues, getList, schoolsInScope, select, showRefusal } from "./shared.js";

export async function gridsSection(body) {
  const schools = await schoolsInScope();
  const school = select("school_id", schools.map((s) => [s.id, s.name]), { value: schools[0]?.id });
  const list = h("ul", { class: "grids" });
  const formBox = h("div");

  async function load() {
    const [grids, people] = await Promise.all([
      getList(`/api/grids?school_id=${school.value}`),
      getList("/api/users"),
    ]);
    const here = people.filter((p) => p.org_unit.id === Number(school.value) && p.active);
    list.replaceChildren(...(grids.length ? grids.map(gridRow) : [h("li", { class: "muted", text: t("admin.no_grids") })]));
    formBox.replaceChildren(gridForm(Number(school.value), here, load));
  }
  school.addEventListener("change", load);
  body.replaceChildren(field("admin.school", school), list, formBox);
  if (schools.length) await load();
}

function gridRow(grid) {
  return h("li", { class: "card grid-row" },
    h("strong", { text: grid.name }),
    h("div", { text: `${t("admin.leader")}: ${grid.leader ? grid.leader.display_name : t("admin.none")}` }),
    h("div", { class: "muted", text: `${t("admin.patrollers")}: ${grid.patrollers.map((p) => p.display_name).join("、") || t("admin.none")}` }));
}

function gridForm(schoolId, people, reload) {
  const leaders = people.filter((p) => p.role === "grid_leader");
  const patrollers = people.filter((p) => p.role === "patroller");
  const error = h("p", { class: "error", role: "alert" });
  const boxes = patrollers.map((p) => h("label", { class: "check" },
    h("input", { type: "checkbox", name: "patroller_ids", value: String(p.id) }), h("span", { text: p.display_name })));
  const write = keyedWrite();
  const form = h("form", { class: "card admin-form", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const values = formValues(form);
    const json = { school_id: schoolId, name: values.name, leader_id: values.leader_id ?? null,
      patroller_ids: new FormData(form).getAll("patroller_ids").map(Number) };
    const response = await write("/api/grids", { method: "POST", json });
    if (!response.ok) return showRefusal(error, response);
    toast(t("admin.grid_added", { name: response.data.name }));
    await reload();
  } },
  h("h2", { text: t("admin.add_grid") }),
  field("admin.grid_name", h("input", { name: "name", required: true, maxlength: "100" })),
  field("admin.leader", select("leader_id", leaders.map((p) => [p.id, p.display_name]), { any: "admin.none" })),
  h("fieldset", {}, h("legend", { text: t("admin.patrollers") }),
    ...(boxes.length ? boxes : [h("p", { class: "muted", text: t("admin.none") })])),
  error,
  h("button", { type: "submit", class: "primary", text: t("admin.save_grid") }));
  return form;
}
