// Import a register from Excel or CSV: a dry run shows each row's fate, then apply all rows or none.
import { api } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { field, select, showRefusal } from "./shared.js";

const KINDS = ["points", "schools", "people"];
const ACTIONS = ["create", "update", "unchanged", "refuse"];

export async function importSection(body, { user }) {
  const kinds = user.role === "county_admin" ? KINDS : KINDS.filter((k) => k !== "schools");
  const kind = select("kind", kinds.map((k) => [k, t(`import.kind.${k}`)]));
  const templates = h("p", { class: "templates" });
  const file = h("input", { type: "file", name: "file", accept: ".xlsx,.csv", required: true });
  const error = h("p", { class: "error", role: "alert" });
  const result = h("div", { class: "import-result" });
  const apply = h("button", { type: "button", class: "primary", hidden: true, text: t("import.apply") });

  const showTemplates = () => templates.replaceChildren(h("span", { text: t("import.template") }),
    ...["xlsx", "csv"].map((fmt) => h("a", { href: `/api/imports/${kind.value}/template?format=${fmt}`, download: "", text: fmt.toUpperCase() })));
  const reset = () => { result.replaceChildren(); apply.hidden = true; error.replaceChildren(); };
  kind.addEventListener("change", () => { showTemplates(); reset(); });
  file.addEventListener("change", reset);

  async function send(dryRun) {
    error.replaceChildren();
    const form = new FormData();
    form.append("file", file.files[0]);
    form.append("dry_run", dryRun ? "true" : "false");
    const response = await api(`/api/imports/${kind.value}`, { method: "POST", body: form });
    if (!response.ok && !response.data?.rows) {
      showRefusal(error, response);
      return null;
    }
    return response.data;
  }

  const preview = h("form", { class: "card admin-form", onsubmit: async (event) => {
    event.preventDefault();
    reset();
    const outcome = await send(true);
    if (!outcome) return;
    result.replaceChildren(outcomeView(outcome));
    const changes = outcome.summary.create + outcome.summary.update;
    apply.hidden = outcome.summary.refuse > 0 || changes === 0;
  } },
  field("import.kind", kind), templates, field("import.file", file), error,
  h("button", { type: "submit", class: "secondary", text: t("import.preview") }));

  apply.addEventListener("click", async () => {
    apply.disabled = true;
    const outcome = await send(false);
    apply.disabled = false;
    if (!outcome) return;
    apply.hidden = true;
    result.replaceChildren(outcomeView(outcome));
    if (outcome.applied) toast(t("import.applied", { n: outcome.summary.create + outcome.summary.update }));
  });
  showTemplates();
  body.replaceChildren(preview, result, apply);
}

function outcomeView(outcome) {
  const summary = ACTIONS.map((a) => t(`import.summary.${a}`, { n: outcome.summary[a] })).join(" · ");
  const status = outcome.applied ? "import.done" : outcome.summary.refuse ? "import.has_refusals" : "import.dry_run_ok";
  return h("div", {},
    h("p", { class: outcome.summary.refuse ? "notice" : "muted", text: `${t(status)} ${summary}` }),
    h("table", { class: "import-rows" },
      h("thead", {}, h("tr", {}, ...["import.row", "import.name", "import.action", "import.reasons"].map((k) => h("th", { text: t(k) })))),
      h("tbody", {}, ...outcome.rows.map((row) => h("tr", { class: `action-${row.action}` },
        h("td", { text: String(row.row) }),
        h("td", { text: row.name }),
        h("td", { text: t(`import.action.${row.action}`) }),
        h("td", { text: row.reasons.join(";") }))))));
}
