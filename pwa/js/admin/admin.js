// The administration screens, loaded only when a manager opens them: points, grids, import, print;
// and the way to the reports.
import { h, show } from "../dom.js";
import { t } from "../i18n.js";
import { checklistsSection } from "./checklists.js";
import { gridsSection } from "./grids.js";
import { importSection } from "./import.js";
import { peopleSection } from "./people.js";
import { pointsSection } from "./points.js";
import { printSection } from "./print.js";
import { unitsSection } from "./units.js";

const SECTIONS = {
  points: pointsSection, grids: gridsSection, people: peopleSection, checklists: checklistsSection,
  import: importSection, print: printSection, units: unitsSection,
};

function loadStyles() {
  if (document.querySelector('link[href="/pwa/admin.css"]')) return;
  document.head.append(h("link", { rel: "stylesheet", href: "/pwa/admin.css" }));
}

export function adminScreen(user, navigate, section) {
  loadStyles();
  const current = SECTIONS[section] ? section : "points";
  const body = h("div", { class: "admin-body" }, h("p", { class: "muted", text: t("app.loading") }));
  // townships and schools are the county's and townships' business; a school sees only itself there
  const keys = Object.keys(SECTIONS).filter((key) => key !== "units" || user.org_unit.kind !== "school");
  const tabs = h("nav", { class: "tabs", "aria-label": t("admin.title") },
    ...keys.map((key) => h("a", {
      href: `/app/admin/${key}`, "aria-current": key === current ? "page" : null, text: t(`admin.${key}`),
      onclick: (event) => { event.preventDefault(); navigate(`/app/admin/${key}`); },
    })),
    // the oversight reports (日排查、周研判、月调度): screens of their own, loaded when opened
    h("a", { href: "/app/reports/daily", class: "to-reports", text: t("admin.reports"),
      onclick: (event) => { event.preventDefault(); navigate("/app/reports/daily"); } }));
  show(h("section", { class: "admin" },
    h("h1", { text: t("admin.title") }),
    h("p", { class: "muted", text: `${user.display_name} · ${user.org_unit.name}` }), tabs, body));
  SECTIONS[current](body, { user, navigate }).catch((err) => {
    body.replaceChildren(h("p", { class: "error", role: "alert", text: err.message || t("error.network") }));
  });
}
