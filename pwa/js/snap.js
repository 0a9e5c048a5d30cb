// 随手拍: the public page a school's poster opens, for students and parents, with no account.
// Works on a first visit and in WeChat's browser: a plain file input, one multipart POST.
import { newId } from "./api.js";
import { h, show } from "./dom.js";
import { serverMessage, t } from "./i18n.js";
import { photoPicker } from "./photos.js";
import { statusLink } from "./status.js";

const MAX_PHOTOS = 3;

/** A random id for this phone, so the school's limit counts phones rather than a shared address. */
function deviceId() {
  try {
    let id = localStorage.getItem("huxiao.device");
    if (!id) localStorage.setItem("huxiao.device", (id = newId()));
    return id;
  } catch {
    return ""; // storage refused (a private window): the address counts instead
  }
}

async function call(path, init = {}) {
  const response = await fetch(path, { credentials: "omit", ...init, headers: { Accept: "application/json", ...init.headers } });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  return { status: response.status, ok: response.ok, data };
}

const REFUSALS = { 404: "snap.unknown", 410: "snap.replaced", 429: "snap.too_many" };

function explain(response) {
  if (REFUSALS[response.status]) return t(REFUSALS[response.status]);
  return serverMessage(response.data, "snap.failed");
}

export async function snapScreen(token) {
  show(h("p", { class: "muted", text: t("app.loading") }));
  const path = `/api/public/snap/${encodeURIComponent(token)}`;
  let school;
  try {
    school = await call(path);
  } catch {
    show(h("div", { class: "card snap" }, h("p", { class: "error", role: "alert", text: t("snap.offline") }),
      h("button", { type: "button", class: "secondary wide", text: t("snap.try_again"), onclick: () => snapScreen(token) })));
    return;
  }
  if (!school.ok) {
    show(h("div", { class: "card snap" }, h("h1", { text: t("snap.title") }), h("p", { class: "error", role: "alert", text: explain(school) })));
    return;
  }
  form(path, school.data.school);
}

function form(path, schoolName) {
  const photos = photoPicker({ max: MAX_PHOTOS });
  const description = h("textarea", { id: "snap-description", name: "description", rows: 4, maxlength: "1000", placeholder: t("snap.description_hint") });
  const phone = h("input", { id: "snap-phone", name: "phone", type: "tel", inputmode: "tel", autocomplete: "tel", maxlength: "20" });
  const status = h("div", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary wide", text: t("snap.submit") });
  let clientKey = newId(); // one per report: a retry after a lost answer is the same report
  const el = h("form", { class: "snap", onsubmit: async (event) => {
    event.preventDefault();
    status.replaceChildren();
    const blobs = await photos.blobs();
    if (!blobs.length) { status.textContent = t("snap.need_photo"); return; }
    if (!description.value.trim()) { status.textContent = t("snap.need_description"); return; }
    const body = new FormData();
    blobs.forEach((blob, i) => body.append("photos", blob, `photo-${i + 1}.jpg`));
    body.append("description", description.value.trim());
    body.append("phone", phone.value.trim());
    body.append("client_key", clientKey);
    const device = deviceId();
    body.append("device_id", device);
    submit.disabled = true;
    try {
      const response = await call(path, { method: "POST", body, headers: device ? { "X-Device-Id": device } : {} });
      if (response.ok) {
        clientKey = newId();
        thanks(path, schoolName, response.data?.status_url);
        return;
      }
      // what is wrong, field by field, in the sender's language
      const fields = Object.keys(response.data?.errors || {}).filter((name) => ["description", "phone", "photos"].includes(name));
      status.replaceChildren(h("span", { text: explain(response) }),
        ...fields.map((name) => h("span", { class: "detail", text: t(`snap.invalid.${name}`) })));
    } catch {
      status.textContent = t("snap.offline"); // the same report (its key) goes again on the next tap
    } finally {
      submit.disabled = false;
    }
  } },
  h("h1", { text: t("snap.title") }),
  h("p", { class: "school", text: schoolName }),
  h("p", { class: "muted", text: t("snap.intro") }),
  photos.el,
  h("div", { class: "field" }, h("label", { for: description.id, text: t("snap.description") }), description),
  h("div", { class: "field" }, h("label", { for: phone.id, text: t("snap.phone") }), phone),
  h("p", { class: "muted small", text: t("snap.phone_hint") }),
  status,
  submit);
  show(el);
}

/** The receipt: thanks, and the link (with its QR code) to follow the report by, which the sender keeps. */
function thanks(path, schoolName, statusUrl) {
  show(h("div", { class: "card snap thanks" },
    h("h1", { text: t("snap.thanks") }),
    h("p", { text: t("snap.thanks_text", { school: schoolName }) }),
    statusUrl && statusLink(statusUrl),
    h("button", { type: "button", class: "secondary wide", text: t("snap.another"), onclick: () => form(path, schoolName) })));
}
