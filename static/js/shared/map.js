// The Leaflet map and its layers: base tiles (optional; the self-hosted basemap in basemap.js),
// zoom and layer controls, district outlines. The findings layer lives in findings.js, a walk's
// route in walkmap.js.

import { STRINGS } from './strings.js';
import { getJSON } from './api.js';
import { basemapLayer } from './basemap.js';
import { L } from './leaflet.js';

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
  const attribution = tiles.attribution ?? '';
  const base = tiles.basemap
    ? basemapLayer(tiles.basemap, { attribution, maxZoom })
    : tiles.url && L.tileLayer(tiles.url, { attribution, maxZoom });
  if (base) {
    baseLayers[STRINGS.map.baseLayer] = base.addTo(map);
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
 * @param {{labels?: boolean, style?: object, labelPane?: string, labelClass?: string,
 *   onError?: (err: Error) => void}} options  style replaces the level's usual one; labels go to
 *   `labelPane` (default: Leaflet's tooltip pane, above the pins)
 * @returns {L.GeoJSON & {load: () => Promise<L.GeoJSON>}}
 */
export function createDistrictLayer(url, level, {
  labels = false, style = DISTRICT_STYLES[level], labelPane = 'tooltipPane', labelClass = '', onError,
} = {}) {
  const layer = L.geoJSON(null, {
    style,
    interactive: false,
  });
  const labelOptions = {
    permanent: true, direction: 'center', className: `district-label ${labelClass}`.trim(), pane: labelPane,
  };
  const placeLabels = () => labels && labelDistrictsInView(layer, labelOptions);

  let loading = null;
  layer.load = () => {
    loading ??= getJSON(url, { params: { level } })
      .then((data) => {
        layer.addData(data);
        placeLabels();
        return layer;
      })
      .catch((err) => {
        loading = null; // allow a retry on the next toggle
        throw err;
      });
    return loading;
  };
  layer.on('add', () => {
    layer._map?.on('moveend', placeLabels);
    layer.load().catch((err) => onError?.(err));
  });
  layer.on('remove', () => layer._map?.off('moveend', placeLabels));
  return layer;
}

/**
 * Names only for the districts in and around the view, added as the map moves: each label is
 * measured when placed, and all 46 Ortsteile at once kept a slow phone busy after the page loaded.
 */
function labelDistrictsInView(layer, options) {
  const map = layer._map;
  if (!map) return;
  const around = map.getBounds().pad(0.25);
  layer.eachLayer((sublayer) => {
    if (sublayer.getTooltip() || !around.intersects(sublayer.getBounds())) return;
    sublayer.bindTooltip(districtLabel(sublayer.feature), options);
  });
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
