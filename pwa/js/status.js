// A public report's progress, for its sender: the page their receipt's link (/r/<token>) opens.
// No account and no cookie (credentials "omit"), so it works in WeChat's browser and on any phone
// the link is passed to; the server answers only a state code, the school, the days and a reason.
import { h, show } from "./dom.js";
import { formatDate, serverMessage, t } from "./i18n.js";

/** The steps a report goes through when it is taken up; "not_accepted" leaves them. */
const STEPS = ["received", "accepted", "rectifying", "closed"];

function qrPath(token) {
  return `/api/public/report-status/${encodeURIComponent(token)}/qr.png`;
}

/** The status token at the end of a receipt's status_url (https://…/r/<token>). */
export function tokenOf(statusUrl) {
  return decodeURIComponent(new URL(statusUrl, location.href).pathname.split("/").pop());
}

/**
 * What the thank-you screen shows: the link to keep and its QR code. The link comes with the
 * POST's answer, so it shows even if the network is gone by now; the QR image then just stays away.
 */
export function statusLink(statusUrl) {
  const copied = h("span", { class: "muted small", role: "status" });
  const copy = navigator.clipboard && h("button", { type: "button", class: "secondary", text: t("status.copy"), onclick: async () => {
    try {
      await navigator.clipboard.writeText(statusUrl);
      copied.textContent = t("status.copied");
    } catch {
      copied.textContent = t("status.copy_failed");
    }
  } });
  const qr = h("img", { class: "status-qr", src: qrPath(tokenOf(statusUrl)), alt: t("status.qr_alt"), width: "200", height: "200",
    onerror: () => { qr.hidden = true; } });
  return h("div", { class: "status-link" },
    h("p", { text: t("status.keep") }),
    h("p", {}, h("a", { href: statusUrl, class: "status-url", text: statusUrl })),
    h("p", {}, copy, copied),
    qr,
    h("p", { class: "muted small", text: t("status.keep_qr") }));
}

async function load(token) {
  const response = await fetch(`/api/public/report-status/${encodeURIComponent(token)}`,
    { credentials: "omit", cache: "no-store", headers: { Accept: "application/json" } });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  return { status: response.status, ok: response.ok, data };
}

export async function statusScreen(token) {
  show(h("p", { class: "muted", text: t("app.loading") }));
  let answer;
  try {
    answer = await load(token);
  } catch {
    show(h("div", { class: "card snap status" }, h("h1", { text: t("status.title") }),
      h("p", { class: "error", role: "alert", text: t("status.offline") }),
      h("button", { type: "button", class: "secondary wide", text: t("snap.try_again"), onclick: () => statusScreen(token) })));
    return;
  }
  if (!answer.ok) {
    const why = answer.status === 404 ? t("status.unknown") : serverMessage(answer.data, "status.failed");
    show(h("div", { class: "card snap status" }, h("h1", { text: t("status.title") }),
      h("p", { class: "error", role: "alert", text: why })));
    return;
  }
  page(token, answer.data);
}

function page(token, report) {
  const state = report.status;
  const reached = STEPS.indexOf(state);
  const steps = state === "not_accepted" ? null : h("ol", { class: "status-steps" },
    STEPS.map((step, i) => h("li", { class: i < reached ? "done" : i === reached ? "now" : "later",
      "aria-current": i === reached ? "step" : null, text: t(`status.step.${step}`) })));
  show(h("div", { class: "card snap status", dataset: { state } },
    h("h1", { text: t("status.title") }),
    h("p", { class: "school", text: report.school }),
    h("p", { class: `status-state state-${state}`, role: "status", text: t(`status.state.${state}`) }),
    h("p", { text: t(`status.explain.${state}`) }),
    steps,
    h("dl", { class: "status-facts" },
      h("dt", { text: t("status.sent_on") }), h("dd", { text: formatDate(report.sent_on) }),
      report.closed_on && [h("dt", { text: t("status.closed_on") }), h("dd", { text: formatDate(report.closed_on) })],
      report.reason && [h("dt", { text: t("status.reason") }), h("dd", { class: "status-reason", text: report.reason })]),
    h("button", { type: "button", class: "secondary wide", text: t("status.refresh"), onclick: () => statusScreen(token) })));
}
