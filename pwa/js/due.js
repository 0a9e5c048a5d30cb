// A point's schedule state in words: overdue since a day, due today, this week or by a day, done until a day.
import { formatDay, t } from "./i18n.js";

/** Local midnight `days` days after the day of `moment`. */
function midnight(moment, days) {
  const day = new Date(moment);
  day.setHours(0, 0, 0, 0);
  day.setDate(day.getDate() + days);
  return day;
}

/**
 * The state now, from the server's: a list read from the worker's cache (offline) may have
 * passed a point's due time since it was fetched; past `due_at` a point is overdue.
 */
export function dueNow(due, now = new Date()) {
  if (!due || due.state === "none" || !due.due_at) return { state: "none" };
  const at = new Date(due.due_at); // the moment it becomes overdue: the local midnight after its last day
  if (due.state !== "overdue" && at <= now) return { state: "overdue", at, missed: 1 };
  return { state: due.state, at, missed: due.missed_periods || 0 };
}

/** The lines a patroller reads under a point's name; none for a point that asks for nothing. */
export function dueLines(due, now = new Date()) {
  const { state, at, missed } = dueNow(due, now);
  const lastDay = at && new Date(at.getTime() - 1);
  if (state === "overdue") {
    return [t("due.overdue", { day: formatDay(at) }), missed > 1 ? t("due.missed", { n: missed }) : null].filter(Boolean);
  }
  if (state === "due") {
    if (at <= midnight(now, 1)) return [t("due.today")];
    if (at <= midnight(now, 7 - ((now.getDay() + 6) % 7))) return [t("due.this_week")]; // by Monday's midnight
    return [t("due.by", { day: formatDay(lastDay) })];
  }
  if (state === "not_due") return [t("due.done", { day: formatDay(lastDay) })];
  return [];
}

/** A small chip for a register's row: 逾期, 待检 or 已完成, with the details as its title. */
export function dueChipText(due, now = new Date()) {
  const { state } = dueNow(due, now);
  const text = { overdue: t("due.chip.overdue"), due: t("due.chip.due"), not_due: t("due.chip.not_due") }[state];
  return text ? { state, text, title: dueLines(due, now).join(" · ") } : null;
}
