// Between the form and the outbox (outbox.js): a saved finding shows at once as a pending pin,
// and is replaced by the server's feature when the outbox reports it 'sent'. A refusal the
// outbox cannot retry ('rejected') removes the pending pin and hands the draft back to the
// form, with the server's field messages. Edits and deletions work the same way. A finding
// still waiting to be sent can be edited too: the change is queued behind its creation (the
// outbox sends a finding's items in order) and its pin stays waiting, with the edited values,
// until the change is on the server as well.
// "Gespeichert" is said only once the finding and all its photos are on the server; a refused
// photo is announced as an error instead (it stays in the outbox, see sync-status.js).

import * as box from './outbox.js';
import { STRINGS, format } from './strings.js';
import { photoRefusal } from './sync-status.js';
import { getJSON } from './api.js';
import { featureLabel } from './popup.js';
import { getCategory, labelOf } from './categories.js';

const OPEN_WITHIN_MS = 30000;

/** UUID for a new finding; falls back to getRandomValues outside secure contexts (plain http). */
export function newFindingId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** GeoJSON geometry of a request body: {lat, lon} or {geometry}. */
function geometryOf(fields) {
  if (fields.geometry) return fields.geometry;
  return { type: 'Point', coordinates: [fields.lon, fields.lat] };
}

/** A request body with `patch` applied; a new place replaces the old one (pin or line). */
function withChanges(body, patch) {
  const moved = patch.geometry || patch.lat !== undefined;
  const { lat, lon, accuracy_m: accuracy, geometry, ...rest } = body;
  const place = moved ? {} : { lat, lon, accuracy_m: accuracy, geometry };
  const kept = Object.fromEntries(Object.entries(place).filter(([, value]) => value !== undefined));
  return { ...rest, ...kept, ...patch };
}

/** A feature that looks like the server's, for the pending pin and its popup. */
export function previewFeature(base, changes, photoUrls = []) {
  const category = getCategory(changes.category ?? base?.properties?.category);
  const properties = {
    ...(base?.properties ?? { confirmations: 0, photos: [] }),
    ...changes,
    mine: true,
    pending: true,
  };
  if (category) Object.assign(properties, { category_label: labelOf(category.slug), icon: category.icon });
  if (photoUrls.length) {
    properties.photos = [...(properties.photos ?? []), ...photoUrls.map((url) => ({ url, thumb_url: url }))];
  }
  const id = changes.id ?? base?.id;
  const moved = changes.geometry || changes.lat !== undefined;
  return { type: 'Feature', id, geometry: moved ? geometryOf(changes) : base.geometry, properties: { ...properties, id } };
}

/**
 * @param {{findings: object, announce: Function, findingsUrl: string,
 *          onRejected: (draft: object) => void}} deps
 *   onRejected gets {mode: 'create'|'edit', id, payload|patch, photos, feature?, fields, message, status}.
 */
