// The server's API: JSON, the session cookie, and the CSRF token on writes.
export class NetworkError extends Error {}

/** A random UUID: the key that makes a retried write count once (randomUUID needs https or localhost). */
export function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function csrfToken() {
  return localStorage.getItem("huxiao.csrf") || "";
}

export function rememberSession(session) {
  localStorage.setItem("huxiao.csrf", session.csrf_token);
  localStorage.setItem("huxiao.user", JSON.stringify(session.user));
}

export function cachedUser() {
  try { return JSON.parse(localStorage.getItem("huxiao.user")); } catch { return null; }
}

export async function api(path, { method = "GET", json, body, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (method !== "GET") init.headers["X-CSRF-Token"] = csrfToken();
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new NetworkError(err.message);
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  let total = null; // of a paginated list, all pages together
  try { total = JSON.parse(response.headers.get("X-Pagination"))?.total ?? null; } catch { total = null; }
  return { status: response.status, ok: response.ok, data, total, fromCache: response.headers.get("X-Huxiao-Cache") === "hit" };
}

/**
 * A write that can be tried again: it keeps one Idempotency-Key until the server has
 * accepted it, so a retry after a lost answer counts once; then the next write gets a new key.
 */
export function keyedWrite() {
  let key = newId();
  return async (path, options) => {
    const response = await api(path, { ...options, headers: { ...options.headers, "Idempotency-Key": key } });
    if (response.ok) key = newId();
    return response;
  };
}
