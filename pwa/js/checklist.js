// One point's checklist: big pass / fail / n.a. controls for one thumb on a small screen.
import { api, NetworkError, newId } from "./api.js";
import { h, show, toast } from "./dom.js";
import { formatTime, serverMessage, t } from "./i18n.js";
import { shrink } from "./photos.js";
import { enqueue } from "./queue.js";

const CHOICES = ["pass", "fail", "na"];

let prefetched = null;

/** Start loading a point's checklist while the app is still finding out who is logged in. */
export function prefetchScan(token) {
  const request = api(`/api/scan/${encodeURIComponent(token)}`);
  request.catch(() => {}); // a failure is dealt with when the screen asks for it
  prefetched = { token, request };
}

function loadScan(token) {
  const early = prefetched?.token === token ? prefetched.request : null;
  prefetched = null;
  const fresh = () => api(`/api/scan/${encodeURIComponent(token)}`);
  if (!early) return fresh();
  // sent before login, it may have been refused for want of a session: then ask again
  return early.then((response) => (response.status === 401 ? fresh() : response), fresh);
}

export async function checklistScreen(token, navigate) {
  show(h("p", { class: "muted", text: t("app.loading") }));
  let response;
  try {
    response = await loadScan(token);
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    show(h("p", { class: "error", text: t("point.offline") }));
    return;
  }
  if (!response.ok) {
    show(h("div", { class: "card" }, h("p", { class: "error", text: serverMessage(response.data, "point.unknown") })));
    return;
  }
  render(response.data, token, navigate);
}

/** Where the phone is, if it will say within a few seconds; asked once per checklist, never waited for. */
function whereAmI() {
  const found = { location: null };
  navigator.geolocation?.getCurrentPosition(
    ({ coords }) => {
      found.location = { latitude: coords.latitude, longitude: coords.longitude, accuracy: coords.accuracy };
    },
    () => {}, // refused or unavailable: the inspection goes without it
    { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
  );
  return found;
}

function render({ point, items }, token, navigate) {
  // for the patrol-quality checks: how long the checklist took, and where the phone was
  const opened = { at: new Date().toISOString(), where: whereAmI() };
  const answers = new Map(items.map((item) => [item.id, { result: null, note: "", photos: [] }]));
  const rows = items.map((item) => itemRow(item, answers.get(item.id)));
  const status = h("p", { class: "error", role: "alert" });

  const allNormal = h("button", { type: "button", class: "secondary wide", text: t("check.all_normal"), onclick: () => {
    for (const row of rows) row.choose("pass");
  } });
  const submit = h("button", { type: "button", class: "primary wide", text: t("check.submit"), onclick: async () => {
    const unanswered = [...answers.values()].filter((a) => !a.result).length;
    if (unanswered) { status.textContent = t("check.unanswered", { n: unanswered }); return; }
    const unexplained = [...answers.values()].some((a) => a.result === "fail" && !a.note.trim() && !a.photos.length);
    if (unexplained) { status.textContent = t("check.need_note"); return; }
    submit.disabled = true;
    await enqueue(record(point, token, items, answers, opened));
    toast(navigator.onLine ? t("check.saved") : t("check.saved_offline"));
    navigate("/app/");
  } });

  const last = point.last_inspection
    ? t("point.last", { when: formatTime(point.last_inspection.at), who: point.last_inspection.by.display_name })
    : t("point.last_never");
  show(h("article", { class: "checklist" },
    h("header", { class: `point level-${point.risk_level}` },
      h("span", { class: "level", text: levelName(point) }),
      h("h1", { text: point.name }),
      h("p", { text: [point.school.name, point.location].filter(Boolean).join(" · ") }),
      h("p", { class: "muted", text: last })),
    allNormal,
    h("ol", { class: "items" }, rows.map((row) => row.el)),
    status,
    submit));
}

/** The level in the person's language; a county's own levels (RISK_LEVELS_FILE) by the server's name. */
function levelName(point) {
  const key = `level.${point.risk_level}`;
  const name = t(key);
  return name === key ? point.risk_level_name : name;
}

function itemRow(item, answer) {
  const buttons = {};
  const note = h("textarea", { rows: 2, placeholder: t("check.note"), oninput: () => { answer.note = note.value; } });
  const thumbs = h("div", { class: "thumbs" });
  const photoInput = h("input", { type: "file", accept: "image/*", capture: "environment", class: "visually-hidden",
    onchange: async () => {
      for (const file of photoInput.files) {
        const blob = await shrink(file);
        answer.photos.push(blob);
        thumbs.append(h("img", { src: URL.createObjectURL(blob), alt: "" }));
      }
      photoInput.value = "";
    } });
  const failBox = h("div", { class: "fail-box", hidden: true }, note,
    h("label", { class: "secondary photo-button" }, h("span", { text: t("check.photo") }), photoInput), thumbs);
  const choose = (choice) => {
    answer.result = choice;
    for (const [key, button] of Object.entries(buttons)) button.setAttribute("aria-pressed", String(key === choice));
    failBox.hidden = choice !== "fail";
  };
  const choices = h("div", { class: "choices", role: "group" }, CHOICES.map((choice) => {
    buttons[choice] = h("button", { type: "button", class: `choice ${choice}`, "aria-pressed": "false",
      text: t(`check.${choice}`), onclick: () => choose(choice) });
    return buttons[choice];
  }));
  const el = h("li", { class: "item", dataset: { itemId: item.id } }, h("p", { text: item.text }), choices, failBox);
  return { el, choose };
}

function record(point, token, items, answers, opened) {
  const photos = [];
  const results = items.map((item) => {
    const answer = answers.get(item.id);
    const photo_keys = answer.photos.map((blob, i) => {
      const key = `${item.id}-${i}`;
      photos.push({ key, blob, item_id: item.id, uploaded_id: null });
      return key;
    });
    return { item_id: item.id, result: answer.result, note: answer.note.trim(), photo_keys };
  });
  return {
    id: newId(),
    created_at: new Date().toISOString(),
    point: { token, name: point.name },
    body: { token, results, captured_at: new Date().toISOString(), opened_at: opened.at,
      ...(opened.where.location && { location: opened.where.location }) },
    photos,
  };
}