export function createSync({ findings, announce, findingsUrl, onRejected }) {
  // finding id → {mode, payload|patch, photos, original, photosLeft, photosRefused, waitingForCreate,
  // editsLeft (edits of a waiting new finding queued behind it), sent, queuedAt}
  const local = new Map();

  const featureUrl = (id) => `${findingsUrl.replace(/\/$/, '')}/${encodeURIComponent(id)}`;

  function revoke(entry) {
    for (const photo of entry?.photos ?? []) if (photo.url) URL.revokeObjectURL(photo.url);
  }

  /** Replace a pin with the server's current version (e.g. after its photos arrived). */
  async function refresh(id) {
    try {
      const feature = await getJSON(featureUrl(id));
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
  function shouldOpen(entry) {
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
  async function photoSettled(id, entry) {
    entry.photosLeft -= 1;
    if (entry.photosLeft > 0 || entry.waitingForCreate || entry.editsLeft > 0) return;
    local.delete(id);
    await refresh(id);
    revoke(entry);
    if (!entry.photosRefused) announce(doneMessage(entry, findings.get(id) ?? entry.sent));
  }

  function handleSent({ detail }) {
    const id = String(detail.id);
    const entry = local.get(id);
    if (detail.kind === 'delete') {
      findings.remove(id);
      if (entry?.mode === 'delete') announce(STRINGS.saving.deleted);
      local.delete(id);
      return;
    }
    if (detail.kind === 'photo') {
      if (entry) photoSettled(id, entry);
      return;
    }
    if (!entry || (detail.kind !== 'create' && detail.kind !== 'edit')) return;
    const feature = detail.feature?.type === 'Feature' ? detail.feature : null;
    if (detail.kind === 'edit' && entry.editsLeft > 0) entry.editsLeft -= 1;
    entry.waitingForCreate = false;
    entry.sent = feature;
    if (entry.editsLeft > 0) return; // on the server, but not yet as edited: the pin keeps waiting
    if (entry.photosLeft > 0) {
      // Keep the previews in the popup until the photos are on the server too.
      if (feature) feature.properties.photos = entry.photos.map((p) => ({ url: p.url, thumb_url: p.url }));
    } else {
      local.delete(id);
    }
    const open = findings.isOpen(id) || (shouldOpen(entry) && 'if-visible');
    if (feature) findings.addFeature(feature, { open });
    else refresh(id);
    // Not "saved" while photos are still on their way: one of them may yet be refused.
    announce(entry.photosLeft > 0 ? STRINGS.saving.photosSending : doneMessage(entry, feature));
  }

  function handleRejected({ detail }) {
    const id = String(detail.id);
    const entry = local.get(id);
    if (detail.kind === 'photo') {
      announce(format(STRINGS.photos.notSaved, { reason: photoRefusal(detail) }), 'error');
      if (entry) {
        entry.photosRefused += 1;
        photoSettled(id, entry);
      }
      return;
    }
    if (!entry) return;
    const reason = { fields: detail.fields ?? {}, message: detail.message ?? '', status: detail.status };
    local.delete(id);
    if (detail.kind === 'create') {
      findings.remove(id);
      onRejected({ mode: 'create', id, payload: entry.payload, photos: entry.photos, ...reason });
    } else if (detail.kind === 'edit') {
      editRejected(id, entry, reason);
    } else if (detail.kind === 'delete') {
      findings.release(id);
    }
  }

  /**
   * A change the server refused goes back to the form, on the finding as the server has it: for
   * a new finding edited while waiting, as it was created (its create was answered with it).
   */
  function editRejected(id, entry, reason) {
    const original = entry.mode === 'create' ? entry.sent : entry.original;
    if (!original) {
      refresh(id);
      announce(reason.message || STRINGS.errors.unexpected, 'error');
      return;
    }
    findings.addFeature(original);
    onRejected({ mode: 'edit', id, patch: entry.patch, photos: [], feature: original, ...reason });
  }

  /**
   * The queue is empty, yet some of ours never reported back: another tab sent them (the
   * outbox sends from one tab at a time). Show what the server has now.
   */
  function handleChange({ detail }) {
    if (detail?.pending !== 0) return;
    for (const [id, entry] of local) {
      local.delete(id);
      if (entry.mode === 'delete') findings.remove(id);
      else refresh(id).then(() => revoke(entry));
    }
  }

  /** A photo of ours could not be sent yet (no answer, server error): say so once; it is retried. */
  function handleFailed({ detail }) {
    const entry = local.get(String(detail.id));
    if (detail.kind !== 'photo' || !entry || entry.failureSaid || navigator.onLine === false) return;
    entry.failureSaid = true;
    announce(STRINGS.sync.retrying, 'error');
  }

  box.outbox.addEventListener('sent', handleSent);
  box.outbox.addEventListener('rejected', handleRejected);
  box.outbox.addEventListener('failed', handleFailed);
  box.outbox.addEventListener('change', handleChange);

  function queuedMessage() {
    return navigator.onLine === false ? STRINGS.saving.queuedOffline : STRINGS.capture.sending;
  }

  /**
   * Change a new finding that is still waiting: the PATCH goes out after its creation (also when
   * that is on its way right now), so the server stores it once, with the new values. Until the
   * change is sent the pin shows the finding as edited; a refused creation comes back to the
   * form as edited.
   */
  async function editWaiting(entry, id, patch, photos) {
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
      if (photos.length) await box.submitPhotos(id, photos.map(({ blob, name, sha256 }) => ({ blob, name, sha256 })));
    } catch (err) {
      Object.assign(entry, shown); // the change itself is queued
      throw err;
    }
    findings.addFeature(previewFeature(null, entry.payload, entry.photos.map((p) => p.url)), { hold: 'pending' });
    announce(queuedMessage());
  }

  return {
    /** Queue a new finding with its photos ([{blob, name, sha256, url}]); show it pending. */
    async create(payload, photos) {
      const id = String(payload.id);
      local.set(id, {
        mode: 'create', payload, photos, photosLeft: photos.length, photosRefused: 0,
        waitingForCreate: true, queuedAt: Date.now(),
      });
      try {
        await box.submitFinding(payload, photos.map(({ blob, name, sha256 }) => ({ blob, name, sha256 })));
      } catch (err) {
        local.delete(id);
        throw err;
      }
      findings.addFeature(previewFeature(null, payload, photos.map((p) => p.url)), { hold: 'pending' });
      announce(queuedMessage());
    },
    /** Queue changes of an own finding (and new photos); show the changed pin pending. */
    async edit(original, patch, photos = []) {
      const id = String(original.id ?? original.properties?.id);
      if (local.get(id)?.mode === 'create') return editWaiting(local.get(id), id, patch, photos);
      const extra = box.submitPhotos ? photos : [];
      local.set(id, {
        mode: 'edit', patch, original, photos: extra, photosLeft: extra.length, photosRefused: 0,
        waitingForCreate: true, queuedAt: Date.now(),
      });
      try {
        await box.submitEdit(id, patch);
        if (extra.length) await box.submitPhotos(id, extra.map(({ blob, name, sha256 }) => ({ blob, name, sha256 })));
      } catch (err) {
        local.delete(id);
        throw err;
      }
      findings.addFeature(previewFeature(original, patch, extra.map((p) => p.url)), { hold: 'pending' });
      announce(queuedMessage());
    },
    /**
     * Show what the outbox still holds from an earlier page (e.g. one reloaded offline) as
     * waiting pins, followed like new ones: once sent they become normal pins, a refused one
     * goes back to the form. Call it after the findings' first load, so that a queued edit or
     * deletion finds its pin. Sending stays the outbox's job: nothing is queued again.
     */
    async restore() {
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
          findings.addFeature(previewFeature(null, payload, photos.map((p) => p.url)), { hold: 'pending' });
        } else if (original) {
          local.set(id, { ...entry, mode: 'edit', original, patch });
          findings.addFeature(previewFeature(original, patch, photos.map((p) => p.url)), { hold: 'pending' });
        } else {
          revoke(entry);
        }
      }
    },
    /** Queue the deletion of an own finding; it disappears at once. */
    async remove(feature) {
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
    },
  };
}
