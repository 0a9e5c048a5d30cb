// The forms behind a hazard's buttons: one per action the server allows this person now.
import { keyedWrite, NetworkError } from "../api.js";
import { h, toast } from "../dom.js";
import { formatTime, t } from "../i18n.js";
import { photoPicker } from "../photos.js";
import { field, getList, levelOptions, select, showRefusal } from "../admin/shared.js";
import { uploadPhotos } from "./common.js";

/** The order of the buttons; the server's allowed_actions decides which appear. */
export const ACTIONS = ["rectify", "assign", "verify", "reject", "pass_up", "merge", "void", "supervise", "unsupervise"];
/** The step that moves the work on: the main button. */
const MAIN = new Set(["rectify", "assign", "verify"]);
/** Actions that end or send back the work: shown in red. */
const GRAVE = new Set(["reject", "void"]);
/** Actions whose note is required by the server. */
const NOTE_REQUIRED = new Set(["rectify", "reject", "pass_up", "void", "supervise", "unsupervise"]);


export function actionButton(action, onclick) {
  return h("button", { type: "button", class: `${MAIN.has(action) ? "primary" : "secondary"} action ${GRAVE.has(action) ? "grave" : ""}`,
    dataset: { action }, text: t(`hazard.do.${action}`), onclick });
}

/** The form for one action; `done(hazard)` receives the hazard as the server answers it. */
export async function actionForm(action, hazard, { done, intoId } = {}) {
  const write = keyedWrite(); // a retried tap counts once
  const error = h("div", { class: "error", role: "alert" });
  const note = h("textarea", { name: "note", rows: 2, maxlength: "2000", required: NOTE_REQUIRED.has(action) });
  const extra = await FIELDS[action]?.(hazard, { intoId });
  const submit = h("button", { type: "submit", class: `primary ${GRAVE.has(action) ? "grave" : ""}`, text: t(`hazard.confirm.${action}`) });
  const form = h("form", { class: "action-form card", dataset: { action }, onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    submit.disabled = true;
    try {
      const json = { ...(await extra?.values?.()), ...(note.value.trim() ? { note: note.value.trim() } : {}) };
      if (json.refusal) return showRefusal(error, json.refusal);
      const response = await write(`/api/hazards/${hazard.id}/${action.replace("_", "-")}`, { method: "POST", json });
      if (!response.ok) return showRefusal(error, response);
      toast(t(`hazard.done.${action}`));
      done(response.data);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      error.textContent = t("error.network");
    } finally {
      submit.disabled = false;
    }
  } },
  h("h2", { text: t(`hazard.do.${action}`) }),
  ...(extra?.fields || []),
  field(NOTE_REQUIRED.has(action) ? `hazard.note_required.${action}` : "hazard.note", note),
  error, submit);
  return form;
}

const FIELDS = {
  assign: assignFields,
  rectify: rectifyFields,
  pass_up: passUpFields,
  merge: mergeFields,
};

/** The people who may rectify: active, at the hazard's school or a unit above it, up to its holder. */
async function rectifiers(hazard) {
  const [people, units] = await Promise.all([getList("/api/users"), getList("/api/org-units").catch(() => null)]);
  const active = people.filter((p) => p.active);
  if (!units) return active;
  const byId = new Map(units.map((u) => [u.id, u]));
  const chain = new Set();
  for (let unit = byId.get(hazard.school.id); unit; unit = byId.get(unit.parent_id)) {
    chain.add(unit.id);
    if (unit.id === hazard.holder.id) break;
  }
  return active.filter((p) => chain.has(p.org_unit.id));
}

async function assignFields(hazard) {
  const people = await rectifiers(hazard);
  const rectifier = select("rectifier_id", people.map((p) => [p.id, `${p.display_name} · ${p.org_unit.name}`]),
    { any: "assign.pick_rectifier", value: hazard.rectifier?.id ?? "" });
  rectifier.required = true;
  const level = select("risk_level", levelOptions(), { value: hazard.risk_level });
  const deadline = h("input", { name: "deadline", type: "datetime-local" });
  const hint = h("p", { class: "muted hint" });
  const showDefault = () => {
    // the server's defaults (HAZARD_DEADLINE_HOURS), sent with the hazard to whoever may assign it
    const hours = hazard.deadline_hours?.[level.value];
    hint.textContent = deadline.value || hours === undefined ? "" : t("assign.deadline_default", { when: formatTime(new Date(Date.now() + hours * 3600e3).toISOString()) });
  };
  level.addEventListener("change", showDefault);
  deadline.addEventListener("input", showDefault);
  showDefault();
  const responsibility = h("input", { name: "responsibility", maxlength: "200", value: hazard.responsibility || "" });
  const measures = h("textarea", { name: "measures", rows: 2, maxlength: "2000" });
  measures.value = hazard.measures || "";
  const funds = h("input", { name: "funds_yuan", type: "number", min: "0", step: "0.01", inputmode: "decimal", value: hazard.funds_yuan ?? "" });
  return {
    fields: [field("assign.rectifier", rectifier), field("assign.level", level), field("assign.deadline", deadline), hint,
      field("assign.responsibility", responsibility), field("assign.measures", measures), field("assign.funds", funds)],
    values: () => ({
      rectifier_id: Number(rectifier.value),
      risk_level: level.value,
      ...(deadline.value ? { deadline: new Date(deadline.value).toISOString() } : {}),
      responsibility: responsibility.value.trim(),
      measures: measures.value.trim(),
      ...(funds.value !== "" ? { funds_yuan: funds.value } : {}),
    }),
  };
}

async function rectifyFields() {
  const photos = photoPicker({ max: 9 });
  return {
    fields: [h("p", { class: "muted", text: t("rectify.photo_hint") }), photos.el],
    values: async () => {
      const blobs = await photos.blobs();
      if (!blobs.length) return { photo_ids: [] }; // the server says what is missing, in one place
      const { ids, refusal } = await uploadPhotos(blobs);
      return refusal ? { refusal } : { photo_ids: ids };
    },
  };
}

async function passUpFields(hazard) {
  const targets = hazard.holder.kind === "school" ? ["township", "county"] : ["county"];
  const to = select("to", targets.map((k) => [k, t(`pass_up.to.${k}`)]));
  return { fields: [field("pass_up.to", to)], values: () => ({ to: to.value }) };
}

async function mergeFields(hazard, { intoId }) {
  // the possible duplicates first, then the school's other open hazards
  const open = (await getList(`/api/hazards?school_id=${hazard.school.id}&open=true&page_size=200`))
    .filter((other) => other.id !== hazard.id);
  const dupIds = new Set(hazard.possible_duplicates.map((d) => d.id));
  const options = [...hazard.possible_duplicates.map((d) => [d.id, `${d.number} · ${d.description}`]),
    ...open.filter((o) => !dupIds.has(o.id)).map((o) => [o.id, `${o.number} · ${o.description}`])];
  const into = select("into_id", options, { any: "merge.pick", value: intoId ?? "" });
  into.required = true;
  return { fields: [field("merge.into", into)], values: () => ({ into_id: Number(into.value) }) };
}

