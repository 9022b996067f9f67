// The Leaflet map and its layers: base tiles (optional), zoom and layer controls,
// district outlines, and the findings loaded for the current view from the bbox API.

import { STRINGS, format } from './strings.js';
import { getJSON, isAbort } from './api.js';
import { buildPopup, featureId, featureLabel } from './popup.js';

const L = window.L;

const FINDINGS_LIMIT = 1000;
const RELOAD_DEBOUNCE_MS = 300;
const LINE_STYLE = { color: '#b3400a', weight: 6, opacity: 0.9, className: 'finding-line' };
// Pan padding keeps popups clear of the controls/status toast (top) and the pin button (bottom).
const POPUP_OPTIONS = { maxWidth: 300, minWidth: 200, autoPanPaddingTopLeft: [16, 110], autoPanPaddingBottomRight: [16, 100] };
const DISTRICT_STYLES = {
  stadtbezirk: { color: '#00468a', weight: 3, opacity: 0.85, fill: false },
  ortsteil: { color: '#4a5866', weight: 1.5, opacity: 0.9, dashArray: '4 4', fill: false },
};

/**
 * Create the map in `element` from the page config.
 * @returns {{map: L.Map, baseLayers: Object<string, L.Layer>}}
 */
export function createMap(element, config) {
  const tiles = config.tiles ?? {};
  const maxZoom = Number(tiles.max_zoom) || 19;
  const map = L.map(element, {
    center: config.center,
    zoom: config.zoom,
    maxZoom,
    zoomControl: false,
  });

  L.control.zoom({ zoomInTitle: STRINGS.map.zoomIn, zoomOutTitle: STRINGS.map.zoomOut }).addTo(map);

  const baseLayers = {};
  if (tiles.url) {
    baseLayers[STRINGS.map.baseLayer] = L.tileLayer(tiles.url, {
      attribution: tiles.attribution ?? '',
      maxZoom,
    }).addTo(map);
  } else {
    element.classList.add('map--no-tiles');
  }

  // Leaflet's own texts are English: translate the ones screen readers announce.
  map.on('popupopen', ({ popup }) => {
    popup.getElement()?.querySelector('.leaflet-popup-close-button')
      ?.setAttribute('aria-label', STRINGS.map.closePopup);
  });

  return { map, baseLayers };
}

/** Label element for a district (text only, never HTML). */
function districtLabel(feature) {
  const label = document.createElement('span');
  label.textContent = feature.properties?.name ?? '';
  return label;
}

/**
 * GeoJSON layer of district outlines, loaded from the API the first time it is shown.
 * @param {string} url       config.api.districts
 * @param {'stadtbezirk'|'ortsteil'} level
 * @param {{labels?: boolean, onError?: (err: Error) => void}} options
 * @returns {L.GeoJSON & {load: () => Promise<L.GeoJSON>}}
 */
export function createDistrictLayer(url, level, { labels = false, onError } = {}) {
  const layer = L.geoJSON(null, {
    style: DISTRICT_STYLES[level],
    interactive: false,
    onEachFeature: labels
      ? (feature, sublayer) => sublayer.bindTooltip(districtLabel(feature), {
        permanent: true,
        direction: 'center',
        className: 'district-label',
      })
      : undefined,
  });

  let loading = null;
  layer.load = () => {
    loading ??= getJSON(url, { params: { level } })
      .then((data) => {
        layer.addData(data);
        return layer;
      })
      .catch((err) => {
        loading = null; // allow a retry on the next toggle
        throw err;
      });
    return loading;
  };
  layer.on('add', () => layer.load().catch((err) => onError?.(err)));
  return layer;
}

/** Layer switcher with German labels and touch-friendly size (see app.css). */
export function addLayerControl(map, baseLayers, overlays) {
  const control = L.control.layers(baseLayers, overlays, { collapsed: true, position: 'topright' }).addTo(map);
  const toggle = control.getContainer()?.querySelector('.leaflet-control-layers-toggle');
  if (toggle) {
    toggle.title = STRINGS.map.layers;
    toggle.setAttribute('aria-label', STRINGS.map.layers);
  }
  return control;
}

// ---- findings ------------------------------------------------------------

