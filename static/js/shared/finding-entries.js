// The findings a map shows, by id: each with its layer, the feature it was drawn from and a
// `hold` that keeps local state (a pending pin, one being edited or deleted) from being
// overwritten by a reload until the outbox reports back. `layers` is the state of
// createFindingsLayer (findings.js): {entries, actions, url, pins, lines, holderOf}.

import { getJSON } from './api.js';
import { buildPopup, featureId } from './popup.js';
import { featureToLayer, findingIcon, lineStyle } from './finding-layers.js';
import { nextTask } from './schedule.js';

const sameGeometry = (a, b) => JSON.stringify(a?.geometry) === JSON.stringify(b?.geometry);
/** A compact pin says nothing new about a full feature with the same category and status. */
const sameSummary = (a, b) => a.properties?.category === b.properties?.category
  && a.properties?.status === b.properties?.status;

/** True when `a` was last changed before `b` (both as stored by the server). */
function isOlder(a, b) {
  const time = (f) => Date.parse(f?.properties?.updated_at ?? f?.properties?.created_at ?? '');
  return time(a) < time(b);
}

/** A compact feature from /api/viewport: enough for the pin, not for the popup. */
const isCompact = (feature) => feature?.properties?.kind === 'finding' && feature.properties.created_at === undefined;

/** What a reload compares to tell whether a finding changed. */
function stampOf(feature) {
  const p = feature.properties ?? {};
  return [p.updated_at ?? p.created_at ?? p.status ?? '', p.confirmations ?? '', p.photos?.length ?? '', p.mine ?? ''].join('|');
}

/** Draw (or redraw) one finding; `hold` 'editing'/'deleting' keeps it off the map. */
export function addEntry(layers, feature, hold = null) {
  const { entries, holderOf } = layers;
  const id = featureId(feature);
  const old = entries.get(id);
  if (old && old.layer.isPopupOpen() && sameGeometry(old.feature, feature)) return updateOpen(layers, old, feature, hold);
  if (old) holderOf(old.layer).removeLayer(old.layer);
  const layer = newEntry(layers, id, feature, hold);
  if (hold !== 'editing' && hold !== 'deleting') holderOf(layer).addLayer(layer);
  return layer;
}

/** Make and remember the layer of a finding, without putting it on the map. */
function newEntry(layers, id, feature, hold = null) {
  const layer = featureToLayer(feature, layers.actions);
  if (isCompact(feature)) layer.once('popupopen', () => loadFull(layers, id));
  layers.entries.set(id, { layer, stamp: stampOf(feature), feature, hold });
  return layer;
}

/**
 * A newer version of a finding whose popup is open: keep the popup where it is (no flicker)
 * and change its content, unless the participant is using it (focus inside, e.g. the
 * "wirklich löschen?" question); then the new content shows the next time it opens.
 */
function updateOpen(layers, entry, feature, hold) {
  Object.assign(entry, { feature, stamp: stampOf(feature), hold });
  const { layer } = entry;
  if (layer.setIcon) layer.setIcon(findingIcon(feature));
  else layer.setStyle(lineStyle);
  const popup = layer.getPopup();
  popup.setContent(() => buildPopup(feature, layers.actions));
  if (!popup.getElement()?.contains(document.activeElement)) popup.update();
  return layer;
}

/** The popup of a compact pin opened: fetch the whole finding and show it in place. */
async function loadFull(layers, id) {
  try {
    const full = await getJSON(`${layers.url}/${encodeURIComponent(id)}`);
    const entry = layers.entries.get(id);
    if (entry && !entry.hold && full?.geometry) addEntry(layers, full);
  } catch (err) {
    console.warn('finding load failed', err);
  }
}

/** Whether a reloaded `feature` leaves the shown `entry` as it is. */
function keepsEntry(entry, feature) {
  if (entry.hold || entry.stamp === stampOf(feature) || entry.layer.isPopupOpen()) return true;
  if (isOlder(feature, entry.feature)) return true; // a reload that started before a save
  return isCompact(feature) && !isCompact(entry.feature) && sameSummary(entry.feature, feature);
}

/** Pins put on the map in one task; a bigger batch (a walk's first load) waits a task between slices. */
const PIN_SLICE = 20;

/**
 * Show exactly `features`; keeps unchanged layers, held ones and the one with an open popup.
 * Resolves true once every pin is on the map, false when a newer call took over first (its
 * call places what this one had not placed yet).
 */
export async function renderEntries(layers, features) {
  const { entries } = layers;
  const unplaced = layers.unplaced ?? new Set(); // the layers a render still placing pins has not placed
  const seen = new Set();
  const gone = [];
  const fresh = [];
  for (const feature of features) {
    const id = featureId(feature);
    if (!id || !feature.geometry) continue;
    seen.add(id);
    const entry = entries.get(id);
    if (entry && keepsEntry(entry, feature)) {
      if (unplaced.has(entry.layer)) fresh.push({ layer: entry.layer, id });
      continue;
    }
    if (entry) gone.push(entry.layer);
    fresh.push({ layer: newEntry(layers, id, feature), id });
  }
  for (const [id, entry] of entries) {
    if (seen.has(id) || entry.hold || entry.layer.isPopupOpen()) continue;
    gone.push(entry.layer);
    entries.delete(id);
  }
  return moveLayers(layers, gone.filter((layer) => !unplaced.has(layer)), fresh);
}

/** Whether `layer` is still what its entry shows (no newer version, not held off the map). */
function placeable(layers, layer, id) {
  const entry = layers.entries.get(id);
  return entry?.layer === layer && entry.hold !== 'editing' && entry.hold !== 'deleting';
}

/**
 * Take `gone` off and put `fresh` ({layer, id}) on the map: lines one by one, pins in batches
 * of PIN_SLICE with a task between them. The cluster group regroups once per batch (not once
 * per pin), and no batch is a long task: 120 pins at once kept a slow phone busy for a third
 * of a second after a walk's findings arrived (the group's own chunkedLoading only looks at
 * the clock every 200 pins).
 */
async function moveLayers(layers, gone, fresh) {
  const { pins, lines, holderOf } = layers;
  const isPin = (layer) => holderOf(layer) === pins;
  gone.filter((layer) => !isPin(layer)).forEach((layer) => lines.removeLayer(layer));
  const gonePins = gone.filter(isPin);
  if (gonePins.length) pins.removeLayers(gonePins);
  fresh.filter(({ layer }) => !isPin(layer)).forEach(({ layer }) => lines.addLayer(layer));
  const freshPins = fresh.filter(({ layer }) => isPin(layer));
  const unplaced = new Set(freshPins.map(({ layer }) => layer));
  layers.unplaced = unplaced;
  for (let i = 0; i < freshPins.length; i += PIN_SLICE) {
    if (i > 0) await nextTask();
    if (layers.unplaced !== unplaced) return false;
    const slice = freshPins.slice(i, i + PIN_SLICE);
    slice.forEach(({ layer }) => unplaced.delete(layer));
    pins.addLayers(slice.filter(({ layer, id }) => placeable(layers, layer, id)).map(({ layer }) => layer));
  }
  layers.unplaced = null;
  return true;
}
