// Print labels without a terminal: choose points, preview one label, start the batch, download its PDF.
import { api } from "../api.js";
import { h } from "../dom.js";
import { formatTime, t } from "../i18n.js";
import { pickedPoints } from "./points.js";
import { field, getList, getPage, levelOptions, schoolsInScope, select, showRefusal } from "./shared.js";

const POLL_MS = 1000;

export async function printSection(body) {
  const picked = new URLSearchParams(location.search).has("picked") ? pickedPoints() : [];
  const [schools, templates] = await Promise.all([schoolsInScope(), getList("/api/label-templates")]);
  const school = select("school_id", schools.map((s) => [s.id, s.name]), { any: "admin.all_schools" });
  const grid = select("grid_id", [], { any: "admin.all_grids" });
  const level = select("risk_level", levelOptions(), { any: "admin.all_levels" });
  const unprinted = h("input", { type: "checkbox", name: "unprinted" });
  const usePicked = h("input", { type: "checkbox", name: "picked", checked: picked.length > 0 });
  const template = select("template", templates.map((tpl) => [tpl.key, `${tpl.name_zh} (${tpl.per_page})`]));
  const previewPoint = select("preview", []);
  const image = h("img", { class: "label-preview", alt: t("print.preview") });
  const matched = h("p", { class: "muted" });
  const error = h("p", { class: "error", role: "alert" });
  const progress = h("div", { class: "batch-progress" });
  const batches = h("ul", { class: "batches" });

  const showPreview = () => {
    image.hidden = !previewPoint.value;
    if (previewPoint.value) image.src = `/api/points/${previewPoint.value}/label?template=${template.value}`;
  };
  async function loadMatches() {
    const query = new URLSearchParams({ page_size: "1000" });
    for (const el of [school, grid, level]) if (el.value) query.set(el.name, el.value);
    let { items: points, total } = await getPage(`/api/points?${query}`);
    if (usePicked.checked) {
      points = points.filter((p) => picked.includes(p.id));
      total = points.length;
    }
    matched.textContent = t(unprinted.checked ? "print.matched_unprinted" : "print.matched", { n: total });
    previewPoint.replaceChildren(...points.map((p) => h("option", { value: String(p.id), text: `${p.school.name} · ${p.name}` })));
    showPreview();
  }
  school.addEventListener("change", async () => {
    const grids = school.value ? await getList(`/api/grids?school_id=${school.value}`) : [];
    grid.replaceChildren(h("option", { value: "", text: t("admin.all_grids") }), ...grids.map((g) => h("option", { value: String(g.id), text: g.name })));
    await loadMatches();
  });
  for (const el of [grid, level, unprinted, usePicked]) el.addEventListener("change", loadMatches);
  template.addEventListener("change", showPreview);
  previewPoint.addEventListener("change", showPreview);

  const start = h("button", { type: "submit", class: "primary", text: t("print.start") });
  const form = h("form", { class: "card admin-form", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    const json = { template: template.value, unprinted: unprinted.checked, point_ids: usePicked.checked ? picked : [] };
    for (const el of [school, grid, level]) if (el.value) json[el.name] = el.name === "risk_level" ? el.value : Number(el.value);
    start.disabled = true;
    const response = await api("/api/qr-batches", { method: "POST", json }); // the button is disabled until it answers
    if (!response.ok) {
      start.disabled = false;
      return showRefusal(error, response);
    }
    await follow(response.data, progress);
    start.disabled = false;
    await listBatches(batches);
  } },
  field("admin.school", school), field("admin.grid", grid), field("admin.level", level),
  h("label", { class: "check" }, unprinted, h("span", { text: t("print.unprinted") })),
  picked.length ? h("label", { class: "check" }, usePicked, h("span", { text: t("print.picked", { n: picked.length }) })) : null,
  field("print.template", template), matched,
  field("print.preview_point", previewPoint), image, error, start);
  body.replaceChildren(form, progress, h("h2", { text: t("print.recent") }), batches);
  await Promise.all([loadMatches(), listBatches(batches)]);
}

/** Follow a batch until it is done or failed; the PDF link appears when it is ready. */
async function follow(batch, box) {
  const bar = h("progress", { max: "1", value: "0" });
  const text = h("span", { class: "muted" });
  box.replaceChildren(h("div", { class: "card" }, bar, text));
  while (batch.status === "queued" || batch.status === "running") {
    bar.value = batch.progress;
    text.textContent = t("print.progress", { done: batch.done, total: batch.total });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const response = await api(`/api/qr-batches/${batch.id}`);
    if (response.ok) batch = response.data;
  }
  box.replaceChildren(batchView(batch, true));
}

async function listBatches(list) {
  const recent = await getList("/api/qr-batches");
  list.replaceChildren(...(recent.length ? recent.slice(0, 10).map((b) => h("li", {}, batchView(b, false)))
    : [h("li", { class: "muted", text: t("home.none") })]));
}

function batchView(batch, fresh) {
  const done = batch.status === "done";
  return h("div", { class: fresh ? "card batch done" : "batch" },
    h("span", { text: `#${batch.id} ${formatTime(batch.created_at)} · ${t("print.labels", { n: batch.total })} · ${t(`print.status.${batch.status}`)}` }),
    done ? h("a", { class: fresh ? "primary button" : null, href: batch.pdf_url, download: "", text: t("print.download_pdf") }) : null,
    done ? h("a", { href: batch.manifest_url, download: "", text: t("print.download_manifest") }) : null,
    batch.status === "failed" ? h("span", { class: "error", text: batch.error }) : null);
}
