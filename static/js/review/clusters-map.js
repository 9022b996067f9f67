// The review map's layer of clusters (hull polygons with a count label) and single findings
// (points or lines). Knows nothing about the list or the panel: it reports clicks by key.

import { STRINGS, format } from '../shared/strings.js';
import { L } from '../shared/leaflet.js';

// A category's colour comes from the page config (mapapp/colours.py: the GIS exports use the same).
const FALLBACK_COLOUR = '#37474f';
const SELECTED = { weight: 5, color: '#ffbf1f', fillOpacity: 0.45 };
// Beyond this many single pins they are drawn on one canvas instead of one SVG element each.
const CANVAS_FROM = 1500;
// Count labels are DOM elements Leaflet repositions on every zoom: only the biggest clusters get one.
const MAX_LABELS = 150;

function baseStyle(feature, colours) {
  const colour = colours[feature.properties?.category] ?? FALLBACK_COLOUR;
  return feature.properties?.kind === 'cluster'
    ? { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.25, className: 'review-cluster' }
    : { color: colour, weight: 4, fillColor: colour, fillOpacity: 0.8, className: 'review-finding' };
}

/** Permanent label on a cluster: its number of findings (text only). */
function countLabel(props) {
  const label = document.createElement('span');
  label.textContent = String(props.count);
  return label;
}

/** Text a screen reader gets for a shape on the map. */
export function describe(props) {
  const category = props.category_label || props.category || '';
  if (props.kind === 'finding') return `${category}: ${STRINGS.review.single}`;
  return format(STRINGS.review.clusterLabel, {
    category,
    count: props.count,
    participants: props.participants,
  });
}

/** Make a drawn shape a button for keyboards and screen readers: named, focusable, Enter/Space select. */
function makeReachable(sublayer, label, select) {
  const element = sublayer.getElement?.();
  if (!element) return;
  element.setAttribute('role', 'button');
  element.setAttribute('tabindex', '0');
  element.setAttribute('aria-label', label);
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    select();
  });
}

/**
 * Create the layer on `map`; `onSelect(key)` is called when a shape is clicked,
 * `labelOf(props)` names a category in the page's language, `colours` maps a category to its colour.
 * @returns {{show(collection: object): void, add(collection: object): void, select(key: string|null): void,
 *   fit(): void}}
 */
export function createClusterLayer(map, onSelect, labelOf = (props) => props.category_label, colours = {}) {
  const styleOf = (feature) => baseStyle(feature, colours);
  const byKey = new Map();
  const canvas = L.canvas({ padding: 0.5 });
  let selected = null;
  let many = false;
  let labels = 0;

  const layer = L.geoJSON(null, {
    style: styleOf,
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      ...styleOf(feature), radius: 7, renderer: many ? canvas : undefined,
    }),
    onEachFeature: (feature, sublayer) => {
      const props = feature.properties ?? {};
      byKey.set(props.key, sublayer);
      if (props.kind === 'cluster' && labels++ < MAX_LABELS) {
        sublayer.bindTooltip(countLabel(props), { permanent: true, direction: 'center', className: 'cluster-count' });
      }
      sublayer.on('click', () => onSelect(props.key));
      sublayer.on('add', () => makeReachable(sublayer, describe({ ...props, category_label: labelOf(props) }),
        () => onSelect(props.key)));
    },
  }).addTo(map);

  const restyle = (key, style) => {
    const sublayer = byKey.get(key);
    if (sublayer) sublayer.setStyle(style ?? styleOf(sublayer.feature));
    return sublayer;
  };

  return {
    show(collection) {
      byKey.clear();
      selected = null;
      many = (collection.unclustered ?? 0) > CANVAS_FROM;
      labels = 0;
      layer.clearLayers();
      layer.addData(collection);
    },
    add(collection) {
      layer.addData(collection);
    },
    select(key) {
      if (selected) restyle(selected);
      selected = key;
      const sublayer = key ? restyle(key, SELECTED) : null;
      sublayer?.bringToFront?.();
      if (sublayer?.getBounds) map.fitBounds(sublayer.getBounds(), { padding: [40, 40], maxZoom: 18 });
      else if (sublayer?.getLatLng) map.panTo(sublayer.getLatLng());
    },
    fit() {
      const bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
    },
  };
}
