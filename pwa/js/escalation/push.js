// Web Push (消息推送): where the browser can and the server has a key, this phone is told of each
// escalation step even with the app closed; the service worker (sw.js) shows what arrives.
import { api } from "../api.js";
import { serverMessage } from "../i18n.js";

/** The server's public key, if this browser can subscribe and the server can push; else null. */
export async function pushKey() {
  if (!("PushManager" in window) || !("Notification" in window) || !navigator.serviceWorker) return null;
  try {
    const response = await api("/api/push/key");
    return response.ok ? response.data.public_key : null; // 404 push_not_configured: no button
  } catch {
    return null;
  }
}

/** The worker's registration; `ready` never settles where registering failed, so give up after a while. */
function registration() {
  const late = new Promise((_, reject) => { setTimeout(() => reject(new Error("no service worker")), 10000); });
  return Promise.race([navigator.serviceWorker.ready, late]);
}

export async function currentSubscription() {
  return (await registration()).pushManager.getSubscription();
}

/** base64url (as the server gives it) to the bytes PushManager wants. */
function bytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
}

function sameKey(subscription, key) {
  const had = subscription.options?.applicationServerKey;
  return !had || new Uint8Array(had).join() === key.join();
}

/** Tell the server this browser is the caller's (again: a phone that changed hands now tells its new person). */
export async function claim(subscription) {
  const response = await api("/api/push/subscriptions", { method: "POST", json: subscription.toJSON() });
  if (!response.ok) throw new Error(serverMessage(response.data, "error.server"));
}

/** Ask for permission, subscribe with the server's key, tell the server: "granted", or the refused permission. */
export async function turnOn(publicKey) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission;
  const { pushManager } = await registration();
  const key = bytes(publicKey);
  let subscription = await pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) { // the server's key changed: the old one is of no use
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ||= await pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  try {
    await claim(subscription);
  } catch (err) {
    await subscription.unsubscribe();
    throw err;
  }
  return permission;
}

/** Stop: the server forgets this browser (it may have already), then the browser unsubscribes. */
export async function turnOff(subscription) {
  const response = await api("/api/push/subscriptions", { method: "DELETE", json: { endpoint: subscription.endpoint } });
  if (!response.ok && response.status !== 404) throw new Error(serverMessage(response.data, "error.server"));
  await subscription.unsubscribe();
}
