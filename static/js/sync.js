// Between the form and the outbox (outbox.js): a saved finding shows at once as a pending pin,
// and is replaced by the server's feature when the outbox reports it 'sent'. A refusal the
// outbox cannot retry ('rejected') removes the pending pin and hands the draft back to the
// form, with the server's field messages. Edits and deletions work the same way.

import * as box from './outbox.js';
import { STRINGS, format } from './strings.js';
import { getJSON } from './api.js';
import { featureLabel } from './popup.js';
import { getCategory, labelOf } from './categories.js';

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
    if (feature) findings.addFeature(feature, { open: findings.isOpen(id) });
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

  box.outbox.addEventListener('sent', handleSent);
  box.outbox.addEventListener('rejected', handleRejected);

  function queuedMessage() {
    return navigator.onLine === false ? STRINGS.saving.queuedOffline : STRINGS.capture.sending;
  }

  return {
    /** Queue a new finding with its photos ([{blob, name, sha256, url}]); show it pending. */
    async create(payload, photos) {
      const id = String(payload.id);
      local.set(id, { mode: 'create', payload, photos, photosLeft: photos.length, waitingForCreate: true });
      try {
        await box.submitFinding(payload, photos.map(({ blob, name, sha256 }) => ({ blob, name, sha256 })));
      } catch (err) {
        local.delete(id);
        throw err;
      }
      findings.addFeature(previewFeature(null, payload, photos.map((p) => p.url)), { open: true, hold: 'pending' });
      announce(queuedMessage());
    },
    /** Queue changes of an own finding (and new photos); show the changed pin pending. */
    async edit(original, patch, photos = []) {
      const id = String(original.id ?? original.properties?.id);
      const extra = box.submitPhotos ? photos : [];
      local.set(id, { mode: 'edit', patch, original, photos: extra, photosLeft: extra.length, waitingForCreate: true });
      try {
        await box.submitEdit(id, patch);
        if (extra.length) await box.submitPhotos(id, extra.map(({ blob, name, sha256 }) => ({ blob, name, sha256 })));
      } catch (err) {
        local.delete(id);
        throw err;
      }
      findings.addFeature(previewFeature(original, patch, extra.map((p) => p.url)), { open: true, hold: 'pending' });
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
