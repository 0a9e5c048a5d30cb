// 消息: the escalation steps that told me, newest first, the unread ones marked; opening one
// reads it and goes to its point or hazard. Township and county staff also have 升级督办:
// every open escalation of their area that reached the township. Web Push is turned on here.
import { api, NetworkError } from "../api.js";
import { h, show } from "../dom.js";
import { formatTime, serverMessage, t } from "../i18n.js";
import { watchesEscalations } from "../roles.js";
import { refreshUnread } from "../unread.js";
import { link, loadStyles } from "../hazards/common.js";
import { claim, currentSubscription, pushKey, turnOff, turnOn } from "./push.js";
import { levelText, stateChip } from "./steps.js";

const PAGE_SIZE = 30;

export async function inboxScreen(user, navigate, tab) {
  loadStyles();
  const escalated = tab === "escalated" && watchesEscalations(user);
  const list = h("ul", { class: "inbox" }, h("li", { class: "muted", text: t("app.loading") }));
  const more = h("button", { type: "button", class: "secondary wide", hidden: true, text: t("inbox.more") });
  const readAll = h("button", { type: "button", class: "secondary read-all", hidden: true, text: t("inbox.read_all") });
  show(h("section", { class: "inbox-screen" },
    h("div", { class: "inbox-head" }, h("h1", { text: t("inbox.title") }), escalated ? null : readAll),
    watchesEscalations(user) ? tabs(escalated, navigate) : null,
    escalated ? null : pushBox(),
    list, more));

  const source = escalated ? "/api/escalations?open=true&min_level=3&" : "/api/notifications?";
  const row = escalated ? (e) => escalationRow(e, navigate) : (n) => noticeRow(n, navigate);
  let page = 0;
  let shown = 0;
  const load = async () => {
    page += 1;
    more.disabled = true;
    let response;
    try {
      response = await api(`${source}page=${page}&page_size=${PAGE_SIZE}`);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      response = { ok: false, data: { message: t("error.network") } };
    } finally {
      more.disabled = false;
    }
    if (!response.ok) {
      page -= 1;
      if (!shown) list.replaceChildren(h("li", { class: "error", text: serverMessage(response.data, "error.server") }));
      return;
    }
    if (page === 1) list.replaceChildren();
    list.append(...response.data.map(row));
    shown += response.data.length;
    if (!shown) list.append(h("li", { class: "muted empty", text: escalated ? t("inbox.none_escalated") : t("inbox.none") }));
    more.hidden = shown >= (response.total ?? shown);
    readAll.hidden = !list.querySelector('[data-unread="true"]');
  };
  more.addEventListener("click", load);
  readAll.addEventListener("click", async () => {
    readAll.disabled = true;
    try {
      const response = await api("/api/notifications", { method: "POST", json: {} });
      if (!response.ok) return;
      for (const item of list.querySelectorAll('[data-unread="true"]')) item.dataset.unread = "false";
      readAll.hidden = true;
      refreshUnread({ force: true });
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
    } finally {
      readAll.disabled = false;
    }
  });
  await load();
}

function tabs(escalated, navigate) {
  const tab = (path, text, current) => link(path, text, navigate, { "aria-current": current ? "page" : null });
  return h("nav", { class: "tabs hazard-tabs", "aria-label": t("inbox.title") },
    tab("/app/inbox", t("inbox.mine"), !escalated), tab("/app/inbox/escalated", t("inbox.escalated"), escalated));
}

const PATHS = { hazard: "/app/hazards/", point: "/app/points/", report: "/app/hazards/triage/" };

function subjectPath(escalation) {
  return `${PATHS[escalation.subject] || PATHS.point}${escalation.subject_id}`;
}

/** What a hand-off asks of me, in my language: "交办给您整改 · 限 12月9日 10:00 前". */
function handoffLines(notice) {
  const details = notice.details || {};
  const what = t(`handoff.${notice.kind}`, { n: details.count ?? 0 });
  const extra = [];
  if (details.deadline) extra.push(t("handoff.deadline", { when: formatTime(details.deadline) }));
  if (details.from_unit) extra.push(t("handoff.from_unit", { unit: details.from_unit }));
  if (notice.actor_name) extra.push(t("handoff.by", { name: notice.actor_name }));
  return { what, extra: extra.join(" · ") };
}

