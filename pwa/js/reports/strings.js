// The report screens' own strings (pwa/i18n/reports/), fetched with the screens: the catalogs
// every phone reads at start stay as they were. Keys not found here come from the app's catalog.
import { serverMessage as appMessage, t as appText } from "../i18n.js";

let strings = null;

export function language() {
  return document.documentElement.lang === "en" ? "en" : "zh-CN";
}

export async function loadStrings() {
  if (strings) return;
  const response = await fetch(`/pwa/i18n/reports/${language()}.json`);
  if (!response.ok) throw new Error(appText("error.network"));
  strings = await response.json();
}

export function t(key, params = {}) {
  if (!strings || !(key in strings)) return appText(key, params);
  return strings[key].replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** The server's refusal in the person's language, by its error code. */
export function serverMessage(data, fallbackKey) {
  const key = `error.${data?.error}`;
  if (strings && data?.error && key in strings) return strings[key];
  return appMessage(data, fallbackKey);
}
