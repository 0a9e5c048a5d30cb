// 报表: the managers' oversight screens, 日排查 (daily), 周研判 (weekly) and 月调度 (monthly). Loaded
// only when a manager opens one, with their own strings, styles and charting library.
import { h, show, toast } from "../dom.js";
import { dailyReport } from "./daily.js";
import { monthlyReport } from "./monthly.js";
import { loadStrings, t } from "./strings.js";
import { weeklyReport } from "./weekly.js";

const KINDS = { daily: dailyReport, weekly: weeklyReport, monthly: monthlyReport };

function loadStyles() {
  for (const href of ["/pwa/admin.css", "/pwa/reports.css"]) {
    if (!document.querySelector(`link[href="${href}"]`)) document.head.append(h("link", { rel: "stylesheet", href }));
  }
}

/** The screen for /app/reports/<kind>?period=…&unit_id=…; the pickers change the address, so Back goes back. */
export async function reportsScreen(user, navigate, kind, search) {
  loadStyles();
  try {
    await loadStrings();
  } catch {
    toast(t("error.network"));
    return;
  }
  const current = KINDS[kind] ? kind : "daily";
  const params = new URLSearchParams(search);
  const query = { period: params.get("period") || "", unit_id: Number(params.get("unit_id")) || null };
  const go = (next) => {
    const merged = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) merged.set(key, String(value));
    const text = merged.toString();
    navigate(`/app/reports/${current}${text ? `?${text}` : ""}`);
  };
  const link = (path, text, attrs = {}) => h("a", {
    href: path, text, ...attrs, onclick: (event) => { event.preventDefault(); navigate(path); },
  });
  const body = h("div", { class: "report-body" }, h("p", { class: "muted", text: t("app.loading") }));
  show(h("section", { class: "admin reports", dataset: { report: current } },
    h("div", { class: "report-head" },
      h("h1", { text: t(`report.${current}.title`) }),
      link("/app/admin/points", t("report.to_admin"), { class: "to-admin" })),
    h("p", { class: "muted", text: `${user.display_name} · ${user.org_unit.name}` }),
    h("nav", { class: "tabs", "aria-label": t("report.tabs") },
      ...Object.keys(KINDS).map((key) => link(`/app/reports/${key}`, t(`report.${key}.tab`),
        { "aria-current": key === current ? "page" : null }))),
    body));
  try {
    await KINDS[current](body, { user, query, go, navigate });
  } catch (err) {
    body.replaceChildren(h("p", { class: "error", role: "alert", text: err.message || t("error.network") }));
  }
}
