// Start the app: language, service worker, session, queue, then the screen for this address.
import { api, cachedUser, NetworkError } from "./api.js";
import { checklistScreen, prefetchScan } from "./checklist.js";
import { toast } from "./dom.js";
import { homeScreen, refreshPoints, renderRecent } from "./home.js";
import { initI18n, switchLanguage, t } from "./i18n.js";
import { loginScreen } from "./login.js";
import { passwordScreen } from "./password.js";
import { scanScreen } from "./scan.js";
import { onQueueChange, startQueue, stopQueue } from "./queue.js";
import { isManager } from "./roles.js";
import { refreshUnread, startUnread, stopUnread } from "./unread.js";

let user = null;

function navigate(path) {
  history.pushState({}, "", path);
  route();
}

function route() {
  const path = location.pathname;
  if (!user) {
    loginScreen(path + location.search, loggedIn);
    return;
  }
  if (user.must_change_password) {
    passwordScreen(user, passwordChanged);
    return;
  }
  const point = path.match(/^\/p\/([^/]+)$/);
  const admin = path.match(/^\/app\/admin(?:\/(\w+))?\/?$/);
  const hazards = path.match(/^\/app\/hazards(?:\/(\w+))?(?:\/(\d+))?\/?$/);
  const inbox = path.match(/^\/app\/inbox(?:\/(\w+))?\/?$/);
  const riskPoint = path.match(/^\/app\/points\/(\d+)\/?$/);
  const reports = path.match(/^\/app\/reports(?:\/(\w+))?\/?$/);
  if (point) checklistScreen(decodeURIComponent(point[1]), navigate);
  else if (hazards) hazardScreen(hazards[1] || "", hazards[2]);
  else if (inbox) load("./escalation/inbox.js", (m) => m.inboxScreen(user, navigate, inbox[1] || ""));
  else if (riskPoint) load("./points/detail.js", (m) => m.pointDetail(user, navigate, Number(riskPoint[1])));
  else if (admin && isManager(user)) {
    // loaded on first use: patrollers' phones never download the admin screens
    import("./admin/admin.js").then((m) => m.adminScreen(user, navigate, admin[1]), () => toast(t("error.network")));
  }
  else if (reports && isManager(user)) {
    load("./reports/reports.js", (m) => m.reportsScreen(user, navigate, reports[1] || "daily", location.search));
  }
  else if (path === "/app/scan") scanScreen(navigate);
  else if (path === "/app/sessions") load("./sessions.js", (m) => m.sessionsScreen(navigate));
  else {
    homeScreen(user, navigate, logout);
    refreshUnread();
  }
}

/** A screen loaded on first use (the inbox, a point's page, the hazard screens): they need the network anyway. */
function load(module, open) {
  return import(module).then(open, () => toast(t("error.network")));
}

/** The hazard screens, loaded on first use; the report screen is precached, so it opens offline too. */
function hazardScreen(first, second) {
  if (first === "new") load("./hazards/report.js", (m) => m.reportScreen(user, navigate));
  else if (/^\d+$/.test(first)) load("./hazards/detail.js", (m) => m.hazardDetail(user, navigate, Number(first)));
  else if (first === "triage" && second) load("./hazards/triage.js", (m) => m.reportDetail(user, navigate, Number(second)));
  else load("./hazards/lists.js", (m) => m.hazardsScreen(user, navigate, first));
}

/** The public pages, 随手拍 from a school's poster and a report's status link: anyone, with no account;
 * no session, queue or service worker. */
async function publicPage(module, open) {
  const screen = import(module); // loads while the catalog does
  screen.catch(() => {}); // a failure is shown below, once the words for it are loaded
  await initI18n();
  document.getElementById("lang-toggle").addEventListener("click", switchLanguage);
  document.querySelector(".bar .brand").setAttribute("href", location.pathname);
  try {
    open(await screen);
  } catch {
    toast(t("error.network"));
  }
}

function passwordChanged() {
  user = { ...user, must_change_password: false };
  localStorage.setItem("huxiao.user", JSON.stringify(user));
  route();
}

function loggedIn(person, next) {
  user = person;
  startQueue(user.id);
  startUnread(user);
  reclaimPush();
  history.replaceState({}, "", next && next !== "/app/login" ? next : "/app/");
  route();
}

