// 随手拍待处理: the public's reports waiting for the school, and the school's own 随手拍 code.
// A report becomes a hazard (accept), joins an open one (merge), or is dismissed with a reason.
import { api, keyedWrite, NetworkError } from "../api.js";
import { h, show, toast } from "../dom.js";
import { formatTime, serverMessage, t } from "../i18n.js";
import { field, getList, select, showRefusal } from "../admin/shared.js";
import { link, loadStyles, photoStrip, tabs } from "./common.js";
import { categorySelect, urgencyChooser, whereFields } from "./report.js";

export async function triageScreen(user, navigate) {
  loadStyles();
  const list = h("ul", { class: "reports" }, h("li", { class: "muted", text: t("app.loading") }));
  const code = h("section", { class: "card snap-code" });
  show(h("section", { class: "hazard-screen" },
    h("h1", { text: t("hazards.list.triage") }), tabs(user, "triage", navigate), list, code));
  await Promise.all([listReports(list, navigate), snapCode(code, user)]);
}

async function listReports(list, navigate) {
  const response = await guarded(list, () => api("/api/public-reports?status=new&page_size=100"));
  if (!response) return;
  list.replaceChildren(...(response.data.length ? response.data.map((report) => h("li", { class: "report-row", dataset: { reportId: String(report.id) } },
    link(`/app/hazards/triage/${report.id}`, [
      report.photo_ids.length ? h("img", { src: `/api/photos/${report.photo_ids[0]}?size=thumb`, alt: "", loading: "lazy" }) : null,
      h("div", { class: "summary" },
        h("p", { class: "description", text: report.description }),
        h("p", { class: "muted", text: `${report.school.name} · ${formatTime(report.created_at)}` })),
    ], navigate))) : [h("li", { class: "muted", text: t("triage.empty") })]));
}

/** Answer of a GET, or null with the reason shown in `box`. */
async function guarded(box, request) {
  try {
    const response = await request();
    if (response.ok) return response;
    box.replaceChildren(h("p", { class: "error", text: serverMessage(response.data, "error.server") }));
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    box.replaceChildren(h("p", { class: "error", text: t("error.network") }));
  }
  return null;
}

/** The school's code, its address, and the poster to print; above a school, pick the school. */
async function snapCode(box, user) {
  const schools = user.org_unit.kind === "school" ? [user.org_unit]
    : (await getList("/api/org-units").catch(() => [])).filter((u) => u.kind === "school");
  if (!schools.length) return;
  const details = h("div", {});
  const showCode = async (id) => {
    const response = await guarded(details, () => api(`/api/schools/${id}/snap-code`));
    if (!response) return;
    details.replaceChildren(
      h("p", { class: "muted", text: t("triage.code_hint") }),
      h("p", { class: "snap-url" }, h("a", { href: response.data.url, target: "_blank", rel: "noopener", text: response.data.url })),
      h("a", { class: "button", href: `/api/schools/${id}/snap-code.pdf`, target: "_blank", rel: "noopener", text: t("triage.poster") }));
  };
  const picker = schools.length > 1 ? select("school_id", schools.map((s) => [s.id, s.name])) : null;
  picker?.addEventListener("change", () => showCode(picker.value));
  box.replaceChildren(...[h("h2", { text: t("triage.code") }), picker && field("report.school", picker), details].filter(Boolean));
  await showCode(schools[0].id);
}

export async function reportDetail(user, navigate, id) {
  loadStyles();
  const view = h("article", { class: "public-report" }, h("p", { class: "muted", text: t("app.loading") }));
  show(view);
  const response = await guarded(view, () => api(`/api/public-reports/${id}`));
  if (response) await renderReport(view, response.data, navigate);
}

