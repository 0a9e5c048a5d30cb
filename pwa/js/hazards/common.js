// What the hazard screens share: their styles, tabs, chips, photos, and the words for a hazard's state.
import { api } from "../api.js";
import { h } from "../dom.js";
import { formatTime, t } from "../i18n.js";
import { isManager } from "../roles.js";
import { levelChip } from "../admin/shared.js";

export function loadStyles() {
  if (document.querySelector('link[href="/pwa/hazards.css"]')) return;
  document.head.append(h("link", { rel: "stylesheet", href: "/pwa/hazards.css" }));
}

/** The work lists this person has, in the order of the tabs. */
export function listsOf(user) {
  if (!isManager(user)) return ["assigned_to_me", "reported_by_me"];
  return ["to_assign", "to_verify", "triage", ...(user.role === "county_admin" ? ["supervised"] : []),
    "overdue", "assigned_to_me", "reported_by_me"];
}

export function tabs(user, current, navigate) {
  return h("nav", { class: "tabs hazard-tabs", "aria-label": t("hazards.title") },
    ...listsOf(user).map((key) => h("a", {
      href: `/app/hazards/${key}`, "aria-current": key === current ? "page" : null, text: t(`hazards.list.${key}`),
      onclick: (event) => { event.preventDefault(); navigate(`/app/hazards/${key}`); },
    })));
}

export function link(path, text, navigate, props = {}) {
  return h("a", { href: path, ...props, onclick: (event) => { event.preventDefault(); navigate(path); } }, text);
}

export function stateChip(state) {
  return h("span", { class: `chip state-${state}`, text: t(`hazard.state.${state}`) });
}

export { levelChip };

export function supervisedBadge() {
  return h("span", { class: "chip supervised", text: t("hazard.supervised") });
}

/** Where the hazard is: its risk point (and the point's place), or the place in words. */
export function whereText(hazard) {
  if (hazard.point) return [hazard.point.name, hazard.point.location].filter(Boolean).join(" · ");
  return hazard.place || "";
}

export function isOverdue(hazard, now = Date.now()) {
  return Boolean(hazard.deadline) && ["assigned", "rectified"].includes(hazard.state) && Date.parse(hazard.deadline) < now;
}

/** The deadline, in red once it has passed while the work is still open; `bare`: the time alone. */
export function deadlineLine(hazard, { bare = false } = {}) {
  if (!hazard.deadline) return null;
  const overdue = isOverdue(hazard);
  const when = formatTime(hazard.deadline);
  const text = overdue ? t("hazard.overdue_since", { when }) : bare ? when : t("hazard.deadline_at", { when });
  return h("span", { class: overdue ? "deadline overdue" : "deadline", text });
}

/** A photo as a small picture (the server's 320 px thumbnail) opening the full image. */
export function photoThumb(id, alt = "") {
  return h("a", { href: `/api/photos/${id}`, target: "_blank", rel: "noopener", class: "photo" },
    h("img", { src: `/api/photos/${id}?size=thumb`, alt, loading: "lazy" }));
}

export function photoStrip(ids, alt = "") {
  return h("div", { class: "photo-strip" }, ids.map((id) => photoThumb(id, alt)));
}

/** Upload photos one by one; answers their ids, or the first refusal. */
export async function uploadPhotos(blobs) {
  const ids = [];
  for (const [i, blob] of blobs.entries()) {
    const form = new FormData();
    form.append("file", blob, `photo-${i}.jpg`);
    const response = await api("/api/photos", { method: "POST", body: form });
    if (!response.ok) return { refusal: response };
    ids.push(response.data.id);
  }
  return { ids };
}

/** One hazard in a list: its colour, number, state, words, where, deadline, and first photo. */
export function hazardRow(hazard, navigate, { showSchool = false } = {}) {
  const path = `/app/hazards/${hazard.id}`;
  return h("li", { class: `hazard-row level-${hazard.risk_level}`, dataset: { hazardId: String(hazard.id) } },
    link(path, [
      hazard.photo_ids.length ? h("img", { src: `/api/photos/${hazard.photo_ids[0]}?size=thumb`, alt: "", loading: "lazy" }) : null,
      h("div", { class: "summary" },
        h("div", { class: "line" }, h("strong", { text: hazard.number }), stateChip(hazard.state),
          hazard.supervised ? supervisedBadge() : null),
        h("p", { class: "description", text: hazard.description }),
        h("p", { class: "muted", text: [whereText(hazard), showSchool ? hazard.school.name : null].filter(Boolean).join(" · ") }),
        deadlineLine(hazard)),
    ], navigate));
}
