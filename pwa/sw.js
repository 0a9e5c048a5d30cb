// Service worker: the app shell is precached, so the app opens with no network once it
// has been opened once: the patroller's screens and the report-a-hazard screen. The hazard
// lists, detail and triage screens, the admin screens and the reports come from the network when opened
// (they need it anyway), and the public 随手拍 page registers no worker, so neither weighs on
// what every phone downloads. Same-origin GETs only; API writes are never cached or replayed
// here (the page's IndexedDB queue does that, and knows the account). It also shows the Web
// Push notices of escalation steps, opens their page when tapped, and keeps the push subscription
// when the push service replaces it.
const VERSION = "huxiao-shell-v9";
const SHELL = [
  "/app/",
  "/pwa/app.css",
  "/pwa/manifest.webmanifest",
  "/pwa/icons/icon-192.png",
  "/pwa/i18n/zh-CN.json",
  "/pwa/i18n/en.json",
  "/pwa/js/main.js",
  "/pwa/js/api.js",
  "/pwa/js/checklist.js",
  "/pwa/js/dom.js",
  "/pwa/js/due.js",
  "/pwa/js/home.js",
  "/pwa/js/i18n.js",
  "/pwa/js/login.js",
  "/pwa/js/photos.js",
  "/pwa/js/password.js",
  "/pwa/js/queue.js",
  "/pwa/js/roles.js",
  "/pwa/js/scan.js",
  "/pwa/js/store.js",
  "/pwa/js/unread.js",
  // the report screen (上报隐患) opens with no signal; the other hazard screens need the network anyway
  "/pwa/js/hazards/report.js",
  "/pwa/js/admin/shared.js",
];
// last answers of GET /api/scan, /api/points, /api/me, for offline reading; keyed by the whole address
// (the home screen's list is /api/points?my_grids=true&order=due&page_size=500)
const API_CACHE = "huxiao-api-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== API_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/api/")) {
    if (/^\/api\/(scan\/|points|me$)/.test(url.pathname)) event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === "navigate" && /^\/(app|p|s)\//.test(url.pathname)) {
    // every page of the app is the same shell; the server still answers 404/410 for bad codes online
    event.respondWith(fetch(request).catch(() => caches.match("/app/")));
    return;
  }
  if (url.pathname.startsWith("/pwa/vendor/")) event.respondWith(cacheOnFirstUse(request)); // the decoder (1 MB), the charts
  else if (url.pathname.startsWith("/pwa/")) event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});

async function cacheOnFirstUse(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await cache.match(request);
    if (!hit) throw err;
    const headers = new Headers(hit.headers);
    headers.set("X-Huxiao-Cache", "hit");
    return new Response(await hit.blob(), { status: hit.status, headers });
  }
}

self.addEventListener("sync", (event) => {
  if (event.tag === "huxiao-queue") {
    event.waitUntil(self.clients.matchAll().then((clients) => clients.forEach((c) => c.postMessage("flush-queue"))));
  }
});

// What a sweep pushed, as {title, body, url, tag}: one step's notice carries its escalation's
// tag, so a higher step replaces the lower one on the phone; a pass of several steps comes as
// one untagged notice that opens the inbox.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = { body: event.data.text() };
  }
  const options = {
    body: message.body || "",
    icon: "/pwa/icons/icon-192.png",
    data: { url: message.url || "/app/inbox" },
  };
  if (message.tag) Object.assign(options, { tag: message.tag, renotify: true });
  event.waitUntil(Promise.all([
    self.registration.showNotification(message.title || "Huxiao", options),
    // an open app counts its unread notices again
    self.clients.matchAll({ type: "window" }).then((windows) => windows.forEach((w) => w.postMessage("unread-changed"))),
  ]));
});

// Tapped: the app's page for it, in a window of the app already open if there is one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/app/inbox", location.origin);
  const path = url.pathname + url.search; // on this origin, whatever address the server's links use
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const app = windows.find((w) => new URL(w.url).origin === location.origin && /^\/(app|p)\//.test(new URL(w.url).pathname));
    if (!app) return self.clients.openWindow(path);
    app.postMessage({ open: path });
    return app.focus();
  }));
});

// The push service replaced this browser's subscription (it may, at any time): without a word to the
// server, the phone would silently get no more notices. Subscribe again if the browser has not, and
// move the server's row to the new subscription: the worker has no CSRF token, so the old
// subscription's auth secret (only this browser has it) is the proof. Whatever happens, open windows
// claim the subscription with their session too; with none open, the app does at its next start.
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription)
    .catch(() => {}) // offline or refused: the windows' claim, now or at the next start, still recovers
    .then(() => self.clients.matchAll({ type: "window" }))
    .then((windows) => windows.forEach((w) => w.postMessage("push-subscription-changed"))));
});

async function renewSubscription(old, given) {
  const key = old?.options?.applicationServerKey || await serverKey();
  const subscription = given || (key && await self.registration.pushManager.subscribe(
    { userVisibleOnly: true, applicationServerKey: key }));
  if (!old || !subscription) return;
  await fetch("/api/push/subscriptions/renew", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ old_endpoint: old.endpoint, old_auth: old.toJSON().keys.auth,
                           subscription: subscription.toJSON() }),
  });
}

/** The server's public key as bytes (GET /api/push/key, with the session's cookie); null if it has none. */
async function serverKey() {
  const response = await fetch("/api/push/key", { credentials: "same-origin" });
  if (!response.ok) return null;
  const base64 = (await response.json()).public_key.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}
