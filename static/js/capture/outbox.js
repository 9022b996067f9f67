// Outbox: new findings, their photos, edits and deletions wait in IndexedDB until the server
// has them. A finding carries a UUID made on the phone and a photo the SHA-256 of its bytes,
// so sending again after a lost response stores nothing twice: the server answers a repeat
// with the stored record. Items of one finding go out in order (create, photos, edits,
// delete). The page sends, not the service worker; one flush at a time, across tabs too.
// A photo the server refuses (too large, not an image …) is never dropped: it stays queued,
// marked refused and no longer sent, until the participant sends it again or discards it.

import { sha256Hex } from '../shared/sha256.js';
import {
  addItems, allItems, claim, markRefused, newItem, queueDeletion, readStatus, removeItem, removeRefused, removeSent,
  unrefuse,
} from './outbox-db.js';
import { send } from './outbox-send.js';

const LOCK_NAME = 'mapapp-outbox-flush';
const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60000;

/**
 * Events: 'sent' {kind, id, feature, photo?}; 'rejected' {kind, id, seq, name?, status, error, fields,
 * message, kept} (kept: a photo, still queued); 'failed' {kind, id, status?} (no answer or a server
 * error: it stays queued and is retried); 'change' {pending, refused, lastSentAt}.
 */
export const outbox = new EventTarget();

const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel('mapapp-outbox') : null;

let running = null; // the flush in progress
let again = false; // something was queued during it: run another round
let failures = 0; // consecutive rounds without progress, for the backoff
let retryTimer = null;

// ---- public API ------------------------------------------------------------------

async function preparePhoto(photo) {
  const blob = photo.blob ?? photo;
  const sha256 = /^[0-9a-f]{64}$/.test(photo.sha256 ?? '') ? photo.sha256 : await sha256Hex(blob);
  return { blob, sha256, name: photo.name ?? blob.name ?? '', type: blob.type || 'application/octet-stream' };
}

/**
 * Queue a new finding (the POST /api/findings body with its client-made `id`) and its photos
 * ([{blob, name, sha256?}]). Resolves once everything is stored on the phone; sending follows.
 */
export async function submitFinding(payload, photos = []) {
  if (!payload?.id) throw new TypeError('submitFinding: payload.id (a UUID) is required');
  const prepared = await Promise.all(photos.map(preparePhoto));
  const unique = [...new Map(prepared.map((p) => [p.sha256, p])).values()];
  await addItems([
    newItem('create', payload.id, { body: payload }),
    ...unique.map((photo) => newItem('photo', payload.id, photo)),
  ]);
  queued();
}

/** Queue photos for a finding that is already queued or stored. */
export async function submitPhotos(id, photos) {
  const prepared = await Promise.all(photos.map(preparePhoto));
  await addItems(prepared.map((photo) => newItem('photo', id, photo)));
  queued();
}

/** Queue a change (PATCH /api/findings/<id> body); it goes out after the finding's earlier items. */
export async function submitEdit(id, patch) {
  await addItems([newItem('edit', id, { body: patch })]);
  queued();
}

/**
 * Queue a deletion. A finding that never left the phone is simply dropped from the queue
 * (reported as sent); once any of its items was attempted the server may have it, so the
 * DELETE is queued behind them.
 */
export async function submitDelete(id) {
  const deletion = newItem('delete', id);
  if (await queueDeletion(deletion)) {
    outbox.dispatchEvent(new CustomEvent('sent', { detail: { kind: 'delete', id: deletion.id, feature: null } }));
    changed();
  } else {
    queued();
  }
}

/** Number of findings with something still waiting to be sent (refused photos wait for the participant). */
export async function pending() {
  return (await readStatus()).pending;
}

/** {pending, refused, lastSentAt: Date|null} now, e.g. for a status line that starts after the first 'change'. */
export const status = () => readStatus();

/**
 * What waits to be sent, by finding, oldest first: [{id, create: the POST body or null (the
 * finding is on the server already), edits: [PATCH bodies], photos: [{blob, name, sha256}] (not
 * the refused ones), deleting}]. Read after a reload to show the waiting findings again.
 */
export async function queuedFindings() {
  const byId = new Map();
  for (const item of await allItems()) {
    if (!byId.has(item.id)) byId.set(item.id, { id: item.id, create: null, edits: [], photos: [], deleting: false });
    const finding = byId.get(item.id);
    if (item.kind === 'create') finding.create = item.body;
    else if (item.kind === 'edit') finding.edits.push(item.body);
    else if (item.kind === 'delete') finding.deleting = true;
    else if (item.kind === 'photo' && !item.refused) finding.photos.push({ blob: item.blob, name: item.name, sha256: item.sha256 });
  }
  return [...byId.values()];
}

