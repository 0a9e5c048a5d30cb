// The 消息 link in the top bar, with how many notices (hand-offs, escalation steps) are unread. Asked when the
// home screen opens and when the app comes back to the front, at most once a minute, never on
// a timer; at once after reading some, or when the service worker shows a push.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { hasInbox } from "./roles.js";

const QUIET_MS = 60 * 1000;
let owner = null; // the person whose count is shown
let askedAt = 0;
let asking = null;

function link() {
  return document.getElementById("inbox-link");
}

/** Show the link and count the person's unread notices. */
export function startUnread(user) {
  owner = hasInbox(user) ? user.id : null;
  askedAt = 0;
  link().hidden = owner === null;
  show(0);
  if (owner !== null) refreshUnread({ force: true });
}

export function stopUnread() {
  owner = null;
  link().hidden = true;
}

function show(n) {
  const el = link();
  const count = el.querySelector(".count");
  count.textContent = String(n);
  count.hidden = n === 0;
  el.dataset.unread = String(n);
  el.setAttribute("aria-label", n ? t("inbox.bell_unread", { n }) : t("inbox.bell"));
}

/** Ask the server how many are unread; skipped within a minute of the last time unless forced. */
export function refreshUnread({ force = false } = {}) {
  if (asking) return force ? asking.then(() => refreshUnread({ force })) : asking; // a forced one asks after
  if (owner === null || (!force && Date.now() - askedAt < QUIET_MS)) return Promise.resolve();
  const asker = owner;
  askedAt = Date.now();
  asking = api("/api/notifications?unread=true&page_size=1")
    .then((response) => {
      if (response.ok && response.total !== null && owner === asker) show(response.total);
    }, () => {}) // offline: the last count stays
    .finally(() => { asking = null; });
  return asking;
}
