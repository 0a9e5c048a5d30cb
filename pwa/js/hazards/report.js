// Report a hazard (上报隐患): photo first, a few words, where, what kind, how urgent.
// Sent at once when there is a network; otherwise saved on the phone and sent by the queue.
import { api, NetworkError, newId } from "../api.js";
import { h, show, toast } from "../dom.js";
import { t } from "../i18n.js";
import { photoPicker } from "../photos.js";
import { deliver, enqueue } from "../queue.js";
import { CATEGORIES, field, select, showRefusal } from "../admin/shared.js";

export const URGENCIES = ["urgent", "soon", "normal"];

/** Three big buttons, one pressed at most: how urgent the hazard looks. */
export function urgencyChooser() {
  let value = null;
  const buttons = URGENCIES.map((key) => h("button", { type: "button", class: `choice ${key}`, "aria-pressed": "false",
    text: t(`urgency.${key}`), onclick: () => {
      value = value === key ? null : key;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b === buttons[URGENCIES.indexOf(value)]));
    } }));
  return {
    el: h("fieldset", { class: "urgency" }, h("legend", { text: t("report.urgency") }),
      h("div", { class: "choices" }, buttons)),
    value: () => value,
  };
}

/** The risk points of a school to pick from, with the place typed in words when there is none. */
export function whereFields(points) {
  const point = select("point_id", [], {});
  const place = h("input", { name: "place", maxlength: "200", placeholder: t("report.place_hint") });
  const setPoints = (list) => {
    const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    point.replaceChildren(h("option", { value: "", text: t(list.length ? "report.no_point" : "report.no_points") }),
      ...sorted.map((p) => h("option", { value: String(p.id), text: [p.name, p.location].filter(Boolean).join(" · ") })));
  };
  setPoints(points);
  return { point, place, setPoints };
}

export function categorySelect() {
  return select("category", CATEGORIES.map((c) => [c, t(`category.${c}`)]), { any: "report.pick_category" });
}

async function loadPoints(schoolId) {
  // the same address the home screen asks for (home.js myPoints), so the service worker's copy serves it offline
  const path = schoolId ? `/api/points?school_id=${schoolId}&page_size=500` : "/api/points?order=due&page_size=500";
  try {
    const response = await api(path);
    return response.ok ? response.data : [];
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    return [];
  }
}

async function schoolsAbove(user) {
  if (user.org_unit.kind === "school") return [];
  try {
    const response = await api("/api/org-units");
    return response.ok ? response.data.filter((unit) => unit.kind === "school") : [];
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    return [];
  }
}

export async function reportScreen(user, navigate) {
  show(h("p", { class: "muted", text: t("app.loading") }));
  const schools = await schoolsAbove(user);
  let points = await loadPoints(schools[0]?.id);
  const photos = photoPicker({ max: 9 });
  const description = h("textarea", { name: "description", rows: 3, maxlength: "2000", placeholder: t("report.description_hint") });
  const where = whereFields(points);
  const category = categorySelect();
  let categoryChosen = false;
  category.addEventListener("change", () => { categoryChosen = true; });
  where.point.addEventListener("change", () => {
    const picked = points.find((p) => String(p.id) === where.point.value);
    if (picked && !categoryChosen) category.value = picked.category; // the point's own category, unless chosen
  });
  const school = schools.length ? select("school_id", schools.map((s) => [s.id, s.name])) : null;
  school?.addEventListener("change", async () => {
    points = await loadPoints(school.value);
    where.setPoints(points);
  });
  const urgency = urgencyChooser();
  const status = h("div", { class: "error", role: "alert" });

  const submit = h("button", { type: "submit", class: "primary wide", text: t("report.submit") });
  const form = h("form", { class: "report", onsubmit: async (event) => {
    event.preventDefault();
    status.replaceChildren();
    const blobs = await photos.blobs();
    const problem = !blobs.length ? "report.need_photo"
      : !description.value.trim() ? "report.need_description"
        : !where.point.value && !where.place.value.trim() ? "report.need_where"
          : !category.value ? "report.need_category" : null;
    if (problem) { status.textContent = t(problem); return; }
    submit.disabled = true;
    const record = {
      id: newId(), // the Idempotency-Key: sent now or later from the queue, it files one hazard
      kind: "hazard",
      created_at: new Date().toISOString(),
      title: t("report.queued", { what: description.value.trim().slice(0, 24) }),
      body: {
        description: description.value.trim(),
        place: where.place.value.trim(),
        category: category.value,
        ...(where.point.value ? { point_id: Number(where.point.value) } : {}),
        ...(school ? { school_id: Number(school.value) } : {}),
        ...(urgency.value() ? { urgency: urgency.value() } : {}),
      },
      photos: blobs.map((blob, i) => ({ key: `hazard-${i}`, blob, uploaded_id: null })),
    };
    await send(record, { navigate, status, submit });
  } },
  h("h1", { text: t("report.title") }),
  photos.el,
  field("report.description", description),
  school ? field("report.school", school) : null,
  field("report.point", where.point),
  field("report.place", where.place),
  field("report.category", category),
  urgency.el,
  status,
  submit);
  show(form);
}

async function send(record, { navigate, status, submit }) {
  let response = null;
  if (navigator.onLine) {
    try {
      response = await deliver(record);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
    }
  }
  if (response?.ok) {
    toast(t("report.sent", { number: response.data.number }));
    navigate(`/app/hazards/${response.data.id}`);
    return;
  }
  if (!response || response.status >= 500 || [401, 408, 429].includes(response.status)) {
    // no network, or the server cannot take it now: the phone keeps it, with what was already uploaded
    await enqueue(record);
    toast(t("report.saved_offline"));
    navigate("/app/");
    return;
  }
  showRefusal(status, response);
  submit.disabled = false;
}
