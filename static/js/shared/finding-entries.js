// The findings a map shows, by id: each with its layer, the feature it was drawn from and a
// `hold` that keeps local state (a pending pin, one being edited or deleted) from being
// overwritten by a reload until the outbox reports back. `layers` is the state of
// createFindingsLayer (findings.js): {entries, actions, url, pins, lines, holderOf}.

import { getJSON } from './api.js';
import { buildPopup, featureId } from './popup.js';
import { featureToLayer, findingIcon, lineStyle } from './finding-layers.js';

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

/**
 * Show exactly `features`; keeps unchanged layers, held ones and the one with an open popup.
 * Changed pins leave and join their group in one batch each (removeLayers/addLayers): the group
 * then regroups once, and in chunks (chunkedLoading, findings.js), instead of once per pin,
 * which on a walk with many findings blocked the page for seconds after load.
 */
export function renderEntries(layers, features) {
  const { entries } = layers;
  const seen = new Set();
  const gone = [];
  const fresh = [];
  for (const feature of features) {
    const id = featureId(feature);
    if (!id || !feature.geometry) continue;
    seen.add(id);
    const entry = entries.get(id);
    if (entry && keepsEntry(entry, feature)) continue;
    if (entry) gone.push(entry.layer);
    fresh.push(newEntry(layers, id, feature));
  }
  for (const [id, entry] of entries) {
    if (seen.has(id) || entry.hold || entry.layer.isPopupOpen()) continue;
    gone.push(entry.layer);
    entries.delete(id);
  }
  moveLayers(layers, gone, fresh);
}

/** Take `gone` off and put `fresh` on the map: pins as one batch, lines one by one. */
function moveLayers({ pins, lines, holderOf }, gone, fresh) {
  const split = (list) => [list.filter((l) => holderOf(l) === pins), list.filter((l) => holderOf(l) !== pins)];
  const [gonePins, goneLines] = split(gone);
  const [freshPins, freshLines] = split(fresh);
  goneLines.forEach((layer) => lines.removeLayer(layer));
  if (gonePins.length) pins.removeLayers(gonePins);
  freshLines.forEach((layer) => lines.addLayer(layer));
  if (freshPins.length) pins.addLayers(freshPins);
}
