// People in my area: add an account with a first password, reset a password, deactivate or reactivate.
import { keyedWrite } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { ROLE_UNIT, rolesBelow } from "../roles.js";
import { field, formValues, getList, select, showRefusal } from "./shared.js";

export async function peopleSection(body, { user }) {
  const [units, people] = await Promise.all([getList("/api/org-units"), getList("/api/users")]);
  const rows = h("tbody", {}, ...people.filter((p) => p.id !== user.id).map((p) => personRow(p, user)));
  body.replaceChildren(
    h("details", { class: "card add" }, h("summary", { text: t("people.add") }), personForm(user, units, body)),
    h("table", { class: "register people" },
      h("thead", {}, h("tr", {}, ...["people.name", "people.username", "people.role", "people.unit", "people.state", ""]
        .map((key) => h("th", { text: key ? t(key) : "" })))),
      rows));
}

function personRow(person, user) {
  const manageable = rolesBelow(user).includes(person.role);
  const state = h("td", { text: stateText(person) });
  const error = h("span", { class: "error", role: "alert" });
  const [writePatch, writeReset] = [keyedWrite(), keyedWrite()];
  const patch = async (json) => {
    const response = await writePatch(`/api/users/${person.id}`, { method: "PATCH", json });
    if (!response.ok) return showRefusal(error, response);
    Object.assign(person, response.data);
    state.textContent = stateText(person);
    toggle.textContent = t(person.active ? "people.deactivate" : "people.activate");
  };
  const toggle = h("button", { type: "button", class: "link", text: t(person.active ? "people.deactivate" : "people.activate"),
    onclick: () => patch({ active: !person.active }) });
  const password = h("input", { type: "password", autocomplete: "new-password", minlength: "8", placeholder: t("people.new_password"), "aria-label": t("people.new_password") });
  const reset = h("form", { class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    const response = await writeReset(`/api/users/${person.id}/password`, { method: "POST", json: { password: password.value } });
    if (!response.ok) return showRefusal(error, response);
    password.value = "";
    Object.assign(person, response.data);
    state.textContent = stateText(person);
    toast(t("people.password_reset", { name: person.display_name }));
  } }, password, h("button", { type: "submit", class: "link", text: t("people.reset") }));
  return h("tr", { class: person.active ? null : "inactive" },
    h("td", { text: person.display_name }),
    h("td", { text: person.username }),
    h("td", { text: t(`role.${person.role}`) }),
    h("td", { text: person.org_unit.name }),
    state,
    h("td", {}, manageable ? [toggle, reset, error] : null));
}

function stateText(person) {
  if (!person.active) return t("people.inactive");
  return person.must_change_password ? t("people.must_change") : t("people.active");
}

function personForm(user, units, body) {
  const roles = rolesBelow(user);
  const role = select("role", roles.map((r) => [r, t(`role.${r}`)]));
  const unit = select("org_unit_id", []);
  const showUnits = () => {
    const kind = ROLE_UNIT[role.value] || "school";
    unit.replaceChildren(...units.filter((u) => u.kind === kind).map((u) => h("option", { value: String(u.id), text: u.name })));
  };
  role.addEventListener("change", showUnits);
  showUnits();
  const error = h("p", { class: "error", role: "alert" });
  const write = keyedWrite();
  const form = h("form", { class: "admin-form", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const response = await write("/api/users", { method: "POST", json: formValues(form) });
    if (!response.ok) return showRefusal(error, response);
    toast(t("people.added", { name: response.data.display_name }));
    await peopleSection(body, { user });
  } },
  field("people.username", h("input", { name: "username", required: true, autocapitalize: "none", placeholder: t("people.username_hint") })),
  field("people.name", h("input", { name: "display_name", required: true, maxlength: "100" })),
  field("people.role", role),
  field("people.unit", unit),
  field("people.first_password", h("input", { name: "password", type: "password", autocomplete: "new-password", required: true, minlength: "8" })),
  h("p", { class: "muted", text: t("people.first_password_hint") }),
  error,
  h("button", { type: "submit", class: "primary", text: t("people.save") }));
  return form;
}