async function renderReport(view, report, navigate) {
  const isNew = report.status === "new";
  const formBox = h("div", { class: "form-box" });
  view.replaceChildren(...[
    link("/app/hazards/triage", t("hazards.back"), navigate, { class: "back" }),
    h("h1", { text: t("triage.report_title", { id: report.id }) }),
    h("p", { class: "muted", text: `${report.school.name} · ${formatTime(report.created_at)}` }),
    photoStrip(report.photo_ids, t("triage.photo")),
    h("p", { class: "description", text: report.description }),
    report.phone ? h("p", {}, h("span", { text: t("triage.phone") }), h("a", { href: `tel:${report.phone}`, text: report.phone })) : null,
    isNew ? null : h("p", { class: "notice", text: t(`triage.status.${report.status}`, { note: report.triage_note }) }),
    report.hazard_id ? link(`/app/hazards/${report.hazard_id}`, t("triage.open_hazard"), navigate) : null,
    isNew ? duplicates(report, formBox, navigate) : null,
    isNew ? h("div", { class: "actions" },
      h("button", { type: "button", class: "primary action", dataset: { action: "accept" }, text: t("triage.accept"),
        onclick: async () => formBox.replaceChildren(await acceptForm(report, navigate)) }),
      h("button", { type: "button", class: "secondary action grave", dataset: { action: "dismiss" }, text: t("triage.dismiss"),
        onclick: () => formBox.replaceChildren(dismissForm(report, navigate)) })) : null,
    formBox].filter(Boolean)); // replaceChildren would write a null out as text
}

function duplicates(report, formBox, navigate) {
  if (!report.possible_duplicates.length) return null;
  return h("section", { class: "duplicates card" },
    h("h2", { text: t("hazard.duplicates") }),
    h("ul", {}, report.possible_duplicates.map((d) => h("li", {},
      link(`/app/hazards/${d.id}`, `${d.number} · ${d.description}`, navigate),
      h("span", { class: "muted", text: ` (${d.reasons.map((r) => t(`duplicate.${r}`)).join(", ")})` }),
      h("button", { type: "button", class: "link", text: t("triage.merge"),
        onclick: () => formBox.replaceChildren(mergeForm(report, d, navigate)) })))));
}

/** A form posting to one of the report's triage endpoints, once, with the answer handed to `done`. */
function triageForm(report, what, fields, values, done) {
  const write = keyedWrite();
  const error = h("div", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary", text: t(`triage.confirm.${what}`) });
  return h("form", { class: "action-form card", dataset: { action: what }, onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    submit.disabled = true;
    try {
      const response = await write(`/api/public-reports/${report.id}/${what}`, { method: "POST", json: values() });
      if (!response.ok) return showRefusal(error, response);
      done(response.data);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      error.textContent = t("error.network");
    } finally {
      submit.disabled = false;
    }
  } }, h("h2", { text: t(`triage.${what}`) }), ...fields, error, submit);
}

async function acceptForm(report, navigate) {
  const points = await getList(`/api/points?school_id=${report.school.id}&page_size=500`).catch(() => []);
  const where = whereFields(points);
  const category = categorySelect();
  where.point.addEventListener("change", () => {
    const picked = points.find((p) => String(p.id) === where.point.value);
    if (picked && !category.value) category.value = picked.category;
  });
  const urgency = urgencyChooser();
  const description = h("textarea", { name: "description", rows: 3, maxlength: "2000" });
  description.value = report.description;
  const note = h("textarea", { name: "note", rows: 2, maxlength: "2000" });
  return triageForm(report, "accept",
    [field("report.point", where.point), field("report.place", where.place), field("report.category", category), urgency.el,
      field("report.description", description), field("hazard.note", note)],
    () => ({
      ...(where.point.value ? { point_id: Number(where.point.value) } : {}),
      place: where.place.value.trim(),
      ...(category.value ? { category: category.value } : {}),
      ...(urgency.value() ? { urgency: urgency.value() } : {}),
      description: description.value.trim() || report.description,
      note: note.value.trim(),
    }),
    (done) => { toast(t("triage.accepted")); navigate(`/app/hazards/${done.hazard_id}`); });
}

function mergeForm(report, duplicate, navigate) {
  const note = h("textarea", { name: "note", rows: 2, maxlength: "2000" });
  return triageForm(report, "merge",
    [h("p", { text: t("triage.merge_into", { number: duplicate.number }) }), field("hazard.note", note)],
    () => ({ hazard_id: duplicate.id, note: note.value.trim() }),
    (done) => { toast(t("triage.merged")); navigate(`/app/hazards/${done.hazard_id}`); });
}

function dismissForm(report, navigate) {
  const note = h("textarea", { name: "note", rows: 2, maxlength: "2000", required: true });
  return triageForm(report, "dismiss", [field("triage.dismiss_reason", note)], () => ({ note: note.value.trim() }),
    () => { toast(t("triage.dismissed")); navigate("/app/hazards/triage"); });
}
