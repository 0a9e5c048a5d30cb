// The upload queue: a record is saved on the phone first, then sent; it is dropped only
// when the server has it. One upload at a time; backoff 2^n s up to 5 min on network
// errors and 5xx; a 401 pauses everything until the person logs in again; other 4xx
// are shown with the server's message. Each account has its own records. A record is an
// inspection (a checklist) or a hazard report (上报隐患), each with its photos.
import { api, NetworkError } from "./api.js";
import { deleteRecord, hasIndexedDB, putRecord, recordsOf } from "./store.js";

const MAX_BACKOFF_S = 300;
const memory = new Map(); // without IndexedDB (some in-app browsers): kept only while the page lives
const listeners = new Set();
let owner = null;
let inflight = false;
let paused = false;
let timer = null;

export function onQueueChange(listener) {
  listeners.add(listener);
}

async function notify() {
  const records = await list();
  for (const listener of listeners) listener(records, { paused });
}

export function startQueue(userId) {
  owner = userId;
  paused = false;
  addEventListener("online", flush);
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "flush-queue") flush();
  });
  flush();
}

/** Logging out: nothing of this account is sent until it logs in again. */
export function stopQueue() {
  owner = null;
  clearTimeout(timer);
}

export async function list() {
  if (owner === null) return [];
  if (!hasIndexedDB()) return [...memory.values()].filter((r) => r.owner === owner);
  return recordsOf(owner);
}

async function save(record) {
  if (hasIndexedDB()) await putRecord(record);
  else memory.set(record.id, record);
}

async function remove(id) {
  if (hasIndexedDB()) await deleteRecord(id);
  else memory.delete(id);
}

export async function enqueue(record) {
  await save({ ...record, owner, state: "waiting", attempts: 0, next_at: 0, error: null });
  const registration = await navigator.serviceWorker?.getRegistration?.();
  registration?.sync?.register("huxiao-queue").catch(() => {});
  await notify();
  flush();
}

export async function retry(id) {
  const record = (await list()).find((r) => r.id === id);
  if (!record) return;
  await save({ ...record, state: "waiting", next_at: 0, error: null });
  flush();
}

export async function discard(id) {
  await remove(id);
  await notify();
}

export async function flush() {
  if (inflight || paused || owner === null) return;
  inflight = true;
  try {
    for (const record of await list()) {
      if (record.state !== "waiting" || record.next_at > Date.now()) continue;
      if ((await send(record)) === "stop") break;
    }
  } finally {
    inflight = false;
    await notify();
    schedule();
  }
}

function schedule() {
  clearTimeout(timer);
  list().then((records) => {
    const waiting = records.filter((r) => r.state === "waiting");
    if (!waiting.length || paused) return;
    const next = Math.min(...waiting.map((r) => r.next_at));
    timer = setTimeout(flush, Math.max(1000, next - Date.now()));
  });
}

const ENDPOINTS = { inspection: "/api/inspections", hazard: "/api/hazards" };

/**
 * Send one record now: its photos first (each kept once stored, so a retry sends only what is
 * missing; `keep` saves that progress), then the record itself under its own Idempotency-Key.
 * Answers the first refusal or the record's answer; throws NetworkError without a network.
 */
export async function deliver(record, keep = async () => {}) {
  for (const photo of record.photos) {
    if (photo.uploaded_id) continue;
    const form = new FormData();
    form.append("file", photo.blob, `${photo.key}.jpg`);
    const response = await api("/api/photos", { method: "POST", body: form });
    if (!response.ok) return response;
    photo.uploaded_id = response.data.id;
    await keep(record);
  }
  return api(ENDPOINTS[record.kind || "inspection"], {
    method: "POST",
    json: body(record),
    headers: { "Idempotency-Key": record.id },
  });
}

async function send(record) {
  try {
    const response = await deliver(record, save);
    if (!response.ok) return failed(record, response);
    await remove(record.id);
    logSent(record, response.data);
    return "sent";
  } catch (err) {
    if (!(err instanceof NetworkError)) throw err;
    await backoff(record);
    return "stop";
  }
}

function body(record) {
  if (record.kind === "hazard") return { ...record.body, photo_ids: record.photos.map((p) => p.uploaded_id) };
  const ids = Object.fromEntries(record.photos.map((p) => [p.key, p.uploaded_id]));
  return {
    ...record.body,
    results: record.body.results.map(({ photo_keys = [], ...result }) => ({
      ...result,
      photo_ids: photo_keys.map((key) => ids[key]),
    })),
  };
}

/** What a record is about, as the home screen lists it: the point inspected, or the hazard reported. */
export function recordTitle(record) {
  return record.title || record.point.name;
}

async function failed(record, response) {
  if (response.status === 401) {
    paused = true; // the session ended: nothing more is sent until the person logs in again
    return "stop";
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    await backoff(record);
    return "stop";
  }
  await save({ ...record, state: "failed", error: response.data || { message: `HTTP ${response.status}` } });
  return "next";
}

async function backoff(record) {
  const attempts = record.attempts + 1;
  const delay = Math.min(2 ** attempts, MAX_BACKOFF_S) * 1000;
  await save({ ...record, attempts, next_at: Date.now() + delay });
}

function logSent(record, receipt) {
  const key = `huxiao.sent.${owner}`;
  const sent = JSON.parse(localStorage.getItem(key) || "[]");
  sent.unshift({ id: record.id, point: recordTitle(record), at: receipt.submitted_at || receipt.reported_at,
    failed: receipt.failed_count });
  localStorage.setItem(key, JSON.stringify(sent.slice(0, 20)));
}

export function sentLog() {
  return JSON.parse(localStorage.getItem(`huxiao.sent.${owner}`) || "[]");
}
