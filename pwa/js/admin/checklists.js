// Checklists: copy a shipped one for my unit, then reword, add, remove and reorder its items.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { CATEGORIES, field, getList, select, showRefusal } from "./shared.js";

export async function checklistsSection(body, { user }) {
  const category = select("category", CATEGORIES.map((c) => [c, t(`category.${c}`)]));
  const list = h("ul", { class: "templates-list" });
  const editor = h("div");

  async function load(openId) {
    const templates = await getList(`/api/checklist-templates?category=${category.value}`);
    list.replaceChildren(...templates.map((tpl) => h("li", {},
      h("button", { type: "button", class: "link", text: tpl.name, onclick: () => open(tpl.id) }),
      h("span", { class: "muted", text: ` ${tpl.shipped ? t("checklists.shipped") : tpl.org_unit.name} · ${t("checklists.items", { n: tpl.item_count })}` }))));
    const first = openId ?? templates.find((tpl) => tpl.editable)?.id ?? templates[0]?.id;
    if (first) await open(first);
    else editor.replaceChildren();
  }

  async function open(id) {
    const template = await getList(`/api/checklist-templates/${id}`);
    editor.replaceChildren(template.editable ? itemsEditor(template, load) : readOnly(template, user, load));
  }
  category.addEventListener("change", () => load());
  body.replaceChildren(field("admin.category", category), list, editor);
  await load();
}

function readOnly(template, user, reload) {
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  const copy = h("button", { type: "button", class: "primary", text: t("checklists.copy", { unit: user.org_unit.name }), onclick: async () => {
    const response = await write("/api/checklist-templates", { method: "POST",
      json: { source_id: template.id, org_unit_id: user.org_unit.id, name: `${template.name}(${user.org_unit.name})` } });
    if (!response.ok) return showRefusal(error, response);
    toast(t("checklists.copied"));
    await reload(response.data.id);
  } });
  return h("div", { class: "card" },
    h("h2", { text: template.name }),
    h("p", { class: "muted", text: template.shipped ? t("checklists.shipped_hint") : t("checklists.not_yours") }),
    h("ol", {}, ...template.items.map((item) => h("li", { text: item.text }))),
    error, copy);
}

function itemsEditor(template, reload) {
  const rows = h("ol", { class: "item-editor" });
  const addRow = (item = { text: "" }) => {
    const input = h("input", { value: item.text, maxlength: "200", "aria-label": t("checklists.item_text"), dataset: item.id ? { id: String(item.id) } : {} });
    const row = h("li", {}, input,
      h("button", { type: "button", class: "link", "aria-label": t("checklists.up"), text: "↑", onclick: () => row.previousElementSibling?.before(row) }),
      h("button", { type: "button", class: "link", "aria-label": t("checklists.down"), text: "↓", onclick: () => row.nextElementSibling?.after(row) }),
      h("button", { type: "button", class: "link", "aria-label": t("checklists.remove"), text: "✕", onclick: () => row.remove() }));
    rows.append(row);
    return input;
  };
  template.items.forEach((item) => addRow(item));
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  const save = h("button", { type: "button", class: "primary", text: t("checklists.save"), onclick: async () => {
    error.replaceChildren();
    const items = [...rows.querySelectorAll("input")].map((input) => ({ text: input.value, ...(input.dataset.id ? { id: Number(input.dataset.id) } : {}) }));
    const response = await write(`/api/checklist-templates/${template.id}/items`, { method: "PUT", json: { items } });
    if (!response.ok) return showRefusal(error, response);
    toast(t("checklists.saved"));
    await reload(template.id);
  } });
  return h("div", { class: "card" },
    h("h2", { text: template.name }),
    h("p", { class: "muted", text: t("checklists.edit_hint") }),
    rows,
    h("button", { type: "button", class: "secondary", text: t("checklists.add_item"), onclick: () => addRow().focus() }),
    error, save);
}
