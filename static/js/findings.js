// The findings on the map. Two sources: on `/` the view from /api/viewport (reloaded when the
// map moves; zoomed out it answers count bubbles, see cells.js, zoomed in compact pins whose
// popup loads the full finding; the browser cache revalidates it with If-None-Match); on a
// walk ALL pins of that walk, polled while the page is visible with If-None-Match so an
// unchanged list costs a 304. Own pins (`properties.mine`) and
// ones not yet on the server (`properties.pending`) look different, and say so in words.
// Pins that would overlap are grouped (Leaflet.markercluster, a count bubble); at the last
// zoom a group spreads out ("spiderfies") so that every pin, also at identical coordinates,
// can be opened.

import { STRINGS, format } from './strings.js';
import { getJSON, isAbort } from './api.js';
import { createCellLayer, countIcon } from './cells.js';
import { buildPopup, featureId, featureLabel } from './popup.js';

const L = window.L;

const FINDINGS_LIMIT = 1000;
const RELOAD_DEBOUNCE_MS = 300;
const POLL_MS = 15000;
const LINE_COLOURS = { other: '#b3400a', mine: '#6a1b9a' };
// Pan padding keeps popups clear of the zoom and layer controls (top corners, see
// popupPadding) and the pin button (bottom).
const POPUP_OPTIONS = { maxWidth: 300, minWidth: 220, autoPanPaddingTopLeft: [16, 110], autoPanPaddingBottomRight: [16, 100] };
/** Pins closer than this (px) form a group. */
const CLUSTER_RADIUS = 48;
const CONTROL_GAP = 8;

let FindingIcon = null;

/** Accessible name of a marker: category, and whether it is one's own / not sent yet. */
function markerLabel(feature) {
  const p = feature.properties ?? {};
  const key = p.pending ? 'pending' : (p.mine ? 'mine' : 'finding');
  return format(STRINGS.marker[key], { category: featureLabel(feature) });
}

/** Marker icon: emoji in a round badge; the marker element carries the finding id and an accessible name. */
function findingIcon(feature) {
  FindingIcon ??= L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      const badge = document.createElement('span');
      badge.className = 'finding-marker__badge';
      badge.textContent = this.options.emoji;
      badge.setAttribute('aria-hidden', 'true');
      div.replaceChildren(badge);
      div.dataset.findingId = this.options.findingId;
      div.setAttribute('aria-label', this.options.label);
      return div;
    },
  });
  const p = feature.properties ?? {};
  const classes = ['finding-marker'];
  if (p.mine) classes.push('finding-marker--mine');
  if (p.pending) classes.push('finding-marker--pending');
  return new FindingIcon({
    html: false,
    className: classes.join(' '),
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -16],
    emoji: p.icon || '•',
    findingId: featureId(feature),
    label: markerLabel(feature),
  });
}

function lineStyle(feature) {
  const p = feature.properties ?? {};
  return {
    color: p.mine ? LINE_COLOURS.mine : LINE_COLOURS.other,
    weight: 6,
    opacity: 0.9,
    dashArray: p.pending ? '2 10' : null,
    className: `finding-line${p.mine ? ' finding-line--mine' : ''}`,
  };
}

/**
 * Pan padding for a popup: below the lowest top control (zoom, layers; their height depends
 * on the page's header and language), so that no control ever draws over an open popup.
 */
function popupPadding(map) {
  const top = map.getContainer().getBoundingClientRect().top;
  const controls = map.getContainer().querySelectorAll('.leaflet-top .leaflet-control');
  const bottom = Math.max(0, ...[...controls].map((c) => c.getBoundingClientRect().bottom - top));
  return { autoPanPaddingTopLeft: [16, Math.max(POPUP_OPTIONS.autoPanPaddingTopLeft[1], bottom + CONTROL_GAP)] };
}

/** Group icon of overlapping pins: a count bubble saying how many findings it holds. */
function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  return countIcon(n, format(STRINGS.marker.cluster, { n }), 'finding-cluster');
}

