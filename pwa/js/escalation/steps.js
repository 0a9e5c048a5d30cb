// A point's or a hazard's escalations (逐级上报): what started each, the level it reached, each
// step with who it told and who acknowledged it with what note; and, for the people of the
// current level, the form that says they are on it (which holds the climb for a day).
import { api, keyedWrite, NetworkError } from "../api.js";
import { h, toast } from "../dom.js";
import { formatTime, t } from "../i18n.js";
import { mayAcknowledge } from "../roles.js";
import { field, showRefusal } from "../admin/shared.js";

/** The level in words: "第2级 · 学校". */
export function levelText(level) {
  return t("escalation.at_level", { n: level, name: t(`escalation.level.${level}`) });
}

/** open, held (acknowledged: the climb waits) or resolved; "waiting" before its first step. */
export function escalationState(escalation, now = Date.now()) {
  if (escalation.resolved_at) return "resolved";
  if (escalation.held_until && Date.parse(escalation.held_until) > now) return "held";
  return escalation.level ? "open" : "waiting";
}

/** The level it reached, or 已解除 / 待升级. */
export function stateChip(escalation) {
  const state = escalationState(escalation);
  const text = ["open", "held"].includes(state) ? levelText(escalation.level) : t(`escalation.state.${state}`);
  return h("span", { class: `chip escalation-${state}`, text });
}

/**
 * The escalations of one point or hazard, newest first, as a section that fills itself in;
 * it stays empty (and hidden) when there are none, or when they cannot be read.
 */
export function escalationSection(user, subject, id) {
  const section = h("section", { class: "escalations", hidden: true });
  api(`/api/escalations?subject=${subject}&subject_id=${id}&page_size=20`).then((response) => {
    if (!response.ok || !response.data.length) return;
    section.replaceChildren(h("h2", { text: t("escalation.title") }),
      h("ul", { class: "escalation-list" }, response.data.map((escalation) => escalationItem(user, escalation))));
    section.hidden = false;
  }, (err) => { if (!(err instanceof NetworkError)) throw err; });
  return section;
}

function escalationItem(user, escalation) {
  const item = h("li", { class: "escalation", dataset: { escalationId: String(escalation.id) } });
  const render = (shown) => {
    const state = escalationState(shown);
    item.dataset.state = state;
    const current = shown.steps.find((step) => step.level === shown.level);
    const canAck = ["open", "held"].includes(state) && current && !current.acknowledged_at && mayAcknowledge(user, shown.level);
    item.replaceChildren(...[
      h("div", { class: "line" }, h("strong", { text: t(`trigger.${shown.trigger}`) }), stateChip(shown)),
      h("p", { class: "muted since", text: t("escalation.since", { when: formatTime(shown.began_at) }) }),
      state === "held" ? h("p", { class: "held", text: t("escalation.held_until", { when: formatTime(shown.held_until) }) }) : null,
      state === "resolved" ? h("p", { class: "muted", text: t("escalation.resolved_at", { when: formatTime(shown.resolved_at) }) }) : null,
      h("ol", { class: "steps" }, shown.steps.map(stepItem)),
      canAck ? ackForm(shown, render) : null,
    ].filter(Boolean)); // replaceChildren would write a null as "null"
  };
  render(escalation);
  return item;
}

function stepItem(step) {
  const told = step.told.map((person) => person.name).join(t("escalation.list_separator"));
  return h("li", { class: "step", dataset: { level: String(step.level), acknowledged: String(Boolean(step.acknowledged_at)) } },
    h("div", { class: "line" }, h("strong", { text: levelText(step.level) }), h("span", { class: "muted", text: formatTime(step.at) })),
    h("p", { class: "told", text: told ? t("escalation.told", { who: told }) : t("escalation.told_nobody") }),
    step.acknowledged_at
      ? h("div", { class: "ack" },
        h("p", { text: t("escalation.acknowledged_by", { who: step.acknowledged_by_name || "", when: formatTime(step.acknowledged_at) }) }),
        step.note ? h("p", { class: "note", text: step.note }) : null)
      : h("p", { class: "muted", text: t("escalation.not_acknowledged") }));
}

/** 已知悉,正在处理: a note is required; the answer is the escalation as it now stands. */
function ackForm(escalation, done) {
  const write = keyedWrite(); // a retried tap counts once
  const note = h("textarea", { name: "note", rows: 2, maxlength: "2000", required: true });
  const error = h("div", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary", text: t("escalation.acknowledge") });
  return h("form", { class: "ack-form", onsubmit: async (event) => {
    event.preventDefault();
    error.replaceChildren();
    if (!note.value.trim()) { error.textContent = t("escalation.note_needed"); return; }
    submit.disabled = true;
    try {
      const response = await write(`/api/escalations/${escalation.id}/acknowledge`, { method: "POST", json: { note: note.value.trim() } });
      if (!response.ok) return showRefusal(error, response);
      toast(t("escalation.acknowledged"));
      done(response.data);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      error.textContent = t("error.network");
    } finally {
      submit.disabled = false;
    }
  } },
  h("p", { class: "hint muted", text: t("escalation.acknowledge_hint") }),
  field("escalation.note", note), error, submit);
}
