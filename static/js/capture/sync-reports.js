// What the outbox reports about the findings this page queued (sync.js): sent, refused, failed,
// or sent by another tab. `sync` is createSync's state: {local, findings, announce, findingsUrl,
// onRejected}; `local` maps a finding id to what the page still waits for (see sync.js).

import { STRINGS, format } from '../shared/strings.js';
import { getJSON } from '../shared/api.js';
import { featureLabel } from '../shared/popup.js';
import { photoRefusal } from './sync-status.js';

const OPEN_WITHIN_MS = 30000;

export function revoke(entry) {
  for (const photo of entry?.photos ?? []) if (photo.url) URL.revokeObjectURL(photo.url);
}

/** Replace a pin with the server's current version (e.g. after its photos arrived). */
async function refresh({ findings, findingsUrl }, id) {
  try {
    const feature = await getJSON(`${findingsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}`);
    findings.addFeature(feature, { open: findings.isOpen(id) });
  } catch (err) {
    console.warn('could not refresh finding', id, err);
  }
}

/**
 * Open the saved finding's popup when it arrives soon after sending and nothing else is
 * going on (no other popup, the sheet closed): the confirmation that it is on the server.
 * Not when its pin went into a group: the status line says it is saved.
 */
function shouldOpen(findings, entry) {
  return Date.now() - entry.queuedAt < OPEN_WITHIN_MS && !findings.anyOpen() && !document.body.classList.contains('sheet-open');
}

function savedMessage(feature) {
  const props = feature?.properties ?? {};
  const label = featureLabel(feature);
  return props.ortsteil ? format(STRINGS.saved, { category: label, place: props.ortsteil })
    : format(STRINGS.savedNoPlace, { category: label });
}

/** What to say once the finding and every photo of it are on the server. */
function doneMessage(entry, feature) {
  if (entry.mode === 'edit') return STRINGS.saving.edited;
  return feature ? savedMessage(feature) : STRINGS.saving.sent;
}

/** A photo of `entry` was stored or refused; with the last one, show the server's version. */
async function photoSettled(sync, id, entry) {
  entry.photosLeft -= 1;
  if (entry.photosLeft > 0 || entry.waitingForCreate || entry.editsLeft > 0) return;
  sync.local.delete(id);
  await refresh(sync, id);
  revoke(entry);
  if (!entry.photosRefused) sync.announce(doneMessage(entry, sync.findings.get(id) ?? entry.sent));
}

/** A finding, its change or its deletion is on the server (a photo: see photoSettled). */
function handleSent(sync, { detail }) {
  const { local, findings, announce } = sync;
  const id = String(detail.id);
  const entry = local.get(id);
  if (detail.kind === 'delete') {
    findings.remove(id);
    if (entry?.mode === 'delete') announce(STRINGS.saving.deleted);
    local.delete(id);
    return;
  }
  if (detail.kind === 'photo') {
    if (entry) photoSettled(sync, id, entry);
    return;
  }
  if (!entry || (detail.kind !== 'create' && detail.kind !== 'edit')) return;
  const feature = detail.feature?.type === 'Feature' ? detail.feature : null;
  if (detail.kind === 'edit' && entry.editsLeft > 0) entry.editsLeft -= 1;
  entry.waitingForCreate = false;
  entry.sent = feature;
  if (entry.editsLeft > 0) return; // on the server, but not yet as edited: the pin keeps waiting
  showSent(sync, id, entry, feature);
}

/** Show the sent finding (its popup too, see shouldOpen) and say so. */
function showSent(sync, id, entry, feature) {
  const { local, findings, announce } = sync;
  if (entry.photosLeft > 0) {
    // Keep the previews in the popup until the photos are on the server too.
    if (feature) feature.properties.photos = entry.photos.map((p) => ({ url: p.url, thumb_url: p.url }));
  } else {
    local.delete(id);
  }
  const open = findings.isOpen(id) || (shouldOpen(findings, entry) && 'if-visible');
  if (feature) findings.addFeature(feature, { open });
  else refresh(sync, id);
  // Not "saved" while photos are still on their way: one of them may yet be refused.
  announce(entry.photosLeft > 0 ? STRINGS.saving.photosSending : doneMessage(entry, feature));
}

function handleRejected(sync, { detail }) {
  const { local, findings } = sync;
  const id = String(detail.id);
  const entry = local.get(id);
  if (detail.kind === 'photo') {
    sync.announce(format(STRINGS.photos.notSaved, { reason: photoRefusal(detail) }), 'error');
    if (entry) {
      entry.photosRefused += 1;
      photoSettled(sync, id, entry);
    }
    return;
  }
  if (!entry) return;
  const reason = { fields: detail.fields ?? {}, message: detail.message ?? '', status: detail.status };
  local.delete(id);
  if (detail.kind === 'create') {
    findings.remove(id);
    sync.onRejected({ mode: 'create', id, payload: entry.payload, photos: entry.photos, ...reason });
  } else if (detail.kind === 'edit') {
    editRejected(sync, id, entry, reason);
  } else if (detail.kind === 'delete') {
    findings.release(id);
  }
}

/**
 * A change the server refused goes back to the form, on the finding as the server has it: for
 * a new finding edited while waiting, as it was created (its create was answered with it).
 */
function editRejected(sync, id, entry, reason) {
  const original = entry.mode === 'create' ? entry.sent : entry.original;
  if (!original) {
    refresh(sync, id);
    sync.announce(reason.message || STRINGS.errors.unexpected, 'error');
    return;
  }
  sync.findings.addFeature(original);
  sync.onRejected({ mode: 'edit', id, patch: entry.patch, photos: [], feature: original, ...reason });
}

/**
 * The queue is empty, yet some of ours never reported back: another tab sent them (the
 * outbox sends from one tab at a time). Show what the server has now.
 */
function handleChange(sync, { detail }) {
  if (detail?.pending !== 0) return;
  for (const [id, entry] of sync.local) {
    sync.local.delete(id);
    if (entry.mode === 'delete') sync.findings.remove(id);
    else refresh(sync, id).then(() => revoke(entry));
  }
}

/** A photo of ours could not be sent yet (no answer, server error): say so once; it is retried. */
function handleFailed(sync, { detail }) {
  const entry = sync.local.get(String(detail.id));
  if (detail.kind !== 'photo' || !entry || entry.failureSaid || navigator.onLine === false) return;
  entry.failureSaid = true;
  sync.announce(STRINGS.sync.retrying, 'error');
}

/** Follow the outbox's reports. */
export function followOutbox(sync, outbox) {
  outbox.addEventListener('sent', (event) => handleSent(sync, event));
  outbox.addEventListener('rejected', (event) => handleRejected(sync, event));
  outbox.addEventListener('failed', (event) => handleFailed(sync, event));
  outbox.addEventListener('change', (event) => handleChange(sync, event));
}