/**
 * The pin group draws its pins anew after every zoom: it takes each pin off the map and puts
 * it back in the same moment. Leaflet closes a pin's popup when the pin leaves the map, so a
 * popup opened during a zoom (e.g. the saved finding's, while the map zooms to the GPS fix)
 * vanished. Close it only when the pin is really gone after that moment: grouped into a count
 * bubble, hidden while being edited, or removed.
 */
function keepPopupThroughRegrouping(marker) {
  marker.off('remove', marker.closePopup);
  marker.on('remove', () => queueMicrotask(() => {
    if (!marker._map) marker.closePopup();
  }));
}

/** Leaflet layer for one feature (Point → marker, others → GeoJSON path), popup bound. */
function featureToLayer(feature, actions) {
  const geometry = feature.geometry;
  let layer;
  if (geometry?.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    layer = L.marker([lat, lon], { icon: findingIcon(feature), keyboard: true, riseOnHover: true });
  } else {
    layer = L.geoJSON(feature, { style: lineStyle });
    layer.on('add', () => layer.eachLayer((path) => {
      const element = path.getElement();
      element?.setAttribute('data-finding-id', featureId(feature));
      element?.setAttribute('aria-label', markerLabel(feature));
    }));
  }
  layer.bindPopup(() => buildPopup(feature, actions), POPUP_OPTIONS);
  if (layer instanceof L.Marker) keepPopupThroughRegrouping(layer);
  layer.on('popupopen', ({ popup }) => {
    if (!layer._map) return;
    const padding = popupPadding(layer._map);
    if (padding.autoPanPaddingTopLeft[1] === popup.options.autoPanPaddingTopLeft?.[1]) return;
    Object.assign(popup.options, padding);
    popup.update(); // pans again, with the new padding
  });
  return layer;
}

const sameGeometry = (a, b) => JSON.stringify(a?.geometry) === JSON.stringify(b?.geometry);
/** A compact pin says nothing new about a full feature with the same category and status. */
const sameSummary = (a, b) => a.properties?.category === b.properties?.category
  && a.properties?.status === b.properties?.status;

/** True when `a` was last changed before `b` (both as stored by the server). */
function isOlder(a, b) {
  const time = (f) => Date.parse(f?.properties?.updated_at ?? f?.properties?.created_at ?? '');
  return time(a) < time(b);
}

/** "W,S,E,N" of the visible map, clamped to valid coordinates. */
function bboxOf(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
}

/**
 * GET the walk's findings with If-None-Match; resolves to null when unchanged (304).
 * Plain fetch: the ETag handshake needs the response headers, which api.js does not expose.
 */
async function fetchWalkFindings(url, walkId, etag, signal) {
  const target = new URL(url, document.baseURI);
  target.searchParams.set('walk', walkId);
  target.searchParams.set('limit', FINDINGS_LIMIT);
  const headers = { Accept: 'application/geo+json, application/json' };
  if (etag) headers['If-None-Match'] = etag;
  const response = await fetch(target, { headers, credentials: 'same-origin', signal, cache: 'no-cache' });
  if (response.status === 304) return { data: null, etag };
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return { data: await response.json(), etag: response.headers.get('ETag') };
}

/** A compact feature from /api/viewport: enough for the pin, not for the popup. */
const isCompact = (feature) => feature?.properties?.kind === 'finding' && feature.properties.created_at === undefined;

/**
 * @param {L.Map} map
 * @param {{url: string, viewportUrl?: string, walkId?: string|null, announce: Function, actions?: object}} options
 *   actions: popup buttons (see popup.js), passed through to buildPopup.
 */