/** One notice: what happened, where, the level that told me (or who handed it on); opening it marks it read. */
function noticeRow(notice, navigate) {
  const escalation = notice.escalation;
  const path = notice.path || subjectPath(escalation);
  const item = h("li", { class: `inbox-row level-${notice.risk_level || "none"}`,
    dataset: { unread: String(!notice.read_at), notificationId: String(notice.id), kind: notice.kind || "escalation" } });
  const open = (event) => {
    event.preventDefault();
    if (item.dataset.unread === "true") {
      item.dataset.unread = "false";
      api("/api/notifications", { method: "POST", json: { ids: [notice.id] } })
        .then(() => refreshUnread({ force: true }), () => {});
    }
    navigate(path);
  };
  if (!escalation) {
    const { what, extra } = handoffLines(notice);
    item.append(h("a", { href: path, onclick: open },
      h("div", { class: "line" }, h("strong", { text: what }),
        h("span", { class: "chip handoff-kind", text: t("handoff.chip") })),
      notice.title ? h("p", { class: "line" }, h("span", { class: "title", text: notice.title })) : null,
      extra ? h("p", { class: "muted handoff-extra", text: extra }) : null,
      h("p", { class: "muted", text: `${notice.school_name} · ${formatTime(notice.created_at)}` })));
    return item;
  }
  item.append(h("a", { href: path, onclick: open },
    h("div", { class: "line" },
      h("strong", { text: t(`trigger.${escalation.trigger}`) }),
      h("span", { class: "chip told-level", text: levelText(notice.level) })),
    h("p", { class: "line" }, h("span", { class: "title", text: escalation.title }),
      escalation.resolved_at ? h("span", { class: "chip escalation-resolved", text: t("escalation.state.resolved") }) : null),
    h("p", { class: "muted", text: `${escalation.school_name} · ${formatTime(notice.created_at)}` })));
  return item;
}

/** One open escalation of my area (升级督办): what, where, the level it reached, since when. */
function escalationRow(escalation, navigate) {
  return h("li", { class: `inbox-row level-${escalation.risk_level}`, dataset: { escalationId: String(escalation.id) } },
    link(subjectPath(escalation), [
      h("div", { class: "line" }, h("strong", { text: t(`trigger.${escalation.trigger}`) }), stateChip(escalation)),
      h("p", { class: "title", text: escalation.title }),
      h("p", { class: "muted", text: `${escalation.school_name} · ${t("escalation.since", { when: formatTime(escalation.began_at) })}` }),
    ], navigate));
}

/** 开启消息推送, where this browser has Web Push and the server a key; and the way to turn it off. */
function pushBox() {
  const box = h("div", { class: "push-box card", hidden: true });
  offerPush(box);
  return box;
}

async function offerPush(box) {
  const key = await pushKey();
  if (!key) return;
  let subscription;
  try {
    subscription = await currentSubscription();
  } catch {
    return; // no service worker here: no push
  }
  if (subscription) claim(subscription).catch(() => {}); // this browser now tells whoever is logged in
  const error = h("p", { class: "error", role: "alert" });
  const act = (work) => async (event) => {
    event.target.disabled = true;
    error.textContent = "";
    try {
      await work();
    } catch (err) {
      error.textContent = err instanceof NetworkError ? t("error.network") : t("push.failed", { why: err.message });
    } finally {
      event.target.disabled = false;
    }
    paint();
  };
  const on = act(async () => {
    if (await turnOn(key) === "granted") subscription = await currentSubscription();
  });
  const off = act(async () => {
    await turnOff(subscription);
    subscription = null;
  });
  const paint = () => {
    const denied = !subscription && Notification.permission === "denied";
    box.dataset.push = subscription ? "on" : denied ? "denied" : "off";
    const text = subscription ? t("push.on") : denied ? t("push.denied") : t("push.offer");
    const button = subscription ? h("button", { type: "button", class: "link", text: t("push.turn_off"), onclick: off })
      : denied ? null : h("button", { type: "button", class: "secondary", text: t("push.turn_on"), onclick: on });
    box.replaceChildren(...[h("p", { text }), button, error].filter(Boolean));
    box.hidden = false;
  };
  paint();
}
