// A finding as the page shows it before the server has it: a new id, a request body with later
// changes applied, and a feature that looks like the server's for the pending pin and its popup.

import { getCategory, labelOf } from '../shared/categories.js';

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
export function withChanges(body, patch) {
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
