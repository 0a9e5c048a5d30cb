// Message catalogs: Simplified Chinese by default, English on request. No UI string lives elsewhere.
const LANGS = ["zh-CN", "en"];
let catalog = {};
let lang = "zh-CN";

export async function initI18n() {
  const saved = localStorage.getItem("huxiao.lang");
  lang = LANGS.includes(saved) ? saved : "zh-CN";
  const response = await fetch(`/pwa/i18n/${lang}.json`);
  catalog = await response.json();
  document.documentElement.lang = lang;
  document.title = t("app.name");
  translate(document.body);
}

export function t(key, params = {}) {
  const text = catalog[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

/** The server's refusal in the person's language: its stable error code if we know it, else its message.
 * A message the server gives in both languages ("中文 / English") says why better than the code's
 * catalog line (which of the password rules, say): the person's half of it is shown. */
export function serverMessage(data, fallbackKey) {
  const halves = bilingual(data?.message);
  if (halves) return lang === "zh-CN" ? halves[0] : halves[1];
  const key = `error.${data?.error}`;
  if (data?.error && key in catalog) return catalog[key];
  return data?.message || t(fallbackKey);
}

function bilingual(message) {
  const at = typeof message === "string" ? message.indexOf(" / ") : -1;
  if (at < 0 || !/[\u4e00-\u9fff]/.test(message.slice(0, at))) return null;
  return [message.slice(0, at).trim(), message.slice(at + 3).trim()];
}

export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}

export function switchLanguage() {
  localStorage.setItem("huxiao.lang", lang === "zh-CN" ? "en" : "zh-CN");
  location.reload();
}

export function formatTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(lang, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A day of the year, without the time: "11月24日", "Nov 24". */
export function formatDay(date) {
  return new Date(date).toLocaleDateString(lang, { month: "short", day: "numeric" });
}

/** A calendar day the server gives as 2026-12-07, with its year: "2026年12月7日", "December 7, 2026".
 * Read as local noon, so no time zone moves it to the day before or after. */
export function formatDate(day) {
  if (!day) return "";
  return new Date(`${day}T12:00:00`).toLocaleDateString(lang, { year: "numeric", month: "long", day: "numeric" });
}

/** A month's short name, 1 to 12: "4月", "Apr". */
export function monthName(month) {
  return new Date(2024, month - 1, 1).toLocaleDateString(lang, { month: "short" });
}
