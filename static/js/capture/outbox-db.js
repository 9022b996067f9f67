// The outbox's queue in IndexedDB (database `mapapp-outbox`): one record per thing to send,
// {seq, kind: create|photo|edit|delete, id (finding), body?, blob?, sha256?, name?, type?,
// attempts, queuedAt, refused?}, in the order queued; plus `lastSentAt`. A photo the server
// refused keeps its record with `refused` {status, error, message, fields, at}: it is not sent
// again until the participant asks, and not lost. Writes commit with strict durability, so a
// resolved write is on disk. Used by outbox.js only.

const DB_NAME = 'mapapp-outbox';
const DB_VERSION = 1;
const ITEMS = 'items';
const META = 'meta';

let dbPromise = null;

function openDb() {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(ITEMS, { keyPath: 'seq', autoIncrement: true }).createIndex('finding', 'id');
      db.createObjectStore(META);
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
  }).catch((err) => {
    dbPromise = null;
    throw err;
  });
  return dbPromise;
}

/**
 * Run `work(items, meta)` in one transaction; resolve with what it returned once the
 * transaction has committed (an IDBRequest is replaced by its result).
 */
async function transact(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction([ITEMS, META], mode, { durability: mode === 'readwrite' ? 'strict' : 'default' });
    let out;
    tx.oncomplete = () => resolve(out instanceof IDBRequest ? out.result : out);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
    out = work(tx.objectStore(ITEMS), tx.objectStore(META));
  });
}

/** A new queue record. */
export const newItem = (kind, id, fields = {}) => ({ kind, id: String(id), attempts: 0, queuedAt: Date.now(), ...fields });

/** Store `records` together: all or none. */
export function addItems(records) {
  return transact('readwrite', (items) => {
    for (const record of records) items.add(record);
  });
}

/** Every queued record, oldest first. */
export const allItems = () => transact('readonly', (items) => items.getAll());

/**
 * Count an attempt before sending; null when the record is gone (e.g. its finding was deleted
 * meanwhile) or was refused meanwhile (by another tab's attempt).
 */
export function claim(seq) {
  return transact('readwrite', (items) => {
    const found = { item: null };
    items.get(seq).onsuccess = (event) => {
      const item = event.target.result;
      if (!item || item.refused) return;
      item.attempts += 1;
      items.put(item);
      found.item = item;
    };
    return found;
  }).then((found) => found.item);
}

/** Remove a record the server has now; remember when. */
export function removeSent(seq, sentAt) {
  return transact('readwrite', (items, meta) => {
    items.delete(seq);
    meta.put(sentAt, 'lastSentAt');
  });
}

/** Change one record with `change(item)`; resolves to false when the record is gone. */
function update(seq, change) {
  return transact('readwrite', (items) => {
    const found = { updated: false };
    items.get(seq).onsuccess = (event) => {
      const item = event.target.result;
      if (!item) return;
      change(item);
      items.put(item);
      found.updated = true;
    };
    return found;
  }).then((found) => found.updated);
}

/** Keep a refused photo, marked with why, out of the sending until `unrefuse`. */
export const markRefused = (seq, refused) => update(seq, (item) => { item.refused = refused; });

/** Let a refused photo be sent again. */
export const unrefuse = (seq) => update(seq, (item) => { delete item.refused; });

/** Remove one record (a refused photo the participant gave up). */
export const removeItem = (seq) => transact('readwrite', (items) => { items.delete(seq); });

/** Remove one record, or with `wholeFinding` every record of its finding. */
export function removeRefused(item, wholeFinding) {
  return transact('readwrite', (items) => {
    if (!wholeFinding) {
      items.delete(item.seq);
      return;
    }
    items.index('finding').getAllKeys(item.id).onsuccess = (event) => {
      for (const seq of event.target.result) items.delete(seq);
    };
  });
}

/**
 * Queue `deletion` behind the finding's other records, or, when the finding never left the
 * phone (queued, nothing of it attempted), drop all its records instead. Resolves to true when dropped.
 */
export function queueDeletion(deletion) {
  return transact('readwrite', (items) => {
    const result = { dropped: false };
    items.index('finding').getAll(deletion.id).onsuccess = (event) => {
      const mine = event.target.result;
      result.dropped = mine.some((item) => item.kind === 'create') && mine.every((item) => item.attempts === 0);
      if (result.dropped) for (const item of mine) items.delete(item.seq);
      else items.add(deletion);
    };
    return result;
  }).then((result) => result.dropped);
}

/**
 * {pending: findings with something waiting to be sent, refused: photos the server refused
 * (kept, not sent), lastSentAt: Date|null}.
 */
export async function readStatus() {
  const [items, lastSent] = await transact('readonly', (store, meta) => [store.getAll(), meta.get('lastSentAt')])
    .then((requests) => requests.map((request) => request.result));
  const waiting = items.filter((item) => !item.refused);
  return {
    pending: new Set(waiting.map((item) => item.id)).size,
    refused: items.length - waiting.length,
    lastSentAt: lastSent ? new Date(lastSent) : null,
  };
}
