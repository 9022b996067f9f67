// The findings on the map. Two sources: on `/` the view from /api/viewport (reloaded when the
// map moves; zoomed out it answers count bubbles, see cells.js, zoomed in compact pins whose
// popup loads the full finding; the browser cache revalidates it with If-None-Match); on a
// walk ALL pins of that walk, polled while the page is visible with If-None-Match so an
// unchanged list costs a 304 (findings-load.js). Own pins (`properties.mine`) and
// ones not yet on the server (`properties.pending`) look different, and say so in words
// (finding-layers.js). Pins that would overlap are grouped (Leaflet.markercluster, a count
// bubble); at the last zoom a group spreads out ("spiderfies") so that every pin, also at
// identical coordinates, can be opened (pin-popups.js).

import { featureId } from './popup.js';
import { createCellLayer } from './cells.js';
import { clusterIcon } from './finding-layers.js';
import { addEntry } from './finding-entries.js';
import { reload, reloadWhenNeeded } from './findings-load.js';
import { createPopupOpener } from './pin-popups.js';
import { L } from './leaflet.js';
import './markercluster.js';

/** Pins closer than this (px) form a group. */
const CLUSTER_RADIUS = 48;

/** The layers: count cells, lines, and the pins in their cluster group (which cannot group lines). */
function createGroups(map) {
  const group = L.featureGroup();
  const cells = createCellLayer(map);
  const pins = L.markerClusterGroup({
    maxClusterRadius: CLUSTER_RADIUS,
    showCoverageOnHover: false,
    // Without the group animations: with them a tap soon after a zoom was sometimes ignored
    // (the group still counted itself as animating), and phones on a walk are slow.
    animate: false,
    spiderfyOnMaxZoom: true,
    iconCreateFunction: clusterIcon,
  });
  const lines = L.featureGroup();
  group.addLayer(cells.layer);
  group.addLayer(lines);
  group.addLayer(pins);
  const holderOf = (layer) => (layer instanceof L.Marker ? pins : lines);
  return { group, cells, pins, lines, holderOf };
}

/**
 * @param {L.Map} map
 * @param {{url: string, viewportUrl?: string, walkId?: string|null, announce: Function, actions?: object}} options
 *   actions: popup buttons (see popup.js), passed through to buildPopup.
 */
export function createFindingsLayer(map, { url, viewportUrl = null, walkId = null, announce, actions = {} }) {
  let resolveFirstLoad;
  const firstLoad = new Promise((resolve) => { resolveFirstLoad = resolve; });
  // entries: id → {layer, stamp, feature, hold} (finding-entries.js)
  const layers = {
    map, url, viewportUrl, walkId, announce, actions, ...createGroups(map), entries: new Map(),
    controller: null, timer: null, failed: false, truncated: false, etag: null, resolveFirstLoad,
  };
  const popups = { open: false };
  map.on('popupopen', () => { popups.open = true; });
  map.on('popupclose', () => { popups.open = false; });
  reloadWhenNeeded(layers);
  const opener = createPopupOpener(map, layers.pins, layers.holderOf);
  return findingsApi(layers, opener, popups, firstLoad);
}

function showEntry({ map, group, holderOf }, entry) {
  if (!holderOf(entry.layer).hasLayer(entry.layer)) holderOf(entry.layer).addLayer(entry.layer);
  if (!map.hasLayer(group)) map.addLayer(group);
}

/** What the page does with the findings layer. */
function findingsApi(layers, { openPopupOf, openIfVisible }, popups, firstLoad) {
  const { entries, holderOf } = layers;
  return {
    layer: layers.group,
    reload: () => reload(layers),
    /** Resolves after the first load that was not aborted (success or failure). */
    firstLoad,
    /** The feature currently shown (or held) for this id. */
    get: (id) => entries.get(String(id))?.feature ?? null,
    /**
     * Add (or replace) one feature, e.g. a pending or freshly saved one.
     * @param {{open?: boolean|'if-visible', hold?: 'pending'|null}} options open 'if-visible': not
     *   when the pin is grouped with others at the same spot; hold 'pending' survives reloads
     */
    addFeature(feature, { open = false, hold = null } = {}) {
      if (!featureId(feature) || !feature.geometry) return null;
      const layer = addEntry(layers, feature, hold);
      showEntry(layers, entries.get(featureId(feature)));
      if (open === 'if-visible') openIfVisible(layer);
      else if (open && !layer.isPopupOpen()) openPopupOf(layer);
      return layer;
    },
    ...holding(layers),
    isOpen: (id) => Boolean(entries.get(String(id))?.layer.isPopupOpen()),
    /** Open the popup of a shown finding (zooming to it or spreading its group); false when not shown. */
    open(id) {
      const entry = entries.get(String(id));
      if (!entry || entry.hold === 'editing' || entry.hold === 'deleting') return false;
      showEntry(layers, entry);
      openPopupOf(entry.layer);
      return true;
    },
    /** Whether any popup is open on the map. */
    anyOpen: () => popups.open,
  };
}

/** Hiding a finding while it is edited or deleted, showing it again, removing it. */
function holding(layers) {
  const { entries, holderOf } = layers;
  return {
    /** Hide a finding while it is edited or being deleted; reloads leave it hidden. */
    hold(id, why) {
      const entry = entries.get(String(id));
      if (!entry) return;
      entry.layer.closePopup();
      entry.hold = why;
      holderOf(entry.layer).removeLayer(entry.layer);
    },
    /**
     * Undo `hold`: show the last known version again; the next reload may replace it, except
     * a waiting one (not on the server yet: a reload must not drop its pin).
     */
    release(id) {
      const entry = entries.get(String(id));
      if (!entry) return;
      entry.hold = entry.feature.properties?.pending ? 'pending' : null;
      entry.stamp = ''; // let the next reload refresh it
      showEntry(layers, entry);
    },
    remove(id) {
      const entry = entries.get(String(id));
      if (!entry) return;
      holderOf(entry.layer).removeLayer(entry.layer);
      entries.delete(String(id));
    },
  };
}