/** The photos the server refused, still queued: [{seq, id (finding), name, blob, refused}]. */
export async function refusedPhotos() {
  return (await allItems()).filter((item) => item.kind === 'photo' && item.refused)
    .map(({ seq, id, name, blob, refused }) => ({ seq, id, name, blob, refused }));
}

/** Send a refused photo again (the same bytes: a photo the server has meanwhile is not stored twice). */
export async function resendPhoto(seq) {
  await unrefuse(seq);
  failures = 0;
  queued();
}

/** Give up a refused photo: it leaves the queue. */
export async function discardPhoto(seq) {
  await removeItem(seq);
  changed();
}

// ---- sending -----------------------------------------------------------------------

async function markSent(item, outcome) {
  await removeSent(item.seq, Date.now());
  if (item.kind === 'delete') await removeRefused(item, true); // its refused photos belong nowhere now
  const detail = { kind: item.kind, id: item.id, feature: item.kind === 'create' || item.kind === 'edit' ? outcome.body : null };
  if (item.kind === 'photo') detail.photo = outcome.body;
  outbox.dispatchEvent(new CustomEvent('sent', { detail }));
}

/**
 * The server refused for good. A photo stays queued, marked refused; anything else is dropped,
 * and with a refused create everything of that finding (the form gets the draft back).
 */
async function markRejected(item, outcome) {
  const body = outcome.body ?? {};
  const refused = {
    status: outcome.status, error: body.error ?? null,
    fields: body.fields && typeof body.fields === 'object' ? body.fields : {}, message: body.message ?? '',
  };
  const kept = item.kind === 'photo';
  if (kept) await markRefused(item.seq, { ...refused, at: Date.now() });
  else await removeRefused(item, item.kind === 'create');
  outbox.dispatchEvent(new CustomEvent('rejected', {
    detail: { kind: item.kind, id: item.id, seq: item.seq, name: item.name, kept, ...refused },
  }));
}

/** No answer, or one worth retrying: the item stays queued. */
function markFailed(item, outcome) {
  const detail = { kind: item.kind, id: item.id, status: outcome.status ?? null };
  outbox.dispatchEvent(new CustomEvent('failed', { detail }));
}

/**
 * Send queued items oldest first. A finding whose item could not be sent is skipped for the
 * rest of this round (its later items must wait); no connection at all ends the round.
 * Returns the longest wait a server asked for (0: none), or null when nothing needs a retry.
 */
async function drain() {
  const blocked = new Set();
  let retry = null;
  for (;;) {
    const next = (await allItems()).find((item) => !item.refused && !blocked.has(item.id));
    if (!next) break;
    const item = await claim(next.seq);
    if (!item) continue;
    const outcome = await send(item);
    if (outcome.type === 'done') await markSent(item, outcome);
    else if (outcome.type === 'rejected') await markRejected(item, outcome);
    else {
      blocked.add(item.id);
      markFailed(item, outcome);
    }
    if (outcome.type === 'done' || outcome.type === 'rejected') {
      failures = 0;
      changed();
    } else {
      retry = Math.max(retry ?? 0, outcome.retryAfterMs ?? 0);
      if (outcome.type === 'offline') break;
    }
  }
  return retry;
}

// ---- flushing: one at a time, retried with backoff --------------------------------

/** Hold the cross-tab lock while draining; when another tab holds it, that tab sends. */
function withLock(task) {
  if (!navigator.locks?.request) return task();
  return navigator.locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => (lock ? task() : null));
}

function scheduleRetry(minimumMs) {
  failures += 1;
  const base = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (failures - 1));
  const delay = Math.max(minimumMs, base / 2 + (Math.random() * base) / 2);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    flush();
  }, delay);
}

async function flushRound() {
  if (navigator.onLine === false) return; // the 'online' event starts the next round
  const retry = await withLock(drain);
  if (retry !== null) scheduleRetry(retry);
}

/** Send what is queued now. Resolves when this round is over (sent, refused or postponed). */
export function flush() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      try {
        await flushRound();
      } catch (err) {
        console.warn('outbox: flush failed', err);
      }
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

// ---- change notifications ---------------------------------------------------------

/** Tell listeners here (and other tabs) the queue changed. */
async function changed({ broadcast = true } = {}) {
  try {
    const detail = await status();
    outbox.dispatchEvent(new CustomEvent('change', { detail }));
    if (broadcast) channel?.postMessage('change');
  } catch (err) {
    console.warn('outbox: cannot read the queue', err);
  }
}

function queued() {
  changed();
  flush();
}

function start() {
  channel?.addEventListener('message', () => changed({ broadcast: false }));
  window.addEventListener('online', () => {
    failures = 0;
    flush();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') flush();
  });
  changed({ broadcast: false });
  flush();
}

if (typeof window !== 'undefined' && 'indexedDB' in window) start();