async function logout() {
  await stopPush();
  try { await api("/api/auth/logout", { method: "POST" }); } catch { /* offline: forget locally anyway */ }
  localStorage.removeItem("huxiao.user");
  stopQueue();
  stopUnread();
  user = null;
  navigate("/app/");
}

/** A shared phone: once its person logs out, their escalations are no longer pushed to it. */
async function stopPush() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration?.();
    const subscription = await registration?.pushManager?.getSubscription();
    if (!subscription) return;
    await api("/api/push/subscriptions", { method: "DELETE", json: { endpoint: subscription.endpoint } });
    await subscription.unsubscribe();
  } catch { /* offline: it stays, and goes to whoever turns push on next in this browser */ }
}

/**
 * Tell the server again that this browser's push subscription is this person's (idempotent there).
 * The push service may have replaced it while the app was closed, and the worker's own renewal
 * (sw.js, pushsubscriptionchange) may have found no network or no old subscription to prove it by:
 * each start, and each word from the worker that it changed, registers what the browser now has.
 */
async function reclaimPush() {
  try {
    if (!user || user.must_change_password || !("Notification" in window)) return;
    if (Notification.permission !== "granted") return;
    const registration = await navigator.serviceWorker?.getRegistration?.();
    const subscription = await registration?.pushManager?.getSubscription();
    if (!subscription) return;
    const { claim } = await import("./escalation/push.js"); // loaded only where push is on
    await claim(subscription);
  } catch { /* offline, or refused: the next start tries again */ }
}

/**
 * From the service worker: a push was shown (count again), its notification was tapped (open its page),
 * or the push service replaced the subscription (claim the new one).
 */
function fromWorker(event) {
  if (event.data === "unread-changed") refreshUnread({ force: true });
  else if (event.data === "push-subscription-changed") reclaimPush();
  else if (user && typeof event.data?.open === "string" && event.data.open.startsWith("/app/")) navigate(event.data.open);
}

function showBadge(records, { paused }) {
  const badge = document.getElementById("queue-badge");
  const waiting = records.filter((r) => r.state === "waiting").length;
  badge.hidden = waiting === 0;
  badge.textContent = t("queue.waiting", { n: waiting });
  badge.dataset.count = String(waiting);
  const recent = document.querySelector("ul.recent");
  if (recent) renderRecent(recent);
  refreshPoints(); // after a delivery, the points' states on the home screen
  if (paused && user) {
    user = null;
    loginScreen(location.pathname, loggedIn, t("login.again"));
  }
}

async function whoAmI() {
  try {
    const response = await api("/api/me");
    if (response.ok) {
      localStorage.setItem("huxiao.csrf", response.data.csrf_token);
      return response.data.user;
    }
    return null;
  } catch (err) {
    if (err instanceof NetworkError) return cachedUser(); // offline: the last known person, to keep queuing
    throw err;
  }
}

async function start() {
  const snap = location.pathname.match(/^\/s\/([^/]+)\/?$/);
  if (snap) return publicPage("./snap.js", (m) => m.snapScreen(decodeURIComponent(snap[1]))); // before any login check
  const status = location.pathname.match(/^\/r\/([^/]+)\/?$/); // a 随手拍 report's progress, from its receipt
  if (status) return publicPage("./status.js", (m) => m.statusScreen(decodeURIComponent(status[1])));
  const scanned = location.pathname.match(/^\/p\/([^/]+)$/);
  if (scanned) prefetchScan(decodeURIComponent(scanned[1])); // one round trip less on a slow link
  await initI18n();
  document.getElementById("lang-toggle").addEventListener("click", switchLanguage);
  navigator.serviceWorker?.register("/sw.js").catch(() => {}); // absent in some in-app browsers
  navigator.storage?.persist?.().catch(() => {});
  addEventListener("offline", () => toast(t("app.offline")));
  addEventListener("popstate", route);
  document.getElementById("inbox-link").addEventListener("click", (event) => { event.preventDefault(); navigate("/app/inbox"); });
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") refreshUnread(); });
  navigator.serviceWorker?.addEventListener("message", fromWorker);
  onQueueChange(showBadge);
  user = await whoAmI();
  if (user) {
    startQueue(user.id);
    startUnread(user);
    reclaimPush();
  }
  route();
}

start();