let FindingIcon = null;

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
  return new FindingIcon({
    html: false,
    className: 'finding-marker',
    iconSize: [44, 44],
    iconAnchor: [22, 22],
    popupAnchor: [0, -16],
    emoji: feature.properties?.icon || '•',
    findingId: featureId(feature),
    label: format(STRINGS.marker.finding, { category: featureLabel(feature) }),
  });
}

/** Leaflet layer for one feature (Point → marker, others → GeoJSON path), popup bound. */
function featureToLayer(feature) {
  const geometry = feature.geometry;
  let layer;
  if (geometry?.type === 'Point') {
    const [lon, lat] = geometry.coordinates;
    layer = L.marker([lat, lon], { icon: findingIcon(feature), keyboard: true, riseOnHover: true });
  } else {
    layer = L.geoJSON(feature, { style: LINE_STYLE });
    layer.on('add', () => layer.eachLayer((path) => path.getElement()?.setAttribute('data-finding-id', featureId(feature))));
  }
  layer.bindPopup(() => buildPopup(feature), POPUP_OPTIONS);
  return layer;
}

/** "W,S,E,N" of the visible map, clamped to valid coordinates. */
function bboxOf(map) {
  const b = map.getBounds();
  const clamp = (v, lim) => Math.max(-lim, Math.min(lim, v)).toFixed(6);
  return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
}

/**
 * @param {L.Map} map
 * @param {{url: string, announce: (text: string, kind?: string) => void}} options
 */
export function createFindingsLayer(map, { url, announce }) {
  const group = L.featureGroup();
  const entries = new Map(); // id → {layer, stamp}
  let controller = null;
  let timer = null;
  let failed = false;
  let truncated = false;
  let resolveFirstLoad;
  const firstLoad = new Promise((resolve) => { resolveFirstLoad = resolve; });

  const stampOf = (feature) => feature.properties?.updated_at ?? feature.properties?.created_at ?? '';

  function add(feature) {
    const id = featureId(feature);
    const old = entries.get(id);
    if (old) group.removeLayer(old.layer);
    const layer = featureToLayer(feature);
    entries.set(id, { layer, stamp: stampOf(feature) });
    group.addLayer(layer);
    return layer;
  }

  /** Show exactly `features`; keeps unchanged layers and the one with an open popup. */
  function render(features) {
    const seen = new Set();
    for (const feature of features) {
      const id = featureId(feature);
      if (!id || !feature.geometry) continue;
      seen.add(id);
      const entry = entries.get(id);
      if (entry && (entry.stamp === stampOf(feature) || entry.layer.isPopupOpen())) continue;
      add(feature);
    }
    for (const [id, entry] of entries) {
      if (seen.has(id) || entry.layer.isPopupOpen()) continue;
      group.removeLayer(entry.layer);
      entries.delete(id);
    }
  }

  async function reload() {
    clearTimeout(timer);
    controller?.abort();
    const ctrl = new AbortController();
    controller = ctrl;
    try {
      const data = await getJSON(url, { params: { bbox: bboxOf(map), limit: FINDINGS_LIMIT }, signal: ctrl.signal });
      const features = Array.isArray(data?.features) ? data.features : [];
      render(features);
      document.body.dataset.findingsLoaded = String(features.length);
      failed = false;
      if (features.length >= FINDINGS_LIMIT && !truncated) announce(STRINGS.findingsTruncated);
      truncated = features.length >= FINDINGS_LIMIT;
    } catch (err) {
      if (isAbort(err)) return; // superseded by a newer request
      if (!failed) announce(STRINGS.errors.findings, 'error');
      failed = true;
      console.error('findings load failed', err);
    } finally {
      if (controller === ctrl) controller = null;
    }
    resolveFirstLoad();
  }

  function scheduleReload() {
    clearTimeout(timer);
    timer = setTimeout(reload, RELOAD_DEBOUNCE_MS);
  }

  map.on('moveend', scheduleReload);
  group.on('add', scheduleReload); // re-enabled in the layer control

  return {
    layer: group,
    reload,
    /** Resolves after the first load that was not aborted (success or failure). */
    firstLoad,
    /** Add (or replace) one feature, e.g. a freshly saved one; optionally open its popup. */
    addFeature(feature, { open = false } = {}) {
      if (!featureId(feature) || !feature.geometry) return null;
      const layer = add(feature);
      if (!map.hasLayer(group)) map.addLayer(group);
      if (open) layer.openPopup();
      return layer;
    },
  };
}