export function createFindingsLayer(map, { url, viewportUrl = null, walkId = null, announce, actions = {} }) {
  const group = L.featureGroup();
  const cells = createCellLayer(map);
  // Pins go into the cluster group, lines (which it cannot group) beside it.
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
  // id → {layer, stamp, feature, hold}; `hold` keeps local state (a pending pin, one being
  // edited or deleted) from being overwritten by a reload until the outbox reports back.
  const entries = new Map();
  let controller = null;
  let timer = null;
  let failed = false;
  let truncated = false;
  let etag = null;
  let resolveFirstLoad;
  const firstLoad = new Promise((resolve) => { resolveFirstLoad = resolve; });

  const stampOf = (feature) => {
    const p = feature.properties ?? {};
    return [p.updated_at ?? p.created_at ?? p.status ?? '', p.confirmations ?? '', p.photos?.length ?? '', p.mine ?? ''].join('|');
  };

  function add(feature, hold = null) {
    const id = featureId(feature);
    const old = entries.get(id);
    if (old && old.layer.isPopupOpen() && sameGeometry(old.feature, feature)) return updateOpen(old, feature, hold);
    if (old) holderOf(old.layer).removeLayer(old.layer);
    const layer = featureToLayer(feature, actions);
    if (isCompact(feature)) layer.once('popupopen', () => loadFull(id));
    entries.set(id, { layer, stamp: stampOf(feature), feature, hold });
    if (hold !== 'editing' && hold !== 'deleting') holderOf(layer).addLayer(layer);
    return layer;
  }

  /**
   * A newer version of a finding whose popup is open: keep the popup where it is (no flicker)
   * and change its content, unless the participant is using it (focus inside, e.g. the
   * "wirklich löschen?" question); then the new content shows the next time it opens.
   */
  function updateOpen(entry, feature, hold) {
    Object.assign(entry, { feature, stamp: stampOf(feature), hold });
    const { layer } = entry;
    if (layer.setIcon) layer.setIcon(findingIcon(feature));
    else layer.setStyle(lineStyle);
    const popup = layer.getPopup();
    popup.setContent(() => buildPopup(feature, actions));
    if (!popup.getElement()?.contains(document.activeElement)) popup.update();
    return layer;
  }

  /** The popup of a compact pin opened: fetch the whole finding and show it in place. */
  async function loadFull(id) {
    try {
      const full = await getJSON(`${url}/${encodeURIComponent(id)}`);
      const entry = entries.get(id);
      if (entry && !entry.hold && full?.geometry) add(full);
    } catch (err) {
      console.warn('finding load failed', err);
    }
  }

  /** Show exactly `features`; keeps unchanged layers, held ones and the one with an open popup. */
  function render(features) {
    const seen = new Set();
    for (const feature of features) {
      const id = featureId(feature);
      if (!id || !feature.geometry) continue;
      seen.add(id);
      const entry = entries.get(id);
      if (entry && (entry.hold || entry.stamp === stampOf(feature) || entry.layer.isPopupOpen())) continue;
      if (entry && isOlder(feature, entry.feature)) continue; // a reload that started before a save
      if (entry && isCompact(feature) && !isCompact(entry.feature) && sameSummary(entry.feature, feature)) continue;
      add(feature);
    }
    for (const [id, entry] of entries) {
      if (seen.has(id) || entry.hold || entry.layer.isPopupOpen()) continue;
      holderOf(entry.layer).removeLayer(entry.layer);
      entries.delete(id);
    }
  }

  async function load(signal) {
    if (walkId) {
      const result = await fetchWalkFindings(url, walkId, etag, signal);
      etag = result.etag;
      return result.data;
    }
    return getJSON(viewportUrl, { params: { bbox: bboxOf(map), zoom: Math.floor(map.getZoom()) }, signal });
  }

  /** Draw a loaded answer: a walk's findings, or a view's cells or findings. */
  function show(data) {
    const features = Array.isArray(data.features) ? data.features : [];
    if (data.mode === 'cells') {
      render([]);
      cells.render(features);
    } else {
      cells.clear();
      render(features);
    }
    document.body.dataset.viewMode = data.mode ?? 'findings';
    document.body.dataset.findingsLoaded = String(data.total ?? features.length);
    return features;
  }

  async function reload() {
    clearTimeout(timer);
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    try {
      const data = await load(ctrl.signal);
      if (data) {
        const features = show(data);
        const full = Boolean(walkId) && features.length >= FINDINGS_LIMIT;
        if (full && !truncated) announce(STRINGS.findingsTruncated);
        truncated = full;
      }
      failed = false;
    } catch (err) {
      if (isAbort(err)) return; // superseded by a newer request
      if (!failed) announce(STRINGS.errors.findings, 'error');
      failed = true;
      console.warn('findings load failed', err);
    } finally {
      if (controller === ctrl) controller = null;
      if (walkId) schedulePoll();
    }
    resolveFirstLoad();
  }

  function scheduleReload() {
    clearTimeout(timer);
    timer = setTimeout(reload, RELOAD_DEBOUNCE_MS);
  }

  /** Walk mode: next poll in POLL_MS, none while the page is hidden. */
  function schedulePoll() {
    clearTimeout(timer);
    if (!document.hidden) timer = setTimeout(reload, POLL_MS);
  }

  let popupOpen = false;
  map.on('popupopen', () => { popupOpen = true; });
  map.on('popupclose', () => { popupOpen = false; });

  if (walkId) {
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        clearTimeout(timer);
        controller?.abort();
      } else {
        reload();
      }
    });
  } else {
    map.on('moveend', scheduleReload);
    group.on('add', scheduleReload); // re-enabled in the layer control
  }

  let zooming = false;
  map.on('zoomstart', () => { zooming = true; });
  map.on('zoomend', () => { zooming = false; });

  /**
   * Open a layer's popup; a pin inside a group is first zoomed to or spread out. Leaflet drops a
   * zoom asked for while another zoom is running (e.g. the zoom to the GPS fix), so during one
   * this waits for its end.
   */
  function openPopupOf(layer) {
    if (zooming) {
      map.once('zoomend', () => { if (holderOf(layer).hasLayer(layer)) openPopupOf(layer); });
      return;
    }
    if (holderOf(layer) === pins && pins.hasLayer(layer) && !layer._map) {
      pins.zoomToShowLayer(layer, () => layer.openPopup());
    } else {
      layer.openPopup();
    }
  }

  /**
   * Open a layer's popup after a running zoom, zooming in to a group that holds it, but not when
   * only spreading a group out at the last zoom would show it (findings a few metres apart):
   * then the map stays as it is.
   */
  function openIfVisible(layer) {
    if (zooming) {
      map.once('zoomend', () => openIfVisible(layer));
    } else if (layer._map) {
      if (!layer.isPopupOpen()) layer.openPopup();
    } else if (pins.hasLayer(layer) && layer.__parent?._zoom < map.getMaxZoom()) {
      openPopupOf(layer);
    }
  }

  function showEntry(entry) {
    if (!holderOf(entry.layer).hasLayer(entry.layer)) holderOf(entry.layer).addLayer(entry.layer);
    if (!map.hasLayer(group)) map.addLayer(group);
  }

  return {
    layer: group,
    reload,
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
      const layer = add(feature, hold);
      showEntry(entries.get(featureId(feature)));
      if (open === 'if-visible') openIfVisible(layer);
      else if (open && !layer.isPopupOpen()) openPopupOf(layer);
      return layer;
    },
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
      showEntry(entry);
    },
    remove(id) {
      const entry = entries.get(String(id));
      if (!entry) return;
      holderOf(entry.layer).removeLayer(entry.layer);
      entries.delete(String(id));
    },
    isOpen: (id) => Boolean(entries.get(String(id))?.layer.isPopupOpen()),
    /** Open the popup of a shown finding (zooming to it or spreading its group); false when not shown. */
    open(id) {
      const entry = entries.get(String(id));
      if (!entry || entry.hold === 'editing' || entry.hold === 'deleting') return false;
      showEntry(entry);
      openPopupOf(entry.layer);
      return true;
    },
    /** Whether any popup is open on the map. */
    anyOpen: () => popupOpen,
  };
}
