// Between the form and the outbox (outbox.js): a saved finding shows at once as a pending pin,
// and is replaced by the server's feature when the outbox reports it 'sent'. A refusal the
// outbox cannot retry ('rejected') removes the pending pin and hands the draft back to the
// form, with the server's field messages. Edits and deletions work the same way.

import * as box from './outbox.js';
import { STRINGS, format } from './strings.js';
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
  const local = new Map(); // finding id → {mode, payload|patch, photos, original, photosLeft}

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
      if (!entry) return;
      entry.photosLeft -= 1;
      if (entry.photosLeft <= 0 && !entry.waitingForCreate) {
        local.delete(id);
        refresh(id).then(() => revoke(entry));
      }
      return;
    }
    if (!entry || (detail.kind !== 'create' && detail.kind !== 'edit')) return;
    const feature = detail.feature?.type === 'Feature' ? detail.feature : null;
    entry.waitingForCreate = false;
    if (entry.photosLeft > 0) {
      // Keep the previews in the popup until the photos are on the server too.
      if (feature) feature.properties.photos = entry.photos.map((p) => ({ url: p.url, thumb_url: p.url }));
    } else {
      local.delete(id);
    }
    if (feature) findings.addFeature(feature, { open: findings.isOpen(id) || shouldOpen(entry) });
    else refresh(id);
    if (detail.kind === 'create') announce(feature ? savedMessage(feature) : STRINGS.saving.sent);
    else announce(STRINGS.saving.edited);
  }

  function handleRejected({ detail }) {
    const id = String(detail.id);
    const entry = local.get(id);
    if (!entry) return;
    const reason = { fields: detail.fields ?? {}, message: detail.message ?? '', status: detail.status };
    if (detail.kind === 'photo') {
      entry.photosLeft -= 1;
      return;
    }
    local.delete(id);
    if (detail.kind === 'create') {
      findings.remove(id);
      onRejected({ mode: 'create', id, payload: entry.payload, photos: entry.photos, ...reason });
    } else if (detail.kind === 'edit') {
      findings.addFeature(entry.original);
      onRejected({ mode: 'edit', id, patch: entry.patch, photos: [], feature: entry.original, ...reason });
    } else if (detail.kind === 'delete') {
      findings.release(id);
    }
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

  box.outbox.addEventListener('sent', handleSent);
  box.outbox.addEventListener('rejected', handleRejected);
  box.outbox.addEventListener('change', handleChange);

  function queuedMessage() {
    return navigator.onLine === false ? STRINGS.saving.queuedOffline : STRINGS.capture.sending;
  }

  return {
    /** Queue a new finding with its photos ([{blob, name, sha256, url}]); show it pending. */
    async create(payload, photos) {
      const id = String(payload.id);
      local.set(id, { mode: 'create', payload, photos, photosLeft: photos.length, waitingForCreate: true, queuedAt: Date.now() });
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
      const extra = box.submitPhotos ? photos : [];
      local.set(id, { mode: 'edit', patch, original, photos: extra, photosLeft: extra.length, waitingForCreate: true, queuedAt: Date.now() });
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
