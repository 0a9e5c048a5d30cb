// The server's API: JSON, the session cookie, and the CSRF token on writes.
export class NetworkError extends Error {}

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
  return { status: response.status, ok: response.ok, data, fromCache: response.headers.get("X-Huxiao-Cache") === "hit" };
}
