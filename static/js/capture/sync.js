// Between the form and the outbox (outbox.js): a saved finding shows at once as a pending pin,
// and is replaced by the server's feature when the outbox reports it 'sent'. A refusal the
// outbox cannot retry ('rejected') removes the pending pin and hands the draft back to the
// form, with the server's field messages. Edits and deletions work the same way. A finding
// still waiting to be sent can be edited too: the change is queued behind its creation (the
// outbox sends a finding's items in order) and its pin stays waiting, with the edited values,
// until the change is on the server as well.
// "Gespeichert" is said only once the finding and all its photos are on the server; a refused
// photo is announced as an error instead (it stays in the outbox, see sync-status.js). The
// outbox's reports are handled in sync-reports.js.

import * as box from './outbox.js';
import { STRINGS } from '../shared/strings.js';
import { previewFeature, withChanges } from './preview.js';
import { followOutbox, revoke } from './sync-reports.js';

const blobsOf = (photos) => photos.map(({ blob, name, sha256 }) => ({ blob, name, sha256 }));
const urlsOf = (photos) => photos.map((p) => p.url);

function queuedMessage() {
  return navigator.onLine === false ? STRINGS.saving.queuedOffline : STRINGS.capture.sending;
}

/**
 * @param {{findings: object, announce: Function, findingsUrl: string,
 *          onRejected: (draft: object) => void}} deps
 *   onRejected gets {mode: 'create'|'edit', id, payload|patch, photos, feature?, fields, message, status}.
 */
export function createSync({ findings, announce, findingsUrl, onRejected }) {
  // finding id → {mode, payload|patch, photos, original, photosLeft, photosRefused, waitingForCreate,
  // editsLeft (edits of a waiting new finding queued behind it), sent, queuedAt}
  const sync = { local: new Map(), findings, announce, findingsUrl, onRejected };
  followOutbox(sync, box.outbox);
  return {
    /** Queue a new finding with its photos ([{blob, name, sha256, url}]); show it pending. */
    create: (payload, photos) => create(sync, payload, photos),
    /** Queue changes of an own finding (and new photos); show the changed pin pending. */
    edit: (original, patch, photos = []) => edit(sync, original, patch, photos),
    /**
     * Show what the outbox still holds from an earlier page (e.g. one reloaded offline) as
     * waiting pins, followed like new ones: once sent they become normal pins, a refused one
     * goes back to the form. Call it after the findings' first load, so that a queued edit or
     * deletion finds its pin. Sending stays the outbox's job: nothing is queued again.
     */
    restore: () => restore(sync),
    /** Queue the deletion of an own finding; it disappears at once. */
    remove: (feature) => remove(sync, feature),
  };
}

async function create({ local, findings, announce }, payload, photos) {
  const id = String(payload.id);
  local.set(id, {
    mode: 'create', payload, photos, photosLeft: photos.length, photosRefused: 0,
    waitingForCreate: true, queuedAt: Date.now(),
  });
  try {
    await box.submitFinding(payload, blobsOf(photos));
  } catch (err) {
    local.delete(id);
    throw err;
  }
  findings.addFeature(previewFeature(null, payload, urlsOf(photos)), { hold: 'pending' });
  announce(queuedMessage());
}

async function edit(sync, original, patch, photos) {
  const { local, findings, announce } = sync;
  const id = String(original.id ?? original.properties?.id);
  if (local.get(id)?.mode === 'create') return editWaiting(sync, local.get(id), id, patch, photos);
  const extra = box.submitPhotos ? photos : [];
  local.set(id, {
    mode: 'edit', patch, original, photos: extra, photosLeft: extra.length, photosRefused: 0,
    waitingForCreate: true, queuedAt: Date.now(),
  });
  try {
    await box.submitEdit(id, patch);
    if (extra.length) await box.submitPhotos(id, blobsOf(extra));
  } catch (err) {
    local.delete(id);
    throw err;
  }
  findings.addFeature(previewFeature(original, patch, urlsOf(extra)), { hold: 'pending' });
  announce(queuedMessage());
}

/**
 * Change a new finding that is still waiting: the PATCH goes out after its creation (also when
 * that is on its way right now), so the server stores it once, with the new values. Until the
 * change is sent the pin shows the finding as edited; a refused creation comes back to the
 * form as edited.
 */
async function editWaiting({ findings, announce }, entry, id, patch, photos) {
  const before = { payload: entry.payload, patch: entry.patch, editsLeft: entry.editsLeft ?? 0 };
  const shown = { photos: entry.photos, photosLeft: entry.photosLeft };
  // Counted before queueing: the change may be sent (and reported) before submitEdit resolves.
  Object.assign(entry, {
    payload: withChanges(entry.payload, patch), patch: { ...entry.patch, ...patch }, editsLeft: before.editsLeft + 1,
    photos: [...entry.photos, ...photos], photosLeft: entry.photosLeft + photos.length,
  });
  try {
    await box.submitEdit(id, patch);
  } catch (err) {
    Object.assign(entry, before, shown);
    throw err;
  }
  try {
    if (photos.length) await box.submitPhotos(id, blobsOf(photos));
  } catch (err) {
    Object.assign(entry, shown); // the change itself is queued
    throw err;
  }
  findings.addFeature(previewFeature(null, entry.payload, urlsOf(entry.photos)), { hold: 'pending' });
  announce(queuedMessage());
}

async function restore({ local, findings }) {
  for (const queued of await box.queuedFindings()) {
    const id = String(queued.id);
    if (local.has(id)) continue;
    const photos = queued.photos.map((photo) => ({ ...photo, url: URL.createObjectURL(photo.blob) }));
    const entry = { photos, photosLeft: photos.length, photosRefused: 0, waitingForCreate: true, queuedAt: 0 };
    const original = findings.get(id);
    const patch = Object.assign({}, ...queued.edits);
    if (queued.deleting) {
      revoke(entry);
      findings.hold(id, 'deleting');
      local.set(id, { mode: 'delete', original, photos: [], photosLeft: 0 });
    } else if (queued.create) {
      const payload = queued.edits.reduce(withChanges, queued.create);
      local.set(id, { ...entry, mode: 'create', payload, patch, editsLeft: queued.edits.length });
      findings.addFeature(previewFeature(null, payload, urlsOf(photos)), { hold: 'pending' });
    } else if (original) {
      local.set(id, { ...entry, mode: 'edit', original, patch });
      findings.addFeature(previewFeature(original, patch, urlsOf(photos)), { hold: 'pending' });
    } else {
      revoke(entry);
    }
  }
}

async function remove({ local, findings, announce }, feature) {
  const id = String(feature.id ?? feature.properties?.id);
  findings.hold(id, 'deleting');
  local.set(id, { mode: 'delete', original: feature, photos: [], photosLeft: 0 });
  try {
    await box.submitDelete(id);
    announce(navigator.onLine === false ? STRINGS.saving.deleteQueued : STRINGS.saving.deleting);
  } catch (err) {
    local.delete(id);
    findings.release(id);
    throw err;
  }
}
