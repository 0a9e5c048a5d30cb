// The county's townships and schools (county admins): see the tree, add a township or a school.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { field, getList, select, showRefusal } from "./shared.js";

export async function unitsSection(body, { user }) {
  const units = await getList("/api/org-units");
  const children = (parent) => units.filter((u) => u.parent_id === parent.id);
  const townships = units.filter((u) => u.kind === "township");
  const tree = h("ul", { class: "units" }, ...townships.map((township) => h("li", {},
    h("strong", { text: township.name }),
    h("span", { class: "muted", text: ` · ${t("units.schools", { n: children(township).length })}` }),
    h("ul", {}, ...children(township).map((school) => h("li", { text: school.name }))))));
  const reload = () => unitsSection(body, { user });
  body.replaceChildren(
    user.role === "county_admin"
      ? h("div", { class: "filters" },
        addForm("units.add_township", "township", [[user.org_unit.id, user.org_unit.name]], reload),
        addForm("units.add_school", "school", townships.map((u) => [u.id, u.name]), reload))
      : null,
    h("p", { class: "muted", text: t("units.import_hint") }),
    tree);
}

function addForm(titleKey, kind, parents, reload) {
  const name = h("input", { name: "name", required: true, maxlength: "100" });
  const parent = select("parent_id", parents);
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  return h("form", { class: "card", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const response = await write("/api/org-units", { method: "POST",
      json: { kind, name: name.value.trim(), parent_id: Number(parent.value) } });
    if (!response.ok) return showRefusal(error, response);
    toast(t("units.added", { name: response.data.name }));
    await reload();
  } },
  h("h2", { text: t(titleKey) }),
  kind === "school" ? field("units.township", parent) : null,
  field("units.name", name), error,
  h("button", { type: "submit", class: "primary", text: t("units.save") }));
}
