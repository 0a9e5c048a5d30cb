// IndexedDB: submissions wait here, photos included, until the server has them.
const DB_NAME = "huxiao";
const DB_VERSION = 1;
let dbPromise = null;

export function hasIndexedDB() {
  return typeof indexedDB !== "undefined";
}

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("records")) {
          const records = db.createObjectStore("records", { keyPath: "id" });
          records.createIndex("owner", "owner");
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function putRecord(record) {
  const db = await open();
  const tx = db.transaction("records", "readwrite");
  tx.objectStore("records").put(record);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(record);
    tx.onerror = () => reject(tx.error);
  });
}

export async function deleteRecord(id) {
  const db = await open();
  return done(db.transaction("records", "readwrite").objectStore("records").delete(id));
}

export async function recordsOf(owner) {
  const db = await open();
  const all = await done(db.transaction("records").objectStore("records").index("owner").getAll(owner));
  return all.sort((a, b) => a.created_at.localeCompare(b.created_at));
}
