// When a point asks to be inspected, beyond its cadence: school days only, and seasons with a cadence of their own.
import { h } from "../dom.js";
import { dueChipText } from "../due.js";
import { monthName, t } from "../i18n.js";
import { FREQUENCIES } from "./shared.js";

let editors = 0;

/**
 * The "school days only" box and the seasons editor, for a point (or a new one). Their controls
 * have no `name`, so a form's own values leave them out: `value()` is what the API takes.
 */
export function scheduleFields(point = {}) {
  const schoolDays = h("input", { type: "checkbox", checked: Boolean(point.school_days_only) });
  const names = h("datalist", { id: `vacation-names-${++editors}` },
    ...t("season.vacation_names").split(",").map((name) => h("option", { value: name.trim() })));
  const list = h("ol", { class: "seasons" });
  let rows = [];
  const add = (season) => {
    const row = seasonRow(season, names.id, () => { rows = rows.filter((r) => r !== row); row.element.remove(); });
    rows.push(row);
    list.append(row.element);
  };
  (point.seasons || []).forEach(add);
  return {
    elements: [
      h("label", { class: "check school-days" }, schoolDays, h("span", { text: t("season.school_days_only") })),
      h("fieldset", { class: "seasons-editor" }, h("legend", { text: t("season.title") }),
        h("p", { class: "muted small", text: t("season.hint") }), list, names,
        h("button", { type: "button", class: "secondary", text: t("season.add"), onclick: () => add({ frequency: "weekly" }) })),
    ],
    value: () => ({ school_days_only: schoolDays.checked, seasons: rows.map((row) => row.value()) }),
    reset: () => { schoolDays.checked = false; rows.forEach((row) => row.element.remove()); rows = []; },
  };
}

/** Only what changed of a point's schedule (the history reads better). */
export function scheduleChanges(point, value) {
  const json = {};
  if (value.school_days_only !== Boolean(point.school_days_only)) json.school_days_only = value.school_days_only;
  if (JSON.stringify(canonical(value.seasons)) !== JSON.stringify(canonical(point.seasons || []))) json.seasons = value.seasons;
  return json;
}

function canonical(seasons) {
  return seasons.map((s) => (s.vacation !== undefined
    ? { frequency: s.frequency, vacation: s.vacation }
    : { frequency: s.frequency, start: s.start, end: s.end }));
}

/** The point's state now, as a chip with its details beside it; nothing for a point that asks for nothing. */
export function dueChip(due) {
  const chip = dueChipText(due);
  return chip ? h("span", { class: `chip due-${chip.state}`, title: chip.title, text: chip.text }) : null;
}

/** One season: its cadence, and either from a day to a day (month, day) or a vacation of the county calendar. */
function seasonRow(season, namesId, remove) {
  const frequency = h("select", { "aria-label": t("season.frequency") },
    ...FREQUENCIES.map((f) => h("option", { value: f, text: t(`frequency.${f}`) })));
  frequency.value = season.frequency || "weekly";
  const kind = h("select", { "aria-label": t("season.kind") },
    h("option", { value: "dates", text: t("season.kind_dates") }),
    h("option", { value: "vacation", text: t("season.kind_vacation") }));
  kind.value = season.vacation !== undefined ? "vacation" : "dates";
  const [fromMonth, fromDay] = monthDay(season.start, t("season.from_month"), t("season.from_day"));
  const [toMonth, toDay] = monthDay(season.end, t("season.to_month"), t("season.to_day"));
  const dates = h("span", { class: "dates" }, fromMonth, fromDay, h("span", { text: t("season.to") }), toMonth, toDay);
  const vacation = h("input", { class: "vacation", list: namesId, maxlength: "50", value: season.vacation ?? "",
    "aria-label": t("season.vacation"), placeholder: t("season.vacation") });
  const showKind = () => {
    const byDates = kind.value === "dates";
    dates.hidden = !byDates;
    vacation.hidden = byDates;
    // only what is shown is required: the form's own check then asks for what is missing
    for (const control of [fromMonth, fromDay, toMonth, toDay]) control.required = byDates;
    vacation.required = !byDates;
  };
  kind.addEventListener("change", showKind);
  showKind();
  const element = h("li", { class: "season" }, frequency, kind, dates, vacation,
    h("button", { type: "button", class: "link", text: t("season.remove"), onclick: remove }));
  const value = () => (kind.value === "vacation"
    ? { frequency: frequency.value, vacation: vacation.value.trim() }
    : { frequency: frequency.value, start: [Number(fromMonth.value), Number(fromDay.value)],
      end: [Number(toMonth.value), Number(toDay.value)] });
  return { element, value };
}

function monthDay([month, day] = [], monthLabel, dayLabel) {
  const months = h("select", { class: "month", "aria-label": monthLabel }, h("option", { value: "", text: "—" }),
    ...Array.from({ length: 12 }, (_, i) => h("option", { value: String(i + 1), text: monthName(i + 1) })));
  months.value = month ? String(month) : "";
  const days = h("input", { type: "number", class: "day", min: "1", max: "31", inputmode: "numeric",
    value: day ?? "", "aria-label": dayLabel, placeholder: t("season.day") });
  return [months, days];
}
